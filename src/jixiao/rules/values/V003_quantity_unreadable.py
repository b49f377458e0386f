"""V003 定量指标的指标值或完成值无法识别为数值。

依据：定量指标按“实际÷指标值×分值”（反向指标“指标值÷实际×分值”）计分，只有识别出数值才能重算得分。

反例：

    指标类型 “定量正向”，实际完成值 “基本完成”。

正例：

    实际完成值 “98%”；若确为文字描述，指标类型改为 “定性”。
"""

from __future__ import annotations

from collections.abc import Iterable

from jixiao.findings import Severity
from jixiao.rules.registry import Context, Hit, rule
from jixiao.score.scorer import KIND_WORDS, QUALITATIVE

_LABELS = {"target": "年度指标值", "actual": "实际完成值"}


@rule("V003", "quantity-unreadable", Severity.WARNING, "定量指标的数值无法识别",
    needs=("indicators", "targets"),
    reads=())
def check(ctx: Context) -> Iterable[Hit]:
    """Targets or actuals of indicators declared quantitative that hold no number."""
    for ind in ctx.model.indicators:
        if KIND_WORDS.get(ind.kind.norm, QUALITATIVE) == QUALITATIVE:
            continue
        for key, label in _LABELS.items():
            fld = getattr(ind, key)
            if fld.qty.kind == "text":
                yield Hit(fld.loc, f"指标类型为“{ind.kind.text}”，但{label}“{fld.text}”中找不到数值，无法按比例计分",
                          "数值（可带比较符和单位，如 ≥95%）", fld.text)
