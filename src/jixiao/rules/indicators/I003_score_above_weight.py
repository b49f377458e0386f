"""I003 得分高于分值。

依据：财预〔2020〕10号：各指标得分不得超过该指标分值。规则能算出得分的指标（定量指标、档次明确的定性指标）由 I005、I008
给出应得的分数，本规则只报规则算不出得分的指标，一个原因只报一次。

反例：

    分值 10，得分 12。

正例：

    分值 10，得分不超过 10。
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from jixiao.findings import Severity
from jixiao.profile import Profile
from jixiao.rules.registry import TableCheck, table_rule

if TYPE_CHECKING:  # pandas is only needed where the table checks run (the workers)
    import pandas as pd


def _passes(frame: pd.DataFrame, profile: Profile) -> pd.Series:
    # Where the rules fix the row's score (I005) or its band (I008), that finding says what the score should be;
    # this one speaks for the rows whose score the rules cannot fix: one finding per cause.
    unfixed = frame["rule_score"].isna() & frame["band_high"].isna()
    return ~((frame["score"] > frame["weight"] + 1e-9) & unfixed)


RULE = table_rule(
    "I003", "score-above-weight", Severity.ERROR, "得分高于分值",
    TableCheck("indicators", "score", _passes, "“{name}”得分 {score} 高于分值 {weight}",
               expected="weight", actual="score"),
    __name__,
    needs=("indicators", "row_weights", "scores", "weights"),
    reads=("[qualitative]", "scoring.decimals", "scoring.equal_tolerance", "scoring.fraction_max"))
