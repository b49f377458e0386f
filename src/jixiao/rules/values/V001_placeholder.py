"""V001 模板占位内容未替换。

依据：指标名称、年度指标值、实际完成值中残留“≥**平方米”“指标1:”“……”等占位文字，说明该指标并未真正设定或填报。

反例::

    年度指标值 “≥**平方米”，三级指标 “指标1:”。

正例::

    年度指标值 “≥1200平方米”，三级指标 “新建校舍面积”。
"""

from __future__ import annotations

from collections.abc import Iterable

from jixiao.findings import Severity
from jixiao.rules.registry import Context, Hit, rule

_LABELS = {"name": "三级指标", "target": "年度指标值", "actual": "实际完成值"}


@rule("V001", "placeholder-left", Severity.ERROR, "模板占位内容未替换")
def check(ctx: Context) -> Iterable[Hit]:
    """Placeholder text left in names, targets or actuals."""
    for ind in ctx.model.indicators:
        for key, label in _LABELS.items():
            fld = getattr(ind, key)
            if fld.qty.kind == "placeholder":
                yield Hit(fld.loc, f"{label}“{fld.text}”是模板占位内容，请填写实际内容", None, fld.text)
