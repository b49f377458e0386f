"""V001 年度指标值或实际完成值是模板占位内容。

依据：年度指标值、实际完成值中残留“≥**平方米”“……”等占位文字，说明该指标并未真正设定或填报。
（三级指标名称里残留的占位内容见 V005，是警告。）

反例：

    年度指标值 “≥**平方米”。

正例：

    年度指标值 “≥1200平方米”。
"""

from __future__ import annotations

from collections.abc import Iterable

from jixiao.findings import Severity
from jixiao.rules.registry import Context, Hit, rule

_LABELS = {"target": "年度指标值", "actual": "实际完成值"}


@rule("V001", "placeholder-left", Severity.ERROR, "年度指标值或实际完成值是占位内容",
    needs=("indicators", "targets"),
    reads=())
def check(ctx: Context) -> Iterable[Hit]:
    """Placeholder text left in targets or actuals."""
    for ind in ctx.model.indicators:
        for key, label in _LABELS.items():
            fld = getattr(ind, key)
            if fld.qty.kind == "placeholder":
                yield Hit(fld.loc, f"{label}“{fld.text}”是模板占位内容，请填写实际内容", None, fld.text)
