"""JSON reporter: the machine-readable contract of docs/json-report.md.

The report is streamed: the run's header first, then one workbook object at a time (each on its own
line), so 10,000 workbooks never exist as one text in memory. Compact (no indent): with ``indent`` the
json module falls back to its pure-Python encoder. Strict JSON: a NaN or infinity anywhere (a value
read from a cell, a score computed from one) is written as ``null``, never as ``NaN``/``Infinity``,
which other JSON readers reject.
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Iterator
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

from jixiao.atomic import atomic_path
from jixiao.findings import Report, WorkbookResult
from jixiao.incidents import Incident
from jixiao.report.base import attempt, register


def _finite(value: Any) -> Any:
    """``value`` with every NaN or infinite float (at any depth) replaced by None."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value


def _encode(value: Any) -> str:
    """One value as compact, strict JSON (UTF-8 text, Chinese kept readable)."""
    try:
        return json.dumps(value, ensure_ascii=False, allow_nan=False, default=str)
    except ValueError:  # a NaN or infinity somewhere: rare, so only then walk the value
        return json.dumps(_finite(value), ensure_ascii=False, allow_nan=False, default=str)


def _object(table: WorkbookResult, shown: str | None) -> str:
    return _encode(table.to_dict(shown))


def stream(report: Report) -> Iterator[str]:
    """The report as pieces of JSON text: the same object as ``Report.to_dict()``, one workbook at a time."""
    head = replace(report, workbooks=[]).to_dict()  # the header: what the run was
    head.pop("workbooks", None)
    head.pop("log", None)  # said last: a table's object that cannot be made is an incident too
    yield (_encode(head)[:-1] + ", " if head else "{") + '"workbooks": ['
    for i, workbook in enumerate(list(report.workbooks)):
        shown = report.shown.get(workbook.path)
        text = attempt(report, "json", workbook, partial(_object, workbook, shown))
        if isinstance(text, Incident):  # the table's object could not be made: what is sure of it, and why
            table = report.workbooks[i]
            text = _encode({"path": shown or table.path, "sheet": table.sheet, "status": table.status, "errors": table.errors,
                            "warnings": table.warnings, "error": text.message,
                            "incidents": [x.to_dict() for x in table.incidents]})
        yield ("\n" if i == 0 else ",\n") + text
    tail = f', "log": {_encode(report.log)}' if report.log and report.troubles else ""
    yield f"\n]{tail}}}\n"


def dumps(report: Report) -> str:
    """The whole report as one JSON text (for small reports and tests)."""
    return "".join(stream(report))


@register("json")
class JsonReporter:
    """Writes the report to a file atomically (temporary file, then rename), or to standard output."""

    def write(self, report: Report, target: Path | None) -> None:
        """Write ``report`` as JSON."""
        if target is None:
            for piece in stream(report):
                sys.stdout.write(piece)
            sys.stdout.flush()
            return
        with atomic_path(target) as tmp, tmp.open("w", encoding="utf-8") as fh:
            for piece in stream(report):
                fh.write(piece)
