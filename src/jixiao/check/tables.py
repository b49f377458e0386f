"""Run the table rules as one pandera schema per table, lazily, and map failures back to cells."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from jixiao.check.frames import CHECK_COLUMNS, Stacked
from jixiao.check.schemas import MODELS
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
    assert rule.table is not None and rule.table.passes is not None
    check = rule.table.passes

    def passes(frame: pd.DataFrame) -> pd.Series:
        return check(frame, profile).fillna(True).astype(bool)

    return pa.Check(passes, name=rule.code)


_SCHEMAS: dict[tuple[str, tuple[str, ...], int], tuple[Profile, pa.DataFrameSchema]] = {}


def _schema(table: str, rules: list[Rule], profile: Profile) -> pa.DataFrameSchema:
    """One schema per (table, rule set, profile), built once and reused for every batch: the table's typed
    model (schemas.py) plus each table rule as a named frame-wide check."""
    key = (table, tuple(r.code for r in rules), id(profile))
    cached = _SCHEMAS.get(key)
    if cached is None or cached[0] is not profile:
        checks = [_check(r, profile) for r in rules if r.table is not None and r.table.passes is not None]
        schema = MODELS[table].to_schema()
        cached = (profile, pa.DataFrameSchema(columns=schema.columns, checks=[*schema.checks, *checks],
                                              name=table, coerce=True))
        _SCHEMAS[key] = cached
    return cached[1]


def failing_rows(frame: pd.DataFrame, table: str, rules: list[Rule], profile: Profile
                 ) -> tuple[list[tuple[str, int]], dict[str, str]]:
    """(rule code, frame index) of every failing row, via one lazy pandera validation; and the rules whose
    check could not run at all (code → the error), which pandera reports as a failure with no index."""
    if frame.empty or not rules:
        return [], {}
    codes = {r.code for r in rules}
    columns = [c for c in CHECK_COLUMNS[table] if c in frame.columns]  # a missing one is a schema error
    try:
        _schema(table, rules, profile).validate(frame[columns], lazy=True)
    except SchemaErrors as exc:
        cases = exc.failure_cases
        broken: dict[str, str] = {}
        for check, column, case, index in zip(cases["check"], cases["column"], cases["failure_case"],
                                              cases["index"], strict=True):
            if str(check) not in codes:  # the schema itself: a column missing or of the wrong type
                for code in codes:
                    broken.setdefault(code, f"表格“{table}”的列 {column} 不符合模式（{check}: {case}）")
            elif index is None or index != index:
                broken.setdefault(str(check), str(case))
        # A frame-wide check lists each failing row once per column: keep one per (check, row).
        found = cases[cases["check"].isin(codes)][["check", "index"]].dropna().drop_duplicates()
        rows = [(str(code), int(index)) for code, index in zip(found["check"], found["index"], strict=True)
                if str(code) not in broken]
        return rows, broken
    return [], {}


def hits_for(stacked: Stacked, failures: list[tuple[str, int]], specs: dict[str, TableCheck]
             ) -> list[tuple[str, int, Hit]]:
    """(code, workbook id, Hit) for each failure; only the failing rows are turned into full rows."""
    if not failures:
        return []
    rows = {i: stacked.row(i) for i in sorted({i for _, i in failures})}
    out = []
    for code, i in failures:
        spec = specs[code]
        row = _Row(rows[i])
        cell = clean(dict.get(row, f"cell_{spec.anchor}"))  # None where a column was absent
        if not isinstance(cell, str):  # then the finding points at the row itself (its name or label)
            cell = clean(dict.get(row, "cell_name", dict.get(row, "cell_label")))
        loc = Loc(str(dict.__getitem__(row, "sheet")), cell if isinstance(cell, str) else None)
        expected, actual = (clean(dict.get(row, v)) if isinstance(v, str) else v
                            for v in (spec.expected, spec.actual))
        out.append((code, int(dict.__getitem__(row, "wb")),
                    Hit(loc, spec.message.format_map(row), expected, actual)))
    return out
