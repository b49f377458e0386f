"""Issue #11: every file bounded in time and memory, nothing that is not a regular file opened, no infinity,
SIGTERM like Ctrl-C, outputs never written through a link or to a device. (The hostile corpus itself is
asserted file by file in tests/test_hostile.py.)"""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from jixiao.atomic import atomic_path
from jixiao.check import batch
from jixiao.check.batch import Options, check_files
from jixiao.check.discover import discover
from jixiao.errors import JixiaoError, UnreadableWorkbook
from jixiao.findings import WorkbookResult
from jixiao.profile import load_profile
from jixiao.read import limits
from jixiao.read.excel import _ensure, _fill_merged, read_workbook
from jixiao.read.formulas import Recompute
from jixiao.signals import sigterm_as_interrupt
from jixiao.values import parse_amount, parse_number, parse_quantity
from tests.conftest import ROOT, SAMPLES
from tests.fixtures.hostile.make_corpus import BUILDERS

CLEAN = next(SAMPLES.glob("02_*.xlsx"))


def _check(paths: Sequence[Path], **options: Any) -> list[WorkbookResult]:
    return check_files(list(paths), load_profile(), Options(**options)).workbooks


# --- formulas: each computed once, clipped, within a budget; beyond it uncomputed (V004), never blank ---


def _recompute(formulas: dict[tuple[int, int], str], grid: list[list[object]] | None = None
               ) -> tuple[list[list[object]], dict[tuple[int, int], str]]:
    grid = grid if grid is not None else [[None] * 4 for _ in range(40)]
    height = max(len(grid), *(r + 1 for r, _ in formulas))
    width = max(max(len(r) for r in grid), *(c + 1 for _, c in formulas))
    missing = Recompute(grid, formulas, height, width).run()
    return grid, missing


def test_formulas_summing_formulas_are_computed_once(tmp_path: Path) -> None:
    BUILDERS["formula_chain.xlsx"](tmp_path / "chain.xlsx")
    start = time.perf_counter()
    raw = read_workbook(tmp_path / "chain.xlsx")
    assert time.perf_counter() - start < 5
    assert raw.sheets["基本信息"][39][10] == 20.0 ** 20  # K40: 20 rows of 20 cells, each the sum of the next row
    assert raw.uncomputed == {}


def test_a_cycle_is_not_computable() -> None:
    _, missing = _recompute({(0, 0): "B1+1", (0, 1): "A1+1", (1, 0): "A1*2", (2, 0): "5"})
    assert set(missing) == {(0, 0), (0, 1), (1, 0)}


def test_a_range_past_the_sheet_is_clipped_to_it() -> None:
    grid: list[list[object]] = [[1, 2], [3, 4], [None, None]]
    grid, missing = _recompute({(2, 0): "SUM(A1:XFD2)"}, grid)
    assert missing == {} and grid[2][0] == 10


def test_a_formula_over_an_uncomputable_one_is_uncomputable() -> None:
    _, missing = _recompute({(0, 0): "VLOOKUP(1,B1:C2,2)", (1, 0): "A1+1"})
    assert set(missing) == {(0, 0), (1, 0)}  # never "VLOOKUP counts as 0"


def test_too_deep_a_chain_is_not_computed_but_a_shallower_one_is() -> None:
    depth = limits.MAX_FORMULA_DEPTH
    chain = {(r, 0): f"A{r + 2}+1" for r in range(depth + 5)} | {(depth + 5, 0): "1"}
    grid, missing = _recompute(chain, [[None] for _ in range(depth + 6)])
    assert (0, 0) in missing and (depth + 4, 0) not in missing
    assert grid[depth + 4][0] == 2


def test_the_cell_budget_stops_evaluation(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_FORMULA_CELLS", 1_000)
    grid: list[list[object]] = [[1.0] * 100 for _ in range(100)]
    grid.append([None] * 100)
    grid, missing = _recompute({(100, 0): "SUM(A1:CV5)", (100, 1): "SUM(A1:CV100)"}, grid)
    assert grid[100][0] == 500 and missing == {(100, 1): "SUM(A1:CV100)"}


def test_whole_sheet_sum_is_reported_uncomputed_quickly(tmp_path: Path) -> None:
    BUILDERS["sum_whole_sheet.xlsx"](tmp_path / "s.xlsx")
    start = time.perf_counter()
    (wb,) = _check([tmp_path / "s.xlsx"])
    assert time.perf_counter() - start < 5
    assert [(f.code, f.where) for f in wb.findings] == [("V004", "得分汇总!C6")]


# --- the grid never grows past the limits, whoever asks ---


def test_ensure_never_grows_a_grid_past_the_limits() -> None:
    grid: list[list[object]] = []
    _ensure(grid, limits.MAX_ROWS - 1, limits.MAX_COLUMNS - 1)
    with pytest.raises(UnreadableWorkbook, match="不像是一份自评表"):
        _ensure(grid, 0, limits.MAX_COLUMNS)
    with pytest.raises(UnreadableWorkbook, match="不像是一份自评表"):
        _ensure(grid, limits.MAX_ROWS, 0)
    assert len(grid) == limits.MAX_ROWS and len(grid[-1]) == limits.MAX_COLUMNS and grid[0] == []


def test_formulas_past_the_column_limit_make_the_sheet_unreadable(tmp_path: Path) -> None:
    BUILDERS["formulas_in_xfd.xlsx"](tmp_path / "x.xlsx")
    (wb,) = _check([tmp_path / "x.xlsx"])
    assert wb.status == "unreadable" and "16384 列" in (wb.error or "")


# --- merged ranges: de-duplicated, clipped, and their total bounded ---


def test_two_thousand_copies_of_one_merge_cost_one(tmp_path: Path) -> None:
    BUILDERS["merged_copies.xlsx"](tmp_path / "m.xlsx")
    start = time.perf_counter()
    (wb,) = _check([tmp_path / "m.xlsx"])
    assert time.perf_counter() - start < 5 and wb.status == "clean"


def test_merges_covering_more_than_the_budget_are_refused() -> None:
    grid: list[list[object]] = [[None] * 200 for _ in range(5000)]
    grid[1][0] = "x"
    with pytest.raises(UnreadableWorkbook, match="合并单元格覆盖 999,800 个单元格"):
        _fill_merged(grid, [((1, 0), (4999, 199))] * 2000, "绩效指标")
    assert _fill_merged(grid, [((1, 0), (3, 1))] * 2000, "绩效指标")[(3, 1)] == (1, 0)
    assert grid[3][1] == "x"


# --- shared strings and repeated cells: judged before the engine writes them out ---


def test_shared_strings_as_excel_writes_them_read_like_inline_text(tmp_path: Path) -> None:
    BUILDERS["shared_strings.xlsx"](tmp_path / "shared.xlsx")
    (shared,) = _check([tmp_path / "shared.xlsx"])
    (inline,) = _check([CLEAN])
    assert (shared.status, shared.score, shared.project) == (inline.status, inline.score, inline.project)


@pytest.mark.parametrize("name", ["shared_string_bomb.xlsx", "ods_repeated_text.ods", "ods_repeated_spaces.ods"])
def test_text_expansion_is_refused_before_the_engine(tmp_path: Path, name: str) -> None:
    BUILDERS[name](tmp_path / name)
    with pytest.raises(UnreadableWorkbook, match=r"文字展开后达 \d+ MB（上限 20 MB）"):
        read_workbook(tmp_path / name)


def _rezip(path: Path, change: Any) -> Path:
    """Rewrite ``path`` with ``change(parts)`` applied to its {part name: bytes} (names may change too)."""
    import zipfile

    with zipfile.ZipFile(path) as zf:
        parts = {i.filename: zf.read(i) for i in zf.infolist()}
    parts = change(parts)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return path


def _elsewhere(parts: dict[str, bytes]) -> dict[str, bytes]:
    """The indicator sheet moved out of xl/worksheets/ (the relationships say where; calamine follows them)."""
    moved = {("xl/media/sheet4.xml" if n == "xl/worksheets/sheet4.xml" else n): d for n, d in parts.items()}
    for name in ("xl/_rels/workbook.xml.rels", "[Content_Types].xml"):
        moved[name] = moved[name].replace(b"worksheets/sheet4.xml", b"media/sheet4.xml")
    return moved


def _quoted(old: bytes, new: bytes) -> Any:
    return lambda parts: {n: d.replace(old, new) if n == "xl/worksheets/sheet4.xml" else d for n, d in parts.items()}


def _elsewhere_escaped(parts: dict[str, bytes]) -> dict[str, bytes]:
    """Moved, and the relationship's target written with a character reference (only an XML parser reads it)."""
    moved = _elsewhere(parts)
    moved["xl/_rels/workbook.xml.rels"] = moved["xl/_rels/workbook.xml.rels"].replace(b"media/", b"&#x6D;edia/")
    return moved


def _twice(parts: dict[str, bytes]) -> Any:
    """The bomb sheet under its own name, and a harmless copy of the clean sheet under the same name after it."""
    import zipfile

    class Twice(dict[str, bytes]):
        def items(self) -> Any:
            with zipfile.ZipFile(CLEAN) as zf:
                harmless = zf.read("xl/worksheets/sheet4.xml")
            return [*super().items(), ("xl/worksheets/sheet4.xml", harmless)]

    return Twice(parts)


@pytest.mark.filterwarnings("ignore:Duplicate name")
@pytest.mark.parametrize("change", [_quoted(b't="s"', b"t='s'"), _quoted(b't="s"', b't = "s"'), _elsewhere,
                                    _elsewhere_escaped, _twice],
                         ids=["single quotes", "spaces", "sheet outside xl/worksheets", "escaped target",
                              "two parts of one name"])
def test_a_shared_string_bomb_written_otherwise_is_refused_too(tmp_path: Path, change: Any) -> None:
    """The engine reads t='s' and t = "s" as t="s", and a worksheet wherever the relationships put it: the guard
    must not depend on how the attribute is written or where the part lives."""
    path = tmp_path / "bomb.xlsx"
    BUILDERS["shared_string_bomb.xlsx"](path)
    _rezip(path, change)
    with pytest.raises(UnreadableWorkbook, match=r"文字展开后达 \d+ MB（上限 20 MB）|同名的部件"):
        read_workbook(path)


def test_a_sheet_outside_xl_worksheets_is_read_and_guarded(tmp_path: Path) -> None:
    shutil.copy(CLEAN, tmp_path / "moved.xlsx")
    path = _rezip(tmp_path / "moved.xlsx", _elsewhere)
    (moved,) = _check([path], isolate=False)
    (clean,) = _check([CLEAN], isolate=False)
    assert (moved.status, moved.score) == (clean.status, clean.score)  # the engine does read it
    doctype = b'<!DOCTYPE x [<!ENTITY a "aaaa">]>'
    _rezip(path, lambda parts: {n: doctype + d if n == "xl/media/sheet4.xml" else d for n, d in parts.items()})
    with pytest.raises(UnreadableWorkbook, match=re.escape("xl/media/sheet4.xml 含有 XML 实体声明")):
        read_workbook(path)


# --- only regular files are opened ---


@pytest.fixture()
def odd_entries(tmp_path: Path) -> Path:
    box = tmp_path / "box"
    box.mkdir()
    shutil.copy(CLEAN, box / "ok.xlsx")
    (box / "loop.xlsx").symlink_to("loop.xlsx")
    os.mkfifo(box / "pipe.xlsx")
    (box / "zero.xlsx").symlink_to("/dev/zero")
    (box / "zero.ods").symlink_to("/dev/zero")
    (box / "gone.xlsx").symlink_to("nowhere.xlsx")
    return box


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_entries_that_are_not_regular_files_are_listed_with_a_reason(odd_entries: Path) -> None:
    files, absent = discover([odd_entries, odd_entries / "loop.xlsx"])
    assert absent == [] and sorted(f.name for f in files) == sorted(
        ["gone.xlsx", "loop.xlsx", "ok.xlsx", "pipe.xlsx", "zero.ods", "zero.xlsx"])
    start = time.perf_counter()
    reasons = {Path(w.path).name: (w.status, w.error) for w in _check(files)}
    assert time.perf_counter() - start < 5
    assert reasons == {
        "ok.xlsx": ("clean", None),
        "loop.xlsx": ("unreadable", "符号链接循环（链接最终指向自己），未读取"),
        "pipe.xlsx": ("unreadable", "不是普通文件（命名管道），未读取"),
        "zero.xlsx": ("unreadable", "不是普通文件（字符设备），未读取"),
        "zero.ods": ("unreadable", "不是普通文件（字符设备），未读取"),
        "gone.xlsx": ("unreadable", "符号链接指向的文件不存在，未读取"),
    }


# --- numbers that would be infinity ---


def test_numbers_that_overflow_are_not_numbers() -> None:
    digits = "9" * 400
    assert not parse_number(digits).ok and parse_number(digits).value is None
    assert not parse_number(digits + "分").ok and not parse_amount(digits + "万元").ok
    assert not parse_amount("9" * 305 + "亿").ok  # finite as typed, infinite once in 万元
    assert not parse_number(float("inf")).ok
    assert parse_quantity(f"≥{digits}人").number is None
    assert parse_number("1" + "0" * 300).value == 1e300


def test_an_overflowing_score_is_a_v002_finding(tmp_path: Path) -> None:
    BUILDERS["huge_number_text.xlsx"](tmp_path / "h.xlsx")
    (wb,) = _check([tmp_path / "h.xlsx"])
    assert [(f.code, f.where) for f in wb.findings] == [("V002", "绩效指标!H3")]
    assert wb.score is not None and all(math.isfinite(v) for v in vars(wb.score).values()
                                        if isinstance(v, float))


# --- the batch: a file past its time or memory budget, or killing its worker, costs that file only ---


_real_check_chunk = batch.check_chunk


def _faulty_check_chunk(paths: Sequence[Path], *args: Any, **kwargs: Any) -> list[WorkbookResult]:
    """check_chunk, except that files named slow/die/hog misbehave when their turn comes."""
    taken = []
    for path in paths:  # iterated file by file, as the real one does
        if path.stem.startswith("slow"):
            time.sleep(60)
        elif path.stem.startswith("die"):
            os.kill(os.getpid(), signal.SIGKILL)
        elif path.stem.startswith("hog"):
            bytearray(8 * 1024 ** 3)  # past the memory cap: MemoryError
        taken.append(path)
    return _real_check_chunk(taken, *args, **kwargs)


@pytest.fixture()
def faulty_batch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    monkeypatch.setattr(batch, "check_chunk", _faulty_check_chunk)
    monkeypatch.setattr(limits, "FILE_SECONDS", 1.0)
    monkeypatch.setattr(limits, "WORKER_MEMORY_BYTES", 512 * 1024 ** 2)
    paths = []
    for name in ("a", "die", "b", "c", "hog", "d", "slow", "e"):
        shutil.copy(CLEAN, tmp_path / f"{name}.xlsx")
        paths.append(tmp_path / f"{name}.xlsx")
    return sorted(paths)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the memory cap is set on Linux")
def test_files_over_budget_cost_only_themselves_for_any_jobs(faulty_batch: list[Path]) -> None:
    seen = []
    for jobs in (1, 2, 3):
        start = time.perf_counter()
        done: list[int] = []
        report = check_files(faulty_batch, load_profile(), Options(jobs=jobs), done.append)
        # A hang guard, not a speed target (each slow file costs its 1 s budget; a replaced worker's start-up
        # is what the rest takes, and that depends on the machine).
        assert time.perf_counter() - start < 60
        assert sum(done) == len(faulty_batch)
        seen.append([(Path(w.path).name, w.status, w.error) for w in report.workbooks])
    assert seen[0] == seen[1] == seen[2]
    results = {name: (status, error) for name, status, error in seen[0]}
    assert [name for name, _, _ in seen[0]] == [p.name for p in faulty_batch]
    assert results["slow.xlsx"] == ("unreadable", "超出处理上限（处理时间超过 1 秒），未检查；请确认这是一份正常的自评表")
    assert results["hog.xlsx"][1] is not None and "超出处理上限（内存超过 0.5 GB）" in results["hog.xlsx"][1]
    assert results["die.xlsx"][1] is not None and "处理进程意外退出" in results["die.xlsx"][1]
    assert all(results[n] == ("errors", None) for n in ("a.xlsx", "b.xlsx", "c.xlsx", "d.xlsx", "e.xlsx"))  # B001: copies


def _cyclic_check_chunk(paths: Sequence[Path], *args: Any, **kwargs: Any) -> list[WorkbookResult]:
    """check_chunk, leaving 200 MB of garbage in a reference cycle (only the cycle collector frees it)."""
    garbage: list[Any] = [bytearray(200 * 1024 ** 2)]
    garbage.append(garbage)
    return _real_check_chunk(paths, *args, **kwargs)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the memory cap is set on Linux")
def test_a_worker_collects_cycles_after_each_chunk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker's collector is off while it checks a chunk and runs once after it: cyclic garbage never
    outlives its chunk. Four chunks of 200 MB each would pass a 512 MB budget if it did."""
    monkeypatch.setattr(batch, "check_chunk", _cyclic_check_chunk)
    monkeypatch.setattr(limits, "WORKER_MEMORY_BYTES", 512 * 1024 ** 2)
    paths = []
    for i in range(4):
        paths.append(tmp_path / f"{i}.xlsx")
        shutil.copy(CLEAN, paths[-1])
    report = check_files(paths, load_profile(), Options(jobs=1))
    assert len(batch.chunked(paths, 1)) == 4
    assert [w.status for w in report.workbooks] == ["errors"] * 4  # B001 (copies); none over the budget


def _dies_while_starting(profile: Any) -> None:
    os._exit(3)


def _never_ready(profile: Any) -> None:
    time.sleep(30)


@pytest.mark.parametrize(("warm", "said"), [(_dies_while_starting, "检查进程启动失败（载入 pandas/pandera 时退出）"),
                                            (_never_ready, "检查进程 1 秒内未能启动")])
def test_a_worker_that_cannot_start_stops_the_run_and_blames_no_file(
        warm: Any, said: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """A worker that dies or hangs while loading pandas/pandera (a broken installation) is not any file's fault:
    the run stops with one line and exit code 2, instead of reporting each file over its budget. The file
    budget itself starts only when the worker is ready (the budget test above runs with 1 s per file)."""
    from jixiao.cli import main

    monkeypatch.setattr(batch, "_warm", warm)
    monkeypatch.setattr(limits, "WORKER_START_SECONDS", 1.0)
    for name in ("a", "b"):
        shutil.copy(CLEAN, tmp_path / f"{name}.xlsx")
    start = time.perf_counter()
    assert main(["check", str(tmp_path), "-q"]) == 2
    assert time.perf_counter() - start < 10
    err = capsys.readouterr().err
    assert said in err and "请检查本机的 Python 环境" in err and "超出处理上限" not in err


_real_warm = batch._warm


def _dies_the_first_time(profile: Any) -> None:
    """A worker killed while it starts (the OOM killer, a signal): the first one only."""
    flag = Path(os.environ["JIXIAO_TEST_FLAG"])
    if not flag.exists():
        flag.write_text("died")
        os._exit(9)
    _real_warm(profile)


def test_a_worker_lost_before_it_is_ready_is_replaced_and_no_file_is_blamed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(batch, "_warm", _dies_the_first_time)
    monkeypatch.setenv("JIXIAO_TEST_FLAG", str(tmp_path / "flag"))
    paths = []
    for name in ("a", "b", "c"):
        shutil.copy(CLEAN, tmp_path / f"{name}.xlsx")
        paths.append(tmp_path / f"{name}.xlsx")
    report = check_files(paths, load_profile(), Options(jobs=1))
    assert (tmp_path / "flag").read_text() == "died"  # the first worker did die
    assert [w.status for w in report.workbooks] == ["errors"] * 3  # B001: three copies; none over a budget
    assert all(w.error is None for w in report.workbooks)


def test_isolated_and_in_process_runs_agree() -> None:
    paths = sorted(SAMPLES.glob("*.xls*"))
    isolated = _check(paths, jobs=2)
    in_process = _check(paths, isolate=False)
    assert [w.to_dict() if hasattr(w, "to_dict") else w for w in isolated] == \
        [w.to_dict() if hasattr(w, "to_dict") else w for w in in_process]


# --- SIGTERM ---


def test_sigterm_raises_keyboard_interrupt_inside_the_block() -> None:
    before = signal.getsignal(signal.SIGTERM)
    with pytest.raises(KeyboardInterrupt), sigterm_as_interrupt():
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(1)  # the handler runs at the next bytecode
    assert signal.getsignal(signal.SIGTERM) == before


def _big_box(tmp_path: Path, count: int) -> Path:
    box = tmp_path / "in"
    box.mkdir()
    for i in range(count):
        os.link(CLEAN, box / f"{i:04d}.xlsx") if hasattr(os, "link") else shutil.copy(CLEAN, box / f"{i:04d}.xlsx")
    return box


def _terminate(cmd: list[str], out: Path) -> tuple[int, str]:
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    time.sleep(2.5)
    assert proc.poll() is None, "the batch should still be running"
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=30)
    return proc.returncode, err


_WIRED = ("import sys; from jixiao.cli import main; from jixiao.signals import sigterm_as_interrupt\n"
          "with sigterm_as_interrupt():\n    code = main(sys.argv[1:])\nsys.exit(code)")


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_sigterm_ends_a_batch_like_ctrl_c(tmp_path: Path, jobs: str) -> None:
    """cli.main run inside sigterm_as_interrupt (as it will be wired): exit 2, no output, no temporary
    file, no worker left, no traceback from anyone."""
    box = _big_box(tmp_path, 4000)
    out = tmp_path / "out"
    out.mkdir()
    code, err = _terminate([sys.executable, "-c", _WIRED, "check", str(box), "-j", jobs, "--summary",
                            str(out / "汇总.xlsx"), "--json", str(out / "r.json")], out)
    assert code == 2, err
    assert "已中断" in err and "Traceback" not in err and "BrokenPipe" not in err
    assert list(out.iterdir()) == []
    time.sleep(0.5)
    assert _running_on(box) == [], "no worker may outlive the run"


def _running_on(box: Path) -> list[str]:
    """Processes (workers included: they are forks) whose command line names ``box``."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if str(box).encode() in cmdline.read_bytes():
                found.append(cmdline.parent.name)
        except OSError:
            continue
    return found


def test_sigterm_through_the_cli(tmp_path: Path) -> None:
    box = _big_box(tmp_path, 4000)
    out = tmp_path / "out"
    out.mkdir()
    code, err = _terminate([sys.executable, "-m", "jixiao", "check", str(box), "--json", str(out / "r.json")], out)
    assert code == 2 and "已中断" in err and "Traceback" not in err
    assert list(out.iterdir()) == []


# --- outputs: never through a link, never to a device; failures name the path ---


def test_output_through_a_symlink_is_refused(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    link = tmp_path / "r.json"
    link.symlink_to(victim)
    with pytest.raises(JixiaoError, match="是一个符号链接"), atomic_path(link) as tmp:
        tmp.write_text("report", encoding="utf-8")
    assert victim.read_text(encoding="utf-8") == "keep me" and link.is_symlink()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.json", "victim.txt"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX")
@pytest.mark.parametrize("kind", ["device", "fifo", "folder"])
def test_output_to_a_device_pipe_or_folder_is_refused(tmp_path: Path, kind: str) -> None:
    if kind == "device":
        target = Path("/dev/null")
    elif kind == "fifo":
        target = tmp_path / "pipe.json"
        os.mkfifo(target)
    else:
        target = tmp_path / "dir.json"
        target.mkdir()
    with pytest.raises(JixiaoError, match=re.escape(f"拒绝写入：{target} 是一个")) as info, atomic_path(target) as tmp:
        tmp.write_text("x", encoding="utf-8")
    assert "不是普通文件" in str(info.value) or kind == "folder"
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_write_failures_name_the_target_in_chinese(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("", encoding="utf-8")
    target = tmp_path / "file" / "r.json"  # a "folder" that is a file
    with pytest.raises(JixiaoError, match=re.escape(f"无法写出 {target}：")) as info, atomic_path(target):
        pass
    assert "Errno" not in str(info.value)
    full = tmp_path / "r.json"
    with pytest.raises(JixiaoError, match=re.escape(f"无法写出 {full}：磁盘空间不足")), atomic_path(full):
        raise OSError(28, "No space left on device")
    assert list(tmp_path.iterdir()) == [tmp_path / "file"]  # no temporary file left


def test_non_regular_entries_in_a_folder_through_the_cli(tmp_path: Path) -> None:
    """A FIFO, a link to /dev/zero, a symlink loop and a broken link in a checked folder: each is listed
    as not read, the real workbook is checked, and nothing blocks or grows."""
    import subprocess
    import sys

    from tests.conftest import SAMPLES

    box = tmp_path / "收到的"
    box.mkdir()
    shutil.copy(next(SAMPLES.glob("02_*.xlsx")), box / "好.xlsx")
    os.mkfifo(box / "管道.xlsx")
    (box / "零.xlsx").symlink_to("/dev/zero")
    (box / "环.xlsx").symlink_to(box / "环.xlsx")
    (box / "断.xlsx").symlink_to(box / "不存在.xlsx")
    out = tmp_path / "r.json"
    proc = subprocess.run([sys.executable, "-m", "jixiao", "check", str(box), "--json", str(out), "-q"],
                          capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    data = json.loads(out.read_text("utf-8"))
    status = {Path(w["path"]).name: w["status"] for w in data["workbooks"]}
    assert status == {"好.xlsx": "clean", "管道.xlsx": "unreadable", "零.xlsx": "unreadable",
                      "环.xlsx": "unreadable", "断.xlsx": "unreadable"}


def test_a_row_hidden_as_hidden_true_is_found_too(tmp_path: Path) -> None:
    """Excel writes hidden="1"; other programs write hidden="true". Both are hidden rows (S005), and the reader
    must notice either before it decides the sheet needs no closer look."""
    import zipfile

    from tests.conftest import load_spec, write_case

    path = write_case(tmp_path / "h.xlsx", load_spec("02"), hide_rows={"绩效指标": [3]})
    with zipfile.ZipFile(path) as zf:
        parts = {i.filename: zf.read(i) for i in zf.infolist()}
    sheets = [n for n, xml in parts.items() if n.startswith("xl/worksheets/") and b'hidden="1"' in xml]
    assert len(sheets) == 1
    parts[sheets[0]] = parts[sheets[0]].replace(b'hidden="1"', b'hidden="true"')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, xml in parts.items():
            zf.writestr(name, xml)
    (wb,) = _check([path], isolate=False)
    assert [(f.code, f.where) for f in wb.findings] == [("S005", "绩效指标!A3")]
