"""The web application of ``jixiao serve`` (Starlette on uvicorn): one more front end over the same check.

    GET  /                     the upload form
    POST /check                stream the upload (capped), check it in a worker, then 303 → /r/<token>
    GET  /r/<token>            the result: verdict, scorecard, findings, downloads (and 提交 with an inbox)
    GET  /r/<token>/copy       the annotated copy (as ``--annotate`` writes it)
    GET  /r/<token>/json       the JSON report (docs/json-report.md)
    POST /r/<token>/submit     store the exact uploaded bytes in the inbox; 303 → the receipt
    GET  /r/<token>/receipt    the receipt (SHA-256, time, the findings at submission)
    GET  /rules, /rules/<code> the rule texts (``jixiao rules``)
    GET  /s/<key>              the agency's page of its submission: status, a return's note, every version,
                               and the form to send a corrected version (the key is on the receipt)
    GET  /officer              the bureau's submissions, one row each at its latest version, with its status
    GET  /officer/s/<number>   one submission: versions, what the latest changed, the log, the review form
    POST /officer/s/<number>/review   set 已提交 / 已退回 (with a note) / 已通过 (officer's token and CSRF token)
    GET  /officer/summary.xlsx the batch summary over the inbox (as ``jixiao check INBOX/ --summary``)

Nothing here checks or scores: uploads go to the worker pool (serve/pool.py), which runs the same check and
reporters as the command line; the pages show the JSON report. Every response carries the security headers;
an error is a Chinese page, never a trace.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import dataclasses
import hashlib
import hmac
import json
import logging
import secrets
import time
import traceback
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from jixiao.check.batch import Options
from jixiao.config import Settings as FolderSettings
from jixiao.findings import Report, WorkbookResult
from jixiao.inbox import Case, Inbox, InboxError
from jixiao.incidents import Incident
from jixiao.outputs import copy_path
from jixiao.profile import Profile
from jixiao.serve import pages
from jixiao.serve.pool import Busy, LivePool
from jixiao.serve.store import CELLS, RESULT, SUFFIXES, Entry, Store, shown_name

log = logging.getLogger("jixiao.serve")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

CSP = ("default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; form-action 'self'; "
       "frame-ancestors 'none'; base-uri 'none'")
SECURITY_HEADERS = [(b"content-security-policy", CSP.encode()), (b"x-content-type-options", b"nosniff"),
                    (b"x-frame-options", b"DENY"), (b"referrer-policy", b"no-referrer"),
                    (b"cross-origin-opener-policy", b"same-origin")]
MULTIPART_SLACK = 64 * 1024  # the form's own bytes around the file (boundaries, part headers)
_SUFFIX_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")


@dataclass(frozen=True)
class Settings:
    """How the server runs (from the command line)."""

    profile: Profile
    options: Options
    data: Path
    inbox: Path | None = None
    settings: FolderSettings | None = None  # the inbox folder's jixiao.toml (its [[accept]] list)
    officer_token: str | None = None
    max_bytes: int = 20 * 1024 * 1024
    keep_seconds: float = 3600.0
    waiting: int = 32
    check_seconds: float = 300.0  # a request never waits longer than this for its check


class SecurityHeaders:
    """Adds the security headers to every response (pure ASGI: no body buffering)."""

    def __init__(self, app: Callable[[Scope, Receive, Send], Awaitable[None]]) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = str(scope.get("path", "")).startswith("/static/")
        request_id = secrets.token_hex(4)  # in every log line of this request and on its error page
        scope.setdefault("state", {})["request_id"] = request_id

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [h for h in message.get("headers", []) if h[0].lower() != b"cache-control"]
                headers += SECURITY_HEADERS
                headers.append((b"x-request-id", request_id.encode()))
                headers.append((b"cache-control", b"public, max-age=3600" if static else b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


class _TooLarge(Exception):
    """The upload passed the size cap while it was streaming in."""


def _html(body: str, status: int = 200, headers: dict[str, str] | None = None) -> HTMLResponse:
    return HTMLResponse(body, status_code=status, headers=headers)


def _error(title: str, message: str, status: int, headers: dict[str, str] | None = None) -> HTMLResponse:
    return _html(pages.error_page(title, message), status, headers)


def _suffix(name: str) -> str:
    """The upload's suffix as stored: the client's extension when it is a short plain one (the reader then
    gives the command line's reason for a format it does not read), else none."""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return f".{ext}" if 0 < len(ext) <= 8 and set(ext) <= _SUFFIX_CHARS else ""


def create_app(settings: Settings, pool: LivePool) -> Starlette:
    """The application; ``pool`` is started and stopped by the caller."""
    store = Store(settings.data / "checks", settings.keep_seconds)
    inbox = Inbox(settings.inbox) if settings.inbox is not None else None
    max_mb = settings.max_bytes / 1024 / 1024
    submitting = asyncio.Lock()  # one submission at a time: a copy of at most max_bytes, and pressed twice is one

    async def index(request: Request) -> Response:
        return _html(pages.index(max_mb, settings.keep_seconds / 60, inbox is not None, settings.profile.title))

    async def check(request: Request) -> Response:
        too_large = _error("文件过大", f"文件超过 {max_mb:g} MB，未检查。自评表一般只有几十 KB，请确认选对了文件。", 413,
                           {"connection": "close"})
        length = request.headers.get("content-length", "")
        if length.isdigit() and int(length) > settings.max_bytes + MULTIPART_SLACK:
            return too_large  # refused before a byte of the body is read
        if not request.headers.get("content-type", "").startswith("multipart/form-data"):
            return _error("没有收到文件", "请在页面上选择一个工作簿再点“检查”。", 400)
        received = 0
        inner = request.receive

        async def limited() -> Message:  # the cap is enforced while streaming, not after
            nonlocal received
            message = await inner()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > settings.max_bytes + MULTIPART_SLACK:
                    raise _TooLarge
            return message

        try:
            form = await Request(request.scope, limited).form(max_files=1, max_fields=4, max_part_size=64 * 1024)
        except _TooLarge:
            return too_large
        except (MultiPartException, HTTPException):  # Starlette turns a malformed body into an English 400
            return _error("没有收到文件", "上传的内容不完整或格式不对，请重新选择文件。", 400)
        try:
            upload = form.get("file")
            if not isinstance(upload, UploadFile) or not upload.filename:
                return _error("没有收到文件", "请在页面上选择一个工作簿再点“检查”。", 400)
            quoted = form.get("revises")
            revises = None
            if inbox is not None and isinstance(quoted, str) and quoted.strip():
                try:  # a corrected version of a submission: said before the file is checked
                    revises = (await run_in_threadpool(inbox.revisable, quoted)).number
                except InboxError as exc:
                    return _error("不能作为新版本提交", str(exc), 400)
            name = shown_name(upload.filename)
            entry = store.new(name, _suffix(name))
            try:
                size, digest = await run_in_threadpool(_save, upload, entry.upload, settings.max_bytes)
            except _TooLarge:
                store.remove(entry.folder)
                return too_large
        finally:
            await form.close()
        entry = store.update(entry, size=size, sha256=digest, revises=revises)
        try:
            future = pool.submit(entry.upload)
        except Busy:
            store.remove(entry.folder)
            return _error("服务器正忙", "现在检查的人太多，请过一两分钟再试。", 503, {"retry-after": "30"})
        try:
            results = await asyncio.wait_for(asyncio.wrap_future(future), settings.check_seconds)
        except TimeoutError:
            results = [WorkbookResult(str(entry.upload), "unreadable", error="超出处理上限（等待检查超时），未检查")]
        request_id = _request_id(request)
        _log_incidents(request_id, name, results)
        entry = store.update(entry, request=request_id)
        await run_in_threadpool(_settle, entry, results, settings, inbox is not None, store)
        return RedirectResponse(f"/r/{entry.token}", status_code=303)

    def entry_of(request: Request) -> Entry:
        entry = store.get(str(request.path_params["token"]))
        if entry is None:
            raise HTTPException(404, "检查结果不存在或已过期（结果只保留一段时间），请重新上传检查。")
        return entry

    def submittable(entry: Entry, report: dict[str, Any]) -> bool:
        """Whether this check's upload may go to the inbox: still on the server, of a format jixiao reads, and
        read (a file no one could check is not a submission)."""
        workbooks = report.get("workbooks") or []
        return (inbox is not None and entry.upload.is_file() and entry.meta.get("suffix") in SUFFIXES
                and bool(workbooks) and all(w.get("status") != "unreadable" for w in workbooks))

    async def result(request: Request) -> Response:
        entry = entry_of(request)
        report = entry.result() or {"workbooks": []}
        receipt = inbox.find(entry.meta["receipt"]) if inbox and entry.meta.get("receipt") else None
        revises = None
        if inbox is not None and entry.meta.get("revises") and receipt is None:
            case = await run_in_threadpool(inbox.case, entry.meta["revises"])
            revises = {"number": case.number, "version": case.latest.version + 1} if case else None
        return _html(pages.result(entry.token, entry.meta["name"], report, entry.copy() is not None,
                                  submittable(entry, report), dataclasses.asdict(receipt) if receipt else None,
                                  entry.meta.get("request") or _request_id(request), entry.meta.get("sha256"),
                                  revises))

    async def copy(request: Request) -> Response:
        entry = entry_of(request)
        path = entry.copy()
        if path is None:
            raise HTTPException(404, "这个文件没有能读出的表，没有带批注的副本。")
        kind = "wordprocessingml.document" if path.suffix == ".docx" else "spreadsheetml.sheet"
        return FileResponse(path, filename=copy_path(entry.meta["name"], Path("."), Path(".")).name,
                            media_type=f"application/vnd.openxmlformats-officedocument.{kind}")

    async def json_report(request: Request) -> Response:
        entry = entry_of(request)
        path = entry.out / RESULT
        if not path.is_file():
            raise HTTPException(404, "检查还没有结果。")
        stem = entry.meta["name"].rsplit(".", 1)[0]
        return FileResponse(path, filename=f"{stem}.检查结果.json", media_type="application/json")

    async def submit(request: Request) -> Response:
        if inbox is None:
            raise HTTPException(404, "本服务器没有开通提交。")
        async with submitting:
            entry = entry_of(request)
            if not entry.meta.get("receipt"):
                if not entry.upload.is_file():
                    raise HTTPException(404, "上传的文件已不在服务器上，请重新上传检查后再提交。")
                report = entry.result() or {}
                if not submittable(entry, report):
                    return _error("不能提交", "这个文件没有读出自评表，不能提交。请按页面上的原因修改后重新上传检查。", 400)
                number = f"{time.strftime('%Y%m%d')}-{secrets.token_hex(8).upper()}"  # 64 random bits
                cells_file = entry.folder / CELLS
                cells = json.loads(cells_file.read_text("utf-8")) if cells_file.is_file() else None
                try:
                    await run_in_threadpool(inbox.submit, entry.upload, entry.meta["name"], entry.meta["suffix"],
                                            report, number, entry.meta.get("revises"), cells)
                except InboxError as exc:  # passed by the officer since the check
                    return _error("不能提交", str(exc), 400)
                entry = store.update(entry, receipt=number)
                store.drop_upload(entry)  # the bytes are in the inbox now
        return RedirectResponse(f"/r/{entry.token}/receipt", status_code=303)

    async def receipt(request: Request) -> Response:
        entry = entry_of(request)
        found = inbox.find(entry.meta["receipt"]) if inbox and entry.meta.get("receipt") else None
        if found is None:
            raise HTTPException(404, "这次检查还没有提交。")
        case = await run_in_threadpool(inbox.case, found.receipt) if inbox else None
        assert case is not None
        return _html(pages.receipt_page(entry.token, dataclasses.asdict(found), _case_dict(case)))

    async def status(request: Request) -> Response:
        case = await run_in_threadpool(inbox.case_by_key, str(request.path_params["key"])) if inbox else None
        if case is None:
            raise HTTPException(404, "没有这个提交（请用提交回执上的“状态页”链接）。")
        return _html(pages.status_page(_case_dict(case), max_mb))

    async def rules(request: Request) -> Response:
        from jixiao.rules.registry import load_rules

        return _html(pages.rules_page((r.code, r.severity.label, r.summary) for r in load_rules().values()))

    async def rule(request: Request) -> Response:
        from jixiao.errors import JixiaoError
        from jixiao.rules.docs import rule_text

        code = str(request.path_params["code"])
        try:
            return _html(pages.rule_page(code, rule_text(code, plain=True)))
        except JixiaoError as exc:
            raise HTTPException(404, str(exc)) from None

    def officer_allowed(request: Request) -> bool:
        if inbox is None or not settings.officer_token:
            raise HTTPException(404, "本服务器没有开通收件箱。")
        auth = request.headers.get("authorization", "")
        given = ""
        scheme, _, credentials = auth.strip().partition(" ")
        if scheme.lower() == "bearer":  # the scheme is case-insensitive (RFC 9110 §11.1)
            given = credentials.strip()
        elif scheme.lower() == "basic":
            with contextlib.suppress(binascii.Error, UnicodeDecodeError):
                given = base64.b64decode(credentials.strip(), validate=True).decode("utf-8").partition(":")[2]
        return hmac.compare_digest(given.encode(), settings.officer_token.encode())

    refused = {"www-authenticate": 'Basic realm="jixiao", charset="UTF-8"'}

    async def officer(request: Request) -> Response:
        if not officer_allowed(request):
            return _error("需要登录", "收件箱只对财政局经办人开放：请输入启动服务时设定的口令（用户名任意）。", 401, refused)
        assert inbox is not None
        cases = await run_in_threadpool(inbox.cases)
        return _html(pages.officer_page([_case_dict(c) for c in cases]))

    def csrf_for(number: str) -> str:
        """The review form's token for submission ``number``: made from the officer's token, so only a page the
        officer was shown carries it (a form on another site cannot)."""
        assert settings.officer_token is not None
        return hmac.new(settings.officer_token.encode(), f"review:{number}".encode(), hashlib.sha256).hexdigest()

    async def officer_case(request: Request) -> Response:
        if not officer_allowed(request):
            return _error("需要登录", "收件箱只对财政局经办人开放：请输入启动服务时设定的口令（用户名任意）。", 401, refused)
        assert inbox is not None
        number = str(request.path_params["number"])
        case = await run_in_threadpool(inbox.case, number)
        if case is None or case.number != number:
            raise HTTPException(404, "没有这个提交。")
        diff = await run_in_threadpool(_diff, inbox, case)
        return _html(pages.officer_case(_case_dict(case), diff, csrf_for(number)))

    async def review(request: Request) -> Response:
        if not officer_allowed(request):
            return _error("需要登录", "收件箱只对财政局经办人开放：请输入启动服务时设定的口令（用户名任意）。", 401, refused)
        assert inbox is not None
        number = str(request.path_params["number"])
        try:
            form = await request.form(max_files=0, max_fields=4, max_part_size=16 * 1024)
        except (MultiPartException, HTTPException):
            return _error("请求被拒绝", "提交的内容不完整，请回到经办人页面重新操作。", 400)
        given = str(form.get("csrf") or "")
        if not hmac.compare_digest(given.encode(), csrf_for(number).encode()):
            return _error("请求被拒绝", "页面已过期或不是从经办人页面提交的，请回到经办人页面重新操作。", 403)
        try:
            shown = str(form.get("version") or "")
            await run_in_threadpool(inbox.review, number, str(form.get("state") or ""), str(form.get("note") or ""),
                                    int(shown) if shown.isdigit() else None)
        except InboxError as exc:
            return _error("未能保存", str(exc), 400)
        return RedirectResponse(f"/officer/s/{number}", status_code=303)

    async def summary(request: Request) -> Response:
        if not officer_allowed(request):
            return _error("需要登录", "收件箱只对财政局经办人开放：请输入启动服务时设定的口令（用户名任意）。", 401, refused)
        assert settings.inbox is not None
        from jixiao.pipeline import OutputPlan, write_outputs

        report = await _inbox_report(settings, pool)
        target = settings.data / f"summary-{secrets.token_hex(8)}.xlsx"
        written = await run_in_threadpool(write_outputs, report, OutputPlan(summary=target))
        _log_incidents(_request_id(request), "收件箱", report.workbooks, report.failures)
        if target not in written.files:
            return _error("汇总未能生成", f"汇总工作簿未能生成（请求编号 {_request_id(request)}）。请稍后再试；如果一再出现，"
                                    "请把请求编号告诉维护 jixiao 的同事，他们可以据此查到详细记录。", 500)
        return FileResponse(target, filename=f"收件箱汇总_{time.strftime('%Y%m%d-%H%M%S')}.xlsx",
                            background=BackgroundTask(target.unlink, missing_ok=True))

    async def not_found(request: Request, exc: Exception) -> Response:
        status = getattr(exc, "status_code", 404)
        detail = getattr(exc, "detail", "")
        if status == 405:
            return _error("请求方式不对", "请从页面上的按钮或链接进入。", 405)
        message = detail if isinstance(detail, str) and detail and detail != "Not Found" else "没有这个页面。"
        return _error("找不到", message, status)

    async def server_error(request: Request, exc: Exception) -> Response:
        request_id = _request_id(request)
        log.error("请求 %s：%s %s\n%s", request_id, request.method, request.url.path,
                  "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))
        return _error("服务器出错", f"服务器处理这个请求时出错（请求编号 {request_id}）。请稍后再试一次；"
                                 "如果一再出现，请把请求编号告诉财政局，他们可以据此查到出错的详细记录。", 500)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async def janitor() -> None:
            while True:
                await asyncio.sleep(min(60.0, max(1.0, settings.keep_seconds / 4)))
                with contextlib.suppress(Exception):
                    await run_in_threadpool(store.expire)

        task = asyncio.create_task(janitor())
        try:
            yield
        finally:
            task.cancel()

    static = Path(__file__).parent / "static"
    routes = [
        Route("/", index), Route("/check", check, methods=["POST"]),
        Route("/r/{token}", result), Route("/r/{token}/copy", copy), Route("/r/{token}/json", json_report),
        Route("/r/{token}/submit", submit, methods=["POST"]), Route("/r/{token}/receipt", receipt),
        Route("/rules", rules), Route("/rules/{code}", rule),
        Route("/s/{key}", status),
        Route("/officer", officer), Route("/officer/summary.xlsx", summary),
        Route("/officer/s/{number}", officer_case), Route("/officer/s/{number}/review", review, methods=["POST"]),
        Route("/healthz", lambda request: Response("ok", media_type="text/plain")),
        Mount("/static", StaticFiles(directory=static), name="static"),
    ]
    app = Starlette(routes=routes, exception_handlers={HTTPException: not_found, 404: not_found,
                                                       Exception: server_error}, lifespan=lifespan)
    app.add_middleware(SecurityHeaders)
    return app


def _case_dict(case: Case) -> dict[str, Any]:
    """A submission as the pages show it: its versions and log, its status, note and latest version."""
    return {**dataclasses.asdict(case), "state": case.state, "note": case.note,
            "latest": dataclasses.asdict(case.latest)}


def _diff(inbox: Inbox, case: Case) -> dict[str, Any] | None:
    """The latest version against the one before (None for a first version): jixiao/versions.py compares them."""
    from jixiao.versions import compare

    if len(case.versions) < 2:
        return None
    before, after = case.versions[-2], case.versions[-1]
    return compare(inbox.cells(before.receipt), inbox.cells(after.receipt), before.findings, after.findings)


def _request_id(request: Request) -> str:
    """This request's number (the security middleware gives each request one)."""
    return str(request.scope.get("state", {}).get("request_id", "-"))


def _log_incidents(request_id: str, name: str, results: list[WorkbookResult],
                   failures: Sequence[Incident] = ()) -> None:
    """Every step that failed in a check, with its trace, in the server's log under the request's number and
    the incident's own (the page shows both; it never shows the trace)."""
    items = [(result.path, item) for result in results for item in result.incidents] + [(name, f) for f in failures]
    for source, item in items:
        log.error("请求 %s：%s（%s）的“%s”未能完成（编号 %s）：%s\n%s", request_id, name, source, item.stage, item.ref,
                  item.message, item.detail.rstrip() or "（没有更多信息）")


def _save(upload: UploadFile, target: Path, cap: int) -> tuple[int, str]:
    """Copy the upload's bytes to ``target``; its size and SHA-256 (_TooLarge past ``cap``)."""
    digest, size = hashlib.sha256(), 0
    upload.file.seek(0)
    with target.open("xb") as out:
        for block in iter(lambda: upload.file.read(1 << 16), b""):
            size += len(block)
            if size > cap:
                raise _TooLarge
            digest.update(block)
            out.write(block)
    return size, digest.hexdigest()


def _settle(entry: Entry, results: list[WorkbookResult], settings: Settings, keep_upload: bool, store: Store) -> None:
    """After the check: a result the worker could not write (it passed a budget and was ended) is written
    here from what the pool said; the upload is removed unless the deployment may submit it."""
    from jixiao.serve.jobs import write_json

    if not (entry.out / RESULT).is_file():
        write_json(entry.folder, [dataclasses.replace(r, path=str(entry.upload)) for r in results],
                   settings.profile, settings.options)
    if not keep_upload:
        store.drop_upload(entry)


async def _inbox_report(settings: Settings, pool: LivePool) -> Report:
    """The batch report over the inbox folder, as ``jixiao check INBOX/`` makes it: the one pipeline over the same
    files, with the server's workers checking them."""
    from jixiao.check.discover import find_inputs
    from jixiao.pipeline import run

    assert settings.inbox is not None
    found = await run_in_threadpool(find_inputs, [settings.inbox])
    return await run_in_threadpool(lambda: run(found.files, settings.profile, settings.options,
                                               settings.options.targets, settings.settings, executor=pool.executor,
                                               skipped=found.skipped, submissions=found.submissions,
                                               superseded=found.superseded))
