"""Flatten models and scorecards into the stacked tables the pandera (table) rules validate.

One row per indicator (or fund row) of *all* workbooks in a chunk, so pandera's fixed per-call cost is
paid once per chunk, not once per workbook. The frames hold only the columns the rules read, built column
by column; for a failing row the full row (``wb``, texts, and the ``cell_*`` columns saying where each value
sits) is made on demand, so every failure maps back to an exact cell without building it for every row.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

import pandas as pd

from jixiao.model import Evaluation, Field, FundRow, Indicator
from jixiao.score.scorer import IndicatorScore, Scorecard

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


def indicator_row(wb: int, ind: Indicator, sc: IndicatorScore) -> dict[str, Any]:
    """One indicator as a full row: what the table rules read and what their messages show."""
    fields = {"level1": ind.level1, "level2": ind.level2, "name": ind.name, "target": ind.target,
              "actual": ind.actual, "weight": ind.weight, "score": ind.score, "reason": ind.reason}
    return {
        "wb": wb, "sheet": ind.score.loc.sheet, **_cells("cell_", fields),
        "name": ind.name.text, "target_text": ind.target.text, "actual_text": ind.actual.text,
        "target_unit": ind.target.qty.unit or "（无单位）", "actual_unit": ind.actual.qty.unit or "（无单位）",
        "level_label": LEVEL_LABELS.get(sc.level or "", ""),
        "missing_what": _missing_what(ind.target.qty.kind, ind.actual.qty.kind),
        **_indicator_checks(ind, sc),
    }


def _indicator_checks(ind: Indicator, sc: IndicatorScore) -> dict[str, Any]:
    # 得分 and 分值 as the scorer took them: a cell merged over several rows counts once, on the first of them
    return {"score": _nan(sc.claimed), "weight": _nan(sc.weight), "rule_score": _nan(sc.rule_score),
            "band_low": sc.band[0] if sc.band else NAN, "band_high": sc.band[1] if sc.band else NAN,
            "status": sc.status, "level": sc.level or "", "reason_blank": ind.reason.blank,
            "direction": sc.direction, "ratio": _nan(sc.ratio), "unit_mismatch": sc.unit_mismatch,
            "target_kind": ind.target.qty.kind, "actual_kind": ind.actual.qty.kind}


_FUND_COLUMNS = ("initial", "budget", "executed", "weight", "rate", "score")


def fund_row(wb: int, key: str, fund: FundRow, card: Scorecard) -> dict[str, Any]:
    """One fund row as a full row; the rates and the rule's score belong to the total row only."""
    fields = {c: getattr(fund, c) for c in _FUND_COLUMNS}
    row: dict[str, Any] = {"wb": wb, "key": key, "label": fund.label.text, "sheet": fund.label.loc.sheet,
                           **_cells("cell_", fields), "rate_text": fund.rate.text}
    for col in ("initial", "weight", "rate"):  # the checked columns (budget, executed, score …) come below
        row[col] = _num(fields[col])
    row.update(_fund_checks(key, fund, card))
    row["rate_written_pct"] = round(row["rate_written"] * 100, 2)
    row["rate_computed_pct"] = round(row["rate_computed"] * 100, 2)
    return row


def _fund_checks(key: str, fund: FundRow, card: Scorecard) -> dict[str, Any]:
    is_total = key == "total"
    budget = card.budget
    return {"is_total": is_total, "rate_written": _nan(budget.rate_written) if is_total else NAN,
            "rate_computed": _nan(budget.rate) if is_total else NAN, "executed": _num(fund.executed),
            "budget": _num(fund.budget), "score": _num(fund.score),
            "rule_score": _nan(budget.rule_score) if is_total else NAN}


# The columns the table rules read: the stacked frames hold only these (built column by column); the
# text and cell columns a message shows are made for the failing rows alone (Stacked.row).
CHECK_COLUMNS = {
    "indicators": ["score", "weight", "rule_score", "band_low", "band_high", "status", "level", "reason_blank",
                   "direction", "ratio", "unit_mismatch", "target_kind", "actual_kind"],
    "funds": ["is_total", "rate_written", "rate_computed", "executed", "budget", "score", "rule_score"],
}


# A row's checked values, in column order (itemgetter of two or more keys gives a tuple).
assert all(len(cols) > 1 for cols in CHECK_COLUMNS.values())
_IN_ORDER = {t: itemgetter(*cols) for t, cols in CHECK_COLUMNS.items()}


@dataclass
class Stacked:
    """One table of many workbooks: ``frame`` (the checked columns, a fresh RangeIndex) and, per frame row,
    where it came from, so the full row of a failing one is made on demand."""

    table: str
    frame: pd.DataFrame
    refs: list[tuple[int, Evaluation, Scorecard, int | str]]

    def row(self, index: int) -> dict[str, Any]:
        """The full row (check columns, texts, cells) of frame row ``index``."""
        wb, model, card, ref = self.refs[index]
        if self.table == "indicators":
            assert isinstance(ref, int)
            return indicator_row(wb, model.indicators[ref], card.indicators[ref])
        assert isinstance(ref, str)
        return fund_row(wb, ref, model.funds[ref], card)


def build_tables(items: Sequence[tuple[int, Evaluation, Scorecard]]) -> dict[str, Stacked]:
    """Every table, stacked over all ``items``: one tuple of the checked columns per row, which pandas turns
    into columns in one pass (faster than appending to a list per column)."""
    rows: dict[str, list[tuple[Any, ...]]] = {t: [] for t in CHECK_COLUMNS}
    refs: dict[str, list[tuple[int, Evaluation, Scorecard, int | str]]] = {t: [] for t in CHECK_COLUMNS}
    for wb, model, card in items:
        for i, (ind, sc) in enumerate(zip(model.indicators, card.indicators, strict=True)):
            rows["indicators"].append(_IN_ORDER["indicators"](_indicator_checks(ind, sc)))
            refs["indicators"].append((wb, model, card, i))
        for key, fund in model.funds.items():
            rows["funds"].append(_IN_ORDER["funds"](_fund_checks(key, fund, card)))
            refs["funds"].append((wb, model, card, key))
    return {t: Stacked(t, pd.DataFrame(rows[t], columns=cols), refs[t]) for t, cols in CHECK_COLUMNS.items()}
