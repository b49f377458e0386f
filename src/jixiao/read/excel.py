"""Read a workbook's sheets as raw grids with pandas (python-calamine engine).

Row ``i`` and column ``j`` of each DataFrame are Excel row ``i + 1`` and column ``j + 1``: sheets are read
with ``header=None`` so positions map straight back to A1 addresses.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from jixiao.errors import UnreadableWorkbook

SUPPORTED_SUFFIXES = (".xlsx", ".xlsm")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


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
    sheets: dict[str, pd.DataFrame]


def _sniff(path: Path) -> None:
    """Turn the commonest unreadable files into a plain message before pandas sees them."""
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
    if head == _OLE_MAGIC:
        raise UnreadableWorkbook("文件已加密，请取消密码后再提交（或为旧版 .xls 格式改名而来，请另存为 .xlsx）")
    if not zipfile.is_zipfile(path):
        raise UnreadableWorkbook("文件已损坏或不是 Excel 工作簿（不是有效的 .xlsx 文件）")


def read_workbook(path: str | Path) -> RawWorkbook:
    """Read every sheet of ``path`` as a raw grid. Raises UnreadableWorkbook with a Chinese reason."""
    file = Path(path)
    _sniff(file)
    try:
        sheets = pd.read_excel(file, sheet_name=None, header=None, engine="calamine")
    except Exception as exc:  # the engine's errors are many and untyped; the message is what matters
        raise UnreadableWorkbook(f"文件已损坏或不是 Excel 工作簿，无法读取（{type(exc).__name__}）") from None
    return RawWorkbook(file, {str(name): frame for name, frame in sheets.items()})
