"""Parse the official single-sheet 项目支出绩效自评表 (财预〔2020〕10号 and its regional variants).

The form is laid out for printing: a title, “（2025年度）”, label cells with their values to the right
(项目名称 | value), a 项目资金 block whose header row names the amount columns, 年度总体目标, a 绩效指标
block with its own header row, a 总分 row, sometimes 自评等级. Nothing is found by position: every label
is looked for wherever it is, after normalisation (line breaks and spaces inside, full-width brackets,
notes like 全年预算数（A）, 执行率（B/A）, 项目资金（万元）, 产出指标（50分）).

Each sheet of a workbook is tried on its own: a department publishes its projects one per sheet. A sheet
with none of the form's labels (an empty Sheet2) is passed over; a sheet with some but not enough gets a
reason that says what was found and what is missing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from dataclasses import field as dataclass_field

from jixiao.cells import a1
from jixiao.model import (
    AmountField,
    Claim,
    Evaluation,
    Field,
    FundRow,
    Indicator,
    Loc,
    Problem,
    ProblemKind,
    missing,
)
from jixiao.parse import labels
from jixiao.parse.labels import key
from jixiao.read.excel import Grid, RawWorkbook
from jixiao.template.spec import FUND_ROW_ALIASES
from jixiao.values import is_blank

INFO_LABELS: dict[str, tuple[str, ...]] = {
    "name": ("项目名称", "专项资金名称", "项目(专项资金)名称", "资金名称"),
    "department": ("主管部门", "主管部门及代码", "主管单位", "主管部门名称", "县级主管部门", "市级主管部门",
                   "省级主管部门", "主管部门(单位)"),
    "unit": ("实施单位", "项目实施单位", "实施单位及代码", "实施单位名称", "实施单位(盖章)"),
    "manager": ("项目负责人", "负责人", "负责人及电话", "项目负责人及电话"),
    "phone": ("联系电话",),
    "date": ("填报日期", "填表日期"),
    "grade": ("自评等级", "评价等级", "绩效等级", "自评结果等级", "等级"),
}
FUND_COLUMNS: dict[str, tuple[str, ...]] = {
    "initial": ("年初预算数", "年初预算", "年初预算金额"),
    "budget": ("全年预算数", "全年预算", "调整后预算数", "全年预算金额", "调整后预算", "调整预算数", "预算数"),
    "executed": ("全年执行数", "全年执行", "实际执行数", "全年实际支出数", "预算执行数", "执行数"),
    "weight": ("分值", "权重"),
    "rate": ("执行率", "预算执行率"),
    "score": ("得分",),
}
INDICATOR_COLUMNS: dict[str, tuple[str, ...]] = {
    "level1": ("一级指标",),
    "level2": ("二级指标",),
    "name": ("三级指标", "三级指标名称"),
    "target": ("年度指标值", "年度目标值", "指标值", "预期指标值", "年度绩效指标值", "目标值", "数值", "年初目标值"),
    "actual": ("实际完成值", "全年实际值", "实际值", "实际完成情况", "全年实际完成值", "完成值", "全年完成值"),
    "weight": ("分值", "指标分值", "权重", "权重分值", "标准分", "标准分值", "参考分值"),
    "score": ("得分", "自评得分", "加权得分", "实际得分", "评分", "自评分", "评价得分"),
    "reason": ("偏差原因分析及改进措施", "偏差原因分析", "偏差原因及改进措施", "未完成原因分析",
               "偏差原因分析及整改措施", "未完成原因和改进措施", "完成情况说明", "备注"),
    "comparator": ("指标性质", "符号", "比较符", "指标方向"),
    "unit": ("度量单位", "计量单位", "单位"),
}
TOTAL_LABELS = ("总分", "合计", "总计", "总得分", "自评总分", "合计得分")
GOAL_LABELS = {"goal_expected": ("预期目标", "年度预期目标", "年初设定目标", "项目年度目标"),
               "goal_actual": ("实际完成情况", "年度实际完成情况", "全年实际完成情况", "年度目标完成情况")}
# Fund rows beyond the national four (regional forms): read as further sub-rows of 年度资金总额.
FUND_ROW_EXTRA: dict[str, tuple[str, ...]] = {
    "total": ("总额", "资金总额", "年度资金总额"),
    "current": ("当年财政拨款", "本年财政拨款", "财政拨款", "财政资金", "中央、省、市补助县级资金", "上级补助资金",
                "财政拨款资金"),
}
# The national vocabulary: which 一级 each 二级 belongs to (a blank 一级 is read from its 二级).
LEVEL1_OF: dict[str, str] = {
    **dict.fromkeys(("数量指标", "质量指标", "时效指标", "成本指标"), "产出指标"),
    **dict.fromkeys(("经济效益指标", "社会效益指标", "生态效益指标", "环境效益指标", "可持续影响指标"), "效益指标"),
    "服务对象满意度指标": "满意度指标",
}
_SUB_ROW = re.compile(r"资金|拨款|结转|收入|补助")
GRADE_WORDS = frozenset({"优", "良", "中", "差", "优秀", "良好", "中等", "合格", "较差", "不合格"})
_YEAR = re.compile(r"(?<!\d)(20\d{2})年度?|年度[:：](20\d{2})(?!\d)")
# Rows that end an indicator block that has no 总分 row: footnotes, signatures, the form's own notes.
_FOOTNOTE = re.compile(r"^(注|说明|备注|填报说明|填表说明)(\d|[:：.、]|$)|^(填报人|填表人|审核人|联系人|联系电话|"
                       r"项目负责人|财务负责人|单位负责人|评价结论|存在问题|改进措施|填报日期|填表日期)")
# At least this many of the form's labels, one of them a table's own (not only 项目名称/主管部门/实施单位,
# which a 目录 sheet listing the projects also has), make a sheet look like a self-evaluation table.
RECOGNISE_AT = 3


class NotATable(Exception):
    """A sheet that holds some of the form's labels but cannot be read as a table (with the reason)."""


@dataclass
class Sheet:
    """One sheet's grid with its merge map and the label cells found in it."""

    name: str
    grid: Grid
    merged: dict[tuple[int, int], tuple[int, int]]
    formulas: dict[tuple[int, int], str] = dataclass_field(default_factory=dict)

    def __post_init__(self) -> None:
        self.height = len(self.grid)
        self.merge_tops = {a1(*rc) for rc in set(self.merged.values())}  # top-left cells of merged ranges (A1)
        self.texts: dict[tuple[int, int], str] = {}
        self.by_row: dict[int, list[str]] = {}  # the texts of each row, for the per-row tests (linear)
        self.row_cells: dict[int, list[tuple[int, str]]] = {}  # the same with their columns
        for r, row in enumerate(self.grid):
            for c, value in enumerate(row):
                if isinstance(value, str) and value.strip() and (r, c) not in self.merged:
                    self.texts[(r, c)] = text = key(value)
                    self.by_row.setdefault(r, []).append(text)
                    self.row_cells.setdefault(r, []).append((c, text))

    def value(self, r: int, c: int) -> object:
        row = self.grid[r] if r < self.height else ()
        value = row[c] if c < len(row) else None
        return None if isinstance(value, str) and not value.strip() else value

    def field(self, r: int, c: int | None) -> Field:
        if c is None:
            return missing(self.name)
        at = self.merged.get((r, c), (r, c))
        return Field(self.value(r, c), Loc(self.name, a1(*at)), self.formulas.get(at))

    def find(self, names: tuple[str, ...]) -> list[tuple[int, int]]:
        """Cells whose label is one of ``names``, top to bottom, left to right."""
        return sorted(rc for rc, text in self.texts.items() if labels.matches(text, names))

    def span_end(self, r: int, c: int) -> int:
        """The last column of the merge whose top-left is (r, c) (c when not merged)."""
        end = c
        row = self.grid[r] if r < self.height else []
        while end + 1 < len(row) and self.merged.get((r, end + 1)) == (r, c):
            end += 1
        return end


def header_columns(sheet: Sheet, row: int, spec: dict[str, tuple[str, ...]], start: int = 0) -> dict[str, int]:
    """Column key → column, from the header cells of ``row`` (the leftmost match wins)."""
    found: dict[str, int] = {}
    for col, text in sheet.row_cells.get(row, ()):
        if col < start:
            continue
        for name, aliases in spec.items():
            if name not in found and labels.matches(text, aliases):
                found[name] = col
                break
    return found


def _all_labels() -> tuple[str, ...]:
    names: list[str] = []
    for group in (INFO_LABELS, FUND_COLUMNS, INDICATOR_COLUMNS, FUND_ROW_ALIASES, GOAL_LABELS):
        for aliases in group.values():
            names.extend(aliases)
    return (*names, *TOTAL_LABELS, "项目资金", "年度总体目标", "绩效指标")


_KNOWN = labels.keys(_all_labels())
_STRUCTURE = labels.keys(("一级指标", "二级指标", "三级指标", "年度资金总额", "年初预算数", "全年预算数", "全年执行数"))


def is_label(text: str) -> bool:
    """Whether ``text`` is one of the form's labels (also with a note in brackets)."""
    return text in _KNOWN or labels.bare(text) in _KNOWN


def form_labels(sheet: Sheet) -> set[str]:
    """The distinct labels of the form found on the sheet."""
    return {labels.bare(t) for t in sheet.texts.values() if is_label(t)}


def value_right(sheet: Sheet, r: int, c: int) -> Field:
    """The value written to the right of a label: the next cell after the label's merge, unless that
    cell is itself a label (then the value is blank, located just after the label)."""
    col = sheet.span_end(r, c) + 1
    width = len(sheet.grid[r]) if r < sheet.height else 0
    first = col
    while col < width:
        if (r, col) in sheet.merged:
            col += 1
            continue
        text = sheet.texts.get((r, col))
        if text is not None and is_label(text):
            break
        if not is_blank(sheet.value(r, col)):
            return sheet.field(r, col)
        col += 1
    return Field(None, Loc(sheet.name, a1(r, first)))


def _info(sheet: Sheet, model: Evaluation, limit: int) -> None:
    for field_key, names in INFO_LABELS.items():
        for r, c in sheet.find(names):
            if r < limit or field_key == "grade":
                model.info[field_key] = value_right(sheet, r, c)
                break
    for (r, c), text in sorted(sheet.texts.items()):
        if r >= limit:
            break
        match = _YEAR.search(text)
        # “（2025年度）”, a short “2025年”, or the title: “2020年……项目自评表”, “……自评表（2021年）”
        if match and ("年度" in text or len(text) <= 10 or text.endswith(("自评表", "评价表", ")"))):
            model.info["year"] = Field(match.group(1) or match.group(2), Loc(sheet.name, a1(r, c)))
            break
    name = model.info.get("name")
    if "year" not in model.info and name is not None and (match := _YEAR.match(name.norm)):
        # A form with no 年度 anywhere (no title year, no 年度 line): the year the project's name begins with
        # (“2019年新型农业经营主体扶持项目”) is the year it evaluates.
        model.info["year"] = Field(match.group(1), name.loc)


def _goals(sheet: Sheet, model: Evaluation) -> None:
    for field_key, names in GOAL_LABELS.items():
        cells = sheet.find(names)
        if not cells:
            continue
        r, c = cells[0]
        below = sheet.field(r + 1, c) if r + 1 < sheet.height else None
        if below is not None and not below.blank and below.norm not in _KNOWN:
            model.info[field_key] = below
        else:
            model.info[field_key] = value_right(sheet, r, c)


def _funds(sheet: Sheet, model: Evaluation, indicators: int) -> tuple[int, dict[str, int]] | None:
    """Read the 项目资金 block, above or below the indicator block; returns its header row and columns
    (None when the sheet has none)."""
    found = next(((r, cols) for r in range(sheet.height) if (cols := _fund_header(sheet, r))), None)
    if found is None:
        return None
    header, columns = found
    stop = indicators if header < indicators else sheet.height
    first_amount = min(columns.values())
    block = [sheet.texts[rc] for rc in sheet.find(("项目资金",))[:1]]
    block += [t for c in range(first_amount) if (t := sheet.texts.get((header, c)))]  # 预算执行情况(万元)(20分)
    unit = next((m.group(1) for t in block if (m := _BLOCK_UNIT.search(t))), None)
    if unit is not None:
        model.funds_unit = unit
    for r in range(header + 1, min(stop, sheet.height)):
        if _goal_block_starts(sheet, r):
            break  # 年度总体目标 follows the funds: its sentences are not fund rows, whatever figures they hold
        for c in range(first_amount):
            at = sheet.merged.get((r, c), (r, c))
            text = sheet.texts.get(at)
            if not text or at[1] != c:
                continue
            row_key = _fund_row_key(text, model)
            if row_key is not None:
                amounts = [sheet.field(r, columns.get(k)) for k in ("initial", "budget", "executed")]
                model.funds[row_key] = FundRow(row_key, sheet.field(*at),
                                               *(AmountField(f.raw, f.loc, unit=model.funds_unit) for f in amounts),
                                               *(sheet.field(r, columns.get(k)) for k in ("weight", "rate", "score")))
                break
    weight = next(((t, m) for t in block if (m := _BLOCK_WEIGHT.search(t))), None)
    if "total" in model.funds and "weight" not in columns and weight is not None:
        # No 分值 column: the block label says what the budget part is worth (“预算执行情况（万元）（20分）”).
        at = next(rc for rc, t in sheet.texts.items() if t == weight[0])
        model.funds["total"] = replace(model.funds["total"], weight=Field(weight[1].group(1), Loc(sheet.name, a1(*at))))
    if "total" not in model.funds:
        model.problems.append(Problem(ProblemKind.MISSING_ROW, Loc(sheet.name, a1(header, first_amount)),
                                      "项目资金部分缺少“年度资金总额”行", expected="年度资金总额", actual=None))
    model.anchors["funds"] = Loc(sheet.name, a1(header, first_amount))
    return header, columns


_BLOCK_UNIT = re.compile(r"\((万元|元)\)")
_BLOCK_WEIGHT = re.compile(r"\((\d+(?:\.\d+)?)分\)")
_GOAL_BLOCK = labels.keys(("年度总体目标", "总体目标", *GOAL_LABELS["goal_expected"], *GOAL_LABELS["goal_actual"]))


def _goal_block_starts(sheet: Sheet, r: int) -> bool:
    """Row ``r`` holds a label of the 年度总体目标 block (the funds block ends above it)."""
    return any(t in _GOAL_BLOCK or labels.bare(t) in _GOAL_BLOCK for t in sheet.by_row.get(r, []))


def _fund_header(sheet: Sheet, r: int) -> dict[str, int]:
    """The amount columns of row ``r`` when it is the 项目资金 header (two of 年初预算数, 全年预算数,
    全年执行数 at least), else {}."""
    cols = header_columns(sheet, r, FUND_COLUMNS)
    return cols if sum(k in cols for k in ("initial", "budget", "executed")) >= 2 else {}


def _fund_row_key(text: str, model: Evaluation) -> str | None:
    """The model's key for a fund row label: the national four, regional names for them, or a further
    sub-row (单位资金, 财政专户管理资金 …) once the total row has been seen."""
    for row_key, names in FUND_ROW_ALIASES.items():
        if row_key not in model.funds and labels.matches(text, names + FUND_ROW_EXTRA.get(row_key, ())):
            return row_key
    if "total" in model.funds and _SUB_ROW.search(text) and labels.is_label_like(text) \
            and not labels.matches(text, ("项目资金",)):
        sub = f"sub:{labels.bare(text)}"
        return sub if sub not in model.funds else None
    return None


def _indicator_header(sheet: Sheet) -> tuple[int, dict[str, int]] | None:
    for r, _c in sheet.find(("三级指标", "三级指标名称")):
        cols = header_columns(sheet, r, INDICATOR_COLUMNS)
        if "level2" in cols or "level1" in cols or "target" in cols:
            return r, _header_above(sheet, r, cols)
    return None


def _header_above(sheet: Sheet, r: int, cols: dict[str, int]) -> dict[str, int]:
    """A two-row header whose upper row names the columns the lower one leaves to it (云南 公开14表:
    “年度指标值 | 实际完成值 | 分值 | 得分” above “一级指标 | … | 指标性质 | 指标值 | 度量单位”)."""
    if r == 0:
        return cols
    above = header_columns(sheet, r - 1, INDICATOR_COLUMNS)
    if not {"target", "actual"} & set(above):
        return cols
    return {**{k: c for k, c in above.items() if k not in cols and c not in cols.values()}, **cols}


def _subheader(sheet: Sheet, row: int, cols: dict[str, int]) -> tuple[int, dict[str, int]]:
    """Two-row headers: 年度指标值 spread over 指标性质 | 指标值 | 度量单位 (or 符号 | 数值 | 单位),
    分值 over 指标分值 | 权重 | 加权得分 in the row below."""
    below = row + 1
    if below >= sheet.height:
        return row, cols
    sub = header_columns(sheet, below, {k: INDICATOR_COLUMNS[k] for k in ("target", "comparator", "unit", "weight",
                                                                      "score")})
    if not sub or "name" in header_columns(sheet, below, {"name": INDICATOR_COLUMNS["name"]}):
        return row, cols
    merged = dict(cols)
    merged.update(sub)
    return below, merged


def _is_total_row(sheet: Sheet, r: int, before: int) -> tuple[int, int] | None:
    for c in range(before):
        at = sheet.merged.get((r, c), (r, c))
        text = sheet.texts.get(at)
        if text and labels.matches(text, TOTAL_LABELS):
            return at
    return None


_BLOCKS = labels.keys(("项目资金", "年度总体目标", "年度资金总额"))


def _block_starts(sheet: Sheet, r: int) -> bool:
    """Row ``r`` starts another block of the form: the 项目资金 header or 年度总体目标 (a form that puts the
    indicators first)."""
    texts = sheet.by_row.get(r, [])
    if any(t in _BLOCKS or labels.bare(t) in _BLOCKS for t in texts):
        return True
    return bool(_fund_header(sheet, r))


def _empty_row(fields: dict[str, Field]) -> bool:
    return labels.empty_form_row(fields["name"], fields["target"], fields["actual"], fields["weight"],
                                 fields["score"])


def _indicators(sheet: Sheet, model: Evaluation, header: int, cols: dict[str, int]) -> int:
    """Read the indicator rows; returns the row after the block (the 总分 row, or the end)."""
    first_col = min(cols.values())
    previous: Indicator | None = None
    r = header + 1
    while r < sheet.height:
        total_at = _is_total_row(sheet, r, max(first_col, cols.get("name", first_col)) + 1)
        if total_at is not None:
            return r
        starts = [sheet.texts.get((r, c), "") for c in range(cols.get("name", first_col) + 1)
                  if (r, c) not in sheet.merged]  # texts of cells that start in this row
        if any(_FOOTNOTE.match(t) for t in starts if t) or _block_starts(sheet, r):
            return r  # a footnote, a signature line, or the next block (项目资金 below the indicators) ends it
        if any(labels.matches(t, INDICATOR_COLUMNS["name"]) for t in starts if t):
            r += 1  # the header repeated after a page break
            continue
        fields = {k: sheet.field(r, cols.get(k)) for k in
                  ("level1", "level2", "name", "target", "actual", "weight", "score", "reason")}
        if labels.subtotal_row(fields["level1"], fields["level2"], fields["name"]):  # a 小计 line
            r += 1
            continue
        if "comparator" in cols or "unit" in cols:
            join_split_target(sheet, r, cols, fields)
        # A blank 一级 below a merged 一级 that has ended belongs to its 二级's 一级 (the merge shows how far the
        # label above reaches); below a label written once and not merged, it is the label above.
        ended = previous is not None and previous.level1.loc.cell in sheet.merge_tops
        no_column = "level1" not in cols  # a form without a 一级指标 column: each 二级 says its 一级
        implied = LEVEL1_OF.get(fields["level2"].label) if fields["level1"].blank and (ended or no_column) else None
        if implied is not None:  # a 一级 cell left blank under a 二级 that belongs to one 一级 only
            fields["level1"] = Field(implied, fields["level1"].loc)
            inherited = {"level1"}
        else:
            inherited = labels.inherit_levels(fields, previous)
        if not _empty_row(fields):
            indicator = _indicator(len(model.indicators), fields, sheet.name, inherited)
            model.indicators.append(indicator)
            previous = indicator
        elif not fields["level1"].blank:
            previous = _indicator(-1, fields, sheet.name, inherited)
            model.printed_level1.add(fields["level1"].label)
        r += 1
    return r


def _indicator(position: int, f: dict[str, Field], sheet: str, inherited: set[str]) -> Indicator:
    return Indicator(position, f["level1"], f["level2"], f["name"], missing(sheet), f["target"], f["actual"],
                     f["weight"], f["score"], f["reason"], frozenset(inherited))


def join_split_target(sheet: Sheet, r: int, cols: dict[str, int], fields: dict[str, Field]) -> None:
    """A target split over 指标性质 | 指标值 | 度量单位 (or 符号 | 数值 | 单位) columns, joined into one value."""
    comparator = sheet.field(r, cols.get("comparator")).text if "comparator" in cols else ""
    unit = sheet.field(r, cols.get("unit")).text if "unit" in cols else ""
    labels.join_split_target(fields, comparator, unit)


def _total(sheet: Sheet, model: Evaluation, r: int, cols: dict[str, int], label_at: tuple[int, int]) -> None:
    weight, score = sheet.field(r, cols.get("weight")), sheet.field(r, cols.get("score"))
    model.claims["总分"] = Claim("总分", weight, score)
    model.total = score
    model.anchors["total"] = score.loc if "score" in cols else Loc(sheet.name, a1(*label_at))
    model.anchors["weights"] = weight.loc if "weight" in cols else model.anchors["total"]
    if "grade" not in model.info:  # 总分 | 100 | 99 | 优: a grade word after the score
        width = len(sheet.grid[r])
        for c in range((cols.get("score") or label_at[1]) + 1, width):
            fld = sheet.field(r, c)
            if fld.norm in GRADE_WORDS:
                model.info["grade"] = fld
                break


HEADER_TOTAL = ("自评得分", "自评总分", "自评分数", "总得分")


def _header_total(sheet: Sheet, model: Evaluation, limit: int) -> None:
    """A form with no 总分 row that states the claimed total in its header (“自评得分 | 98”)."""
    for r, c in sheet.find(HEADER_TOTAL):
        score = value_right(sheet, r, c)
        if r < limit and score.value is not None:
            model.total = score
            model.claims["总分"] = Claim("总分", missing(sheet.name), score)
            model.anchors["total"] = score.loc
            return


def _scoring(model: Evaluation, cols: dict[str, int], fund_cols: dict[str, int], has_total: bool) -> None:
    """A form without 分值 and 得分 anywhere (indicators, fund block, no 总分 row) does not score (S007);
    a form that scores but whose 分值 or 得分 header is not recognised says so (S002) and its scoring rules
    do not run — it is never passed as a form that does not score."""
    has = {k: k in cols for k in ("weight", "score")}
    if all(has.values()):
        return
    if not any(has.values()) and not ({"weight", "score"} & set(fund_cols)) and not has_total:
        model.scored = False
        model.unusable |= {"scores", "budget_score"}
        return
    if has["score"]:
        return  # 得分 without 分值: a form that weighs only the 一级, or nothing (labels.unweighted_rows)
    for column, label in (("weight", "分值"), ("score", "得分")):
        if not has[column]:
            model.problems.append(Problem(ProblemKind.MISSING_COLUMN, model.anchors["indicators"],
                                          f"绩效指标部分缺少“{label}”列（或其表头写法无法识别）", expected=label,
                                          actual=None))
    model.unusable.add("scores")


REASON_ROW = ("偏差大或目标未完成原因分析", "偏差原因分析", "未完成原因分析", "偏差原因分析及改进措施",
              "目标未完成原因分析", "偏差大或目标未完成原因")


def _table_reason(sheet: Sheet, model: Evaluation, end: int) -> None:
    """A form without a 偏差原因 column asks for the reasons once, in a row below the indicators
    (“偏差大或目标未完成原因分析 | …”): that text is every indicator's reason."""
    found = next(((r, c) for r, c in sheet.find(REASON_ROW) if r >= end), None)
    if found is None:
        return
    reason = value_right(sheet, *found)
    model.indicators = [replace(ind, reason=reason) for ind in model.indicators]


_LEVEL_WEIGHT = re.compile(r"\((?:权重)?(\d+(?:\.\d+)?)分?\)$")


def _level1_weights(model: Evaluation) -> None:
    """The 分值 a form writes into its 一级 labels (“产出指标（50分）”), as category lines, where no indicator row
    carries a 分值 of its own (then they are the only weights the table has)."""
    if any(not ind.weight.blank for ind in model.indicators):
        return
    for ind in model.indicators:
        label = ind.level1.label
        match = _LEVEL_WEIGHT.search(ind.level1.norm)
        if match and label not in model.claims:
            model.claims[label] = Claim(label, Field(match.group(1), ind.level1.loc),
                                        missing(ind.level1.loc.sheet))


def _more_tables(sheet: Sheet, model: Evaluation, end: int) -> None:
    """A second 自评表 below the first on the same sheet is not read: say so, never drop it unseen."""
    for r, _c in sheet.find(("三级指标", "三级指标名称")):
        if r > end:
            model.problems.append(Problem(
                ProblemKind.UNREAD_TABLE, Loc(sheet.name, a1(r, 0)),
                f"工作表“{sheet.name}”第 {r + 1} 行起还有一张自评表，未检查：每张自评表请放在单独的工作表中",
                expected="每个工作表一张表", actual="同一工作表中有多张表"))
            return


def diagnose(sheet: Sheet, found: set[str]) -> str:
    """Say what was found and what is missing, for a sheet that is not a readable table."""
    shown = "、".join(f"“{x}”" for x in sorted(found)[:4])
    if _indicator_header(sheet) is None:
        return f"工作表“{sheet.name}”中找到了{shown}等栏目，但找不到绩效指标表头（“一级指标”“二级指标”“三级指标”所在的行）"
    return f"工作表“{sheet.name}”中找到了绩效指标表头，但找不到“年度资金总额”行和“全年预算数”等资金栏目"


def parse_sheet(raw: RawWorkbook, name: str) -> Evaluation | None:
    """One sheet as a table; None when it has nothing of the form; NotATable when it has too little."""
    sheet = Sheet(name, raw.sheets[name], raw.merged.get(name, {}), raw.uncomputed.get(name, {}))
    found = form_labels(sheet)
    if len(found) < RECOGNISE_AT or not found & _STRUCTURE:
        return None  # an empty sheet, a 目录 of projects, notes: not a table
    located = _indicator_header(sheet)
    if located is None:
        raise NotATable(diagnose(sheet, found))
    header, cols = _subheader(sheet, *located)
    model = Evaluation(layout="official", sheet=name, sheets=(name,), required=("year", "name", "department", "unit"))
    top = min((rc for rc in sheet.texts), default=(0, 0))
    model.anchors["info"] = Loc(name, a1(*top))
    model.anchors["indicators"] = Loc(name, a1(located[0], min(cols.values())))
    funds = _funds(sheet, model, located[0])
    if funds is None:
        raise NotATable(diagnose(sheet, found))
    _info(sheet, model, min(funds[0], located[0]))
    if "grade" in model.info:
        model.required = (*model.required, "grade")
    _goals(sheet, model)
    for column, label in (("target", "年度指标值"), ("actual", "实际完成值")):
        if column not in cols:
            model.problems.append(Problem(ProblemKind.MISSING_COLUMN, model.anchors["indicators"],
                                          f"绩效指标部分缺少“{label}”列", expected=label, actual=None))
    if "target" not in cols or "actual" not in cols:
        model.unusable.add("targets")
    end = _indicators(sheet, model, header, cols)
    before = max(min(cols.values()), cols.get("name", 0)) + 1
    total_row, total_at = next(((r, at) for r in range(end, sheet.height)
                                if (at := _is_total_row(sheet, r, before)) is not None), (None, None))
    if total_row is not None and total_at is not None:  # right below the indicators, or after the other blocks
        _total(sheet, model, total_row, cols, total_at)
    else:
        model.anchors["total"] = model.anchors["weights"] = Loc(name, a1(min(end, sheet.height - 1), 0))
        _header_total(sheet, model, min(funds[0], located[0]))
    if "reason" not in cols:
        _table_reason(sheet, model, end)
    _scoring(model, cols, funds[1], total_at is not None)
    _level1_weights(model)
    labels.unweighted_rows(model, model.anchors["indicators"], "weight" in cols)
    _more_tables(sheet, model, end)
    budget_weight = model.funds["total"].weight.value if "total" in model.funds else None
    block = next((labels.note(sheet.texts[rc]) for rc in sheet.find(("绩效指标",))), "")
    if not model.scored:
        model.profile = "no_score"
    elif block in ("90分", "90") and budget_weight in (10, None):
        model.profile = "budget10_free"
    elif budget_weight == 20 or block in ("80分", "80"):
        model.profile = "budget20"
    elif labels.framework(model):
        model.profile = "framework"
    model.problems += labels.sheet_problems(
        name, raw.uncomputed.get(name, {}), raw.hidden_rows.get(name, []),
        lambda row: row > header and any(not is_blank(v) for v in (sheet.grid[row] if row < sheet.height else [])))
    return model
