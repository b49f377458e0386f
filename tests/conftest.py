"""Shared helpers: build real workbooks from sample specs and check them."""

from __future__ import annotations

import copy
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from jixiao.check.runner import run
from jixiao.findings import WorkbookResult
from jixiao.profile import Profile, load_profile
from jixiao.template.build import write_workbook
from jixiao.template.official import write_official

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT / "scripts" / "samples"
SAMPLES = ROOT / "samples"


def load_spec(prefix: str) -> dict[str, Any]:
    """The sample spec whose file name starts with ``prefix`` (e.g. "02")."""
    (path,) = sorted(SPECS.glob(f"{prefix}_*.toml"))
    return tomllib.loads(path.read_text("utf-8"))


def _walk(spec: dict[str, Any], dotted: str) -> tuple[Any, str | int]:
    parts = dotted.split(".")
    node: Any = spec
    for part in parts[:-1]:
        node = node[int(part)] if isinstance(node, list) else node.setdefault(part, {})
    last = parts[-1]
    return node, int(last) if isinstance(node, list) else last


def patched(spec: Mapping[str, Any], changes: Mapping[str, Any] | None = None,
            delete: list[str] | None = None) -> dict[str, Any]:
    """A deep copy of ``spec`` with dotted-path changes and deletions applied."""
    out = copy.deepcopy(dict(spec))
    for dotted, value in (changes or {}).items():
        node, key = _walk(out, dotted)
        if isinstance(node, list) and isinstance(key, int) and key == len(node):
            node.append(value)
        else:
            node[key] = value
    for dotted in delete or []:
        node, key = _walk(out, dotted)
        node.pop(key) if isinstance(node, dict) else node.__setitem__(key, None)
    return out


def write_case(path: Path, spec: Mapping[str, Any], cells: Mapping[str, Any] | None = None,
               drop_sheets: list[str] | None = None, hide_rows: Mapping[str, list[int]] | None = None,
               layout: str = "template") -> Path:
    """Write ``spec`` as a workbook in ``layout`` (template or official), then overwrite raw cells / drop
    sheets / hide rows with openpyxl."""
    (write_official if layout == "official" else write_workbook)(path, spec)
    if cells or drop_sheets or hide_rows:
        wb = load_workbook(path)
        for sheet_name, rows in (hide_rows or {}).items():
            for row in rows:
                wb[sheet_name].row_dimensions[row].hidden = True
        for ref, value in (cells or {}).items():
            sheet, cell = ref.split("!")
            wb[sheet][cell] = value
        for name in drop_sheets or []:
            del wb[name]
        wb.save(path)
    return path


def write_grid(path: Path, sheets: Mapping[str, tuple[list[list[Any]], list[str]]]) -> Path:
    """A workbook of sheets given as rows of values (None or "" for an empty cell) and merged ranges (A1)."""
    from openpyxl import Workbook

    wb = Workbook()
    assert wb.active is not None
    wb.remove(wb.active)
    for name, (rows, merges) in sheets.items():
        ws = wb.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for col, value in enumerate(row, start=1):
                if value not in (None, ""):
                    ws.cell(row=r, column=col, value=value)
        for rng in merges:
            ws.merge_cells(rng)
    wb.save(path)
    return path


def check_one(path: Path, profile: Profile | None = None) -> WorkbookResult:
    """Check one workbook with the national (or given) profile."""
    report = run([path], profile or load_profile())
    (result,) = report.workbooks
    return result


@pytest.fixture(scope="session")
def national() -> Profile:
    """The bundled national profile."""
    return load_profile()
