"""Shapes of input that once cost quadratic time or whole-report memory, checked by their results.

No test here measures time (benchmarks/ do, and print curves). Each builds a shape the old code could
not get through in reasonable time — 200,000 formatted empty cells after the last ``</c>``, unclosed
comments, tags that never close — and asserts the exact result, so a scan that goes quadratic again
turns this file from seconds into hours; and each pins the property that keeps the scan linear (no
match crosses a cell boundary).
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from jixiao.check import batch
from jixiao.findings import Finding, Report, RunInfo, Severity, WorkbookResult
from jixiao.read import formulas, guard
from jixiao.read.formulas import has_formulas, hidden_rows, sheet_parts, uncached_formulas
from jixiao.report.json_report import JsonReporter, dumps
from tests.conftest import SAMPLES

N = 200_000
VALIDATION = b'<dataValidations count="1"><dataValidation sqref="A2:A200" type="list">' \
             b'<formula1>"a,b"</formula1></dataValidation></dataValidations>'


def _empty_cells(n: int, row: int = 2) -> bytes:
    return b"".join(b'<c r="B%d" s="3" t="n" />' % (row + i) for i in range(n))


def _sheet(*parts: bytes) -> bytes:
    return b'<?xml version="1.0"?><worksheet><sheetData>' + b"".join(parts) + b"</sheetData>" + VALIDATION \
        + b"</worksheet>"


def test_data_validations_are_not_formulas() -> None:
    xml = _sheet(b'<row r="1"><c r="A1"><v>1</v></c></row>', _empty_cells(N))
    assert not has_formulas(xml)
    assert uncached_formulas(xml) == {}


def test_formatted_empty_cells_after_the_last_cell_end() -> None:
    """The old pattern ran from each of these 200,000 cells to the end of the sheet: ~N²/2 steps."""
    xml = _sheet(b'<row r="1"><c r="A1"><f>1+1</f></c></row>', _empty_cells(N))
    assert uncached_formulas(xml) == {(0, 0): "1+1"}


def test_a_self_closing_cell_never_swallows_the_next_cell() -> None:
    """Formatted empty cells, then formula cells: every formula is found, cached ones are not reported."""
    xml = _sheet(_empty_cells(N), b'<c r="C5"><f>SUM(A1:A2)</f></c>', _empty_cells(1000, N + 10),
                 b'<c r="D5"><f>A1*2</f><v>2</v></c><c r="E5"><f>A1&amp;A2</f><v /></c>')
    assert uncached_formulas(xml) == {(4, 2): "SUM(A1:A2)", (4, 4): "A1&A2"}


def test_no_cell_match_crosses_a_cell_boundary() -> None:
    xml = _sheet(b'<c r="A1" s="1"/><c r="A2"><f>1</f></c><c r="A3"><is><t>x</t></is><c r="A4"><f>2</f></c>',
                 b"<cols><col min='1'/></cols><c r='A5'/></c>")
    spans = [m.group(0) for m in formulas._CELL_WITH_FORMULA.finditer(xml)]
    assert spans == [b'<c r="A2"><f>1</f></c>', b'<c r="A4"><f>2</f></c>']
    assert all(s.count(b"<c ") + s.count(b"<c>") == 1 for s in spans)


@pytest.mark.parametrize("xml", [
    b"<f>" + b"<!-- <f <c <c " * N,  # unclosed comment full of cell starts
    b"<f>" + b"<!--" * N,  # many comment starts, none closed
    b"<f>" + b'<c r="A1"><f>' * N,  # cells and formulas that never close
    b'<c r="A1">' + b"<f>1" * N + b"</c>",  # one cell, formulas that never close
    b"<f/>" + b"<c " * N + b">",  # a start tag that never ends
])
def test_unclosed_shapes_find_nothing(xml: bytes) -> None:
    assert uncached_formulas(xml) == {}


def test_a_formula_inside_a_comment_is_not_a_cell() -> None:
    xml = _sheet(b'<!-- <c r="A1"><f>TODAY()</f></c> --><c r="B2"><f>1+2</f></c>')
    assert uncached_formulas(xml) == {(1, 1): "1+2"}


def test_hidden_rows_with_tags_that_never_close() -> None:
    assert hidden_rows(b'<row r="3" hidden="1">' + b"<row " * N) == [2]
    rows = b"".join(b'<row r="%d" s="1"/>' % r for r in range(1, N)) + b'<row r="9" hidden="true"><c/></row>'
    assert hidden_rows(rows) == [8]


def test_sheet_parts_with_tags_that_never_close() -> None:
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as zf:
        zf.writestr("xl/workbook.xml", '<sheets><sheet name="表" r:id="rId1"/>' + "<sheet " * N)
        zf.writestr("xl/_rels/workbook.xml.rels", '<Relationship Id="rId1" Target="worksheets/sheet1.xml"/>'
                    + "<Relationship " * N)
    with zipfile.ZipFile(data) as zf:
        assert sheet_parts(zf) == {"表": "xl/worksheets/sheet1.xml"}


# The zip guard reads each part once, from the file's bytes.

def test_guard_returns_every_sheet_exactly() -> None:
    """Every worksheet part whole, and the small parts it read whole (workbook.xml, its rels) for the sheet
    map; each exactly as the zip holds it."""
    path = next(SAMPLES.glob("02_*.xlsx"))
    with zipfile.ZipFile(path) as zf:
        parts = guard.check_zip(path, zf)
        real = {n: zf.read(n) for n in parts}
        sheets = {n for n in zf.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")}
    assert parts == real
    assert sheets <= set(parts) and {"xl/workbook.xml", "xl/_rels/workbook.xml.rels"} <= set(parts)


def test_guard_reads_a_stored_zip_and_a_corrupt_part(tmp_path: Path) -> None:
    src = next(SAMPLES.glob("02_*.xlsx"))
    stored = tmp_path / "stored.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(stored, "w", zipfile.ZIP_STORED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, zin.read(info))
    with zipfile.ZipFile(stored) as zf:
        assert guard.check_zip(stored, zf)["xl/worksheets/sheet4.xml"] == zf.read("xl/worksheets/sheet4.xml")
    data = bytearray(stored.read_bytes())
    at = data.index(b"<sheetData>")  # inside a stored worksheet part: its CRC no longer matches
    data[at:at + 11] = b"<sheetDatX>"
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(bytes(data))
    with zipfile.ZipFile(broken) as zf, pytest.raises(zipfile.BadZipFile):
        guard.check_zip(broken, zf)


@pytest.mark.parametrize("head, refused", [
    (b'<?xml version="1.0"?>\r\n<worksheet>' + b" " * 5000, False),
    (b'\xef\xbb\xbf<?xml version="1.0"?><!-- note --><sst>', False),
    (b'<?xml version="1.0"?><!--' + b"x" * 5000 + b"--><!DOCTYPE r>", True),
    (b'<?xml version="1.0"?>' + b" " * 5000 + b"<!DOCTYPE r>", True),
    (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "b">]><r/>', True),
    ('<?xml version="1.0"?><!DOCTYPE r><r/>'.encode("utf-16"), True),
    ('<?xml version="1.0"?><!DOCTYPE r><r/>'.encode("utf-16-be"), True),
    ('<?xml version="1.0"?><r/>'.encode("utf-16"), False),
])
def test_entity_declarations_are_found_in_the_prolog(head: bytes, refused: bool) -> None:
    assert guard._declares_entities(head) is refused


# The JSON report is streamed, compact and strict.

def _report(value: float) -> Report:
    finding = Finding("T001", Severity.ERROR, "a.xlsx", "得分汇总", "C6", "总分不符", expected=value, actual=[value])
    return Report([WorkbookResult("a.xlsx", "errors", findings=(finding,)), WorkbookResult("b.xlsx", "clean")],
                  profile="national", run=RunInfo(version="0", seconds=value))


def _strict(text: str) -> object:
    def refuse(name: str) -> None:
        raise ValueError(f"not strict JSON: {name}")

    return json.loads(text, parse_constant=refuse)


@pytest.mark.parametrize("value", [float("inf"), float("-inf"), float("nan")])
def test_json_is_strict_whatever_the_floats(tmp_path: Path, value: float,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "r.json"
    JsonReporter().write(_report(value), out)
    data = _strict(out.read_text("utf-8"))
    assert isinstance(data, dict)
    assert data["seconds"] is None
    assert data["workbooks"][0]["findings"][0]["expected"] is None
    assert data["workbooks"][0]["findings"][0]["actual"] == [None]
    JsonReporter().write(_report(value), None)
    assert _strict(capsys.readouterr().out) == data
    assert [p.name for p in tmp_path.iterdir()] == ["r.json"]  # no temporary file left behind


def test_json_is_the_report_object_compact_one_workbook_a_line() -> None:
    report = _report(1.5)
    text = dumps(report)
    assert json.loads(text) == report.to_dict()
    assert "\n  " not in text
    assert len(text.splitlines()) == 2 + len(report.workbooks)


def test_json_of_no_workbooks() -> None:
    assert json.loads(dumps(Report([]))) == Report([]).to_dict()


# --jobs default: one worker per 200 files, at least one, at most one per core.

@pytest.mark.parametrize("cores, files, jobs", [
    (2, 1, 1), (2, 200, 1), (2, 399, 1), (2, 400, 2), (8, 999, 4), (1, 5000, 1), (2, 1000, 2), (8, 1600, 8),
    (8, 10_000, 8),
])
def test_default_jobs(monkeypatch: pytest.MonkeyPatch, cores: int, files: int, jobs: int) -> None:
    monkeypatch.setattr(batch, "usable_cores", lambda: cores)
    assert batch.default_jobs(files) == jobs


@pytest.mark.parametrize(("mode", "found"), [("minimal", 1), ("same-work", 0), ("jixiao", 1), ("pandas", 0)])
def test_the_floor_script_runs_each_way(mode: str, found: int, tmp_path: Path) -> None:
    """benchmarks/floor.py (the baselines docs/performance.md quotes) still runs on real template workbooks and
    finds what each way should: the Nan County sample's over-scoring (I005, a table rule, so not in the
    same-work floor, which leaves the table rules out; the pandas baseline only reads); the clean sample has nothing."""
    import subprocess
    import sys

    from tests.conftest import ROOT

    for name in ("01", "02"):
        (tmp_path / f"{name}.xlsx").write_bytes(next(SAMPLES.glob(f"{name}_*.xlsx")).read_bytes())
    out = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "floor.py"), str(tmp_path), "--mode", mode],
                         capture_output=True, text=True, check=True).stdout
    assert out.startswith(f"files=2 with_problems={found} ")
