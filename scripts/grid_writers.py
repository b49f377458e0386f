"""Write a sheet given as rows of values and merged ranges (A1) to .xlsx, .xls or .ods.

Used by scripts/make_samples.py and tests/fixtures/official/make_fixtures.py to recreate forms in their
original layout and format; .xls needs xlwt and .ods odfpy (both in the ``dev`` extra).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import xlwt
from openpyxl import Workbook
from openpyxl.utils import range_boundaries

Sheet = tuple[str, list[list[Any]], list[str]]


def _bounds(rng: str) -> tuple[int, int, int, int]:
    """A1 range → zero-based (first row, last row, first col, last col)."""
    c1, r1, c2, r2 = range_boundaries(rng)
    assert c1 and r1 and c2 and r2
    return r1 - 1, r2 - 1, c1 - 1, c2 - 1


def write_xlsx(path: Path, sheets: list[Sheet]) -> None:
    wb = Workbook()
    wb.remove(wb.active)  # type: ignore[arg-type]
    for name, rows, merges in sheets:
        ws = wb.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value not in ("", None):
                    cell = ws.cell(row=r, column=c, value=value)
                    if isinstance(value, str):
                        cell.data_type = "s"
        for rng in merges:
            ws.merge_cells(rng)
    wb.save(path)


def _display(value: Any) -> int:
    text = "" if value in ("", None) else str(value)
    return max((len(line.encode("utf-8")) + len(line)) // 2 for line in text.split("\n"))


def write_xls(path: Path, sheets: list[Sheet]) -> None:
    """As an agency's .xls looks: the table ruled with thin lines, text wrapped, each column as wide as its
    longest single-cell text (8 to 30 characters), the title (first row) in bold without lines."""
    wb = xlwt.Workbook(encoding="utf-8")
    ruled = xlwt.easyxf("borders: left thin, right thin, top thin, bottom thin; align: wrap on, vert centre")
    title = xlwt.easyxf("font: bold on, height 280; align: horiz centre, vert centre")
    for name, rows, merges in sheets:
        ws = wb.add_sheet(name)
        covered: set[tuple[int, int]] = set()
        spanned: set[tuple[int, int]] = set()  # cells of merges across columns: their text is not one column's
        for rng in merges:
            r1, r2, c1, c2 = _bounds(rng)
            value = rows[r1][c1] if r1 < len(rows) and c1 < len(rows[r1]) else ""
            ws.write_merge(r1, r2, c1, c2, None if value == "" else value, title if r1 == 0 else ruled)
            covered |= {(r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)}
            if c2 > c1:
                spanned.add((r1, c1))
        width = max((len(row) for row in rows), default=0)
        for r, row in enumerate(rows):
            for c in range(width):
                value = row[c] if c < len(row) else ""
                if (r, c) not in covered:
                    ws.write(r, c, None if value in ("", None) else value, title if r == 0 else ruled)
        for c in range(width):
            longest = max((_display(row[c]) for r, row in enumerate(rows) if r > 0 and c < len(row)
                           and (r, c) not in spanned), default=0)
            ws.col(c).width = 256 * min(30, max(8, longest + 2))
    wb.save(str(path))


def write_ods(path: Path, sheets: list[Sheet]) -> None:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import CoveredTableCell, Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    for name, rows, merges in sheets:
        spans = {(r1, c1): (r2 - r1 + 1, c2 - c1 + 1) for r1, r2, c1, c2 in map(_bounds, merges)}
        covered = {(r, c) for (r1, c1), (h, w) in spans.items() for r in range(r1, r1 + h)
                   for c in range(c1, c1 + w)} - set(spans)
        table = Table(name=name)
        for r, row in enumerate(rows):
            tr = TableRow()
            for c, value in enumerate(row):
                if (r, c) in covered:
                    tr.addElement(CoveredTableCell())
                    continue
                h, w = spans.get((r, c), (1, 1))
                kwargs: dict[str, Any] = {}
                if h > 1:
                    kwargs["numberrowsspanned"] = h
                if w > 1:
                    kwargs["numbercolumnsspanned"] = w
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    cell = TableCell(valuetype="float", value=value, **kwargs)
                    cell.addElement(P(text=str(value)))
                elif value not in ("", None):
                    cell = TableCell(valuetype="string", **kwargs)
                    cell.addElement(P(text=str(value)))
                else:
                    cell = TableCell(**kwargs)
                tr.addElement(cell)
            table.addElement(tr)
        doc.spreadsheet.addElement(table)
    doc.save(str(path))


def write(path: Path, sheets: list[Sheet]) -> None:
    writers = {".xls": write_xls, ".ods": write_ods}
    writers.get(path.suffix, write_xlsx)(path, sheets)
