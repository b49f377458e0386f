"""Flatten models and scorecards into the stacked tables the pandera (table) rules validate.

One row per indicator (or fund row) of *all* workbooks in a batch, so pandera's fixed per-call cost is
paid once per batch, not once per workbook. ``wb`` says which workbook a row came from and the
``cell_*`` columns say where each value sits, so every failure maps back to an exact cell.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import pandas as pd

from jixiao.model import Evaluation, Field
from jixiao.score.scorer import Scorecard

NAN = math.nan
LEVEL_LABELS = {"achieved": "达成年度指标", "partial": "部分达成", "failed": "未达成"}
_EMPTY = ("blank", "placeholder")


def _missing_what(target_kind: str, actual_kind: str) -> str:
    names = [n for n, k in (("年度指标值", target_kind), ("实际完成值", actual_kind)) if k in _EMPTY]
    return "和".join(names)


def _nan(value: float | None) -> float:
    return NAN if value is None else value


def _num(fld: Field) -> float:
    return _nan(fld.value)


def _cells(prefix: str, fields: dict[str, Field]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, fld in fields.items():
        out[f"{prefix}{key}"] = fld.loc.cell
    return out


def indicator_rows(wb: int, model: Evaluation, card: Scorecard) -> list[dict[str, Any]]:
    """The indicator table rows of one workbook."""
    rows = []
    for ind, sc in zip(model.indicators, card.indicators, strict=True):
        fields = {"level1": ind.level1, "level2": ind.level2, "name": ind.name, "target": ind.target,
                  "actual": ind.actual, "weight": ind.weight, "score": ind.score, "reason": ind.reason}
        rows.append({
            "wb": wb, "sheet": ind.score.loc.sheet, **_cells("cell_", fields),
            "name": ind.name.text, "target_text": ind.target.text, "actual_text": ind.actual.text,
            "target_kind": ind.target.qty.kind, "actual_kind": ind.actual.qty.kind,
            "target_unit": ind.target.qty.unit or "（无单位）", "actual_unit": ind.actual.qty.unit or "（无单位）",
            "weight": _num(ind.weight), "score": _num(ind.score),
            "direction": sc.direction, "status": sc.status,
            "rule_score": _nan(sc.rule_score),
            "band_low": sc.band[0] if sc.band else NAN, "band_high": sc.band[1] if sc.band else NAN,
            "level": sc.level or "", "level_label": LEVEL_LABELS.get(sc.level or "", ""),
            "missing_what": _missing_what(ind.target.qty.kind, ind.actual.qty.kind), "ratio": _nan(sc.ratio),
            "unit_mismatch": sc.unit_mismatch, "reason_blank": ind.reason.blank,
        })
    return rows


_FUND_COLUMNS = ("initial", "budget", "executed", "weight", "rate", "score")


def fund_rows(wb: int, model: Evaluation, card: Scorecard) -> list[dict[str, Any]]:
    """The fund table rows of one workbook; the rates and the rule's score belong to the total row only."""
    rows = []
    for key, fund in model.funds.items():
        fields = {c: getattr(fund, c) for c in _FUND_COLUMNS}
        row: dict[str, Any] = {"wb": wb, "key": key, "label": fund.label.text, "sheet": fund.label.loc.sheet,
                               **_cells("cell_", fields)}
        for col, fld in fields.items():
            row[col] = _num(fld)
        row["rate_text"] = fund.rate.text
        is_total = key == "total"
        budget = card.budget
        row["rate_written"] = _nan(budget.rate_written) if is_total else NAN
        row["rate_computed"] = _nan(budget.rate) if is_total else NAN
        row["rule_score"] = _nan(budget.rule_score) if is_total else NAN
        row["is_total"] = is_total
        row["rate_written_pct"] = round(row["rate_written"] * 100, 2)
        row["rate_computed_pct"] = round(row["rate_computed"] * 100, 2)
        rows.append(row)
    return rows


TABLES = {"indicators": indicator_rows, "funds": fund_rows}
# The columns the table rules read. pandera reports a frame-wide check's failure once per column, so
# validating only these (not the text and cell columns used for messages) keeps failures cheap.
CHECK_COLUMNS = {
    "indicators": ["score", "weight", "rule_score", "band_low", "band_high", "status", "level", "reason_blank",
                   "direction", "ratio", "unit_mismatch", "target_kind", "actual_kind"],
    "funds": ["is_total", "rate_written", "rate_computed", "executed", "budget", "score", "rule_score"],
}


def build_tables(items: Sequence[tuple[int, Evaluation, Scorecard]]) -> dict[str, pd.DataFrame]:
    """Every table, stacked over all ``items``, with a fresh RangeIndex."""
    out: dict[str, pd.DataFrame] = {}
    for name, builder in TABLES.items():
        rows: list[dict[str, Any]] = []
        for wb, model, card in items:
            rows.extend(builder(wb, model, card))
        out[name] = pd.DataFrame(rows)
    return out
