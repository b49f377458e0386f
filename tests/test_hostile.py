"""Hostile and quirky input (tests/fixtures/hostile/make_corpus.py): refused or read, never a crash."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from jixiao.check.batch import Options, check_files
from jixiao.cli import main
from jixiao.parse.lexicon import lexicon_for
from jixiao.parse.template import parse_workbook, template_sheets
from jixiao.profile import load_profile
from jixiao.read import limits
from jixiao.read.excel import read_workbook
from tests.conftest import ROOT, SAMPLES
from tests.fixtures.hostile.make_corpus import EXPECTED, build

LEX = lexicon_for(load_profile())


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("hostile")
    return {p.name: p for p in build(folder)}


def test_every_corpus_file_has_an_expectation(corpus: dict[str, Path]) -> None:
    assert set(corpus) == set(EXPECTED)


def test_committed_corpus_matches_the_script() -> None:
    committed = {p.name for p in (ROOT / "tests" / "fixtures" / "hostile").iterdir() if p.suffix != ".py"}
    assert committed == {name for name, (_, _, small) in EXPECTED.items() if small}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_outcome(corpus: dict[str, Path], name: str) -> None:
    status, text, _ = EXPECTED[name]
    path = corpus[name]
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    (wb,) = check_files([path], load_profile(), Options()).workbooks
    assert wb.status == status, (wb.error, [f.message for f in wb.findings])
    said = (wb.error or "") + "".join(f.message for f in wb.findings)
    assert text in said
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before, "input must never change"


def test_uncached_formulas_are_recomputed_or_reported(corpus: dict[str, Path]) -> None:
    (wb,) = check_files([corpus["uncached_formulas.xlsx"]], load_profile(), Options()).workbooks
    assert [(f.code, f.where, f.actual) for f in wb.findings] == [("V004", "基本信息!B9", "=TODAY()")]
    assert wb.score is not None and wb.score.claimed_total == 99.35


def test_merged_level_cells_apply_to_every_row(corpus: dict[str, Path]) -> None:
    model = parse_workbook(read_workbook(corpus["merged_levels.xlsx"], template_sheets), LEX)
    assert [i.level1.text for i in model.indicators[:5]] == ["产出指标"] * 5
    assert [i.level2.text for i in model.indicators[1:3]] == ["数量指标", "质量指标"]


def test_long_text_is_cut(corpus: dict[str, Path]) -> None:
    model = parse_workbook(read_workbook(corpus["long_text.xlsx"], template_sheets), LEX)
    reason = model.indicators[0].reason.text
    assert len(reason) == limits.MAX_CELL_CHARS + 1 and reason.endswith("…")


def test_messy_headers_are_found(corpus: dict[str, Path]) -> None:
    model = parse_workbook(read_workbook(corpus["messy_headers.xlsx"], template_sheets), LEX)
    assert model.funds["total"].executed.value == 480
    assert model.indicators[0].reason.loc.cell == "I3"


def test_cell_text_is_never_markup_or_formula(corpus: dict[str, Path], tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    from openpyxl import load_workbook

    path = corpus["markup_and_formula_text.xlsx"]
    summary = tmp_path / "汇总.xlsx"
    main(["check", str(path), str(SAMPLES), "--summary", str(summary)])
    out = capsys.readouterr().out
    assert "[bold red]点我[/bold red]" in out and "[link=http://example.invalid]单位[/link]" in out
    ws = load_workbook(summary)["汇总"]
    names = {row[6].value: row[6].data_type for row in ws.iter_rows(min_row=2)}
    assert names['=HYPERLINK("http://example.invalid","[bold red]点我[/bold red]")'] == "s"


def test_outputs_are_readable_by_others(tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    main(["check", str(SAMPLES), "--json", str(out), "-q"])
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask


def test_ctrl_c_leaves_no_output(tmp_path: Path) -> None:
    """Interrupt a long batch: exit code 2, a Chinese line saying so, no output and no temporary file."""
    box = tmp_path / "in"
    box.mkdir()
    clean = next(SAMPLES.glob("02_*.xlsx"))
    for i in range(8000):  # ~20 s of work: still running when interrupted, even on a faster machine
        shutil.copy(clean, box / f"{i:04d}.xlsx")
    out = tmp_path / "out"
    out.mkdir()
    proc = subprocess.Popen([sys.executable, "-m", "jixiao", "check", str(box), "-j", "2", "--summary",
                             str(out / "汇总.xlsx"), "--json", str(out / "r.json")],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    time.sleep(3)
    assert proc.poll() is None, "the batch should still be running"
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 2
    assert "已中断" in err and "Traceback" not in err
    assert list(out.iterdir()) == []


def test_the_corpus_as_one_batch_is_the_same_for_any_jobs(corpus: dict[str, Path]) -> None:
    """Every hostile file in one batch: each gets its own outcome, whatever the chunking (issue #11). The
    batch rules are left out: most files are copies of one sample (B001 would say so)."""
    paths = sorted(corpus.values())
    runs = []
    for jobs in (1, 3):
        report = check_files(paths, load_profile(), Options(jobs=jobs, ignore=("B",)))
        runs.append([(Path(w.path).name, w.status, w.error, [f.code for f in w.findings]) for w in report.workbooks])
    assert runs[0] == runs[1]
    assert {name: status for name, status, _, _ in runs[0]} == {name: s for name, (s, _, _) in EXPECTED.items()}
