"""R001 自评报告与同一项目的自评表不一致。

依据：单位报送的自评报告和自评表说的是同一个项目、同一年度：报告里写的指标值、完成值、分值、得分和总分，应与自评表一致。
一起检查（``jixiao check 报告.docx 自评表.xlsx``，或在同一文件夹中按项目名称、年度对上）时，逐个指标比较，不一致的指出
报告中的位置和自评表中的单元格。

反例：

    报告中“后续运维到位率 得分 15分”，自评表中同一指标得分 14.7。

正例：

    报告与自评表的每个数字一致。
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from jixiao.findings import Facts, Severity, Stated, WorkbookResult
from jixiao.rules.registry import BatchContext, Hit, batch_rule

_FIELDS = (("target", "指标值"), ("actual", "完成值"), ("weight", "分值"), ("score", "得分"))


def _key(result: WorkbookResult) -> tuple[str, str]:
    from jixiao.pair import project_key

    return result.project.get("year", ""), project_key(result.project.get("name", ""))


def _shown(row: Stated, key: str) -> Any:
    """A value as the table writes it: the text of a target or actual, a 分值/得分 as a number (15, not 15.0)."""
    if key in ("target", "actual"):
        return getattr(row, f"{key}_text")
    value = getattr(row, key)
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _same(a: Any, b: Any, tolerance: float) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return abs(a - b) <= tolerance
    return bool(a == b)


@batch_rule("R001", "report-workbook", Severity.ERROR, "自评报告与同一项目的自评表不一致",
            needs=(),
            reads=("scoring.amount_tolerance",))
def check(ctx: BatchContext) -> Iterable[tuple[int, Hit]]:
    """Each report against the one workbook of the same project and year in the run."""
    sheets: dict[tuple[str, str], list[int]] = {}
    for i, r in enumerate(ctx.results):
        if r.facts is not None and r.layout not in (None, "report"):
            sheets.setdefault(_key(r), []).append(i)
    for i, report in enumerate(ctx.results):
        if report.layout != "report" or report.facts is None or not report.project.get("name"):
            continue
        matches = sheets.get(_key(report), [])
        if len(matches) != 1:
            continue
        book = ctx.results[matches[0]]
        assert book.facts is not None
        yield from ((i, hit) for hit in _compare(report.facts, book.facts, book.path, ctx.profile.amount_tolerance))


def _compare(mine: Facts, theirs: Facts, path: str, tolerance: float) -> Iterable[Hit]:
    name = path.replace("\\", "/").rsplit("/", 1)[-1]
    by_key = {row.key: row for row in theirs.indicators}
    for row in mine.indicators:
        other = by_key.get(row.key)
        if other is None:
            yield Hit(row.at["name"], f"报告中的指标“{row.name}”在自评表（{name}）中没有", None, row.name, name)
            continue
        for key, label in _FIELDS:
            if not _same(getattr(row, key), getattr(other, key), tolerance):
                said, theirs_said = _shown(row, key), _shown(other, key)
                yield Hit(row.at[key], f"“{row.name}”的{label}报告写 {said}，自评表（{name} {other.at[key]}）写 "
                          f"{theirs_said}", theirs_said, said, f"{name} {other.at[key]}")
    total, their_total = mine.total, theirs.total
    if total is not None and their_total is not None and not _same(total, their_total, tolerance):
        yield Hit(mine.total_at, f"报告的自评总分 {total:g}，自评表（{name} {theirs.total_at}）写 {their_total:g}",
                  their_total, total, f"{name} {theirs.total_at}")
