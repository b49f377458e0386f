"""Approved targets exported from a budget system: one row per indicator, the project on every row.

Two shapes are read. The 部门预算 export (四川 井研 “部门预算项目绩效目标申报表”, 云南 05-2): 单位名称 | 项目名称 |
预算数 | 年度目标 | 一级指标 | 二级指标 | 三级指标 | 指标性质 | 指标值 | 度量单位 | 权重, the project's cells merged
down over its rows. The bureau's flat export (the form a finance bureau can hand over, inferred from the
vendor tables in ../shared/approved-targets.md §3; not seen in a public document): 项目编码 | 项目名称 | 单位 |
一级指标 | 二级指标 | 三级指标 | 计算符号 | 指标值 | 计量单位 | 权重, optionally 年度, 主管部门, 资金总额, 年度目标 and
调整 (a row marked 调整/是 is an adjustment the bureau recorded: it replaces the approved row of the same
一级/二级/三级, and the project's values are the adjusted ones from then on). As .xlsx, .xls, .ods or .csv.

Rows are grouped into projects by 项目编码 (else 项目名称); a blank project cell continues the project above
(a CSV export does not repeat it). A row with a project but no indicator (a department's subtotal) is passed
over.
"""

from __future__ import annotations

from dataclasses import replace

from jixiao.model import Approval, Field, Indicator, missing
from jixiao.parse import labels
from jixiao.parse.lexicon import Lexicon
from jixiao.parse.sheet import Sheet, header_columns
from jixiao.parse.targets.form import amount, table_unit


def header(sheet: Sheet, lex: Lexicon) -> tuple[int, dict[str, int]] | None:
    """The header row: a project column (项目编码 or 项目名称) beside 三级指标 and 指标值."""
    for r in sorted(sheet.by_row):
        cols = header_columns(sheet, r, lex.words("export_columns"))
        if {"indicator", "target"} <= set(cols) and ({"code", "name"} & set(cols)):
            return r, cols
    return None


def parse_sheet(sheet: Sheet, path: str, lex: Lexicon) -> list[Approval]:
    """The projects of a flat export on ``sheet``; [] when the sheet is not one."""
    found = header(sheet, lex)
    if found is None:
        return []
    top, cols = found
    unit = table_unit(sheet)
    projects: dict[str, Approval] = {}
    current: Approval | None = None
    for r in range(top + 1, sheet.height):
        def cell(key: str, row: int = r) -> Field:
            return sheet.field(row, cols.get(key)) if key in cols else missing(sheet.name)

        code, name = cell("code"), cell("name")
        key = f"{code.norm or name.norm}|{cell('year').norm}" if (code.norm or name.norm) else ""  # per year
        if key:
            current = projects.get(key)
            if current is None:
                current = projects[key] = _project(sheet, path, r, cols, unit, top)
        if current is None:
            continue
        indicator, target = cell("indicator"), cell("target")
        if indicator.blank and target.blank:
            continue  # a department's subtotal, or an empty line
        fields = {"target": target, "actual": missing(sheet.name)}
        labels.join_split_target(fields, cell("comparator").text, cell("unit").text)
        blank = missing(sheet.name)
        row = Indicator(len(current.indicators), cell("level1"), cell("level2"), indicator, blank, fields["target"],
                        blank, cell("weight"), blank, blank)
        if cell("adjusted").norm.lower() in lex.words("markers")["adjusted"]:
            current.adjusted = True
            same = [i for i, old in enumerate(current.indicators) if _same(old, row)]
            if same:
                current.indicators[same[0]] = replace(row, position=same[0])
                continue
        current.indicators.append(row)
    return [p for p in projects.values() if p.indicators]


def _project(sheet: Sheet, path: str, r: int, cols: dict[str, int], unit: str, top: int) -> Approval:
    approval = Approval(path, sheet.name, "flat")
    for key, info in (("code", "code"), ("name", "name"), ("year", "year"), ("department", "department"),
                      ("agency", "unit"), ("goal", "goal")):
        if key in cols and not sheet.field(r, cols[key]).blank:
            approval.info[info] = sheet.field(r, cols[key])
    if "total" in cols:
        fld = sheet.field(r, cols["total"])
        header_note = labels.note(sheet.texts.get((top, cols["total"]), ""))
        approval.total = amount(fld.raw, fld.loc, header_note if header_note in ("元", "万元") else unit)
    return approval


def _same(a: Indicator, b: Indicator) -> bool:
    return (a.level1.label, a.level2.label, a.name.norm) == (b.level1.label, b.level2.label, b.name.norm)

