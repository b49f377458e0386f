"""``jixiao serve`` over HTTP: the real server (uvicorn and its worker processes) on a loopback port.

The page gives what the command line gives (findings, annotated copy, JSON); every point of the security
section of issue 17 is one test here: the upload cap while streaming, the per-file budget (the worker ends,
the server lives), the temporary place, unguessable expiring links, agencies kept apart, client file names
never paths, workbook text escaped, the security headers, no trace on any page, the officer's token, and
the 503 past the waiting line.
"""

from __future__ import annotations

import base64
import concurrent.futures
import hashlib
import json
import re
import socket
import sqlite3
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook

from jixiao.cli import main
from tests.serve_helpers import EZHOU, NAN, ROOT, TOKEN, Server, check, request, running, upload

HTML_INJECTION = ROOT / "tests" / "fixtures" / "serve" / "html_injection.xlsx"
CAP_MB = 3


def _slow_workbook(path: Path) -> Path:
    """A legal workbook that takes a worker about 1.5 s (3,800 rows × 150 numbers): over a 1 s budget."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = wb.add_worksheet("项目支出绩效自评表")
    ws.write_row(0, 0, ["项目名称", "x", "年度资金总额", "全年预算数", "全年执行数", "一级指标", "二级指标", "三级指标"])
    for r in range(1, 3800):
        ws.write_row(r, 0, [r * 1000 + c + 0.5 for c in range(150)])
    wb.close()
    return path


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with running(tmp_path_factory.mktemp("serve"), "--jobs", "2", "--max-upload", str(CAP_MB),
                 "--file-seconds", "1") as srv:
        yield srv


@pytest.fixture(scope="module")
def slow(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _slow_workbook(tmp_path_factory.mktemp("slow") / "慢.xlsx")


def _token(location: str) -> str:
    match = re.fullmatch(r"/r/([A-Za-z0-9_-]{43})", location)
    assert match, location
    return match.group(1)


def _members(path: Path) -> dict[str, bytes]:
    """An .xlsx's parts, except the one that holds the time it was written."""
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist() if n != "docProps/core.xml"}


def test_nan_county_page_copy_and_json_are_the_command_line_s(server: Server, tmp_path: Path) -> None:
    location, page = check(server, NAN)
    assert page.status == 200
    assert "有 1 个错误" in page.text and "绩效指标!H7" in page.text and ">14.7<" in page.text
    assert re.search(r"自评 <b class=\"claimed\">99</b> → 重算 <b class=\"recomputed\">98.7</b>", page.text)
    assert '<a href="/rules/I005">I005</a>' in page.text and "改为 14.7" in page.text
    copy = request(f"{server.url}{location}/copy")
    assert copy.status == 200 and "attachment" in copy.headers["content-disposition"]
    (tmp_path / "page.xlsx").write_bytes(copy.body)
    # The command line on the same file: the same copy (but for its timestamp), the same JSON findings.
    out = tmp_path / "cli"
    assert main(["check", str(NAN), "--annotate", str(out), "--annotate-all", "--json", str(tmp_path / "r.json"),
                 "-q"]) == 1
    (cli_copy,) = out.glob("*.xlsx")
    assert _members(tmp_path / "page.xlsx") == _members(cli_copy)
    assert load_workbook(tmp_path / "page.xlsx")["绩效指标"]["H7"].comment is not None
    page_json = json.loads(request(f"{server.url}{location}/json").body)
    cli_json = json.loads((tmp_path / "r.json").read_text("utf-8"))
    (mine,), (theirs,) = page_json["workbooks"], cli_json["workbooks"]
    assert mine["path"] == NAN.name and theirs["path"] == str(NAN)
    assert {k: v for k, v in mine.items() if k != "path"} == {k: v for k, v in theirs.items() if k != "path"}


def test_an_official_xls_and_files_that_cannot_be_read(server: Server, tmp_path: Path) -> None:
    _, page = check(server, EZHOU)
    assert "有 2 个错误" in page.text and "T002" in page.text and "13.33" in page.text
    # a 自评报告 (.docx) too: the same finding, its copy a Word document with the comment
    location, page = check(server, ROOT / "tests" / "fixtures" / "reports" / "R00_hunan_nanxian_kejixingjing.docx")
    assert "表2!F3" in page.text and ">14.7<" in page.text
    copy = request(f"{server.url}{location}/copy")
    assert copy.headers["content-type"].endswith("wordprocessingml.document") and copy.body[:2] == b"PK"
    # What the command line says of a file it cannot read, the page says too.
    bad = tmp_path / "坏.xlsx"
    bad.write_bytes(b"not a workbook at all")
    assert main(["check", str(bad), "--json", str(tmp_path / "bad.json"), "-q"]) == 1
    reason = json.loads((tmp_path / "bad.json").read_text("utf-8"))["workbooks"][0]["error"]
    _, page = check(server, bad)
    assert "无法读取" in page.text and reason in page.text and "/copy" not in page.text
    _, page = check(server, name="说明.pdf", content=b"%PDF-1.4")
    assert "PDF 文件不读取" in page.text and "另存为 .docx" in page.text


def test_the_upload_cap_is_enforced_while_streaming(server: Server) -> None:
    before = server.checks()
    # A declared length over the cap is refused before any of the body is read.
    reply = request(f"{server.url}/check", b"x" * 10, {"Content-Type": "multipart/form-data; boundary=b",
                                                         "Content-Length": str((CAP_MB + 1) * 1024 * 1024)})
    assert reply.status == 413 and "文件过大" in reply.text
    # A chunked upload (no length given) is cut off once it passes the cap, long before it ends.
    host, port = server.url.removeprefix("http://").split(":")
    sent = 0
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        sock.sendall(b"POST /check HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\n"
                     b"Transfer-Encoding: chunked\r\n\r\n")
        head = b'--b\r\nContent-Disposition: form-data; name="file"; filename="big.xlsx"\r\n\r\n'
        chunk = b"%x\r\n%s\r\n" % (len(head), head)
        block = b"0" * 65536
        try:
            sock.sendall(chunk)
            for _ in range(200):  # up to 12.5 MB: four times the cap
                sock.sendall(b"%x\r\n%s\r\n" % (len(block), block))
                sent += len(block)
        except OSError:  # the server answered and closed: it read no further
            pass
        answer = b""
        while b"\r\n\r\n" not in answer:
            data = sock.recv(65536)
            if not data:
                break
            answer += data
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert sent < 12 * 1024 * 1024
    assert server.checks() == before  # nothing of it was kept


def test_a_workbook_over_its_budget_ends_its_worker_and_the_server_lives(server: Server, slow: Path) -> None:
    _, page = check(server, slow)
    assert "超出处理上限（处理时间超过 1 秒）" in page.text
    _, page = check(server, NAN)  # the next upload is checked by a fresh worker
    assert "绩效指标!H7" in page.text


def test_uploads_are_kept_only_until_checked_unless_submitted(server: Server, tmp_path: Path) -> None:
    with running(tmp_path, inbox=False) as plain:
        location, _ = check(plain, NAN)
        folder = plain.data / "checks" / _token(location)
        assert folder.is_dir() and not (folder / "upload").exists()  # checked: the upload is gone
        assert sorted(p.name for p in (folder / "out").iterdir()) == ["result.json", "upload.检查结果.xlsx"]
    assert not plain.data.exists() or not list((plain.data / "checks").rglob("upload.xlsx"))
    # With an inbox the upload waits for 提交 in its check's folder, then goes into the inbox.
    location, page = check(server, NAN)
    folder = server.data / "checks" / _token(location)
    assert (folder / "upload" / "upload.xlsx").read_bytes() == NAN.read_bytes()
    assert "提交给财政局" in page.text
    reply = request(f"{server.url}{location}/submit", b"", method="POST")
    assert reply.status == 303 and reply.headers["location"] == f"{location}/receipt"
    assert not (folder / "upload").exists()


def test_results_expire_and_tokens_are_unguessable(server: Server) -> None:
    first, _ = check(server, NAN)
    second, _ = check(server, NAN)
    assert first != second and len(_token(first)) == len(_token(second)) == 43
    for bad in ("/r/" + "A" * 43, "/r/short", "/r/..%2F..%2Fetc%2Fpasswd", "/r/%2e%2e/copy", "/r/" + "A" * 43 + "/json"):
        reply = request(f"{server.url}{bad}")
        assert reply.status == 404 and ("不存在或已过期" in reply.text or "没有这个页面" in reply.text), bad
    folder = server.data / "checks" / _token(first)
    meta = json.loads((folder / "meta.json").read_text("utf-8"))
    meta["expires"] = time.time() - 1
    (folder / "meta.json").write_text(json.dumps(meta), "utf-8")
    assert request(f"{server.url}{first}").status == 404
    assert not folder.exists()  # an expired check is removed, not just hidden
    assert request(f"{server.url}{second}").status == 200


def test_one_agency_never_sees_another_s_check(server: Server, tmp_path: Path) -> None:
    a, page_a = check(server, NAN, name="甲单位.xlsx")
    b, page_b = check(server, EZHOU, name="乙单位.xls")
    assert "甲单位" in page_a.text and "乙单位" not in page_a.text and "科技兴警" in page_a.text
    assert "乙单位" in page_b.text and "科技兴警" not in page_b.text
    copy_a = request(f"{server.url}{a}/copy").body
    copy_b = request(f"{server.url}{b}/copy").body
    assert copy_a != copy_b
    for page in (request(f"{server.url}/").text, page_a.text):
        assert _token(b) not in page  # nothing lists or links another check
    assert request(f"{server.url}/r").status == 404 and request(f"{server.url}/r/").status == 404


def test_client_file_names_are_never_paths(server: Server) -> None:
    for name in ("../../逃出.xlsx", "..\\..\\逃出.xlsx", "/etc/passwd.xlsx", "C:\\Windows\\win.xlsx", "a\x00b.xlsx"):
        location, page = check(server, NAN, name=name)
        folder = server.data / "checks" / _token(location)
        assert sorted(p.name for p in (folder / "upload").iterdir()) == ["upload.xlsx"]
        assert "../" not in page.text.split("<h1>")[1].split("</h1>")[0]
    assert not list(server.data.parent.rglob("逃出*")) and not list(Path("/").glob("逃出*"))


def test_workbook_text_is_escaped(server: Server) -> None:
    _, page = check(server, HTML_INJECTION)
    html = page.text
    assert "<script>alert" not in html and "<img src=x" not in html and "<b>表" not in html
    assert "&lt;script&gt;alert(&#x27;项目&#x27;)&lt;/script&gt;" in html
    assert "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in html and "&lt;b&gt;表&lt;i&gt;" in html
    assert 'href="javascript' not in html.lower() and "javascript:alert(document.cookie)" in html
    assert re.findall(r"<script[^>]*>", html) == ['<script src="/static/drop.js">']  # no inline script
    assert "I005" in html  # the over-scored row whose name is the injection is reported, as text


def test_every_response_carries_the_security_headers(server: Server) -> None:
    location, _ = check(server, NAN)
    for path in ("/", location, f"{location}/json", "/rules/I005", "/nowhere", "/static/style.css", "/officer"):
        reply = request(f"{server.url}{path}")
        csp = reply.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert reply.headers["x-content-type-options"] == "nosniff" and reply.headers["referrer-policy"] == "no-referrer"
    assert request(f"{server.url}{location}").headers["cache-control"] == "no-store"


def test_no_trace_ever_reaches_a_page(server: Server) -> None:
    location, _ = check(server, NAN)
    folder = server.data / "checks" / _token(location)
    (folder / "meta.json").write_text('{"expires": "never"}', "utf-8")  # a damaged record: the handler errs
    for reply in (request(f"{server.url}{location}"),
                  request(f"{server.url}/check", b"--x\r\nbroken", {"Content-Type": "multipart/form-data; boundary=x"}),
                  request(f"{server.url}/check", b"a=1", {"Content-Type": "application/x-www-form-urlencoded"}),
                  request(f"{server.url}/rules/ZZZZ"), request(f"{server.url}/", b"", method="POST")):
        assert reply.status in (400, 404, 405, 500), reply.status
        assert "Traceback" not in reply.text and 'File "' not in reply.text and "Error" not in reply.text
        assert "<h1>" in reply.text and re.search(r"[\u4e00-\u9fff]", reply.text)
    assert request(f"{server.url}{location}").status == 500


def _basic(password: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"经办人:{password}".encode()).decode()}


def test_submission_receipt_index_and_the_officer_view(server: Server, tmp_path: Path) -> None:
    assert server.inbox is not None
    location, _ = check(server, EZHOU, name="鄂州.xls")
    assert request(f"{server.url}{location}/submit", b"", method="POST").status == 303
    again = request(f"{server.url}{location}/submit", b"", method="POST")  # pressed twice: one submission
    assert again.status == 303
    receipt = request(f"{server.url}{location}/receipt").text
    digest = hashlib.sha256(EZHOU.read_bytes()).hexdigest()
    assert digest in receipt and "T002" in receipt and "鄂州.xls" in receipt
    stored = [p for p in server.inbox.rglob("*.xls")]
    assert len([p for p in stored if hashlib.sha256(p.read_bytes()).hexdigest() == digest]) == 1
    (mine,) = [p for p in stored if hashlib.sha256(p.read_bytes()).hexdigest() == digest]
    assert mine.parent.name == "市财政局" and re.fullmatch(r"购买第三方服务_\d{8}-\d{6}_[0-9a-f]{8}\.xls", mine.name)
    with sqlite3.connect(server.inbox / "jixiao-inbox.sqlite") as db:
        rows = db.execute("SELECT sha256, status, errors, original_name FROM submissions WHERE sha256 = ?",
                          (digest,)).fetchall()
    assert rows == [(digest, "errors", 2, "鄂州.xls")]
    # The officer's view: refused without the token or with a wrong one, open with it.
    assert request(f"{server.url}/officer").status == 401
    assert request(f"{server.url}/officer", headers=_basic("guess-guess-guess")).status == 401
    assert request(f"{server.url}/officer/summary.xlsx").status == 401
    page = request(f"{server.url}/officer", headers=_basic(TOKEN))
    assert page.status == 200 and "购买第三方服务" in page.text and digest[:16] in page.text
    for scheme in ("Bearer", "bearer", "BEARER"):  # the scheme is case-insensitive
        assert request(f"{server.url}/officer", headers={"Authorization": f"{scheme} {TOKEN}"}).status == 200
    # The summary over the inbox is the one `jixiao check INBOX/ --summary` writes.
    summary = request(f"{server.url}/officer/summary.xlsx", headers=_basic(TOKEN))
    assert summary.status == 200
    (tmp_path / "page.xlsx").write_bytes(summary.body)
    main(["check", str(server.inbox), "--summary", str(tmp_path / "cli.xlsx"), "-q"])
    page_wb, cli_wb = load_workbook(tmp_path / "page.xlsx"), load_workbook(tmp_path / "cli.xlsx")
    assert page_wb.sheetnames == cli_wb.sheetnames
    for name in ("汇总", "问题明细", "规则统计"):
        assert [[c.value for c in row] for row in page_wb[name].iter_rows()] == \
               [[c.value for c in row] for row in cli_wb[name].iter_rows()], name


def test_a_malformed_upload_is_refused_in_chinese(server: Server) -> None:
    for body, kind in ((b"--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.xlsx\"\r\n\r\nabc",
                        "multipart/form-data; boundary=x"),  # never closed
                       (b"abc", "multipart/form-data"),  # no boundary: Starlette's own English 400 otherwise
                       (b"--x\r\n" + b"Content-Disposition: form-data; name=\"f\"\r\n\r\n" + b"v" * 70_000 + b"\r\n--x--\r\n",
                        "multipart/form-data; boundary=x")):  # a field past the part cap
        reply = request(f"{server.url}/check", body, {"Content-Type": kind})
        assert reply.status == 400, (reply.status, reply.text[:300])
        assert "上传的内容不完整或格式不对" in reply.text or "请在页面上选择一个工作簿" in reply.text, reply.text[:300]
        assert not re.search(r"[A-Z][a-z]+ [a-z]+ (in|of|for) ", reply.text), reply.text  # no English sentence


def test_only_a_read_table_can_be_submitted_and_twice_at_once_is_once(server: Server) -> None:
    assert server.inbox is not None
    location, page = check(server, name="报告.pdf", content=b"%PDF-1.4 not a table")
    assert "无法读取" in page.text and "/submit" not in page.text
    refused = request(f"{server.url}{location}/submit", b"", method="POST")
    assert refused.status == 400 and "不能提交" in refused.text
    assert not list(server.inbox.rglob("*.pdf"))
    location, _ = check(server, NAN, name="同时提交.xlsx")
    with concurrent.futures.ThreadPoolExecutor(6) as pool:
        replies = list(pool.map(lambda _: request(f"{server.url}{location}/submit", b"", method="POST"), range(6)))
    assert [r.status for r in replies] == [303] * 6
    with sqlite3.connect(server.inbox / "jixiao-inbox.sqlite") as db:
        count = db.execute("SELECT COUNT(*) FROM submissions").fetchone()[0]
        rows = db.execute("SELECT file FROM submissions WHERE original_name = '同时提交.xlsx'").fetchall()
    assert len(rows) == 1 and (server.inbox / rows[0][0]).is_file()
    files = [p for p in server.inbox.rglob("*") if p.is_file() and p.name != "jixiao-inbox.sqlite"]
    assert len(files) == count  # one stored file per submission, none left half-written


def test_past_the_waiting_line_a_clear_503(tmp_path: Path, slow: Path) -> None:
    with running(tmp_path, "--jobs", "1", "--queue", "1", "--file-seconds", "2", inbox=False) as srv:
        with concurrent.futures.ThreadPoolExecutor(4) as pool:
            replies = list(pool.map(lambda _: upload(srv, slow), range(4)))
        statuses = sorted(r.status for r in replies)
        assert statuses.count(303) >= 2 and 503 in statuses, statuses
        busy = next(r for r in replies if r.status == 503)
        assert "服务器正忙" in busy.text and busy.headers["retry-after"] == "30"
        _, page = check(srv, NAN)  # and afterwards it checks as before
        assert "绩效指标!H7" in page.text
