"""Turn a Scorecard into the ScoreSummary that reports show (no computing here, only selection)."""

from __future__ import annotations

from jixiao.findings import CategoryLine, ScoreSummary
from jixiao.score.scorer import Scorecard


def summarize(card: Scorecard) -> ScoreSummary:
    """The reported part of a scorecard."""
    return ScoreSummary(
        claimed_total=card.claimed_total,
        recomputed_total=card.recomputed_total,
        claimed_grade=card.claimed_grade,
        recomputed_grade=card.recomputed_grade,
        claimed_grade_text=card.claimed_grade_text,
        categories=tuple(CategoryLine(c.name, c.weight, c.profile_weight, c.claimed, c.recomputed)
                         for c in card.categories),
        approved_total=card.approved_total,
        approved_grade=card.approved_grade,
        budget=card.money,
    )
