"""I010 指标未完全达成，但未填写偏差原因分析及改进措施。

依据：财预〔2020〕10号要求对未完成的绩效目标逐项分析偏差原因并提出改进措施。

反例：

    指标值 100%，实际 98%，偏差原因分析空白。

正例：

    偏差原因：“个别点位设备老化偶发故障，已及时处置；明年建立常态化巡检。”
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from jixiao.findings import Severity
from jixiao.profile import Profile
from jixiao.rules.registry import TableCheck, table_rule

if TYPE_CHECKING:  # pandas is only needed where the table checks run (the workers)
    import pandas as pd


def _passes(frame: pd.DataFrame, profile: Profile) -> pd.Series:
    short = (frame["status"] == "not_met") | frame["level"].isin(["partial", "failed"])
    return ~(short & frame["reason_blank"].astype(bool))


RULE = table_rule(
    "I010", "deviation-unexplained", Severity.WARNING, "未达成的指标缺少偏差原因分析",
    TableCheck("indicators", "reason", _passes,
               "“{name}”未完全达成（指标值 {target_text}，实际 {actual_text}），请填写偏差原因分析及改进措施",
               expected=None, actual="actual_text"),
    __name__,
    needs=("indicators", "targets"),
    reads=("[qualitative]", "scoring.equal_tolerance", "scoring.fraction_max"))
