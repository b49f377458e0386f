"""The output stage of a check: the annotated copies, the summary workbook, the JSON report and the log.

Each output is made table by table, each table's part on its own (report/base.attempt): a part that fails is
recorded on its table as an incident and said where the part would have been, and the other tables' parts are
written. An output file that cannot be written at all (a full disk) does not stop the others; the caller is
told which. The order is fixed so that every output says what happened before it: copies first (the summary
links to those written), then the summary (it lists every incident so far), then the JSON report (all of them),
and last the log with each incident's trace.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from jixiao.errors import JixiaoError
from jixiao.findings import Report
from jixiao.incidents import IncidentLog


@dataclass(frozen=True)
class OutputPlan:
    """What to write: the annotated copies' folder (every readable workbook with ``annotate_all``), the
    summary workbook, the JSON report file, and the log of incidents (None: none is kept). ``shown`` names each
    input as its sender knows it (``jixiao serve`` stores uploads under names of its own)."""

    annotate: Path | None = None
    annotate_all: bool = False
    summary: Path | None = None
    json: Path | None = None
    log: Path | None = None
    shown: Mapping[str, str] = field(default_factory=dict)


@dataclass
class Written:
    """What the output stage wrote, and the outputs it could not write at all (one Chinese line each)."""

    files: list[Path] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    logged: int = 0  # incidents written to the log


def write_outputs(report: Report, plan: OutputPlan) -> Written:
    """Write the outputs ``plan`` asks for from the finished ``report`` (which records the parts that failed)."""
    from jixiao.report.base import get_reporter

    done = Written()
    report.shown = {**report.shown, **plan.shown}
    if plan.annotate is not None:
        from jixiao.report.annotated import write_copies

        report.copies = write_copies(report, plan.annotate, plan.annotate_all, plan.shown)
    if plan.log is not None:
        report.log = str(plan.log)  # named by the summary and the JSON when a step fails
    for name, target in (("summary", plan.summary), ("json", plan.json)):
        if target is None:
            continue
        try:
            get_reporter(name).write(report, target)
        except (JixiaoError, OSError) as exc:
            done.failed.append(str(exc) if isinstance(exc, JixiaoError) else f"无法写出 {target}：{exc.strerror or exc}")
            continue
        done.files.append(target)
    done.logged = log_incidents(report, plan.log)
    return done


def log_incidents(report: Report, path: Path | None) -> int:
    """Write every incident of ``report`` with its trace to the log at ``path``; how many were logged."""
    incidents = report.incidents
    if not incidents or path is None:
        return 0
    log = IncidentLog(path)
    try:
        for table, item in incidents:
            log.write(table.path, item)
    finally:
        log.close()
    report.log = str(path)
    return 0 if log.failed else len(incidents)
