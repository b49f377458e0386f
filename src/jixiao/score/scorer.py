"""Recompute indicator, budget, category and total scores and the grade (财预〔2020〕10号).

The scorer never produces findings: it states what the rules give, beside what was claimed, and
the rules compare the two.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from jixiao.model import Claim, Evaluation, Field, Indicator
from jixiao.profile import BUDGET_CATEGORY, Profile
from jixiao.values import AMOUNT_SCALE, EQ, GT, LE, LT, MONEY_UNITS, Quantity, comparator_in

FORWARD, REVERSE, EQUAL, QUALITATIVE = "forward", "reverse", "equal", "qualitative"
KIND_WORDS = {"定量正向": FORWARD, "正向": FORWARD, "定量反向": REVERSE, "反向": REVERSE, "定性": QUALITATIVE}


@dataclass(frozen=True)
class IndicatorScore:
    """The rules' view of one indicator.

    ``status``: ``met`` / ``not_met`` (quantitative), ``qualitative``, ``missing`` (no target or actual),
    ``unit_mismatch``, ``no_weight``, ``criteria`` (a 评价要点 of a [indicators] criteria 一级, no target),
    ``parts`` (its targets and actuals on the rows below it). ``rule_score`` is set only when the rules fix the score exactly;
    ``band`` is the allowed score range for a qualitative indicator whose level is recognised.
    ``recomputed`` is what enters the recomputed total.
    """

    position: int
    category: str
    direction: str
    status: str
    weight: float | None
    claimed: float | None
    rule_score: float | None
    recomputed: float
    target: float | None = None
    actual: float | None = None
    ratio: float | None = None
    level: str | None = None
    band: tuple[float, float] | None = None
    unit_mismatch: bool = False
    home: str = ""  # the 一级 its 二级 belongs to, when that differs from the written one (I001)


@dataclass(frozen=True)
class BudgetScore:
    """预算执行率 and its score."""

    rate: float | None
    weight: float
    claimed: float | None
    rule_score: float | None
    rate_written: float | None = None  # the 执行率 cell as a fraction: "98%", "98" and 0.98 all give 0.98


@dataclass(frozen=True)
class CategoryScore:
    """One first-level category: weights and scores claimed and recomputed."""

    name: str
    profile_weight: float | None
    weight: float | None
    claimed: float | None
    claimed_rows: float
    recomputed: float
    # The same sums with every row filed by its 二级 (a row under the wrong 一级 moved home): when these
    # agree, the I001 finding on that row explains the difference and the sums are not advised on.
    weight_home: float | None = None
    claimed_home: float = 0.0
    # The category's own line, where the form writes one (得分汇总, or a 一级 label “产出指标（50分）” on a form
    # whose rows carry no 分值); ``weight`` is the rows' 分值 when they have any, else this line's.
    claim: Claim | None = None
    rows_weighted: bool = True  # some row of the category carries a 分值


@dataclass(frozen=True)
class Scorecard:
    """Everything recomputed for one workbook."""

    budget: BudgetScore
    indicators: tuple[IndicatorScore, ...]
    categories: tuple[CategoryScore, ...]
    claimed_total: float | None
    recomputed_total: float
    claimed_grade: str | None
    claimed_grade_text: str
    recomputed_grade: str
    # Against the approved targets (--targets): each lowered row re-scored against its approved target
    # (position → score), and the total and grade that gives; None when the table was not paired.
    approved_rows: dict[int, float] | None = None
    approved_total: float | None = None
    approved_grade: str | None = None
    money: float | None = None  # 全年预算数 of the 年度资金总额 row in 万元: what the table's scores concern

    @property
    def weights_total(self) -> float:
        """The budget part's 分值 and every indicator row's (a category whose rows carry none counts by its own
        line, “产出指标（50分）”): what the full mark should be made of (T002). The budget part counts what it is
        scored against: a written 分值 taken for a slip (“100”, over scoring.budget_weight_max) counts as the
        profile's, the slip being T001's to report, once."""
        written = next((c.weight for c in self.categories if c.name == BUDGET_CATEGORY), None)
        budget = self.budget.weight if written else 0.0
        unweighted = sum(c.weight or 0.0 for c in self.categories if c.name != BUDGET_CATEGORY and not c.rows_weighted)
        return round(budget + unweighted + sum(s.weight or 0.0 for s in self.indicators), 6)


def _clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


def direction_of(ind: Indicator, profile: Profile) -> str:
    """forward / reverse / equal / qualitative, from the 指标类型 column or the target's comparator."""
    stated = KIND_WORDS.get(ind.kind.norm)
    target, actual = ind.target.qty, ind.actual.qty
    if stated == QUALITATIVE or target.kind == "text" or actual.kind == "text":
        return QUALITATIVE
    comparator = target.comparator or comparator_in(ind.name.text)
    if comparator in (LE, LT) or (comparator is None and target.unit in DATE_UNITS):
        return REVERSE  # a date target is a deadline: finishing earlier meets it
    if comparator is None and stated is None and target.unit in MONEY_UNITS \
            and profile.canonical_level2(ind.level2.label) in profile.reverse_level2:
        return REVERSE  # a cost written without “≤” (成本指标 “200万”): spending less meets it
    if comparator == EQ:
        return EQUAL
    return stated or FORWARD


def qualitative_level(text: str, profile: Profile) -> str | None:
    """achieved / partial / failed from the words of 实际完成值 (failed checked first)."""
    for level in ("failed", "partial", "achieved"):
        if any(p in text for p in profile.band(level).phrases):
            return level
    return None


def _as_percent(q: Quantity, other: Quantity, profile: Profile) -> float | None:
    """The number of ``q``, read as a percentage when a bare fraction (0.98) faces a % value."""
    if q.number is None:
        return None
    # An Excel number, or text such as "0.98" or "1" with no unit and no comparator, facing a percentage.
    if (q.bare or q.comparator is None) and not q.unit and other.unit == "%" and abs(q.number) <= profile.fraction_max \
            and (other.number or 0) > profile.fraction_max:
        return q.number * 100
    return q.number


DATE_UNITS = frozenset({"年月", "月"})


def _units_differ(target: Quantity, actual: Quantity) -> bool:
    """Both sides carry a unit and the units differ (a bare “2150” against “≥2000户” is read in 户)."""
    if target.unit == actual.unit or not target.unit or not actual.unit:
        return False
    if {target.unit, actual.unit} & _ABBREVIATED and target.unit[0] == actual.unit[0]:
        return False  # “200万” against “195.5万元”: the same unit, one side abbreviated
    return not (target.unit in DATE_UNITS and actual.unit in DATE_UNITS)


_ABBREVIATED = frozenset({"万", "亿"})


def _dates(target: Quantity, actual: Quantity) -> tuple[float, float] | None:
    """A deadline and a finish date as comparable months: “2023年12月” against “10月” is read in the
    deadline's year (and the other way round)."""
    if target.unit not in DATE_UNITS or actual.unit not in DATE_UNITS or target.number is None \
            or actual.number is None:
        return None
    t, a = target.number, actual.number
    if target.unit == "年月" and actual.unit == "月":
        a += (int(t - 1) // 12) * 12
    elif target.unit == "月" and actual.unit == "年月":
        t += (int(a - 1) // 12) * 12
    return t, a


def _quantitative(direction: str, t: float, a: float, w: float, target: Quantity, profile: Profile
                  ) -> tuple[bool, float]:
    strict = target.comparator in (GT, LT)
    if direction == REVERSE:
        met = a < t if strict else a <= t
        score = w if met else (w * t / a if a > 0 else 0.0)
    elif direction == EQUAL:
        met = abs(a - t) <= profile.equal_tolerance * max(abs(t), 1.0)
        big = max(abs(a), abs(t))
        score = w if met else (w * min(abs(a), abs(t)) / big if big > 0 else 0.0)
    else:
        met = a > t if strict else a >= t
        score = w if met else (w * a / t if t > 0 else 0.0)
    return met, _clamp(score, 0.0, w)


def category_of(ind: Indicator, profile: Profile) -> tuple[str, str]:
    """The 一级 a row is filed under (as written, in the profile's spelling) and the 一级 its 二级 belongs to."""
    written = profile.canonical_level1(ind.level1.label) or "未填一级指标"
    home = profile.home_of(profile.canonical_level2(ind.level2.label))
    return written, home if home is not None else written


def score_indicator(ind: Indicator, profile: Profile) -> IndicatorScore:
    """What the rules give one indicator (built once: a batch scores hundreds of thousands)."""
    w, claimed = ind.weight.value, ind.score.value
    direction = direction_of(ind, profile)
    recomputed = _clamp(claimed or 0.0, 0.0, w if w is not None else claimed or 0.0)
    status, rule_score, level, band = "no_weight", None, None, None
    t = a = ratio = None
    mismatch = False
    target, actual = ind.target.qty, ind.actual.qty
    category, home = category_of(ind, profile)
    if w is None and not ind.weight.blank:
        pass  # a 分值 that is not a number: V002 says so, nothing is judged on it
    elif category in profile.criteria and target.kind in ("blank", "placeholder"):
        status = "criteria"  # a 评价要点 (决策, 过程): scored by judgement, with no 年度指标值 to meet
    elif ind.parts and target.kind == "blank" and actual.kind == "blank":
        status = "parts"  # its targets and actuals are on the rows below it (labels.fold_parts): scored as written
    elif target.kind in ("blank", "placeholder") or actual.kind in ("blank", "placeholder"):
        status, recomputed = "missing", 0.0  # no evidence of completion earns nothing (I012)
    elif direction == QUALITATIVE:
        status = "qualitative"
        level = qualitative_level(ind.actual.norm, profile)
        if level is not None and w is not None:
            spec = profile.band(level)
            band = (profile.round(spec.low * w), profile.round(spec.high * w))
            recomputed = _clamp(claimed if claimed is not None else band[1], *band)
    else:
        dates = _dates(target, actual)
        t, a = dates or (_as_percent(target, actual, profile), _as_percent(actual, target, profile))
        assert t is not None and a is not None
        ratio = a / t if t else None
        mismatch = _units_differ(target, actual)
        if mismatch and target.unit and actual.unit:
            status = "unit_mismatch"
        else:
            # Without a 分值 (forms that do not score) completion is still judged; no score is fixed.
            met, points = _quantitative(direction, t, a, w if w is not None else 0.0, target, profile)
            status = "met" if met else "not_met"
            # A missed deadline has no proportional score (months since year 0 are not a quantity of work):
            # it is not met, and the rules fix no score for it.
            if w is not None and not (dates and not met):
                rule_score = recomputed = profile.round(points)
    return IndicatorScore(ind.position, category, direction, status, w, claimed,
                          rule_score, recomputed, t, a, ratio, level, band, mismatch, home)


def execution_rate(model: Evaluation) -> float | None:
    """全年执行数 ÷ 全年预算数 of the total row (None when it cannot be computed)."""
    total = model.funds.get("total")
    if total is None:
        return None
    budget, executed = total.budget.value, total.executed.value
    if budget is None or executed is None or budget <= 0:
        return None
    return executed / budget


def money(model: Evaluation) -> float | None:
    """全年预算数 of the total row in 万元 (the block's amounts are in its own unit), when written."""
    total = model.funds.get("total")
    value = total.budget.value if total is not None else None
    if value is None or value <= 0:
        return None
    return round(value * AMOUNT_SCALE.get(model.funds_unit, 1e4) / 1e4, 6)


def budget_weight(model: Evaluation) -> float | None:
    """The 分值 the form gives the budget part (the total row's, else the 得分汇总 line's), when written."""
    total = model.funds.get("total")
    written = total.weight.value if total is not None else None
    if written is None and BUDGET_CATEGORY in model.claims:
        written = model.claims[BUDGET_CATEGORY].weight.value
    return written if written is not None and written > 0 else None


def _budget(model: Evaluation, profile: Profile) -> BudgetScore:
    # Scored against the form's own 分值, as indicator rows are: a 分值 other than the profile's is T001's to
    # report, once; the execution score is then not called wrong a second time for the same cause.
    form_weight = budget_weight(model)
    weight = form_weight if form_weight is not None and form_weight <= profile.budget_weight_max \
        else profile.weights[BUDGET_CATEGORY]
    rate = execution_rate(model)
    total = model.funds.get("total")
    claimed = total.score.value if total else None
    if claimed is None and BUDGET_CATEGORY in model.claims:
        claimed = model.claims[BUDGET_CATEGORY].score.value
    rule_score = None if rate is None else profile.round(_clamp(rate, 0.0, profile.budget_rate_cap) * weight)
    written = total.rate.num if total else None
    rate_written = written.value if written else None
    if rate_written is not None and written is not None and (written.percent or rate_written > profile.fraction_max):
        rate_written /= 100  # "98%" or "98": a percentage, not a fraction
    return BudgetScore(rate, weight, claimed, rule_score, rate_written)


def _value(fld: Field | None) -> float | None:
    return fld.value if fld is not None else None


def _categories(model: Evaluation, scores: list[IndicatorScore], budget: BudgetScore,
                profile: Profile) -> list[CategoryScore]:
    names = list(profile.categories)
    # Each name once, in order of appearance (an unknown 一级 over four rows is one category, not four).
    names = list(dict.fromkeys([*names, *(s.category for s in scores), *(s.home for s in scores)]))
    claimed_budget_weight = _value(model.claims[BUDGET_CATEGORY].weight) if BUDGET_CATEGORY in model.claims else None
    if claimed_budget_weight is None and "total" in model.funds:
        claimed_budget_weight = model.funds["total"].weight.value
    budget_recomputed = budget.rule_score if budget.rule_score is not None else budget.claimed or 0.0
    budget_line = _value(model.claims[BUDGET_CATEGORY].score) if BUDGET_CATEGORY in model.claims else None
    lines = [CategoryScore(BUDGET_CATEGORY, profile.weights[BUDGET_CATEGORY], claimed_budget_weight,
                           budget_line if budget_line is not None else budget.claimed, budget.claimed or 0.0,
                           budget_recomputed)]
    claims = {profile.canonical_level1(label): claim for label, claim in model.claims.items()}
    for name in names:
        rows = [s for s in scores if s.category == name]
        claim = claims.get(name)
        weighted = any(s.weight is not None for s in rows)
        weight = sum(s.weight or 0.0 for s in rows) if weighted else (_value(claim.weight) if claim else None)
        claimed_rows = sum(s.claimed or 0.0 for s in rows)
        # A category line left blank (or absent, as in the official form) is the sum of its rows.
        line = _value(claim.score) if claim else None
        claimed = line if line is not None else (claimed_rows if rows else None)
        home_rows = [s for s in scores if s.home == name]
        home_weighted = any(s.weight is not None for s in home_rows)
        weight_home = sum(s.weight or 0.0 for s in home_rows) if home_weighted else None
        lines.append(CategoryScore(name, profile.weights.get(name), weight, claimed, claimed_rows,
                                   profile.round(sum(s.recomputed for s in rows)), weight_home,
                                   sum(s.claimed or 0.0 for s in home_rows), claim, weighted or not rows))
    return lines


def _grouped(indicators: list[Indicator], profile: Profile) -> list[IndicatorScore]:
    """Each indicator scored; a 得分 (or 分值) cell merged down over several rows (the importer marks the rows it
    also covers as inheriting it) is one score for the group, judged once, on the group's first row:

    * one 得分 over rows with their own 分值: the group weighs their sum and the rules give the sum of theirs;
    * one 分值 over rows with their own 得分: the group scores their sum, and the rules give the whole 分值 when
      every row met its target (how the 分值 divides among the rows is not written, so nothing finer is fixed).

    The rows it also covers carry no weight or score of their own (a score of 10 over two rows is 10, not 20);
    whether each met its target is judged as usual."""
    scores: list[IndicatorScore] = []
    group: list[int] = []  # indexes of the current group's rows, its first row first

    def close() -> None:
        if len(group) > 1:
            _merge(scores, group, profile)
        group.clear()

    for ind in indicators:
        shared = {part for part in ("score", "weight") if part in ind.inherited}
        if shared:
            ind = replace(ind, **{part: Field(None, getattr(ind, part).loc) for part in shared})  # type: ignore[arg-type]
        else:
            close()
        group.append(len(scores))
        scores.append(score_indicator(ind, profile))
    close()
    return scores


def _merge(scores: list[IndicatorScore], group: list[int], profile: Profile) -> None:
    members = [scores[i] for i in group]
    first = members[0]
    weights = [m.weight for m in members]
    if all(w is not None for w in weights[1:]):  # one 得分 over rows weighted each
        weight = sum(w or 0.0 for w in weights) if None not in weights else None
        rules = [m.rule_score for m in members]
        rule = profile.round(sum(r or 0.0 for r in rules)) if None not in rules else None
        claimed = first.claimed
    else:  # one 分值 over the rows
        weight = first.weight
        rule = weight if weight is not None and all(m.status == "met" for m in members) else None
        claimed = profile.round(sum(m.claimed or 0.0 for m in members)) if any(m.claimed is not None
                                                                              for m in members) else None
    recomputed = rule if rule is not None else _clamp(claimed or 0.0, 0.0, weight if weight is not None
                                                      else claimed or 0.0)
    scores[group[0]] = replace(first, weight=weight, claimed=claimed, rule_score=rule, recomputed=recomputed,
                               band=None)
    for i in group[1:]:
        scores[i] = replace(scores[i], weight=None, claimed=None, rule_score=None, recomputed=0.0, band=None)


def score(model: Evaluation, profile: Profile) -> Scorecard:
    """Recompute everything for one workbook."""
    scores = _grouped(model.indicators, profile)
    budget = _budget(model, profile)
    categories = _categories(model, scores, budget, profile)
    recomputed_total = profile.round(sum(c.recomputed for c in categories))
    # The claimed total is what the table says: a blank, missing or uncomputed 总分 is not made up from the
    # rows (S003 / V004 say it is missing), so the grade is never judged on a number nobody wrote.
    claimed_total = _value(model.total)
    grade_text = model.info_text("grade")
    approved_rows, approved_total = _against_approved(model, scores, budget, profile, recomputed_total)
    return Scorecard(budget, tuple(scores), tuple(categories), claimed_total, recomputed_total,
                     profile.canonical_grade(grade_text) if grade_text else None, grade_text,
                     profile.grade_for(recomputed_total), approved_rows, approved_total,
                     profile.grade_for(approved_total) if approved_total is not None else None, money(model))


def _against_approved(model: Evaluation, scores: list[IndicatorScore], budget: BudgetScore, profile: Profile,
                      recomputed_total: float) -> tuple[dict[int, float] | None, float | None]:
    """Each row whose target was lowered below the approved one, scored against the approved target, and
    the total that gives (the other rows as recomputed)."""
    pairing = model.pairing
    if pairing is None or pairing.approval is None:
        return None, None
    lowered = {p.mine.position: p.approved_target for p in pairing.pairs
               if p.change == "lowered" and p.mine is not None and p.approved_target is not None}
    if not lowered:  # no target lowered: the total against the approved targets is the recomputed one
        return {}, recomputed_total
    rows: dict[int, float] = {}
    against = list(scores)
    for i, ind in enumerate(model.indicators):
        target = lowered.get(ind.position)
        if target is not None:
            against[i] = score_indicator(replace(ind, target=target), profile)
            rows[ind.position] = against[i].recomputed
    categories = _categories(model, against, budget, profile)
    return rows, profile.round(sum(c.recomputed for c in categories))
