"""No stage may lose a file's result (issue 24).

Annotated copies over every fixture we have, merged cells included; and a failure injected into each stage in
turn (jixiao/faults.py) over a folder of real fixtures: the other files' results and outputs are complete, the
failing file keeps what the stages before the failure produced, the step that failed is said in Chinese with a
log number, the trace is in the log and never on the console.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from jixiao import faults
from jixiao.cli import main
from jixiao.incidents import LOG_NAME
from tests.conftest import ROOT, SAMPLES

FIXTURES = ROOT / "tests" / "fixtures"
OFFICIAL = FIXTURES / "official"
D02 = "D02_anhui_chizhou_tangxi_cunji.xlsx"  # its S012 sits at A21, inside the merged A13:A21


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["check", *args])
    out, err = capsys.readouterr()
    return code, out, err


def _readable_inputs(report: dict[str, Any]) -> set[str]:
    return {w["path"] for w in report["workbooks"] if w["status"] != "unreadable" or w["sheet"]}


def test_every_fixture_gets_its_annotated_copy_and_a_summary(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    """Every file under tests/fixtures (official forms, merged cells, .xls, .ods, reports, hostile files, approved
    tables) and the samples, with --annotate-all, --summary and --json together: a copy for every readable file,
    the summary and the JSON, no trace, no incident."""
    out = tmp_path / "copies"
    code, stdout, err = _run(capsys, str(FIXTURES), str(SAMPLES), "--annotate", str(out), "--annotate-all",
                             "--summary", str(tmp_path / "汇总.xlsx"), "--json", str(tmp_path / "r.json"), "-q")
    assert code == 1 and "Traceback" not in stdout + err
    report = json.loads((tmp_path / "r.json").read_text("utf-8"))
    assert [w["path"] for w in report["workbooks"] if w["incidents"]] == []
    readable = _readable_inputs(report)
    assert len(readable) > 60
    assert set(report["annotated"]) and len(report["annotated"]) == len(readable)
    for path in report["annotated"]:
        assert Path(path).is_file()
    assert load_workbook(tmp_path / "汇总.xlsx").sheetnames[:2] == ["汇总", "问题明细"]
    assert not (tmp_path / LOG_NAME).exists()  # nothing failed: no log


def test_a_finding_inside_a_merged_range_marks_the_range_and_comments_its_top_left(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The real D02 (S012 “表格在……之后就结束了” at A21, inside A13:A21): the comment sits on A13, every cell of the
    range is filled, and 检查结果 lists the finding at A21."""
    code, _, err = _run(capsys, str(OFFICIAL / D02), "--annotate", str(tmp_path), "-q")
    assert code == 1 and "Traceback" not in err
    copy = tmp_path / D02.replace(".xlsx", ".检查结果.xlsx")
    wb = load_workbook(copy)
    ws = wb[wb.sheetnames[1]]
    assert "A13:A21" in {str(r) for r in ws.merged_cells.ranges}
    assert ws["A13"].comment is not None and "S012" in ws["A13"].comment.text
    assert ws["A13"].fill.fgColor.rgb == "00FFC7CE"
    assert _styles(copy, 2, [f"A{r}" for r in range(13, 22)]) == {_styles(copy, 2, ["A13"]).pop()}  # all filled
    listed = [row for row in wb["检查结果"].iter_rows(values_only=True) if row[0] == "S012"]
    assert listed and listed[0][2].endswith("!A21")


def test_findings_on_merged_cells_and_places_that_cannot_be_marked(tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """A form written by openpyxl whose 得分 cells are merged into their neighbours: a finding on the second
    cell of a merge is marked on the merge; one on a sheet the copy does not have is listed as not marked."""
    from jixiao.findings import Finding, Severity, WorkbookResult
    from jixiao.report.annotated import annotate

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "表"
    ws.merge_cells("B2:D3")
    ws["B2"] = 15
    wb.save(tmp_path / "in.xlsx")
    findings = (Finding("I005", Severity.ERROR, "in.xlsx", "表", "C3", "多计分", 14.7, 15),
                Finding("I013", Severity.WARNING, "in.xlsx", "表", "B2", "得分空白"),
                Finding("S001", Severity.ERROR, "in.xlsx", "不存在的表", "A1", "缺少工作表"))
    copy = annotate(tmp_path / "in.xlsx", [WorkbookResult("in.xlsx", "errors", findings=findings)],
                    tmp_path / "out.xlsx")
    out = load_workbook(copy)
    ws = out["表"]
    assert ws["B2"].comment is not None and "I005" in ws["B2"].comment.text and "I013" in ws["B2"].comment.text
    assert ws["B2"].fill.fgColor.rgb == "00FFC7CE"  # the worst of the two: red, on every cell of the merge
    assert len(_styles(copy, 2, ["B2", "C2", "D2", "B3", "C3", "D3"])) == 1
    places = {row[0]: row[2] for row in out["检查结果"].iter_rows(values_only=True) if row[0] in ("I005", "S001")}
    assert places == {"I005": "表!C3", "S001": "不存在的表!A1（未能在表中标出）"}


def _styles(path: Path, sheet: int, refs: list[str]) -> set[str]:
    """The style indexes the cells ``refs`` of the ``sheet``-th sheet are written with (openpyxl reads a merged
    range back with the top-left cell's style only, but Excel and LibreOffice keep each cell's)."""
    import zipfile

    xml = zipfile.ZipFile(path).read(f"xl/worksheets/sheet{sheet}.xml").decode()
    found = {m.group(1): m.group(2) for m in re.finditer(r'<c r="([A-Z]+\d+)" s="(\d+)"', xml)}
    return {found.get(ref, "none") for ref in refs}


# Fault injection: one stage fails for one file of a folder of real fixtures.

FOLDER = {D02: OFFICIAL / D02, "A01_hubei_ezhou_czj_disanfang.xls": OFFICIAL / "A01_hubei_ezhou_czj_disanfang.xls",
          "nan_county_official.ods": OFFICIAL / "nan_county_official.ods",
          "R00_hunan_nanxian_kejixingjing.docx": FIXTURES / "reports" / "R00_hunan_nanxian_kejixingjing.docx",
          "01_南县公安局_科技兴警专项.xlsx": SAMPLES / "01_南县公安局_科技兴警专项.xlsx"}
TARGETS = FIXTURES / "targets" / "approved_01.xlsx"
STAGES = ("read", "parse", "pair", "score", "check", "batch", "annotate", "summary", "json", "console")


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("containment") / "收到的自评表"
    root.mkdir()
    for name, source in FOLDER.items():
        shutil.copy(source, root / name)
    return root


def _check_folder(folder: Path, out: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    return _run(capsys, str(folder), "--targets", str(TARGETS), "--annotate", str(out / "copies"), "--annotate-all",
                "--summary", str(out / "汇总.xlsx"), "--json", str(out / "r.json"), "-j", "1")


@pytest.fixture(scope="module")
def baseline(folder: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("baseline")
    code = main(["check", str(folder), "--targets", str(TARGETS), "--json", str(out / "r.json"), "-q"])
    assert code == 1
    data: dict[str, Any] = json.loads((out / "r.json").read_text("utf-8"))
    return data


@pytest.fixture()
def fault(request: pytest.FixtureRequest) -> Iterator[str]:
    stage = str(request.param)
    target = "B001" if stage == "batch" else "D02*"  # a batch rule is injected by its code
    faults.configure(f"{stage}={target}")
    try:
        yield stage
    finally:
        faults.configure("")


def _by_file(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f"{Path(w['path']).name}［{w['sheet']}］": w for w in report["workbooks"]}


def _codes(w: dict[str, Any]) -> list[tuple[str, str | None, str | None, str]]:
    return [(f["code"], f["sheet"], f["cell"], f["message"]) for f in w["findings"]]


@pytest.mark.parametrize("fault", STAGES, indirect=True)
def test_a_failure_in_one_stage_costs_only_that_step_of_that_file(
        fault: str, folder: Path, baseline: dict[str, Any], tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _check_folder(folder, tmp_path, capsys)
    assert code == 1
    assert "Traceback" not in out + err and "InjectedFault" not in out + err  # the trace is for the log only
    report = json.loads((tmp_path / "r.json").read_text("utf-8"))  # the JSON and the summary are always written
    summary = load_workbook(tmp_path / "汇总.xlsx")
    before, after = _by_file(baseline), _by_file(report)
    assert {k.split("［")[0] for k in after} == {k.split("［")[0] for k in before}
    failed = {k for k, w in after.items() if w["incidents"]}
    if fault == "console":  # the screen comes after the files: they are complete, the screen says what it lost
        assert failed == set() and all(_codes(w) == _codes(before[k]) for k, w in after.items())
        assert "屏幕上本表的结果未能显示" in out and "D02" in err
        log = (tmp_path / LOG_NAME).read_text("utf-8")
        assert "InjectedFault" in log and str(tmp_path / LOG_NAME) in err
        return
    if fault == "batch":  # B001 could not run: every readable table says so once, the rest stands
        assert failed == {k for k, w in before.items() if w["status"] != "unreadable"}
        for key, w in after.items():
            broken = [f for f in w["findings"] if f["code"] == "B001"]
            assert len(broken) == (key in failed)
            assert [c for c in _codes(w) if c[0] != "B001"] == [c for c in _codes(before[key]) if c[0] != "B001"]
    else:
        (key,) = failed
        assert key.startswith("D02")
        for other, w in after.items():  # every other file: complete, as without the fault
            if other != key:
                assert _codes(w) == _codes(before[other]) and w["score"] == before[other]["score"], other
        (was,) = [w for k, w in before.items() if k.startswith("D02")]
        _kept_before_the_failure(fault, was, after[key])
    (incident,) = [i for k in failed for i in after[k]["incidents"]][:1]
    assert re.search(r"日志编号 [0-9a-f]{8}", incident["message"]) and incident["stage"] == fault
    log = (tmp_path / LOG_NAME).read_text("utf-8")  # beside the outputs, with the trace under the same number
    assert incident["ref"] in log and "InjectedFault" in log
    assert report["log"] == str(tmp_path / LOG_NAME)
    if fault != "json":  # the summary is written before the JSON report: it lists what failed before it
        assert "未完成的步骤" in summary.sheetnames and incident["ref"] in {
            str(row[5]) for row in summary["未完成的步骤"].iter_rows(values_only=True)}
    copies = {Path(p).name for p in report["annotated"]}
    readable = {Path(p).name for p in _readable_inputs(report)}
    missing = {n for n in readable if not any(c.startswith(Path(n).stem) for c in copies)}
    assert missing == ({D02} if fault == "annotate" else set())
    assert "未能完成" in err  # the console says which step, and where the details went
    assert str(tmp_path / LOG_NAME) in err


def _kept_before_the_failure(stage: str, before: dict[str, Any], after: dict[str, Any]) -> None:
    """What the failing file keeps: nothing after a failed read or parse, the project after a failed scoring or
    check, everything (but the targets rules) after a failed pairing, everything after a failed output."""
    if stage in ("read", "parse"):
        assert after["status"] == "unreadable" and "日志编号" in after["error"]
    elif stage == "score":
        assert after["status"] == "errors" and after["project"] == before["project"] and after["findings"] == []
    elif stage == "check":  # the row checks ran (pandera, for the whole chunk); this table's own checks did not
        assert after["status"] == "errors" and after["project"] == before["project"]
        assert set(_codes(after)) <= set(_codes(before)) and after["score"] == before["score"]
    elif stage == "pair":
        assert after["status"] == "errors" and "targets" not in after
        assert [c for c in _codes(after) if not c[0].startswith("C")] == \
               [c for c in _codes(before) if not c[0].startswith("C")]
    elif stage == "json":  # the JSON says what is sure of the table and why the rest is missing
        assert after["errors"] == before["errors"] and "日志编号" in after["error"]
    else:
        assert _codes(after) == _codes(before) and after["score"] == before["score"]


@pytest.mark.parametrize(("faults", "lost"), [
    ("output=汇总.xlsx", "汇总工作簿"),  # a whole output (a full disk, a library's error): the others are written
    ("summary=*按主管部门*", "“按主管部门”工作表"),  # one sheet of the summary: the other sheets are written
    ("console=*一览*", "屏幕上的检查结果一览"),  # the console's overview: the files are already written
])
def test_a_whole_output_or_part_of_one_that_fails_costs_only_itself(
        faults: str, lost: str, folder: Path, baseline: dict[str, Any], tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    faults_module = faults.split("=")[0]
    assert faults_module in ("output", "summary", "console")
    from jixiao import faults as injected

    injected.configure(faults)
    try:
        code, out, err = _check_folder(folder, tmp_path, capsys)
    finally:
        injected.configure("")
    assert code == 1 and "Traceback" not in out + err
    report = json.loads((tmp_path / "r.json").read_text("utf-8"))
    assert [_codes(w) for w in report["workbooks"]] == [_codes(w) for w in baseline["workbooks"]]
    assert lost in out + err and "日志编号" in out + err
    if faults_module != "output":
        assert (tmp_path / "汇总.xlsx").is_file()
    if faults_module != "console":  # the files say it too (the screen comes after them)
        assert any(lost in f["message"] for f in report["failures"])
    assert "InjectedFault" in (tmp_path / LOG_NAME).read_text("utf-8")


def test_standard_output_says_the_steps_the_files_lost(folder: Path, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    """JSON and CSV on standard output come after the files: a copy that failed is in them (review of issue 24)."""
    faults.configure("annotate=D02*")
    try:
        code, out, err = _run(capsys, str(folder), "--annotate", str(tmp_path / "c"), "--annotate-all",
                              "--output-format", "json")
        assert code == 1
        (d02,) = [w for w in json.loads(out)["workbooks"] if Path(w["path"]).name == D02]
        assert [i["stage"] for i in d02["incidents"]] == ["annotate"]
        assert "份未能写出" in err and "--annotate-all 也为" not in err
        _, out, _ = _run(capsys, str(folder), "--annotate", str(tmp_path / "c2"), "--output-format", "csv")
        assert any(D02 in line and ",incident," in line and "带批注的副本未能写出" in line for line in out.splitlines())
    finally:
        faults.configure("")
    faults.configure("score=D02*")
    try:
        _, out, _ = _run(capsys, str(folder), "--output-format", "csv")
        assert any(D02 in line and "重算得分时出错" in line for line in out.splitlines())  # a row, not nothing
    finally:
        faults.configure("")
