"""Pair stage (``--targets``): each self-evaluation with the approved target table of its project, and each
of its indicators with the approved indicator it answers to. Runs after parse, before score; the scorer
re-scores lowered targets against the approved ones and the comparison rules (rules/targets/) report what
the pairs say. Nothing here produces a finding.

* **Projects** pair by 项目编码 where both have one, else by year + normalised 项目名称, then 主管部门 / 实施单位
  when several tables have that name. Ambiguity is never guessed: the tables are named (``ambiguous``). A table
  marked as an adjustment (“绩效目标调整审批表”) of the same project is laid over the original: its values are the
  approved ones from then on.
* **Indicators** pair by normalised name within the same 一级/二级 (the 二级's own 一级: an older table files
  satisfaction under 效益), then by name elsewhere (``moved``), then by similarity within the same 一级
  (``renamed``); the rest are ``missing`` (approved, dropped) or ``added`` (not approved).
* **Targets** compare as (direction, number, unit) after unit conversion: ``lowered`` is easier to meet than
  approved (a ≥ target written lower, a ≤ target written higher), ``raised`` the opposite.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from dataclasses import replace as dc_replace

from jixiao.model import Approval, Evaluation, Field, Indicator, IndicatorPair, Pairing
from jixiao.profile import Profile
from jixiao.values import EQ, convert, normalize_text

_PUNCT = re.compile(r"[\s,，.。、:：;；()（）\[\]【】<>《》“”\"'‘’!！?？·\-—_/\\|★☆*※]+")
_LEADING_YEAR = re.compile(r"^20\d{2}年度?")
_FORM_PREFIX = re.compile(r"^指标\d+[:：]?")
_CODE_IN_NAME = re.compile(r"^([0-9A-Z]{8,})[-_ ]")
_AGENCY_CODE = re.compile(r"^\[?\d{3,}\]?[-_ ]?|\s*\d{5,}$")


def project_key(text: str) -> str:
    """A project name for matching: no spaces or punctuation, no leading year (“2022年…”)."""
    return _PUNCT.sub("", _LEADING_YEAR.sub("", normalize_text(text))).lower()


def agency_key(text: str) -> str:
    """An agency name for matching: without the codes tables add (“[015001]…”, “820001-…”, “… 308001”)."""
    return _PUNCT.sub("", _AGENCY_CODE.sub("", normalize_text(text))).lower()


def indicator_key(ind: Indicator) -> str:
    """An indicator name for matching: no “指标1：” prefix, no spaces, marks or punctuation."""
    return _PUNCT.sub("", _FORM_PREFIX.sub("", ind.name.norm)).lower()


def code_of(model: Evaluation) -> str:
    """The self-evaluation's 项目编码: its own field, or a code the project name begins with."""
    code = model.info.get("code")
    if code is not None and not code.blank:
        return code.norm.upper()
    match = _CODE_IN_NAME.match(model.info_text("name"))
    return match.group(1) if match else ""


def approval_key(approval: Approval) -> str:
    """A stable name of an approved table (for the list of those no self-evaluation answered)."""
    return f"{approval.path}|{approval.sheet}|{approval.text('code')}|{approval.text('name')}|{approval.text('year')}"


def describe(approval: Approval) -> str:
    """How a report names an approved table: 文件［工作表］ 项目名称."""
    return f"{approval.table} {approval.text('name')}".strip()


@dataclass
class TargetIndex:
    """Every approved table read from ``--targets`` (and the files that could not be read, with why)."""

    approvals: list[Approval]
    unreadable: list[tuple[str, str]] = field(default_factory=list)
    source: str = ""

    def __post_init__(self) -> None:
        self.by_code: dict[str, list[int]] = {}
        self.by_name: dict[str, list[int]] = {}
        for i, approval in enumerate(self.approvals):
            code = approval.info.get("code")
            if code is not None and not code.blank:
                self.by_code.setdefault(code.norm.upper(), []).append(i)
            self.by_name.setdefault(project_key(approval.text("name")), []).append(i)

    def find(self, model: Evaluation) -> Pairing:
        """The approved table of ``model``'s project (no indicator pairs yet)."""
        code = code_of(model)
        name = project_key(model.info_text("name"))
        if code and code in self.by_code:
            chosen, how = [self.approvals[i] for i in self.by_code[code]], "code"
        else:
            chosen, how = ([self.approvals[i] for i in self.by_name.get(name, [])] if name else []), "name"
        year = model.info_text("year")
        if year:  # another year's approval is never this table's, whatever else matches
            chosen = [a for a in chosen if a.text("year") in ("", year)]
        if how == "name" and len(chosen) > 1:
            agencies = {agency_key(model.info_text(k)) for k in ("unit", "department")} - {""}
            same = [a for a in chosen if {agency_key(a.text(k)) for k in ("unit", "department")} & agencies]
            chosen = same or chosen
        if not chosen:
            return Pairing("none")
        merged = _overlay(chosen)
        if merged is None:
            return Pairing("ambiguous", how=how, candidates=tuple(describe(a) for a in chosen))
        return Pairing("matched", merged, how, used=tuple(approval_key(a) for a in chosen))


def _overlay(chosen: list[Approval]) -> Approval | None:
    """One table, or an original with the adjustments recorded for it laid over it (None: ambiguous)."""
    originals = [a for a in chosen if not a.adjusted]
    adjustments = [a for a in chosen if a.adjusted]
    if len(chosen) == 1:
        return chosen[0]
    if len(originals) != 1 or not adjustments:
        return None
    base = originals[0]
    rows = {(_level_names(i), indicator_key(i)): i for i in base.indicators}
    for adjustment in adjustments:
        for ind in adjustment.indicators:
            rows[(_level_names(ind), indicator_key(ind))] = ind
    total = next((a.total for a in reversed(adjustments) if a.total is not None), base.total)
    return Approval(base.path, base.sheet, base.layout, dict(base.info), total,
                    [dc_replace(ind, position=i) for i, ind in enumerate(rows.values())], adjusted=True)


def _level_names(ind: Indicator) -> tuple[str, str]:
    return ind.level1.label, ind.level2.label


def _levels(ind: Indicator, profile: Profile) -> tuple[str, str]:
    level2 = profile.canonical_level2(ind.level2.label)
    home = profile.home_of(level2)
    return (home or profile.canonical_level1(ind.level1.label)), level2


def pair(model: Evaluation, index: TargetIndex, profile: Profile) -> Pairing:
    """The pairing of ``model`` with its approved table, indicators paired and targets compared."""
    found = index.find(model)
    if found.approval is None:
        return found
    approved = [a for a in found.approval.indicators if not (a.name.blank and a.target.blank)]
    mine = list(model.indicators)
    mine_keys = [(indicator_key(m), _levels(m, profile)) for m in mine]
    approved_keys = [(indicator_key(a), _levels(a, profile)) for a in approved]
    pairs: list[IndicatorPair] = []
    used_mine: set[int] = set()
    used_approved: set[int] = set()

    def take(i: int, j: int, how: str) -> None:
        used_mine.add(i)
        used_approved.add(j)
        change, restated = compare(mine[i], approved[j], profile)
        pairs.append(IndicatorPair(mine[i], approved[j], how, change, restated))

    by_name: dict[str, list[int]] = {}
    for i, (name, _) in enumerate(mine_keys):
        by_name.setdefault(name, []).append(i)
    for how, same_levels in (("same", True), ("moved", False)):
        for j, (name, levels) in enumerate(approved_keys):
            if j in used_approved:
                continue
            for i in by_name.get(name, ()):
                if i not in used_mine and (mine_keys[i][1] == levels) == same_levels:
                    take(i, j, how)
                    break
    if len(used_mine) < len(mine) and len(used_approved) < len(approved):
        candidates = sorted(((difflib.SequenceMatcher(None, mine_keys[i][0], approved_keys[j][0]).ratio(), i, j)
                             for i in range(len(mine)) if i not in used_mine
                             for j in range(len(approved)) if j not in used_approved
                             and mine_keys[i][1][0] == approved_keys[j][1][0]), reverse=True)
        for ratio, i, j in candidates:
            if ratio >= profile.rename_similarity and i not in used_mine and j not in used_approved:
                take(i, j, "renamed")
    pairs += [IndicatorPair(None, a, "missing") for j, a in enumerate(approved) if j not in used_approved]
    pairs += [IndicatorPair(m, None, "added") for i, m in enumerate(mine) if i not in used_mine]
    found.pairs = pairs
    return found


def compare(mine: Indicator, approved: Indicator, profile: Profile) -> tuple[str, Field | None]:
    """How ``mine``'s target differs from the approved one, and the approved target in ``mine``'s unit."""
    from jixiao.score.scorer import FORWARD, QUALITATIVE, REVERSE, direction_of

    a, m = approved.target.qty, mine.target.qty
    if a.kind in ("blank", "placeholder"):
        return "", None
    if m.kind in ("blank", "placeholder"):
        return "blank", approved.target
    if a.kind == "text" or m.kind == "text" or a.number is None or m.number is None:
        return ("" if approved.target.norm == mine.target.norm else "changed"), approved.target
    approved_direction = direction_of(dc_replace(approved, kind=mine.kind), profile)
    mine_direction = direction_of(mine, profile)
    if approved_direction != mine_direction and QUALITATIVE not in (approved_direction, mine_direction):
        return "direction", approved.target
    value = a.number if not a.unit or not m.unit else convert(a.number, a.unit, m.unit)
    if value is None:
        return "unit", approved.target
    restated = Field(f"{a.comparator or ''}{value:g}{m.unit or a.unit}", approved.target.loc)
    if abs(value - m.number) <= profile.equal_tolerance * max(1.0, abs(value)):
        return "same", restated
    if m.comparator == EQ or a.comparator == EQ:
        return "changed", restated
    easier = m.number < value if mine_direction == FORWARD else m.number > value if mine_direction == REVERSE \
        else False
    return ("lowered" if easier else "raised"), restated
