"""The official single-sheet 自评表: real published tables, .xlsx/.xls/.ods, several tables per workbook,
regional variants, and what a sheet that is neither layout is told."""

from __future__ import annotations

import ast
import json
import tomllib
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.utils import range_boundaries

from jixiao.check.runner import run
from jixiao.cli import main
from jixiao.model import Evaluation, Field
from jixiao.parse import read_tables
from jixiao.parse.lexicon import lexicon_for
from jixiao.profile import load_profile
from jixiao.read.excel import read_workbook
from jixiao.template.official import SHEET, official_grid, write_official
from tests.conftest import ROOT, load_spec, patched, write_case, write_grid

OFFICIAL = ROOT / "tests" / "fixtures" / "official"
SOURCES = OFFICIAL / "sources"
NAN = [OFFICIAL / f"nan_county_official{s}" for s in (".xlsx", ".xls", ".ods")]

# Real published tables (sources/*.toml, README.md): every finding, exactly.
REAL: dict[str, list[tuple[str, str, object, object]]] = {
    # 湖北 鄂州: weights add to 110, 总分 leaves out the budget score, a cost indicator under-scored.
    "A01": [("T001", "Sheet1!G13", 50, 70), ("I006", "Sheet1!H16", 13.33, 10), ("T001", "Sheet1!G17", 30, 15),
            ("T001", "Sheet1!G18", 10, 15), ("T002", "Sheet1!G19", 100, 110), ("T004", "Sheet1!H19", 99.29, 90)],
    # 湖南 衡山: a county special-fund table without 分值/得分; one target (290%) not reached, no reason.
    "A02": [("S007", "Sheet1!B10", None, None), ("I010", "Sheet1!G26", None, "100%")],
    # 四川 中江: 分值 before 年度指标值; weights 70/20/10 + 10 = 110 against a 总分 of 100 (scored to 110 and the
    # total capped at 100: the weights are the one cause, T002; no T004 advising a total of 110).
    "B01": [("T001", "Sheet1!E12", 50, 70), ("T001", "Sheet1!E19", 30, 20), ("T002", "Sheet1!E23", 100, 110)],
    # 四川 青神: 指标性质 | 指标值 | 度量单位, 预算执行 10 + 绩效指标 90; budget score, indicator scores and
    # the 合计 score all left blank: nothing scored, said once (S011), not one finding per blank score.
    "B02": [("S011", "Sheet1!B14", "得分", None)],
    # 上海 普陀: amounts in 元 with a thousands separator; consistent.
    "C01": [],
    # 河北 廊坊: budget score and one quantity rounded up to 9 (8.62 by the rules); the published page ends
    # before the 总分 row, so the table as recreated has none.
    "C02": [("F005", "Sheet1!I7", 8.62, 9), ("I005", "Sheet1!H14", 8.62, 9), ("S003", "Sheet1!A39", "必填", None)],
    # 湖北 黄石 (the Hubei city form: 预算数(A)/执行数(B), 年度财政资金总额, the budget part worth 20 by its block
    # label, no 分值 per row): consistent; what cannot be checked without row weights is said once.
    "E01": [("S009", "Sheet1!B9", "分值", None)],
    # 云南 施甸 (the same form): 执行率 written 0.1 for 94/650 = 14.46%.
    "E02": [("F002", "Sheet1!D8", 14.46, 10), ("S009", "Sheet1!B9", "分值", None)],
    # 宁夏 银川 (项目决策/项目管理/项目产出/项目效益 framework, 服务对象满意度指标 under 项目效益): the header's
    # 自评得分 98 is not the sum of the rows (84; the stored page ends inside the satisfaction row, so the
    # recreated table also lacks that row's 10 points: T001 and T002).
    "E03": [("T004", "Sheet1!G2", 84, 98), ("T001", "Sheet1!D27", 35, 25), ("T002", "Sheet1!A32", 100, 90)],
    # 湖北 (区商务局, the Hubei city form with 产出指标(60分)/效益指标(40分) in the labels): the weights add to
    # 120 and so do the scores, against a 总分 of 100 (capped: T002 alone); one qualitative row only partly met,
    # no reason given.
    "E04": [("S009", "Sheet1!B10", "分值", None), ("T001", "Sheet1!B11", 40, 60), ("T001", "Sheet1!B17", 30, 40),
            ("T002", "Sheet1!B19", 100, 120),
            ("I010", "Sheet1!B20", None, "企业较好把握正确政治导向和文化方向情况的评价")],
    # 安徽 棠溪镇 (two tables; their goal text is all figures: “本项目共申请预算资金90万元。其中：30万元用于……”,
    # read as text, not as a fund row): the 年度资金总额 row left 0 / 0 / 0 under sub-rows with money, said once.
    # The stored pages end inside the indicators: no 总分 row and the weights short (S003, T002; D02 T001 too).
    "D01": [("F001", "Sheet1!C7", "90 / 89.974 / 89.974", 0), ("S003", "Sheet1!A23", "必填", None),
            ("T002", "Sheet1!A23", 100, 90)],
    "D02": [("F001", "Sheet1!C7", "202.64 / 132.912 / 132.912", 0), ("T001", "Sheet1!G20", 30, 20),
            ("S003", "Sheet1!A21", "必填", None), ("T002", "Sheet1!A21", 100, 80)],
    # 湖北 鄂州 财政政务管理 (the A01 page's second table): 产出 weighted 60, 项目合格率 under-scored; the missed
    # deadline (2019年 → 2020年) is not met and has no proportional score. Cut before the 满意度 row.
    "D03": [("T001", "Sheet1!G13", 50, 60), ("I006", "Sheet1!H13", 13.33, 10), ("S003", "Sheet1!A16", "必填", None),
            ("T002", "Sheet1!A16", 100, 90), ("T001", "Sheet1!G16", 30, 20)],
    # 湖北 鄂州 市民中心: the budget row's 分值 100 (a slip: scored against the national 10, not 100) and its
    # score 98 for 83.5%; header fields blank; 预算执行率 as an indicator over-scored. Cut in the 效益 block (so
    # the weights add to 80: truncation).
    "D04": [("S003", "Sheet1!C4", "必填", None), ("S003", "Sheet1!J4", "必填", None), ("T001", "Sheet1!K6", 10, 100),
            ("F005", "Sheet1!M6", 8.35, 98), ("T001", "Sheet1!J13", 50, 60), ("I005", "Sheet1!K13", 16.7, 18),
            ("I010", "Sheet1!L13", None, "83.5%"), ("S003", "Sheet1!A25", "必填", None),
            ("T002", "Sheet1!A25", 100, 80), ("T001", "Sheet1!J25", 30, 10)],  # T002: 10 (the slip counts as 10) + 70
    # 湖北 黄石三中 (the Hubei city form without any 得分): satisfaction rows filed under a 二级 “具体指标”, once.
    "D05": [("S007", "Sheet1!B10", None, None), ("I001", "Sheet1!C17", "服务对象满意度指标", "具体指标")],
    # 云南 永德 (公开14表: a two-row header, 指标性质 | 指标值 | 度量单位): a met target scored 7 of 10, 98% of 100%
    # scored 9 (9.8) with no reason, weights 40/30/20.
    "F01": [("T001", "Sheet1!H14", 50, 40), ("I006", "Sheet1!I16", 10, 7), ("I006", "Sheet1!I19", 9.8, 9),
            ("I010", "Sheet1!J19", None, "98%"), ("T001", "Sheet1!H22", 10, 20)],
    # 山西 稷山: the budget score 9 for 99.1%, three indicators under-scored, the 总分 94 against scores adding to 93.
    "F02": [("F006", "Sheet1!I6", 9.91, 9), ("I006", "Sheet1!H13", 14.86, 13), ("I006", "Sheet1!H17", 30, 27),
            ("I006", "Sheet1!H18", 10, 9), ("T004", "Sheet1!H19", 99.77, 94)],
    # 四川 阆中 (中央对地方转移支付区域绩效自评表: 转移支付(项目)名称, 地方主管部门, 资金使用单位 — words of the transfer
    # profile, so no S003 for the header): no 分值/得分, said once; its blank 一级 cells are read from the 二级.
    "K05": [("S007", "Sheet1!B13", None, None)],
}
PROFILES = {"A02": "no_score", "B02": "budget10_free", "E01": "budget20", "E02": "budget20", "E03": "framework",
            "E04": "budget20", "D05": "no_score", "K05": "no_score"}


def _fixture(prefix: str) -> Path:
    (path,) = [p for p in OFFICIAL.glob(f"{prefix}_*") if p.suffix in (".xlsx", ".xls")]
    return path


def _source(prefix: str) -> dict[str, Any]:
    (path,) = SOURCES.glob(f"{prefix}_*.toml")
    return tomllib.loads(path.read_text("utf-8"))


def _findings(path: Path) -> list[tuple[str, str, object, object]]:
    (wb,) = run([path], load_profile()).workbooks
    assert wb.status != "unreadable", wb.error
    return [(f.code, f.where, f.expected, f.actual) for f in wb.findings]


def test_every_source_has_its_workbook_and_readme_entry() -> None:
    readme = (OFFICIAL / "README.md").read_text("utf-8")
    for source in SOURCES.glob("*.toml"):
        data = tomllib.loads(source.read_text("utf-8"))
        assert (OFFICIAL / f"{source.stem}.{data['file']}").is_file(), "run make_fixtures.py"
        assert data["source"] in readme and source.stem in readme
    assert set(REAL) == {s.stem[:3] for s in SOURCES.glob("*.toml")}


@pytest.mark.parametrize("prefix", sorted(REAL))
def test_real_table_findings_exactly(prefix: str) -> None:
    assert _findings(_fixture(prefix)) == REAL[prefix]


@pytest.mark.parametrize("prefix", sorted(REAL))
def test_real_table_layout_and_profile(prefix: str) -> None:
    (wb,) = run([_fixture(prefix)], load_profile()).workbooks
    assert (wb.layout, wb.sheet, wb.profile) == ("official", "Sheet1", PROFILES.get(prefix, "national"))
    unit_left_blank = prefix == "D04"  # the published table leaves 主管部门 and 实施单位 blank (S003 says so)
    assert wb.project["name"] and (wb.project["unit"] or unit_left_blank)
    assert wb.project["year"] == str(_source(prefix)["year"])


def _fields(model: Evaluation) -> list[Field]:
    out = list(model.info.values())
    for row in model.funds.values():
        out += [row.label, row.initial, row.budget, row.executed, row.weight, row.rate, row.score]
    for ind in model.indicators:
        out += [ind.level1, ind.level2, ind.name, ind.target, ind.actual, ind.weight, ind.score, ind.reason]
    return out + ([model.total] if model.total else [])


def _parse(path: Path) -> list[Evaluation]:
    return read_tables(path, lexicon_for(load_profile())).tables


@pytest.mark.parametrize("prefix", sorted(REAL))
def test_every_value_lands_on_its_published_cell(prefix: str) -> None:
    """Each value the model holds sits, in the published table, at the cell the model names."""
    rows = _source(prefix)["sheets"][0]["rows"]
    (model,) = _parse(_fixture(prefix))
    checked = 0
    implied = {id(i.level1) for i in model.indicators if "level1" in i.inherited}
    for fld in _fields(model):
        if fld.loc.cell is None or fld.raw is None or id(fld) in implied:
            continue
        col, row, _, _ = range_boundaries(fld.loc.cell)
        assert col is not None and row is not None
        published = rows[row - 1][col - 1]
        if fld in (ind.target for ind in model.indicators) or fld in (ind.actual for ind in model.indicators):
            assert str(published) in str(fld.raw)  # a split 指标值 | 度量单位 is read as one value
        elif model.info.get("year") is fld or (isinstance(fld.raw, str) and fld.raw != published):
            # read out of a longer text: the year of “（2019年度）”, the 分值 of “预算执行情况（万元）（20分）”
            assert str(fld.raw) in str(published)
        else:
            assert fld.raw == published or str(fld.raw) == str(published), fld
        checked += 1
    assert checked >= 20


@pytest.mark.parametrize("path", NAN, ids=lambda p: p.suffix)
def test_nan_county_in_the_official_layout(path: Path) -> None:
    (wb,) = run([path], load_profile()).workbooks
    (finding,) = wb.findings
    assert (finding.code, finding.severity.value, finding.where, finding.expected, finding.actual) == (
        "I005", "error", f"{SHEET}!H19", 14.7, 15)
    assert wb.score is not None and (wb.score.claimed_total, wb.score.recomputed_total) == (99, 98.7)
    rows, _, _ = official_grid(load_spec("01"))
    assert rows[18][3] == "后续运维到位率" and rows[12][7] == "得分"


def test_official_layout_gives_what_the_template_gives(tmp_path: Path) -> None:
    """Every sample spec in both layouts: the same findings (codes, expected, actual), the same totals.

    Only what the official form does not have differs: the template version (S004), the category lines
    of 得分汇总 (T003) and the 指标类型 column (V003: a “定量” indicator whose actual is words)."""
    template_only = {"S004", "T003", "V003"}
    for prefix in ("01", "02", "03", "04", "05", "06"):
        spec = load_spec(prefix)
        from jixiao.template.build import write_workbook

        paths = [write_workbook(tmp_path / f"{prefix}t.xlsx", spec), write_official(tmp_path / f"{prefix}o.xlsx", spec)]
        template, official = run(paths, load_profile()).workbooks
        key = [(f.code, f.expected, f.actual) for f in template.findings if f.code not in template_only]
        assert sorted(key, key=str) == sorted(((f.code, f.expected, f.actual) for f in official.findings), key=str)
        assert template.score and official.score
        assert template.score.recomputed_total == official.score.recomputed_total


def test_four_tables_in_one_workbook_give_four_entries(tmp_path: Path) -> None:
    path = OFFICIAL / "four_tables.xls"
    out = tmp_path / "r.json"
    assert main(["check", str(path), "--json", str(out), "-q"]) == 1
    entries = json.loads(out.read_text("utf-8"))["workbooks"]
    assert [e["sheet"] for e in entries] == ["科技兴警专项", "学生营养改善计划", "基本公共卫生服务", "农村公路养护"]
    assert [e["project"]["name"] for e in entries][:2] == ["科技兴警专项", "农村义务教育学生营养改善计划"]
    assert all(e["path"] == str(path) and e["layout"] == "official" for e in entries)
    assert [(f["code"], f["sheet"]) for f in entries[0]["findings"]] == [("I005", "科技兴警专项")]
    assert entries[1]["status"] == "clean"


def test_a_sheet_that_cannot_be_read_does_not_hide_the_others(capsys: pytest.CaptureFixture[str]) -> None:
    report = run([OFFICIAL / "half_readable.xlsx"], load_profile())
    good, bad = report.workbooks
    assert (good.sheet, good.status) == ("营养改善", "clean")
    # the sheet that lost its indicator header is read as far as it goes: its header and funds are checked, and
    # one warning says what was not read (S010)
    assert (bad.sheet, bad.status, bad.project["name"]) == ("公共卫生", "warnings", "基本公共卫生服务项目")
    (note,) = [f for f in bad.findings if f.code == "S010"]
    assert "没有读出绩效指标部分" in note.message and "项目资金" in note.message
    main(["check", str(OFFICIAL / "half_readable.xlsx")])
    out = capsys.readouterr().out
    assert "half_readable.xlsx［公共卫生］" in out and "共 2 张表（1 个文件）" in out


def test_neither_layout_says_what_was_found(tmp_path: Path) -> None:
    rows, merges, _ = official_grid(load_spec("02"))
    for r in range(5, 10):  # the whole 项目资金 block removed
        rows[r] = [None] * len(rows[r])
    path = tmp_path / "无资金.xlsx"
    write_grid(path, {SHEET: (rows, [m for m in merges if not _in_rows(m, 6, 10)])})
    (wb,) = run([path], load_profile()).workbooks  # read as far as it goes: its indicators are checked
    assert wb.status != "unreadable" and len([f for f in wb.findings if f.code.startswith("F")]) == 0
    (note,) = [f for f in wb.findings if f.code == "S010"]
    assert "没有读出项目资金部分" in note.message
    other = tmp_path / "其他.xlsx"
    write_grid(other, {SHEET: ([["单位名称", "联系人"], ["某单位", "张三"]], [])})
    (wb,) = run([other], load_profile()).workbooks
    assert wb.status == "unreadable" and "既不是 jixiao 标准模板" in (wb.error or "")


def _in_rows(rng: str, first: int, last: int) -> bool:
    _, r1, _, r2 = range_boundaries(rng)
    return r1 is not None and r2 is not None and first <= r1 and r2 <= last


def test_labels_found_wherever_and_however_written(tmp_path: Path) -> None:
    """Shifted two rows down and one column right, spacer rows, labels with line breaks and spaces,
    notes in brackets, weights in the 一级 labels, amounts in 元: the Nan County result is unchanged."""
    rows, merges, parts = official_grid(load_spec("01"))
    rename = {"年度指标值": "年度\n指标值", "实际完成值": "实际 完成值", "全年预算数": "全年预算数（A）",
              "全年执行数": "全年执行数（B）", "执行率": "执行率（B/A）", "项目资金（万元）": "项目资金\n（万元）",
              "产出指标": "产出指标（50分）", "效益指标": "效益指标(30分)", "其中：当年财政拨款": "其中:本年财政拨款",
              "三级指标": "三级\n指标"}
    rows = [[rename.get(v, v) if isinstance(v, str) else v for v in row] for row in rows]
    shifted = [[None] * 11, [None] * 11] + [[None, *row] for row in rows]
    shifted.insert(2 + parts["header"], [None] * 11)  # a blank spacer row above the indicator block

    def move(rng: str) -> str:
        c1, r1, c2, r2 = range_boundaries(rng)
        assert c1 and r1 and c2 and r2
        extra = 1 if r1 - 1 >= parts["header"] else 0
        from openpyxl.utils import get_column_letter as L

        return f"{L(c1 + 1)}{r1 + 2 + extra}:{L(c2 + 1)}{r2 + 2 + extra}"

    path = write_grid(tmp_path / "挪动.xlsx", {SHEET: (shifted, [move(m) for m in merges])})
    (wb,) = run([path], load_profile()).workbooks
    assert [(f.code, f.where, f.expected, f.actual) for f in wb.findings] == [("I005", f"{SHEET}!I22", 14.7, 15)]
    assert wb.score and wb.score.categories[1].name == "产出指标"


def test_mistyped_level1_merged_over_rows_is_one_finding(tmp_path: Path) -> None:
    spec = load_spec("02")
    for ind in spec["indicators"]:
        if ind["level1"] == "产出指标":
            ind["level1"] = "产出指數"
    path = write_official(tmp_path / "a.xlsx", spec)
    (wb,) = run([path], load_profile()).workbooks
    # its rows' 二级 all belong to 产出指标: read as it, said once (I014), no error per row
    said = [f for f in wb.findings if f.code in ("I001", "I014")]
    assert [(f.code, f.where, f.actual, f.expected) for f in said] == [("I014", f"{SHEET}!B14", "产出指數", "产出指标")]
    sheet = load_workbook(path)[SHEET]
    assert any(str(m).startswith("B14:") for m in sheet.merged_cells.ranges)


def test_mistyped_level1_merged_in_the_template_is_one_finding(tmp_path: Path) -> None:
    from jixiao.template.build import write_workbook

    spec = patched(load_spec("02"), {"indicators.0.level1": "产出指數"})
    path = write_workbook(tmp_path / "t.xlsx", spec)
    wb = load_workbook(path)
    ws = wb["绩效指标"]
    n = sum(1 for ind in spec["indicators"] if ind["level1"] == "产出指标") + 1
    for r in range(3, n + 2):
        ws.cell(row=r, column=1).value = None
    ws.merge_cells(f"A2:A{n + 1}")
    wb.save(path)
    (result,) = run([path], load_profile()).workbooks
    said = [(f.code, f.where, f.actual) for f in result.findings if f.code in ("I001", "I014")]
    assert said == [("I014", "绩效指标!A2", "产出指數")]


def test_ods_merges_are_read() -> None:
    raw = read_workbook(NAN[2])
    assert raw.merged[SHEET][(1, 5)] == (1, 0)  # “（2025年度）” spans A2:J2
    (model,) = _parse(NAN[2])
    assert model.indicators[1].level1.loc.cell == "B14" and model.indicators[1].level1.text == "产出指标"


def test_xls_merges_are_read() -> None:
    (model,) = _parse(NAN[1])
    assert [i.level1.loc.cell for i in model.indicators[:4]] == ["B14"] * 4


def test_budget20_and_framework_profiles_are_chosen_by_content(tmp_path: Path) -> None:
    spec = patched(load_spec("02"), {"funds.total.weight": 20, "funds.total.score": 19.2})
    path = write_official(tmp_path / "b20.xlsx", spec)
    (wb,) = run([path], load_profile()).workbooks
    assert wb.profile == "budget20"
    assert ("T001", 40, 50) in [(f.code, f.expected, f.actual) for f in wb.findings]
    fixed = run([path], load_profile(), fixed=True).workbooks[0]
    assert fixed.profile == "national"


@pytest.mark.parametrize("layout", ["official", "template"])
def test_the_framework_is_chosen_by_its_level1_in_either_layout(layout: str, tmp_path: Path) -> None:
    """宁夏 银川 (E03) writes 项目决策 / 项目管理 / 项目产出 / 项目效益: filled into the template as into the form, it is
    scored by the framework profile — no I001 per 一级, no I012 per 评价要点 row."""
    rows = [{"level1": l1, "level2": l2, "name": name, "target": target, "actual": actual, "weight": w, "score": w}
            for l1, l2, name, target, actual, w in (
                ("项目决策", "项目立项", "立项依据充分性", None, None, 10), ("项目管理", "资金管理", "资金到位率", "100%", "100%", 10),
                ("项目产出", "产出数量", "维修面积", "≥2000平方米", "2100平方米", 40),
                ("项目效益", "社会效益指标", "师生安全保障", "有效保障", "有效保障", 30),
                ("项目效益", "服务对象满意度指标", "师生满意度", "≥90%", "95%", 10))]
    spec = patched(load_spec("02"), {"indicators": rows, "summary": {"总分": {"weight": 100, "score": 100}}})
    path = write_case(tmp_path / "e03.xlsx", spec, layout=layout)
    (wb,) = run([path], load_profile()).workbooks
    assert wb.profile == "framework", wb.profile
    assert not [f for f in wb.findings if f.code in ("I001", "I012")], [(f.code, f.message) for f in wb.findings]


def test_split_target_columns_are_one_value() -> None:
    (model,) = _parse(_fixture("B02"))
    assert [i.target.text for i in model.indicators] == ["=100%", "=100%"]
    assert model.indicators[0].target.loc.cell == "F15"


def test_template_layout_official_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "官方.xlsx"
    assert main(["template", str(out), "--layout", "official"]) == 0
    wb = load_workbook(out)
    assert wb.sheetnames == [SHEET, "填表说明"]
    ws = wb[SHEET]
    assert ws["A1"].value == "项目支出绩效自评表" and ws.data_validations.dataValidation
    # The blank form is recognised as the official form and said to be unfilled, once (not nine “未填写”s
    # and a grade of 差); filling one field makes it a table to check.
    (result,) = run([out], load_profile()).workbooks
    assert (result.status, result.error) == (
        "unreadable", f"工作表“{SHEET}”尚未填写（表头、项目资金、绩效指标都是空的），请填写后再检查")
    ws["C3"] = "某项目"
    wb.save(out)
    (result,) = run([out], load_profile()).workbooks
    assert result.layout == "official"
    assert {f.code for f in result.findings} >= {"S003", "S006"}


def test_rules_import_nothing_from_layouts() -> None:
    """Rules see only the model: no rule module imports the template or an importer."""
    rules = ROOT / "src" / "jixiao" / "rules"
    for module in rules.rglob("*.py"):
        tree = ast.parse(module.read_text("utf-8"))
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            for name in names:
                assert not name.startswith(("jixiao.template", "jixiao.parse", "jixiao.read")), (module, name)
