"""The bundled samples: every expected finding, exactly, and the recomputed scores."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from jixiao.check.runner import run
from jixiao.profile import load_profile
from jixiao.template.build import write_workbook
from jixiao.template.official import SHEET, official_grid, write_official
from tests.conftest import SAMPLES, SPECS

# file prefix → ((claimed total, recomputed total, claimed grade, recomputed grade), findings)
EXPECTED: dict[str, tuple[tuple[float, float, str, str], list[tuple[str, str, object, object]]]] = {
    "01": ((99, 98.7, "优", "优"), [
        ("I005", "绩效指标!H7", 14.7, 15),
    ]),
    "02": ((99.35, 99.35, "优", "优"), []),
    "03": ((100, 98.35, "优", "优"), [
        ("F001", "项目资金!B2", 190, 200),
        ("F001", "项目资金!C2", 190, 200),
        ("F001", "项目资金!D2", 175, 167),
        ("F002", "项目资金!F2", 83.5, 98),
        ("F005", "项目资金!G2", 8.35, 10),
        ("F003", "项目资金!D4", 40, 45),
    ]),
    "04": ((96.8, 91.25, "优", "优"), [
        ("I005", "绩效指标!H2", 1.25, 1.8),
        ("I011", "绩效指标!I3", "≥20次", "36次"),
        ("I007", "绩效指标!F4", "头", "只"),
        ("I006", "绩效指标!H5", 10, 8),
        ("I010", "绩效指标!I6", None, "63%"),
        ("I012", "绩效指标!H7", 0, 5),
        ("I008", "绩效指标!H9", 8, 10),
        ("I001", "绩效指标!B10", "经济效益指标、社会效益指标、生态效益指标、环境效益指标、可持续影响指标", "数量指标"),
        ("I002", "绩效指标!C11", None, "健康教育讲座"),
    ]),
    "05": ((88, 93, "优", "优"), [
        ("T005", "基本信息!B12", "良", "优"),
        ("T001", "得分汇总!B3", 50, 40),
        ("T003", "得分汇总!C4", 28, 30),
        ("T001", "得分汇总!B5", 10, 15),
        ("T002", "得分汇总!B6", 100, 95),
        ("T004", "得分汇总!C6", 93, 88),
    ]),
    "06": ((93.89, 66.39, "优", "中"), [
        ("S004", "基本信息!B2", "JX-2025.1", "2019版"),
        ("S003", "基本信息!B6", "必填", None),
        ("T006", "基本信息!B12", "中", "优"),
        ("V001", "绩效指标!E2", None, "≥**场"),
        ("I012", "绩效指标!H2", 0, 20),
        ("I005", "绩效指标!H3", 7.5, 15),
        ("V003", "绩效指标!F4", "数值（可带比较符和单位，如 ≥95%）", "基本合格"),
    ]),
    # The official single-sheet layout (real published tables, see the specs' sources).
    "07": ((90, 99.29, None, "优"), [
        ("T001", "项目支出绩效自评表!G14", 50, 70),
        ("I006", "项目支出绩效自评表!H17", 13.33, 10),
        ("T001", "项目支出绩效自评表!G18", 30, 15),
        ("T001", "项目支出绩效自评表!G19", 10, 15),
        ("T002", "项目支出绩效自评表!G20", 100, 110),
        ("T004", "项目支出绩效自评表!H20", 99.29, 90),
    ]),
    "08": ((98.62, 98.62, None, "优"), []),
}


@pytest.fixture(scope="module")
def report():  # type: ignore[no-untyped-def]
    return run(sorted(SAMPLES.glob("*.xls*")), load_profile())


def test_every_sample_is_expected(report) -> None:  # type: ignore[no-untyped-def]
    assert sorted(Path(w.path).name[:2] for w in report.workbooks) == sorted(EXPECTED)


@pytest.mark.parametrize("prefix", sorted(EXPECTED))
def test_sample_findings_exactly(report, prefix: str) -> None:  # type: ignore[no-untyped-def]
    (wb,) = [w for w in report.workbooks if Path(w.path).name.startswith(prefix)]
    (claimed, recomputed, claimed_grade, recomputed_grade), findings = EXPECTED[prefix]
    got = [(f.code, f.where, f.expected, f.actual) for f in wb.findings]
    assert got == findings
    assert wb.score is not None
    assert wb.score.claimed_total == pytest.approx(claimed)
    assert wb.score.recomputed_total == pytest.approx(recomputed)
    assert (wb.score.claimed_grade, wb.score.recomputed_grade) == (claimed_grade, recomputed_grade)


def test_nan_county_only_error_is_the_maintenance_rate(report) -> None:  # type: ignore[no-untyped-def]
    (wb,) = [w for w in report.workbooks if Path(w.path).name.startswith("01")]
    errors = [f for f in wb.findings if f.severity.value == "error"]
    assert len(errors) == 1
    (error,) = errors
    sheet = load_workbook(wb.path, read_only=True)[error.sheet or ""]
    row = int((error.cell or "")[1:])
    assert sheet[f"C{row}"].value == "后续运维到位率"
    assert sheet["H1"].value == "得分"
    assert (error.expected, error.actual) == (14.7, 15)
    assert wb.project == {"name": "科技兴警专项", "year": "2025", "department": "南县公安局", "unit": "南县公安局"}


def test_clean_sample_has_no_findings(report) -> None:  # type: ignore[no-untyped-def]
    (wb,) = [w for w in report.workbooks if Path(w.path).name.startswith("02")]
    assert wb.status == "clean" and wb.findings == ()


def _values(path: Path) -> dict[str, list[list[object]]]:
    book = CalamineWorkbook.from_path(str(path))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


@pytest.mark.parametrize("spec", sorted(SPECS.glob("*.toml")), ids=lambda p: p.stem[:2])
def test_committed_samples_match_their_specs(spec: Path, tmp_path: Path) -> None:
    data = tomllib.loads(spec.read_text("utf-8"))
    if data.get("layout") == "official" and data.get("format") == "xls":
        rows, _, _ = official_grid(data)  # an .xls sample holds exactly the form's grid
        want = [["" if v is None else float(v) if isinstance(v, int) else v for v in row] for row in rows]
        got = _values(SAMPLES / f"{spec.stem}.xls")[SHEET]
        assert [r + [""] * (len(want[0]) - len(r)) for r in got] == want, "run: python scripts/make_samples.py"
        return
    if data.get("layout") == "official":
        suffix = ".xlsx"
        fresh = write_official(tmp_path / "fresh.xlsx", data)
    else:
        suffix = ".xlsx"
        fresh = write_workbook(tmp_path / "fresh.xlsx", data)
    assert _values(fresh) == _values(SAMPLES / f"{spec.stem}{suffix}"), "run: python scripts/make_samples.py"


def test_samples_show_both_layouts(report) -> None:  # type: ignore[no-untyped-def]
    layouts = {Path(w.path).name[:2]: w.layout for w in report.workbooks}
    assert {k: v for k, v in layouts.items() if k >= "07"} == {"07": "official", "08": "official"}
    assert set(layouts.values()) == {"template", "official"}
    assert any(Path(w.path).suffix == ".xls" for w in report.workbooks)
