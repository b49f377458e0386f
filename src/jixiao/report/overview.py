"""Console overview of a batch: one row per table in the officer's order (most at stake first, with the reason),
totals, the 复核 sample and the most frequent rules."""

from __future__ import annotations

from pathlib import Path

from rich import box
from rich.table import Table
from rich.text import Text

from jixiao.findings import Report, WorkbookResult
from jixiao.report.base import by_stake, register, totals_text
from jixiao.report.console import T, fmt, make_console, middle, print_sample, print_targets, safe, status_text
from jixiao.rules.registry import load_rules

# Columns of fixed width (content, without padding); the flexible ones share the rest of the line.
_FIXED = (("自评分", "right", 6), ("重算分", "right", 6), ("自评等级", "center", 8), ("重算等级", "center", 8),
          ("错误", "right", 4), ("警告", "right", 4), ("状态", "left", 8))
WIDE = 130  # below this the owner, project and grade columns are left out (the reason and the workbook have them)
_NARROW = ("自评分", "重算分", "错误", "警告", "状态")


def overview_table(report: Report, width: int = 160) -> Table:
    """One line per table in the officer's order (most at stake first), with the reason, fitting ``width``
    columns: long file names are shortened in the middle, other text cut at the end (the summary workbook has
    everything whole)."""
    wide = width >= WIDE
    flex_cols = (("文件", 0.32), ("主管部门/实施单位", 0.18), ("项目名称", 0.2), ("优先原因", 0.3)) if wide else (
        ("文件", 0.55), ("优先原因", 0.45))
    fixed = [c for c in _FIXED if wide or c[0] in _NARROW]
    columns = len(fixed) + len(flex_cols)
    # Padding (one each side, none at the outer edges) and one space between columns.
    room = max(24, width - sum(w for _, _, w in fixed) - (2 * columns - 2) - (columns - 1) - 1)
    flex = [max(8, int(room * share)) for _, share in flex_cols]
    table = Table(title="检查结果一览", box=box.SIMPLE_HEAD, title_justify="left", pad_edge=False)
    for (header, _), size in zip(flex_cols, flex, strict=True):
        table.add_column(header, no_wrap=True, overflow="ellipsis", width=size)
    for header, justify, size in fixed:
        table.add_column(header, justify=justify, no_wrap=True, overflow="ellipsis", width=size)  # type: ignore[arg-type]
    for w in by_stake(report):
        s = w.score
        owner = " / ".join(v for v in (w.project.get("department"), w.project.get("unit")) if v)
        grade_style = "bold red" if w.stake and w.stake.grade_change else ""
        unread = w.status == "unreadable"
        texts = [T(file_label(w, flex[0]))]
        if wide:
            texts += [T(owner), T(w.project.get("name", ""))]
        texts.append(T(w.stake.reason if w.stake else ""))
        grades = [T(s.claimed_grade_text or "") if s else "",
                  Text(s.recomputed_grade or "", style=grade_style) if s else ""] if wide else []
        table.add_row(*texts,
                      fmt(s.claimed_total) if s else "", fmt(s.recomputed_total) if s else "", *grades,
                      "" if unread else Text(str(w.errors), style="red" if w.errors else ""),
                      "" if unread else Text(str(w.warnings), style="yellow" if w.warnings else ""),
                      status_text(w.status))
    return table


def file_label(w: WorkbookResult, width: int) -> str:
    """The file's name and its sheet in ``width`` columns: each shortened in its middle when they do not fit,
    the name keeping its extension (“07_鄂州市…服务.xls［项目支…评表］”), the sheet given at most a third."""
    from rich.cells import cell_len

    name = safe(w.path.replace("\\", "/").rsplit("/", 1)[-1])
    sheet = f"［{safe(w.sheet)}］" if w.sheet else ""
    if cell_len(name) + cell_len(sheet) <= width:
        return name + sheet
    if sheet:
        sheet = f"［{middle(safe(w.sheet or ''), max(4, width // 3 - 4))}］"
    stem, dot, ext = name.rpartition(".")
    room = width - cell_len(sheet)
    if dot and len(ext) <= 5 and room > len(ext) + 4:
        return middle(stem, room - len(ext) - 1) + "." + ext + sheet
    return middle(name, max(1, room)) + sheet


def unreadable_lines(report: Report) -> list[Text]:
    """One line per table that could not be read: its name and the reason."""
    return [Text.assemble((f"{safe(w.short_name)}：", "bold magenta"), safe(w.error))
            for w in by_stake(report) if w.status == "unreadable"]


def totals_line(report: Report) -> Text:
    """How many were checked, clean, with errors, unreadable."""
    return Text(totals_text(report))


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
        console.print(overview_table(report, console.width))
        lines = unreadable_lines(report)
        if lines:
            console.print("无法读取：")
            for line in lines:
                console.print(line, no_wrap=True, overflow="ellipsis", crop=True)
        console.print(totals_line(report))
        print_targets(console, report)
        print_sample(console, report)
        top = top_codes_table(report)
        if top is not None:
            console.print(top)
