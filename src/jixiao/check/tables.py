"""Run the table rules as one pandera schema per table, lazily, and map failures back to cells."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from jixiao.check.frames import CHECK_COLUMNS
from jixiao.findings import clean
from jixiao.model import Loc
from jixiao.profile import Profile
from jixiao.rules.registry import Hit, Rule, TableCheck


class _Row(dict[str, Any]):
    """Format-map that shows numbers the way a person writes them."""

    def __getitem__(self, key: str) -> Any:
        value = clean(super().__getitem__(key))
        if isinstance(value, float):
            return f"{value:g}"
        return "" if value is None else value


def _check(rule: Rule, profile: Profile) -> pa.Check:
    spec = rule.table
    assert spec is not None

    def passes(frame: pd.DataFrame) -> pd.Series:
        return spec.passes(frame, profile).fillna(True).astype(bool)

    return pa.Check(passes, name=rule.code)


_SCHEMAS: dict[tuple[str, tuple[str, ...], int], tuple[Profile, pa.DataFrameSchema]] = {}


def _schema(table: str, rules: list[Rule], profile: Profile) -> pa.DataFrameSchema:
    """One schema per (table, rule set, profile), built once and reused for every batch."""
    key = (table, tuple(r.code for r in rules), id(profile))
    cached = _SCHEMAS.get(key)
    if cached is None or cached[0] is not profile:
        cached = (profile, pa.DataFrameSchema(checks=[_check(r, profile) for r in rules], name=table))
        _SCHEMAS[key] = cached
    return cached[1]


def failing_rows(frame: pd.DataFrame, table: str, rules: list[Rule], profile: Profile) -> list[tuple[str, int]]:
    """(rule code, frame index) of every failing row, via one lazy pandera validation."""
    if frame.empty or not rules:
        return []
    try:
        _schema(table, rules, profile).validate(frame[CHECK_COLUMNS[table]], lazy=True)
    except SchemaErrors as exc:
        # A frame-wide check lists each failing row once per column: keep one per (check, row).
        cases = exc.failure_cases[["check", "index"]].dropna().drop_duplicates()
        return [(str(code), int(index)) for code, index in zip(cases["check"], cases["index"], strict=True)]
    return []


def hits_for(frame: pd.DataFrame, failures: list[tuple[str, int]], specs: dict[str, TableCheck]
             ) -> list[tuple[str, int, Hit]]:
    """(code, workbook id, Hit) for each failure; only the failing rows are turned into dicts."""
    if not failures:
        return []
    index = sorted({i for _, i in failures})
    rows = dict(zip(index, frame.loc[index].to_dict("records"), strict=True))
    out = []
    for code, i in failures:
        spec = specs[code]
        row = _Row({str(k): v for k, v in rows[i].items()})
        loc = Loc(str(dict.__getitem__(row, "sheet")), dict.get(row, f"cell_{spec.anchor}"))
        expected, actual = (clean(dict.get(row, v)) if isinstance(v, str) else v
                            for v in (spec.expected, spec.actual))
        out.append((code, int(dict.__getitem__(row, "wb")),
                    Hit(loc, spec.message.format_map(row), expected, actual)))
    return out
