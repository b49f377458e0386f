"""Read a .csv file (a bureau's flat export of approved targets) as one raw sheet.

The file must be text: UTF-8 (with or without BOM) or GB 18030 (what Excel and WPS on Chinese Windows save
as “CSV”); anything else is refused with a reason. The same limits as a workbook: file size, rows (the
targets' limit), columns and cell length.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from jixiao.errors import UnreadableWorkbook
from jixiao.read import limits
from jixiao.read.excel import Grid, RawWorkbook, cut, require_regular_file
from jixiao.read.guard import check_size


def read_csv(path: Path, max_rows: int = limits.MAX_TARGET_ROWS) -> RawWorkbook:
    """The file as a workbook of one sheet named after it."""
    require_regular_file(path)
    if path.stat().st_size == 0:
        raise UnreadableWorkbook("文件是空的（0 字节）")
    check_size(path, "绩效目标表")
    data = path.read_bytes()
    if b"\x00" in data[:4096]:
        raise UnreadableWorkbook("不是文本格式的 CSV 文件（含有二进制内容）：请在 Excel 中另存为“CSV UTF-8”或 .xlsx")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes nearly anything
        raise UnreadableWorkbook("CSV 文件的编码无法识别：请另存为“CSV UTF-8”")
    grid: Grid = []
    try:
        for row in csv.reader(io.StringIO(text, newline="")):
            if len(grid) >= max_rows:
                raise UnreadableWorkbook(f"CSV 文件超过 {max_rows} 行，超过上限")
            if len(row) > limits.MAX_COLUMNS:
                raise UnreadableWorkbook(f"CSV 文件有 {len(row)} 列，超过上限（{limits.MAX_COLUMNS} 列）")
            grid.append([_cell(v) for v in row])
    except csv.Error:
        raise UnreadableWorkbook(f"CSV 文件格式有误（第 {len(grid) + 1} 行：引号不成对或一格过长）") from None
    name = path.stem
    return RawWorkbook(path, {name: grid}, [name])


def _cell(value: str) -> object:
    """A CSV field: trimmed text (numbers stay text: the importer parses them as cells of a sheet are)."""
    text = value.strip()
    if not text:
        return None
    return cut(text)
