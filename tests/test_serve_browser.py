"""``jixiao serve`` in a real browser: Debian's headless Chromium driven by Selenium through chromium-driver.

The clerk's path: open the page, choose the workbook, press 检查, read the finding and the re-score on the
result page, download the annotated copy. Also the official .xls with JavaScript off, a file that cannot
be read, and a phone-width screen. Skips (saying why) where Chromium or its driver is missing; with CI=true
that is a failure, since .ci/run installs them. Set JIXIAO_SCREENSHOTS=DIR to keep the screenshots.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.serve_helpers import EZHOU, NAN, Server, running
from tests.system_tools import in_order, required

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")


def _missing() -> str | None:
    if CHROMIUM is None or DRIVER is None:
        return "Chromium 或 chromium-driver 未安装（Debian：apt-get install chromium chromium-driver）"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium 未安装（pip install '.[test]'）"
    return None


MISSING = _missing()
pytestmark = required(MISSING, "浏览器测试")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with running(tmp_path_factory.mktemp("browser"), "--jobs", "1") as srv:
        yield srv


def _browser(tmp: Path, downloads: Path, javascript: bool = True, width: int = 1280) -> object:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    assert CHROMIUM is not None and DRIVER is not None
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", f"--user-data-dir={tmp / 'profile'}", f"--window-size={width},1600"):
        options.add_argument(arg)
    prefs: dict[str, object] = {"download.default_directory": str(downloads), "download.prompt_for_download": False}
    if not javascript:
        prefs["profile.managed_default_content_settings.javascript"] = 2
    options.add_experimental_option("prefs", prefs)
    return webdriver.Chrome(service=Service(DRIVER), options=options)


def _keep(driver: object, name: str, tmp: Path) -> Path:
    shot = tmp / name
    driver.save_screenshot(str(shot))  # type: ignore[attr-defined]
    keep = os.environ.get("JIXIAO_SCREENSHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(keep) / name)
    return shot


def _check(driver: object, url: str, path: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(url)  # type: ignore[attr-defined]
    driver.find_element(By.ID, "file").send_keys(str(path))  # type: ignore[attr-defined]
    driver.find_element(By.CSS_SELECTOR, "form.upload button").click()  # type: ignore[attr-defined]
    WebDriverWait(driver, 60).until(ec.title_contains("检查结果"))  # type: ignore[arg-type]


def _wait_for_file(folder: Path, suffix: str) -> Path:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        done = [p for p in folder.glob(f"*{suffix}") if not p.name.endswith(".crdownload")]
        if done:
            return done[0]
        time.sleep(0.2)
    raise AssertionError(f"nothing downloaded into {folder}: {list(folder.iterdir())}")


def test_a_clerk_checks_the_nan_county_sample(server: Server, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    downloads = tmp_path / "downloads"
    downloads.mkdir()
    driver = _browser(tmp_path, downloads)
    try:
        _check(driver, server.url, NAN)
        headline = driver.find_element(By.CSS_SELECTOR, "p.headline").text  # type: ignore[attr-defined]
        assert headline == "有 1 个错误"
        total = driver.find_element(By.CSS_SELECTOR, "p.total").text  # type: ignore[attr-defined]
        assert "自评 99 → 重算 98.7" in total
        rows = driver.find_elements(By.CSS_SELECTOR, "table.findings tbody tr")  # type: ignore[attr-defined]
        cells = [[td.text for td in row.find_elements(By.TAG_NAME, "td")] for row in rows]
        assert cells == [["I005", "错误", "绩效指标!H7", cells[0][3], "14.7", "15", "改为 14.7"]]
        assert "后续运维到位率" in cells[0][3]
        _keep(driver, "serve-result.png", tmp_path)
        driver.find_element(By.PARTIAL_LINK_TEXT, "带批注的副本").click()  # type: ignore[attr-defined]
        copy = _wait_for_file(downloads, ".xlsx")
        assert copy.name == "01_南县公安局_科技兴警专项.检查结果.xlsx"
        book = load_workbook(copy)
        assert book.sheetnames[0] == "检查结果" and "14.7" in book["绩效指标"]["H7"].comment.text
        driver.find_element(By.LINK_TEXT, "I005").click()  # type: ignore[attr-defined]
        assert "定量指标多计分" in driver.find_element(By.TAG_NAME, "pre").text  # type: ignore[attr-defined]
    finally:
        driver.quit()  # type: ignore[attr-defined]


def test_the_official_xls_without_javascript_and_a_file_that_cannot_be_read(server: Server, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    driver = _browser(tmp_path, tmp_path, javascript=False)
    try:
        _check(driver, server.url, EZHOU)
        assert driver.find_element(By.CSS_SELECTOR, "p.headline").text == "有 2 个错误"  # type: ignore[attr-defined]
        page = driver.find_element(By.TAG_NAME, "main").text  # type: ignore[attr-defined]
        assert "T002" in page and "预算执行率与各三级指标分值合计 110 分" in page
        bad = tmp_path / "坏文件.xlsx"
        bad.write_bytes(b"this is not a workbook")
        _check(driver, server.url, bad)
        assert driver.find_element(By.CSS_SELECTOR, "p.headline").text == "无法读取"  # type: ignore[attr-defined]
        assert "文件已损坏或不是 Excel 工作簿" in driver.find_element(By.TAG_NAME, "main").text  # type: ignore[attr-defined]
        _keep(driver, "serve-unreadable.png", tmp_path)
    finally:
        driver.quit()  # type: ignore[attr-defined]


def test_readable_on_a_phone_width_screen(server: Server, tmp_path: Path) -> None:
    driver = _browser(tmp_path, tmp_path, width=390)
    try:
        _check(driver, server.url, NAN)
        # The page itself never scrolls sideways: the findings table scrolls in its own box, its columns kept
        # whole (the code and the level on one line each, not one character a line).
        wide = driver.execute_script(  # type: ignore[attr-defined]
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert wide <= 1, wide
        box = driver.execute_script(  # type: ignore[attr-defined]
            "const b = document.querySelector('table.findings').parentElement;"
            "return [b.scrollWidth, b.clientWidth, getComputedStyle(b).overflowX];")
        assert box[0] > box[1] and box[2] == "auto", box
        heights = driver.execute_script(  # type: ignore[attr-defined]
            "const c = document.querySelector('table.findings td.code'), l = document.querySelector("
            "'table.findings td.level'); const line = parseFloat(getComputedStyle(c).lineHeight);"
            "return [c.clientHeight / line, l.clientHeight / line];")
        assert all(h < 2.5 for h in heights), heights  # one line (with the cell's padding)
        heads = driver.execute_script(  # type: ignore[attr-defined]  # a head's lines: one box per line of its text
            "return [...document.querySelectorAll('table.findings thead th')].slice(0, 2).map(th => {"
            "const r = document.createRange(); r.selectNodeContents(th); "
            "return new Set([...r.getClientRects()].map(b => Math.round(b.top))).size; });")
        assert heads == [1, 1], heads  # 代码 and 级别 on one line each
        _keep(driver, "serve-narrow.png", tmp_path)
    finally:
        driver.quit()  # type: ignore[attr-defined]


PDFTOTEXT = shutil.which("pdftotext")


def test_the_printed_result_is_a_result_sheet_to_attach(server: Server, tmp_path: Path) -> None:
    """Printed by Chromium (--print-to-pdf, A4): every finding whole, the file's SHA-256 (as the receipt and the
    inbox show it), the time, the version and the profile, and no button or link text."""
    import hashlib
    import json
    import subprocess

    from tests.serve_helpers import check, request

    if PDFTOTEXT is None:
        if os.environ.get("CI", "").lower() == "true":
            raise AssertionError("pdftotext 未安装（poppler-utils）：CI 中不能跳过")
        pytest.skip("pdftotext 未安装（Debian：apt-get install poppler-utils）")  # the others need only Chromium
    location, _page = check(server, EZHOU)
    report = json.loads(request(f"{server.url}{location}/json").text)
    pdf = tmp_path / "result.pdf"
    assert CHROMIUM is not None
    subprocess.run([CHROMIUM, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                    f"--user-data-dir={tmp_path / 'profile'}", "--no-pdf-header-footer", f"--print-to-pdf={pdf}",
                    f"{server.url}{location}"], check=True, capture_output=True, timeout=120)
    text = subprocess.run([PDFTOTEXT, "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    flat = "".join(text.split())
    assert hashlib.sha256(EZHOU.read_bytes()).hexdigest() in flat
    assert "自查结果单" in flat and f"jixiao{report['version']}" in flat and "".join(report["started"].split()) in flat
    assert "".join(report["profile_title"].split()) in flat
    findings = [f for w in report["workbooks"] for f in w["findings"]]
    assert len(findings) >= 5
    for f in findings:  # whole: every character, in order (a wrapped cell's lines come between its neighbours')
        assert in_order("".join(f["message"].split()), flat), f["message"]
    for button in ("下载带批注的副本", "下载检查结果", "提交给财政局", "检查另一个文件", "全部检查规则"):
        assert button not in flat, button
    keep = os.environ.get("JIXIAO_SCREENSHOTS")
    if keep:
        shutil.copy(pdf, Path(keep) / "serve-printed.pdf")
