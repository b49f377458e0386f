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
from dataclasses import replace
from functools import lru_cache

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
from jixiao.parse.lexicon import Lexicon
from jixiao.parse.sheet import Sheet, form_labels, header_columns, join_split_target, value_right
from jixiao.read.excel import RawWorkbook
from jixiao.values import is_blank

_YEAR = re.compile(r"(?<!\d)(20\d{2})年度?|年度[:：](20\d{2})(?!\d)")
# Rows that end an indicator block that has no 总分 row: footnotes, signatures, the form's own notes.
_FOOTNOTE = re.compile(r"^(注|说明|备注|填报说明|填表说明)(\d|[:：.、]|$)|^(填报人|填表人|审核人|联系人|联系电话|"
                       r"项目负责人|财务负责人|单位负责人|评价结论|存在问题|改进措施|填报日期|填表日期)")
# At least this many of the form's labels, one of them a table's own (not only 项目名称/主管部门/实施单位,
# which a 目录 sheet listing the projects also has), make a sheet look like a self-evaluation table.
RECOGNISE_AT = 3


class NotATable(Exception):
    """A sheet that holds some of the form's labels but cannot be read as a table (with the reason)."""


_UNIT_NOTE = re.compile(r"^(金额)?单位[:：]")


def _info(sheet: Sheet, model: Evaluation, limit: int, lex: Lexicon) -> None:
    printed: dict[str, str] = {}  # the label each field was read under
    for field_key, names in lex.info.items():
        found = [(sheet.texts[(r, c)], value_right(sheet, r, c, lex)) for r, c in sheet.find(names)
                 if r < limit or field_key == "grade"]
        # The label written twice (“主管部门(盖章):” on a stamp line above “主管部门 | 济南市……”): the one with a value;
        # the table's unit note (“单位:万元”) at the end of a line is no value.
        found = [(label, v if not _UNIT_NOTE.match(v.norm) else Field(None, v.loc)) for label, v in found]
        filled = [pair for pair in found if not pair[1].blank]
        if found:
            printed[field_key], model.info[field_key] = (filled or found)[0]
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
    if "name" not in model.info and not _title_name(sheet, model, limit, lex):
        # A 部门整体 table evaluates a department: it names no project and no 实施单位.
        model.required = tuple(k for k in model.required if k not in ("name", "unit"))
    present = [k for k in ("department", "unit") if k in model.info]
    if len(present) == 1 and labels.bare(printed[present[0]]) not in labels.keys(lex.info[present[0]][:1]):
        # A form of its own that prints one of the two under its own name (a 区域 form its 省级主管部门 only, a
        # transfer form its 资金使用单位): the other is not a field the unit left out. Under the national label
        # (主管部门 without 实施单位) the other line was left out, and S003 says so.
        model.required = tuple(k for k in model.required if k in model.info or k not in ("department", "unit"))


_TITLE_YEAR = re.compile(r"\(?20\d{2}年度?\)?")


def _title_name(sheet: Sheet, model: Evaluation, limit: int, lex: Lexicon) -> bool:
    """A form with no 项目名称 line whose title names the project (“服务贸易项目绩效自评表”): the title without its
    year and its form words. A title that is only form words (“2021年中央对地方专项转移支付区域绩效目标自评表”)
    names no project. False for the table of a whole department (“部门整体支出绩效自评表”), which has none."""
    markers = lex.words("markers")
    for (r, c), text in sorted(sheet.texts.items()):
        if r >= min(limit, 3):
            break
        title = _TITLE_YEAR.sub("", text)
        end = next((e for e in markers["title_end"] if title.endswith(e)), None)
        if end is None:
            continue
        if any(w in title for w in markers["title_whole"]):
            return False
        name = title.removesuffix(end)
        rest = name
        for word in sorted(markers["title_form"], key=len, reverse=True):
            rest = rest.replace(word, "")
        units = [model.info[k].norm for k in ("department", "unit") if k in model.info and not model.info[k].blank]
        if len(rest) >= 2 and not any(u in rest for u in units):  # not the agency's name (稷山县医疗保障局)
            model.info["name"] = Field(name, Loc(sheet.name, a1(r, c)))
        break
    return True


def _goals(sheet: Sheet, model: Evaluation, lex: Lexicon) -> None:
    for field_key, names in lex.goal.items():
        cells = sheet.find(names)
        if not cells:
            continue
        r, c = cells[0]
        below = sheet.field(r + 1, c) if r + 1 < sheet.height else None
        if below is not None and not below.blank and below.norm not in lex.known:
            model.info[field_key] = below
        else:
            model.info[field_key] = value_right(sheet, r, c, lex)


def _funds(sheet: Sheet, model: Evaluation, indicators: int, lex: Lexicon) -> tuple[int, dict[str, int]] | None:
    """Read the 项目资金 block, above or below the indicator block; returns its header row and columns
    (None when the sheet has none).

    Read by its structure, not by its labels: the block is the header row of amount columns (年初预算数, 全年预算数,
    全年执行数 …) and the rows below it, as far as the block's label merged down its left edge reaches (else up to
    the 年度总体目标 block or the indicators). The first row with an amount is the total, whatever it is called
    (年度资金总额, 合计, 预算执行情况, the project's name, nothing); the rows after it with amounts are its sources.
    A row whose amount cells hold words (“按收入性质分:”, the 资金管理情况 block of a transfer form) is not a fund
    row. A form with 年初预算数 and 全年执行数 but no 全年预算数 measures execution against the former (执行率(B/A))."""
    found = next(((r, cols) for r in range(sheet.height) if (cols := _fund_header(sheet, r, lex))), None)
    if found is None:
        return _inline_funds(sheet, model, indicators, lex)
    header, columns = found
    if "budget" not in columns and "initial" in columns:
        columns = {**columns, "budget": columns["initial"]}
    first_amount = min(columns.values())
    merged_end = _block_end(sheet, header, first_amount)
    stop = indicators if header < indicators else sheet.height
    stop = min(stop, merged_end + 1) if merged_end is not None else stop
    block = [sheet.texts[rc] for rc in sheet.find(lex.blocks["funds"])[:1]]
    block += [t for c in range(first_amount) if (t := sheet.texts.get((header, c)))]  # 预算执行情况(万元)(20分)
    unit = next((m.group(1) for t in block if (m := _BLOCK_UNIT.search(t))), None)
    if unit is not None:
        model.funds_unit = unit
    for r in range(header + 1, min(stop, sheet.height)):
        if _goal_block_starts(sheet, r, lex):
            break  # 年度总体目标 follows the funds: its sentences are not fund rows, whatever figures they hold
        label_at = next((at for c in range(first_amount) if (at := sheet.merged.get((r, c), (r, c)))[0] == r
                         and at[1] == c and sheet.texts.get(at)), None)  # a label that starts in this row
        amounts = [sheet.field(r, columns.get(k)) for k in ("initial", "budget", "executed")]
        wordy = any(not f.blank and f.value is None and not _amount_text(f) for f in amounts)
        if label_at is not None and sheet.span_end(*label_at) >= first_amount:
            continue  # a line of text across the amount columns (“按收入性质分：……”): not a fund row
        row_key = _fund_row_key(sheet.texts[label_at], model, lex, merged_end is not None) if label_at else None
        if wordy and row_key not in ("total", "current", "carryover", "other"):
            continue  # words where the amounts go (the 资金管理情况 block of a transfer form): not a fund row
        numeric = any(f.value is not None for f in amounts)
        if row_key is None and "total" not in model.funds and numeric:
            row_key = "total"  # the block's first amount row is its total, whatever it is called
        if row_key is None or (row_key == "total" and "total" in model.funds):
            continue
        label = sheet.field(*label_at) if label_at is not None else Field(None, Loc(sheet.name, a1(r, 0)))
        model.funds[row_key] = FundRow(row_key, label,
                                       *(AmountField(f.raw, f.loc, unit=model.funds_unit) for f in amounts),
                                       *(sheet.field(r, columns.get(k)) for k in ("weight", "rate", "score")))
    weight = next(((t, m) for t in block if (m := _BLOCK_WEIGHT.search(t))), None)
    if "total" in model.funds and "weight" not in columns and weight is not None:
        # No 分值 column: the block label says what the budget part is worth (“预算执行情况（万元）（20分）”).
        at = next(rc for rc, t in sheet.texts.items() if t == weight[0])
        model.funds["total"] = replace(model.funds["total"], weight=Field(weight[1].group(1), Loc(sheet.name, a1(*at))))
    if "total" not in model.funds:
        model.problems.append(Problem(ProblemKind.MISSING_ROW, Loc(sheet.name, a1(header, first_amount)),
                                      "项目资金部分没有填写金额的行（年度资金总额）", expected="年度资金总额", actual=None))
    model.anchors["funds"] = Loc(sheet.name, a1(header, first_amount))
    return header, columns


def _amount_text(fld: Field) -> bool:
    """An amount cell with words a person still reads as an amount (“3359.62万”, “2.38万元”) is an amount; the
    reader converts it (AmountField)."""
    return bool(re.match(r"^[\d,.]+\s*(亿元|万元|万|元)$", fld.norm))


def _block_end(sheet: Sheet, header: int, first_amount: int) -> int | None:
    """The last row of the funds block when its label is merged down its left edge (“项目资金（万元）” over the
    header and the fund rows), else None."""
    for c in range(first_amount):
        top = sheet.merged.get((header, c), (header, c))
        if top[1] != c:
            continue
        last = header
        while sheet.merged.get((last + 1, c)) == top:
            last += 1
        if last > header:
            return last
    return None


def _inline_funds(sheet: Sheet, model: Evaluation, indicators: int, lex: Lexicon) -> tuple[int, dict[str, int]] | None:
    """A funds block written as labels with their values to the right — “预算数: | 312 | 执行数: | 312”, or
    “转移支付预算数(A) | 5.8万” above “转移支付执行数(B) | 5.8万” (the transfer forms' 区域绩效目标自评表): the first budget
    and executed amounts above the indicators are the total's."""
    words = lex.fund_columns
    cells: dict[str, tuple[int, int]] = {}
    for key in ("budget", "executed", "rate"):
        found = [rc for rc in sheet.find(words[key]) if rc[0] < indicators
                 and (key == "rate" or _amount(value_right(sheet, *rc, lex)) is not None)]
        if found:
            cells[key] = found[0]
    if not {"budget", "executed"} <= set(cells):
        return None
    header = min(r for r, _ in cells.values())
    budget, executed = (value_right(sheet, *cells[k], lex) for k in ("budget", "executed"))
    rate = value_right(sheet, *cells["rate"], lex) if "rate" in cells else missing(sheet.name)
    blank = missing(sheet.name)
    label_at = cells["budget"]
    model.funds["total"] = FundRow("total", Field(None, Loc(sheet.name, a1(*label_at))),
                                   AmountField(None, Loc(sheet.name), unit=model.funds_unit),
                                   AmountField(budget.raw, budget.loc, unit=model.funds_unit),
                                   AmountField(executed.raw, executed.loc, unit=model.funds_unit), blank, rate, blank)
    model.anchors["funds"] = Loc(sheet.name, a1(*label_at))
    return header, {}


_BLOCK_UNIT = re.compile(r"\((万元|元)\)")
_BLOCK_WEIGHT = re.compile(r"\((\d+(?:\.\d+)?)分\)")
def _goal_block_starts(sheet: Sheet, r: int, lex: Lexicon) -> bool:
    """Row ``r`` holds a label of the 年度总体目标 block (the funds block ends above it)."""
    words = (*lex.blocks["goal"], *lex.goal["goal_expected"], *lex.goal["goal_actual"])
    return any(labels.matches(t, words) for t in sheet.by_row.get(r, []))


def _fund_header(sheet: Sheet, r: int, lex: Lexicon) -> dict[str, int]:
    """The amount columns of row ``r`` when it is the 项目资金 header (two of 年初预算数, 全年预算数,
    全年执行数 at least, naming the columns below them — not labels with their amounts beside them, “预算数: | 312”),
    else {}."""
    cols = header_columns(sheet, r, lex.fund_columns)
    amounts = [k for k in ("initial", "budget", "executed") if k in cols]
    if len(amounts) < 2 or any(_amount(value_right(sheet, r, cols[k], lex)) is not None for k in amounts):
        return {}
    return cols


def _amount(fld: Field) -> float | None:
    """A cell's amount, also written with its unit (“5.8万”)."""
    return AmountField(fld.raw, fld.loc).value if not fld.blank else None


def _fund_row_key(text: str, model: Evaluation, lex: Lexicon, bounded: bool = False) -> str | None:
    """The model's key for a fund row label: the national four, regional names for them, or a further
    sub-row (单位资金, 财政专户管理资金 …) once the total row has been seen — any label, inside a block whose
    extent its merged label shows (``bounded``); else one that names a source of funds."""
    for row_key in ("total", "current", "carryover", "other"):
        if row_key not in model.funds and labels.matches(text, lex.fund_rows[row_key]):
            return row_key
    source = bounded or any(w in text for w in lex.fund_rows["source_words"])
    if "total" in model.funds and source and labels.is_label_like(text) \
            and not labels.matches(text, lex.blocks["funds"]):
        sub = f"sub:{labels.bare(text)}"
        return sub if sub not in model.funds else None
    return None


def _indicator_header(sheet: Sheet, lex: Lexicon) -> tuple[int, dict[str, int]] | None:
    for r, _c in sheet.find(lex.indicator_columns["name"]):
        cols = header_columns(sheet, r, lex.indicator_columns)
        if "level2" in cols or "level1" in cols or "target" in cols:
            cols = _reason_column(sheet, r, _between_levels(sheet, r, cols), lex)
            return r, _header_above(sheet, r, _row_weight(sheet, r, cols, lex), lex)
    return None


def _reason_column(sheet: Sheet, r: int, cols: dict[str, int], lex: Lexicon) -> dict[str, int]:
    """A head to the right of the 三级 that speaks of the reasons (“未完成原因及拟采取的改进措施”) is the reason
    column, however it is worded."""
    if "reason" in cols or "name" not in cols:
        return cols
    words = lex.words("markers")["reason_part"]
    found = next((c for c, text in sheet.row_cells.get(r, ()) if c > cols["name"] and c not in cols.values()
                  and any(w in text for w in words)), None)
    return {**cols, "reason": found} if found is not None else cols


def _between_levels(sheet: Sheet, r: int, cols: dict[str, int]) -> dict[str, int]:
    """The one column between the 一级 and the 三级 columns is the 二级 column when its head is left blank or the
    一级 head is merged over both (重庆 J01); a head of its own (序号) is another column."""
    if "level2" in cols or "level1" not in cols or "name" not in cols:
        return cols
    between = [c for c in range(cols["level1"] + 1, cols["name"]) if c not in cols.values()]
    if len(between) != 1:
        return cols
    c = between[0]
    unnamed = (r, c) not in sheet.texts and sheet.merged.get((r, c), (r, c)) in ((r, c), (r, cols["level1"]))
    return {**cols, "level2": c} if unnamed else cols


def _row_weight(sheet: Sheet, r: int, cols: dict[str, int], lex: Lexicon) -> dict[str, int]:
    """A header with a 分值 column for each level (一级 | 分值 | 二级 | 分值 | 三级 | 分值 | 得分): an indicator row's
    分值 is the one after its 三级 name; those to the left weigh the levels."""
    if "name" not in cols or "weight" not in cols or cols["weight"] > cols["name"]:
        return cols
    right = header_columns(sheet, r, {"weight": lex.indicator_columns["weight"]}, start=cols["name"] + 1)
    return {**cols, **right}


def _header_above(sheet: Sheet, r: int, cols: dict[str, int], lex: Lexicon) -> dict[str, int]:
    """A two-row header whose upper row names the columns the lower one leaves to it (云南 公开14表:
    “年度指标值 | 实际完成值 | 分值 | 得分” above “一级指标 | … | 指标性质 | 指标值 | 度量单位”)."""
    if r == 0:
        return cols
    above = header_columns(sheet, r - 1, lex.indicator_columns)
    if not {"target", "actual"} & set(above):
        return cols
    return {**{k: c for k, c in above.items() if k not in cols and c not in cols.values()}, **cols}


def _subheader(sheet: Sheet, row: int, cols: dict[str, int], lex: Lexicon) -> tuple[int, dict[str, int]]:
    """Two-row headers: 年度指标值 spread over 指标性质 | 指标值 | 度量单位 (or 符号 | 数值 | 单位),
    分值 over 指标分值 | 权重 | 加权得分 in the row below."""
    below = row + 1
    if below >= sheet.height:
        return row, cols
    sub = header_columns(sheet, below, {k: lex.indicator_columns[k] for k in ("target", "comparator", "unit",
                                                                              "weight", "score")})
    if not sub or "name" in header_columns(sheet, below, {"name": lex.indicator_columns["name"]}):
        return row, cols
    merged = dict(cols)
    merged.update(sub)
    if "target" in cols and "target" not in sub and cols["target"] in (sub.get("comparator"), sub.get("unit")):
        # 预期指标值 over 符号 | (blank) | 单位: the value is the span's column the row below leaves unnamed
        span = range(cols["target"], sheet.span_end(row, cols["target"]) + 1)
        free = [c for c in span if c not in merged.values()]
        if free:
            merged["target"] = free[0]
    return below, merged


def _is_total_row(sheet: Sheet, r: int, before: int, lex: Lexicon) -> tuple[int, int] | None:
    """The 总分 row: its label (总分, 合计 …, or such a word after a word of scores: 得分合计) left of the 三级
    column."""
    for c in range(before):
        at = sheet.merged.get((r, c), (r, c))
        text = sheet.texts.get(at)
        if text and (labels.matches(text, lex.row("total")) or _score_total(text, lex)):
            return at
    return None


def _score_total(text: str, lex: Lexicon) -> bool:
    """“得分合计”, “分值合计”: a total word after a word of scores (never after a 一级: “产出指标合计” is that
    category's subtotal)."""
    return labels.bare(text) in _score_totals(lex.words("markers")["total_prefix"], lex.row("total"))


@lru_cache(maxsize=16)
def _score_totals(prefixes: tuple[str, ...], totals: tuple[str, ...]) -> frozenset[str]:
    return frozenset(labels.key(f"{p}{w}") for p in prefixes for w in totals)


def _block_starts(sheet: Sheet, r: int, lex: Lexicon) -> bool:
    """Row ``r`` starts another block of the form: the 项目资金 header or 年度总体目标 (a form that puts the
    indicators first)."""
    words = (*lex.blocks["funds"], *lex.blocks["goal"][:1], *lex.fund_rows["total"][:1])
    if any(labels.matches(t, words) for t in sheet.by_row.get(r, [])):
        return True
    return bool(_fund_header(sheet, r, lex))


def _indicators(sheet: Sheet, model: Evaluation, header: int, cols: dict[str, int], lex: Lexicon) -> int:
    """Read the indicator rows; returns the row after the block (the 总分 row, or the end)."""
    first_col = min(cols.values())
    previous: Indicator | None = None
    implied_above = False  # the 一级 of the row above was read from its 二级 (none printed)
    r = header + 1
    while r < sheet.height:
        total_at = _is_total_row(sheet, r, max(first_col, cols.get("name", first_col)) + 1, lex)
        if total_at is not None:
            return r
        starts = [sheet.texts.get((r, c), "") for c in range(cols.get("name", first_col) + 1)
                  if (r, c) not in sheet.merged]  # texts of cells that start in this row
        if any(_FOOTNOTE.match(t) for t in starts if t) or _block_starts(sheet, r, lex):
            return r  # a footnote, a signature line, or the next block (项目资金 below the indicators) ends it
        if any(labels.matches(t, lex.indicator_columns["name"]) for t in starts if t):
            r += 1  # the header repeated after a page break
            continue
        fields = {k: sheet.field(r, cols.get(k)) for k in
                  ("level1", "level2", "name", "target", "actual", "weight", "score", "reason")}
        if labels.subtotal_row(lex.row("subtotal"), fields["level1"], fields["level2"], fields["name"]):  # 小计
            r += 1
            continue
        if "comparator" in cols or "unit" in cols:
            join_split_target(sheet, r, cols, fields)
        skip = labels.not_an_indicator(fields)  # judged on the row's own cells, before anything is carried down
        inherited, implied_above = _levels(sheet, fields, previous, implied_above, "level1" not in cols, lex)
        inherited |= labels.shared_scores(fields, previous)
        if not skip:
            indicator = _indicator(len(model.indicators), fields, sheet.name, inherited)
            model.indicators.append(indicator)
            previous = indicator
        elif not fields["level1"].blank and fields["level1"].label:
            previous = _indicator(-1, fields, sheet.name, inherited)
            model.printed_level1.add(fields["level1"].label)
        r += 1
    return r


def _levels(sheet: Sheet, fields: dict[str, Field], previous: Indicator | None, implied_above: bool,
            no_column: bool, lex: Lexicon) -> tuple[set[str], bool]:
    """Fill a row's 一级/二级 where the form leaves them to be understood; returns the fields taken from the row
    above, and whether the 一级 was read from the 二级.

    A 一级 cell that holds only its weight (“（50分）”) names no 一级: it is read from the row's 二级, the weight kept
    with it. A blank 一级 is read from the row's 二级 (one that belongs to one 一级 only) at the top of the table,
    below a merged 一级 that has ended (the merge shows how far it reaches), where the form has no 一级 column, or
    where the 一级 above was itself read so; below a 一级 written once and not merged, it is the one above."""
    level1 = fields["level1"]
    note = level1.norm if not level1.blank and not level1.label else ""  # “（50分）” alone
    blank = level1.blank or bool(note)
    ended = previous is not None and previous.level1.loc.cell in sheet.merge_tops
    implied = None
    if blank and (previous is None or ended or no_column or implied_above or note) and not fields["level2"].blank:
        implied = lex.level1_of(fields["level2"].label)
    if implied is not None:
        fields["level1"] = Field(f"{implied}{note}", level1.loc)
        return {"level1"}, True
    if note:
        fields["level1"] = Field(None, level1.loc)
    return labels.inherit_levels(fields, previous), implied_above and fields["level1"].blank is False


def _indicator(position: int, f: dict[str, Field], sheet: str, inherited: set[str]) -> Indicator:
    return Indicator(position, f["level1"], f["level2"], f["name"], missing(sheet), f["target"], f["actual"],
                     f["weight"], f["score"], f["reason"], frozenset(inherited))


def _total(sheet: Sheet, model: Evaluation, r: int, cols: dict[str, int], label_at: tuple[int, int],
           lex: Lexicon) -> None:
    weight, score = sheet.field(r, cols.get("weight")), sheet.field(r, cols.get("score"))
    label = Loc(sheet.name, a1(*label_at))
    if "weight" in cols and weight.loc == label:  # the label merged across the 分值 column: no 分值 written
        weight = Field(None, Loc(sheet.name, a1(r, cols["weight"])))
    model.claims["总分"] = Claim("总分", weight, score)
    model.total = score
    model.anchors["total"] = score.loc if "score" in cols else Loc(sheet.name, a1(*label_at))
    model.anchors["weights"] = weight.loc if "weight" in cols else model.anchors["total"]
    if "grade" not in model.info:  # 总分 | 100 | 99 | 优: a grade word after the score
        width = len(sheet.grid[r])
        for c in range((cols.get("score") or label_at[1]) + 1, width):
            fld = sheet.field(r, c)
            if fld.norm in lex.grade_words:
                model.info["grade"] = fld
                break


def _header_total(sheet: Sheet, model: Evaluation, limit: int, lex: Lexicon) -> None:
    """A form with no 总分 row that states the claimed total in its header (“自评得分 | 98”)."""
    for r, c in sheet.find(lex.row("claimed_total")):
        score = value_right(sheet, r, c, lex)
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


def _table_reason(sheet: Sheet, model: Evaluation, end: int, lex: Lexicon) -> None:
    """A form without a 偏差原因 column asks for the reasons once, in a row below the indicators
    (“偏差大或目标未完成原因分析 | …”): that text is every indicator's reason."""
    found = next(((r, c) for r, c in sheet.find(lex.row("reason")) if r >= end), None)
    if found is None:
        return
    reason = value_right(sheet, *found, lex)
    model.indicators = [replace(ind, reason=reason) for ind in model.indicators]


_LEVEL_WEIGHT = re.compile(r"\((?:权重)?(\d+(?:\.\d+)?)分?\)$|\(?(\d+(?:\.\d+)?)分\)?$")


def _level1_weights(model: Evaluation) -> None:
    """The 分值 a form writes into its 一级 labels (“产出指标（50分）”), as category lines, where no indicator row
    carries a 分值 of its own (then they are the only weights the table has)."""
    if any(not ind.weight.blank for ind in model.indicators):
        return
    for ind in model.indicators:
        label = ind.level1.label
        match = _LEVEL_WEIGHT.search(ind.level1.norm)
        if match and label not in model.claims:
            model.claims[label] = Claim(label, Field(match.group(1) or match.group(2), ind.level1.loc),
                                        missing(ind.level1.loc.sheet))


def _more_tables(sheet: Sheet, model: Evaluation, end: int, lex: Lexicon) -> None:
    """A second 自评表 below the first on the same sheet is not read: say so, never drop it unseen."""
    for r, _c in sheet.find(lex.indicator_columns["name"]):
        if r > end:
            model.problems.append(Problem(
                ProblemKind.UNREAD_TABLE, Loc(sheet.name, a1(r, 0)),
                f"工作表“{sheet.name}”第 {r + 1} 行起还有一张自评表，未检查：每张自评表请放在单独的工作表中",
                expected="每个工作表一张表", actual="同一工作表中有多张表"))
            return


def diagnose(sheet: Sheet, found: set[str], lex: Lexicon) -> str:
    """Say what was found and what is missing, for a sheet that is not a readable table."""
    shown = "、".join(f"“{x}”" for x in sorted(found)[:4])
    if _indicator_header(sheet, lex) is None:
        return f"工作表“{sheet.name}”中找到了{shown}等栏目，但找不到绩效指标表头（“一级指标”“二级指标”“三级指标”所在的行）"
    return f"工作表“{sheet.name}”中找到了绩效指标表头，但找不到“年度资金总额”行和“全年预算数”等资金栏目"


def parse_sheet(raw: RawWorkbook, name: str, lex: Lexicon) -> Evaluation | None:
    """One sheet as a table; None when it has nothing of the form; NotATable when it has too little. A sheet
    with its funds block but no indicator block (or the indicators but no funds block it can read) is read as far
    as it goes: what was read is checked, and one note says what was not (S010)."""
    sheet = Sheet(name, raw.sheets[name], raw.merged.get(name, {}), raw.uncomputed.get(name, {}))
    found = form_labels(sheet, lex)
    if len(found) < RECOGNISE_AT or not found & lex.structure:
        return None  # an empty sheet, a 目录 of projects, notes: not a table
    located = _indicator_header(sheet, lex)
    model = Evaluation(layout="official", sheet=name, sheets=(name,), required=("year", "name", "department", "unit"))
    top = min((rc for rc in sheet.texts), default=(0, 0))
    model.anchors["info"] = Loc(name, a1(*top))
    funds = _funds(sheet, model, located[0] if located else sheet.height, lex)
    if located is None and funds is None:
        raise NotATable(diagnose(sheet, found, lex))
    if located is None:
        assert funds is not None
        return _funds_only(sheet, model, funds[0], raw, lex)
    header, cols = _subheader(sheet, *located, lex)
    model.anchors["indicators"] = Loc(name, a1(located[0], min(cols.values())))
    limit = min(funds[0], located[0]) if funds is not None else located[0]
    _info(sheet, model, limit, lex)
    if "grade" in model.info:
        model.required = (*model.required, "grade")
    _goals(sheet, model, lex)
    for column, label in (("target", "年度指标值"), ("actual", "实际完成值")):
        if column not in cols:
            model.problems.append(Problem(ProblemKind.MISSING_COLUMN, model.anchors["indicators"],
                                          f"绩效指标部分缺少“{label}”列", expected=label, actual=None))
    if "target" not in cols or "actual" not in cols:
        model.unusable.add("targets")
    end = _indicators(sheet, model, header, cols, lex)
    model.indicators = labels.fold_parts(model.indicators)
    before = max(min(cols.values()), cols.get("name", 0)) + 1
    total_row, total_at = next(((r, at) for r in range(end, sheet.height)
                                if (at := _is_total_row(sheet, r, before, lex)) is not None), (None, None))
    if total_row is not None and total_at is not None:  # right below the indicators, or after the other blocks
        _total(sheet, model, total_row, cols, total_at, lex)
    else:
        model.anchors["total"] = model.anchors["weights"] = Loc(name, a1(min(end, sheet.height - 1), 0))
        _header_total(sheet, model, limit, lex)
    if "reason" not in cols:
        _table_reason(sheet, model, end, lex)
    _scoring(model, cols, funds[1] if funds is not None else {}, total_at is not None)
    if model.scored and model.total is None and end >= sheet.height:
        _ends_early(model)
    _level1_weights(model)
    labels.unweighted_rows(model, model.anchors["indicators"], "weight" in cols)
    labels.unscored(model)
    if funds is None:
        model.unusable |= {"funds", "budget_score"}
        model.anchors["funds"] = model.anchors["info"]
        _partial(model, "项目资金部分（找不到“全年预算数”“全年执行数”等栏目或“预算数”“执行数”）", "资金加总、预算执行率和执行率得分")
    _more_tables(sheet, model, end, lex)
    # The 绩效指标 block's note (“（90分）”): a trait a regional profile may be recognised by (forms.py).
    model.indicator_block = next((labels.note(sheet.texts[rc]) for rc in sheet.find(lex.blocks["indicators"])), "")
    model.problems += labels.sheet_problems(
        name, raw.uncomputed.get(name, {}), raw.hidden_rows.get(name, []),
        lambda row: row > header and any(not is_blank(v) for v in (sheet.grid[row] if row < sheet.height else [])))
    return model


def _ends_early(model: Evaluation) -> None:
    """A scored table whose sheet ends with its indicator rows: no 总分 row, no note or signature after them — the
    rest of the table is not there (a page cut short, rows deleted). Said once (S012), with the 一级 it stops in."""
    last = model.indicators[-1] if model.indicators else None
    where = f"“{last.name.text}”（{last.name.loc.cell}）之后" if last is not None and last.name.text else "绩效指标表头之后"
    model.problems.append(Problem(
        ProblemKind.ENDS_EARLY, model.anchors["total"],
        f"表格在{where}就结束了：没有总分行，其后的指标和总分都不在表中，表不完整。只检查了表中有的部分；"
        "分值合计、最后一个一级指标的分值未核对。请提交完整的表", expected="完整的表",
        actual=last.level1.label if last is not None else None))


def _funds_only(sheet: Sheet, model: Evaluation, funds_row: int, raw: RawWorkbook, lex: Lexicon) -> Evaluation:
    """A sheet with its header and funds block and no indicator block (a page cut short, a form sent half done):
    what is there is checked, and the rest is said once."""
    _info(sheet, model, funds_row, lex)
    _goals(sheet, model, lex)
    model.anchors["indicators"] = model.anchors["total"] = model.anchors["weights"] = model.anchors["funds"]
    model.unusable |= {"indicators", "scores", "targets"}
    _partial(model, "绩效指标部分（找不到“一级指标”“二级指标”“三级指标”所在的表头）", "指标、得分、总分和等级")
    model.problems += labels.sheet_problems(sheet.name, raw.uncomputed.get(sheet.name, {}),
                                            raw.hidden_rows.get(sheet.name, []), lambda row: False)
    return model


def _partial(model: Evaluation, missing_part: str, unchecked: str) -> None:
    """One note for a form read only in part: which parts were read, which was not, and what is therefore not
    checked."""
    read = [part for part, there in (("项目信息", bool(model.info)), ("项目资金", "funds" not in model.unusable),
                                     ("绩效指标", "indicators" not in model.unusable)) if there]
    model.problems.append(Problem(
        ProblemKind.PARTIAL, model.anchor("info"),
        f"本表只读出了{'、'.join(read) or '一部分'}，没有读出{missing_part}：{unchecked}未检查，其余照常检查",
        expected=missing_part.split("（")[0], actual=None))
