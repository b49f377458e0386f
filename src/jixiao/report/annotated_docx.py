"""The annotated copy of a 自评报告 (.docx): each finding as a Word comment on the text it is about, that text
highlighted (errors red, warnings yellow); nothing else in the document changes. python-docx writes it (the
reader parses the XML itself: read/docx.py). The input is only read; the copy is written atomically.

Where a finding points: ``表N`` + an A1 cell (table N, that row and column: the cell's text), or ``第N段`` +
the quoted phrase (the runs of paragraph N that hold the phrase; the whole paragraph when the phrase is
spread over the runs in a way that cannot be told apart).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from jixiao.atomic import save_atomic
from jixiao.findings import Finding, Severity, WorkbookResult

_A1 = re.compile(r"^([A-Z]+)(\d+)$")
_PARAGRAPH = re.compile(r"^第(\d+)段$")
_TABLE = re.compile(r"^表(\d+)$")


def _column(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _cell_at(table: Any, row: int, col: int) -> Any | None:
    """The cell at ``row``, grid column ``col`` of a python-docx table, found the way the reader counts them
    (each ``w:tc`` of the row in turn, as wide as its gridSpan): a ragged row, one shorter than the grid,
    neither shifts the cells of the rows below nor fails. None when the row or column is not there."""
    from docx.table import _Cell

    rows = table._tbl.tr_lst
    if row >= len(rows):
        return None
    c = 0
    for tc in rows[row].tc_lst:
        span = tc.grid_span if isinstance(tc.grid_span, int) and tc.grid_span > 0 else 1
        if c <= col < c + span:
            return _Cell(tc, table)
        c += span
    return None


def _runs_of_table_cell(doc: Any, f: Finding) -> list[Any]:
    table = _TABLE.match(f.sheet or "")
    cell = _A1.match(f.cell or "")
    if table is None or cell is None or int(table.group(1)) > len(doc.tables):
        return []
    try:
        target = _cell_at(doc.tables[int(table.group(1)) - 1], int(cell.group(2)) - 1, _column(cell.group(1)) - 1)
    except ValueError:  # a gridSpan python-docx cannot read
        target = None
    if target is None:
        return []  # the comment goes to the document's first text instead
    runs = [r for p in target.paragraphs for r in p.runs]
    if runs:
        return runs
    paragraph = target.paragraphs[0] if target.paragraphs else target.add_paragraph()
    return [paragraph.add_run("")]


def _runs_of_phrase(doc: Any, f: Finding) -> list[Any]:
    match = _PARAGRAPH.match(f.sheet or "")
    if match is None or int(match.group(1)) > len(doc.paragraphs):
        return []
    paragraph = doc.paragraphs[int(match.group(1)) - 1]
    runs = list(paragraph.runs)
    phrase = (f.cell or "").strip("“”")
    text = "".join(r.text for r in runs)
    start = text.find(phrase) if phrase else -1
    if start < 0:
        return runs
    end, pos, chosen = start + len(phrase), 0, []
    for run in runs:
        if pos < end and pos + len(run.text) > start:
            chosen.append(run)
        pos += len(run.text)
    return chosen or runs


def annotate_docx(source: Path, tables: list[WorkbookResult], target: Path) -> Path:
    """Write the annotated copy of the report ``source`` to ``target``; returns it."""
    from docx import Document
    from docx.enum.text import WD_COLOR_INDEX

    from jixiao.report.annotated import comment_text, worst

    doc = Document(str(source))
    colour = {Severity.ERROR: WD_COLOR_INDEX.RED, Severity.WARNING: WD_COLOR_INDEX.YELLOW}
    by_place: dict[tuple[str | None, str | None], list[Finding]] = {}
    for f in (f for t in tables for f in t.findings):
        by_place.setdefault((f.sheet, f.cell), []).append(f)
    paragraphs = [p for p in doc.paragraphs if p.runs]
    for group in by_place.values():
        first = group[0]
        try:
            runs = _runs_of_table_cell(doc, first) if (first.sheet or "").startswith("表") else \
                _runs_of_phrase(doc, first)
        except (ValueError, IndexError, AttributeError, KeyError):  # a place the document does not have
            runs = []
        text = comment_text(group)
        if not runs:  # the comment goes to the document's first text, saying where it belongs
            if not paragraphs:
                continue
            runs, text = [paragraphs[0].runs[0]], f"（位置：{first.where}）\n{text}"
        level = worst(group)
        if level in colour:
            for run in runs:
                run.font.highlight_color = colour[level]
        doc.add_comment(runs, text=text, author="jixiao", initials="jx")
    return save_atomic(doc, target)
