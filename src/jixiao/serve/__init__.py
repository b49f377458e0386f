"""``jixiao serve``: the self-check page a finance bureau hosts for its agencies.

A real web server (uvicorn, Starlette): the page takes a workbook, the server's worker processes run the
same check and reporters as ``jixiao check`` (app.py, pool.py, jobs.py), results live in expiring folders
reachable only by an unguessable link (store.py), and with ``--inbox`` an agency may submit the checked
file to the bureau (inbox.py). docs/serve.md says how to deploy it and what is kept where, for how long.
"""

from __future__ import annotations

import contextlib
import secrets
import shutil
import socket
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from jixiao.errors import JixiaoError


@dataclass(frozen=True)
class ServeOptions:
    """What ``jixiao serve`` was asked for."""

    host: str = "127.0.0.1"
    port: int = 8000
    profile: str | None = None
    year: int | None = None
    data: Path | None = None
    inbox: Path | None = None
    officer_token_file: Path | None = None
    jobs: int = 1
    waiting: int = 32
    max_mb: float = 20.0
    keep_minutes: float = 60.0
    file_seconds: float | None = None
    worker_memory_mb: int | None = None
    targets: tuple[Path, ...] = ()  # --targets: approved target tables every upload is compared with


MIN_TOKEN = 12


def _officer_token(opts: ServeOptions) -> tuple[str | None, bool]:
    """The officer's token: from the file given, else one made now (and printed once); None without an inbox."""
    import os

    if opts.inbox is None:
        return None, False
    if opts.officer_token_file is not None:
        try:
            token = opts.officer_token_file.read_text("utf-8").strip()
        except OSError as exc:
            raise JixiaoError(f"无法读取口令文件 {opts.officer_token_file}：{exc.strerror or exc}") from None
    else:
        token = os.environ.get("JIXIAO_OFFICER_TOKEN", "").strip()
    if token:
        if len(token) < MIN_TOKEN:
            raise JixiaoError(f"收件箱口令太短：至少 {MIN_TOKEN} 个字符")
        return token, False
    return secrets.token_urlsafe(18), True


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise JixiaoError(f"无法在 {host}:{port} 上启动：{exc.strerror or exc}（端口被占用或地址不对，用 --port 换一个端口）") from None
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def _log_to_stderr() -> None:
    """The server's own log (errors with their request numbers) to standard error, with the time."""
    import logging

    logger = logging.getLogger("jixiao")
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False


def serve(opts: ServeOptions) -> int:
    """Run the server until Ctrl-C / SIGTERM."""
    from functools import partial

    import uvicorn

    from jixiao import config
    from jixiao.check.batch import Options
    from jixiao.parse.targets import targets_for_run
    from jixiao.profile import load_profile
    from jixiao.serve.app import Settings, create_app
    from jixiao.serve.jobs import check_uploads
    from jixiao.serve.pool import LivePool

    _log_to_stderr()
    # The settings file a check of the inbox folder (or, without one, of this folder) would find: its profile,
    # year, rule selection, targets and [[accept]] list apply to every check the server runs, as on the command
    # line (options given to ``jixiao serve`` take precedence).
    folder = config.find([str(opts.inbox if opts.inbox is not None else Path.cwd())])
    profile_path = opts.profile if opts.profile is not None else folder.profile
    profile = load_profile(profile_path)
    targets = targets_for_run(list(opts.targets) or ([folder.targets] if folder.targets else []), profile)
    token, made = _officer_token(opts)
    memory = opts.worker_memory_mb * 1024 * 1024 if opts.worker_memory_mb else None
    # facts: a report and its workbook in the inbox are compared (R001), as ``jixiao check INBOX/`` does.
    options = Options(jobs=opts.jobs, select=folder.select, ignore=folder.ignore,
                      year=opts.year if opts.year is not None else folder.year,
                      fixed_profile=profile_path is not None,
                      job=partial(check_uploads, settings=folder, inbox=opts.inbox),
                      file_seconds=opts.file_seconds, memory_bytes=memory, targets=targets, facts=True)
    sock = _bind(opts.host, opts.port)
    temporary = opts.data is None
    data = Path(tempfile.mkdtemp(prefix="jixiao-serve-")) if opts.data is None else opts.data
    data.mkdir(parents=True, exist_ok=True)
    settings = Settings(profile, options, data, opts.inbox, folder, token, int(opts.max_mb * 1024 * 1024),
                        opts.keep_minutes * 60, opts.waiting)
    pool = LivePool(profile, options, opts.waiting)
    try:
        pool.start()  # the fork server and the workers, before the web server has threads
        app = create_app(settings, pool)
        shown = f"[{opts.host}]" if ":" in opts.host else opts.host
        print(f"jixiao 自查页面已启动：http://{shown}:{sock.getsockname()[1]}/ （{opts.jobs} 个检查进程；Ctrl-C 停止）",
              flush=True)
        if opts.inbox is not None:
            print(f"收件箱：{opts.inbox}；经办人页面 /officer", flush=True)
            if made:
                print(f"本次启动的收件箱口令（用户名任意）：{token}", flush=True)
        server = uvicorn.Config(app, log_level="warning", access_log=False, server_header=False,
                                timeout_keep_alive=5, lifespan="on")
        uvicorn.Server(server).run(sockets=[sock])
    finally:
        pool.stop()
        with contextlib.suppress(OSError):
            sock.close()
        if temporary:
            shutil.rmtree(data, ignore_errors=True)
        sys.stdout.flush()
    return 0
