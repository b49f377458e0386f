"""One pipeline (issue 22): every fixture checked through the command line, through the page and through the inbox
over HTTP against a real server gives the same findings — official forms, the template, reports beside their
workbooks, with approved targets and a settings file's [[accept]] list."""

from __future__ import annotations

import base64
import json
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from jixiao.cli import main
from tests.conftest import load_spec, patched, write_case
from tests.serve_helpers import ROOT, TOKEN, Server, check, request, running

FIXTURES = ROOT / "tests" / "fixtures"
TARGETS = FIXTURES / "targets" / "approved_01.xlsx"  # the Nan County sample's approved targets
# A settings file in the checked folder (and the inbox): accepted warnings, as a bureau writes them — one for every
# file, one for the files of one unit's folder in the inbox (the page matches an upload by where it will be stored).
SETTINGS = ('[[accept]]\ncode = "T001"\nfile = "*"\nreason = "省厅批复的权重"\n'
            '[[accept]]\ncode = "I006"\nfile = "市财政局/*"\nreason = "少计分，单位已说明"\n')
# Every sample but the Nan County one, whose workbook is written corrected below (14.7, 98.7) beside its report
# (R00, which still says 15 and 99: R001); the official fixtures but the Nan County sample's copies (the official
# layout, and a sheet of four_tables: one workbook per project, so that the report pairs with it); reports.
FILES = [*sorted(p for p in (ROOT / "samples").iterdir() if not p.name.startswith("01_")),
         *sorted(p for p in (FIXTURES / "official").iterdir() if p.suffix in (".xls", ".xlsx", ".ods")
                 and not p.name.startswith(("nan_county", "four_tables"))),
         *sorted((FIXTURES / "reports").glob("R*.docx"))]
KEY = ("sheet", "cell", "code", "message", "expected", "actual")


def _findings(workbooks: list[dict[str, Any]], accepted: bool = False) -> list[tuple[Any, ...]]:
    keys = (*KEY, "accepted") if accepted else KEY
    return [tuple(f[k] for k in keys) for w in workbooks for f in w["findings"]]


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("parity") / "收到的"
    root.mkdir()
    for path in FILES:
        shutil.copy(path, root / path.name)
    corrected = patched(load_spec("01"), {"indicators.5.score": 14.7, "summary.总分.score": 98.7})
    write_case(root / "01_南县公安局_科技兴警专项（修改后）.xlsx", corrected)
    (root / "jixiao.toml").write_text(SETTINGS, "utf-8")
    return root


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("parity-serve")
    (tmp / "inbox").mkdir()
    (tmp / "inbox" / "jixiao.toml").write_text(SETTINGS, "utf-8")
    with running(tmp, "--jobs", "2", "--targets", str(TARGETS)) as srv:
        yield srv


def _cli(paths: list[Path], out: Path) -> dict[str, Any]:
    main(["check", *map(str, paths), "--targets", str(TARGETS), "--json", str(out), "-q"])
    data: dict[str, Any] = json.loads(out.read_text("utf-8"))
    return data


def test_the_page_and_the_inbox_find_what_the_command_line_finds(folder: Path, server: Server,
                                                                 tmp_path: Path) -> None:
    assert server.inbox is not None
    submitted: dict[str, list[tuple[Any, ...]]] = {}
    for path in sorted(p for p in folder.iterdir() if p.name != "jixiao.toml"):
        location, page = check(server, path)
        assert page.status == 200
        page_json = json.loads(request(f"{server.url}{location}/json").body)
        cli = _cli([path], tmp_path / f"{path.name}.json")
        assert _findings(page_json["workbooks"]) == _findings(cli["workbooks"]), path.name
        if "/submit" in page.text:
            assert request(f"{server.url}{location}/submit", b"", method="POST").status == 303
            submitted[path.name] = _findings(page_json["workbooks"], accepted=True)
    assert len(submitted) > 25
    # The inbox, checked by the officer's summary and by the command line over the same folder.
    auth = {"Authorization": "Basic " + base64.b64encode(f"x:{TOKEN}".encode()).decode()}
    summary = request(f"{server.url}/officer/summary.xlsx", headers=auth)
    assert summary.status == 200
    (tmp_path / "page.xlsx").write_bytes(summary.body)
    main(["check", str(server.inbox), "--targets", str(TARGETS), "--summary", str(tmp_path / "cli.xlsx"),
          "--json", str(tmp_path / "inbox.json"), "-q"])
    rows = {name: [[c.value for c in row] for row in load_workbook(tmp_path / name)["问题明细"].iter_rows()]
            for name in ("page.xlsx", "cli.xlsx")}
    assert rows["page.xlsx"] == rows["cli.xlsx"]
    codes = {row[6] for row in rows["cli.xlsx"][1:]}
    assert {"R001", "C012", "B001"} <= codes  # a report beside its corrected workbook; targets; duplicates
    inbox = json.loads((tmp_path / "inbox.json").read_text("utf-8"))
    assert inbox["settings"] and any(f["accepted"] for w in inbox["workbooks"] for f in w["findings"])
    # What the page accepted is what the inbox accepts, file by file (the unit-folder pattern included).
    with sqlite3.connect(server.inbox / "jixiao-inbox.sqlite") as db:
        stored = dict(db.execute("SELECT original_name, file FROM submissions").fetchall())
    by_file: dict[str, list[dict[str, Any]]] = {}
    for w in inbox["workbooks"]:
        by_file.setdefault(str(Path(w["path"]).relative_to(server.inbox)), []).append(w)
    for name, findings in submitted.items():  # the inbox adds the cross-file findings (B001, R001) to these
        there = set(_findings(by_file[stored[name]], accepted=True))
        assert set(findings) <= there, name
    assert any(f[2] == "I006" and f[6] for name, fs in submitted.items() if name.startswith("A01") for f in fs)
