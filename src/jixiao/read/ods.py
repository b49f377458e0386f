"""Merged ranges of an OpenDocument spreadsheet, which python-calamine does not report.

One streaming pass over ``content.xml`` (the zip guard has already refused entity declarations):
``table:number-columns-spanned`` / ``table:number-rows-spanned`` on a cell give its merge; repeated rows
and cells (``number-rows-repeated``, ``number-columns-repeated``) advance the position. Positions past the
sheet limits stop the count, so a sheet of a million repeated empty rows costs nothing.
"""

from __future__ import annotations

import zipfile
from xml.etree.ElementTree import iterparse

from jixiao.read import limits

Range = tuple[tuple[int, int], tuple[int, int]]
_T = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"


def _int(elem: object, name: str) -> int:
    value = elem.get(_T + name)  # type: ignore[attr-defined]
    try:
        return max(1, int(value)) if value else 1
    except ValueError:
        return 1


def merged_ranges(zf: zipfile.ZipFile) -> dict[str, list[Range]]:
    """Sheet name → merged ranges ((first row, first col), (last row, last col)), zero-based."""
    out: dict[str, list[Range]] = {}
    sheet: list[Range] | None = None
    row = col = 0
    with zf.open("content.xml") as fh:
        for event, elem in iterparse(fh, events=("start", "end")):
            tag = elem.tag
            if event == "start":
                if tag == _T + "table":
                    sheet = out.setdefault(str(elem.get(_T + "name", "")), [])
                    row = 0
                elif tag == _T + "table-row":
                    col = 0
                elif tag == _T + "table-cell" and sheet is not None:
                    cols, rows = _int(elem, "number-columns-spanned"), _int(elem, "number-rows-spanned")
                    if (cols > 1 or rows > 1) and row < limits.MAX_ROWS and col < limits.MAX_COLUMNS:
                        sheet.append(((row, col), (row + rows - 1, col + cols - 1)))
                continue
            if tag in (_T + "table-cell", _T + "covered-table-cell"):
                col += _int(elem, "number-columns-repeated")
            elif tag == _T + "table-row":
                row += _int(elem, "number-rows-repeated")
            elif tag == _T + "table":
                sheet = None
            elem.clear()
    return out
