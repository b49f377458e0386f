"""What the importers share: how a header or row label is normalised and compared, which rows of an
indicator table are not indicators (form rows left empty, 合计/小计 lines), the split 指标性质 | 指标值 |
度量单位 target read as one value, and the problems any sheet can have (hidden rows, uncomputed formulas).

Real forms write labels with line breaks and spaces inside (“年度\\n指标值”), full- or half-width brackets,
``*``/``★`` markers, a “其中：” prefix and notes in brackets after them (全年预算数（A）, 执行率（B/A）,
项目资金（万元）, 产出指标（50分）). All of that is taken off before comparing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING

from jixiao.values import comparator_cell, normalize_text, parse_quantity, short_cached

if TYPE_CHECKING:
    from jixiao.model import Evaluation, Field, Indicator, Loc, Problem

# A note in brackets at the end: "(万元)", "(A)", "(B/A)", "(50分)".
_NOTE = re.compile(r"\([^()]*\)$")
_MARKS = str.maketrans("", "", "*★☆※")


@short_cached(8192, typed=True)  # typed: the cell True is not the cell 1
def key(text: object) -> str:
    """A label normalised for matching: NFKC, no whitespace, no markers, no '其中:' prefix, no ':' suffix."""
    if text is None:
        return ""
    out = normalize_text(text).translate(_MARKS).removeprefix("其中:").removeprefix("其中")
    return out.rstrip(":")


@short_cached(8192)
def bare(text: str) -> str:
    """``key`` without trailing notes in brackets ("全年预算数(A)" → "全年预算数")."""
    while True:
        stripped = _NOTE.sub("", text)
        if stripped == text:
            return text
        text = stripped


# A label is a name, not a sentence: short, with no sentence punctuation (“本项目共申请预算资金90万元，用于……”
# next to the funds block is goal text, whatever figures it holds).
_SENTENCE = re.compile(r"[,;。!?，；！？]")
LABEL_MAX = 24


def is_label_like(text: str) -> bool:
    """``text`` (normalised by ``key``) reads as a row label: at most LABEL_MAX characters, no sentence
    punctuation."""
    return len(text) <= LABEL_MAX and not _SENTENCE.search(text)


def note(text: str) -> str:
    """The trailing note in brackets ("项目资金(万元)" → "万元"; '' when none)."""
    match = _NOTE.search(text)
    return match.group(0)[1:-1] if match else ""


@lru_cache(maxsize=512)
def keys(names: tuple[str, ...]) -> frozenset[str]:
    """The normalised forms of ``names``."""
    return frozenset(key(n) for n in names)


# Brackets inside a label (not at its end) offer another reading of what stands before them: “专项(项目)名称” is
# 专项名称 or 项目名称, “项目(专项资金)名称” 项目名称 or 专项资金名称, “(一)级预算单位名称” 一级预算单位名称.
_INNER = re.compile(r"^([^()]*)\(([^()]+)\)([^()]+)$")


@short_cached(8192)
def alternatives(text: str) -> tuple[str, ...]:
    """``text`` with brackets inside it read either way (“专项(项目)名称” → 专项名称, 项目名称)."""
    match = _INNER.match(text)
    if match is None:
        return ()
    before, inner, after = match.groups()
    return f"{before}{after}", f"{inner}{after}"


@lru_cache(maxsize=4096)
def qualified(text: str, names: tuple[str, ...]) -> bool:
    """``text`` is one of ``names`` (of four characters or more) with a short qualifier of words before it
    (“单项指标实际完成值”)."""
    head = bare(text)
    return any(len(n) >= 4 and head.endswith(n) and 0 < len(head) - len(n) <= 4
               and not any(ch.isdigit() for ch in head) for n in keys(names))


@lru_cache(maxsize=16384)  # the same labels against the same word lists, in every workbook of a batch
def matches(text: str, names: tuple[str, ...]) -> bool:
    """``text`` (already normalised) is one of ``names``, also with a trailing note in brackets or a word in
    brackets inside it read as an alternative."""
    found = keys(names)
    return text in found or bare(text) in found or ("(" in text and any(a in found for a in alternatives(text)))


class LabelTable:
    """Row labels of a sheet (基本信息, 项目资金, 得分汇总) → the keys they stand for, in the table's order.

    What a label matches is worked out once per distinct label (``matches`` against every key's names), then
    looked up (``short_cached``): the same labels recur in every workbook of a batch."""

    def __init__(self, groups: dict[str, tuple[str, ...]]) -> None:
        self.groups = tuple(groups.items())
        self.find: Callable[[str], tuple[str, ...]] = short_cached(4096)(self._match)

    def _match(self, text: str) -> tuple[str, ...]:
        """The keys whose names ``text`` (a ``key``-normalised label) matches."""
        return tuple(k for k, names in self.groups if matches(text, names)) if text else ()


# “指标1：”, “指标2”, “指标1:/”, “指标2：—”, “……”, “一、”: the printed form's own placeholders in the 三级指标
# column (a dash or slash after one is the agency's way of leaving it empty).
_FORM_NAME = re.compile(r"^(指标\d*|[一二三四五六七八九十]+、?)[:：]?[/／\\\-—–_…]*$|^[…．.。、]+$")
_MARKS_AHEAD = "★☆*※"


def empty_form_row(name: Field, target: Field, actual: Field, weight: Field, score: Field) -> bool:
    """A row the form carries but the agency left empty: no 三级 name (or only “指标1：”), no target, no
    actual, and 分值/得分 blank or 0. It is not an indicator, so nothing is reported about it."""
    named = not name.blank and not _FORM_NAME.match(name.norm)
    if named or not target.blank or not actual.blank:
        return False
    return all(f.blank or f.value == 0 for f in (weight, score))


def not_an_indicator(fields: dict[str, Field]) -> bool:
    """A row of an indicator table that is not an indicator, whatever form it is on: an empty form row
    (empty_form_row); a breakdown of the indicator above (“其中桃树种植面积”, with no 分值 or 得分 of its own: the
    indicator above is scored for all of it); a line with neither levels, name, target nor actual that only
    carries numbers in 分值/得分 (a block's own total, “90 | 90” under the header)."""
    name, target, actual, weight, score = (fields[k] for k in ("name", "target", "actual", "weight", "score"))
    if empty_form_row(name, target, actual, weight, score):
        return True
    if weight.blank and score.blank and name.norm.lstrip(_MARKS_AHEAD).startswith("其中"):
        return True
    levels = (fields[k] for k in ("level1", "level2") if k in fields)
    unnamed = name.blank and target.blank and actual.blank and all(f.blank or not f.label for f in levels)
    return unnamed and not (weight.blank and score.blank)


def subtotal_row(names: tuple[str, ...], *cells: Field) -> bool:
    """A 合计/小计 line (``names``: the vocabulary's rows.subtotal) appended to the indicator table (its label in
    the 一级, 二级 or 三级 column)."""
    wanted = keys(names)
    return any(isinstance(f.raw, str) and ((k := key(f.raw)) in wanted or bare(k) in wanted) for f in cells)


def join_split_target(fields: dict[str, Field], comparator: str, unit: str) -> None:
    """Regional forms split 年度指标值 into 指标性质 | 指标值 | 度量单位: read them as one "≥95%" target, and
    give a bare actual the same unit. The cells stay those of the value columns."""
    from jixiao.model import Field

    comparator = comparator_cell(comparator)  # “004 >=”, 正向, a kind (定性) written where the comparator goes
    if unit and parse_quantity(unit).kind == "number":
        unit = ""  # a number in the 单位 column (a date serial printed twice, 内蒙古 T13) is no unit
    target, actual = fields["target"], fields["actual"]
    if not target.blank and (comparator or unit) and target.qty.kind == "number" and not target.qty.unit:
        fields["target"] = Field(f"{comparator}{target.text}{unit}", target.loc, target.formula)
    if unit and not actual.blank and actual.qty.kind == "number" and not actual.qty.unit:
        fields["actual"] = Field(f"{actual.text}{unit}", actual.loc, actual.formula)


def sheet_problems(sheet: str, formulas: dict[tuple[int, int], str], hidden: list[int],
                   has_data: Callable[[int], bool]) -> list[Problem]:
    """Uncomputed formulas (V004) and hidden rows that hold data (S005) of one sheet."""
    from jixiao.cells import a1
    from jixiao.model import Loc, Problem, ProblemKind

    out = [Problem(ProblemKind.FORMULA_UNCOMPUTED, Loc(sheet, a1(row, col)),
                   f"公式“={formula}”没有计算结果（文件由程序生成、未在 Excel 中打开保存），"
                   "无法读取该单元格的值：请在 Excel/WPS 中打开并保存后再提交", expected="计算结果",
                   actual=f"={formula}")
           for (row, col), formula in sorted(formulas.items())]
    out += [Problem(ProblemKind.HIDDEN_ROW, Loc(sheet, a1(row, 0)),
                    f"工作表“{sheet}”第 {row + 1} 行被隐藏：其中的内容照样计入检查和得分，请取消隐藏后核对",
                    expected="不隐藏", actual="隐藏")
            for row in hidden if has_data(row)]
    return out


def inherit_levels(fields: dict[str, Field], previous: Indicator | None) -> set[str]:
    """A 一级/二级 written once (merged, or left blank below) applies to the rows under it: fill blank level
    fields from the row above; returns the names of the fields taken from it."""
    inherited: set[str] = set()
    if previous is None:
        return inherited
    if fields["level1"].blank:
        fields["level1"] = previous.level1
        inherited.add("level1")
        if fields["level2"].blank:
            fields["level2"] = previous.level2
            inherited.add("level2")
    elif fields["level2"].blank and fields["level1"].label == previous.level1.label:
        fields["level2"] = previous.level2
        inherited.add("level2")
    return inherited


def unweighted_rows(model: Evaluation, anchor: Loc, column: bool) -> None:
    """A scored table whose indicator rows carry no 分值 at all (the column absent, left blank in every row, or
    words in every row): one problem saying what is not checked, instead of one “分值空白” per row. The rules that need a
    row's 分值 do not run (``row_weights``); with no 一级 分值 either (``weights``), the weight rules neither."""
    from jixiao.model import Problem, ProblemKind

    if not model.indicators or not model.scored or "scores" in model.unusable:
        return
    if any(ind.weight.num.ok or ind.weight.formula for ind in model.indicators if not ind.weight.blank):
        return
    words = [ind.weight for ind in model.indicators if not ind.weight.blank]
    if words and (len(words) < 2 or 2 * len(words) < len(model.indicators)):
        return  # a few 分值 written as words among blanks: V002 says so at each cell, I013 at the blanks
    categories = any(c.weight.value is not None for k, c in model.claims.items() if k != "总分")
    where = "绩效指标部分没有“分值”栏" if not column else "各三级指标的“分值”都没有填写"
    if words:  # the column holds words in every row (指标解释 under a 指标分值 head: 河北 N01)
        where = f"“分值”栏填的都是文字（如 {words[0].loc.cell}“{words[0].text[:20]}”），不是分值"
        anchor = words[0].loc
    if categories:
        text = (f"{where}（只写了一级指标的分值）：逐项的得分上限、多计分/少计分、定性档次无法核对；一级指标得分"
                "不超过其分值、总分等于各类别得分之和照常核对")
    else:
        text = (f"{where}，一级指标也没有写分值：逐项的得分上限、多计分/少计分、定性档次和各类权重无法核对；"
                "总分等于各类别得分之和照常核对")
    model.unusable.add("row_weights")
    if not categories:
        model.unusable.add("weights")
    model.problems.append(Problem(ProblemKind.NO_ROW_WEIGHTS, anchor, text, expected="分值", actual=None))


def unscored(model: Evaluation) -> None:
    """A scored form where nothing was scored — no indicator's 得分, no budget score, no 总分 (published before
    the scoring, or scored only in the report's text): one problem says so (S011), and the rules that need the
    scores do not run; the weights, funds and whether each target was met are checked as usual."""
    from jixiao.model import Problem, ProblemKind

    if not model.scored or "scores" in model.unusable or not model.indicators:
        return
    budget = model.funds.get("total")
    scores = [ind.score for ind in model.indicators] + ([budget.score] if budget is not None else [])
    if any(not f.blank or f.formula for f in scores) or (model.total is not None and not model.total.blank):
        return
    if any(not c.score.blank for c in model.claims.values()):
        return
    model.unusable |= {"scores", "budget_score"}
    model.problems.append(Problem(
        ProblemKind.UNSCORED, model.anchor("indicators"),
        "本表的得分都没有填写（各指标、预算执行和总分都是空的：尚未评分，或得分只写在报告里）：多计分/少计分、类别得分与"
        "总分、等级不核对；分值、资金、各指标是否达成照常检查", expected="得分", actual=None))


def shared_scores(fields: dict[str, Field], previous: Indicator | None) -> set[str]:
    """The row's 得分 / 分值 that are the very cell of the indicator above — a merge over both rows, which a sheet
    locates at its top-left cell: one score for the group, counted once (score/scorer.py)."""
    if previous is None:
        return set()
    return {part for part in ("score", "weight")
            if not fields[part].blank and fields[part].loc == getattr(previous, part).loc}


def fold_parts(indicators: list[Indicator]) -> list[Indicator]:
    """Rows that hold the values of the scored row above them — no 分值 and no 得分 of their own, a target or an
    actual, under a row that has a 分值 or 得分 and neither target nor actual (and in the same 二级) — are that
    row's parts, not indicators: the row above counts them (``parts``) and is scored as written."""
    from dataclasses import replace

    out: list[Indicator] = []
    parent: int | None = None  # the index in ``out`` of the row whose parts follow
    for ind in indicators:
        scored = not ind.weight.blank or not ind.score.blank
        valued = not ind.target.blank or not ind.actual.blank
        if parent is not None and not scored and valued and ind.level2.norm == out[parent].level2.norm:
            out[parent] = replace(out[parent], parts=out[parent].parts + 1)
            continue
        parent = len(out) if scored and not valued else None
        out.append(ind)
    return [replace(ind, position=i) if ind.position != i else ind for i, ind in enumerate(out)]

