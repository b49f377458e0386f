"""I011 实际完成值大幅超过年度指标值，但未说明原因。

依据：财预〔2020〕10号：绩效目标设定明显偏低的应扣分；超额完成达到配置的比例（默认 130%）时，须在偏差原因分析中说明是目标定低了还是确有超额。

反例：

    指标值 100 人次，实际 1,228 人次，偏差原因空白。

正例：

    偏差原因：“年中追加培训任务，实际完成 1,228 人次；明年据实调整目标。”
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from jixiao.findings import Severity
from jixiao.profile import Profile
from jixiao.rules.registry import TableCheck, table_rule

if TYPE_CHECKING:  # pandas is only needed where the table checks run (the workers)
    import pandas as pd


def _passes(frame: pd.DataFrame, profile: Profile) -> pd.Series:
    far = (frame["direction"] == "forward") & (frame["ratio"] >= profile.over_completion)
    return ~(far & frame["reason_blank"].astype(bool))


RULE = table_rule(
    "I011", "over-completion-unexplained", Severity.WARNING, "大幅超额完成未说明原因",
    TableCheck("indicators", "reason", _passes,
               "“{name}”实际 {actual_text} 远超指标值 {target_text}，请说明原因（目标是否定得过低）",
               expected="target_text", actual="actual_text"),
    __name__,
    needs=("indicators", "targets"),
    reads=("scoring.fraction_max", "scoring.over_completion"))
