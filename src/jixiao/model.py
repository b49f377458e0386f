"""The layout-independent model of one self-evaluation: every value knows its cell.

Rules and the scorer read only this model, never a sheet, so an importer for the official
single-sheet form can fill the same model later.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Generic, NamedTuple, TypeVar, cast

from jixiao.cells import a1
from jixiao.values import (
    Number,
    Quantity,
    is_blank,
    normalize_text,
    parse_amount,
    parse_number,
    parse_quantity,
    short_cached,
)

# "(50分)", "(权重30%)", "(30)" written after a level label; also 重庆's “成本指标(0-20)分” and a bracket the
# agency lost (“效益指标30分)”, “产出指标(50分”).
_ANNOTATION = re.compile(r"\((?:[^()]*\d[^()]*)\)分?$|\(?\d+(?:\.\d+)?分\)?$|\(\d+(?:\.\d+)?分?$")


class Loc(NamedTuple):
    """Where a value came from: a sheet and an A1 cell (None for a whole sheet); in a 自评报告, ``表N`` and a
    cell of that table, or ``第N段`` and the quoted phrase (``cell`` “…”)."""

    sheet: str
    cell: str | None = None

    def __str__(self) -> str:
        """As a reader finds it: 工作表!A1, 表2!F3, 第13段“执行率95%”, or the sheet alone."""
        return where(self.sheet, self.cell)


def where(sheet: str | None, cell: str | None) -> str:
    """``sheet!cell`` (a quoted phrase follows its paragraph without “!”), the sheet alone, or ''."""
    if sheet and cell:
        return f"{sheet}{cell}" if cell.startswith("“") else f"{sheet}!{cell}"
    return sheet or ""


T = TypeVar("T")


@short_cached(8192, typed=True)  # typed: the cell True reads “True”, the cell 1 reads “1”
def _text_of(raw: object) -> str:
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw).strip()


@short_cached(8192, typed=True)
def _label_of(raw: object) -> str:
    """Field.label worked out from the cell's value: a batch reads the same few level labels in every row."""
    return _ANNOTATION.sub("", normalize_text(_text_of(raw)))


class lazy(Generic[T]):
    """``functools.cached_property`` without its per-access lock (Python 3.11): computed once, then the
    value sits in the instance ``__dict__`` and this descriptor is never consulted again."""

    def __init__(self, func: Callable[[Any], T]) -> None:
        self.func = func
        self.name = func.__name__
        self.__doc__ = func.__doc__

    def __get__(self, obj: Any, owner: Any = None) -> T:
        if obj is None:
            return self  # type: ignore[return-value]
        value = self.func(obj)
        obj.__dict__[self.name] = value
        return value


class Field:
    """One value as typed, with its location; parsed on demand and cached.

    A plain class, not a frozen dataclass: a batch builds hundreds of thousands of these, and a frozen
    dataclass's ``__init__`` measured several times slower. Treat it as immutable all the same.
    """

    __slots__ = ("__dict__", "_at", "formula", "raw")
    _at: tuple[str, int, int]  # sheet, row, column of a value read by position (see at())

    def __init__(self, raw: object, loc: Loc, formula: str | None = None) -> None:
        self.raw = raw
        self.__dict__["loc"] = loc
        self.formula = formula  # a formula with no cached value that could not be recomputed

    @classmethod
    def at(cls, raw: object, sheet: str, row: int, col: int, formula: str | None = None) -> Field:
        """A value read from the zero-based ``row``, ``col`` of ``sheet``: its A1 address is worked out
        only when asked for (most values never are; a batch reads hundreds of thousands)."""
        fld = cls.__new__(cls)
        fld.raw, fld.formula, fld._at = raw, formula, (sheet, row, col)
        return fld

    @lazy
    def loc(self) -> Loc:
        """Where the value came from."""
        sheet, row, col = self._at
        return Loc(sheet, a1(row, col))

    def __repr__(self) -> str:
        return f"Field({self.raw!r}, {self.loc})"

    @lazy
    def text(self) -> str:
        """The value as trimmed text ('' for blank)."""
        return _text_of(self.raw)

    @lazy
    def norm(self) -> str:
        """NFKC text without whitespace, for comparisons."""
        return normalize_text(self.text)

    @lazy
    def num(self) -> Number:
        """The value as a number (amounts, rates, scores)."""
        return parse_number(self.raw)

    @lazy
    def qty(self) -> Quantity:
        """The value as a target or actual."""
        return parse_quantity(self.raw)

    @lazy
    def label(self) -> str:
        """A level label as a name: “产出指标（50分）” → 产出指标 (the weight annotation is not part of it)."""
        return _label_of(self.raw)

    @lazy
    def blank(self) -> bool:
        """Nothing meaningful typed."""
        return is_blank(self.raw)

    @property
    def value(self) -> float | None:
        """The number, or None when blank or unreadable."""
        return self.num.value


class AmountField(Field):
    """An amount of the 项目资金 block: a unit written in the cell (“150万”, “0.5亿”) is converted to the
    block's unit (万元 or 元), so every amount of a table is in one unit."""

    __slots__ = ("unit",)

    def __init__(self, raw: object, loc: Loc, formula: str | None = None, unit: str = "万元") -> None:
        super().__init__(raw, loc, formula)
        self.unit = unit

    @classmethod
    def at(cls, raw: object, sheet: str, row: int, col: int, formula: str | None = None,
           unit: str = "万元") -> AmountField:
        """An amount read from ``sheet`` at zero-based ``row``, ``col`` (see :meth:`Field.at`)."""
        fld = cast(AmountField, super().at(raw, sheet, row, col, formula))
        fld.unit = unit
        return fld

    @lazy
    def num(self) -> Number:
        """The amount in the block's unit."""
        return parse_amount(self.raw, self.unit)


def missing(sheet: str, cell: str | None = None) -> Field:
    """A field that was not in the workbook at all."""
    return Field(None, Loc(sheet, cell))


@dataclass(frozen=True)
class FundRow:
    """One row of the 项目资金 block."""

    key: str
    label: Field
    initial: Field
    budget: Field
    executed: Field
    weight: Field
    rate: Field
    score: Field


@dataclass(frozen=True)
class Indicator:
    """One 三级指标 row. ``inherited`` names the fields taken from the row above (merged cells): its 一级 / 二级,
    and a 得分 / 分值 merged over this row and the one above (one score for both)."""

    position: int
    level1: Field
    level2: Field
    name: Field
    kind: Field
    target: Field
    actual: Field
    weight: Field
    score: Field
    reason: Field
    inherited: frozenset[str] = frozenset()
    # Rows below it that hold its values (its 分值 and 得分 on this row, its targets and actuals on theirs:
    # “★补助各类瓜果蔬菜种植面积 | 10 | | | 10” over “梨树种植面积 | | 6亩 | 6亩”): not indicators of their own.
    parts: int = 0


@dataclass(frozen=True)
class Claim:
    """A claimed category line of 得分汇总 (分值 and 得分)."""

    label: str
    weight: Field
    score: Field


class ProblemKind(StrEnum):
    """What an importer could not read as expected; the structure rules report each kind under its code."""

    MISSING_SHEET = "missing_sheet"
    MISSING_COLUMN = "missing_column"
    MISSING_ROW = "missing_row"
    TEMPLATE_VERSION = "template_version"
    HIDDEN_ROW = "hidden_row"
    FORMULA_UNCOMPUTED = "formula_uncomputed"
    UNREAD_TABLE = "unread_table"
    NO_ROW_WEIGHTS = "no_row_weights"
    REPORT_PARTS = "report_parts"
    LEVEL1_READ_AS = "level1_read_as"  # a 一级 of the form's own words, read from the 二级 under it (I014)
    UNSCORED = "unscored"  # a form with 得分 columns where no score was written (S011)
    PARTIAL = "partial"  # a form read in part: what was read, what was not (S010)
    ENDS_EARLY = "ends_early"  # a scored table that stops after its indicator rows, with no 总分 (S012)


@dataclass(frozen=True)
class Problem:
    """A problem an importer met while reading the layout (not a judgement on the content)."""

    kind: ProblemKind
    loc: Loc
    message: str
    expected: object = None
    actual: object = None


# The header fields every layout carries, with the names users know them by.
INFO_LABELS: dict[str, str] = {
    "year": "年度", "name": "项目名称", "department": "主管部门", "unit": "实施单位",
    "manager": "项目负责人", "phone": "联系电话", "date": "填报日期",
    "goal_expected": "年度总体目标（预期目标）", "goal_actual": "年度总体目标（实际完成情况）", "grade": "自评等级",
}

@dataclass
class Evaluation:
    """One self-evaluation table, independent of its layout.

    ``anchors`` say where something that is missing belongs, so a finding about it still has a cell:
    ``info`` (the header fields), ``funds``, ``indicators``, ``weights`` (the 分值 total), ``total``
    (the 总分 score) and ``grade``. ``sheets`` lists the sheets in workbook order (findings are ordered by
    it); ``sheet`` is the one sheet a single-sheet layout was read from (None for the template).
    ``scored`` is False for forms without 分值/得分 columns; ``unusable`` names the parts that are missing; ``required`` names the header fields the layout
    asks for.
    """

    info: dict[str, Field] = field(default_factory=dict)
    funds: dict[str, FundRow] = field(default_factory=dict)
    indicators: list[Indicator] = field(default_factory=list)
    claims: dict[str, Claim] = field(default_factory=dict)
    total: Field | None = None
    problems: list[Problem] = field(default_factory=list)
    layout: str = "template"
    sheet: str | None = None
    sheets: tuple[str, ...] = ()
    anchors: dict[str, Loc] = field(default_factory=dict)
    scored: bool = True
    required: tuple[str, ...] = ("year", "name", "department", "unit", "grade")
    funds_unit: str = "万元"
    # The note of the form's 绩效指标 block label (“绩效指标（90分）” → “90分”): a trait some regional forms are
    # recognised by (forms.py; a profile's [detect]).
    indicator_block: str = ""
    # The layout the table itself is in, when it differs from ``layout``: a 自评报告 whose table is the official
    # form (“official”) is recognised as that form is (forms.py), while reported as a report.
    form: str = ""
    # Parts the importer found missing or unreadable: "indicators", "scores" (分值/得分), "targets"
    # (年度指标值/实际完成值), "funds", "budget_score", "row_weights" (no indicator row carries a 分值) and
    # "weights" (no 分值 at all, neither on the rows nor for the 一级). Rules that need one of them do not run
    # (the structural finding says why, once): one root cause, one finding.
    unusable: set[str] = field(default_factory=set)
    # 一级 labels the form prints on rows that hold no indicator (the official form's empty rows): with the
    # indicators' and the category lines', they are the 一级 the form's layout has.
    printed_level1: set[str] = field(default_factory=set)
    # The approved target table this self-evaluation was paired with (``--targets``), and how its indicators
    # pair up with the approved ones (jixiao/pair.py); None when no targets were given.
    pairing: Pairing | None = None
    total_required: bool = True  # a form asks for its 总分; a narrative report need not state one (R003 says so)
    # A report's figures as each sentence states them (年度资金总额, 执行率 …), every statement: where the same
    # figure is written twice with different values, R002 says so.
    statements: dict[str, list[Field]] = field(default_factory=dict)

    def info_text(self, key: str) -> str:
        """A header field as text ('' when absent)."""
        fld = self.info.get(key)
        return fld.text if fld else ""

    def anchor(self, what: str) -> Loc:
        """Where a missing ``what`` belongs (the table's sheet when nothing better is known)."""
        return self.anchors.get(what) or self.anchors.get("info") or Loc(self.sheet or (self.sheets[0] if self.sheets else ""))

    def has_problem(self, kind: ProblemKind, sheet: str | None = None) -> bool:
        """Whether the importer met a problem of ``kind`` (on ``sheet``, when given)."""
        return any(p.kind is kind and (sheet is None or p.loc.sheet == sheet) for p in self.problems)


@dataclass
class Approval:
    """One approved 绩效目标表 (the targets approved with the budget), independent of its layout.

    ``info``: name, code (项目编码), department, unit, year, goal (年度目标) — what the table has of them;
    ``total``: the approved fund total (年度资金总额 / 当年资金总额 …), in 万元 unless the table says 元;
    ``indicators``: 一级 / 二级 / 三级, the target as one value (“≥95%”: a split 指标性质 | 指标值 | 度量单位 is
    joined) and the 分值/权重 where the table has them (their actual, score and reason fields are blank).
    ``adjusted``: the values include an adjustment the bureau recorded (a 绩效目标调整审批表, or rows of a
    flat export marked adjusted): they are the approved values from then on.
    """

    path: str
    sheet: str | None
    layout: str
    info: dict[str, Field] = field(default_factory=dict)
    total: Field | None = None
    indicators: list[Indicator] = field(default_factory=list)
    adjusted: bool = False

    def text(self, key: str) -> str:
        """An info field as text ('' when absent)."""
        fld = self.info.get(key)
        return fld.text if fld else ""

    def where(self, loc: Loc) -> str:
        """A cell of this table as a reader finds it: 文件［工作表］!单元格."""
        name = self.path.replace("\\", "/").rsplit("/", 1)[-1]
        sheet = f"［{loc.sheet}］" if loc.sheet else ""
        return f"{name}{sheet}!{loc.cell}" if loc.cell else f"{name}{sheet}"

    @property
    def table(self) -> str:
        """The table as a reader finds it: 文件［工作表］."""
        return self.where(Loc(self.sheet or ""))


@dataclass(frozen=True)
class IndicatorPair:
    """A self-evaluated indicator and the approved one it answers to.

    ``how``: same (same 一级/二级 and name), moved (same name under another 一级/二级), renamed (matched by
    similarity), missing (approved, not in the self-evaluation: ``mine`` is None), added (not approved:
    ``approved`` is None). ``change`` compares the targets: same, lowered (easier to meet than approved),
    raised, changed (a text or “=” target written otherwise), direction (≥ turned into ≤ …), unit (units that
    cannot be converted), blank (the self-evaluation left the target blank); '' when there is nothing to
    compare. ``approved_target`` is the approved target restated in the self-evaluation's unit (what the
    row is re-scored against when it was lowered).
    """

    mine: Indicator | None
    approved: Indicator | None
    how: str
    change: str = ""
    approved_target: Field | None = None


@dataclass
class Pairing:
    """What ``--targets`` found for one self-evaluation: ``status`` matched / none / ambiguous; ``how`` it was
    found (code: 项目编码; name: year + project name (+ agency)); ``candidates``: the tables it could not
    choose between (ambiguous); ``pairs``: every indicator's pair (matched only)."""

    status: str
    approval: Approval | None = None
    how: str = ""
    candidates: tuple[str, ...] = ()
    pairs: list[IndicatorPair] = field(default_factory=list)
    used: tuple[str, ...] = ()  # every approved table it answers to (an original and its adjustments)
