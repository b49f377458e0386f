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

from jixiao.findings import Severity, WorkbookResult
from jixiao.rules.registry import BatchContext, Hit, batch_rule

_FIELDS = (("target", "指标值"), ("actual", "完成值"), ("weight", "分值"), ("score", "得分"))


def _key(result: WorkbookResult) -> tuple[str, str]:
    from jixiao.pair import project_key

    return result.project.get("year", ""), project_key(result.project.get("name", ""))


def _shown(row: dict[str, Any], key: str) -> Any:
    """A value as the table writes it: the text of a target or actual, a 分值/得分 as a number (15, not 15.0)."""
    if key in ("target", "actual"):
        return row[f"{key}_text"]
    value = row[key]
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _same(a: Any, b: Any, tolerance: float) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return abs(a - b) <= tolerance
    return bool(a == b)


@batch_rule("R001", "report-workbook", Severity.ERROR, "自评报告与同一项目的自评表不一致")
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
        name = book.path.replace("\\", "/").rsplit("/", 1)[-1]
        theirs = {row["key"]: row for row in book.facts["indicators"]}
        for mine in report.facts["indicators"]:
            other = theirs.get(mine["key"])
            if other is None:
                yield i, Hit(mine["at"]["name"], f"报告中的指标“{mine['name']}”在自评表（{name}）中没有",
                             None, mine["name"], name)
                continue
            for key, label in _FIELDS:
                if not _same(mine[key], other[key], ctx.profile.amount_tolerance):
                    said, theirs_said = _shown(mine, key), _shown(other, key)
                    yield i, Hit(mine["at"][key], f"“{mine['name']}”的{label}报告写 {said}，自评表（{name} "
                                 f"{other['at'][key]}）写 {theirs_said}", theirs_said, said, f"{name} {other['at'][key]}")
        total, their_total = report.facts["total"], book.facts["total"]
        if total is not None and their_total is not None and not _same(total, their_total, ctx.profile.amount_tolerance):
            yield i, Hit(report.facts["total_at"], f"报告的自评总分 {total:g}，自评表（{name} {book.facts['total_at']}）"
                         f"写 {their_total:g}", their_total, total, f"{name} {book.facts['total_at']}")
