"""Write the template workbook, empty or filled from a plain ``spec`` dict.

A spec is what tests, samples and benchmarks use to describe a filled workbook::

    {"info": {"year": 2025, "name": "…", …},
     "funds": {"total": {"initial": 233, "budget": 233, "executed": 233, "weight": 10, "rate": 1, "score": 10}, …},
     "indicators": [{"level1": "产出指标", "level2": "数量指标", "name": "…", "target": "963个", …}, …],
     "summary": {"产出指标": {"weight": 50, "score": 50}, …, "总分": {"weight": 100, "score": 99}}}
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from jixiao.atomic import save_atomic
from jixiao.report import paper
from jixiao.template.spec import (
    FUND_ROW_KEYS,
    FUNDS,
    HELP_LINES,
    HELP_SHEET,
    INDICATORS,
    INFO,
    INFO_FIELDS,
    SUMMARY,
    SUMMARY_ROWS,
    TEMPLATE_VERSION,
    Sheet,
    check_line,
)

_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="305496")
_LOCKED_FILL = PatternFill("solid", fgColor="F2F2F2")
_TEXT = "@"


def _put(ws: Worksheet, row: int, col: int, value: Any) -> Cell:
    """Write a value; text is always text (a name like "=1+1" must not become a formula)."""
    cell = ws.cell(row=row, column=col, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def _header(ws: Worksheet, sheet: Sheet) -> None:
    for idx, col in enumerate(sheet.columns, start=1):
        cell = ws.cell(row=1, column=idx, value=col.header)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(idx)].width = col.width
    ws.freeze_panes = "A2"
    # Agencies print the filled table to sign it: landscape A4, one page wide, header on every page.
    paper.setup_openpyxl(ws, landscape=True, repeat="1:1")


def _col(sheet: Sheet, key: str) -> int:
    return [c.key for c in sheet.columns].index(key) + 1


def _help(wb: Workbook, page: str | None) -> None:
    from jixiao.template.official import help_sheet

    ws = wb.active
    assert ws is not None
    ws.title = HELP_SHEET
    help_sheet(wb, (*HELP_LINES, check_line(page)))


def _info(wb: Workbook, values: Mapping[str, Any]) -> None:
    ws = wb.create_sheet(INFO.name)
    _header(ws, INFO)
    for row, fld in enumerate(INFO_FIELDS, start=2):
        ws.cell(row=row, column=1, value=fld.label).fill = _LOCKED_FILL
        default = TEMPLATE_VERSION if fld.key == "template_version" else None
        value = values.get(fld.key, default)
        cell = _put(ws, row, 2, value)
        if fld.key != "year":
            cell.number_format = _TEXT
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        note = fld.note + ("（必填）" if fld.required else "")
        ws.cell(row=row, column=3, value=note or None)


def _fill_row(ws: Worksheet, sheet: Sheet, row: int, values: Mapping[str, Any]) -> None:
    for idx, col in enumerate(sheet.columns, start=1):
        if col.key == "label":
            continue
        cell = _put(ws, row, idx, values.get(col.key))
        if col.number_format:
            cell.number_format = col.number_format
        elif col.key in ("target", "actual", "reason", "name", "kind", "level1", "level2"):
            cell.number_format = _TEXT


def _funds(wb: Workbook, funds: Mapping[str, Mapping[str, Any]]) -> None:
    ws = wb.create_sheet(FUNDS.name)
    _header(ws, FUNDS)
    for row, (key, label) in enumerate(zip(FUND_ROW_KEYS, FUNDS.fixed_rows, strict=True), start=2):
        ws.cell(row=row, column=1, value=label).fill = _LOCKED_FILL
        values = dict(funds.get(key, {}))
        if key != "total" and not funds:
            values = {"weight": "—", "rate": "—", "score": "—"}
        _fill_row(ws, FUNDS, row, values)


def _indicators(wb: Workbook, rows: list[Mapping[str, Any]]) -> None:
    ws = wb.create_sheet(INDICATORS.name)
    _header(ws, INDICATORS)
    last = 1 + max(len(rows), INDICATORS.blank_rows)
    for offset in range(last - 1):
        _fill_row(ws, INDICATORS, offset + 2, {})
    for offset, values in enumerate(rows):
        row = offset + 2
        for idx, col in enumerate(INDICATORS.columns, start=1):
            _put(ws, row, idx, values.get(col.key)).alignment = Alignment(wrap_text=True, vertical="top")
    for key in ("level1", "level2", "kind"):
        col = INDICATORS.column(key)
        letter = get_column_letter(_col(INDICATORS, key))
        dv = DataValidation(type="list", formula1='"' + ",".join(col.choices) + '"', allow_blank=True,
                            showErrorMessage=True, errorTitle="请从下拉列表选择",
                            error=f"{col.header}只能填写：{'、'.join(col.choices)}")
        dv.add(f"{letter}2:{letter}{max(last, 200)}")
        ws.add_data_validation(dv)


def _summary(wb: Workbook, summary: Mapping[str, Mapping[str, Any]]) -> None:
    ws = wb.create_sheet(SUMMARY.name)
    _header(ws, SUMMARY)
    for row, label in enumerate(SUMMARY_ROWS, start=2):
        ws.cell(row=row, column=1, value=label).fill = _LOCKED_FILL
        _fill_row(ws, SUMMARY, row, summary.get(label, {}))


def build_workbook(spec: Mapping[str, Any] | None = None, page: str | None = None) -> Workbook:
    """The template as an openpyxl workbook; filled from ``spec`` when given; ``page``: the finance bureau's
    self-check page, named in 填表说明."""
    spec = spec or {}
    wb = Workbook()
    _help(wb, page)
    _info(wb, spec.get("info", {}))
    _funds(wb, spec.get("funds", {}))
    _indicators(wb, list(spec.get("indicators", [])))
    _summary(wb, spec.get("summary", {}))
    wb.active = 1
    return wb


def write_workbook(path: str | Path, spec: Mapping[str, Any] | None = None, page: str | None = None) -> Path:
    """Write the template (filled from ``spec`` when given) atomically to ``path``."""
    return save_atomic(build_workbook(spec, page), Path(path))
