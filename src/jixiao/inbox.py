"""The bureau's inbox (``jixiao serve --inbox DIR``): the exact bytes an agency submitted, every version of
each submission, the officer's status of it, and an index.

    INBOX/<单位>/<项目>_<YYYYmmdd-HHMMSS>_<sha8>.xlsx   the uploaded bytes, unchanged (every version)
    INBOX/jixiao-inbox.sqlite                           the index (sqlite3, standard library)

A submission is written beside its final name first and then linked to it: the link fails when the name is
taken, so nothing is ever overwritten (a second one in the same second gets “-2”), and a reader of the
folder never sees half a file. The folder is a plain folder of workbooks: ``jixiao check INBOX/ --summary``
checks it like any other (the index is not a workbook and is passed over), each submission at its latest
version (:func:`latest_only`: the earlier versions are kept, and left out of the check).

The index: ``submissions`` has one row per version (its receipt, file, hash, the findings at submission, the
cells it held, and ``number``, the submission it belongs to: the first version's receipt); ``reviews`` is the
officer's log, one row per status given (已提交 / 已退回 with a note / 已通过), never changed afterwards: a
submission's status is its last row. ``cases`` gives each submission the key of its status page (the agency's
link to see a return and to send a corrected version). An inbox written before versions existed is upgraded in
place when opened (its rows become first versions, each its own submission, 已提交).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import secrets
import sqlite3
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jixiao.errors import JixiaoError
from jixiao.findings import STATUSES, Submission

INDEX = "jixiao-inbox.sqlite"
SCHEMA_VERSION = 2
SUBMITTED, RETURNED, PASSED = "已提交", "已退回", "已通过"
STATES = (SUBMITTED, RETURNED, PASSED)
NOTE_CHARS = 2000  # a return's note, at most
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
# Version 2: versions of a submission, the officer's log, the agency's status page and each version's cells.
_UPGRADE = ("ALTER TABLE submissions ADD COLUMN number TEXT",
            "ALTER TABLE submissions ADD COLUMN version INTEGER",
            "ALTER TABLE submissions ADD COLUMN cells TEXT",
            "UPDATE submissions SET number = receipt, version = 1 WHERE number IS NULL")
_TABLES = ("""CREATE TABLE IF NOT EXISTS reviews (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    number TEXT NOT NULL,
    time TEXT NOT NULL,
    state TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL
)""", """CREATE TABLE IF NOT EXISTS cases (
    number TEXT PRIMARY KEY,
    key TEXT NOT NULL UNIQUE
)""", "CREATE INDEX IF NOT EXISTS submissions_number ON submissions(number)",
           "CREATE INDEX IF NOT EXISTS reviews_number ON reviews(number)")
_NAME = re.compile(r"[^\w\u3400-\u9fff（）()·-]+")
_COLUMNS = ("receipt, submitted, file, original_name, sha256, size, year, department, unit, project, status, errors, "
            "warnings, findings, number, version")


class InboxError(JixiaoError):
    """A submission or a status the inbox refuses (a Chinese reason)."""


def safe_part(text: str, fallback: str) -> str:
    """``text`` as one folder or file name part: letters, digits, CJK, brackets and dashes only, at most 40
    characters (``fallback`` when nothing is left). What a workbook says never makes a path of its own."""
    cleaned = _NAME.sub("_", text).strip("._ ")[:40]
    return cleaned or fallback


@dataclass(frozen=True)
class Receipt:
    """One version of a submission: what the agency is given for it."""

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
    number: str = ""  # the submission it is a version of (the first version's receipt)
    version: int = 1


@dataclass(frozen=True)
class Review:
    """One line of the officer's log: the status given, when, with its note, at which version."""

    time: str
    state: str
    note: str
    version: int


@dataclass(frozen=True)
class Case:
    """A submission with all its versions (oldest first), its log, its status and the key of its status page."""

    number: str
    key: str
    versions: list[Receipt]
    reviews: list[Review] = field(default_factory=list)

    @property
    def latest(self) -> Receipt:
        """The version the officer judges."""
        return self.versions[-1]

    @property
    def state(self) -> str:
        """已提交 / 已退回 / 已通过: the last status given (a new version is 已提交 again)."""
        return self.reviews[-1].state if self.reviews else SUBMITTED

    @property
    def note(self) -> str:
        """The note of the last return, while the submission stands returned."""
        return self.reviews[-1].note if self.reviews and self.state == RETURNED else ""

    def submission(self, version: int | None = None) -> Submission:
        """Where the version (the latest by default) stands, for the reports."""
        return Submission(self.number, version or self.latest.version, len(self.versions), self.state, self.note)


class Inbox:
    """The submissions folder and its index."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        with self._db() as db:
            db.execute(_SCHEMA)
            upgrade(db)

    @contextlib.contextmanager
    def _db(self) -> Any:
        db = sqlite3.connect(self.root / INDEX, timeout=30)
        try:
            with db:  # one transaction: committed on success, rolled back on error
                yield db
        finally:
            db.close()

    def submit(self, upload: Path, original_name: str, suffix: str, result: dict[str, Any], receipt: str,
               of: str | None = None, cells: dict[str, Any] | None = None) -> Receipt:
        """Store ``upload``'s bytes under the agency's folder and index them; ``result`` is the check's JSON
        report (the findings at submission), ``receipt`` the receipt's number (unique); ``of``: the submission
        this is a new version of (its number, any of its receipts or its key); ``cells``: the cells the
        workbook held (jixiao/versions.py), to show the officer what a later version changed."""
        found = self.find(receipt)
        if found is not None:
            return found  # pressed twice: one submission
        case = self.revisable(of) if of else None
        first = (result.get("workbooks") or [{}])[0]
        project = {k: str((first.get("project") or {}).get(k) or "") for k in ("year", "department", "unit", "name")}
        if case is not None:
            _same_submission(case.latest, project, suffix)
        stamp = time.strftime("%Y%m%d-%H%M%S")
        folder, stem = where_stored(self.root, project)
        folder.mkdir(parents=True, exist_ok=True)
        final, digest = _place(upload, folder, f"{stem}_{stamp}", suffix)
        workbooks = result.get("workbooks") or []
        findings = [f for w in workbooks for f in w.get("findings", [])]
        errors = sum(w.get("errors", 0) for w in workbooks)
        warnings = sum(w.get("warnings", 0) for w in workbooks)
        status = max((w.get("status", "clean") for w in workbooks), key=STATUSES.index, default="clean")
        number = case.number if case else receipt
        version = case.latest.version + 1 if case else 1
        row = Receipt(receipt, time.strftime("%Y-%m-%d %H:%M:%S"), str(final.relative_to(self.root)), original_name,
                      digest, final.stat().st_size, project, status, errors, warnings, findings, number, version)
        with self._db() as db:
            db.execute("INSERT INTO submissions (submitted, file, original_name, sha256, size, year, department, unit, "
                       "project, status, errors, warnings, findings, receipt, number, version, cells) "
                       "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                       (row.submitted, row.file, original_name, digest, row.size, project["year"],
                        project["department"], project["unit"], project["name"], status, errors, warnings,
                        json.dumps(findings, ensure_ascii=False), receipt, number, version,
                        json.dumps(cells, ensure_ascii=False) if cells is not None else None))
            if case is None:
                db.execute("INSERT INTO cases (number, key) VALUES (?, ?)", (number, secrets.token_urlsafe(24)))
            else:  # a new version is for the officer to judge again
                db.execute("INSERT INTO reviews (number, time, state, note, version) VALUES (?,?,?,?,?)",
                           (number, row.submitted, SUBMITTED, "", version))
        return row

    def revisable(self, quoted: str) -> Case:
        """The submission a corrected version may be sent for, by its number, any of its receipts or its key;
        an InboxError (in Chinese) when there is none or the officer has passed it."""
        case = self.case(quoted.strip().upper()) or self.case_by_key(quoted.strip())
        if case is None:
            raise InboxError(f"没有回执编号为“{quoted.strip()[:40]}”的提交：请核对回执上的编号（形如 20261207-1A2B3C4D5E6F7A8B）")
        if case.state == PASSED:
            raise InboxError(f"提交 {case.number} 已经审核通过，不能再提交新的版本；确需修改的，请联系财政局")
        return case

    def find(self, receipt: str) -> Receipt | None:
        """The version with this receipt number."""
        rows = self._select("WHERE receipt = ?", (receipt,))
        return rows[0] if rows else None

    def case(self, receipt: str) -> Case | None:
        """The submission that has a version with this receipt number (its first one's is the submission's)."""
        with self._db() as db:
            row = db.execute("SELECT number FROM submissions WHERE receipt = ?", (receipt,)).fetchone()
        return self._case(row[0]) if row else None

    def case_by_key(self, key: str) -> Case | None:
        """The submission whose status page has this key."""
        if not key or len(key) > 64:
            return None
        with self._db() as db:
            row = db.execute("SELECT number FROM cases WHERE key = ?", (key,)).fetchone()
        return self._case(row[0]) if row else None

    def _case(self, number: str) -> Case | None:
        versions = self._select("WHERE number = ? ORDER BY version", (number,))
        if not versions:
            return None
        with self._db() as db:
            key = db.execute("SELECT key FROM cases WHERE number = ?", (number,)).fetchone() or ("",)
            reviews = db.execute("SELECT time, state, note, version FROM reviews WHERE number = ? ORDER BY id",
                                 (number,)).fetchall()
        return Case(number, key[0], versions, [Review(*r) for r in reviews])

    def cases(self) -> list[Case]:
        """Every submission with its versions, the one with the newest version first."""
        with self._db() as db:
            found = _cases_in(db)
        return sorted(found, key=lambda c: c.latest.submitted, reverse=True)

    def review(self, number: str, state: str, note: str, version: int | None = None) -> Case:
        """The officer gives submission ``number`` a status (a return needs its note); appended to the log.
        ``version``: the version the officer was shown; refused when a newer one has come in since."""
        if state not in STATES:
            raise InboxError(f"审核状态只能是 {'、'.join(STATES)}")
        note = note.strip()[:NOTE_CHARS]
        if state == RETURNED and not note:
            raise InboxError("退回时请写明退回的原因和要改的地方（单位在回执页上看得到）")
        case = self._case(number)
        if case is None:
            raise InboxError(f"没有编号为 {number} 的提交")
        if version is not None and version != case.latest.version:
            raise InboxError(f"单位刚刚提交了第 {case.latest.version} 版，页面上看的是第 {version} 版：请先看新版本再审核")
        with self._db() as db:
            db.execute("INSERT INTO reviews (number, time, state, note, version) VALUES (?,?,?,?,?)",
                       (number, time.strftime("%Y-%m-%d %H:%M:%S"), state, note, case.latest.version))
        updated = self._case(number)
        assert updated is not None
        return updated

    def cells(self, receipt: str) -> dict[str, Any] | None:
        """The cells the version with this receipt held (None: kept before versions existed)."""
        with self._db() as db:
            row = db.execute("SELECT cells FROM submissions WHERE receipt = ?", (receipt,)).fetchone()
        return json.loads(row[0]) if row and row[0] else None

    def _select(self, where: str, args: tuple[Any, ...]) -> list[Receipt]:
        with self._db() as db:
            rows = db.execute(f"SELECT {_COLUMNS} FROM submissions {where}", args).fetchall()
        return [_receipt(r) for r in rows]


def _receipt(r: Sequence[Any], findings: bool = True) -> Receipt:
    """A row of ``SELECT {_COLUMNS}`` as a Receipt (its findings left out unless ``findings``)."""
    return Receipt(r[0], r[1], r[2], r[3], r[4], r[5], {"year": r[6], "department": r[7], "unit": r[8],
                                                        "name": r[9]}, r[10], r[11], r[12],
                   json.loads(r[13]) if findings else [], r[14] or r[0], r[15] or 1)


def _cases_in(db: sqlite3.Connection, findings: bool = True) -> list[Case]:
    """Every submission of the index ``db`` with its versions, log and key, read without writing: an index
    written before versions existed (no number, version, reviews or cases) reads as first versions, 已提交."""
    have = {r[1] for r in db.execute("PRAGMA table_info(submissions)")}
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    columns = _COLUMNS if {"number", "version"} <= have else _COLUMNS.replace("number, version", "receipt, 1")
    grouped: dict[str, list[Receipt]] = {}
    for row in db.execute(f"SELECT {columns} FROM submissions ORDER BY id"):
        version = _receipt(row, findings)
        grouped.setdefault(version.number, []).append(version)
    keys = dict(db.execute("SELECT number, key FROM cases").fetchall()) if "cases" in tables else {}
    reviews: dict[str, list[Review]] = {}
    if "reviews" in tables:
        for number, *rest in db.execute("SELECT number, time, state, note, version FROM reviews ORDER BY id"):
            reviews.setdefault(number, []).append(Review(*rest))
    return [Case(n, keys.get(n, ""), sorted(v, key=lambda x: x.version), reviews.get(n, []))
            for n, v in grouped.items()]


def _same_submission(latest: Receipt, project: dict[str, str], suffix: str) -> None:
    """A new version is of the same kind (a workbook for a workbook, a report for a report) and of the same unit
    as the version it follows: a receipt number quoted by mistake (or by someone else) never joins another
    unit's submission."""
    report = (suffix.lower() == ".docx", Path(latest.file).suffix.lower() == ".docx")
    if report[0] != report[1]:
        raise InboxError("新版本应与原来提交的是同一种文件（自评表对自评表、自评报告对自评报告）；"
                         "自评报告请单独提交")
    before = latest.project.get("unit") or latest.project.get("department") or ""
    now = project.get("unit") or project.get("department") or ""
    if before and now and _plain(before) != _plain(now):
        raise InboxError(f"这份文件的实施单位是“{now[:40]}”，原来的提交是“{before[:40]}”：不是同一份提交的新版本。"
                         "请核对回执编号，或作为新的提交")


def _plain(text: str) -> str:
    return re.sub(r"\s+", "", text)


def upgrade(db: sqlite3.Connection) -> None:
    """Bring an index written by an earlier jixiao to this schema, in place, keeping every row. Each missing
    column is added on its own and the rows filled in every time, so an upgrade cut short finishes next time."""
    have = {r[1] for r in db.execute("PRAGMA table_info(submissions)")}
    for statement in _UPGRADE[:-1]:
        column = statement.split("ADD COLUMN ")[1].split()[0]
        if column not in have:
            db.execute(statement)
    db.execute(_UPGRADE[-1])
    for statement in _TABLES:
        db.execute(statement)
    # Each submission its status page's key (those made before there were status pages get theirs now).
    missing = db.execute("SELECT DISTINCT number FROM submissions WHERE number NOT IN (SELECT number FROM cases)")
    db.executemany("INSERT INTO cases (number, key) VALUES (?, ?)",
                   [(n, secrets.token_urlsafe(24)) for (n,) in missing.fetchall()])
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def latest_only(files: Sequence[Path], named: Iterable[str | Path] = ()) -> tuple[list[Path], list[Path],
                                                                                     dict[str, Submission]]:
    """Files found in an inbox folder (beside its index): (the files to check, the earlier versions left out,
    each inbox file's place in it). Each submission is checked at its latest version; a file named on the
    command line is checked whatever it is. Files of no inbox pass through unchanged."""
    explicit = {os.path.abspath(p) for p in named}
    indexes: dict[Path, dict[str, tuple[Case, Receipt]] | None] = {}
    found_in = {path: _in_inbox(path, indexes) for path in files}
    newest: dict[str, int] = {}  # the latest version of each submission among the files there are
    for found in found_in.values():
        if found is not None:
            newest[found[0].number] = max(newest.get(found[0].number, 0), found[1].version)
    keep: list[Path] = []
    superseded: list[Path] = []
    places: dict[str, Submission] = {}
    for path in files:
        found = found_in[path]
        if found is None:
            keep.append(path)
            continue
        case, version = found
        if version.version != newest[case.number] and os.path.abspath(path) not in explicit:
            superseded.append(path)
            continue
        keep.append(path)
        places[str(path)] = case.submission(version.version)
    return keep, superseded, places


def _in_inbox(path: Path, indexes: dict[Path, dict[str, tuple[Case, Receipt]] | None]) -> tuple[Case, Receipt] | None:
    """The submission and version ``path`` is, when it lies in an inbox (INBOX/<单位>/file: the index two
    folders up, or beside it)."""
    absolute = Path(os.path.abspath(path))
    for root in (absolute.parent.parent, absolute.parent):
        if root not in indexes:
            indexes[root] = _files_of(root) if (root / INDEX).is_file() else None
        table = indexes[root]
        if table is not None:
            return table.get(str(absolute.relative_to(root)))
    return None


def _files_of(root: Path) -> dict[str, tuple[Case, Receipt]] | None:
    """Each file of the inbox at ``root`` → its submission and version, read without writing (a check never
    changes the inbox). None when the index cannot be read: the folder is then checked as any folder is."""
    try:
        db = sqlite3.connect(f"{(root / INDEX).resolve().as_uri()}?mode=ro", uri=True, timeout=30)
    except (sqlite3.Error, OSError, ValueError):
        return None
    try:
        cases = _cases_in(db, findings=False)
    except sqlite3.Error:
        return None
    finally:
        db.close()
    return {v.file: (c, v) for c in cases for v in c.versions}


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
