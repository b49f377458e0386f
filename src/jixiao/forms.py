"""Which profile a table is scored by: the traits of its form against each shipped profile's ``[detect]``.

The importers only read; they never choose a profile. What a form looks like (its layout, whether it scores,
the 分值 of its budget row, the note of its 绩效指标 block, its 一级 labels) is gathered here from the model,
and the first shipped profile whose ``[detect]`` matches (``order``, smallest first) is the one the table calls
for. ``--profile`` fixes the run's profile for every table instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jixiao.model import Evaluation
from jixiao.profile import Profile, regional_profiles


@dataclass(frozen=True)
class FormTraits:
    """What a form looks like, as far as choosing its profile goes."""

    layout: str
    scored: bool
    budget_weight: float | None
    indicator_block: str
    level1: frozenset[str]


def traits(model: Evaluation) -> FormTraits:
    """The traits of ``model``'s form."""
    total = model.funds.get("total")
    return FormTraits(model.layout, model.scored, total.weight.value if total is not None else None,
                      model.indicator_block, frozenset(ind.level1.label for ind in model.indicators))


def matches(when: dict[str, Any], form: FormTraits) -> bool:
    """Whether every condition of one ``[[detect.when]]`` holds of ``form``."""
    if "layouts" in when and form.layout not in when["layouts"]:
        return False
    if "scored" in when and form.scored is not when["scored"]:
        return False
    if "indicator_block" in when and form.indicator_block not in when["indicator_block"]:
        return False
    if "level1" in when and not form.level1 & set(when["level1"]):
        return False
    if "budget_weight" in when or "budget_weight_blank" in when:
        weight = form.budget_weight
        blank_ok = weight is None and when.get("budget_weight_blank", False)
        if not blank_ok and (weight is None or weight not in when.get("budget_weight", ())):
            return False
    return True


def detected(model: Evaluation) -> Profile | None:
    """The shipped profile ``model``'s form calls for, or None (the run's profile)."""
    form = traits(model)
    for profile in regional_profiles():
        assert profile.detect is not None
        if any(matches(dict(when), form) for when in profile.detect.when):
            return profile
    return None


def profile_for(model: Evaluation, profile: Profile, fixed: bool) -> Profile:
    """The run's profile, or the one the table's form calls for when the run did not fix one."""
    if fixed:
        return profile
    return detected(model) or profile
