"""F002 填写的执行率与“全年执行数÷全年预算数”不符。

依据：预算执行率 = 全年执行数 ÷ 全年预算数（财预〔2020〕10号附件）；填写值与计算值不符会直接影响预算执行得分。

反例：

    全年预算数 200，全年执行数 167，执行率写 98%（应为 83.5%）。

正例：

    执行率 83.5%（也可写作 0.835 或 83.5）。
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from jixiao.findings import Severity
from jixiao.profile import Profile
from jixiao.rules.registry import TableCheck, table_rule

if TYPE_CHECKING:  # pandas is only needed where the table checks run (the workers)
    import pandas as pd


def _passes(frame: pd.DataFrame, profile: Profile) -> pd.Series:
    gap = (frame["rate_written"] - frame["rate_computed"]).abs() * 100
    return ~(frame["is_total"] & (gap > profile.rate_tolerance))


RULE = table_rule(
    "F002", "rate-written", Severity.ERROR, "填写的执行率与计算值不符",
    TableCheck("funds", "rate", _passes,
               "执行率写为 {rate_text}，按全年执行数÷全年预算数应为 {rate_computed_pct}%",
               expected="rate_computed_pct", actual="rate_written_pct"),
    __name__,
    needs=("funds",),
    reads=("scoring.fraction_max", "scoring.rate_tolerance"))
