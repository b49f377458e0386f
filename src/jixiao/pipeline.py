"""The one pipeline: every front end checks through :func:`run` and writes through :func:`write_outputs`.

``run`` takes the paths, the run's profile, the options (rule selection, year, whether the profile is fixed,
workers and budgets), the approved targets and the folder's settings, and returns the finished report: every
table read, paired with its approved targets, scored and checked (by ``executor``: the command line's watched
worker processes, the server's warm ones, or this process), the cross-file rules (duplicates, the year, a
report against its workbook) over all of them, the settings' accepted findings marked. The command line, the
page, the inbox and the officer's summary all call it; none puts a check together on its own.

``write_outputs`` is the output stage: the annotated copies, the summary workbook, the JSON report and the log.
Each output is made table by table, each table's part on its own (report/base.attempt): a part that fails is
recorded on its table as an incident and said where the part would have been, and the other tables' parts are
written. An output file that cannot be written at all (a full disk) does not stop the others; the caller is
told which. The order is fixed so that every output says what happened before it: copies first (the summary
links to those written), then the summary (it lists every incident so far), then the JSON report (all of them),
and last the log with each incident's trace.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from jixiao.errors import JixiaoError
from jixiao.faults import inject
from jixiao.findings import Report, Submission, WorkbookResult
from jixiao.incidents import IncidentLog

if TYPE_CHECKING:
    from jixiao.check.batch import Options
    from jixiao.config import Settings
    from jixiao.pair import TargetIndex
    from jixiao.profile import Profile

# Who checks the files: (paths, profile, options, progress) → every table's result, in path order, before the
# cross-file rules. check/batch.check_chunks (the command line), serve/pool.LivePool.executor (the server).
Executor = Callable[[Sequence[Path], "Profile", "Options", Callable[[int], None] | None], list[WorkbookResult]]


def run(paths: Sequence[Path], profile: Profile, options: Options | None = None, targets: TargetIndex | None = None,
        settings: Settings | None = None, *, executor: Executor | None = None,
        progress: Callable[[int], None] | None = None, skipped: Sequence[Path] = (),
        shown: Mapping[str, str] | None = None,
        accept_as: Callable[[WorkbookResult], str] | None = None,
        submissions: Mapping[str, Submission] | None = None, superseded: Sequence[Path] = ()) -> Report:
    """Check ``paths`` (already found) and return the finished report.

    ``options``: rule selection, year, fixed profile, workers and budgets (check/batch.Options); ``targets``: the
    approved target tables every table is compared with; ``settings``: the checked folder's settings (its
    [[accept]] list); ``executor``: who checks the files (default: the command line's workers for a batch, this
    process for one file); ``skipped``: files left out (jixiao's own summaries); ``shown``: the name each path
    has for its sender (the page: uploads are stored under names of their own); ``accept_as``: the path a
    table's file is matched by against the settings' [[accept]] patterns (the page: where it would be stored in
    the inbox; else its path); ``submissions``: each inbox file's place in the inbox (jixiao/inbox.latest_only),
    ``superseded``: the earlier versions left out."""
    from jixiao.check.batch import Options, check_chunks, run_info
    from jixiao.check.runner import apply_batch_rules, targets_info
    from jixiao.check.stake import draw, new_seed, with_stakes
    from jixiao.read.docx import is_report

    started = time.time()
    options = replace(options or Options(), targets=targets,
                      facts=any(is_report(p) for p in paths))  # a report beside its workbook: R001 compares them
    results = (executor or check_chunks)(paths, profile, options, progress)
    if submissions:
        results = [replace(r, submission=submissions.get(r.path)) for r in results]
    results = apply_batch_rules(results, profile, options.year, options.select, options.ignore)
    names = dict(shown or {})
    if settings is not None and settings.accept:
        results = [_accepted(r, settings, accept_as(r) if accept_as else r.path) for r in results]
    results = with_stakes(results, profile)  # the officer's order of work, once every finding is known
    sample = draw(results, options.sample, options.seed if options.seed is not None else new_seed(), profile) \
        if options.sample else None
    info = replace(run_info(profile, options, started, len(paths)), skipped=tuple(str(p) for p in skipped))
    return Report(results, profile=profile.name, run=info,
                  targets=targets_info(targets, results) if targets is not None else None,
                  settings=str(settings.source) if settings is not None and settings.accept else None, shown=names,
                  sample=sample, superseded=tuple(str(p) for p in superseded))


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


def _accepted(result: WorkbookResult, settings: Settings, name: str) -> WorkbookResult:
    """The table's findings that the settings file accepts, marked so (with the reason)."""
    return result.with_accepted(lambda f: settings.accepted(name, f.code))


def write_outputs(report: Report, plan: OutputPlan) -> Written:
    """Write the outputs ``plan`` asks for from the finished ``report`` (which records the parts that failed).
    An output that cannot be written at all is said (``Written.failed``, and on the report) and the others are
    written; nothing here raises for one output's failure."""
    from jixiao.incidents import incident
    from jixiao.report.base import get_reporter

    done = Written()
    report.shown = {**report.shown, **plan.shown}
    if plan.log is not None:
        report.log = str(plan.log)  # named by the summary and the JSON when a step fails
    if plan.annotate is not None:
        from jixiao.report.annotated import write_copies

        report.copies = write_copies(report, plan.annotate, plan.annotate_all, plan.shown)
    for name, target, what in (("summary", plan.summary, "汇总工作簿"), ("json", plan.json, "JSON 报告")):
        if target is None:
            continue
        try:
            inject("output", target)
            get_reporter(name).write(report, target)
        except JixiaoError as exc:  # the target cannot be written (a full disk, no permission): said as such
            done.failed.append(str(exc))
            continue
        except Exception as exc:  # anything else: a failure of this output, said and logged, the others go on
            found = incident(name, exc, f"{what} {target} 未能写出")
            report.failures.append(found)
            done.failed.append(found.message)
            continue
        done.files.append(target)
    return done


def log_incidents(report: Report, path: Path | None) -> int:
    """Write every incident of ``report`` (its tables' and its outputs') with its trace to the log at ``path``;
    how many were logged. Called once, when every output (the console's too) is done."""
    items = [(table.path, item) for table, item in report.incidents] + [("（本次运行）", f) for f in report.failures]
    if not items or path is None:
        return 0
    log = IncidentLog(path)
    try:
        for source, item in items:
            log.write(source, item)
    finally:
        log.close()
    report.log = str(path)
    return 0 if log.failed else len(items)
