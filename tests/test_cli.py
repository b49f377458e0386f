"""The command line as a user runs it: exit codes, messages, JSON contract, outputs."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from jixiao.cli import main
from tests.conftest import ROOT, SAMPLES, load_spec, write_case

NAN = next(SAMPLES.glob("01_*.xlsx"))
CLEAN = next(SAMPLES.glob("02_*.xlsx"))


def test_clean_workbook_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(CLEAN)]) == 0
    out = capsys.readouterr().out
    assert "未发现问题" in out and "99.35" in out


def test_errors_exit_1_and_show_cell(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(NAN)]) == 1
    out = capsys.readouterr().out
    assert "绩效指标!H7" in out and "14.7" in out and "98.7" in out


def test_json_contract(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    assert main(["check", str(SAMPLES), "--json", str(out), "--quiet"]) == 1
    data = json.loads(out.read_text("utf-8"))
    wbs = data["workbooks"]
    assert len(wbs) == 8
    nan = wbs[0]
    assert set(nan) >= {"path", "sheet", "layout", "profile", "status", "project", "score", "findings", "error"}
    assert (nan["sheet"], nan["layout"], nan["profile"]) == (None, "template", "national")
    official = wbs[7]
    assert (official["sheet"], official["layout"]) == ("项目支出绩效自评表", "official")
    assert nan["status"] == "errors" and nan["error"] is None
    assert nan["project"] == {"name": "科技兴警专项", "year": "2025", "department": "南县公安局", "unit": "南县公安局"}
    score = nan["score"]
    assert (score["claimed_total"], score["recomputed_total"]) == (99, 98.7)
    assert (score["claimed_grade"], score["recomputed_grade"]) == ("优", "优")
    assert [c["name"] for c in score["categories"]] == ["预算执行率", "产出指标", "效益指标", "满意度指标"]
    (finding,) = nan["findings"]
    assert finding == {"code": "I005", "severity": "error", "sheet": "绩效指标", "cell": "H7",
                       "message": finding["message"], "expected": 14.7, "actual": 15, "accepted": None, "other": None}
    assert {w["status"] for w in wbs} == {"clean", "errors"}


def test_unreadable_file_is_reported_not_raised(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "坏文件.xlsx"
    bad.write_text("这不是工作簿", encoding="utf-8")
    out = tmp_path / "r.json"
    assert main(["check", str(bad), str(CLEAN), "--json", str(out)]) == 1
    data = json.loads(out.read_text("utf-8"))
    statuses = {Path(w["path"]).name: (w["status"], w["error"]) for w in data["workbooks"]}
    assert statuses["坏文件.xlsx"][0] == "unreadable" and "不是有效的 .xlsx" in statuses["坏文件.xlsx"][1]
    assert statuses[CLEAN.name] == ("clean", None)


def test_other_workbook_is_not_a_template(tmp_path: Path) -> None:
    from openpyxl import Workbook

    path = tmp_path / "other.xlsx"
    wb = Workbook()
    wb.active["A1"] = "工资表"  # type: ignore[index]
    wb.save(path)
    out = tmp_path / "r.json"
    assert main(["check", str(path), "--json", str(out), "-q"]) == 1
    (w,) = json.loads(out.read_text("utf-8"))["workbooks"]
    assert w["status"] == "unreadable" and "不是 jixiao 标准模板" in w["error"]


@pytest.mark.parametrize("argv", [["check"], ["check", "/no/such/file.xlsx"], ["frobnicate"],
                                  ["check", str(CLEAN), "--profile", "/no/such.toml"]])
def test_cannot_run_exits_2_with_one_chinese_line(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        raise SystemExit(main(argv))
    assert exc.value.code == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert any("\u4e00" <= ch <= "\u9fff" for ch in err)


def test_bad_profile_toml(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    prof = tmp_path / "p.toml"
    prof.write_text("weights = [", encoding="utf-8")
    assert main(["check", str(CLEAN), "--profile", str(prof)]) == 2
    assert "不是有效的 TOML" in capsys.readouterr().err


def test_json_refuses_to_overwrite_an_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_case(tmp_path / "a.xlsx", load_spec("02"))
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    assert main(["check", str(path), "--json", str(path)]) == 2
    assert "拒绝写入" in capsys.readouterr().err
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_inputs_are_never_modified(tmp_path: Path) -> None:
    digests = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in SAMPLES.glob("*.xls*")}
    main(["check", str(SAMPLES), "--json", str(tmp_path / "r.json"), "-q"])
    assert {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in digests} == digests


def test_select_and_ignore_by_prefix(tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    main(["check", str(SAMPLES), "--json", str(out), "-q", "--select", "I", "--ignore", "I00"])
    codes = {f["code"] for w in json.loads(out.read_text("utf-8"))["workbooks"] for f in w["findings"]}
    assert codes and all(c.startswith("I01") for c in codes)


def test_rule_text_is_printed_literally(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = load_spec("02")
    spec["indicators"][1]["score"] = "[bold red]满分[/bold red]"
    path = write_case(tmp_path / "markup.xlsx", spec)
    main(["check", str(path)])
    assert "[bold red]满分[/bold red]" in capsys.readouterr().out


def test_rules_profile_and_template_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules"]) == 0
    assert "I005" in capsys.readouterr().out
    assert main(["profile"]) == 0
    exported = tmp_path / "local.toml"
    exported.write_text(capsys.readouterr().out, encoding="utf-8")
    assert main(["check", str(CLEAN), "--profile", str(exported), "-q"]) == 0
    out = tmp_path / "模板.xlsx"
    assert main(["template", str(out)]) == 0 and out.stat().st_size > 0


def test_console_script_runs_as_a_process() -> None:
    proc = subprocess.run([sys.executable, "-m", "jixiao", "check", str(NAN)], capture_output=True, text=True,
                          cwd=ROOT, check=False)
    assert proc.returncode == 1 and "I005" in proc.stdout and proc.stderr == ""


def test_the_command_leaves_with_everything_printed_and_its_exit_code(tmp_path: Path) -> None:
    """The command skips Python's tear-down once it is done: what it printed must all be there, the exit code
    kept, and a reader that stops early (… | head) must not get a traceback."""
    import os

    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # output buffered, as for users
    proc = subprocess.run([sys.executable, "-m", "jixiao", "check", str(SAMPLES), "--output-format", "json"],
                          capture_output=True, text=True, cwd=ROOT, check=False, env=env)
    assert proc.returncode == 1 and proc.stderr == ""
    assert len(json.loads(proc.stdout)["workbooks"]) == len(list(SAMPLES.glob("0*.*")))
    quiet = subprocess.run([sys.executable, "-m", "jixiao", "check", str(CLEAN), "-q"], capture_output=True,
                           text=True, cwd=ROOT, check=False, env=env)  # print() into a pipe: buffered till flushed
    assert (quiet.returncode, quiet.stdout) == (0, "共 1 个文件：通过 1，仅有警告 0，有错误 0，无法读取 0。\n")
    head = subprocess.Popen([sys.executable, "-m", "jixiao", "check", str(SAMPLES), "--details"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, env=env)
    assert head.stdout is not None and head.stderr is not None
    head.stdout.readline()
    head.stdout.close()  # as `| head -1` does
    assert head.wait(timeout=120) in (0, 1, 2)
    assert "Traceback" not in head.stderr.read().decode("utf-8", "replace")


@pytest.mark.parametrize("flag", ["--select", "--ignore"])
def test_unknown_rule_code_is_refused(flag: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(CLEAN), flag, "Z9,I005"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("jixiao: 未知的规则代码或前缀：Z9；") and "B C F I R S T V" in err
    assert len(err.splitlines()) == 1


def test_output_reporters_are_loaded_before_the_check(tmp_path: Path) -> None:
    """The reporters of the requested output files are imported before the workbooks are checked (while a
    worker starts up), the others only when used: a run without --summary never loads xlsxwriter, and
    --annotate's openpyxl waits until the check is done."""
    script = ("import sys, jixiao.check.runner as runner\n"
              "from jixiao.cli import main\n"
              "seen = {}\n"
              "check = runner.check_chunk\n"
              "def spy(*args, **kwargs):\n"
              "    seen.setdefault('at_check', sorted(m for m in ('xlsxwriter', 'jixiao.report.summary_xlsx',\n"
              "                                                   'jixiao.report.json_report', 'openpyxl')\n"
              "                                       if m in sys.modules))\n"
              "    return check(*args, **kwargs)\n"
              "runner.check_chunk = spy\n"
              "main(['check', sys.argv[1], '-q', '--jobs', '1', *sys.argv[2:]])\n"
              "print(seen['at_check'])\n")
    sample = str(next(SAMPLES.glob("01_*.xlsx")))
    with_summary = subprocess.run([sys.executable, "-c", script, sample, "--summary", str(tmp_path / "s.xlsx")],
                                  capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1]
    assert with_summary == "['jixiao.report.summary_xlsx', 'xlsxwriter']"
    plain = subprocess.run([sys.executable, "-c", script, sample], capture_output=True, text=True,
                           check=True).stdout.strip().splitlines()[-1]
    assert plain == "[]"
    # Not the annotated copies' openpyxl (it brings numpy): workers forked after it would inherit it.
    annotate = subprocess.run([sys.executable, "-c", script, sample, "--annotate", str(tmp_path / "copies")],
                              capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1]
    assert annotate == "[]"
