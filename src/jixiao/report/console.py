"""Console reporter: a rich table of findings and a scorecard per workbook.

Text from workbooks is always wrapped in ``Text`` so cell content like ``[bold red]`` prints literally.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from jixiao.findings import STATUS_LABELS, Report, ScoreSummary, Severity, WorkbookResult
from jixiao.incidents import Incident
from jixiao.report.base import attempt, register
from jixiao.values import plain_number

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
_STATUS_STYLE = {"clean": "green", "warnings": "yellow", "errors": "bold red", "unreadable": "bold magenta"}


fmt = plain_number  # a value as a person writes it: 15.0 → 15, None → ''


DEFAULT_WIDTH = 160  # when piped and COLUMNS is not set


def make_console(file: Any = None) -> Console:
    """A console as wide as COLUMNS says (also when piped), else the terminal, else 160 columns."""
    import os

    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) >= 40:
        return Console(file=file, highlight=False, emoji=False, width=int(columns), soft_wrap=False)
    console = Console(file=file, highlight=False, emoji=False, soft_wrap=False)
    if not console.is_terminal:
        console = Console(file=file, highlight=False, emoji=False, width=DEFAULT_WIDTH, soft_wrap=False)
    return console


def middle(text: str, width: int) -> str:
    """``text`` shortened in the middle to ``width`` columns (“01_南县公…专项.xlsx”), the ends kept; CJK and
    full-width characters take two columns."""
    from rich.cells import cell_len

    if cell_len(text) <= width:
        return text
    budget = width - 1  # the “…”
    left, right, used, used_head, used_tail = 0, len(text) - 1, 0, 0, 0
    while left <= right:
        take_head = used_head <= used_tail
        ch = text[left] if take_head else text[right]
        if used + cell_len(ch) > budget:
            if take_head and used + cell_len(text[right]) <= budget:  # the head is full; the tail may fit
                ch, take_head = text[right], False
            else:
                break
        used += cell_len(ch)
        if take_head:
            used_head += cell_len(ch)
            left += 1
        else:
            used_tail += cell_len(ch)
            right -= 1
    return text[:left] + "…" + text[right + 1:]


_BIDI = frozenset(range(0x202A, 0x202F)) | frozenset(range(0x2066, 0x206A)) | {0x200E, 0x200F, 0x061C}


def safe(value: object) -> str:
    """Workbook text made harmless for a terminal, on one line: a newline shows as ⏎, other control
    characters (ESC, BEL, bidi overrides …) as ``\\x1b``-style escapes, so cell text can neither move the
    cursor, recolour the screen nor forge a report line."""
    text = "" if value is None else str(value)
    if text.isprintable():
        return text
    out = []
    for ch in text:
        code = ord(ch)
        if ch in "\r\n":
            out.append("⏎")
        elif ch == "\t":
            out.append(" ")
        elif code < 0x20 or 0x7F <= code < 0xA0:
            out.append(f"\\x{code:02x}")
        elif code in _BIDI or code in (0x2028, 0x2029):
            out.append(f"\\u{code:04x}")
        else:
            out.append(ch)
    return "".join(out)


def T(value: object, style: str = "") -> Text:
    """Workbook text as a rich Text: never markup, never a control sequence."""
    return Text(safe(value), style=style)


def status_text(status: str) -> Text:
    """A workbook status in Chinese, coloured."""
    return Text(STATUS_LABELS.get(status, status), style=_STATUS_STYLE.get(status, ""))


def findings_table(wb: WorkbookResult) -> Table:
    """One row per finding."""
    table = Table(box=box.SIMPLE_HEAD, show_lines=False, expand=False)
    for header in ("代码", "级别", "位置", "问题", "应为", "实际"):
        table.add_column(header, overflow="fold")
    for f in wb.findings:
        level = Text(f.severity.label, style=_STYLE[f.severity]) if not f.accepted else T(
            f"已接受：{f.accepted}", style="dim")
        table.add_row(Text(f.code), level, T(f.where), T(f.message), T(fmt(f.expected)), T(fmt(f.actual)))
    return table


def score_table(score: ScoreSummary) -> Table:
    """Claimed vs recomputed per category, total and grade."""
    table = Table(title="得分核对", box=box.SIMPLE_HEAD, title_justify="left")
    for header in ("类别", "分值", "自评得分", "重算得分", "差异"):
        table.add_column(header, justify="right" if header != "类别" else "left")

    def diff(gap: float | None) -> Text:  # the report's own difference, only shown
        if not gap:
            return Text("")
        return Text(fmt(round(gap, 4)), style="red" if gap > 0 else "yellow")

    for c in score.categories:
        table.add_row(T(c.name), fmt(c.weight), fmt(c.claimed), fmt(c.recomputed), diff(c.difference))
    approved = score.approved_total is not None  # --targets: both totals, by the written and the approved targets
    table.add_row(Text("总分（按自填目标）" if approved else "总分", style="bold"), "", fmt(score.claimed_total),
                  fmt(score.recomputed_total), diff(score.difference))
    grade = T(score.claimed_grade_text or "")
    if score.claimed_grade and score.claimed_grade_text != score.claimed_grade:
        grade.append(f"（{score.claimed_grade}）")
    style = "" if score.claimed_grade == score.recomputed_grade else "bold red"
    table.add_row(Text("等级", style="bold"), "", grade, Text(score.recomputed_grade or "", style=style), "")
    if approved:
        table.add_row(Text("总分（按批复目标）", style="bold"), "", fmt(score.claimed_total), fmt(score.approved_total),
                      diff(score.approved_difference))
        style = "" if score.claimed_grade in (None, score.approved_grade) else "bold red"
        table.add_row(Text("等级（按批复目标）", style="bold"), "", grade.copy(),
                      Text(score.approved_grade or "", style=style), "")
    return table


def print_targets(console: Console, report: Report) -> None:
    """What --targets found beyond the tables: approved projects no self-evaluation answered, and target
    files that could not be read."""
    meta = report.targets
    if meta is None:
        return
    unanswered, unreadable = meta.unanswered, meta.unreadable
    console.print(T(f"批复的绩效目标表：{meta.source}，{meta.approvals} 个项目，"
                    f"{len(unanswered)} 个没有收到自评表"))
    for a in unanswered:
        about = " / ".join(x for x in (a.get("year"), a.get("department") or a.get("unit"), a.get("name")) if x)
        code = f"［{a['code']}］" if a.get("code") else ""
        console.print(T(f"  没有收到自评表：{code}{about}（{Path(str(a['path'])).name}）"), style="yellow")
    for entry in unreadable:
        console.print(T(f"  目标表无法读取：{Path(str(entry['path'])).name}：{entry['error']}"), style="magenta")


def print_sample(console: Console, report: Report) -> None:
    """The 复核 sample (--sample): how many, the seed to repeat it, and each table picked with why."""
    sample = report.sample
    if sample is None:
        return
    changes = sum(p.why == "等级变化" for p in sample.picked)
    console.print(T(f"复核抽查（{sample.asked}，种子 {sample.seed}）：{len(sample.picked)} 张，其中等级变化 {changes} 张、"
                    f"加权抽取 {len(sample.picked) - changes} 张（同一文件夹加 --seed {sample.seed} 可重复这次抽样）"))
    reasons = {(w.path, w.sheet): w.stake.reason for w in report.workbooks if w.stake}
    for n, p in enumerate(sample.picked, start=1):
        name = Path(p.path).name + (f"［{p.sheet}］" if p.sheet else "")
        console.print(T(f"  {n}. {name}：{p.why}；{reasons.get((p.path, p.sheet), '')}"), no_wrap=True,
                      overflow="ellipsis", crop=True)


def print_workbook(console: Console, wb: WorkbookResult) -> None:
    """Everything about one workbook. Built first and printed at once, so a failure leaves no half block."""
    from rich.console import Group, RenderableType

    parts: list[RenderableType] = [Text.assemble(("■ ", "bold"), (safe(wb.name), "bold"), "  ",
                                                 status_text(wb.status))]
    parts += _incident_lines(wb)
    if wb.error:
        parts.append(T(f"  无法读取：{wb.error}", style="magenta"))
        console.print(Group(*parts))
        return
    project = " / ".join(v for v in (wb.project.get("year"), wb.project.get("department"),
                                     wb.project.get("unit"), wb.project.get("name")) if v)
    if project:
        parts.append(T("  " + project))
    if wb.findings:
        parts.append(findings_table(wb))
        parts.append(Text(f"  错误 {wb.errors} 项，警告 {wb.warnings} 项"))
    elif not wb.incidents:
        parts.append(Text("  未发现问题", style="green"))
    if wb.score:
        parts.append(score_table(wb.score))
    console.print(Group(*parts))


def _incident_lines(wb: WorkbookResult) -> list[Text]:
    """The steps that could not be done for this table (an unreadable file's reason already says it)."""
    return [T(f"  {i.message}", style="magenta") for i in wb.incidents if not (wb.error and i.message == wb.error)]


@register("console")
class ConsoleReporter:
    """Prints each workbook's findings and scorecard to standard output."""

    def write(self, report: Report, target: Path | None) -> None:
        """Print ``report`` to standard output (``target`` is not used: the console has no file)."""
        console = make_console()
        for wb in list(report.workbooks):
            failed = attempt(report, "console", wb, partial(print_workbook, console, wb))
            if isinstance(failed, Incident):
                console.print(T(f"  {failed.message}", style="magenta"))
            console.print()
        if len(report.workbooks) == 1:  # several workbooks: the overview ends with the totals instead
            (wb,) = report.workbooks
            verdict = {"clean": "未发现问题", "warnings": "只有警告", "errors": "有错误（见上表）",
                       "unreadable": "无法读取"}[wb.status]
            console.print(Text(f"结论：{verdict}。"))
            print_targets(console, report)
            print_sample(console, report)
