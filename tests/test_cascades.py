"""One root cause, one finding: each mistake below used to cascade into several findings; now it gives
exactly one (issue 8, point 9). Every test writes a real workbook and asserts the exact findings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from jixiao.check.runner import run
from jixiao.profile import load_profile
from tests.conftest import load_spec, patched, write_case

BASE = load_spec("02")  # the clean sample: no findings at all


def _findings(path: Path) -> list[tuple[str, str, Any, Any]]:
    (wb,) = run([path], load_profile()).workbooks
    return [(f.code, f.where, f.expected, f.actual) for f in wb.findings]


def test_base_is_clean(tmp_path: Path) -> None:
    assert _findings(write_case(tmp_path / "a.xlsx", BASE)) == []


def test_wrong_indicator_score_gives_no_total_advice(tmp_path: Path) -> None:
    """Was: I005 plus T003 advice computed from the uncorrected row (three rounds to fix one mistake)."""
    spec = patched(BASE, {"indicators.0.score": 15})
    assert _findings(write_case(tmp_path / "a.xlsx", spec)) == [("I005", "绩效指标!H2", 14.75, 15)]


def test_wrong_score_carried_into_the_sums_is_one_finding(tmp_path: Path) -> None:
    """The category line and total follow the wrong row: one finding (the row); the scorecard gives the
    recomputed category and total, so one round of corrections settles all three."""
    spec = patched(BASE, {"indicators.0.score": 15, "summary.产出指标.score": 50, "summary.总分.score": 99.6})
    path = write_case(tmp_path / "a.xlsx", spec)
    assert _findings(path) == [("I005", "绩效指标!H2", 14.75, 15)]
    (wb,) = run([path], load_profile()).workbooks
    assert wb.score is not None and (wb.score.claimed_total, wb.score.recomputed_total) == (99.6, 99.35)
    output = {c.name: (c.claimed, c.recomputed) for c in wb.score.categories}["产出指标"]
    assert output == (50, 49.75)


def test_category_line_off_from_its_rows_advised_from_recomputed(tmp_path: Path) -> None:
    """A category line that is neither the rows' sum nor right: advised with the recomputed sum (the
    total, already right, is not advised on although the category lines no longer add up to it)."""
    spec = patched(BASE, {"indicators.0.score": 15, "summary.产出指标.score": 50.5})
    assert _findings(write_case(tmp_path / "a.xlsx", spec)) == [
        ("I005", "绩效指标!H2", 14.75, 15), ("T003", "得分汇总!C3", 49.75, 50.5)]


def test_renamed_score_header_is_one_finding(tmp_path: Path) -> None:
    """Was: S002 plus ten I013 and three T003."""
    path = write_case(tmp_path / "a.xlsx", BASE, cells={"绩效指标!H1": "分数"})
    assert _findings(path) == [("S002", "绩效指标!A1", "得分", None)]


def test_renamed_indicator_sheet_is_one_finding(tmp_path: Path) -> None:
    """Was: S001 plus T006 “等级应为差” (the grade judged on a total without any indicator)."""
    path = write_case(tmp_path / "a.xlsx", BASE)
    wb = load_workbook(path)
    wb["绩效指标"].title = "指标明细"
    wb.save(path)
    assert _findings(path) == [("S001", "绩效指标", "绩效指标", None)]


def test_appended_total_row_is_not_an_indicator(tmp_path: Path) -> None:
    """Was: I001 + I012 + T002 + T004 for a “合计” line under the indicators."""
    spec = patched(BASE, {"indicators.8": {"level1": "合计", "weight": 90, "score": 89.75}})
    assert _findings(write_case(tmp_path / "a.xlsx", spec)) == []
    spec = patched(BASE, {"indicators.8": {"name": "小计", "weight": 90, "score": 89.75}})
    assert _findings(write_case(tmp_path / "b.xlsx", spec)) == []


def test_satisfaction_row_under_benefits_is_one_finding(tmp_path: Path) -> None:
    """Was: I001, and T001 and T003 pointing in opposite directions at the 效益指标 分值 cell."""
    spec = patched(BASE, {"indicators.7.level1": "效益指标"})
    assert _findings(write_case(tmp_path / "a.xlsx", spec)) == [
        ("I001", "绩效指标!B9", "经济效益指标、社会效益指标、生态效益指标、环境效益指标、可持续影响指标", "服务对象满意度指标")]


def test_empty_form_rows_give_nothing(tmp_path: Path) -> None:
    """Was: an I013 error (“‘’的分值空白”) for each row the form carries and the agency left empty."""
    spec = patched(BASE, {"indicators.8": {"level1": "效益指标", "level2": "经济效益指标"},
                          "indicators.9": {"level1": "效益指标", "level2": "生态效益指标", "name": "指标1："},
                          "indicators.10": {"level1": "产出指标", "level2": "成本指标", "name": "……", "weight": 0}})
    assert _findings(write_case(tmp_path / "a.xlsx", spec)) == []


def test_amount_with_unit_gives_no_cascade(tmp_path: Path) -> None:
    """Was: V002 for “480万” and then F007 “全年预算数为空或为 0” and F001 on every column."""
    spec = patched(BASE, {"funds.total.budget": "500万", "funds.total.executed": "480万元"})
    assert _findings(write_case(tmp_path / "a.xlsx", spec)) == []


def test_a_score_over_its_weight_is_one_finding(tmp_path: Path) -> None:
    """Was: I003 “得分 12 高于分值 10” and I005 “应得 10 分，自评 12 分” at the same cell, for one cause."""
    spec = patched(BASE, {"indicators.1.score": 12})
    assert _findings(write_case(tmp_path / "a.xlsx", spec)) == [("I005", "绩效指标!H3", 10, 12)]
