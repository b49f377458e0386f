"""The page keeps every result too (issue 24): each real fixture uploaded to a real server shows the findings the
command line gives for it, and a step that fails on the server (the annotated copy, a table's section of the
page) costs that step only: the page says so with the request's number, never an exception's name, and the
server's log holds the trace under that number."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from jixiao.check.runner import run
from jixiao.profile import load_profile
from tests.serve_helpers import ROOT, Server, check, request, running

OFFICIAL = ROOT / "tests" / "fixtures" / "official"
REAL = sorted(p for p in OFFICIAL.iterdir() if p.suffix in (".xls", ".xlsx", ".ods") and p.name[:1].isupper())
REPORTS = sorted((ROOT / "tests" / "fixtures" / "reports").glob("R0[0-3]*.docx"))
# Server-side faults: D02's annotated copy, D04's section of the page (jixiao/faults.py).
FAULTS = "annotate=D02*;page=D04*"
EXCEPTION = re.compile(r"Traceback|File \"|[A-Z][A-Za-z]+(Error|Exception|Fault)\b")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with running(tmp_path_factory.mktemp("serve-containment"), "--jobs", "2",
                 env={"JIXIAO_FAULTS": FAULTS}) as srv:
        yield srv


def _cli(path: Path) -> list[dict[str, Any]]:
    """The command line's findings for the file checked alone (code, sheet, cell, message)."""
    report = run([path], load_profile())
    return [{k: f[k] for k in ("code", "sheet", "cell", "message")} for w in report.to_dict()["workbooks"]
            for f in w["findings"]]


@pytest.mark.parametrize("path", REAL + REPORTS, ids=lambda p: p.name[:3])
def test_every_real_fixture_uploaded_shows_its_findings(server: Server, path: Path) -> None:
    location, page = check(server, path)
    assert page.status == 200
    assert not EXCEPTION.search(page.text), EXCEPTION.search(page.text)
    data = json.loads(request(f"{server.url}{location}/json").body)
    shown = [{k: f[k] for k in ("code", "sheet", "cell", "message")} for w in data["workbooks"] for f in w["findings"]]
    assert shown == _cli(path)
    if not path.name.startswith("D04"):  # D04's section is the injected failure, below
        for f in shown:
            assert f">{f['code']}</a>" in page.text
    assert re.search(r"检查编号 [0-9a-f]{8}", page.text)


def test_a_copy_that_fails_on_the_server_keeps_the_findings(server: Server) -> None:
    d02 = OFFICIAL / "D02_anhui_chizhou_tangxi_cunji.xlsx"
    location, page = check(server, d02)
    assert "S012" in page.text and "带批注的副本未能写出" in page.text  # the findings, and the step that failed
    number = re.search(r"检查编号 <b>([0-9a-f]{8})</b>", page.text)
    assert number is not None and "把检查编号" in page.text  # what the clerk can do
    assert not EXCEPTION.search(page.text)
    assert request(f"{server.url}{location}/copy").status == 404  # no copy, said plainly
    ref = re.search(r"日志编号 ([0-9a-f]{8})", page.text)
    assert ref is not None
    log = server.log_text()
    assert f"请求 {number.group(1)}" in log and ref.group(1) in log and "InjectedFault" in log


def test_a_table_the_page_cannot_show_is_one_line_the_rest_shows(server: Server) -> None:
    d04 = OFFICIAL / "D04_hubei_ezhou_shenpi_shiminzhongxin.xls"
    location, page = check(server, d04)
    assert page.status == 200 and "这张表的结果未能在网页上显示" in page.text
    assert not EXCEPTION.search(page.text)
    number = re.search(r"检查编号 ([0-9a-f]{8})", page.text)
    assert number is not None and f"请求 {number.group(1)}" in server.log_text()
    assert request(f"{server.url}{location}/copy").status == 200  # the other outputs are there
