"""I008 定性指标得分高于其完成档次的上限。

依据：财预〔2020〕10号：定性指标按三档计分——达成年度指标得分值的 80%–100%；部分达成并具有一定效果得 60%–80%；未达成且效果较差得 0–60%。档次由实际完成值的表述判断（关键词见配置文件 [qualitative]）。

反例：

    分值 10，实际完成值 “基本完成”（部分达成），得分 10。

正例：

    得分不超过 8。
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from jixiao.findings import Severity
from jixiao.profile import Profile
from jixiao.rules.registry import TableCheck, table_rule

if TYPE_CHECKING:  # pandas is only needed where the table checks run (the workers)
    import pandas as pd


def _passes(frame: pd.DataFrame, profile: Profile) -> pd.Series:
    return ~(frame["score"] > frame["band_high"] + profile.score_tolerance)


RULE = table_rule(
    "I008", "qualitative-above-band", Severity.ERROR, "定性指标得分高于所属档次",
    TableCheck("indicators", "score", _passes,
               "“{name}”实际完成值“{actual_text}”属于“{level_label}”档，得分应在 {band_low}–{band_high} 之间，自评 {score} 分",
               expected="band_high", actual="score"),
    __name__,
    needs=("indicators", "row_weights", "scores", "targets", "weights"),
    reads=("[qualitative]", "scoring.decimals", "scoring.score_tolerance"))
