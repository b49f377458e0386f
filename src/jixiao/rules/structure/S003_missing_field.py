"""S003 必填项未填写。

依据：年度、项目名称、主管部门、实施单位、自评等级是自评表表头的必填内容；“年度资金总额”行是计算预算执行率的依据。
必填项由版式决定（官方表没有“自评等级”一栏的，不要求填写）。

反例::

    “实施单位”一栏空着；项目资金表删掉了“年度资金总额”行。

正例::

    所有必填项都已填写。
"""

from __future__ import annotations

from collections.abc import Iterable

from jixiao.findings import Severity
from jixiao.model import INFO_LABELS, ProblemKind
from jixiao.rules.registry import Context, Hit, problems, rule


@rule("S003", "missing-field", Severity.ERROR, "必填项未填写")
def check(ctx: Context) -> Iterable[Hit]:
    """Required header fields that are blank, and required rows the importer missed."""
    model = ctx.model
    yield from problems(ctx, ProblemKind.MISSING_ROW)
    anchor = model.anchor("info")
    if model.has_problem(ProblemKind.MISSING_SHEET, anchor.sheet):
        return  # the sheet holding the header fields is missing: S001 says so
    for key in model.required:
        label = INFO_LABELS[key]
        value = model.info.get(key)
        if value is None:
            yield Hit(anchor, f"表中缺少“{label}”一项", "必填", None)
        elif value.blank:
            yield Hit(value.loc, f"“{label}”未填写", "必填", None)
