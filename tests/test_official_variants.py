"""Forms as agencies really lay them out, and the mistakes a second reader found (each one a real workbook)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jixiao.check.runner import run
from jixiao.profile import load_profile
from jixiao.template.official import SHEET, official_grid, write_official
from tests.conftest import load_spec, patched, write_case, write_grid


def _findings(path: Path) -> list[tuple[str, str, Any, Any]]:
    (wb,) = [w for w in run([path], load_profile()).workbooks if w.sheet in (SHEET, None)]
    assert wb.status != "unreadable", wb.error
    return [(f.code, f.where, f.expected, f.actual) for f in wb.findings]


def test_unknown_level1_over_four_rows_is_read_from_their_level2(tmp_path: Path) -> None:
    spec = load_spec("01")
    for ind in spec["indicators"][:4]:
        ind["level1"] = "产出指票"
    (wb,) = run([write_official(tmp_path / "a.xlsx", spec)], load_profile()).workbooks
    assert wb.score is not None
    names = [c.name for c in wb.score.categories]  # read as 产出指标 from its rows' 二级: one category, said once
    assert "产出指票" not in names and names.count("产出指标") == 1 and wb.score.recomputed_total == 98.7
    assert [(f.code, f.where) for f in wb.findings if f.code in ("I001", "I014")] == [("I014", f"{SHEET}!B14")]


def test_uncomputed_total_is_one_v004_not_a_made_up_total(tmp_path: Path) -> None:
    path = write_case(tmp_path / "a.xlsx", load_spec("02"), cells={"得分汇总!C6": "=ROUND(C2+C3+C4+C5,1)"})
    assert _findings(path) == [("V004", "得分汇总!C6", "计算结果", "=ROUND(C2+C3+C4+C5,1)")]
    (wb,) = run([path], load_profile()).workbooks
    assert wb.score is not None and wb.score.claimed_total is None


def test_missing_total_is_said_and_never_invented(tmp_path: Path) -> None:
    path = write_case(tmp_path / "a.xlsx", patched(load_spec("02"), delete=["summary.总分.score"]))
    assert _findings(path) == [("S003", "得分汇总!C6", "必填", None)]
    (wb,) = run([path], load_profile()).workbooks
    assert wb.score is not None and wb.score.claimed_total is None


def test_footnote_and_signature_rows_end_the_block(tmp_path: Path) -> None:
    rows, merges, parts = official_grid(load_spec("02"))
    total = parts["total"]
    # No 总分 row: the form's note (label 说明 in A, the text in B) and a signature line follow the indicators.
    rows[total] = ["说明", "注:1、其他资金包括社会投入资金、银行贷款等。", *[None] * 8]
    rows.append(["填报人：王敏", None, None, None, None, "联系电话：0737-5200000", None, None, None, None])
    merges = [m for m in merges if not m.startswith((f"A{total + 1}:", f"I{total + 1}:"))]
    merges.append(f"B{total + 1}:J{total + 1}")
    path = write_grid(tmp_path / "a.xlsx", {SHEET: (rows, merges)})
    assert _findings(path) == [("S003", f"{SHEET}!A{total + 1}", "必填", None)]  # only: no 总分


def test_a_contents_sheet_is_not_a_table(tmp_path: Path) -> None:
    rows, merges, _ = official_grid(load_spec("02"))
    contents = [["序号", "项目名称", "主管部门", "实施单位"], [1, "农村义务教育学生营养改善计划", "某县教育局", "某县学生资助管理中心"]]
    path = write_grid(tmp_path / "a.xlsx", {"目录": (contents, []), SHEET: (rows, merges)})
    report = run([path], load_profile())
    assert [(w.sheet, w.status) for w in report.workbooks] == [(SHEET, "clean")]


def test_year_written_with_a_colon_and_funds_below_the_indicators(tmp_path: Path) -> None:
    rows, merges, _ = official_grid(load_spec("02"))
    rows[1] = ["年度：2025", *[None] * 9]
    funds, fund_merges = rows[5:10], [m for m in merges if m.startswith(("A6:", "C6:", "C7:", "C8:", "C9:", "C10:"))]
    rest = rows[:5] + rows[10:]
    moved = rest + funds
    shift = len(rest) - 5

    def move(rng: str) -> str:
        from openpyxl.utils import get_column_letter, range_boundaries

        c1, r1, c2, r2 = range_boundaries(rng)
        assert c1 and r1 and c2 and r2
        delta = shift if 6 <= r1 <= 10 else (-5 if r1 > 10 else 0)
        return f"{get_column_letter(c1)}{r1 + delta}:{get_column_letter(c2)}{r2 + delta}"

    path = write_grid(tmp_path / "a.xlsx", {SHEET: (moved, [move(m) for m in merges if m not in fund_merges]
                                              + [move(m) for m in fund_merges])})
    (wb,) = run([path], load_profile()).workbooks
    assert wb.status == "clean", [f.message for f in wb.findings]
    assert wb.project["year"] == "2025" and wb.score is not None and wb.score.recomputed_total == 99.35


def test_days_and_fractions_as_agencies_write_them(tmp_path: Path) -> None:
    spec = patched(load_spec("02"), {"indicators.1.actual": "200日", "indicators.3.actual": "1",
                                     "indicators.6.actual": "0.935"})
    assert _findings(write_case(tmp_path / "a.xlsx", spec)) == []


def test_indicators_first_then_funds_goals_and_total(tmp_path: Path) -> None:
    """Some publishers print the indicator block first, the 项目资金 and 年度总体目标 below it, 总分 last."""
    rows, _merges, parts = official_grid(load_spec("01"))
    head, funds, goals = rows[:5], rows[5:10], rows[10:12]
    block = rows[parts["header"]:parts["total"]]
    tail = rows[parts["total"]:]
    path = write_grid(tmp_path / "a.xlsx", {SHEET: (head + block + funds + goals + tail, [])})
    found = _findings(path)
    assert [(c, e, a) for c, _w, e, a in found] == [("I005", 14.7, 15)]
    (wb,) = run([path], load_profile()).workbooks
    assert wb.score is not None and (wb.score.claimed_total, wb.score.recomputed_total) == (99, 98.7)


def test_form_without_a_level1_column(tmp_path: Path) -> None:
    """No 一级指标 column: each 二级 says which 一级 it belongs to."""
    rows, _merges, parts = official_grid(load_spec("01"))
    trimmed = [row[:1] + row[2:] if parts["header"] <= i <= parts["total"] else row for i, row in enumerate(rows)]
    path = write_grid(tmp_path / "a.xlsx", {SHEET: (trimmed, [])})
    assert [(c, e, a) for c, _w, e, a in _findings(path)] == [("I005", 14.7, 15)]
    (wb,) = run([path], load_profile()).workbooks
    assert wb.score is not None and [c.name for c in wb.score.categories] == ["预算执行率", "产出指标", "效益指标",
                                                                            "满意度指标"]
