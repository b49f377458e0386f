"""Annotated copies (``--annotate DIR``): each checked workbook back to its agency with the problems marked.

For every workbook with findings (every workbook with ``--annotate-all``), a copy under DIR mirrors the
input's path relative to the checked folder, named ``原名.检查结果.xlsx``. In the copy each finding's cell
is filled (errors red, warnings amber) and carries an Excel comment (code, message, 应为 / 实际); a first
sheet 检查结果 holds the scorecard of each table and every finding with a link to its cell. Nothing else
is changed: the copy is the input as openpyxl reads and writes it (values, formats, merged ranges, data
validations, column widths, print setup). An .xls or .ods input has no such round trip: its copy is an
.xlsx rebuilt from the values and merged ranges (检查结果 says so). The input is only read; the copy is
written atomically. The reporter formats what the report says; it computes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from jixiao.atomic import save_atomic
from jixiao.findings import STATUS_LABELS, Copies, Finding, Report, Severity, WorkbookResult
from jixiao.incidents import Incident
from jixiao.outputs import copy_path, root_of
from jixiao.report import paper, xls_look
from jixiao.report.base import attempt

SHEET = "检查结果"
FILLS = {Severity.ERROR: PatternFill("solid", fgColor="FFC7CE"),
         Severity.WARNING: PatternFill("solid", fgColor="FFEB9C")}
_BOLD = Font(bold=True)
_LINK = Font(color="0563C1", underline="single")
OPENPYXL_SUFFIXES = (".xlsx", ".xlsm")
_WIDTHS = (14, 10, 22, 60, 16, 16)  # 代码 | 级别 | 位置 | 问题 | 应为 | 实际: 138 columns, A4 landscape at full size


def comment_text(findings: Sequence[Finding]) -> str:
    """The comment at one place (a cell, a run of a report): each finding's code, level, message, 应为 / 实际."""
    parts = []
    for f in findings:
        lines = [f"[jixiao {f.code} {f.severity.label}] {f.message}"]
        if f.expected is not None or f.actual is not None:
            lines.append(f"应为：{'' if f.expected is None else f.expected}　实际：{'' if f.actual is None else f.actual}")
        parts.append("\n".join(lines))
    return "\n\n".join(parts)


def worst(findings: Sequence[Finding]) -> Severity:
    """The most serious level among ``findings`` (what a marked place is coloured by)."""
    order = list(Severity)
    return min((f.severity for f in findings), key=order.index)


def _merged_at(ws: Worksheet, refs: Iterable[str]) -> dict[str, CellRange]:
    """The merged range each of ``refs`` lies in (those that lie in one): refs sorted by row, each range
    looked up by bisection, so a sheet with many merges costs ranges × log(findings)."""
    import bisect

    cells = sorted((coordinate_to_tuple(ref), ref) for ref in refs)
    rows = [rc[0] for rc, _ in cells]
    out: dict[str, CellRange] = {}
    for rng in ws.merged_cells.ranges:
        start = bisect.bisect_left(rows, rng.min_row)
        for (row, col), ref in cells[start:bisect.bisect_right(rows, rng.max_row)]:
            if rng.min_col <= col <= rng.max_col and row >= rng.min_row:
                out[ref] = rng
    return out


def _mark(ws: Worksheet, findings: list[Finding]) -> set[Finding]:
    """Fill each finding's cell and put its text in the cell's comment (one comment per cell). A finding on a
    merged cell marks the whole range and comments its top-left cell (the only one that can hold a comment).
    Returns the findings whose place could not be marked (they are still listed on 检查结果)."""
    by_cell: dict[str, list[Finding]] = {}
    unmarked: set[Finding] = set()
    for f in findings:
        if f.cell and _A1.fullmatch(f.cell):
            by_cell.setdefault(f.cell, []).append(f)
        else:
            unmarked.add(f)
    merged = _merged_at(ws, by_cell)
    places: dict[str, tuple[CellRange | None, list[Finding]]] = {}
    for ref, group in by_cell.items():
        rng = merged.get(ref)
        top = rng.start_cell.coordinate if rng is not None else ref
        places.setdefault(top, (rng, []))[1].extend(group)
    for ref, (rng, group) in places.items():
        try:
            level = worst(group)
            if level in FILLS:
                for row, col in rng.cells if rng is not None else (coordinate_to_tuple(ref),):
                    ws.cell(row=row, column=col).fill = FILLS[level]
            cell = ws[ref]
            text = comment_text(group)
            if cell.comment is not None:
                text = f"{cell.comment.text}\n\n{text}"
            comment = Comment(text, "jixiao")
            comment.width, comment.height = 320, min(60 + 60 * len(group), 400)
            cell.comment = comment
        except (ValueError, AttributeError, IndexError, KeyError):  # a place openpyxl cannot address
            unmarked.update(group)
    return unmarked


_A1 = re.compile(r"\$?[A-Z]{1,3}\$?[1-9]\d{0,6}")


def _rebuild(path: Path) -> tuple[Workbook, bool]:
    """An .xls/.ods input as an .xlsx workbook: values at their cells, merged ranges as they were, and (an .xls)
    its column widths, row heights, lines, fonts and alignment; returns the workbook and whether the look was
    kept."""
    from jixiao.read.excel import read_workbook

    raw = read_workbook(path)
    wb = Workbook()
    assert wb.active is not None
    wb.remove(wb.active)
    sheets = []
    for name in raw.names:
        ws = wb.create_sheet(name[:31])
        sheets.append(ws)
        grid = raw.sheets.get(name, [])
        merged = raw.merged.get(name, {})
        for r, row in enumerate(grid):
            for c, value in enumerate(row):
                if value is not None and (r, c) not in merged:
                    cell = ws.cell(row=r + 1, column=c + 1, value=value)
                    if isinstance(value, str):
                        cell.data_type = "s"
        boxes: dict[tuple[int, int], tuple[int, int]] = {}
        for (r, c), (r0, c0) in merged.items():
            r1, c1 = boxes.get((r0, c0), (r0, c0))
            boxes[(r0, c0)] = (max(r1, r), max(c1, c))
        for (r0, c0), (r1, c1) in boxes.items():
            ws.merge_cells(start_row=r0 + 1, start_column=c0 + 1, end_row=r1 + 1, end_column=c1 + 1)
    kept = path.suffix.lower() == ".xls" and xls_look.copy_look(path, sheets)
    return wb, kept


def _fit_width(ws: Worksheet, marked: bool) -> None:
    """The copy's own sheets print one page wide (their paper and orientation as the input set them; A4 when it
    set none, across the page when the sheet is wide), the comments jixiao added printed after the sheet."""
    paper.one_page_wide(ws, comments=marked)
    if ws.page_setup.paperSize is None:
        ws.page_setup.paperSize = paper.A4
        wide = sum(d.width or 8.43 for d in ws.column_dimensions.values()) > 110
        if wide and ws.page_setup.orientation is None:  # a wide form with no page set up of its own
            ws.page_setup.orientation = "landscape"


def _put_row(ws: Worksheet, row: int, values: Iterable[Any], font: Font | None = None, span: bool = False) -> None:
    """One row of 检查结果, as tall as its wrapped text; ``span``: the second value (a sentence: the file's name,
    a note, a reason) across the columns to the right."""
    values = list(values)
    for col, value in enumerate(values, start=1):
        cell = ws.cell(row=row, column=col, value=value)
        if isinstance(value, str):
            cell.data_type = "s"  # agency text is never a formula
        if font is not None:
            cell.font = font
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    widths: Sequence[float] = _WIDTHS
    if span and len(values) == 2:
        ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=len(_WIDTHS))
        widths = (_WIDTHS[0], sum(_WIDTHS[1:]))
    height = paper.row_height(values, widths, (font.sz or 11.0) if font is not None else 11.0)
    if height is not None:
        ws.row_dimensions[row].height = height


def _fmt(value: float | None) -> float | str:
    return "" if value is None else value


def _results_sheet(wb: Workbook, source: Path, tables: list[WorkbookResult], plain: bool, rebuilt: bool, shown: str,
                   unmarked: set[Finding]) -> None:
    title = SHEET if SHEET not in wb.sheetnames else f"{SHEET}（jixiao）"
    ws = wb.create_sheet(title, 0)
    for col, width in enumerate(_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    row = 1
    ws.cell(row=row, column=1, value="jixiao 检查结果").font = Font(bold=True, size=14)
    row += 1
    _put_row(ws, row, ("文件", shown), span=True)
    row += 1
    if plain:
        _put_row(ws, row, ("说明", f"原文件为 {source.suffix} 格式，本副本另存为 .xlsx：保留了各单元格的值和合并单元格，"
                                   "字体、边框、列宽等格式未保留。请在原文件中修改。"), span=True)
        row += 1
    elif rebuilt:
        _put_row(ws, row, ("说明", f"原文件为 {source.suffix} 格式，本副本另存为 .xlsx（保留了值、合并单元格、列宽、行高、"
                                   "边框和字体）。请在原文件中修改。"), span=True)
        row += 1
    _put_row(ws, row, ("说明", "有问题的单元格已标色（红：错误，黄：警告）并加了批注；点击下表“位置”可跳到该单元格。"
                               "“应为”是按评分规则重算的值。"), span=True)
    row += 2
    for table in tables:
        heading = f"工作表“{table.sheet}”" if table.sheet else "自评表"
        name = table.project.get("name", "")
        _put_row(ws, row, (heading, STATUS_LABELS.get(table.status, table.status), name), _BOLD)
        row += 1
        if table.error:
            _put_row(ws, row, ("无法读取", table.error), span=True)
            row += 2
            continue
        for found in table.incidents:  # a step that could not be done for this table
            _put_row(ws, row, ("未完成", found.message), span=True)
            row += 1
        if table.score is not None:
            _put_row(ws, row, ("类别", "分值", "自评得分", "重算得分"), _BOLD)
            row += 1
            for c in table.score.categories:
                _put_row(ws, row, (c.name, _fmt(c.weight), _fmt(c.claimed), _fmt(c.recomputed)))
                row += 1
            s = table.score
            _put_row(ws, row, ("总分", "", _fmt(s.claimed_total), _fmt(s.recomputed_total)), _BOLD)
            row += 1
            _put_row(ws, row, ("等级", "", s.claimed_grade_text or "", s.recomputed_grade or ""), _BOLD)
            row += 2
        if not table.findings:
            _put_row(ws, row, ("未发现问题",))
            row += 2
            continue
        _put_row(ws, row, ("代码", "级别", "位置", "问题", "应为", "实际"), _BOLD)
        row += 1
        for f in table.findings:
            where = f"{f.where}（未能在表中标出）" if f in unmarked else f.where
            _put_row(ws, row, (f.code, f.severity.label, where, f.message, _fmt(f.expected), _fmt(f.actual)))
            link = ws.cell(row=row, column=3)
            if f.sheet and f.cell and f.sheet in wb.sheetnames and f not in unmarked:
                link.hyperlink = Hyperlink(ref=link.coordinate, location=f"'{f.sheet}'!{f.cell}")
                link.font = _LINK
            if f.severity in FILLS:
                ws.cell(row=row, column=2).fill = FILLS[f.severity]
            row += 1
        row += 1
    ws.freeze_panes = "A2"
    # On paper (clerks print it, stamp it and attach it): A4 landscape, one page wide, each row as tall as its text.
    paper.setup_openpyxl(ws, landscape=True)
    wb.active = 0


def annotate(source: Path, tables: list[WorkbookResult], target: Path, shown: str | None = None) -> Path:
    """Write the annotated copy of ``source`` (its tables' findings) to ``target``; returns it. ``shown`` is
    the file's name as its sender knows it (``jixiao serve`` keeps uploads under names of its own)."""
    if source.suffix.lower() == ".docx":  # a 自评报告: Word comments on the text, the rest unchanged
        from jixiao.report.annotated_docx import annotate_docx

        return annotate_docx(source, tables, target)
    rebuilt = source.suffix.lower() not in OPENPYXL_SUFFIXES
    wb, look = _rebuild(source) if rebuilt else (load_workbook(source), True)
    findings = [f for t in tables for f in t.findings]
    unmarked = {f for f in findings if f.sheet not in wb.sheetnames}  # e.g. a report's place, a lost sheet
    for sheet in wb.worksheets:
        here = [f for f in findings if f.sheet == sheet.title]
        if here:
            unmarked |= _mark(sheet, here)
    for sheet in wb.worksheets:
        sheet.sheet_view.tabSelected = False
        _fit_width(sheet, any(f.sheet == sheet.title for f in findings))
    _results_sheet(wb, source, tables, rebuilt and not look, rebuilt, shown or source.name, unmarked)
    return save_atomic(wb, target)


def write_copies(report: Report, folder: Path, everything: bool = False,
                 shown: Mapping[str, str] | None = None) -> Copies:
    """One annotated copy per workbook with findings (every readable one with ``everything``) under
    ``folder``, mirroring the inputs' paths. Each file's copy is made on its own: one that fails is recorded on
    the file's (first) table with the reason, and the other copies are written. ``shown``: the name each path
    had for its sender (``jixiao serve``)."""
    by_file: dict[str, list[WorkbookResult]] = {}
    for result in report.workbooks:
        by_file.setdefault(result.path, []).append(result)
    root = root_of(by_file)
    written: dict[str, str] = {}
    for path, tables in by_file.items():
        if all(t.status == "unreadable" and t.sheet is None for t in tables):
            continue  # nothing was read: there is nothing to mark
        if not everything and not any(t.findings or t.status == "unreadable" or t.incidents for t in tables):
            continue
        copy = attempt(report, "annotate", tables[0], partial(annotate, Path(path), tables,
                                                             copy_path(path, root, folder), (shown or {}).get(path)))
        if not isinstance(copy, Incident):
            written[path] = str(copy)
    return Copies(str(folder), everything, written)
