"""I007 实际完成值与年度指标值的单位不一致。

依据：单位不同的数值不能直接比较（只 与 头、元 与 万元、100 与 100%）；单位不一致时按比例计分无从谈起。

反例：

    年度指标值 “500头”，实际完成值 “520只”；年度指标值 “100%”，实际完成值 “98”。

正例：

    年度指标值 “500头”，实际完成值 “520头”。
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from jixiao.findings import Severity
from jixiao.profile import Profile
from jixiao.rules.registry import TableCheck, table_rule

if TYPE_CHECKING:  # pandas is only needed where the table checks run (the workers)
    import pandas as pd


def _passes(frame: pd.DataFrame, profile: Profile) -> pd.Series:
    return ~frame["unit_mismatch"].astype(bool)


RULE = table_rule(
    "I007", "unit-mismatch", Severity.WARNING, "指标值与完成值单位不一致",
    TableCheck("indicators", "actual", _passes,
               "“{name}”年度指标值单位为 {target_unit}，实际完成值单位为 {actual_unit}，请统一单位",
               expected="target_unit", actual="actual_unit"),
    __name__,
    needs=("indicators", "targets"),
    reads=())
