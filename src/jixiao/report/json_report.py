"""JSON reporter: the machine-readable contract of docs/json-report.md."""

from __future__ import annotations

import json
from pathlib import Path

from jixiao.atomic import atomic_path
from jixiao.findings import Report
from jixiao.report.base import register


def dumps(report: Report) -> str:
    """The report as JSON text (UTF-8, Chinese kept readable)."""
    return json.dumps(report.to_dict(), ensure_ascii=False, indent=2, default=str)


@register("json")
class JsonReporter:
    """Writes the report to a file atomically, or to standard output."""

    def write(self, report: Report, target: Path | None) -> None:
        """Write ``report`` as JSON."""
        text = dumps(report)
        if target is None:
            print(text)
            return
        with atomic_path(target) as tmp:
            tmp.write_text(text + "\n", encoding="utf-8")
