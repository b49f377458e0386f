"""Inspect a zip-based workbook before any XML parser sees it.

Office files never declare a DOCTYPE or entities, so any part that does is refused outright: that
stops "billion laughs" entity expansion and external entities (XXE) whatever parser comes later. Zip
bombs are refused from the central directory alone (declared sizes and ratios), before inflating.
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from pathlib import Path

from jixiao.errors import UnreadableWorkbook
from jixiao.read import limits
from jixiao.read.formulas import relationships

_DECLARATION = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_WORKBOOK_PARTS = {".xlsx": "xl/workbook.xml", ".xlsm": "xl/workbook.xml", ".xlsb": "xl/workbook.bin",
                   ".ods": "content.xml"}


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.0f} MB"


def _xml(name: str) -> bool:
    return name.endswith((".xml", ".rels"))


# Parts the engine parses whatever the relationships say; worksheets are where the relationships point.
_PARSED = frozenset({"[Content_Types].xml", "xl/workbook.xml", "xl/sharedStrings.xml", "xl/styles.xml",
                     "content.xml", "styles.xml"})
_RELS = "xl/_rels/workbook.xml.rels"
_SHEET_TYPES = ("/worksheet", "/chartsheet", "/dialogsheet", "/macrosheet")


def _sheet_targets(rels: bytes) -> set[str] | None:
    """The parts the workbook's relationships name as worksheets (a worksheet need not live under
    xl/worksheets/, and the engine follows the relationships); None when they cannot be read plainly."""
    found = relationships(rels)
    # A relationship of no stated type may still be followed to a sheet: it is looked at like one.
    return None if found is None else {part for _, kind, part in found if not kind or kind.endswith(_SHEET_TYPES)}


def _whole(names: list[str], rels: bytes | None) -> set[str]:
    """The XML parts to inflate whole and inspect: those the engine parses and every worksheet; when the
    relationships cannot be read plainly, every XML part (no name is trusted to be harmless then)."""
    targets = _sheet_targets(rels) if rels is not None else set()
    if targets is None:
        return {n for n in names if _xml(n)}
    return {n for n in names if n in _PARSED or n.endswith(".rels") or n in targets
            or (n.startswith("xl/worksheets/") and n.endswith(".xml"))}


def check_size(path: Path, what: str = "自评表") -> None:
    """A file past limits.MAX_FILE_BYTES is refused before it is read (``what`` it would have been)."""
    size = path.stat().st_size
    if size > limits.MAX_FILE_BYTES:
        raise UnreadableWorkbook(f"文件过大（{_mb(size)}，上限 {_mb(limits.MAX_FILE_BYTES)}），不像是一份{what}")


def check_zip(path: Path, zf: zipfile.ZipFile) -> dict[str, bytes]:
    """Refuse zip bombs, oversized files and parsed XML with entity declarations.

    Everything but the parts' contents comes from the central directory ``zf`` has already read. The file
    is then read once, and each part the engine parses (those it always reads, and the worksheets wherever
    the relationships put them: _whole) inflated once, whole, straight from those bytes, its checksum
    verified. Returns them by name: the shared-strings check, the formula pass and the sheet map need them
    too. Raises UnreadableWorkbook with a plain-Chinese reason.
    """
    check_size(path)
    infos = zf.infolist()
    _check_directory(path, infos)
    data = path.read_bytes()
    sheets: dict[str, bytes] = {}
    rels = next((i for i in infos if i.filename == _RELS), None)
    if rels is not None:
        _check_part_size(rels)
        sheets[_RELS] = _inflate(zf, data, rels, None)
    whole = _whole([i.filename for i in infos], sheets.get(_RELS))
    for info in infos:
        if info.filename not in whole:
            continue
        _check_part_size(info)
        body = sheets[info.filename] = sheets[_RELS] if info is rels else _inflate(zf, data, info, None)
        if _declares_entities(body):
            raise UnreadableWorkbook(f"部件 {info.filename} 含有 XML 实体声明（正常工作簿不会有），"
                                     "疑似恶意文件，已拒绝读取")
    return sheets


def _check_part_size(info: zipfile.ZipInfo) -> None:
    if info.file_size > limits.MAX_SHEET_XML_BYTES:
        # A million rows or ten thousand columns: refused before any parser spends time on it.
        raise UnreadableWorkbook(f"部件 {info.filename} 解压后达 {_mb(info.file_size)}"
                                 f"（上限 {_mb(limits.MAX_SHEET_XML_BYTES)}），不像是一份自评表，已拒绝读取")


def _check_directory(path: Path, infos: list[zipfile.ZipInfo]) -> None:
    """Refuse what the central directory alone gives away: too many parts, bombs, huge sheets, no workbook."""
    if len(infos) > limits.MAX_MEMBERS:
        raise UnreadableWorkbook(f"压缩包内有 {len(infos)} 个部件（上限 {limits.MAX_MEMBERS}），疑似恶意文件")
    if len({i.filename for i in infos}) < len(infos):  # which copy a reader takes is anyone's guess
        raise UnreadableWorkbook("压缩包内有同名的部件（正常工作簿不会有），疑似恶意文件，已拒绝读取")
    total = sum(i.file_size for i in infos)
    if total > limits.MAX_UNCOMPRESSED_BYTES:
        raise UnreadableWorkbook(f"文件解压后达 {_mb(total)}（上限 {_mb(limits.MAX_UNCOMPRESSED_BYTES)}），"
                                 "疑似压缩炸弹，已拒绝读取")
    for info in infos:
        if info.file_size > limits.RATIO_FLOOR_BYTES and info.file_size > limits.MAX_RATIO * max(info.compress_size, 1):
            raise UnreadableWorkbook(f"部件 {info.filename} 压缩比超过 {limits.MAX_RATIO} 倍，疑似压缩炸弹，已拒绝读取")
    part = _WORKBOOK_PARTS.get(path.suffix.lower())
    if part and part not in {i.filename for i in infos}:
        raise UnreadableWorkbook("压缩包里没有工作簿内容，不是有效的 Excel 工作簿")


_LOCAL_HEADER = struct.Struct("<4s22xHH")  # signature, (version … sizes), name length, extra length
_LOCAL_MAGIC = b"PK\x03\x04"


def _inflate(zf: zipfile.ZipFile, data: bytes, info: zipfile.ZipInfo, limit: int | None) -> bytes:
    """A part's bytes (its first ``limit`` bytes, or all of it), inflated from the file's bytes in memory.

    Never more than the directory declares, so a part that lies about its size cannot inflate further.
    Anything but a plain stored or deflated part (encrypted, other methods, odd headers) goes through
    zipfile, which reads it the standard way or raises.
    """
    start = info.header_offset
    header = data[start:start + _LOCAL_HEADER.size]
    plain = (info.compress_type in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) and not info.flag_bits & 0x1
             and len(header) == _LOCAL_HEADER.size)
    if plain:
        magic, name_len, extra_len = _LOCAL_HEADER.unpack(header)
        start += _LOCAL_HEADER.size + name_len + extra_len
        plain = magic == _LOCAL_MAGIC and start + info.compress_size <= len(data)
    if not plain:
        with zf.open(info) as fh:
            return fh.read() if limit is None else fh.read(limit)
    raw = data[start:start + info.compress_size]
    want = info.file_size if limit is None else min(limit, info.file_size)
    if info.compress_type == zipfile.ZIP_STORED:
        body = raw[:want]
    else:
        try:
            body = zlib.decompressobj(-15).decompress(raw, want)
        except zlib.error:
            raise zipfile.BadZipFile(f"bad deflate data in {info.filename}") from None
    if len(body) < want or (limit is None and zlib.crc32(body) != info.CRC):
        raise zipfile.BadZipFile(f"bad part {info.filename}")  # the reader reports the file as damaged
    return body


_ROOT_START = re.compile(rb"<[A-Za-z_:\x80-\xff]")


def _skip_spaces(head: bytes, pos: int) -> int:
    while pos < len(head) and head[pos] in b" \t\r\n":
        pos += 1
    return pos


def _declares_entities(head: bytes) -> bool:
    """True when a part's first 4 KB declare a DOCTYPE or entities, or its prolog runs past them.

    A DOCTYPE can only stand in the prolog, before the root element; Office writes its root within the
    first hundred bytes, so a prolog (XML declaration, comments, processing instructions, spaces) that
    does not end within 4 KB is treated as hiding one. UTF-16 parts are looked at as text.
    """
    full = len(head) >= limits.XML_HEAD_BYTES  # the part goes on past what is looked at
    head = head[: limits.XML_HEAD_BYTES]
    if head[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in head[:4]:
        encoding = "utf-16" if head[:2] in (b"\xff\xfe", b"\xfe\xff") else \
            ("utf-16-be" if head[:1] == b"\x00" else "utf-16-le")
        head = head[: len(head) // 2 * 2].decode(encoding, "replace").encode("utf-8", "replace")
    if _DECLARATION.search(head):
        return True
    pos = _skip_spaces(head, 3 if head.startswith(b"\xef\xbb\xbf") else 0)
    while head.startswith((b"<?", b"<!--"), pos):
        close = b"?>" if head.startswith(b"<?", pos) else b"-->"
        end = head.find(close, pos)
        if end < 0:
            return full
        pos = _skip_spaces(head, end + len(close))
    # The root element must start here; anything else in a part cut at 4 KB could still become a DOCTYPE.
    return full and _ROOT_START.match(head, pos) is None


# A cell whose value is an index into the shared strings (t="s"). Linear: the attributes cannot run past the
# tag's ">" and the value is digits only.
_SHARED_CELL = re.compile(rb"""<c\s[^<>]*?\bt\s*+=\s*+["']s["'][^<>]*+>\s*+<v>\s*+(\d{1,10})\s*+</v>""")
_SHARED_MARK = b't="s"'
_SI = re.compile(rb"<si[\s>/]")
_SST_NAME = re.compile(r"(?:^|/)sharedstrings\d*\.xml$", re.IGNORECASE)


def refers_to_shared_strings(xml: bytes) -> bool:
    """True when a worksheet's XML (as Excel writes it) holds cells that refer to shared strings."""
    return _SHARED_MARK in xml


def _marks(xml: bytes) -> int:
    """At least as many as the part's cells that refer to shared strings, however the attribute is quoted
    or spaced (t="s", t='s', t = "s"): each such cell holds a quoted s."""
    return xml.count(b'"s"') + xml.count(b"'s'")


def _string_sizes(zf: zipfile.ZipFile, parts: dict[str, bytes]) -> list[int]:
    """For each shared string, an upper bound on its size once written out: the bytes of its ``<si>``
    element (over every shared-strings part the zip holds, the largest at each index)."""
    sizes: list[int] = []
    for info in zf.infolist():
        if not _SST_NAME.search(info.filename):
            continue
        xml = parts[info.filename] if info.filename in parts else zf.read(info)
        starts = [m.start() for m in _SI.finditer(xml)]
        for i, start in enumerate(starts):
            size = (starts[i + 1] if i + 1 < len(starts) else len(xml)) - start
            if i < len(sizes):
                sizes[i] = max(sizes[i], size)
            else:
                sizes.append(size)
    return sizes


class SharedStrings:
    """The shared strings of one workbook, measured once, on the first part that may refer to them."""

    def __init__(self, zf: zipfile.ZipFile, parts: dict[str, bytes]) -> None:
        self.zf, self.parts = zf, parts
        self._sizes: list[int] | None = None

    def sizes(self) -> list[int]:
        """Each shared string's written-out size (see _string_sizes)."""
        if self._sizes is None:
            self._sizes = _string_sizes(self.zf, self.parts)
        return self._sizes

    @property
    def longest(self) -> int:
        """The longest shared string's written-out size."""
        return max(self.sizes(), default=0)


def check_shared_strings(strings: SharedStrings, where: str, xml: bytes) -> None:
    """Refuse a part whose text, with each shared string written out in every cell that refers to it, would
    pass MAX_SHEET_TEXT_BYTES: the engine makes one copy per cell (40,000 cells pointing at one 32,000-
    character string took 6.75 GB). A few KB of XML can ask for that, so it is judged before the engine runs,
    for every XML part (any of them may be a worksheet), and never trusting how the attribute is written.
    """
    if not strings.sizes():  # no shared strings at all (openpyxl, the template): nothing to expand
        return
    marks = _marks(xml)
    if not marks:
        return
    longest = strings.longest
    # No more referring cells than marks, none longer than the longest string: a real sheet is far below the
    # limit that way, and only a part that is not gets its cells counted one by one. Marks the cell pattern
    # does not account for are still counted at the longest string's size: the total stays an upper bound.
    if marks * longest <= limits.MAX_SHEET_TEXT_BYTES:
        return
    sizes = strings.sizes()
    indices = [int(m.group(1)) for m in _SHARED_CELL.finditer(xml)]
    total = sum(sizes[i] for i in indices if i < len(sizes)) + max(0, marks - len(indices)) * longest
    if total > limits.MAX_SHEET_TEXT_BYTES:
        raise UnreadableWorkbook(f"{where}有多达 {marks:,} 个单元格引用共享字符串，文字展开后达 {_mb(total)}"
                                 f"（上限 {_mb(limits.MAX_SHEET_TEXT_BYTES)}），疑似恶意文件，已拒绝读取")


def check_document(path: Path, zf: zipfile.ZipFile, part: str) -> bytes:
    """A Word document's main part, inflated and inspected: the same limits as a workbook's (file size,
    parts, bombs, the part's size, no entity declarations). Only this part is ever parsed."""
    check_size(path, "自评报告")
    infos = zf.infolist()
    _check_directory(path, infos)
    info = next((i for i in infos if i.filename == part), None)
    if info is None:
        raise UnreadableWorkbook("压缩包里没有 Word 正文（word/document.xml），不是有效的 .docx 文件")
    _check_part_size(info)
    body = _inflate(zf, path.read_bytes(), info, None)
    if _declares_entities(body):
        raise UnreadableWorkbook(f"部件 {part} 含有 XML 实体声明（正常文档不会有），疑似恶意文件，已拒绝读取")
    return body
