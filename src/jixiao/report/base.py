"""The reporter registry: one module per format, chosen by name, not by an if/elif chain."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Protocol, TypeVar

from jixiao.faults import inject
from jixiao.findings import Report, WorkbookResult
from jixiao.incidents import Incident, incident

T = TypeVar("T")


class Reporter(Protocol):
    """Writes a finished report somewhere (the console, a file)."""

    def write(self, report: Report, target: Path | None) -> None:
        """Format ``report``; ``target`` is the output file, or None for standard output."""


REPORTERS: dict[str, Callable[[], Reporter]] = {}


def register(name: str) -> Callable[[Callable[[], Reporter]], Callable[[], Reporter]]:
    """Class decorator that registers a reporter under ``name``."""

    def wrap(factory: Callable[[], Reporter]) -> Callable[[], Reporter]:
        REPORTERS[name] = factory
        return factory

    return wrap


# Built-in reporters, imported only when asked for (xlsxwriter costs start-up time a console run never needs).
BUILTIN = {"console": "jixiao.report.console", "json": "jixiao.report.json_report",
           "overview": "jixiao.report.overview", "summary": "jixiao.report.summary_xlsx",
           "csv": "jixiao.report.csv_report"}


def preload(names: Iterable[str]) -> None:
    """Import the built-in reporters ``names`` now. The command does this while a worker loads pandas and
    pandera (the parent is idle then), so writing the outputs later starts at once (the summary's xlsxwriter
    and rule texts: ~35 ms)."""
    for name in names:
        if name not in REPORTERS and name in BUILTIN:
            importlib.import_module(BUILTIN[name])


def get_reporter(name: str) -> Reporter:
    """The reporter registered as ``name``."""
    if name not in REPORTERS and name in BUILTIN:
        importlib.import_module(BUILTIN[name])
    return REPORTERS[name]()


def totals_text(report: Report) -> str:
    """How many were checked, clean, with errors, unreadable (one line; plain text, no rich needed)."""
    c = report.counts()
    what = f"{c['total']} 个文件" if c["total"] == c["files"] else f"{c['total']} 张表（{c['files']} 个文件）"
    return (f"共 {what}：通过 {c['clean']}，仅有警告 {c['warnings']}，"
            f"有错误 {c['errors']}，无法读取 {c['unreadable']}。")


def by_stake(report: Report) -> list[WorkbookResult]:
    """The officer's order of work (jixiao/check/stake.py): grade changes, over-scored tables (weighed by the
    money), lowered approved targets, unreadable tables, then the rest; most at stake first in each."""
    from jixiao.check.stake import by_stake as order

    return order(report.workbooks)


def attempt(report: Report, stage: str, table: WorkbookResult, make: Callable[[], T]) -> T | Incident:
    """``make()`` — one table's part of an output (its rows in the summary, its object in the JSON, its block on
    the console) — or, when that fails, the incident, recorded on the table: one table's failure never costs
    the output the others' parts. The reporter writes a line saying so in its place."""
    try:
        inject(stage, report.shown.get(table.path, table.path))
        return make()
    except Exception as exc:
        found = incident(stage, exc)
        report.record(table, found)
        return found


def attempt_part(report: Report, stage: str, what: str, make: Callable[[], T]) -> T | Incident:
    """``make()`` — a part of an output that is not one table's (a sheet of the summary, the console's
    overview) — or, when that fails, the incident, recorded on the report: the output goes on without it."""
    try:
        inject(stage, what)
        return make()
    except Exception as exc:
        found = incident(stage, exc, f"{what}未能写出")
        report.failures.append(found)
        return found
