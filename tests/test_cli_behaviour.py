"""The command line never loses work and never surprises (issue 9, part 3; issue 11, points 3 and 6)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from jixiao.cli import main
from tests.conftest import SAMPLES, load_spec, patched, write_case

NAN = next(SAMPLES.glob("01_*.xlsx"))
CLEAN = next(SAMPLES.glob("02_*.xlsx"))
ROAD = next(SAMPLES.glob("05_*.xlsx"))  # warnings (T001) and errors


def _one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, lines
    assert "Traceback" not in err and "Errno" not in err
    return lines[0]


def test_template_refuses_to_overwrite(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "表.xlsx"
    out.write_bytes(b"agency work")
    assert main(["template", str(out)]) == 2
    assert "已存在" in _one_line(capsys.readouterr().err) and out.read_bytes() == b"agency work"
    assert main(["template", str(out), "--force"]) == 0
    assert load_workbook(out).sheetnames[0] == "填表说明"


@pytest.mark.parametrize("flag", ["--summary", "--json"])
def test_output_under_a_file_is_refused_before_reading(flag: str, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "报告"
    blocker.write_text("x", encoding="utf-8")
    assert main(["check", str(NAN), flag, str(blocker / "out.xlsx")]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""  # nothing was read or printed
    assert "是一个文件，不是文件夹" in _one_line(captured.err) and ".tmp" not in captured.err


def test_output_that_is_a_folder_or_an_input_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(NAN), "--summary", str(tmp_path)]) == 2
    assert "已有的文件夹" in _one_line(capsys.readouterr().err)
    copy = tmp_path / "a.xlsx"
    shutil.copy(CLEAN, copy)
    assert main(["check", str(tmp_path), "--summary", str(copy)]) == 2
    assert "输入文件之一" in _one_line(capsys.readouterr().err)
    annotate_file = tmp_path / "x.txt"
    annotate_file.write_text("x", encoding="utf-8")
    assert main(["check", str(NAN), "--annotate", str(annotate_file)]) == 2
    assert "应为文件夹" in _one_line(capsys.readouterr().err)


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write into any folder")
def test_unwritable_folder_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    locked = tmp_path / "只读"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        assert main(["check", str(NAN), "--json", str(locked / "r.json")]) == 2
        assert "没有写入文件夹" in _one_line(capsys.readouterr().err)
    finally:
        locked.chmod(0o700)


def test_missing_output_folders_are_created_and_said(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "新" / "汇总.xlsx"
    assert main(["check", str(CLEAN), "--summary", str(target)]) == 0
    assert target.is_file() and f"已创建文件夹：{target.parent}" in capsys.readouterr().err


def test_json_to_stdout_is_only_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(NAN), "--json", "-", "--summary", str(tmp_path / "s.xlsx"),
                 "--annotate", str(tmp_path / "a")]) == 1
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    assert data["workbooks"][0]["findings"][0]["code"] == "I005"
    assert "已写出" in captured.err


def test_output_formats_and_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(NAN), "--output-format", "json"]) == 1
    assert json.loads(capsys.readouterr().out)["workbooks"][0]["status"] == "errors"
    assert main(["check", str(NAN), "--output-format", "csv"]) == 1
    lines = capsys.readouterr().out.lstrip("\ufeff").splitlines()
    assert lines[0].startswith("path,sheet,cell,code") and ",绩效指标,H7,I005,error," in lines[1]
    assert main(["check", str(NAN), "--exit-zero", "-q"]) == 0
    warnings_only = write_case(tmp_path / "w.xlsx", patched(load_spec("02"), {"indicators.1.actual": "210次"}))
    assert main(["check", str(warnings_only), "-q"]) == 0
    assert main(["check", str(warnings_only), "-q", "--fail-on", "warning"]) == 1


def test_argument_mistakes_are_one_chinese_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(NAN), "-q", "--details"]) == 2
    assert "不能同时使用" in _one_line(capsys.readouterr().err)
    for argv, said in ((["check", str(NAN), "--year", "25"], "四位年份"),
                       (["check", str(NAN), "--jobs", "0"], "不小于 1 的整数")):
        with pytest.raises(SystemExit) as exit_info:
            main(argv)
        assert exit_info.value.code == 2
        line = _one_line(capsys.readouterr().err)
        assert line.startswith("jixiao: 参数错误：") and said in line and "usage" not in line


def test_jobs_capped_at_the_cores(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(CLEAN), "--jobs", "512", "-q"]) == 0
    assert "超过本机可用的 CPU 核数" in capsys.readouterr().err


def test_help_is_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["-h"], ["check", "-h"], ["template", "-h"]):
        with pytest.raises(SystemExit):
            main(argv)
        out = capsys.readouterr().out
        assert out.startswith("用法：") and "选项" in out
        assert not any(word in out for word in ("usage:", "options:", "show this help"))


def test_rules_code_explains_the_rule(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "I011"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("I011 ") and "依据" in out and "反例" in out and "正例" in out
    assert "scoring.over_completion" in out
    assert main(["rules", "Z99"]) == 2
    assert "没有规则 Z99" in _one_line(capsys.readouterr().err)


def test_local_profile_gives_only_what_it_changes(tmp_path: Path) -> None:
    prof = tmp_path / "本地.toml"
    prof.write_text("[scoring]\nover_completion = 2.0\n", encoding="utf-8")
    out = tmp_path / "r.json"
    sample = next(SAMPLES.glob("04_*.xlsx"))
    assert main(["check", str(sample), "--profile", str(prof), "--json", str(out), "-q"]) == 1
    codes = {f["code"] for f in json.loads(out.read_text("utf-8"))["workbooks"][0]["findings"]}
    assert "I011" not in codes and "I005" in codes  # the rest is the national profile


def test_profile_with_a_wrong_type_names_the_key(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    prof = tmp_path / "坏.toml"
    prof.write_text('[weights]\n"产出指标" = "五十"\n', encoding="utf-8")
    assert main(["check", str(NAN), "--profile", str(prof)]) == 2
    line = _one_line(capsys.readouterr().err)
    assert "[weights] 的“产出指标”应为数字" in line


def test_settings_file_in_the_checked_folder(tmp_path: Path) -> None:
    box = tmp_path / "收到的"
    box.mkdir()
    shutil.copy(ROAD, box / ROAD.name)
    (box / "jixiao.toml").write_text(
        'year = 2024\nignore = ["T00"]\n\n[[accept]]\ncode = "I011"\nfile = "*.xlsx"\nreason = "已电话核实"\n',
        encoding="utf-8")
    out = tmp_path / "r.json"
    main(["check", str(box), "--json", str(out), "-q"])
    (wb,) = json.loads(out.read_text("utf-8"))["workbooks"]
    codes = {f["code"] for f in wb["findings"]}
    assert "B002" in codes  # year from the settings file
    assert not any(c.startswith("T00") for c in codes)  # ignore from the settings file
    main(["check", str(box), "--json", str(out), "-q", "--ignore", "I"])  # the command line wins
    (wb,) = json.loads(out.read_text("utf-8"))["workbooks"]
    assert any(f["code"].startswith("T00") for f in wb["findings"])


def test_accepted_warning_is_shown_with_its_reason(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    box = tmp_path / "收到的"
    box.mkdir()
    path = write_case(box / "w.xlsx", patched(load_spec("02"), {"indicators.1.actual": "210次"}))
    (box / "pyproject.toml").write_text('[tool.jixiao]\n[[tool.jixiao.accept]]\ncode = "I007"\n'
                                        'reason = "次与天在本项目中同义"\n', encoding="utf-8")
    summary = tmp_path / "s.xlsx"
    assert main(["check", str(path), "--summary", str(summary), "--fail-on", "warning"]) == 0
    assert "已接受：次与天在本项目中同义" in capsys.readouterr().out
    rows = list(load_workbook(summary)["问题明细"].iter_rows(min_row=2, values_only=True))
    assert [(r[6], r[11]) for r in rows] == [("I007", "次与天在本项目中同义")]
    (status,) = [r[15] for r in load_workbook(summary)["汇总"].iter_rows(min_row=2, values_only=True)]
    assert status == "通过"


def test_a_submission_with_summary_sheet_names_is_checked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from jixiao.template.build import build_workbook

    wb = build_workbook(load_spec("01"))
    for name in ("汇总", "问题明细", "规则统计", "说明"):
        wb.create_sheet(name).sheet_state = "hidden"
    box = tmp_path / "收到的"
    box.mkdir()
    path = box / "伪装.xlsx"
    wb.save(path)
    assert main(["check", str(path)]) == 1
    assert "I005" in capsys.readouterr().out
    out = tmp_path / "r.json"
    main(["check", str(box), "--json", str(out), "-q"])
    assert json.loads(out.read_text("utf-8"))["workbooks"][0]["status"] == "errors"


def test_jixiao_summary_in_the_folder_is_skipped_but_checked_when_named(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    box = tmp_path / "收到的"
    box.mkdir()
    shutil.copy(CLEAN, box / CLEAN.name)
    summary = box / "汇总.xlsx"
    main(["check", str(box), "--summary", str(summary), "-q"])
    out = tmp_path / "r.json"
    assert main(["check", str(box), "--json", str(out), "-q"]) == 0
    data = json.loads(out.read_text("utf-8"))
    assert [Path(w["path"]).name for w in data["workbooks"]] == [CLEAN.name]
    assert data["skipped"] == [str(summary)]
    assert main(["check", str(summary), "-q"]) == 1  # named: always checked (and it is not a 自评表)


def _with_escapes(path: Path, replacements: dict[str, str]) -> Path:
    """Rewrite the workbook's XML so cells hold what openpyxl refuses to write (ESC, BEL as _x001B_ …)."""
    import zipfile

    data = {}
    with zipfile.ZipFile(path) as zf:
        for info in zf.infolist():
            raw = zf.read(info)
            for old, new in replacements.items():
                raw = raw.replace(old.encode(), new.encode())
            data[info.filename] = raw
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, raw in data.items():
            zf.writestr(name, raw)
    return path


def test_control_characters_never_reach_the_terminal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = patched(load_spec("01"), {"info.name": "科技ESC[2J兴警NL共 1 个文件：通过 1", "info.unit": "单位BEL"})
    path = _with_escapes(write_case(tmp_path / "控制\x1b]0;标题\x07.xlsx", spec),
                         {"ESC": "_x001B_", "NL": "&#10;", "BEL": "_x0007_"})
    other = write_case(tmp_path / "b.xlsx", load_spec("02"))
    main(["check", str(path), str(other)])
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out
    assert "科技\\x1b[2J兴警⏎共 1 个文件：通过 1" in out
    assert not any(line.startswith("共 1 个文件") for line in out.splitlines())
    assert "控制\\x1b]0;标题\\x07.xlsx" in out


def test_a_workbook_that_is_no_table_is_unreadable_with_exit_1(tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    wb = Workbook()
    assert wb.active is not None
    wb.active["A1"] = "x"
    wb.save(tmp_path / "x.xlsx")
    assert main(["check", str(tmp_path / "x.xlsx")]) == 1
    assert "不是项目支出绩效自评表" in capsys.readouterr().out
