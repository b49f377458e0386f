"""Merged ranges of an OpenDocument spreadsheet, which python-calamine does not report; and its size.

One streaming pass over ``content.xml`` (the zip guard has already refused entity declarations):
``table:number-columns-spanned`` / ``table:number-rows-spanned`` on a cell give its merge; repeated rows
and cells (``number-rows-repeated``, ``number-columns-repeated``) advance the position. Positions past the
sheet limits stop the count, so a sheet of a million repeated empty rows costs nothing.

The engine writes a repeated cell out once per repetition, and ``<text:s text:c="N"/>`` as N spaces: a
4 KB file can ask for gigabytes. The same pass counts, per table, the cells with a value and the bytes of
their text as the engine would write them out, and refuses the file past MAX_SHEET_CELLS or
MAX_SHEET_TEXT_BYTES — before the engine, which reads every table when it opens the file, runs.
"""

from __future__ import annotations

import zipfile
from xml.etree.ElementTree import iterparse

from jixiao.errors import UnreadableWorkbook
from jixiao.read import limits

Range = tuple[tuple[int, int], tuple[int, int]]
_T = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"


def _int(elem: object, name: str) -> int:
    value = elem.get(_T + name)  # type: ignore[attr-defined]
    try:
        return max(1, int(value)) if value else 1
    except ValueError:
        return 1


_O = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_X = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_CELLS = (_T + "table-cell", _T + "covered-table-cell")


def _text_bytes(cell: object) -> int:
    """The bytes of a cell's text as the engine writes it out (``text:s`` as its count of spaces)."""
    size = len(str(cell.get(_O + "string-value") or "").encode())  # type: ignore[attr-defined]
    for elem in cell.iter():  # type: ignore[attr-defined]
        size += len((elem.text or "").encode()) + (len((elem.tail or "").encode()) if elem is not cell else 0)
        if elem.tag == _X + "s":
            size += _int_attr(elem.get(_X + "c"))
    return size


def _int_attr(value: object) -> int:
    try:
        return max(1, int(str(value))) if value else 1
    except ValueError:
        return 1


def _refuse(name: str, cells: int, text: int) -> None:
    if cells > limits.MAX_SHEET_CELLS:
        raise UnreadableWorkbook(f"工作表“{name}”重复的单元格展开后达 {cells:,} 个有内容的单元格（上限 "
                                 f"{limits.MAX_SHEET_CELLS:,}），不像是一份自评表，已拒绝读取")
    if text > limits.MAX_SHEET_TEXT_BYTES:
        raise UnreadableWorkbook(f"工作表“{name}”的文字展开后达 {text / 1024 / 1024:.0f} MB（上限 "
                                 f"{limits.MAX_SHEET_TEXT_BYTES // 1024 // 1024} MB），疑似恶意文件，已拒绝读取")


def merged_ranges(zf: zipfile.ZipFile) -> dict[str, list[Range]]:
    """Sheet name → merged ranges ((first row, first col), (last row, last col)), zero-based.

    Raises UnreadableWorkbook when a table, written out, would pass the cell or text budget.
    """
    out: dict[str, list[Range]] = {}
    sheet: list[Range] | None = None
    name = ""
    row = col = rows_repeated = cells = text = 0
    in_cell = False  # a cell's children are kept until the cell ends, so its whole text can be measured
    with zf.open("content.xml") as fh:
        for event, elem in iterparse(fh, events=("start", "end")):
            tag = elem.tag
            if event == "start":
                if tag == _T + "table":
                    name = str(elem.get(_T + "name", ""))
                    sheet = out.setdefault(name, [])
                    row = cells = text = 0
                elif tag == _T + "table-row":
                    col = 0
                    rows_repeated = _int(elem, "number-rows-repeated")
                elif tag in _CELLS:
                    in_cell = True
                    if tag == _T + "table-cell" and sheet is not None:
                        cols, rows = _int(elem, "number-columns-spanned"), _int(elem, "number-rows-spanned")
                        if (cols > 1 or rows > 1) and row < limits.MAX_ROWS and col < limits.MAX_COLUMNS:
                            sheet.append(((row, col), (row + rows - 1, col + cols - 1)))
                continue
            if tag in _CELLS:
                repeated = _int(elem, "number-columns-repeated")
                size = _text_bytes(elem)
                if size or elem.get(_O + "value-type"):
                    times = repeated * max(rows_repeated, 1)
                    cells += times
                    text += size * times
                    _refuse(name, cells, text)
                col += repeated
                in_cell = False
            elif in_cell:
                continue  # inside a cell: measured (and cleared) when the cell ends
            elif tag == _T + "table-row":
                row += _int(elem, "number-rows-repeated")
            elif tag == _T + "table":
                sheet = None
            elem.clear()
    return out
