"""The stacked tables as typed pandera models: columns, dtypes, nullability, value sets and ranges.

A column missing from a stacked table, or of the wrong type, is a schema error that says so (never a
silent pass). The ranges 0 ≤ 分值 and 0 ≤ 得分 are declared here as the column checks of rule I004, so
their failures map back to cells like every other table rule's.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

STATUSES = ["met", "not_met", "qualitative", "missing", "unit_mismatch", "no_weight", "criteria", "parts"]
DIRECTIONS = ["forward", "reverse", "equal", "qualitative"]
KINDS = ["blank", "placeholder", "number", "text"]
LEVELS = ["", "achieved", "partial", "failed"]


class IndicatorFrame(pa.DataFrameModel):
    """One row per indicator of every table in a chunk (the columns the table rules read)."""

    score: Series[float] = pa.Field(nullable=True)
    weight: Series[float] = pa.Field(nullable=True)
    rule_score: Series[float] = pa.Field(nullable=True)
    band_low: Series[float] = pa.Field(nullable=True)
    band_high: Series[float] = pa.Field(nullable=True)
    ratio: Series[float] = pa.Field(nullable=True)
    status: Series[str] = pa.Field(isin=STATUSES)
    level: Series[str] = pa.Field(isin=LEVELS)
    direction: Series[str] = pa.Field(isin=DIRECTIONS)
    target_kind: Series[str] = pa.Field(isin=KINDS)
    actual_kind: Series[str] = pa.Field(isin=KINDS)
    reason_blank: Series[bool]
    unit_mismatch: Series[bool]

    @pa.check("score", "weight", name="I004")
    def non_negative(cls, series: pd.Series) -> pd.Series:
        """0 ≤ 分值 and 0 ≤ 得分 (blank is I013's)."""
        return series.isna() | (series >= 0)

    class Config:
        coerce = True
        strict = False
        name = "indicators"


class FundFrame(pa.DataFrameModel):
    """One row per fund row of every table in a chunk (the columns the table rules read)."""

    is_total: Series[bool]
    rate_written: Series[float] = pa.Field(nullable=True)
    rate_computed: Series[float] = pa.Field(nullable=True)
    executed: Series[float] = pa.Field(nullable=True)
    budget: Series[float] = pa.Field(nullable=True)
    score: Series[float] = pa.Field(nullable=True)
    rule_score: Series[float] = pa.Field(nullable=True)

    class Config:
        coerce = True
        strict = False
        name = "funds"


MODELS: dict[str, type[pa.DataFrameModel]] = {"indicators": IndicatorFrame, "funds": FundFrame}
