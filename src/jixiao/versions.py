"""Two versions of one submission compared: the cells that changed and the findings fixed, new and remaining.

An agency returns a corrected workbook; the officer wants to see what changed, not read it again. Each version's
cells are kept when it is checked (:func:`snapshot`, made by the reader where the check runs: in a server's
worker, under its budgets), so comparing two versions later reads no file. A finding is the same finding in
both versions when its rule and its place are (code, sheet, cell): a score corrected from 15 to 14.8 where 14.7
is due still leaves I005 at H7 (its message changes with the numbers; it is not fixed).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from jixiao.cells import a1

MAX_CELLS = 20_000  # cells kept of one version (a self-evaluation table has a few hundred)
MAX_TEXT = 200  # characters kept of one cell

Cells = dict[str, dict[str, str]]  # sheet → {A1 cell: the value as text}


def snapshot(path: Path) -> Cells | None:
    """The non-empty cells of the workbook at ``path`` as text, sheet by sheet (a merged range once, at its
    top-left cell); None for a file that is not a workbook (a 自评报告 .docx) or cannot be read."""
    from jixiao.errors import JixiaoError
    from jixiao.read.excel import SUPPORTED_SUFFIXES, read_workbook

    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        return None
    try:
        raw = read_workbook(path)
    except JixiaoError:
        return None
    out: Cells = {}
    kept = 0
    for name in raw.names:
        covered = raw.merged.get(name, {})
        cells: dict[str, str] = {}
        for r, row in enumerate(raw.sheets.get(name, [])):
            for c, value in enumerate(row):
                if value is None or (r, c) in covered or kept >= MAX_CELLS:
                    continue
                cells[a1(r, c)] = _text(value)
                kept += 1
        out[name] = cells
    return out


def _text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()[:MAX_TEXT]


@dataclass(frozen=True)
class CellChange:
    """One cell whose value differs between the versions ('' where it was, or became, empty)."""

    sheet: str
    cell: str
    before: str
    after: str


def changed_cells(before: Cells, after: Cells) -> list[CellChange]:
    """Every cell whose text differs, sheet by sheet in the newer version's order (sheets only the older one
    had come last), row by row."""
    out: list[CellChange] = []
    for sheet in [*after, *(s for s in before if s not in after)]:
        old, new = before.get(sheet, {}), after.get(sheet, {})
        for cell in sorted(set(old) | set(new), key=_position):
            if old.get(cell, "") != new.get(cell, ""):
                out.append(CellChange(sheet, cell, old.get(cell, ""), new.get(cell, "")))
    return out


def _position(cell: str) -> tuple[int, int]:
    letters = cell.rstrip("0123456789")
    col = 0
    for ch in letters:
        col = col * 26 + ord(ch) - 64
    return int(cell[len(letters):] or 0), col


@dataclass(frozen=True)
class FindingChanges:
    """The findings of the older version the newer one no longer has (fixed), those only the newer one has
    (new), and those both have (remaining, as the newer one states them)."""

    fixed: list[Mapping[str, Any]]
    new: list[Mapping[str, Any]]
    remaining: list[Mapping[str, Any]]


def _key(f: Mapping[str, Any]) -> tuple[str, str, str]:
    return str(f.get("code") or ""), str(f.get("sheet") or ""), str(f.get("cell") or "")


def compare_findings(before: Sequence[Mapping[str, Any]], after: Sequence[Mapping[str, Any]]) -> FindingChanges:
    """Findings (as the JSON report writes them) matched by rule and place."""
    old = {_key(f) for f in before}
    new = {_key(f) for f in after}
    return FindingChanges([f for f in before if _key(f) not in new], [f for f in after if _key(f) not in old],
                          [f for f in after if _key(f) in old])


def compare(before_cells: Cells | None, after_cells: Cells | None, before: Sequence[Mapping[str, Any]],
            after: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """A later version against the one before, as the officer's page shows it: the cells changed (None when
    either version's cells were not kept), the findings fixed, new and remaining, and the line that sums it up."""
    cells = changed_cells(before_cells, after_cells) if before_cells is not None and after_cells is not None else None
    findings = compare_findings(before, after)
    return {"cells": [asdict(c) for c in cells] if cells is not None else None, "fixed": findings.fixed,
            "new": findings.new, "remaining": findings.remaining, "line": summary_line(cells, findings)}


def summary_line(cells: Iterable[CellChange] | None, findings: FindingChanges) -> str:
    """One line: how many cells changed, findings fixed, new and remaining."""
    counted = "单元格内容未保存" if cells is None else f"改动 {len(list(cells))} 个单元格"
    return (f"{counted}；问题：改正 {len(findings.fixed)} 个，新出现 {len(findings.new)} 个，"
            f"仍有 {len(findings.remaining)} 个")
