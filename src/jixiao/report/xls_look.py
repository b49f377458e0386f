"""The look of an .xls carried over to its annotated .xlsx copy: column widths, row heights, cell lines,
fonts (bold, size) and alignment (wrapping, horizontal and vertical), read with xlrd (the values and merges
come from the reader, as for every input).

Only the look: a file xlrd cannot read this way keeps its values and merges, and the copy says the look was
not kept. Formats are made once per distinct look (an .xls has a few dozen), not per cell.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl.cell.cell import MergedCell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

# BIFF line styles → openpyxl's names (0: none)
_LINES = {1: "thin", 2: "medium", 3: "dashed", 4: "dotted", 5: "thick", 6: "double", 7: "hair",
          8: "mediumDashed", 9: "dashDot", 10: "mediumDashDot", 11: "dashDotDot", 12: "mediumDashDotDot",
          13: "slantDashDot"}
_HORIZONTAL = {1: "left", 2: "center", 3: "right", 4: "fill", 5: "justify", 6: "centerContinuous"}
_VERTICAL = {0: "top", 1: "center", 2: "bottom", 3: "justify"}
_MAX_CELLS = 200_000  # formats copied per sheet at most (a real form: a few hundred)


def copy_look(path: Path, sheets: Sequence[Worksheet]) -> bool:
    """Give ``sheets`` (the rebuilt copy of ``path``, in its order) the .xls's look; False when it could not be
    read."""
    try:
        import xlrd

        book = xlrd.open_workbook(str(path), formatting_info=True, on_demand=True)
    except Exception:
        return False
    try:
        for index, ws in enumerate(sheets):
            if index >= book.nsheets:
                break
            _sheet(book, book.sheet_by_index(index), ws)
        return True
    except Exception:
        return False
    finally:
        book.release_resources()


def _sheet(book: Any, sh: Any, ws: Worksheet) -> None:
    default = sh.standardwidth / 256 if sh.standardwidth else (sh.defcolwidth if sh.defcolwidth is not None else 8)
    for c in range(sh.ncols):
        info = sh.colinfo_map.get(c)
        width = info.width / 256 if info is not None else default
        ws.column_dimensions[get_column_letter(c + 1)].width = round(width, 2)
        if info is not None and info.hidden:
            ws.column_dimensions[get_column_letter(c + 1)].hidden = True
    for r, info in sh.rowinfo_map.items():
        if r < sh.nrows and not info.has_default_height:
            ws.row_dimensions[r + 1].height = info.height / 20
    styles: dict[int, tuple[Font, Border, Alignment]] = {}
    done = 0
    for r in range(sh.nrows):
        for c in range(sh.row_len(r)):
            xf_index = sh.cell_xf_index(r, c)
            if xf_index not in styles:
                styles[xf_index] = _style(book, book.xf_list[xf_index])
            font, border, alignment = styles[xf_index]
            cell = ws.cell(row=r + 1, column=c + 1)
            cell.border = border  # a cell covered by a merge draws the merge's lines too
            if not isinstance(cell, MergedCell):
                cell.font, cell.alignment = font, alignment
            done += 1
            if done > _MAX_CELLS:
                return


def _style(book: Any, xf: Any) -> tuple[Font, Border, Alignment]:
    f = book.font_list[xf.font_index]
    font = Font(name=f.name or None, sz=f.height / 20 if f.height else None, bold=bool(f.bold),
                italic=bool(f.italic))
    b = xf.border

    def side(style: int) -> Side:
        return Side(style=_LINES.get(style)) if style else Side()

    border = Border(left=side(b.left_line_style), right=side(b.right_line_style), top=side(b.top_line_style),
                    bottom=side(b.bottom_line_style))
    a = xf.alignment
    alignment = Alignment(horizontal=_HORIZONTAL.get(a.hor_align), vertical=_VERTICAL.get(a.vert_align),
                          wrap_text=bool(a.text_wrapped))
    return font, border, alignment
