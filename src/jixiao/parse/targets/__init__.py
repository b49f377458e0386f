"""Approved target tables (批复的绩效目标表): an importer per layout, each a module plus a registration.

``read_targets(path)`` reads one file (.xlsx/.xls/.ods through the same reader, limits and bad-file reasons as
a self-evaluation; .csv as text) into :class:`~jixiao.model.Approval` entries: every sheet is offered to the
importers in order, and the first that finds its table there reads it. ``flat`` (system exports, one row per
indicator, many projects) is tried before ``form`` (a printed table, one project per sheet).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from jixiao.errors import UnreadableWorkbook
from jixiao.model import Approval
from jixiao.parse.official import Sheet
from jixiao.read import limits
from jixiao.read.excel import RawWorkbook, read_workbook, row_limit

if TYPE_CHECKING:
    from jixiao.pair import TargetIndex

TARGET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods", ".csv")


@dataclass(frozen=True)
class TargetImporter:
    """A layout of approved targets: ``parse(sheet, path)`` → the approvals on that sheet ([]: not this layout)."""

    name: str
    parse: Callable[[Sheet, str], list[Approval]]


def _importers() -> list[TargetImporter]:
    from jixiao.parse.targets import flat, form

    return [TargetImporter("flat", flat.parse_sheet), TargetImporter("form", form.parse_sheet)]


def read_targets(path: Path) -> list[Approval]:
    """The approved tables in one file; UnreadableWorkbook (with the reason) when it holds none."""
    raw = _read(path)
    out: list[Approval] = []
    for name in raw.names:
        if name not in raw.sheets:
            continue
        sheet = Sheet(name, raw.sheets[name], raw.merged.get(name, {}))
        for importer in _importers():
            found = importer.parse(sheet, str(path))
            if found:
                out.extend(found)
                break
    if not out:
        raise UnreadableWorkbook("不是绩效目标表：没有在任何工作表中找到“一级指标”“三级指标”（或“指标内容”）“指标值”栏目")
    return out


def _read(path: Path) -> RawWorkbook:
    if path.suffix.lower() == ".csv":
        from jixiao.read.csvfile import read_csv

        return read_csv(path)
    with row_limit(limits.MAX_TARGET_ROWS):
        return read_workbook(path)


def load_targets(paths: list[Path]) -> TargetIndex:
    """Every approved table in ``paths`` (files, or folders searched recursively for .xlsx/.xls/.ods/.csv);
    a file that cannot be read is listed with its reason, never stops the run."""
    from jixiao.pair import TargetIndex

    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.suffix.lower() in TARGET_SUFFIXES
                            and not p.name.startswith(("~$", ".")) and p.is_file())
        else:
            files.append(path)
    approvals: list[Approval] = []
    unreadable: list[tuple[str, str]] = []
    for file in files:
        try:
            approvals += read_targets(file)
        except UnreadableWorkbook as exc:
            unreadable.append((str(file), str(exc)))
        except (RecursionError, MemoryError) as exc:
            unreadable.append((str(file), f"文件过大或结构异常，无法读取（{type(exc).__name__}）"))
    return TargetIndex(approvals, unreadable, "、".join(str(p) for p in paths))
