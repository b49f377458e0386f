"""CSV reporter (``--output-format csv``): one row per finding, one per table that could not be read, and one per
step that failed for a table or for the run (severity ``incident``, the reason with its log number).

For spreadsheets and scripts: UTF-8 with a byte-order mark so Excel opens the Chinese text correctly.
Agency text that starts like a formula (= + - @) is prefixed with an apostrophe, so a spreadsheet never
runs it.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path
from typing import Any

from jixiao.atomic import atomic_path
from jixiao.findings import Report
from jixiao.report.base import register

HEADER = ("path", "sheet", "cell", "code", "severity", "message", "expected", "actual", "accepted", "status")


def _safe(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return "" if value is None else value


def rows(report: Report) -> list[tuple[Any, ...]]:
    """The CSV rows (without the header)."""
    out: list[tuple[Any, ...]] = []
    for w in report.workbooks:
        if w.status == "unreadable":
            out.append((w.path, w.sheet, None, None, "unreadable", w.error, None, None, None, w.status))
        for f in w.findings:
            out.append((w.path, f.sheet, f.cell, f.code, f.severity.value, f.message, f.expected, f.actual,
                        f.accepted, w.status))
        for item in w.incidents:
            if item.message != w.error:  # an unreadable file's reason is its row already
                out.append((w.path, item.sheet or w.sheet, None, None, "incident", item.message, None, None, None,
                            w.status))
    for item in report.failures:
        out.append((None, None, None, None, "incident", item.message, None, None, None, None))
    return [tuple(_safe(v) for v in row) for row in out]


@register("csv")
class CsvReporter:
    """Writes the findings as CSV to standard output or a file."""

    def write(self, report: Report, target: Path | None) -> None:
        """Write ``report`` as CSV."""
        if target is None:
            sys.stdout.write("\ufeff")
            writer = csv.writer(sys.stdout)
            writer.writerow(HEADER)
            writer.writerows(rows(report))
            return
        with atomic_path(target) as tmp, tmp.open("w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(HEADER)
            writer.writerows(rows(report))
