"""I009 定性指标得分低于其完成档次的下限。

依据：财预〔2020〕10号三档计分：达成年度指标的得分不低于分值的 80%，部分达成的不低于 60%。低于档次下限说明档次与表述不符。

反例：

    分值 10，实际完成值 “已达成”，得分 5。

正例：

    得分在 8–10 之间；若确未达成，实际完成值如实写明。
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from jixiao.findings import Severity
from jixiao.profile import Profile
from jixiao.rules.registry import TableCheck, table_rule

if TYPE_CHECKING:  # pandas is only needed where the table checks run (the workers)
    import pandas as pd


def _passes(frame: pd.DataFrame, profile: Profile) -> pd.Series:
    return ~(frame["score"] < frame["band_low"] - profile.score_tolerance)


RULE = table_rule(
    "I009", "qualitative-below-band", Severity.WARNING, "定性指标得分低于所属档次",
    TableCheck("indicators", "score", _passes,
               "“{name}”实际完成值“{actual_text}”属于“{level_label}”档，得分应在 {band_low}–{band_high} 之间，自评只计 {score} 分",
               expected="band_low", actual="score"),
    __name__,
    needs=("indicators", "row_weights", "scores", "targets", "weights"),
    reads=("[qualitative]", "scoring.decimals", "scoring.score_tolerance"))
