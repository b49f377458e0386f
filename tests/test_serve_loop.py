"""The officer's loop over HTTP (issue 26), against the real server: submit, return with a note, the agency sees
it on its receipt and status page, sends a corrected version, the officer sees the changed cells and the fixed
finding and passes it; the officer's summary (and ``jixiao check INBOX/``) counts the submission once, at its
latest version. The review form needs the officer's token and the page's CSRF token; an inbox written before
versions existed is upgraded in place, its records kept.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import sqlite3
import urllib.parse
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook

from jixiao.cli import main
from jixiao.inbox import Inbox, InboxError, latest_only
from tests.serve_helpers import NAN, ROOT, TOKEN, Reply, Server, request, running

OFFICER = {"Authorization": f"Bearer {TOKEN}"}
OLD_INBOX = ROOT / "tests" / "fixtures" / "inbox_v1"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with running(tmp_path_factory.mktemp("loop"), "--jobs", "1") as srv:
        yield srv


def _upload(server: Server, path: Path, revises: str | None = None) -> Reply:
    """POST /check as the page's form does: the file, and the receipt number quoted for a new version."""
    boundary = uuid.uuid4().hex
    body = b""
    if revises is not None:
        body += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"revises\"\r\n\r\n{revises}\r\n").encode()
    body += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{path.name}\"\r\n"
             "Content-Type: application/octet-stream\r\n\r\n").encode() + path.read_bytes()
    body += f"\r\n--{boundary}--\r\n".encode()
    return request(f"{server.url}/check", body, {"Content-Type": f"multipart/form-data; boundary={boundary}"})


def _submit(server: Server, path: Path, revises: str | None = None) -> tuple[str, str]:
    """Check and submit ``path``: (the receipt page, the result page before submitting)."""
    reply = _upload(server, path, revises)
    assert reply.status == 303, reply.text[:400]
    result = request(f"{server.url}{reply.headers['location']}").text
    submitted = request(f"{server.url}{reply.headers['location']}/submit", b"", method="POST")
    assert submitted.status == 303
    return request(f"{server.url}{submitted.headers['location']}").text, result


def _form(fields: dict[str, str]) -> tuple[bytes, dict[str, str]]:
    return urllib.parse.urlencode(fields).encode(), {"Content-Type": "application/x-www-form-urlencoded"}


def _text(page: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def _corrected(tmp: Path) -> Path:
    """The Nan County sample as the agency corrects it: 后续运维到位率 98% of 100% scores 14.7, not 15 (I005),
    and the 效益指标 and total lines follow."""
    wb = load_workbook(NAN)
    wb["绩效指标"]["H7"] = 14.7
    wb["得分汇总"]["C4"] = 28.7
    wb["得分汇总"]["C6"] = 98.7
    wb["基本信息"]["B12"] = "优"
    out = tmp / "01_南县公安局_科技兴警专项（修改后）.xlsx"
    wb.save(out)
    return out


def test_submit_return_resubmit_and_pass(server: Server, tmp_path: Path) -> None:
    assert server.inbox is not None
    receipt, _ = _submit(server, NAN)
    number = re.search(r"提交编号</th><td>([0-9]{8}-[0-9A-F]{16})", receipt)
    key = re.search(r'href="/s/([A-Za-z0-9_-]{32})"', receipt)
    assert number and key, receipt[:2000]
    number_, key_ = number.group(1), key.group(1)
    assert "审核状态：<b>已提交</b>" in receipt and "第 1 版" in receipt

    # The officer's list: one row, 已提交; the review form carries a CSRF token made from the officer's token.
    listed = request(f"{server.url}/officer", headers=OFFICER).text
    assert f"/officer/s/{number_}" in listed and "已提交 1" in listed
    page = request(f"{server.url}/officer/s/{number_}", headers=OFFICER)
    assert page.status == 200
    csrf = re.search(r'name="csrf" value="([0-9a-f]{64})"', page.text)
    assert csrf
    url = f"{server.url}/officer/s/{number_}/review"
    note = "“后续运维到位率”完成 98%，得分应为 14.7 分，请改正并相应修改效益指标得分和总分。"
    body, headers = _form({"csrf": csrf.group(1), "state": "已退回", "note": note})
    assert request(url, body, headers).status == 401  # no officer token
    assert request(url, body, {**headers, "Authorization": "Bearer wrong-token-000000"}).status == 401
    forged, fh = _form({"csrf": "0" * 64, "state": "已退回", "note": note})
    assert request(url, forged, {**fh, **OFFICER}).status == 403  # a form from elsewhere has no valid CSRF token
    empty, eh = _form({"csrf": csrf.group(1), "state": "已退回", "note": " "})
    refused = request(url, empty, {**eh, **OFFICER})
    assert refused.status == 400 and "退回时请写明" in refused.text
    done = request(url, body, {**headers, **OFFICER})
    assert done.status == 303 and done.headers["location"] == f"/officer/s/{number_}"

    # The agency sees the return and its note, on the status page (lasting) as on the receipt.
    status = request(f"{server.url}/s/{key_}").text
    assert "审核状态：<b>已退回</b>" in status and html.escape(note, quote=True) in status
    assert 'name="revises"' in status  # the form for a corrected version
    assert request(f"{server.url}/s/{'x' * 32}").status == 404

    # A corrected version, quoting the receipt number: a new version of the same submission.
    fixed = _corrected(tmp_path)
    receipt2, result2 = _submit(server, fixed, revises=number_)
    assert f"作为提交 {number_} 的第 2 版提交给财政局" in result2
    assert "第 2 版" in receipt2 and "审核状态：<b>已提交</b>" in receipt2
    assert len([p for p in server.inbox.rglob("*.xlsx")]) == 2  # both versions kept, nothing overwritten

    # The officer sees what changed: the cells and the finding fixed.
    page2 = request(f"{server.url}/officer/s/{number_}", headers=OFFICER).text
    words = _text(page2)
    assert "第 2 版与第 1 版比较" in words
    assert re.search(r"绩效指标!H7\s+15\s+14\.7", words), words[:3000]
    assert re.search(r"得分汇总!C6\s+99\s+98\.7", words)
    assert "改动 4 个单元格；问题：改正 1 个，新出现 0 个，仍有 0 个" in words
    fixed_part = page2.split("已改正的问题", 1)[1].split("新出现的问题", 1)[0]
    assert "I005" in fixed_part and "绩效指标!H7" in fixed_part

    # Passed: the agency sees it, and no further version is taken.
    csrf2 = re.search(r'name="csrf" value="([0-9a-f]{64})"', page2)
    assert csrf2
    ok, oh = _form({"csrf": csrf2.group(1), "state": "已通过", "note": ""})
    assert request(url, ok, {**oh, **OFFICER}).status == 303
    status = request(f"{server.url}/s/{key_}").text
    assert "审核状态：<b>已通过</b>" in status and 'name="revises"' not in status
    late = _upload(server, fixed, revises=number_)
    assert late.status == 400 and "已经审核通过" in late.text
    unknown = _upload(server, fixed, revises="20260101-DEADBEEFDEADBEEF")
    assert unknown.status == 400 and "没有回执编号" in unknown.text

    # The officer's summary counts the submission once, at its latest version, and B001 does not fire.
    summary = request(f"{server.url}/officer/summary.xlsx", headers=OFFICER)
    assert summary.status == 200
    target = tmp_path / "汇总.xlsx"
    target.write_bytes(summary.body)
    ws = load_workbook(target)["汇总"]
    header = [c.value for c in ws[1]]
    rows = [dict(zip(header, r, strict=False)) for r in ws.iter_rows(min_row=2, values_only=True)]
    assert len(rows) == 1
    assert rows[0]["提交编号"] == number_ and rows[0]["版本"] == 2 and rows[0]["版本数"] == 2
    assert rows[0]["审核状态"] == "已通过" and rows[0]["错误数"] == 0
    details = load_workbook(target)["问题明细"]
    assert not any(r[6] == "B001" for r in details.iter_rows(min_row=2, values_only=True))

    # jixiao check INBOX/ does the same (the earlier version is said to be left out).
    out = tmp_path / "inbox.json"
    assert main(["check", str(server.inbox), "--json", str(out), "-q"]) == 0
    report = json.loads(out.read_text("utf-8"))
    assert [w["submission"]["version"] for w in report["workbooks"]] == [2]
    assert len(report["superseded"]) == 1 and not any(f["code"] == "B001" for w in report["workbooks"]
                                                      for f in w["findings"])


def test_an_inbox_of_the_earlier_version_is_upgraded_in_place(tmp_path: Path) -> None:
    """The fixture was written by jixiao before versions existed (tests/fixtures/inbox_v1/README.md): opened, its
    rows become first versions, each its own submission, 已提交, and it takes reviews and new versions."""
    box = tmp_path / "inbox"
    shutil.copytree(OLD_INBOX, box, ignore=shutil.ignore_patterns("README.md"))
    with sqlite3.connect(box / "jixiao-inbox.sqlite") as db:
        before = db.execute("SELECT receipt, file, sha256, findings FROM submissions ORDER BY id").fetchall()
        assert "number" not in {r[1] for r in db.execute("PRAGMA table_info(submissions)")}
    assert len(before) == 2
    # A check reads an old inbox without writing to it.
    files, superseded, places = latest_only(sorted(box.rglob("*.xls*")))
    assert len(files) == 2 and not superseded and {p.version for p in places.values()} == {1}
    with sqlite3.connect(box / "jixiao-inbox.sqlite") as db:
        assert "number" not in {r[1] for r in db.execute("PRAGMA table_info(submissions)")}

    inbox = Inbox(box)
    with sqlite3.connect(box / "jixiao-inbox.sqlite") as db:
        after = db.execute("SELECT receipt, file, sha256, findings FROM submissions ORDER BY id").fetchall()
        assert db.execute("PRAGMA user_version").fetchone()[0] == 2
    assert after == before
    cases = inbox.cases()
    assert sorted(c.number for c in cases) == sorted(r[0] for r in before)
    assert all(c.state == "已提交" and len(c.versions) == 1 and c.key for c in cases)
    first = cases[0]
    assert inbox.review(first.number, "已退回", "请补写偏差原因").state == "已退回"
    assert inbox.case(first.number).note == "请补写偏差原因"  # type: ignore[union-attr]
    Inbox(box)  # opened again: nothing to upgrade, nothing lost
    assert len(Inbox(box).cases()) == 2


def test_a_version_must_be_of_the_same_unit_and_kind_and_seen_before_it_is_judged(tmp_path: Path) -> None:
    inbox = Inbox(tmp_path / "inbox")
    upload = tmp_path / "a.xlsx"
    upload.write_bytes(NAN.read_bytes())

    def result(unit: str) -> dict[str, object]:
        return {"workbooks": [{"project": {"year": "2025", "unit": unit, "name": "科技兴警专项"}, "findings": [],
                               "errors": 0, "warnings": 0, "status": "clean"}]}

    first = inbox.submit(upload, "a.xlsx", ".xlsx", result("南县公安局"), "20261207-00000000000000A1")
    with pytest.raises(InboxError, match="不是同一份提交的新版本"):  # another unit quoting the receipt number
        inbox.submit(upload, "b.xlsx", ".xlsx", result("某县教育局"), "20261207-00000000000000B2", of=first.receipt)
    with pytest.raises(InboxError, match="同一种文件"):  # a 自评报告 is no version of a workbook
        inbox.submit(upload, "b.docx", ".docx", result("南县公安局"), "20261207-00000000000000B3", of=first.receipt)
    second = inbox.submit(upload, "b.xlsx", ".xlsx", result("南县 公安局"), "20261207-00000000000000B4",
                          of=first.receipt)
    assert (second.number, second.version) == (first.receipt, 2)
    with pytest.raises(InboxError, match="第 2 版"):  # the officer looked at version 1: not passed unseen
        inbox.review(first.receipt, "已通过", "", version=1)
    assert inbox.review(first.receipt, "已通过", "", version=2).state == "已通过"
    # The latest version's file gone from the folder: the one before is checked, not neither.
    (inbox.root / second.file).unlink()
    files, superseded, places = latest_only(sorted(inbox.root.rglob("*.xlsx")))
    assert [p.name for p in files] == [Path(first.file).name] and not superseded
    assert places[str(files[0])].version == 1


def test_an_upgrade_cut_short_finishes_when_the_inbox_is_next_opened(tmp_path: Path) -> None:
    box = tmp_path / "inbox"
    shutil.copytree(OLD_INBOX, box, ignore=shutil.ignore_patterns("README.md"))
    with sqlite3.connect(box / "jixiao-inbox.sqlite") as db:  # the first ALTER done, then the process stopped
        db.execute("ALTER TABLE submissions ADD COLUMN number TEXT")
    cases = Inbox(box).cases()
    assert len(cases) == 2 and all(c.versions[0].version == 1 and c.number == c.versions[0].receipt for c in cases)
