"""Printed approved-target tables: one project per sheet, laid out for printing.

The families seen in published tables (../shared/approved-targets.md, tests/fixtures/targets/):

* 财预〔2015〕88号 with its twin block: 一级指标 | 二级指标(长期) | 三级指标(长期) | 指标值(长期) | 二级指标(年度) |
  三级指标(年度) | 指标值(年度) (or 实施周期指标值 … 当年度指标值): the annual block is read;
* the simplified annual-only table: 一级指标 | 二级指标 | 三级指标 (指标内容) | 指标值;
* 申报表 / 审批表: 指标值及单位 in one cell, a 绩效标准 or 分值 / 指标解释 column;
* 指标性质 | 指标值 | 度量单位 split, and the 区域绩效目标表 with a 单位 column (joined into one target).

Nothing is found by position: the header row is the row with 一级指标, a 三级指标 (指标内容) and a 指标值 label;
the project's fields are label cells with their value to the right (or below), the fund total is the first of
the total's labels, or such a label inside a cell (“年度资金总额:16”). Empty form rows are skipped.
"""

from __future__ import annotations

import re

from jixiao.cells import a1
from jixiao.model import AmountField, Approval, Field, Indicator, Loc, missing
from jixiao.parse import labels
from jixiao.parse.lexicon import Lexicon
from jixiao.parse.sheet import Sheet, join_split_target, value_right
from jixiao.values import normalize_text

_IN_TEXT: dict[tuple[str, ...], re.Pattern[str]] = {}


def _total_in_text(lex: Lexicon) -> re.Pattern[str]:
    """“年度资金总额:16” inside one cell: the vocabulary's target_info.total_in_text words, then the amount."""
    words = lex.words("target_info")["total_in_text"]
    if words not in _IN_TEXT:
        names = "|".join(re.escape(w) for w in words) or "(?!)"
        _IN_TEXT[words] = re.compile(rf"({names})[^\d\n]{{0,8}}?(\d[\d,]*(?:\.\d+)?)\s*(亿元|万元|万|元)?")
    return _IN_TEXT[words]

_AMOUNT = re.compile(r"^(\d[\d,]*(?:\.\d+)?)\s*(亿元|万元|万|元)?")
_YEAR = re.compile(r"(?<!\d)(20\d{2})\s*年")
_FOOTER = re.compile(r"^(注|说明|备注|填表说明)(\d|[:：.、]|$)|^(财政部门审核意见|主管部门审核意见|审核意见|填表人|填报人|"
                     r"联系电话|填报日期|单位负责人|项目负责人)")


def _kind(text: str, lex: Lexicon) -> str | None:
    """Which column a header cell names (long-term blocks of the 88号 table are their own kind)."""
    bare, note = labels.bare(text), labels.note(text)
    for kind, names in lex.words("target_columns").items():
        if bare in labels.keys(names):
            if note in lex.words("markers")["long_term"] and kind in ("level2", "name", "target"):
                return f"long_{kind}" if kind != "target" else "long_target"
            return kind
    return None


def header(sheet: Sheet, lex: Lexicon, start: int = 0) -> tuple[int, dict[str, int]] | None:
    """The first indicator header row from ``start`` and its columns: the annual block's, the rightmost of each
    kind."""
    for r in sorted(sheet.by_row):
        if r < start:
            continue
        kinds: dict[str, list[int]] = {}
        for c, text in sheet.row_cells[r]:
            if (kind := _kind(text, lex)) is not None:
                kinds.setdefault(kind, []).append(c)
        # The 三级 and its value, with the 一级 or (a table without levels: 重庆 T12) two more of the columns.
        if not ({"name", "target"} <= set(kinds) and ("level1" in kinds or len(kinds) >= 4)):
            continue
        if any(labels.matches(t, lex.indicator_columns["actual"]) for t in sheet.by_row[r]):
            return None  # a 实际完成值 column: a self-evaluation, not an approved table
        target = max(kinds["target"])
        cols = {"target": target}
        if "level1" in kinds:
            cols["level1"] = min(kinds["level1"])
        for kind in kinds:  # the 88号 table's long-term block: its columns are the table's too (its rows go on)
            if kind.startswith("long_"):
                cols[kind] = min(kinds[kind])
        left = [c for c in kinds["name"] if c < target]
        cols["name"] = max(left) if left else max(kinds["name"])
        level2 = [c for c in kinds.get("level2", []) if c < cols["name"]]
        if level2:
            cols["level2"] = max(level2)
        for kind in ("weight", "comparator", "unit"):
            if kind in kinds:
                cols[kind] = max(kinds[kind])
        if len(kinds.get("comparator", [])) > 1:  # 指标性质 (正向) and 指标方向 (=): both say how to compare
            cols["comparator_more"] = min(kinds["comparator"])
        return r, cols
    return None


def _info(sheet: Sheet, approval: Approval, limit: int, lex: Lexicon) -> None:
    words = lex.words("target_info")
    for key in ("name", "code", "department", "unit"):
        for r, c in sheet.find(words[key]):
            if r < limit:
                approval.info[key] = value_right(sheet, r, c, lex)
                break
    first = min(sheet.by_row, default=0)
    for (r, c), text in sorted(sheet.texts.items()):
        if r >= min(limit, first + 4):
            break
        match = _YEAR.search(text)
        if match and ("年度" in text or len(text) <= 12 or "目标" in text or "申报表" in text):
            approval.info["year"] = Field(match.group(1), Loc(sheet.name, a1(r, c)))
            break
    for r, c in sheet.find(words["goal"]):  # the text to the right, else below (a 中期目标 | 年度目标 header row)
        if r >= limit:
            continue
        right = value_right(sheet, r, c, lex)
        below = sheet.field(r + 1, c) if r + 1 < limit else None
        if not right.blank:
            approval.info["goal"] = right
        elif below is not None and not below.blank and not lex.is_label(below.norm):
            approval.info["goal"] = below
        else:
            continue
        break


def table_unit(sheet: Sheet) -> str:
    """万元 unless the table says its amounts are in 元 (“金额单位:元”, “单位:元”, “预算数(元)”)."""
    for text in sheet.texts.values():
        if re.search(r"单位[:：]?元(?![/\w])|\(元\)$", text):
            return "元"
    return "万元"


def amount(raw: object, loc: Loc, unit: str) -> AmountField | None:
    """An approved amount in 万元, from a number or a text that starts with one (“854万(高标准农田……)”)."""
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return AmountField(f"{raw}{unit}", loc, unit="万元")
    match = _AMOUNT.match(normalize_text(raw) if raw is not None else "")
    if match is None:
        return None
    number = match.group(1).replace(",", "")
    return AmountField(f"{number}{match.group(2) or unit}", loc, unit="万元")


def _total(sheet: Sheet, approval: Approval, limit: int, lex: Lexicon) -> None:
    unit = table_unit(sheet)
    for names in lex.words("target_info")["total"]:
        for r, c in sheet.find((names,)):
            if r >= limit:
                continue
            fld = value_right(sheet, r, c, lex)
            note = labels.note(sheet.texts[(r, c)])
            found = amount(fld.raw, fld.loc, note if note in ("元", "万元", "亿元") else unit) if not fld.blank else None
            if found is not None and found.value is not None:
                approval.total = found
                return
    for (r, c), text in sorted(sheet.texts.items()):  # “年度资金总额:16” inside one cell
        if r >= limit:
            break
        match = _total_in_text(lex).search(text)
        if match:
            number = match.group(2).replace(",", "")
            approval.total = AmountField(f"{number}{match.group(3) or unit}", Loc(sheet.name, a1(r, c)), unit="万元")
            return


def _rows(sheet: Sheet, start: int, cols: dict[str, int], lex: Lexicon) -> tuple[list[Indicator], int]:
    """The indicator rows from ``start``; and the row after the table."""
    out: list[Indicator] = []
    previous: Indicator | None = None
    columns = set(cols.values())
    for r in range(start, sheet.height):
        texts = sheet.by_row.get(r, [])
        if any(_FOOTER.match(t) for t in texts) or any(_kind(t, lex) == "level1" for t in texts):
            return out, r
        if out and texts and not any(c in columns for c, _t in sheet.row_cells.get(r, ())):
            return out, r  # words outside the table's columns only: the next table's title (“表十二”)
        fields = {k: sheet.field(r, cols.get(k)) for k in ("level1", "level2", "name", "target", "weight")}
        spanned = {fields[k].loc for k in ("level2", "name", "target") if k in cols}
        if not fields["name"].blank and len(spanned) == 1 and "level2" in cols:
            return out, r  # one cell across the row: the form's lines below the table (审核意见 | (盖章), 上报时间)
        if "comparator" in cols or "unit" in cols:
            fields["actual"] = missing(sheet.name)
            join_split_target(sheet, r, cols, fields)
        if labels.subtotal_row(lex.row("subtotal"), fields["level1"], fields["level2"], fields["name"]):
            continue
        implied = lex.level1_of(fields["level2"].label) if fields["level1"].blank else None
        if implied is not None:
            fields["level1"] = Field(implied, fields["level1"].loc)
            inherited = {"level1"}
        else:
            inherited = labels.inherit_levels(fields, previous)
        blank = missing(sheet.name)
        indicator = Indicator(len(out), fields["level1"], fields["level2"], fields["name"], blank, fields["target"],
                              blank, fields["weight"], blank, blank, frozenset(inherited))
        previous = indicator
        if labels.empty_form_row(fields["name"], fields["target"], blank, fields["weight"], blank):
            continue
        out.append(indicator)
    return out, sheet.height


def parse_sheet(sheet: Sheet, path: str, lex: Lexicon) -> list[Approval]:
    """The approved tables on ``sheet`` (one project each, one below the other: 重庆 T12); [] when there is none."""
    out: list[Approval] = []
    top = 0
    while (found := header(sheet, lex, top)) is not None:
        r, cols = found
        approval = Approval(path, sheet.name, "form")
        approval.indicators, end = _rows(sheet, r + 1, cols, lex)
        view = sheet.window(top, max(end, r + 1))  # the project's own rows: its fields, its unit (单位:元)
        approval.adjusted = any("调整" in t for t in view.by_row.get(min(view.by_row, default=0), []))
        _info(view, approval, r, lex)
        _total(view, approval, r, lex)
        if approval.indicators:
            out.append(approval)
        top = max(end, r + 1)
    return out
