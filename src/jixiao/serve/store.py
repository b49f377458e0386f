"""Where ``jixiao serve`` keeps a check: one folder per upload, named by an unguessable token, that expires.

    DATA/checks/<token>/upload/upload.xlsx   the uploaded bytes (removed once checked, unless the
                                             deployment has an inbox: then kept until submitted or expired)
    DATA/checks/<token>/out/                 the annotated copy and result.json (the JSON report)
    DATA/checks/<token>/meta.json            the name the sender gave the file, size, SHA-256, times

The token is the only way to a check: nothing lists the folders, a token that is not one of ours is never
turned into a path, and a check's folder is removed when it expires. The client's file name is only shown,
never used as a path: the upload is stored as ``upload`` plus one of the known suffixes.
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jixiao.atomic import atomic_path

UPLOAD, OUT, META, RESULT, CELLS = "upload", "out", "meta.json", "result.json", "cells.json"
SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods", ".docx")  # what may be submitted to the inbox
_TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")
_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\]+")


def shown_name(raw: str | None) -> str:
    """The client's file name as it may be shown: its last part, without control characters, at most 120
    characters ("自评表.xlsx" when none). Only ever displayed (escaped), never used as a path."""
    name = (raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE.sub("", name).strip() or "自评表.xlsx"
    return name[-120:]


def is_upload(path: Path) -> bool:
    """Whether ``path`` is a check's stored upload (the worker then writes the check's outputs too)."""
    return path.parent.name == UPLOAD and (path.parent.parent / META).is_file()


@dataclass(frozen=True)
class Entry:
    """One check: its token, folder and what meta.json says."""

    token: str
    folder: Path
    meta: dict[str, Any]

    @property
    def upload(self) -> Path:
        """The stored upload."""
        return self.folder / UPLOAD / f"upload{self.meta['suffix']}"

    @property
    def out(self) -> Path:
        """The folder of the check's outputs."""
        return self.folder / OUT

    def result(self) -> dict[str, Any] | None:
        """The JSON report of the check (None until it is done)."""
        path = self.out / RESULT
        return json.loads(path.read_text("utf-8")) if path.is_file() else None

    def copy(self) -> Path | None:
        """The annotated copy, when one was written."""
        found = sorted(p for p in self.out.iterdir() if p.name != RESULT and p.suffix in (".xlsx", ".docx"))
        return found[0] if found else None


def write_meta(folder: Path, meta: dict[str, Any]) -> None:
    """meta.json, written atomically."""
    with atomic_path(folder / META) as tmp:
        tmp.write_text(json.dumps(meta, ensure_ascii=False), "utf-8")


class Store:
    """The checks of one server, under ``root`` (DATA/checks), each kept ``keep`` seconds."""

    def __init__(self, root: Path, keep: float) -> None:
        self.root = root
        self.keep = keep
        root.mkdir(parents=True, exist_ok=True, mode=0o700)

    def new(self, name: str, suffix: str) -> Entry:
        """A fresh check folder for an upload called ``name`` (shown only)."""
        token = secrets.token_urlsafe(32)
        folder = self.root / token
        (folder / UPLOAD).mkdir(parents=True, mode=0o700)
        (folder / OUT).mkdir(mode=0o700)
        now = time.time()
        meta = {"name": name, "suffix": suffix, "created": now, "expires": now + self.keep}
        write_meta(folder, meta)
        return Entry(token, folder, meta)

    def get(self, token: str) -> Entry | None:
        """The check of ``token``; None for anything else (a malformed token is never made a path)."""
        if not _TOKEN.fullmatch(token):
            return None
        folder = self.root / token
        try:
            meta = json.loads((folder / META).read_text("utf-8"))
        except (OSError, ValueError):
            return None
        if meta.get("expires", 0) < time.time():
            self.remove(folder)
            return None
        return Entry(token, folder, meta)

    def update(self, entry: Entry, **changes: Any) -> Entry:
        """The entry with ``changes`` written to its meta.json."""
        meta = {**entry.meta, **changes}
        write_meta(entry.folder, meta)
        return Entry(entry.token, entry.folder, meta)

    def drop_upload(self, entry: Entry) -> None:
        """Remove the stored upload (checked, not to be submitted)."""
        shutil.rmtree(entry.folder / UPLOAD, ignore_errors=True)

    def remove(self, folder: Path) -> None:
        """Remove a check's folder."""
        shutil.rmtree(folder, ignore_errors=True)

    def expire(self) -> int:
        """Remove every check past its time (and folders without a readable meta.json older than ``keep``)."""
        removed, now = 0, time.time()
        for folder in self.root.iterdir():
            try:
                meta = json.loads((folder / META).read_text("utf-8"))
                expires = float(meta.get("expires", 0))
            except (OSError, ValueError):
                try:
                    expires = folder.stat().st_mtime + self.keep
                except OSError:
                    continue
            if expires < now:
                self.remove(folder)
                removed += 1
        return removed
