"""Findings and reports: what the checker produces and the reporters format."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from jixiao.incidents import CHECKING, Incident


def clean(value: Any) -> Any:
    """A frame value as a plain Python value: NaN → None, 15.0 → 15, numpy scalars → Python."""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if value.is_integer():
            return int(value)
        return round(value, 6)
    return value


class Severity(StrEnum):
    """How bad a finding is. Over-scoring is an error, under-scoring a warning."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def label(self) -> str:
        """Chinese name shown to users."""
        return {"error": "错误", "warning": "警告", "info": "提示"}[self.value]


@dataclass(frozen=True)
class Finding:
    """One inconsistency at one place in one workbook."""

    code: str
    severity: Severity
    file: str
    sheet: str | None
    cell: str | None
    message: str
    expected: Any = None
    actual: Any = None
    accepted: str | None = None  # the reason the bureau accepted it (jixiao.toml [[accept]]): not counted
    other: str | None = None  # the other place it concerns (the approved table's 文件［工作表］!单元格)

    @property
    def where(self) -> str:
        """``sheet!cell`` (or just the sheet, or ''): see :func:`jixiao.model.where`."""
        from jixiao.model import where

        return where(self.sheet, self.cell)

    def to_dict(self) -> dict[str, Any]:
        """The only serialisation of a finding (JSON report, summary workbook)."""
        return {"code": self.code, "severity": self.severity.value, "sheet": self.sheet, "cell": self.cell,
                "message": self.message, "expected": self.expected, "actual": self.actual,
                "accepted": self.accepted, "other": self.other}


@dataclass(frozen=True)
class CategoryLine:
    """Claimed vs recomputed score of one first-level category."""

    name: str
    weight: float | None
    profile_weight: float | None
    claimed: float | None
    recomputed: float | None

    @property
    def difference(self) -> float | None:
        """Claimed minus recomputed (positive: over-scored)."""
        if self.claimed is None or self.recomputed is None:
            return None
        return round(self.claimed - self.recomputed, 6)

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {"name": self.name, "weight": self.weight, "profile_weight": self.profile_weight,
                "claimed": self.claimed, "recomputed": self.recomputed}


@dataclass(frozen=True)
class ScoreSummary:
    """The scorecard as reported: totals and grades claimed and recomputed."""

    claimed_total: float | None
    recomputed_total: float | None
    claimed_grade: str | None
    recomputed_grade: str | None
    claimed_grade_text: str = ""
    categories: tuple[CategoryLine, ...] = ()
    # The total and grade re-scored against the approved targets (--targets; None without them)
    approved_total: float | None = None
    approved_grade: str | None = None
    budget: float | None = None  # 全年预算数 of the 年度资金总额 row, in 万元 (what a wrong score concerns)

    @property
    def difference(self) -> float | None:
        """Claimed minus recomputed total (positive: over-scored)."""
        if self.claimed_total is None or self.recomputed_total is None:
            return None
        return round(self.claimed_total - self.recomputed_total, 6)

    @property
    def approved_difference(self) -> float | None:
        """Claimed minus the total re-scored against the approved targets (positive: over-scored)."""
        if self.claimed_total is None or self.approved_total is None:
            return None
        return round(self.claimed_total - self.approved_total, 6)

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "claimed_total": self.claimed_total,
            "recomputed_total": self.recomputed_total,
            "claimed_grade": self.claimed_grade,
            "recomputed_grade": self.recomputed_grade,
            "claimed_grade_text": self.claimed_grade_text,
            "categories": [c.to_dict() for c in self.categories],
            **({"approved_total": self.approved_total, "approved_grade": self.approved_grade}
               if self.approved_total is not None else {}),
            "budget": self.budget,
        }


@dataclass(frozen=True)
class Stated:
    """One indicator as a table states it, for comparing a 自评报告 with its workbook (R001): its pairing key,
    name, target and actual (normalised, and as written), 分值 and 得分, and where each is (``at``: field → Loc)."""

    key: str
    name: str
    target: str
    actual: str
    target_text: str
    actual_text: str
    weight: float | None
    score: float | None
    at: dict[str, Any]


@dataclass(frozen=True)
class Facts:
    """What a table states, indicator by indicator, and its claimed total (with where)."""

    indicators: tuple[Stated, ...] = ()
    total: float | None = None
    total_at: Any = None


@dataclass(frozen=True)
class Stake:
    """What is at stake in a table, for the officer's order of work (jixiao/check/stake.py computes it).

    ``rank``: 0 its grade changes on re-scoring, 1 it is over-scored, 2 it lowered approved targets, 3 it could
    not be read, 4 the rest; ``points``: the order within a rank and the 复核 draw's weight (the over-scored
    points weighed by the money, lowered targets, errors and warnings, each by the profile's [priority]);
    ``reason``: the officer's words for it (“等级 优→良；多计 6.3 分；涉及资金 233 万元”)."""

    rank: int
    points: float
    reason: str
    grade_change: str = ""  # “优→良” (the claimed grade, or the one the claimed total falls in, → the re-scored)
    over: float | None = None  # points the self-score exceeds the re-score
    money: float | None = None  # 全年预算数, 万元
    lowered: int = 0  # approved targets lowered

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {"rank": self.rank, "points": self.points, "reason": self.reason, "grade_change": self.grade_change,
                "over": self.over, "money": self.money, "lowered": self.lowered}


@dataclass(frozen=True)
class Submission:
    """Where a table stands in the bureau's inbox (``jixiao serve --inbox``; a folder checked that is one): its
    submission number (the first version's receipt), the version checked, how many there are, the officer's
    status (已提交 / 已退回 / 已通过) and the note of a return."""

    number: str
    version: int
    versions: int
    state: str
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {"number": self.number, "version": self.version, "versions": self.versions, "state": self.state,
                "note": self.note}


@dataclass(frozen=True)
class WorkbookResult:
    """Everything known about one checked (or unreadable) workbook."""

    path: str
    status: str
    project: dict[str, str] = field(default_factory=dict)
    score: ScoreSummary | None = None
    findings: tuple[Finding, ...] = ()
    error: str | None = None
    anchors: dict[str, tuple[str, str | None]] = field(default_factory=dict, compare=False)
    sheet: str | None = None  # the sheet holding this table when a workbook holds one table per sheet
    layout: str | None = None  # template / official
    profile: str | None = None  # the scoring profile this table was scored by
    targets: dict[str, Any] | None = None  # how it was paired with its approved targets (--targets)
    # What the table states, indicator by indicator (a run with a 自评报告 in it: R001 compares a report with
    # its workbook); None otherwise. Not in the JSON report.
    facts: Facts | None = field(default=None, compare=False)
    # Stages that failed for this table (jixiao/incidents.py): what the earlier stages produced is kept.
    incidents: tuple[Incident, ...] = ()
    stake: Stake | None = None  # what is at stake (the officer's order of work), set once the run's checks are done
    submission: Submission | None = None  # its place in the bureau's inbox, when checked from one

    @property
    def name(self) -> str:
        """How reports name this table: the path, and the sheet when a workbook holds one table per sheet."""
        return f"{self.path}［{self.sheet}］" if self.sheet else self.path

    @property
    def short_name(self) -> str:
        """The file name (and sheet) without its folder."""
        base = self.path.replace("\\", "/").rsplit("/", 1)[-1]
        return f"{base}［{self.sheet}］" if self.sheet else base

    def with_findings(self, extra: list[Finding]) -> WorkbookResult:
        """A copy with ``extra`` findings added (kept in order) and the status recomputed."""
        findings = self.findings + tuple(extra)
        return replace(self, findings=findings, status=self._status(findings))

    def with_incidents(self, *extra: Incident) -> WorkbookResult:
        """A copy with ``extra`` incidents added; a failed checking stage means the table is not known to be
        clean (an output that failed changes nothing about the table)."""
        incidents = self.incidents + extra
        return replace(self, incidents=incidents, status=self._status(self.findings, incidents))

    def _status(self, findings: tuple[Finding, ...], incidents: tuple[Incident, ...] | None = None) -> str:
        if self.status == "unreadable":
            return "unreadable"
        return status_of(findings, self.incidents if incidents is None else incidents)

    def with_accepted(self, reason_for: Callable[[Finding], str | None]) -> WorkbookResult:
        """A copy where the findings ``reason_for`` gives a reason for are marked accepted (warnings and
        notes only: an error changes the score and cannot be accepted)."""
        findings = tuple(replace(f, accepted=reason) if f.severity is not Severity.ERROR
                         and (reason := reason_for(f)) else f for f in self.findings)
        return replace(self, findings=findings, status=self._status(findings)) if findings != self.findings else self

    @property
    def errors(self) -> int:
        """Number of error findings."""
        return sum(f.severity is Severity.ERROR for f in self.findings)

    @property
    def warnings(self) -> int:
        """Number of warning findings not accepted."""
        return sum(f.severity is Severity.WARNING and not f.accepted for f in self.findings)

    def to_dict(self, shown: str | None = None) -> dict[str, Any]:
        """JSON form, per docs/json-report.md; ``shown``: the path as its sender named it (``jixiao serve``)."""
        return {
            "path": shown or self.path,
            "sheet": self.sheet,
            "layout": self.layout,
            "profile": self.profile,
            "status": self.status,
            "errors": self.errors,
            "warnings": self.warnings,
            "project": self.project,
            "score": self.score.to_dict() if self.score else None,
            "findings": [f.to_dict() for f in self.findings],
            "error": self.error,
            "incidents": [i.to_dict() for i in self.incidents],
            **({"targets": self.targets} if self.targets is not None else {}),
            **({"priority": self.stake.to_dict()} if self.stake is not None else {}),
            **({"submission": self.submission.to_dict()} if self.submission is not None else {}),
        }


STATUSES = ("clean", "warnings", "errors", "unreadable")
STATUS_LABELS = {"clean": "通过", "warnings": "有警告", "errors": "有错误", "unreadable": "无法读取"}  # shown to users


def status_of(findings: tuple[Finding, ...], incidents: tuple[Incident, ...] = ()) -> str:
    """clean / warnings / errors from a workbook's findings (info does not count); a checking stage that
    failed (an incident) makes it “errors”: the table is not known to be clean."""
    if any(f.severity is Severity.ERROR for f in findings) or any(i.stage in CHECKING for i in incidents):
        return "errors"
    if any(f.severity is Severity.WARNING and not f.accepted for f in findings):
        return "warnings"
    return "clean"


@dataclass(frozen=True)
class RunInfo:
    """The report's header (docs/json-report.md): version, when and how long, files, workers, profile, year."""

    version: str = ""
    started: str = ""
    seconds: float = 0.0
    files: int = 0
    jobs: int = 1
    year: int | None = None
    profile_title: str = ""
    profile_source: str = ""
    skipped: tuple[str, ...] = ()  # jixiao's own summaries found in a checked folder, left out

    def to_dict(self) -> dict[str, Any]:
        """The header's keys of the JSON report."""
        return {"version": self.version, "started": self.started, "seconds": self.seconds, "files": self.files,
                "jobs": self.jobs, "profile_title": self.profile_title, "profile_source": self.profile_source,
                "skipped": list(self.skipped), "year": self.year}


@dataclass(frozen=True)
class TargetsInfo:
    """What ``--targets`` found beyond the tables: where they came from, how many approved projects, the target
    files that could not be read (path, error) and the approved projects no self-evaluation answered."""

    source: str
    approvals: int
    unreadable: tuple[dict[str, str], ...] = ()
    unanswered: tuple[dict[str, str | None], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {"source": self.source, "approvals": self.approvals, "unreadable": list(self.unreadable),
                "unanswered": list(self.unanswered)}


@dataclass(frozen=True)
class Copies:
    """The annotated copies of a run (``--annotate``): their folder, whether every workbook got one, and the
    copy written for each input path (a copy that could not be written is not here: its table has the
    incident)."""

    folder: str
    everything: bool = False
    written: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON report's annotate keys."""
        return {"annotate_all": self.everything, "annotate_dir": self.folder, "annotated": list(self.written.values())}


@dataclass(frozen=True)
class Picked:
    """One table of the 复核 sample: which, why (“等级变化” or “加权抽取”) and its weight in the draw."""

    path: str
    sheet: str | None
    why: str
    weight: float | None = None


@dataclass(frozen=True)
class Sample:
    """The 复核 sample (``--sample``): what was asked (“20%”, “15”), the seed, how many tables could be drawn
    from (the readable ones), how many that asked for, and the tables picked in order."""

    asked: str
    seed: int
    population: int
    size: int
    picked: tuple[Picked, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {"asked": self.asked, "seed": self.seed, "population": self.population, "size": self.size,
                "picked": [{"path": p.path, "sheet": p.sheet, "why": p.why, "weight": p.weight} for p in self.picked]}


@dataclass
class Report:
    """The result of one run: one entry per workbook, sorted by path; what the run was (``run``), what
    ``--targets`` found, the accepting settings file, the annotated copies and where incidents were logged."""

    workbooks: list[WorkbookResult]
    profile: str = ""
    run: RunInfo | None = None
    targets: TargetsInfo | None = None
    settings: str | None = None  # the settings file whose [[accept]] list was applied
    copies: Copies | None = None
    log: str | None = None  # the log file the incidents' traces go to (named in the outputs when there are any)
    shown: dict[str, str] = field(default_factory=dict)  # path → the name its sender gave it (jixiao serve)
    # Outputs (or parts of one: a sheet of the summary, the console's overview) that failed as a whole, not for
    # one table: said where they would have been, and logged.
    failures: list[Incident] = field(default_factory=list)
    sample: Sample | None = None  # the 复核 sample drawn (--sample)
    superseded: tuple[str, ...] = ()  # earlier versions of inbox submissions, left out (their latest is checked)

    def counts(self) -> dict[str, int]:
        """How many tables per status, in all, and how many files they came from."""
        statuses = Counter(w.status for w in self.workbooks)
        return {"total": len(self.workbooks), "files": len({w.path for w in self.workbooks}),
                **{s: statuses.get(s, 0) for s in STATUSES}}

    def code_counts(self) -> list[tuple[str, int]]:
        """Findings per rule code, most frequent first (ties by code)."""
        counts = Counter(f.code for w in self.workbooks for f in w.findings)
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))

    def record(self, table: WorkbookResult, incident: Incident) -> WorkbookResult:
        """Add ``incident`` (an output that failed for ``table``) to that table's result; returns the new one."""
        for i, w in enumerate(self.workbooks):
            if w is table:
                self.workbooks[i] = w = w.with_incidents(incident)
                return w
        return table

    @property
    def incidents(self) -> list[tuple[WorkbookResult, Incident]]:
        """Every stage that failed, with its table."""
        return [(w, i) for w in self.workbooks for i in w.incidents]

    @property
    def troubles(self) -> int:
        """How many steps failed in all: for tables and for whole outputs."""
        return len(self.incidents) + len(self.failures)

    @property
    def has_errors(self) -> bool:
        """True when any workbook has errors or could not be read (exit code 1)."""
        return self.fails("error")

    def fails(self, level: str = "error") -> bool:
        """Whether the run fails at ``level`` (``error``: errors, unreadable files or a step that could not be
        done; ``warning``: also warnings that were not accepted)."""
        bad = ("errors", "unreadable", "warnings") if level == "warning" else ("errors", "unreadable")
        return any(w.status in bad or w.incidents for w in self.workbooks) or bool(self.failures)

    def to_dict(self) -> dict[str, Any]:
        """JSON form (docs/json-report.md)."""
        head: dict[str, Any] = {"tool": "jixiao", **(self.run.to_dict() if self.run else {})}
        if self.targets is not None:
            head["targets"] = self.targets.to_dict()
        if self.settings is not None:
            head["settings"] = self.settings
        if self.copies is not None:
            head.update(self.copies.to_dict())
        if self.log is not None and self.troubles:
            head["log"] = self.log
        if self.failures:
            head["failures"] = [i.to_dict() for i in self.failures]
        if self.sample is not None:
            head["sample"] = self.sample.to_dict()
        if self.superseded:
            head["superseded"] = list(self.superseded)
        return {**head, "profile": self.profile,
                "workbooks": [w.to_dict(self.shown.get(w.path)) for w in self.workbooks]}
