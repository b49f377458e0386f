"""Console overview of a batch: one row per workbook (worst first), totals, most frequent rules."""

from __future__ import annotations

from pathlib import Path

from rich import box
from rich.table import Table
from rich.text import Text

from jixiao.findings import Report, WorkbookResult
from jixiao.report.base import register
from jixiao.report.console import fmt, make_console, status_text
from jixiao.rules.registry import load_rules

_RANK = {"unreadable": 0, "errors": 1, "warnings": 2, "clean": 3}


def worst_first(report: Report) -> list[WorkbookResult]:
    """Unreadable, then most errors, then most warnings; ties by path."""
    return sorted(report.workbooks, key=lambda w: (_RANK.get(w.status, 9), -w.errors, -w.warnings, w.path))


def overview_table(report: Report) -> Table:
    """One row per workbook."""
    table = Table(title="检查结果一览", box=box.SIMPLE_HEAD, title_justify="left")
    for header, justify in (("文件", "left"), ("主管部门/实施单位", "left"), ("项目名称", "left"),
                            ("自评总分", "right"), ("重算总分", "right"), ("自评等级", "center"),
                            ("重算等级", "center"), ("错误", "right"), ("警告", "right"), ("状态", "left")):
        table.add_column(header, justify=justify, overflow="fold")  # type: ignore[arg-type]
    for w in worst_first(report):
        s = w.score
        owner = " / ".join(v for v in (w.project.get("department"), w.project.get("unit")) if v)
        grade_style = "bold red" if s and s.claimed_grade and s.claimed_grade != s.recomputed_grade else ""
        table.add_row(Text(w.short_name), Text(owner), Text(w.project.get("name", "")),
                      fmt(s.claimed_total) if s else "", fmt(s.recomputed_total) if s else "",
                      Text(s.claimed_grade_text or "") if s else "",
                      Text(s.recomputed_grade or "", style=grade_style) if s else "",
                      Text(str(w.errors), style="red" if w.errors else ""),
                      Text(str(w.warnings), style="yellow" if w.warnings else ""),
                      status_text(w.status) if not w.error else Text.assemble(status_text(w.status), "：",
                                                                              Text(w.error)))
    return table


def totals_line(report: Report) -> Text:
    """How many were checked, clean, with errors, unreadable."""
    c = report.counts()
    what = f"{c['total']} 个文件" if c["total"] == c["files"] else f"{c['total']} 张表（{c['files']} 个文件）"
    return Text(f"共 {what}：通过 {c['clean']}，仅有警告 {c['warnings']}，"
                f"有错误 {c['errors']}，无法读取 {c['unreadable']}。")


def top_codes_table(report: Report, limit: int = 10) -> Table | None:
    """The most frequent rule codes with their Chinese summary."""
    counts = report.code_counts()[:limit]
    if not counts:
        return None
    rules = load_rules()
    table = Table(title=f"出现最多的问题（前 {limit} 项）", box=box.SIMPLE_HEAD, title_justify="left")
    for header in ("代码", "次数", "说明"):
        table.add_column(header)
    for code, n in counts:
        table.add_row(code, str(n), Text(rules[code].summary if code in rules else ""))
    return table


@register("overview")
class OverviewReporter:
    """Prints the batch overview to standard output."""

    def write(self, report: Report, target: Path | None) -> None:
        """Print ``report``'s overview."""
        console = make_console()
        console.print(overview_table(report))
        console.print(totals_line(report))
        top = top_codes_table(report)
        if top is not None:
            console.print(top)
