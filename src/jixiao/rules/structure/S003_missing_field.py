"""S003 必填项未填写。

依据：年度、项目名称、主管部门、实施单位、自评等级是自评表表头的必填内容；“年度资金总额”行是计算预算执行率的依据；
打分的表还必须写出总分和年度资金总额行的得分（不填就无从核对等级，也不能替单位补上一个总分）。表在指标之后就结束的，
S012 说一次，这里不再报“没有总分”。
必填项由版式决定（官方表没有“自评等级”一栏的，不要求填写；不打分的表不要求总分）。

反例：

    “实施单位”一栏空着；项目资金表删掉了“年度资金总额”行。

正例：

    所有必填项都已填写。
"""

from __future__ import annotations

from collections.abc import Iterable

from jixiao.findings import Severity
from jixiao.model import INFO_LABELS, ProblemKind
from jixiao.rules.registry import Context, Hit, ends_early, problems, rule


@rule("S003", "missing-field", Severity.ERROR, "必填项未填写",
    needs=(),
    reads=())
def check(ctx: Context) -> Iterable[Hit]:
    """Required header fields that are blank, and required rows the importer missed."""
    model = ctx.model
    yield from problems(ctx, ProblemKind.MISSING_ROW)
    anchor = model.anchor("info")
    if model.has_problem(ProblemKind.MISSING_SHEET, anchor.sheet):
        return  # the sheet holding the header fields is missing: S001 says so
    if model.scored and not model.unusable & {"scores", "indicators"}:
        total = model.total
        if total is None and model.total_required and ends_early(ctx) is None:
            yield Hit(model.anchor("total"), "表中没有“总分”", "必填", None)
        elif total is not None and total.blank and total.formula is None:  # an uncomputed formula is V004's
            yield Hit(total.loc, "“总分”未填写", "必填", None)
        budget = model.funds.get("total")
        if budget is not None and budget.score.loc.cell and budget.score.blank and budget.score.formula is None:
            yield Hit(budget.score.loc, "年度资金总额行的“得分”未填写", "必填", None)
    absent = [INFO_LABELS[key] for key in model.required if key not in model.info]
    if absent:  # labels the table does not have at all: one cause (a header part left out or cut off), said once
        names = "”“".join(absent)
        yield Hit(anchor, f"表中缺少“{names}”{'一项' if len(absent) == 1 else '这几项'}", "必填", None)
    for key in model.required:
        value = model.info.get(key)
        if value is not None and value.blank:
            yield Hit(value.loc, f"“{INFO_LABELS[key]}”未填写", "必填", None)
