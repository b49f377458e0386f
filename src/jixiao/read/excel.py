"""Read a workbook's sheets as raw grids with python-calamine.

Cell ``grid[i][j]`` is Excel row ``i + 1``, column ``j + 1``: grids start at A1 whatever the used range,
so positions map straight back to A1 addresses. Empty cells are ``None``.

Why not ``pandas.read_excel``: it runs the same calamine engine and then pandas' text parser over every
sheet, which measured 7 ms per small workbook against 1 ms for calamine alone (docs/performance.md) — the
batch target of 200 workbooks/s cannot afford it. pandas is used where it pays: the check stage stacks
the parsed tables of many workbooks into DataFrames and validates them with pandera in one call.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import zipfile
from collections.abc import Callable, Iterator, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path

from python_calamine import CalamineWorkbook

from jixiao.errors import JixiaoError, UnreadableWorkbook
from jixiao.read import limits
from jixiao.read.formulas import Recompute, has_formulas, hidden_rows, sheet_parts, uncached_formulas
from jixiao.read.guard import SharedStrings, check_shared_strings, check_zip, refers_to_shared_strings
from jixiao.read.ods import merged_ranges

Grid = list[list[object]]
Cell = tuple[int, int]
Range = tuple[Cell, Cell]
# Which sheets to load, given every sheet's name in workbook order (None: all).
Chooser = Callable[[Sequence[str]], Sequence[str]]
_SHEET_DATA = b"sheetData"  # what makes a part a worksheet, wherever it lives and whatever its prefix
_HIDDEN = b'hidden="'  # hidden="1" (Excel) or hidden="true"; hidden_rows reads which

SUPPORTED_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")
ZIP_SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".ods")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")
_OLE_SCAN_BYTES = 16 * 1024 * 1024


def is_ole(head: bytes) -> bool:
    """Whether a file's first bytes are those of an OLE container (.xls, .doc, or an encrypted Office file)."""
    return head.startswith(_OLE_MAGIC)


def encrypted(path: Path) -> bool:
    """Whether an OLE container holds an “EncryptionInfo” stream: an Office file with a password."""
    with path.open("rb") as fh:
        return _ENCRYPTION_INFO in fh.read(_OLE_SCAN_BYTES)


def cut(text: str) -> str:
    """A text no longer than limits.MAX_CELL_CHARS (a longer one is cut and ends with “…”)."""
    return text[: limits.MAX_CELL_CHARS] + "…" if len(text) > limits.MAX_CELL_CHARS else text


@dataclass(frozen=True)
class RawWorkbook:
    """The sheets read from one file (``names``: every sheet, in workbook order).

    ``uncomputed``: per sheet, the formulas without a cached value that could not be recomputed;
    ``hidden_rows``: per sheet, the zero-based rows hidden in Excel (read like any other row);
    ``merged``: per sheet, each cell covered by a merged range (but not its top-left cell) → that top-left
    cell. The grid shows the merge's value in every cell it covers, as a person sees it; a value's
    location is still the top-left cell, so a finding never points at a covered cell.
    """

    path: Path
    sheets: dict[str, Grid]
    names: list[str]
    uncomputed: dict[str, dict[tuple[int, int], str]] = field(default_factory=dict)
    hidden_rows: dict[str, list[int]] = field(default_factory=dict)
    merged: dict[str, dict[Cell, Cell]] = field(default_factory=dict)


_NOT_REGULAR = ((stat.S_ISFIFO, "命名管道"), (stat.S_ISCHR, "字符设备"), (stat.S_ISBLK, "块设备"),
                (stat.S_ISSOCK, "套接字"))


def require_regular_file(path: Path) -> None:
    """Open nothing but a regular file (or a folder, said so): a FIFO would block for ever, a device such as
    /dev/zero never ends. ``os.stat`` follows a symbolic link without opening anything."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        broken = path.is_symlink()
        raise UnreadableWorkbook("符号链接指向的文件不存在，未读取" if broken else "文件不存在") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise UnreadableWorkbook("符号链接循环（链接最终指向自己），未读取") from None
        raise UnreadableWorkbook(f"无法打开文件：{exc.strerror or exc}") from None
    if stat.S_ISDIR(info.st_mode):
        raise UnreadableWorkbook("这是一个文件夹，不是工作簿")
    if not stat.S_ISREG(info.st_mode):
        kind = next((name for test, name in _NOT_REGULAR if test(info.st_mode)), "特殊文件")
        raise UnreadableWorkbook(f"不是普通文件（{kind}），未读取")


def is_regular_file(path: Path) -> bool:
    """True when ``path`` is (or links to) a regular file: the only kind anything in jixiao may open."""
    try:
        require_regular_file(path)
    except UnreadableWorkbook:
        return False
    return True


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
    if is_ole(head):
        # An encrypted .xlsx is an OLE container holding an "EncryptionInfo" stream (names are UTF-16LE).
        if encrypted(path):
            raise UnreadableWorkbook("文件已加密，请取消密码后再提交")
        if suffix in ZIP_SUFFIXES:
            raise UnreadableWorkbook(f"这是旧版 .xls 格式的文件却以 {suffix} 命名：请用 Excel 或 WPS 另存为 .xlsx")
    elif suffix in ZIP_SUFFIXES and not zipfile.is_zipfile(path):
        raise UnreadableWorkbook(f"文件已损坏或不是 Excel 工作簿（不是有效的 {suffix} 文件）")


def read_workbook(path: str | Path, choose: Chooser | None = None) -> RawWorkbook:
    """Read the sheets of ``path`` that ``choose`` picks from all the names (all by default) as raw grids.

    Raises UnreadableWorkbook with a Chinese reason. A zip-based file is inspected first (zip bombs,
    entity declarations: read/guard.py); good files then go straight into the engine, and only when it
    fails is the file examined (empty? encrypted? not a zip?) to say why.
    """
    file = Path(path)
    require_regular_file(file)
    suffix = file.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        _sniff(file)
    try:
        if suffix not in ZIP_SUFFIXES:
            return _load(file, choose, None, {})
        with zipfile.ZipFile(file) as zf:
            return _load(file, choose, zf, check_zip(file, zf))
    except JixiaoError:
        raise
    except Exception:  # the engine's errors are many and untyped; the message is what matters
        _sniff(file)
        raise UnreadableWorkbook(f"文件已损坏或不是有效的 {suffix} 文件：请用 Excel 或 WPS 打开确认，"
                                 "另存为 .xlsx 后再提交") from None


def _load(file: Path, choose: Chooser | None, zf: zipfile.ZipFile | None,
          sheet_xml: dict[str, bytes]) -> RawWorkbook:
    # Before the engine: it reads every table of an .ods when it opens the file (merged_ranges measures them).
    ods_merges = merged_ranges(zf) if zf is not None and file.suffix.lower() == ".ods" else {}
    book = CalamineWorkbook.from_path(str(file))
    names = [str(n) for n in book.sheet_names]
    chosen = set(choose(names)) if choose is not None else set(names)
    merged: dict[str, dict[Cell, Cell]] = {}
    # The worksheets among the parts, wherever they live: every part that holds cells.
    worksheets = {part: xml for part, xml in sheet_xml.items() if _SHEET_DATA in xml}
    # Which XML part is which sheet is only worked out when some worksheet holds a formula, a hidden row or a
    # shared-string cell (a data validation's <formula1> is not a formula of a cell).
    special = zf is not None and any(_HIDDEN in xml or has_formulas(xml) or refers_to_shared_strings(xml)
                                     for xml in worksheets.values())
    parts = sheet_parts(zf, sheet_xml) if special and zf is not None else {}
    if zf is not None:  # every worksheet, before the engine writes any shared string out per cell
        strings, named = SharedStrings(zf, sheet_xml), {part: name for name, part in parts.items()}
        for part, body in worksheets.items():
            check_shared_strings(strings, f"工作表“{named[part]}”" if part in named else f"部件 {part} ", body)
    hidden: dict[str, list[int]] = {}
    sheets: dict[str, Grid] = {}
    uncomputed: dict[str, dict[tuple[int, int], str]] = {}
    for name in names:
        if name not in chosen:
            continue
        xml = sheet_xml.get(parts.get(name, ""))
        sheet = book.get_sheet_by_name(name)
        _check_size(name, sheet.total_height, sheet.total_width)
        grid = _grid(sheet.to_python(skip_empty_area=False))
        _check_size(name, len(grid), max((len(r) for r in grid), default=0))  # whatever the engine said
        origins = _fill_merged(grid, sheet.merged_cell_ranges or ods_merges.get(name) or [], name)
        if origins:
            merged[name] = origins
        if xml is not None:
            missing = _compute_formulas(grid, uncached_formulas(xml), name)
            if missing:
                uncomputed[name] = missing
            rows = hidden_rows(xml)
            if rows:
                hidden[name] = rows
        sheets[name] = grid
    return RawWorkbook(file, sheets, names, uncomputed, hidden, merged)


def _grid(rows: Sequence[Sequence[object]]) -> Grid:
    """Calamine's rows with '' (empty) turned into None and over-long text cut."""
    out: Grid = []
    for row in rows:
        cells: list[object] = []
        for v in row:
            if v == "":
                v = None
            elif isinstance(v, str) and len(v) > limits.MAX_CELL_CHARS:
                v = cut(v)
            cells.append(v)
        out.append(cells)
    return out


_ROWS: ContextVar[int | None] = ContextVar("rows", default=None)


@contextlib.contextmanager
def row_limit(rows: int) -> Iterator[None]:
    """Read with another row limit (approved targets: a bureau's export has one row per indicator)."""
    token = _ROWS.set(rows)
    try:
        yield
    finally:
        _ROWS.reset(token)


def _max_rows() -> int:
    return _ROWS.get() or limits.MAX_ROWS


def _check_size(name: str, height: int, width: int) -> None:
    """A sheet past the row or column limit is not a self-evaluation (and must not cost its size)."""
    if height > _max_rows() or width > limits.MAX_COLUMNS:
        raise UnreadableWorkbook(f"工作表{f'“{name}”' if name else ''}有 {height} 行、{width} 列，"
                                 f"超过上限（{_max_rows()} 行、{limits.MAX_COLUMNS} 列），不像是一份自评表")


def _ensure(grid: Grid, row: int, col: int) -> None:
    """Grow ``grid`` to hold (row, col): never past the sheet limits, whoever asks."""
    if row >= _max_rows() or col >= limits.MAX_COLUMNS:
        _check_size("", row + 1, col + 1)
    while len(grid) <= row:
        grid.append([])
    while len(grid[row]) <= col:
        grid[row].append(None)


def _fill_merged(grid: Grid, ranges: Sequence[Range], name: str = "") -> dict[Cell, Cell]:
    """A merged range shows its top-left value in every cell it covers (as a person sees it).

    Returns covered cell → top-left cell. Ranges are de-duplicated and clipped to the cells the sheet
    holds data in (a merge reaching past them covers nothing anyone reads), and together may cover at most
    MAX_MERGED_CELLS cells (Excel never lets merges overlap; a template's cover a few hundred), so the work
    is bounded whatever the ranges claim.
    """
    origins: dict[Cell, Cell] = {}
    height = len(grid)
    width = max((len(r) for r in grid), default=0)
    clipped = [((r1, c1), (min(r2, height - 1), min(c2, width - 1))) for (r1, c1), (r2, c2) in dict.fromkeys(ranges)
               if 0 <= r1 < height and 0 <= c1 < width]
    covered = sum((r2 - r1 + 1) * (c2 - c1 + 1) for (r1, c1), (r2, c2) in clipped if r2 >= r1 and c2 >= c1)
    if covered > limits.MAX_MERGED_CELLS:
        raise UnreadableWorkbook(f"工作表“{name}”的合并单元格覆盖 {covered:,} 个单元格（上限 "
                                 f"{limits.MAX_MERGED_CELLS:,}），不像是一份自评表，已拒绝读取")
    for (r1, c1), (r2, c2) in clipped:
        value = grid[r1][c1] if c1 < len(grid[r1]) else None
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                if (r, c) == (r1, c1) or (r, c) in origins:
                    continue
                origins[(r, c)] = (r1, c1)
                if value is not None:
                    _ensure(grid, r, c)
                    if grid[r][c] is None:
                        grid[r][c] = value
    return origins


def _compute_formulas(grid: Grid, formulas: dict[Cell, str], name: str = "") -> dict[Cell, str]:
    """Fill in what simple uncached formulas compute; return the ones that could not be computed.

    The engine reads a formula without a cached value as empty, so such cells are not counted in the
    sheet's size: a formula past the row or column limit makes the sheet unreadable like any cell there.
    """
    if not formulas:
        return {}
    height = max(len(grid), max(r for r, _ in formulas) + 1)
    width = max(max((len(r) for r in grid), default=0), max(c for _, c in formulas) + 1)
    _check_size(name, height, width)
    for row, col in formulas:
        _ensure(grid, row, col)
    return Recompute(grid, formulas, height, width).run()
