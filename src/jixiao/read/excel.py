"""Read a workbook's sheets as raw grids with python-calamine.

Cell ``grid[i][j]`` is Excel row ``i + 1``, column ``j + 1``: grids start at A1 whatever the used range,
so positions map straight back to A1 addresses. Empty cells are ``None``.

Why not ``pandas.read_excel``: it runs the same calamine engine and then pandas' text parser over every
sheet, which measured 7 ms per small workbook against 1 ms for calamine alone (docs/performance.md) — the
batch target of 200 workbooks/s cannot afford it. pandas is used where it pays: the check stage stacks
the parsed tables of many workbooks into DataFrames and validates them with pandera in one call.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from python_calamine import CalamineWorkbook

from jixiao.errors import UnreadableWorkbook

Grid = list[list[object]]

SUPPORTED_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")
ZIP_SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".ods")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")
_OLE_SCAN_BYTES = 16 * 1024 * 1024


@lru_cache(maxsize=1024)
def column_letter(col: int) -> str:
    """Zero-based column index → Excel letters (0 → A, 26 → AA); openpyxl is not imported to read."""
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def a1(row: int, col: int) -> str:
    """Zero-based DataFrame position → Excel A1 address."""
    return f"{column_letter(col)}{row + 1}"


@dataclass(frozen=True)
class RawWorkbook:
    """All sheets of one file, as read, in workbook order."""

    path: Path
    sheets: dict[str, Grid]
    names: list[str]


def _sniff(path: Path) -> None:
    """Turn the commonest unreadable files into a plain message before the engine sees them."""
    if path.is_dir():
        raise UnreadableWorkbook("这是一个文件夹，不是工作簿")
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        raise UnreadableWorkbook(f"不支持的文件格式“{path.suffix or '无扩展名'}”：请另存为 .xlsx 后再检查")
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
    except FileNotFoundError:
        raise UnreadableWorkbook("文件不存在") from None
    except PermissionError:
        raise UnreadableWorkbook("没有读取该文件的权限") from None
    except OSError as exc:
        raise UnreadableWorkbook(f"无法打开文件：{exc.strerror or exc}") from None
    if not head:
        raise UnreadableWorkbook("文件是空的（0 字节）")
    suffix = path.suffix.lower()
    if head == _OLE_MAGIC:
        # An encrypted .xlsx is an OLE container holding an "EncryptionInfo" stream (names are UTF-16LE).
        with path.open("rb") as fh:
            if _ENCRYPTION_INFO in fh.read(_OLE_SCAN_BYTES):
                raise UnreadableWorkbook("文件已加密，请取消密码后再提交")
        if suffix in ZIP_SUFFIXES:
            raise UnreadableWorkbook(f"这是旧版 .xls 格式的文件却以 {suffix} 命名：请用 Excel 或 WPS 另存为 .xlsx")
    elif suffix in ZIP_SUFFIXES and not zipfile.is_zipfile(path):
        raise UnreadableWorkbook(f"文件已损坏或不是 Excel 工作簿（不是有效的 {suffix} 文件）")


def read_workbook(path: str | Path, wanted: Callable[[str], bool] | None = None) -> RawWorkbook:
    """Read the sheets of ``path`` that ``wanted`` accepts (all by default) as raw grids.

    Raises UnreadableWorkbook with a Chinese reason. Good files take the fast path straight into the
    engine; only when it fails is the file examined (empty? encrypted? not a zip?) to say why.
    """
    file = Path(path)
    if file.suffix.lower() not in SUPPORTED_SUFFIXES or file.is_dir():
        _sniff(file)
    try:
        book = CalamineWorkbook.from_path(str(file))
        names = [str(n) for n in book.sheet_names]
        sheets = {name: _grid(book.get_sheet_by_name(name).to_python(skip_empty_area=False))
                  for name in names if wanted is None or wanted(name)}
    except Exception as exc:  # the engine's errors are many and untyped; the message is what matters
        _sniff(file)
        raise UnreadableWorkbook(f"文件已损坏或不是 Excel 工作簿，无法读取（{type(exc).__name__}）") from None
    return RawWorkbook(file, sheets, names)


def _grid(rows: Sequence[Sequence[object]]) -> Grid:
    """Calamine's rows with '' (empty) turned into None, so blank means one thing everywhere."""
    return [[None if v == "" else v for v in row] for row in rows]
