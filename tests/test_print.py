"""On paper: the annotated copies and the summary printed by LibreOffice (A4), read back with poppler's pdftotext.

Clerks print the 检查结果 sheet, stamp it and attach it; officers print the worklist. Every finding's whole text
and every file's name must be on the paper, the tables one page wide at a readable size. Skips (saying why) where
LibreOffice or pdftotext is missing; with CI=true that is a failure, since .ci/run installs them.
"""

from __future__ import annotations

import json
import re
import shutil
import statistics
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from jixiao.cli import main
from tests.conftest import SAMPLES
from tests.system_tools import in_order, required

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOTEXT = shutil.which("pdftotext")
MISSING = None if SOFFICE and PDFTOTEXT else \
    "LibreOffice 或 pdftotext 未安装（Debian：apt-get install libreoffice-calc-nogui poppler-utils）"
pytestmark = required(MISSING, "打印测试")


def _pdf(files: list[Path], out: Path, profile: Path) -> dict[str, Path]:
    """Each file printed to PDF by LibreOffice (as a clerk's “导出为 PDF” does): name → PDF."""
    assert SOFFICE is not None
    for _attempt in range(2):  # a new LibreOffice profile's first start sometimes converts nothing
        subprocess.run([SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                        "--outdir", str(out), *map(str, files)], capture_output=True, timeout=240, check=False)
        if all((out / f"{f.stem}.pdf").is_file() for f in files):
            break
    return {f.name: out / f"{f.stem}.pdf" for f in files}


def _text(pdf: Path, first: int | None = None, last: int | None = None) -> str:
    assert PDFTOTEXT is not None
    pages = [*(["-f", str(first)] if first else []), *(["-l", str(last)] if last else [])]
    return subprocess.run([PDFTOTEXT, "-layout", *pages, str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout


def _flat(text: str) -> str:
    return "".join(text.split())


def _word_heights(pdf: Path, page: int) -> list[float]:
    """The heights (pt) of the words printed on ``page``: how big the text is on paper."""
    assert PDFTOTEXT is not None
    html = subprocess.run([PDFTOTEXT, "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    return [float(b) - float(a) for a, b in re.findall(r'yMin="([\d.]+)"[^>]*yMax="([\d.]+)"', html)]


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[dict[str, Any], dict[str, Path], Path]]:
    tmp = tmp_path_factory.mktemp("print")
    assert main(["check", str(SAMPLES), "--annotate", str(tmp / "copies"), "--summary", str(tmp / "汇总.xlsx"),
                 "--json", str(tmp / "r.json"), "-q"]) == 1
    report = json.loads((tmp / "r.json").read_text("utf-8"))
    files = [*sorted((tmp / "copies").glob("*.xlsx")), tmp / "汇总.xlsx"]
    yield report, _pdf(files, tmp / "pdf", tmp / "lo"), tmp


def test_every_samples_result_sheet_prints_whole(printed: tuple[dict[str, Any], dict[str, Path], Path]) -> None:
    """The 检查结果 sheet of each annotated copy: the file's whole name, every finding's whole text, one page wide
    (the 实际 column on the page of the 代码 column), at a readable size."""
    report, pdfs, _tmp = printed
    copies = [name for name in pdfs if name != "汇总.xlsx"]
    assert len(copies) == 6
    for w in report["workbooks"]:
        if not w["findings"]:
            continue
        name = Path(w["path"]).name
        (copy,) = [c for c in copies if c.startswith(f"{Path(name).stem}.")]
        first = _text(pdfs[copy], 1, 1)
        assert "jixiao检查结果" in _flat(first) and _flat(name) in _flat(first)
        assert re.search(r"代码\s+级别\s+位置\s+问题\s+应为\s+实际", first), first[:2000]
        whole = _flat(_text(pdfs[copy]))
        for f in w["findings"]:
            assert in_order(_flat(f["message"]), whole), (copy, f["message"])
        assert statistics.median(_word_heights(pdfs[copy], 1)) >= 6.0  # points: not shrunk to fit


def test_the_summary_prints_every_file_and_finding(printed: tuple[dict[str, Any], dict[str, Path], Path]) -> None:
    """汇总 and 问题明细: every file's name and every finding's whole text on paper, each sheet one page wide (the
    last column on the page of the first), at a readable size."""
    report, pdfs, _tmp = printed
    pdf = pdfs["汇总.xlsx"]
    text = _text(pdf)
    flat = _flat(text)
    for w in report["workbooks"]:
        assert in_order(_flat(Path(w["path"]).name), flat), w["path"]
        for f in w["findings"]:
            assert in_order(_flat(f["message"]), flat), f["message"]
    pages = text.split("\f")
    summary = next(i for i, p in enumerate(pages) if "重算总分" in p)
    details = next(i for i, p in enumerate(pages) if "处理意见" in p)
    assert "状态" in pages[summary] and "相对路径" in pages[details]  # the first and last columns, one page wide
    for page in (summary, details):
        assert statistics.median(_word_heights(pdf, page + 1)) >= 5.5, page
