"""V005 三级指标名称中残留占位内容。

依据：指标名称里留着“（≥**人）”“指标1：”之类的占位文字，读表的人看不出指标的口径。指标值和完成值已经填了的，
照常计分，这里只提醒把名称改好；指标值、完成值本身是占位内容的见 V001。

反例：

    三级指标 “农村低保发放人数（≥**人）”，年度指标值 “≥1200人”，实际完成值 “1250人”。

正例：

    三级指标 “农村低保发放人数”。
"""

from __future__ import annotations

from collections.abc import Iterable

from jixiao.findings import Severity
from jixiao.rules.registry import Context, Hit, rule


@rule("V005", "placeholder-in-name", Severity.WARNING, "三级指标名称中残留占位内容",
    needs=("indicators",),
    reads=())
def check(ctx: Context) -> Iterable[Hit]:
    """Placeholder text left in an indicator's name."""
    for ind in ctx.model.indicators:
        if ind.name.qty.kind == "placeholder":
            yield Hit(ind.name.loc, f"三级指标名称“{ind.name.text}”中残留占位内容，请改为指标的实际名称", None,
                      ind.name.text)
