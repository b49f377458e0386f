"""Parse a workbook in the jixiao template layout into an :class:`Evaluation`.

Sheets and columns are found by their (normalised) names, so reordered columns, stray spaces and
full-width brackets in headers do not matter. What is missing becomes a :class:`Problem`, never a crash.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from jixiao.cells import a1
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
)
from jixiao.parse import labels
from jixiao.parse.lexicon import Lexicon
from jixiao.profile import BUDGET_CATEGORY
from jixiao.read.excel import Grid, RawWorkbook
from jixiao.template.spec import (
    FUNDS,
    INDICATORS,
    INFO,
    INFO_FIELDS,
    KNOWN_VERSIONS,
    SUMMARY,
    SUMMARY_ROWS,
    Sheet,
)

HEADER_SCAN_ROWS = 10


_key = labels.key
_matches = labels.matches


@lru_cache(maxsize=16)
def _header_lookup(sheet: Sheet) -> dict[str, str]:
    """Normalised header text (and every alias) → column key."""
    return {_key(name): col.key for col in sheet.recognised for name in col.names}


def _cell(grid: Grid, row: int, col: int) -> object:
    if row >= len(grid) or col >= len(grid[row]):
        return None
    value = grid[row][col]
    if isinstance(value, str) and not value.strip():
        return None
    return value


class _Table:
    """A tabular sheet with its header row located and its columns mapped by key."""

    def __init__(self, name: str, grid: Grid, sheet: Sheet, issues: list[Problem],
                 formulas: dict[tuple[int, int], str] | None = None,
                 merged: dict[tuple[int, int], tuple[int, int]] | None = None) -> None:
        self.name, self.grid, self.sheet = name, grid, sheet
        self.merged = merged or {}
        self.formulas = formulas or {}
        self.header_row, self.columns = self._locate(issues)

    def _locate(self, issues: list[Problem]) -> tuple[int, dict[str, int]]:
        lookup = _header_lookup(self.sheet)
        wanted = len(self.sheet.columns)
        best_row, best = 0, dict[str, int]()
        for row in range(min(HEADER_SCAN_ROWS, len(self.grid))):
            found: dict[str, int] = {}
            for col, value in enumerate(self.grid[row]):
                text = _key(value) if value is not None else ""
                key = lookup.get(text) or lookup.get(labels.bare(text)) if text else None
                if key is not None and key not in found:
                    found[key] = col
            if len(found) > len(best):
                best_row, best = row, found
                if len(found) == wanted:
                    break
        self.absent = {c.key for c in self.sheet.columns if c.required and c.key not in best}
        for column in self.sheet.columns:
            if column.required and column.key not in best:
                issues.append(Problem(ProblemKind.MISSING_COLUMN, Loc(self.name, a1(best_row, 0)),
                                    f"工作表“{self.name}”缺少“{column.header}”列",
                                    expected=column.header, actual=None))
        return best_row, best

    def field(self, row: int, key: str, kind: type[Field] = Field) -> Field:
        """The value in column ``key`` of ``row``, with its cell."""
        return self.fields(row, (key,), kind)[key]

    def fields(self, row: int, keys: tuple[str, ...], kind: type[Field] = Field) -> dict[str, Field]:
        """The values in columns ``keys`` of ``row``, in one pass over the row (a batch reads millions)."""
        values = self.grid[row] if row < len(self.grid) else []
        width, name, merged, formulas = len(values), self.name, self.merged, self.formulas
        out: dict[str, Field] = {}
        for key in keys:
            col = self.columns.get(key)
            if col is None:
                out[key] = kind(None, Loc(name))
                continue
            value = values[col] if col < width else None
            if value.__class__ is str and not value.strip():
                value = None
            # A value shown in a merged range belongs to the range's top-left cell.
            at_row, at_col = merged.get((row, col), (row, col)) if merged else (row, col)
            out[key] = kind.at(value, name, at_row, at_col, formulas.get((row, col)) if formulas else None)
        return out

    def amount(self, row: int, key: str) -> Field:
        """An amount of the 项目资金 sheet (the template's amounts are in 万元)."""
        return self.field(row, key, AmountField)

    def body_rows(self) -> range:
        return range(self.header_row + 1, len(self.grid))

    def holds_data(self, row: int) -> bool:
        """A body row (below the header) with something in it."""
        return row > self.header_row and not self.row_is_blank(row)

    def row_is_blank(self, row: int) -> bool:
        if row >= len(self.grid):
            return True
        values = self.grid[row]
        return all(col >= len(values) or values[col] is None or (isinstance(values[col], str)
                   and not str(values[col]).strip()) for col in self.columns.values())


def _find_sheets(raw: RawWorkbook) -> dict[str, str]:
    """Template sheet name → actual sheet name, matched after normalisation."""
    found: dict[str, str] = {}
    for actual in raw.sheets:
        key = _key(actual)
        for sheet in (INFO, FUNDS, INDICATORS, SUMMARY):
            if sheet.name not in found and _matches(key, (sheet.name, *sheet.aliases)):
                found[sheet.name] = actual
    return found


def template_sheets(names: Sequence[str]) -> list[str]:
    """The template's data sheets among ``names`` (the reader loads only these)."""
    return [n for n in names if is_template_sheet(n)]


def is_template_sheet(name: str) -> bool:
    """Whether a sheet name is one of the template's data sheets (the reader loads only these)."""
    key = _key(name)
    return any(_matches(key, (s.name, *s.aliases)) for s in (INFO, FUNDS, INDICATORS, SUMMARY))


_INFO_LABELS = labels.LabelTable({fld.key: (fld.label, *fld.aliases) for fld in INFO_FIELDS})


def _parse_info(table: _Table, model: Evaluation, lex: Lexicon) -> None:
    label_col = table.columns.get("label", 0)
    for row in table.body_rows():
        for key in _INFO_LABELS.find(_key(_cell(table.grid, row, label_col))):
            if key not in model.info:
                model.info[key] = table.field(row, "value")
    version = model.info.get("template_version")
    if version is None or version.blank:
        loc = version.loc if version else Loc(table.name)
        model.problems.append(Problem(ProblemKind.TEMPLATE_VERSION, loc, "缺少模板版本，无法确认是 jixiao 标准模板",
                                  expected=" / ".join(KNOWN_VERSIONS), actual=None))
    elif version.text not in KNOWN_VERSIONS:
        model.problems.append(Problem(ProblemKind.TEMPLATE_VERSION, version.loc, f"模板版本“{version.text}”无法识别，请使用最新模板重新填写",
                                  expected=" / ".join(KNOWN_VERSIONS), actual=version.text))


def _parse_funds(table: _Table, model: Evaluation, lex: Lexicon) -> None:
    label_col = table.columns.get("label", 0)
    rows = _fund_labels(lex)
    for row in table.body_rows():
        for key in rows.find(_key(_cell(table.grid, row, label_col))):
            if key not in model.funds:
                model.funds[key] = FundRow(key, table.field(row, "label"),
                                           *(table.amount(row, k) for k in ("initial", "budget", "executed")),
                                           *(table.field(row, k) for k in ("weight", "rate", "score")))
    if "total" not in model.funds:
        model.problems.append(Problem(ProblemKind.MISSING_ROW, Loc(table.name, a1(table.header_row + 1, label_col)),
                                  "项目资金表缺少“年度资金总额”行", expected="年度资金总额", actual=None))


_INDICATOR_KEYS = ("level1", "level2", "name", "kind", "target", "actual", "weight", "score", "reason")


def _parse_indicators(table: _Table, model: Evaluation, lex: Lexicon) -> None:
    previous: Indicator | None = None
    for row in table.body_rows():
        if table.row_is_blank(row):
            continue
        fields = table.fields(row, _INDICATOR_KEYS)
        if "comparator" in table.columns or "unit" in table.columns:
            _join_split_target(table, row, fields)
        inherited = labels.inherit_levels(fields, previous)
        if labels.subtotal_row(lex.row("subtotal"), fields["level1"], fields["level2"], fields["name"]):
            continue  # a 合计/小计 line appended to the table: not an indicator
        indicator = Indicator(len(model.indicators), fields["level1"], fields["level2"], fields["name"], fields["kind"],
                              fields["target"], fields["actual"], fields["weight"], fields["score"], fields["reason"],
                              frozenset(inherited))
        previous = indicator
        if labels.empty_form_row(fields["name"], fields["target"], fields["actual"], fields["weight"],
                                 fields["score"]):
            continue  # a row left empty (only 一级/二级, or “指标1：”): not an indicator
        model.indicators.append(indicator)


def _join_split_target(table: _Table, row: int, fields: dict[str, Field]) -> None:
    comparator = table.field(row, "comparator").text if "comparator" in table.columns else ""
    unit = table.field(row, "unit").text if "unit" in table.columns else ""
    labels.join_split_target(fields, comparator, unit)


def _parse_summary(table: _Table, model: Evaluation, lex: Lexicon) -> None:
    label_col = table.columns.get("label", 0)
    lines = {BUDGET_CATEGORY, "总分", *(row for row in SUMMARY_ROWS), *lex.profile.categories}
    for row in table.body_rows():
        text = _key(_cell(table.grid, row, label_col))
        label = lex.category(text) if text else ""
        if label in lines and label not in model.claims:
            model.claims[label] = Claim(label, table.field(row, "weight"), table.field(row, "score"))
    total = model.claims.get("总分")
    model.total = total.score if total else None


def parse_workbook(raw: RawWorkbook, lex: Lexicon) -> Evaluation:
    """Build the model from a workbook in the template layout."""
    names = _find_sheets(raw)
    if not names:
        raise UnreadableWorkbook(
            "不是 jixiao 标准模板：找不到“基本信息”“项目资金”“绩效指标”“得分汇总”工作表，请使用标准模板填写")
    model = Evaluation(layout="template", sheets=tuple(raw.names))
    info = names.get(INFO.name)
    model.anchors["info"] = Loc(info or INFO.name, "A1" if info else None)
    indicators = names.get(INDICATORS.name)
    model.anchors["indicators"] = Loc(indicators or INDICATORS.name, "A2" if indicators else None)
    funds = names.get(FUNDS.name)
    model.anchors["funds"] = Loc(funds or FUNDS.name, "A1" if funds else None)
    summary = names.get(SUMMARY.name)
    model.anchors["weights"] = model.anchors["total"] = Loc(summary or SUMMARY.name, None)
    parsers = ((INFO, _parse_info), (FUNDS, _parse_funds), (INDICATORS, _parse_indicators),
               (SUMMARY, _parse_summary))
    for sheet, parse in parsers:
        actual = names.get(sheet.name)
        parts = _PARTS.get(sheet.name, set())
        if actual is None:
            model.unusable |= parts
            model.problems.append(Problem(ProblemKind.MISSING_SHEET, Loc(sheet.name), f"缺少工作表“{sheet.name}”",
                                      expected=sheet.name, actual=None))
            continue
        table = _Table(actual, raw.sheets[actual], sheet, model.problems, raw.uncomputed.get(actual),
                       raw.merged.get(actual))
        model.problems += labels.sheet_problems(actual, raw.uncomputed.get(actual, {}),
                                                raw.hidden_rows.get(actual, []), table.holds_data)
        parse(table, model, lex)
        if sheet is INDICATORS and table.absent & {"weight", "score"}:
            model.unusable.add("scores")
        if sheet is INDICATORS and table.absent & {"target", "actual"}:
            model.unusable.add("targets")
        if sheet is FUNDS and table.absent & {"budget", "executed"}:
            model.unusable.add("funds")
    labels.unweighted_rows(model, model.anchors["indicators"], column=True)
    labels.unscored(model)
    return model


_FUND_TABLES: dict[int, tuple[Lexicon, labels.LabelTable]] = {}


def _fund_labels(lex: Lexicon) -> labels.LabelTable:
    """The fund rows' names of ``lex`` as a label table (built once per lexicon: a batch reads them in every
    workbook)."""
    cached = _FUND_TABLES.get(id(lex))
    if cached is None or cached[0] is not lex:
        cached = (lex, labels.LabelTable({k: lex.fund_rows[k] for k in ("total", "current", "carryover", "other")}))
        _FUND_TABLES[id(lex)] = cached
    return cached[1]


# A missing sheet makes these parts unusable (rules that need them do not run).
_PARTS: dict[str, set[str]] = {INDICATORS.name: {"indicators", "scores", "targets"},
                               FUNDS.name: {"funds", "budget_score"}}
