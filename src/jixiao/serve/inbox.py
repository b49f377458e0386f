"""The bureau's inbox (``jixiao serve --inbox DIR``): the exact bytes an agency submitted, and an index.

    INBOX/<单位>/<项目>_<YYYYmmdd-HHMMSS>_<sha8>.xlsx   the uploaded bytes, unchanged
    INBOX/jixiao-inbox.sqlite                           one row per submission (sqlite3, standard library)

A submission is written beside its final name first and then linked to it: the link fails when the name is
taken, so nothing is ever overwritten (a second one in the same second gets “-2”), and a reader of the
folder never sees half a file. The folder is a plain folder of workbooks: ``jixiao check INBOX/ --summary``
checks it like any other (the index is not a workbook and is passed over).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import sqlite3
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jixiao.findings import STATUSES

INDEX = "jixiao-inbox.sqlite"
_SCHEMA = """CREATE TABLE IF NOT EXISTS submissions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    submitted TEXT NOT NULL,
    file TEXT NOT NULL UNIQUE,
    original_name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    year TEXT, department TEXT, unit TEXT, project TEXT,
    status TEXT NOT NULL, errors INTEGER NOT NULL, warnings INTEGER NOT NULL,
    findings TEXT NOT NULL,
    receipt TEXT NOT NULL UNIQUE
)"""
_NAME = re.compile(r"[^\w\u3400-\u9fff（）()·-]+")


def safe_part(text: str, fallback: str) -> str:
    """``text`` as one folder or file name part: letters, digits, CJK, brackets and dashes only, at most 40
    characters (``fallback`` when nothing is left). What a workbook says never makes a path of its own."""
    cleaned = _NAME.sub("_", text).strip("._ ")[:40]
    return cleaned or fallback


@dataclass(frozen=True)
class Receipt:
    """What the agency is given for a submission."""

    receipt: str
    submitted: str
    file: str
    original_name: str
    sha256: str
    size: int
    project: dict[str, str]
    status: str
    errors: int
    warnings: int
    findings: list[dict[str, Any]]


class Inbox:
    """The submissions folder and its index."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        with self._db() as db:
            db.execute(_SCHEMA)

    @contextlib.contextmanager
    def _db(self) -> Any:
        db = sqlite3.connect(self.root / INDEX, timeout=30)
        try:
            with db:  # one transaction: committed on success, rolled back on error
                yield db
        finally:
            db.close()

    def submit(self, upload: Path, original_name: str, suffix: str, result: dict[str, Any], receipt: str) -> Receipt:
        """Store ``upload``'s bytes under the agency's folder and index them; ``result`` is the check's JSON
        report (the findings at submission), ``receipt`` the receipt's number (unique)."""
        found = self.find(receipt)
        if found is not None:
            return found  # pressed twice: one submission
        first = (result.get("workbooks") or [{}])[0]
        project = {k: str((first.get("project") or {}).get(k) or "") for k in ("year", "department", "unit", "name")}
        stamp = time.strftime("%Y%m%d-%H%M%S")
        folder, stem = where_stored(self.root, project)
        folder.mkdir(parents=True, exist_ok=True)
        final, digest = _place(upload, folder, f"{stem}_{stamp}", suffix)
        workbooks = result.get("workbooks") or []
        findings = [f for w in workbooks for f in w.get("findings", [])]
        errors = sum(w.get("errors", 0) for w in workbooks)
        warnings = sum(w.get("warnings", 0) for w in workbooks)
        status = max((w.get("status", "clean") for w in workbooks), key=STATUSES.index, default="clean")
        row = Receipt(receipt, time.strftime("%Y-%m-%d %H:%M:%S"), str(final.relative_to(self.root)), original_name,
                      digest, final.stat().st_size, project, status, errors, warnings, findings)
        with self._db() as db:
            db.execute("INSERT INTO submissions (submitted, file, original_name, sha256, size, year, department, unit, "
                       "project, status, errors, warnings, findings, receipt) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                       (row.submitted, row.file, original_name, digest, row.size, project["year"],
                        project["department"], project["unit"], project["name"], status, errors, warnings,
                        json.dumps(findings, ensure_ascii=False), receipt))
        return row

    def find(self, receipt: str) -> Receipt | None:
        """The submission with this receipt number."""
        rows = self._select("WHERE receipt = ?", (receipt,))
        return rows[0] if rows else None

    def submissions(self) -> list[Receipt]:
        """Every submission, newest first."""
        return self._select("ORDER BY id DESC", ())

    def _select(self, where: str, args: tuple[Any, ...]) -> list[Receipt]:
        with self._db() as db:
            rows = db.execute("SELECT receipt, submitted, file, original_name, sha256, size, year, department, unit, "
                              f"project, status, errors, warnings, findings FROM submissions {where}", args).fetchall()
        return [Receipt(r[0], r[1], r[2], r[3], r[4], r[5],
                        {"year": r[6], "department": r[7], "unit": r[8], "name": r[9]}, r[10], r[11], r[12],
                        json.loads(r[13])) for r in rows]


def where_stored(root: Path, project: dict[str, str]) -> tuple[Path, str]:
    """The folder a submission of ``project`` is stored in (its unit's, else its department's) and the start of
    its name (the project's): ``root/<单位>/<项目>_<时间>_<sha8>.xlsx``."""
    unit = project.get("unit") or project.get("department") or ""
    return root / safe_part(unit, "未注明单位"), safe_part(project.get("name") or "", "未注明项目")


def stored_name(root: Path, project: dict[str, str], suffix: str) -> str:
    """The path a submission of ``project`` would have in the inbox at ``root`` (its time and hash as zeros): what
    a settings file's [[accept]] ``file`` pattern is matched against when the page checks an upload, so that the
    page accepts what ``jixiao check INBOX/`` accepts once it is submitted."""
    folder, stem = where_stored(root, project)
    return str(folder / f"{stem}_00000000-000000_00000000{suffix}")


def _place(upload: Path, folder: Path, stem: str, suffix: str) -> tuple[Path, str]:
    """Copy ``upload`` to ``folder/stem_<sha8>+suffix`` (or …-2, …-3 when taken) without ever overwriting;
    returns where, and the SHA-256 of the bytes copied (worked out while copying)."""
    fd, tmp_name = tempfile.mkstemp(prefix=".incoming.", dir=folder)
    tmp = Path(tmp_name)
    digest = hashlib.sha256()
    try:
        with os.fdopen(fd, "wb") as out, upload.open("rb") as src:
            for block in iter(lambda: src.read(1 << 16), b""):
                digest.update(block)
                out.write(block)
            out.flush()
            os.fsync(out.fileno())
        base = f"{stem}_{digest.hexdigest()[:8]}"
        for n in range(1, 1000):
            final = folder / f"{base}{'' if n == 1 else f'-{n}'}{suffix}"
            try:
                os.link(tmp, final)  # atomic, and fails if the name exists: never overwrites
            except FileExistsError:
                continue
            os.chmod(final, 0o640)
            return final, digest.hexdigest()
        raise FileExistsError(folder / f"{base}{suffix}")
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
