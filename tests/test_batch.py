"""Batch runs for the finance bureau: discovery, bad files, parallelism, summary workbook, outputs."""

from __future__ import annotations

import json
import os
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from jixiao.check.batch import Options, check_files
from jixiao.check.discover import discover
from jixiao.cli import main
from jixiao.profile import load_profile
from tests.conftest import ROOT, SAMPLES, load_spec, patched, write_case

BAD = ROOT / "tests" / "fixtures" / "bad"


@pytest.fixture()
def inbox(tmp_path: Path) -> Path:
    """A folder as a finance bureau receives it: samples in sub-folders, plus every kind of bad file."""
    box = tmp_path / "收到的自评表"
    (box / "县直").mkdir(parents=True)
    (box / "乡镇").mkdir()
    for sample in SAMPLES.glob("0[1-6]_*.xlsx"):  # the template samples
        shutil.copy(sample, box / ("县直" if sample.name < "04" else "乡镇") / sample.name)
    (box / "空文件.xlsx").write_bytes(b"")
    clean = next(SAMPLES.glob("02_*.xlsx")).read_bytes()
    (box / "截断.xlsx").write_bytes(clean[: len(clean) // 2])
    (box / "文本改名.xlsx").write_text("项目名称,得分\n", encoding="utf-8")
    with zipfile.ZipFile(box / "空压缩包.xlsx", "w") as zf:
        zf.writestr("readme.txt", "not a workbook")
    for name in ("encrypted.xlsx", "legacy.xls"):
        shutil.copy(BAD / name, box / name)
    (box / "文件夹.xlsx").mkdir()
    (box / "~$01_南县公安局_科技兴警专项.xlsx").write_bytes(b"lock")
    (box / ".hidden.xlsx").write_bytes(b"hidden")
    (box / "说明.txt").write_bytes(b"not checked")  # a .docx would be a 自评报告 now
    return box


def test_discovery_skips_lock_hidden_and_other_files(inbox: Path) -> None:
    files, absent = discover([inbox, inbox / "县直", inbox / "县直" / "01_南县公安局_科技兴警专项.xlsx"])
    names = [f.name for f in files]
    assert absent == []
    assert len(names) == len(set(names)) == 13  # 6 samples + 7 bad files, each once
    assert "~$01_南县公安局_科技兴警专项.xlsx" not in names and ".hidden.xlsx" not in names
    assert "说明.txt" not in names and "文件夹.xlsx" in names
    assert [str(f) for f in files] == sorted(str(f) for f in files)


def test_bad_files_each_get_a_reason_and_the_batch_goes_on(inbox: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    assert main(["check", str(inbox), "--json", str(out), "-q", "-j", "2"]) == 1
    wbs = {Path(w["path"]).name: w for w in json.loads(out.read_text("utf-8"))["workbooks"]}
    reasons = {name: w["error"] for name, w in wbs.items() if w["status"] == "unreadable"}
    assert reasons == {
        "空文件.xlsx": "文件是空的（0 字节）",
        "截断.xlsx": "文件已损坏或不是 Excel 工作簿（不是有效的 .xlsx 文件）",
        "文本改名.xlsx": "文件已损坏或不是 Excel 工作簿（不是有效的 .xlsx 文件）",
        "空压缩包.xlsx": "压缩包里没有工作簿内容，不是有效的 Excel 工作簿",
        "encrypted.xlsx": "文件已加密，请取消密码后再提交",
        "legacy.xls": reasons["legacy.xls"],
        "文件夹.xlsx": "这是一个文件夹，不是工作簿",
    }
    assert "不是 jixiao 标准模板" in reasons["legacy.xls"]
    assert wbs["02_某县教育局_学生营养改善计划.xlsx"]["status"] == "clean"
    assert wbs["01_南县公安局_科技兴警专项.xlsx"]["findings"][0]["cell"] == "H7"


@pytest.mark.parametrize("name", ["legacy_template.xls", "template.ods"])
def test_other_formats_of_the_template_are_checked(name: str) -> None:
    report = check_files([BAD / name], load_profile(), Options())
    (wb,) = report.workbooks
    assert wb.status == "clean", (wb.error, [f.message for f in wb.findings])
    assert wb.score is not None and wb.score.recomputed_total == 99.35


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_unreadable_permissions(tmp_path: Path) -> None:
    path = tmp_path / "locked.xlsx"
    shutil.copy(next(SAMPLES.glob("02_*.xlsx")), path)
    path.chmod(0)
    (wb,) = check_files([path], load_profile(), Options()).workbooks
    assert wb.status == "unreadable" and wb.error == "没有读取该文件的权限"


def test_results_identical_for_any_number_of_jobs(inbox: Path) -> None:
    files, _ = discover([inbox])
    one = check_files(files, load_profile(), Options(jobs=1)).workbooks
    two = check_files(files, load_profile(), Options(jobs=2)).workbooks
    assert [w.to_dict() for w in one] == [w.to_dict() for w in two]
    assert [w.path for w in one] == [str(f) for f in files]


@pytest.mark.parametrize("streamed", [False, True])
def test_summary_workbook(inbox: Path, tmp_path: Path, streamed: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same summary whether its cells are kept (a few thousand rows) or written out row by row (more)."""
    from jixiao.report import summary_xlsx

    monkeypatch.setattr(summary_xlsx, "CONSTANT_MEMORY_ROWS", 0 if streamed else 10_000)
    target = tmp_path / "汇总.xlsx"
    copies = tmp_path / "批注"
    assert main(["check", str(inbox), "--summary", str(target), "--annotate", str(copies), "-q"]) == 1
    with zipfile.ZipFile(target) as zf:  # streamed rows carry their text inline, kept ones share it
        assert ("xl/sharedStrings.xml" in zf.namelist()) is not streamed
    wb = load_workbook(target)
    assert wb.sheetnames == ["汇总", "问题明细", "按主管部门", "规则统计", "无法读取", "说明"]
    summary = wb["汇总"]
    headers = [c.value for c in summary[1]]
    assert headers == ["文件名", "工作表", "相对路径", "年度", "主管部门", "实施单位", "项目名称", "自评总分", "重算总分",
                       "差异（自评−重算）", "自评等级", "重算等级", "等级变化", "错误数", "警告数", "状态", "优先顺序",
                       "优先原因", "涉及资金（万元）"]
    assert summary.freeze_panes == "A2" and summary.auto_filter.ref
    assert summary.conditional_formatting and summary.column_dimensions["G"].width > 10
    rows = {r[0]: r for r in summary.iter_rows(min_row=2, values_only=True)}
    nan = rows["01_南县公安局_科技兴警专项.xlsx"]
    assert nan[1] is None  # a template workbook is one table: no sheet to name
    assert nan[2] == os.path.join("县直", "01_南县公安局_科技兴警专项.xlsx")
    assert nan[3] == 2025  # 年度 as a number
    assert nan[7:16] == (99, 98.7, pytest.approx(0.3), "优秀", "优", "不变", 1, 0, "有错误")
    assert nan[17:19] == ("多计 0.3 分；涉及资金 233 万元", 233)
    six = rows["06_某县文化旅游广电局_送戏下乡.xlsx"]
    assert six[12] == "优→中" and six[16] == 1 and six[17].startswith("等级 优→中；多计 27.5 分")
    assert next(iter(rows)) == "06_某县文化旅游广电局_送戏下乡.xlsx", "the grade change first"
    empty = rows["空文件.xlsx"]
    assert empty[13:16] == (None, None, "无法读取") and empty[17] == "无法读取，需退回重报"  # never looks clean
    order = [r[17] for r in rows.values()]  # grade change, over-scored (by money), unreadable, the rest
    ranks = [0 if o.startswith("等级") else 1 if o.startswith("多计") else 3 if o.startswith("无法读取") else 4
             for o in order]
    assert ranks == sorted(ranks) and ranks[0] == 0 and 3 in ranks and 4 in ranks
    details = wb["问题明细"]
    assert [c.value for c in details[1]] == ["相对路径", "主管部门", "实施单位", "项目名称", "工作表", "单元格", "代码",
                                           "级别", "问题", "应为", "实际", "已接受（原因）", "批注副本", "处理意见"]
    (i005,) = [r for r in details.iter_rows(min_row=2) if r[6].value == "I005" and r[0].value.startswith("县直")
               and r[5].value == "H7"]
    assert [c.value for c in i005[:8]] == [os.path.join("县直", "01_南县公安局_科技兴警专项.xlsx"), "南县公安局",
                                           "南县公安局", "科技兴警专项", "绩效指标", "H7", "I005", "错误"]
    link = i005[12].hyperlink
    assert link is not None and link.location == "'绩效指标'!H7"  # the marked cell in the copy
    copy = (target.parent / link.target.replace("\\", "/")).resolve()
    assert copy == (copies / "县直" / "01_南县公安局_科技兴警专项.检查结果.xlsx").resolve() and copy.is_file()
    assert i005[13].value is None and i005[11].value is None  # 处理意见 for the officer; not accepted
    unreadable = {r[0]: r[3] for r in wb["无法读取"].iter_rows(min_row=2, values_only=True)}
    assert unreadable["encrypted.xlsx"] == "文件已加密，请取消密码后再提交" and len(unreadable) == 7
    stats = {r[0]: (r[3], r[4]) for r in wb["规则统计"].iter_rows(min_row=2, values_only=True)}
    assert stats["I005"] == (3, 3) and stats["T001"][1] == 1 and wb["规则统计"]._charts
    depts = {r[0]: r for r in wb["按主管部门"].iter_rows(min_row=2, values_only=True)}
    assert depts["南县公安局"][1:] == (1, 1, 1, 0, 1, 0, 1, 0)
    assert depts["（未读出主管部门）"][4] == 7
    about = {r[0]: r[1] for r in wb["说明"].iter_rows(values_only=True)}
    assert about["文件数"] == 13 and about["生成工具"].startswith("jixiao")
    # the rules that occurred are quoted in full (the docs folder is not installed with the package)
    assert about["规则 I005"].startswith("I005 ") and "依据" in about["规则 I005"] and "反例" in about["规则 I005"]


def test_summary_never_turns_agency_text_into_formulas(tmp_path: Path) -> None:
    box = tmp_path / "in"
    for i, name in enumerate(["=HYPERLINK(\"http://x\",\"点我\")", "+1+1", "-2+3", "@SUM(1)"]):
        spec = patched(load_spec("02"), {"info.name": name, "info.unit": f"单位{i}"})
        write_case(box / f"{i}.xlsx", spec)
    target = tmp_path / "汇总.xlsx"
    main(["check", str(box), "--summary", str(target), "-q"])
    ws = load_workbook(target)["汇总"]
    cells = [row[6] for row in ws.iter_rows(min_row=2)]
    assert sorted(c.value for c in cells) == sorted(["=HYPERLINK(\"http://x\",\"点我\")", "+1+1", "-2+3", "@SUM(1)"])
    assert {c.data_type for c in cells} == {"s"}


def test_summary_refuses_to_overwrite_an_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_case(tmp_path / "a.xlsx", load_spec("02"))
    before = path.read_bytes()
    assert main(["check", str(tmp_path), "--summary", str(path)]) == 2
    assert "拒绝写入" in capsys.readouterr().err and path.read_bytes() == before


def test_summary_in_the_checked_folder_is_skipped_next_time(tmp_path: Path) -> None:
    write_case(tmp_path / "a.xlsx", load_spec("02"))
    summary = tmp_path / "汇总.xlsx"
    assert main(["check", str(tmp_path), "--summary", str(summary), "-q"]) == 0
    out = tmp_path / "r.json"
    assert main(["check", str(tmp_path), "--json", str(out), "-q"]) == 0
    data = json.loads(out.read_text("utf-8"))
    assert [Path(w["path"]).name for w in data["workbooks"]] == ["a.xlsx"]
    assert [Path(p).name for p in data["skipped"]] == ["汇总.xlsx"]
    # running again with the same --summary overwrites the old summary (it is not a submission) …
    before = summary.stat().st_mtime_ns
    assert main(["check", str(tmp_path), "--summary", str(summary), "-q"]) == 0
    assert summary.stat().st_mtime_ns != before
    # … but naming it explicitly as an input as well is refused
    assert main(["check", str(tmp_path), str(summary), "--summary", str(summary), "-q"]) == 2


def test_overview_is_worst_first_with_totals_and_top_codes(inbox: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["check", str(inbox)])
    out = capsys.readouterr().out
    assert "共 13 个文件：通过 1，仅有警告 0，有错误 5，无法读取 7。" in out
    assert out.index("检查结果一览") < out.index("出现最多的问题")
    table = out[out.index("检查结果一览"):]
    assert table.index("06_某") < table.index("encrypted") < table.index("02_某")  # the grade change first
    assert "未逐个打印问题明细" in out


def test_quiet_prints_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(SAMPLES), "-q"]) == 1
    assert capsys.readouterr().out.strip().splitlines() == ["共 8 个文件：通过 2，仅有警告 0，有错误 6，无法读取 0。"]


def test_overview_is_one_line_per_file_at_100_columns(inbox: Path, capsys: pytest.CaptureFixture[str],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from rich.cells import cell_len

    monkeypatch.setenv("COLUMNS", "100")
    main(["check", str(inbox)])
    out = capsys.readouterr().out
    table = out[out.index("检查结果一览"):out.index("无法读取：")]
    rows = [line for line in table.splitlines()[3:] if line.strip() and "───" not in line]
    assert len(rows) == 13 and all(cell_len(line) <= 100 for line in rows)
    assert sum("无法读取" in line for line in rows) == 7  # the status column says so
    assert any(re.search(r"01_南.*….*\.xlsx", line) for line in rows)  # shortened in the middle, the extension kept
    reasons = out[out.index("无法读取："):].splitlines()[1:8]
    assert any(line.startswith("encrypted.xlsx：文件已加密") for line in reasons)


def test_a_file_and_its_sheet_are_shortened_each_in_its_middle() -> None:
    """On the console's one line per table, a long file name keeps its extension and a long sheet name its ends;
    the file name gets the room the sheet does not need."""
    from rich.cells import cell_len

    from jixiao.findings import WorkbookResult
    from jixiao.report.overview import file_label

    w = WorkbookResult("收到/07_鄂州市财政局_购买第三方服务.xls", "errors", sheet="项目支出绩效自评表")
    label = file_label(w, 34)
    assert cell_len(label) <= 34 and re.fullmatch(r"07_鄂州.*….*服务\.xls［项目.*….*表］", label), label
    assert file_label(w, 80) == "07_鄂州市财政局_购买第三方服务.xls［项目支出绩效自评表］"
    plain = WorkbookResult("01_南县公安局_科技兴警专项.xlsx", "errors")
    assert re.fullmatch(r"01_南县.*….*专项\.xlsx", file_label(plain, 20)), file_label(plain, 20)


def test_the_parent_of_a_batch_never_loads_pandas(tmp_path: Path) -> None:
    """The parent only hands out files and writes the reports; the workers load pandas and pandera. A module
    that imports them at the top on the parent's path (reporters, rules, the runner) would add their memory
    to the parent and again to every worker forked from it (docs/performance.md)."""
    import subprocess
    import sys

    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("01", "02", "03"):
        shutil.copy(next(SAMPLES.glob(f"{name}_*.xlsx")), folder)
    script = ("import sys\nfrom jixiao.cli import main\n"
              f"code = main(['check', {str(folder)!r}, '-q', '--summary', {str(tmp_path / 's.xlsx')!r},"
              f" '--json', {str(tmp_path / 'r.json')!r}])\n"
              "print(code, sorted(m for m in ('pandas', 'pandera', 'numpy', 'openpyxl', 'rich') if m in sys.modules))\n")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "1 []"
    report = json.loads((tmp_path / "r.json").read_text("utf-8"))
    assert len(report["workbooks"]) == 3 and "unreadable" not in {w["status"] for w in report["workbooks"]}
    assert any(f["code"] == "I005" for w in report["workbooks"] for f in w["findings"])  # the checks ran


@pytest.mark.parametrize("copies", [1, 3])
def test_a_worker_started_early_is_used_or_ended(tmp_path: Path, copies: int) -> None:
    """A folder makes the command start a worker before it has even looked for files (it loads pandas while
    the files are found and the outputs checked). A batch takes it up; a folder with one file (checked in
    this process) or a run that stops early ends it: no process is left behind either way."""
    import multiprocessing

    from jixiao.check import batch as batch_module

    for i in range(copies):
        shutil.copy(next(SAMPLES.glob("02_*.xlsx")), tmp_path / f"{i}.xlsx")
    assert main(["check", str(tmp_path), "-q"]) == (0 if copies == 1 else 1)  # copies: B001
    assert multiprocessing.active_children() == [] and batch_module._SPARES == []
    assert main(["check", str(tmp_path), "-q", "--summary", str(tmp_path)]) == 2  # refused before any check
    assert multiprocessing.active_children() == [] and batch_module._SPARES == []


def test_summary_rows_cells_widths_and_heights(tmp_path: Path) -> None:
    """How a summary row is written: numbers as numbers, yes/no as 是/否, nothing for None or an empty text;
    fixed column widths (a sentence column wide, a name column middling, any other as wide as its header, at
    most 12), each row as tall as its wrapped text (a CJK character counts two), and the sheet printed A4
    landscape one page wide with its header on every page."""
    import xlsxwriter

    from jixiao.report.summary_xlsx import _Sheet

    target = tmp_path / "rows.xlsx"
    book = xlsxwriter.Workbook(str(target))
    fmt = {"header": book.add_format(), "wrap": book.add_format({"text_wrap": True}), "top": book.add_format()}
    sheet = _Sheet(book, "表", ("数", "是否", "问题", "项目名称", "很长的一个表头"), fmt)
    sheet.add((1, True, "短", "短", None))
    sheet.add((2.5, False, "长" * 40, "长" * 40, ""))
    sheet.finish()
    book.close()
    ws = load_workbook(target)["表"]
    assert [[c.value for c in row] for row in ws.iter_rows(min_row=2)] == [
        [1, "是", "短", "短", None], [2.5, "否", "长" * 40, "长" * 40, None]]
    widths = {}  # columns of the same width are stored as one range
    for dim in ws.column_dimensions.values():
        for col in range(dim.min, dim.max + 1):
            widths["ABCDE"[col - 1]] = dim.width
    assert [int(widths[c]) for c in "ABCDE"] == [4, 6, 44, 16, 12]  # xlsxwriter adds 0.71 of padding
    assert ws.row_dimensions[2].height is None  # one line: the default height
    # 40 CJK characters: 80 columns, 2 lines in the 44-wide 问题 and 6 in the 16-wide 项目名称 column
    assert abs(ws.row_dimensions[3].height - (6 * 15 + 2)) < 1  # xlsxwriter rounds to whole pixels
    assert ws["C3"].alignment.wrap_text
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth in (None, 1)  # 1: OOXML's default
    assert (ws.page_setup.orientation, ws.page_setup.paperSize, ws.page_setup.fitToHeight, ws.print_title_rows) == (
        "landscape", 9, 0, "$1:$1")
    assert "&P" in ws.oddFooter.center.text and "&F" in ws.oddFooter.center.text
