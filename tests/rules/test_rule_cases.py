"""Every rule has named passing and failing cases (tests/rules/cases/<CODE>.toml, one file per rule, as
sqlfluff keeps test/fixtures/rules/std_rule_cases/AL02.yml beside rules/aliasing/AL02.py), run on real
workbooks."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from jixiao.check.runner import run
from jixiao.parse.targets import load_targets
from jixiao.profile import load_profile
from jixiao.rules.registry import load_rules
from tests.conftest import ROOT, load_spec, patched, write_case

CASE_FILES = sorted((Path(__file__).parent / "cases").glob("*.toml"))
CASES: list[dict[str, Any]] = [{**case, "file": path.stem} for path in CASE_FILES
                               for case in tomllib.loads(path.read_text("utf-8"))["case"]]
BASE = load_spec("02")


def test_every_rule_has_a_passing_and_a_failing_case() -> None:
    codes = set(load_rules())
    failing = {c["code"] for c in CASES if c["fails"]}
    passing = {c["code"] for c in CASES if not c["fails"]}
    assert codes - failing == set(), "rules without a failing case"
    assert codes - passing == set(), "rules without a passing case"
    assert {c["code"] for c in CASES} <= codes, "cases for unknown codes"


def test_each_file_holds_its_own_rule_s_cases() -> None:
    assert all(case["code"] == case["file"] for case in CASES), [(c["file"], c["code"]) for c in CASES
                                                                  if c["code"] != c["file"]]


def test_case_names_are_unique() -> None:
    names = [(c["code"], c["name"]) for c in CASES]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("case", CASES, ids=[f"{c['code']}-{c['name']}" for c in CASES])
def test_rule_case(case: dict[str, Any], tmp_path: Path) -> None:
    if "report" in case:  # a 自评报告 (tests/fixtures/reports/sources), its texts changed by `replace`
        paths = [_report(case, tmp_path)]
        if "beside" in case:  # and a workbook of the same project in the same run
            spec = patched(load_spec(case["beside"]), case.get("set"), case.get("delete"))
            paths.append(write_case(tmp_path / "beside.xlsx", spec))
    else:
        spec = patched(BASE, case.get("set"), case.get("delete"))
        paths = [write_case(tmp_path / f"case{i}.xlsx", spec, case.get("cells"), case.get("drop_sheets"),
                            case.get("hide_rows"), case.get("layout", "template"))
                 for i in range(case.get("copies", 1))]
    # Each case runs only its own rule (sqlfluff's habit): what it asserts is that rule's doing alone.
    targets = load_targets([ROOT / case["targets"]]) if "targets" in case else None
    result = run(paths, load_profile(), select=[case["code"]], year=case.get("year"), targets=targets).workbooks[0]
    assert result.status != "unreadable", result.error
    hits = [f for f in result.findings if f.code == case["code"]]
    assert all(f.code == case["code"] for f in result.findings), [f.code for f in result.findings]
    if not case["fails"]:
        assert hits == [], [f.message for f in hits]
        return
    places = [f.where for f in hits]
    assert case["at"] in places, f"{case['code']} not reported at {case['at']}; got {places}"
    if "count" in case:
        assert len(hits) == case["count"], [f"{f.where} {f.message}" for f in hits]
    (hit,) = [f for f in hits if f.where == case["at"]][:1]
    for key in ("expected", "actual", "message"):
        if key in case:
            assert getattr(hit, key) == case[key], (key, getattr(hit, key))
    if "message_contains" in case:
        assert case["message_contains"] in hit.message, hit.message


def _report(case: dict[str, Any], tmp_path: Path) -> Path:
    from tests.fixtures.reports.make_reports import build

    source = ROOT / "tests" / "fixtures" / "reports" / "sources" / f"{case['report']}.toml"
    blocks = tomllib.loads(source.read_text("utf-8"))["blocks"]
    for old, new in case.get("replace", {}).items():
        for block in blocks:
            if "text" in block:
                block["text"] = block["text"].replace(old, new)
            for row in block.get("rows", []):
                row[:] = [cell.replace(old, new) if isinstance(cell, str) else cell for cell in row]
    path = tmp_path / "report.docx"
    build(blocks).save(str(path))
    return path
