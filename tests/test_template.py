"""The standardized template: generated from one definition, and the committed file never drifts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from jixiao.check.runner import run
from jixiao.profile import load_profile
from jixiao.template.build import write_workbook
from jixiao.template.spec import FUNDS, HELP_SHEET, INDICATORS, INFO, SUMMARY, TEMPLATE_VERSION
from tests.conftest import ROOT

COMMITTED = ROOT / "workbook_templates" / "项目支出绩效自评表.xlsx"


def describe(path: Path) -> dict[str, Any]:
    """Everything a user sees in the template: values, formats, dropdowns, frozen panes, widths."""
    wb = load_workbook(path)
    out: dict[str, Any] = {}
    for ws in wb.worksheets:
        out[ws.title] = {
            "cells": [[(c.value, c.number_format) for c in row] for row in ws.iter_rows()],
            "validations": sorted((str(dv.sqref), dv.formula1) for dv in ws.data_validations.dataValidation),
            "freeze": ws.freeze_panes,
            "widths": {k: v.width for k, v in ws.column_dimensions.items()},
        }
    return out


def test_committed_template_matches_generator(tmp_path: Path) -> None:
    fresh = write_workbook(tmp_path / "t.xlsx")
    assert describe(fresh) == describe(COMMITTED), "run: jixiao template workbook_templates/项目支出绩效自评表.xlsx"


def test_template_layout() -> None:
    wb = load_workbook(COMMITTED)
    assert wb.sheetnames == [HELP_SHEET, INFO.name, FUNDS.name, INDICATORS.name, SUMMARY.name]
    for sheet in (INFO, FUNDS, INDICATORS, SUMMARY):
        headers = [c.value for c in wb[sheet.name][1]]
        assert headers == [c.header for c in sheet.columns]
    info = {r[0].value: r[1].value for r in wb[INFO.name].iter_rows(min_row=2)}
    assert info["模板版本"] == TEMPLATE_VERSION
    help_text = "\n".join(str(c.value or "") for c in wb[HELP_SHEET]["A"])
    assert TEMPLATE_VERSION in help_text and "定量正向" in help_text and "偏差原因分析" in help_text


def test_template_dropdowns() -> None:
    ws = load_workbook(COMMITTED)[INDICATORS.name]
    formulas = {dv.formula1 for dv in ws.data_validations.dataValidation}
    assert '"产出指标,效益指标,满意度指标"' in formulas
    assert '"定量正向,定量反向,定性"' in formulas
    assert any("服务对象满意度指标" in f for f in formulas)


def test_empty_template_is_said_to_be_unfilled_once(tmp_path: Path) -> None:
    """The committed blank template is read (its version is known) and reported as not filled in, once,
    with no scorecard; one header field filled makes it a table whose missing fields are each reported."""
    (wb,) = run([COMMITTED], load_profile()).workbooks
    assert (wb.status, wb.error, wb.findings, wb.score) == (
        "unreadable", "模板尚未填写（表头、项目资金、绩效指标都是空的），请填写后再检查", (), None)
    book = load_workbook(COMMITTED)
    book["基本信息"]["B4"] = "某项目"
    book.save(tmp_path / "one.xlsx")
    (wb,) = run([tmp_path / "one.xlsx"], load_profile()).workbooks
    codes = {f.code for f in wb.findings}
    assert wb.status == "errors" and "S003" in codes and "S004" not in codes


def test_columns_found_by_header_not_position(tmp_path: Path) -> None:
    """Swap two indicator columns: the checker still reads every value from the right column."""
    from tests.conftest import load_spec, write_case

    path = write_case(tmp_path / "swap.xlsx", load_spec("01"))
    wb = load_workbook(path)
    ws = wb[INDICATORS.name]
    for row in ws.iter_rows():
        row[4].value, row[5].value = row[5].value, row[4].value  # 年度指标值 ⇄ 实际完成值
    wb.save(path)
    (result,) = run([path], load_profile()).workbooks
    assert [(f.code, f.where) for f in result.findings if f.severity.value == "error"] == [("I005", "绩效指标!H7")]


def test_regional_split_target_columns(tmp_path: Path) -> None:
    """指标性质 | 年度指标值 | 度量单位 in separate columns (a regional layout) read as one target."""
    from tests.conftest import load_spec, write_case

    path = write_case(tmp_path / "split.xlsx", load_spec("01"))
    wb = load_workbook(path)
    ws = wb[INDICATORS.name]
    ws["J1"], ws["K1"] = "指标性质", "度量单位"
    ws["E2"], ws["K2"] = "963", "个"  # 天网点位: unit in its own column, actual "963个"
    ws["E7"], ws["F7"], ws["J7"], ws["K7"] = "100", "98", "≤", "%"  # read as "≤100%": 98% meets it
    wb.save(path)
    (result,) = run([path], load_profile()).workbooks
    assert result.findings == ()  # without joining: I007 at F2 (个 vs none) and I005 at H7 (forward)
