"""How every sheet jixiao writes prints: A4, one page wide, the header row on every page, wrapped text in rows
tall enough to show all of it, a footer with the file name and the page number.

Neither openpyxl nor xlsxwriter measures text, and a spreadsheet program does not always fit a row to its
wrapped text when it opens a file (LibreOffice prints such a row one line high, cutting the text): the row
heights are set here from the text's width — a CJK character is two columns wide, ASCII one.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the summary (xlsxwriter) uses this module too: a batch's parent never loads openpyxl
    from openpyxl.worksheet.worksheet import Worksheet as OpenpyxlSheet

LINE_HEIGHT = 15.0  # points per line of an 11 pt font, as Excel's default row height
FOOTER = "&F　第 &P 页，共 &N 页"  # the file's name, the page and the number of pages
A4 = 9  # the paper size code of A4 in both libraries


def text_width(value: Any) -> int:
    """Display width of ``value``: a CJK character (3 bytes in UTF-8) two columns, ASCII one."""
    text = "" if value is None else str(value)
    return (len(text.encode("utf-8")) + len(text)) // 2


def lines(value: Any, width: float) -> int:
    """How many lines ``value`` takes in a wrapped cell ``width`` columns wide."""
    if value is None or value == "":
        return 1
    usable = max(width - 1.5, 1.0)  # the cell's padding
    return sum(max(1, math.ceil(text_width(part) / usable)) for part in str(value).split("\n"))


def row_height(values: Iterable[Any], widths: Sequence[float], size: float = 11.0) -> float | None:
    """The height a row of wrapped ``values`` needs (None when one line does: the default height)."""
    most = max((lines(v, widths[i]) for i, v in enumerate(values) if i < len(widths)), default=1)
    if most <= 1 and size <= 11:
        return None
    return round(most * LINE_HEIGHT * size / 11 + 2, 1)


def one_page_wide(ws: OpenpyxlSheet, comments: bool = False) -> None:
    """A sheet written with openpyxl fitted to one page wide, as many pages long as it takes; ``comments``: its
    cell comments printed after the sheet (they do not print otherwise)."""
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    if comments:
        ws.page_setup.cellComments = "atEnd"


def setup_openpyxl(ws: OpenpyxlSheet, landscape: bool = True, repeat: str | None = None,
                   comments: bool = False) -> None:
    """A sheet written with openpyxl printed on A4, one page wide (as many pages long as it takes), ``repeat``
    rows (“1:1”) on every page, the footer; ``comments``: its cell comments printed after the sheet."""
    ws.page_setup.paperSize = A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    one_page_wide(ws, comments)
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.page_margins.footer = 0.3
    if repeat:
        ws.print_title_rows = repeat
    ws.oddFooter.center.text = FOOTER
    ws.oddFooter.center.size = 9
