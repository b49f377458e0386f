"""Inspect a zip-based workbook before any XML parser sees it.

Office files never declare a DOCTYPE or entities, so any part that does is refused outright: that
stops "billion laughs" entity expansion and external entities (XXE) whatever parser comes later. Zip
bombs are refused from the central directory alone (declared sizes and ratios), before inflating.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from jixiao.errors import UnreadableWorkbook
from jixiao.read import limits

_DECLARATION = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_WORKBOOK_PARTS = {".xlsx": "xl/workbook.xml", ".xlsm": "xl/workbook.xml", ".xlsb": "xl/workbook.bin",
                   ".ods": "content.xml"}


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.0f} MB"


def _parsed(name: str) -> bool:
    """XML parts that calamine or jixiao parse when reading (others — themes, document properties,
    drawings — are never parsed, so an entity declaration there can do nothing)."""
    return (name in _PARSED or name.endswith(".rels")
            or (name.startswith("xl/worksheets/") and name.endswith(".xml")))


_PARSED = frozenset({"[Content_Types].xml", "xl/workbook.xml", "xl/sharedStrings.xml", "xl/styles.xml",
                     "content.xml", "styles.xml"})


def check_zip(path: Path, zf: zipfile.ZipFile) -> dict[str, bytes]:
    """Refuse zip bombs, oversized files and parsed XML with entity declarations.

    Returns the worksheet parts' XML (read whole: the formula pass needs them too). Raises
    UnreadableWorkbook with a plain-Chinese reason.
    """
    size = path.stat().st_size
    if size > limits.MAX_FILE_BYTES:
        raise UnreadableWorkbook(f"文件过大（{_mb(size)}，上限 {_mb(limits.MAX_FILE_BYTES)}），不像是一份自评表")
    infos = zf.infolist()
    if len(infos) > limits.MAX_MEMBERS:
        raise UnreadableWorkbook(f"压缩包内有 {len(infos)} 个部件（上限 {limits.MAX_MEMBERS}），疑似恶意文件")
    total = sum(i.file_size for i in infos)
    if total > limits.MAX_UNCOMPRESSED_BYTES:
        raise UnreadableWorkbook(f"文件解压后达 {_mb(total)}（上限 {_mb(limits.MAX_UNCOMPRESSED_BYTES)}），"
                                 "疑似压缩炸弹，已拒绝读取")
    for info in infos:
        if info.file_size > limits.RATIO_FLOOR_BYTES and info.file_size > limits.MAX_RATIO * max(info.compress_size, 1):
            raise UnreadableWorkbook(f"部件 {info.filename} 压缩比超过 {limits.MAX_RATIO} 倍，疑似压缩炸弹，已拒绝读取")
        if info.filename.startswith("xl/worksheets/") and info.file_size > limits.MAX_SHEET_XML_BYTES:
            # A million rows or ten thousand columns: refused before any parser spends time on it.
            raise UnreadableWorkbook(f"工作表部件 {info.filename} 解压后达 {_mb(info.file_size)}"
                                     f"（上限 {_mb(limits.MAX_SHEET_XML_BYTES)}），不像是一份自评表，已拒绝读取")
    part = _WORKBOOK_PARTS.get(path.suffix.lower())
    if part and part not in {i.filename for i in infos}:
        raise UnreadableWorkbook("压缩包里没有工作簿内容，不是有效的 Excel 工作簿")
    sheets: dict[str, bytes] = {}
    for info in infos:
        if not _parsed(info.filename):
            continue
        if info.filename.startswith("xl/worksheets/"):
            head = sheets[info.filename] = zf.read(info)
        else:
            with zf.open(info) as fh:
                head = fh.read(limits.XML_HEAD_BYTES)
        if _DECLARATION.search(head, 0, limits.XML_HEAD_BYTES):
            raise UnreadableWorkbook(f"部件 {info.filename} 含有 XML 实体声明（正常工作簿不会有），"
                                     "疑似恶意文件，已拒绝读取")
    return sheets
