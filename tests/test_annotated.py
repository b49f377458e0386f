"""Annotated copies (--annotate): the agency's own workbook back with the problems marked, nothing else changed."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from jixiao.cli import main
from tests.conftest import SAMPLES

NAN = next(SAMPLES.glob("01_*.xlsx"))
CLEAN = next(SAMPLES.glob("02_*.xlsx"))
EZHOU = next(SAMPLES.glob("07_*.xls"))
PUTUO = next(SAMPLES.glob("08_*.xlsx"))


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _cell_state(ws: Worksheet, ref: str) -> tuple[Any, ...]:
    c = ws[ref]
    styles = (repr(x) for x in (c.font, c.border, c.alignment, c.protection, c.fill))
    return (c.value, c.data_type, c.number_format, *styles, c.comment.text if c.comment else None)


def _sheet_state(ws: Worksheet) -> dict[str, Any]:
    return {
        "merged": sorted(str(r) for r in ws.merged_cells.ranges),
        "validations": sorted((str(dv.sqref), dv.type, dv.formula1) for dv in ws.data_validations.dataValidation),
        "widths": {k: d.width for k, d in ws.column_dimensions.items()},
        "print": (ws.page_setup.orientation, ws.page_setup.paperSize, ws.page_setup.fitToWidth,
                  ws.page_setup.fitToHeight, ws.print_title_rows, ws.freeze_panes),
    }


@pytest.mark.parametrize("source", [NAN, PUTUO], ids=["template", "official"])
def test_copy_changes_only_the_marked_cells(source: Path, tmp_path: Path) -> None:
    before = _digest(source)
    out = tmp_path / "批注"
    assert main(["check", str(source), "--annotate", str(out), "-q", "--annotate-all"]) in (0, 1)
    assert _digest(source) == before, "the input must stay byte-identical"
    copy = out / (source.stem + ".检查结果.xlsx")
    original, annotated = load_workbook(source), load_workbook(copy)
    assert annotated.sheetnames == ["检查结果", *original.sheetnames]
    assert annotated.active is not None and annotated.active.title == "检查结果"
    marked = set()
    for ws in original.worksheets:
        new = annotated[ws.title]
        # the same sheet, printed one page wide (on A4 when the input named no paper, across the page when it is
        # wide), comments after it
        printed = _sheet_state(ws)
        orientation, paper, _, _, titles, frozen = printed["print"]
        wide = sum(d.width or 8.43 for d in ws.column_dimensions.values()) > 110
        turned = orientation or ("landscape" if wide and paper is None else None)
        printed["print"] = (turned, paper or 9, 1, 0, titles, frozen)
        assert _sheet_state(new) == printed
        for row in ws.iter_rows():
            for cell in row:
                if new[cell.coordinate].comment is not None and cell.comment is None:
                    marked.add((ws.title, cell.coordinate))
                    assert new[cell.coordinate].value == cell.value
                    continue
                assert _cell_state(new, cell.coordinate) == _cell_state(ws, cell.coordinate), cell.coordinate
    # The cells that changed are exactly the cells of the findings (each finding with a cell).
    from jixiao.check.runner import run
    from jixiao.profile import load_profile

    (result,) = run([source], load_profile()).workbooks
    assert marked == {(f.sheet, f.cell) for f in result.findings if f.sheet and f.cell}


def test_nan_county_copy_marks_the_maintenance_rate(tmp_path: Path) -> None:
    assert main(["check", str(NAN), "--annotate", str(tmp_path), "-q"]) == 1
    wb = load_workbook(tmp_path / (NAN.stem + ".检查结果.xlsx"))
    cell = wb["绩效指标"]["H7"]
    assert cell.fill.fgColor.rgb.endswith("FFC7CE")  # an error: red
    assert cell.comment is not None and "I005" in cell.comment.text and "应为：14.7" in cell.comment.text
    results = wb["检查结果"]
    rows = [[c.value for c in r] for r in results.iter_rows()]
    (line,) = [r for r in rows if r[0] == "I005"]
    assert line[2] == "绩效指标!H7" and line[4:6] == [14.7, 15]
    link = next(c for r in results.iter_rows() for c in r if c.value == "绩效指标!H7")
    assert link.hyperlink is not None and link.hyperlink.location == "'绩效指标'!H7"
    assert ["总分", None, 99, 98.7, None, None] in rows


def test_xls_input_gets_an_xlsx_copy_that_says_so(tmp_path: Path) -> None:
    before = _digest(EZHOU)
    assert main(["check", str(EZHOU), "--annotate", str(tmp_path), "-q"]) == 1
    assert _digest(EZHOU) == before
    wb = load_workbook(tmp_path / (EZHOU.name + ".检查结果.xlsx"))  # the .xls suffix kept in the name
    texts = [c.value for r in wb["检查结果"].iter_rows() for c in r if isinstance(c.value, str)]
    assert any("原文件为 .xls 格式" in t for t in texts)
    sheet = wb["项目支出绩效自评表"]
    assert sheet["H17"].comment is not None and "I006" in sheet["H17"].comment.text
    assert "B14:B17" in {str(r) for r in sheet.merged_cells.ranges}  # merged ranges kept


def test_clean_workbook_gets_a_copy_only_when_asked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(CLEAN), "--annotate", str(tmp_path / "a")]) == 0
    assert not (tmp_path / "a").exists() or not list((tmp_path / "a").iterdir())
    assert "未写出副本" in capsys.readouterr().err  # a status line, not part of the report
    assert main(["check", str(CLEAN), "--annotate", str(tmp_path / "b"), "--annotate-all", "-q"]) == 0
    wb = load_workbook(tmp_path / "b" / (CLEAN.stem + ".检查结果.xlsx"))
    assert "未发现问题" in [c.value for r in wb["检查结果"].iter_rows() for c in r]


def test_copies_mirror_the_folders_and_are_not_checked_again(tmp_path: Path) -> None:
    box = tmp_path / "收到的"
    for agency in ("甲单位", "乙单位"):
        (box / agency).mkdir(parents=True)
        shutil.copy(NAN, box / agency / "项目支出绩效自评表.xlsx")
    assert main(["check", str(box), "--annotate", str(box), "-q"]) == 1
    copies = sorted(p.relative_to(box).as_posix() for p in box.rglob("*.检查结果.xlsx"))
    assert copies == ["乙单位/项目支出绩效自评表.检查结果.xlsx", "甲单位/项目支出绩效自评表.检查结果.xlsx"]
    out = tmp_path / "r.json"
    main(["check", str(box), "--json", str(out), "-q"])
    assert out.read_text("utf-8").count("检查结果.xlsx") == 0  # a copy in the folder is not a submission


def test_four_tables_marked_in_one_copy(tmp_path: Path) -> None:
    from tests.conftest import ROOT

    source = ROOT / "tests" / "fixtures" / "official" / "four_tables.xls"
    assert main(["check", str(source), "--annotate", str(tmp_path), "-q"]) == 1
    wb = load_workbook(tmp_path / "four_tables.xls.检查结果.xlsx")
    headings = [c.value for r in wb["检查结果"].iter_rows() for c in r
                if isinstance(c.value, str) and c.value.startswith("工作表“")]
    assert headings == ["工作表“科技兴警专项”", "工作表“学生营养改善计划”", "工作表“基本公共卫生服务”",
                        "工作表“农村公路养护”"]
    assert wb["科技兴警专项"]["H19"].comment is not None


def test_same_name_in_three_formats_gives_three_copies(tmp_path: Path) -> None:
    from tests.conftest import ROOT

    official = ROOT / "tests" / "fixtures" / "official"
    box = tmp_path / "in"
    box.mkdir()
    for suffix in (".xlsx", ".xls", ".ods"):
        shutil.copy(official / f"nan_county_official{suffix}", box / f"南县{suffix}")
    assert main(["check", str(box), "--annotate", str(tmp_path / "out"), "-q"]) == 1
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted([
        "南县.检查结果.xlsx", "南县.ods.检查结果.xlsx", "南县.xls.检查结果.xlsx"])
