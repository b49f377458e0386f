"""Parse a narrative 绩效自评报告 (.docx) into the same model as a workbook, so every rule and the scorer run
unchanged on it.

What a report holds, and where it is read from (docs/report.md):

* the project: the title (“南县公安局2025年科技兴警专项绩效自评报告”: agency, year, project);
* the section lines: “（二）产出指标（50分，得分50分）” — a category line (分值 50, 得分 50), as 得分汇总 is in the
  template; “（一）投入指标（10分，得分10分）” is the budget part's;
* the indicator tables: any column order (指标类别 / 指标名称 / 年度目标值 / 实际完成值 / 分值 / 得分 / 完成情况说明),
  the 一级 from the section the table stands in, a blank 指标类别 carried down, “15 分”, empty rows passed over;
* the figures only sentences give: the funds (“年初预算数、全年预算数、全年执行数均为233万元，预算执行率100%”),
  an indicator written as a sentence (“群众满意度年度指标值为80%，实际完成值为92%……满分10分，自评得10分”), the claimed
  total and grade of the conclusion (“项目绩效自评得分99分，等级为“优秀””).

A table that is itself the official 自评表 (published reports often are the form) is read by the official
importer. Locations: a table cell is ``表N`` and its A1 cell inside the table (表2!F3: table 2, row 3, column F);
a figure from a sentence is ``第N段`` and the quoted phrase.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from jixiao.errors import UnreadableWorkbook
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
from jixiao.parse.official import NotATable, parse_sheet
from jixiao.parse.sheet import Sheet, header_columns
from jixiao.profile import BUDGET_CATEGORY
from jixiao.read.docx import Paragraph, RawDocument, Table
from jixiao.read.excel import RawWorkbook

LAYOUT = "report"
_TITLE = re.compile(r"^(?P<unit>.*?)(?P<year>20\d{2})年?度?(?P<name>.*?)(?:项目)?(?:支出)?(?:绩效)?(?:单位)?(?:自评|评价|自评价)报告$")
_PAREN = re.compile(r"^[(（](?P<text>.+)[)）]$")
_SECTION = re.compile(r"^[(（]?[一二三四五六七八九十\d]+[)）、.]?\s*(?P<label>[^（(，,]+?)\s*[（(]\s*(?P<weight>\d+(?:\.\d+)?)\s*分\s*"
                      r"[，,、;；]\s*(?:自评)?得分\s*(?P<score>\d+(?:\.\d+)?)\s*分\s*[)）]")
_TOTAL = re.compile(r"(?:自评|评价)(?:总)?得?分(?:为)?\s*(?P<value>\d+(?:\.\d+)?)\s*分")
_AMOUNT = r"(?P<value>\d[\d,]*(?:\.\d+)?)\s*(?P<unit>万元|元)"
_EACH = re.compile(r"(?P<keys>(?:年初预算数?|全年预算数?|全年执行数?)(?:[、和及与](?:年初预算数?|全年预算数?|全年执行数?))+)"
                   r"(?:均为|都是|皆为|分别为)?\s*" + _AMOUNT)
_SAID = r"(?:为|是|：|:)?\s*"
_ONE_FIXED = {"initial": re.compile(r"年初预算(?:数|金额)?" + _SAID + _AMOUNT),
              "executed": re.compile(r"(?:全年执行数?|实际(?:执行|支出)(?:数|金额)?|全年支出|(?:^|，)已?支出)" + _SAID
                                     + _AMOUNT)}
_ONES: dict[int, tuple[Lexicon, dict[str, re.Pattern[str]]]] = {}


def _one(lex: Lexicon) -> dict[str, re.Pattern[str]]:
    """The sentences that state one figure: the budget's words include the fund total's names of the vocabulary
    (年度资金总额, 项目资金总额 …: those that name a 总额, a sentence's word, not 合计)."""
    cached = _ONES.get(id(lex))
    if cached is None or cached[0] is not lex:
        totals = "|".join(re.escape(w) for w in sorted(lex.fund_rows["total"], key=len, reverse=True) if w.endswith("总额"))
        budget = re.compile(rf"(?:全年预算(?:数|金额)?|调整后预算(?:数)?|{totals or '(?!)'}|(?:经费|项目|资金)预算(?:资金|金额)?)"
                            + _SAID + _AMOUNT)
        cached = (lex, {"initial": _ONE_FIXED["initial"], "budget": budget, "executed": _ONE_FIXED["executed"]})
        _ONES[id(lex)] = cached
    return cached[1]
# A clause that breaks a figure down (“其中办公设备支出12万元”) is not the figure itself.
_CLAUSES = re.compile(r"[，。；,;]")
_RATE = re.compile(r"(?:预算)?执行率(?:为|达到?|是)?\s*(?P<value>\d+(?:\.\d+)?)\s*%")
_SENTENCE_INDICATOR = re.compile(r"(?P<name>[^，。；,;]{1,20}?)(?:的)?年度(?:目标|指标)值为\s*(?P<target>[^，。；,;]+?)[，,]\s*"
                                 r"实际完成值为\s*(?P<actual>[^，。；,;]+?)[，。；,;][^。]{0,80}?满分\s*(?P<weight>\d+(?:\.\d+)?)\s*分[，,]?"
                                 r"\s*(?:自评)?得\s*(?P<score>\d+(?:\.\d+)?)\s*分")
@dataclass
class _Context:
    """Where the reader is: the section (its category) the next table or sentence belongs to."""

    category: str = ""


def _phrase(p: Paragraph, match: re.Match[str], group: str | int = 0) -> Field:
    """A figure read from a sentence: its value, located at the paragraph with the quoted phrase."""
    return Field(match.group(group), Loc(p.name, f"“{match.group(0).strip()}”"))


_GRADES: dict[int, tuple[Lexicon, re.Pattern[str]]] = {}


def _grade_pattern(lex: Lexicon) -> re.Pattern[str]:
    """“等级为“优秀””: the grade words are the profile's (longest first, so 优秀 is not read as 优)."""
    cached = _GRADES.get(id(lex))
    if cached is None or cached[0] is not lex:
        words = "|".join(re.escape(w) for w in sorted(lex.grade_words, key=len, reverse=True))
        cached = (lex, re.compile(rf"(?:自评)?等级(?:为|评定为|是)?\s*[“\"'‘「]?(?P<grade>{words})[”\"'’」]?"))
        _GRADES[id(lex)] = cached
    return cached[1]


def _header(sheet: Sheet, lex: Lexicon) -> tuple[int, dict[str, int]] | None:
    """The header row among a table's first three, and its columns."""
    for r in range(min(3, sheet.height)):
        cols = header_columns(sheet, r, lex.report_columns)
        if "name" in cols and ("target" in cols or "score" in cols):
            return r, cols
    return None


def _indicators(table: Table, model: Evaluation, context: _Context, lex: Lexicon) -> bool:
    sheet = Sheet(table.name, table.grid, table.merged)  # a table's cells are read as a sheet's
    found = _header(sheet, lex)
    if found is None:
        return False
    top, cols = found
    previous: Indicator | None = None
    for r in range(top + 1, sheet.height):
        fields = {k: sheet.field(r, cols.get(k)) for k in ("level1", "level2", "name", "target", "actual", "weight",
                                                             "score", "reason")}
        if labels.subtotal_row(lex.row("subtotal"), fields["level1"], fields["level2"], fields["name"]):
            continue
        if fields["level1"].blank and context.category:
            fields["level1"] = Field(context.category, fields["level1"].loc)
        inherited = labels.inherit_levels(fields, previous) | labels.shared_scores(fields, previous)
        indicator = Indicator(len(model.indicators), fields["level1"], fields["level2"], fields["name"],
                              missing(table.name), fields["target"], fields["actual"], fields["weight"],
                              fields["score"], fields["reason"], frozenset(inherited))
        previous = indicator
        if not labels.empty_form_row(fields["name"], fields["target"], fields["actual"], fields["weight"],
                                     fields["score"]):
            model.indicators.append(indicator)
    model.anchors.setdefault("indicators", Loc(table.name, "A1"))
    return True


def _official(table: Table, raw_path: object, lex: Lexicon) -> Evaluation | None:
    """A table that is the official 自评表 itself, read by the official importer."""
    from pathlib import Path

    raw = RawWorkbook(Path(str(raw_path)), {table.name: table.grid}, [table.name], merged={table.name: table.merged})
    try:
        return parse_sheet(raw, table.name, lex)
    except NotATable:
        return None


_STATED = {"initial": "年初预算数", "budget": "全年预算数", "executed": "全年执行数", "rate": "执行率"}


def _funds(p: Paragraph, funds: dict[str, Field], rate: list[Field], model: Evaluation, lex: Lexicon) -> None:
    """The fund figures a sentence states: the first of each is the model's; every statement is kept."""
    stated: dict[str, Field] = {}
    text = "，".join(c for c in _CLAUSES.split(p.text) if not c.strip().startswith("其中"))
    for match in _EACH.finditer(text):
        keys = match.group("keys")
        for key, word in (("initial", "年初"), ("budget", "全年预算"), ("executed", "全年执行")):
            if word in keys:
                stated.setdefault(key, _amount(p, match))
    for key, pattern in _one(lex).items():
        one = pattern.search(text)
        if one:
            stated.setdefault(key, _amount(p, one))
    rate_match = _RATE.search(text)
    if rate_match:
        stated["rate"] = Field(f"{rate_match.group('value')}%", Loc(p.name, f"“{rate_match.group(0)}”"))
    for key, fld in stated.items():
        model.statements.setdefault(_STATED[key], []).append(fld)
        if key == "rate":
            if not rate:
                rate.append(fld)
        else:
            funds.setdefault(key, fld)


def _amount(p: Paragraph, match: re.Match[str]) -> AmountField:
    value = match.group("value").replace(",", "")
    return AmountField(f"{value}{match.group('unit')}", Loc(p.name, f"“{match.group(0).strip()}”"), unit="万元")


def parse_report(doc: RawDocument, lex: Lexicon) -> Evaluation:
    """The report as one table of the model (layout ``report``)."""
    names = tuple(b.name for b in doc.blocks)
    for block in doc.blocks:
        if isinstance(block, Table):
            official = _official(block, doc.path, lex)
            if official is not None and official.indicators:
                official.form = official.layout  # its form is still the official one (forms.py: which profile)
                official.layout, official.sheet, official.sheets = LAYOUT, None, names
                _title(doc, official)
                return official
    model = Evaluation(layout=LAYOUT, sheets=names, required=())
    model.anchors["info"] = Loc(names[0] if names else "第1段")
    context = _Context()
    funds: dict[str, Field] = {}
    rate: list[Field] = []
    totals: list[Field] = []
    grades: list[Field] = []
    for block in doc.blocks:
        if isinstance(block, Table):
            _indicators(block, model, context, lex)
            continue
        section = _SECTION.match(block.text)
        if section:
            category = lex.category(section.group("label"))
            context.category = category if category != BUDGET_CATEGORY else ""
            model.claims[category] = Claim(category, _phrase(block, section, "weight"), _phrase(block, section, "score"))
            continue
        if block.level is not None and block.level > 0:
            context.category = ""  # another part of the report begins
        _funds(block, funds, rate, model, lex)
        for match in _SENTENCE_INDICATOR.finditer(block.text):
            _sentence_indicator(model, block, match, context, lex)
        totals += [_phrase(block, m, "value") for m in _TOTAL.finditer(block.text)]
        grades += [_phrase(block, m, "grade") for m in _grade_pattern(lex).finditer(block.text)]
    _title(doc, model)
    if totals:
        model.total = totals[-1]  # the conclusion's (the last statement of it)
        model.anchors["total"] = model.total.loc
    if grades:
        model.info["grade"] = grades[-1]
    _fund_row(model, funds, rate)
    stated = model.indicators or model.claims or model.total is not None or model.statements
    titled = any(isinstance(b, Paragraph) and re.search(r"(?:自评|评价)报告", b.text) for b in doc.blocks[:6])
    if not stated and not titled:
        raise UnreadableWorkbook("不像是一份绩效自评报告：既没有“……绩效自评报告”的标题，也没有指标表、各部分得分、"
                                 "资金数字或自评总分")
    _gaps(model)
    return model


def _gaps(model: Evaluation) -> None:
    """A report states what it states: what it does not (no indicator table, no total, no funds) is said once
    (R003), and the checks that need it do not run — a narrative is not a form with empty fields."""
    missing_parts = []
    if not model.indicators:
        model.unusable |= {"indicators", "scores", "targets"}
        model.anchors.setdefault("indicators", model.anchors["info"])
        missing_parts.append("指标表（或写明指标值、完成值、分值、得分的句子）")
    if model.total is None:
        model.total_required = False
        missing_parts.append("自评总分")
    if "total" not in model.funds:
        missing_parts.append("资金预算数和执行数")
    if not model.indicators:
        model.scored = False  # nothing to re-score: no scorecard is shown
    if missing_parts:
        model.problems.append(Problem(ProblemKind.REPORT_PARTS, model.anchor("info"),
                                      f"报告中没有找到{'、'.join(missing_parts)}：这些部分未核对，其余照常检查",
                                      expected="、".join(missing_parts), actual=None))


def _sentence_indicator(model: Evaluation, p: Paragraph, match: re.Match[str], context: _Context,
                        lex: Lexicon) -> None:
    name = match.group("name").strip("，,。 ")
    satisfaction = lex.satisfaction()  # a sentence about 满意度 outside any section is the satisfaction indicator
    level1 = context.category or (satisfaction[0] if satisfaction and "满意" in name else "")
    level2 = satisfaction[1] if satisfaction and level1 == satisfaction[0] else ""
    blank = missing(p.name)
    model.indicators.append(Indicator(
        len(model.indicators), Field(level1 or None, Loc(p.name)), Field(level2 or None, Loc(p.name)),
        Field(name, Loc(p.name, f"“{name}”")), blank, _phrase(p, match, "target"), _phrase(p, match, "actual"),
        _phrase(p, match, "weight"), _phrase(p, match, "score"), blank))


def _title(doc: RawDocument, model: Evaluation) -> None:
    """Agency, year and project from the title: “南县公安局2025年科技兴警专项绩效自评报告”; a title split over lines
    (“五指山市统计局” / “2020人口普查经费资金项目绩效自评报告”, “2021年度项目绩效自评报告” / “（2021年春节慰问经费）”);
    else only the year of a heading before the first table (“2022年度项目支出绩效自评表”)."""
    lines: list[Paragraph] = []
    for block in doc.blocks:
        if isinstance(block, Table) or re.match(r"^[一二三四五六七八九十]+、", block.text):
            break
        lines.append(block)
    found: dict[str, Field] = {}
    for i, line in enumerate(lines[:6]):
        text = line.text.replace(" ", "").removeprefix("关于")
        match = _TITLE.match(text) if len(text) <= 80 else None  # a title, not a paragraph
        if match is None:
            continue
        loc = Loc(line.name, f"“{line.text}”")
        unit = match.group("unit").removesuffix("关于")
        name = match.group("name").removesuffix("的").removesuffix("项目")
        if not name and i + 1 < len(lines) and (paren := _PAREN.match(lines[i + 1].text.replace(" ", ""))):
            name, loc = re.sub(r"^20\d{2}年度?", "", paren.group("text")), Loc(lines[i + 1].name, f"“{lines[i + 1].text}”")
        if not unit and i > 0 and len(lines[i - 1].text) <= 30:
            unit = lines[i - 1].text.strip()
        found = {"name": Field(name or None, loc), "year": Field(match.group("year"), loc),
                 "unit": Field(unit or None, loc), "department": Field(unit or None, loc)}
        break
    if not found:
        year = next(((line, m) for line in lines for m in [re.search(r"(?<!\d)(20\d{2})年", line.text)] if m), None)
        if year is not None:
            found["year"] = Field(year[1].group(1), Loc(year[0].name, f"“{year[0].text}”"))
    for key, fld in found.items():
        if (key not in model.info or model.info[key].blank) and not fld.blank:
            model.info[key] = fld


def _fund_row(model: Evaluation, funds: dict[str, Field], rate: list[Field]) -> None:
    """The total row from the sentences: only when the report states a budget (an executed amount or a rate
    alone cannot be checked, and is not a gap of the report's); both a budget and an executed amount."""
    budget_claim = model.claims.get(BUDGET_CATEGORY)
    if ("budget" not in funds and "initial" not in funds) or "executed" not in funds:
        return
    where = next(iter(funds.values())).loc.sheet if funds else model.anchor("info").sheet
    blank = missing(where)
    amount = {k: funds.get(k, AmountField(None, Loc(where), unit="万元")) for k in ("initial", "budget", "executed")}
    if "budget" not in funds and "initial" in funds:
        amount["budget"] = funds["initial"]  # one figure written for the budget: the year's budget
    model.funds["total"] = FundRow(
        "total", Field("年度资金总额", Loc(where)), amount["initial"], amount["budget"], amount["executed"],
        budget_claim.weight if budget_claim else blank, rate[0] if rate else blank,
        budget_claim.score if budget_claim else blank)
    model.anchors["funds"] = Loc(where)
