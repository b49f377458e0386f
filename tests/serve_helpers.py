"""Start the real ``jixiao serve`` (uvicorn, worker processes) on a free loopback port, and talk HTTP to it."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
NAN = SAMPLES / "01_南县公安局_科技兴警专项.xlsx"
EZHOU = SAMPLES / "07_鄂州市财政局_购买第三方服务.xls"
TOKEN = "officer-token-for-tests-0123"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    """A running server: its address, process and folders."""

    url: str
    proc: subprocess.Popen[str]
    data: Path
    inbox: Path | None
    log: Path

    def log_text(self) -> str:
        """What the server has written to its log so far."""
        return self.log.read_text("utf-8")

    def checks(self) -> list[Path]:
        """The check folders the server holds now."""
        root = self.data / "checks"
        return sorted(root.iterdir()) if root.is_dir() else []


@contextlib.contextmanager
def running(tmp: Path, *extra: str, inbox: bool = True, env: dict[str, str] | None = None) -> Iterator[Server]:
    """``jixiao serve`` in a process of its own, until the block ends (``env``: more environment variables)."""
    port = free_port()
    data = tmp / "data"
    args = [sys.executable, "-m", "jixiao", "serve", "--host", "127.0.0.1", "--port", str(port), "--data", str(data),
            *extra]
    box = None
    if inbox:
        box = tmp / "inbox"
        token_file = tmp / "token.txt"
        token_file.write_text(TOKEN, "utf-8")
        args += ["--inbox", str(box), "--officer-token-file", str(token_file)]
    environ = {**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})}
    log = (tmp / "server.log").open("w", encoding="utf-8")  # what the server writes: its log, read by tests
    proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, text=True, env=environ, cwd=tmp)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                raise AssertionError(f"jixiao serve exited: {(tmp / 'server.log').read_text('utf-8')}")
            with contextlib.suppress(OSError), urllib.request.urlopen(f"{url}/healthz", timeout=2) as r:
                if r.status == 200:
                    break
            if time.monotonic() > deadline:
                raise AssertionError("jixiao serve did not start within 60 s")
            time.sleep(0.1)
        yield Server(url, proc, data, box, tmp / "server.log")
    finally:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
        log.close()


@dataclass
class Reply:
    """An HTTP response, read whole."""

    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def request(url: str, data: bytes | None = None, headers: dict[str, str] | None = None,
            method: str | None = None) -> Reply:
    """One request, redirects not followed; HTTP errors are replies too."""
    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with _OPENER.open(req, timeout=120) as r:
            return Reply(r.status, {k.lower(): v for k, v in r.headers.items()}, r.read())
    except urllib.error.HTTPError as exc:
        return Reply(exc.code, {k.lower(): v for k, v in exc.headers.items()}, exc.read())


def multipart(filename: str, content: bytes, field: str = "file") -> tuple[bytes, dict[str, str]]:
    """A multipart/form-data body holding one file, as a browser sends it."""
    boundary = uuid.uuid4().hex
    quoted = filename.replace('"', "%22")
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{quoted}\"\r\n"
            "Content-Type: application/octet-stream\r\n\r\n").encode() + content + f"\r\n--{boundary}--\r\n".encode()
    return body, {"Content-Type": f"multipart/form-data; boundary={boundary}"}


def upload(server: Server, path: Path | None = None, name: str | None = None, content: bytes | None = None) -> Reply:
    """POST a file to /check (the redirect is not followed)."""
    data = content if content is not None else (path.read_bytes() if path else b"")
    body, headers = multipart(name or (path.name if path else "x.xlsx"), data)
    return request(f"{server.url}/check", body, headers)


def check(server: Server, path: Path | None = None, name: str | None = None,
          content: bytes | None = None) -> tuple[str, Reply]:
    """Upload and open the result page: (its path /r/<token>, the page)."""
    reply = upload(server, path, name, content)
    assert reply.status == 303, (reply.status, reply.text[:500])
    location = reply.headers["location"]
    return location, request(f"{server.url}{location}")
