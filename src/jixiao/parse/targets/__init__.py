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
from jixiao.parse.lexicon import Lexicon
from jixiao.parse.sheet import Sheet
from jixiao.read import limits
from jixiao.read.excel import RawWorkbook, read_workbook, row_limit

if TYPE_CHECKING:
    from jixiao.pair import TargetIndex
    from jixiao.profile import Profile

TARGET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods", ".csv")


@dataclass(frozen=True)
class TargetImporter:
    """A layout of approved targets: ``parse(sheet, path)`` → the approvals on that sheet ([]: not this layout)."""

    name: str
    parse: Callable[[Sheet, str, Lexicon], list[Approval]]


def _importers() -> list[TargetImporter]:
    from jixiao.parse.targets import flat, form

    return [TargetImporter("flat", flat.parse_sheet), TargetImporter("form", form.parse_sheet)]


def read_targets(path: Path, lex: Lexicon | None = None) -> list[Approval]:
    """The approved tables in one file (read with ``lex``; the national profile's by default); UnreadableWorkbook
    (with the reason) when it holds none."""
    if lex is None:
        from jixiao.parse.lexicon import lexicon_for
        from jixiao.profile import load_profile

        lex = lexicon_for(load_profile())
    raw = _read(path)
    out: list[Approval] = []
    for name in raw.names:
        if name not in raw.sheets:
            continue
        sheet = Sheet(name, raw.sheets[name], raw.merged.get(name, {}))
        for importer in _importers():
            found = importer.parse(sheet, str(path), lex)
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


def load_targets(paths: list[Path], profile: Profile | None = None) -> TargetIndex:
    """Every approved table in ``paths`` (files, or folders searched recursively for .xlsx/.xls/.ods/.csv),
    read with the words of ``profile`` (national by default) and every shipped profile; a file that cannot be
    read is listed with its reason, never stops the run."""
    from jixiao.pair import TargetIndex
    from jixiao.parse.lexicon import lexicon_for
    from jixiao.profile import load_profile

    lex = lexicon_for(profile or load_profile())
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
            approvals += read_targets(file, lex)
        except UnreadableWorkbook as exc:
            unreadable.append((str(file), str(exc)))
        except (RecursionError, MemoryError):
            unreadable.append((str(file), "文件过大或结构异常，无法读取"))
    return TargetIndex(approvals, unreadable, "、".join(str(p) for p in paths))


def targets_for_run(paths: list[Path], profile: Profile | None = None) -> TargetIndex | None:
    """The approved tables a run compares with (``--targets``, or the settings' ``targets``), read once before
    any self-evaluation; None without any. JixiaoError (one Chinese line) when a path is missing or nothing in
    them is an approved table."""
    from jixiao.errors import JixiaoError

    if not paths:
        return None
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise JixiaoError(f"找不到批复的绩效目标表：{'、'.join(missing)}")
    index = load_targets(paths, profile)
    if not index.approvals:
        reasons = "；".join(f"{Path(p).name}：{e}" for p, e in index.unreadable[:3])
        raise JixiaoError(f"在 {index.source} 中没有读到任何绩效目标表{('（' + reasons + '）') if reasons else ''}")
    return index
