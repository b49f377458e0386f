"""Which profile a table is scored by: the traits of its form against each shipped profile's ``[detect]``.

The importers only read; they never choose a profile. What a form looks like (its layout, whether it scores,
the 分值 of its budget row, the note of its 绩效指标 block, its 一级 labels) is gathered here from the model,
and the first shipped profile whose ``[detect]`` matches (``order``, smallest first) is the one the table calls
for. ``--profile`` fixes the run's profile for every table instead.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from jixiao.model import Evaluation, Field, Problem, ProblemKind
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
    return FormTraits(model.form or model.layout, model.scored, total.weight.value if total is not None else None,
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


def settle_criteria(model: Evaluation, profile: Profile) -> None:
    """A table whose every 一级 is scored by 评价要点 under its profile ([indicators] criteria: 决策, 过程 …) has no
    年度指标值 or 实际完成值 by design: their columns are not missing."""
    if not model.indicators or not profile.criteria:
        return
    if all(profile.canonical_level1(ind.level1.label) in profile.criteria for ind in model.indicators):
        model.problems = [p for p in model.problems if not (p.kind is ProblemKind.MISSING_COLUMN
                                                            and p.expected in ("年度指标值", "实际完成值"))]
        model.unusable.discard("targets")


def settle_levels(model: Evaluation, profile: Profile) -> None:
    """A 一级 written in the form's own words (“项目完成指标”), unknown to the profile, whose rows' 二级 all belong
    to one 一级 of the profile (数量指标, 质量指标 … → 产出指标), is read as that 一级, and that is said once for the
    table (I014) — not an error per row. A 一级 that cannot be read so stays as written (I001 says so)."""
    rows: dict[str, list[int]] = {}
    for i, ind in enumerate(model.indicators):
        label = ind.level1.label
        if label and profile.canonical_level1(label) not in profile.level2:
            rows.setdefault(label, []).append(i)
    for label, members in rows.items():
        homes = {profile.home_of(profile.canonical_level2(model.indicators[i].level2.label)) for i in members}
        if len(homes) != 1 or None in homes:
            continue
        (home,) = homes
        assert home is not None
        first = model.indicators[members[0]].level1
        level2 = list(dict.fromkeys(model.indicators[i].level2.label for i in members))
        for i in members:
            ind = model.indicators[i]
            note = ind.level1.norm[len(label):] if ind.level1.norm.startswith(label) else ""
            model.indicators[i] = replace(ind, level1=Field(f"{home}{note}", ind.level1.loc))
        if label in model.claims and home not in model.claims:
            model.claims[home] = replace(model.claims.pop(label), label=home)
        model.problems.append(Problem(
            ProblemKind.LEVEL1_READ_AS, first.loc,
            f"一级指标“{label}”不是规范的名称，按其下的二级指标（{'、'.join(level2[:4])}）读作“{home}”",
            expected=home, actual=label))
