"""The mark jixiao puts on the workbooks it writes, so a later run can tell them from submissions.

A custom document property ``jixiao`` (``summary`` for the summary workbook) is the marker, never the
sheet names: a submission with sheets named 汇总 / 问题明细 / 规则统计 / 说明 is still a submission. A file
found in a checked folder that carries the marker is left out of the run (and listed as skipped); a file
named on the command line is always checked.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

PROPERTY = "jixiao"
ANNOTATED_SUFFIX = ".检查结果.xlsx"  # the name ending of the annotated copies (report/annotated.py)
SUMMARY = "summary"
_MAX_PROPS_BYTES = 64 * 1024
_VALUE = re.compile(rb'name="jixiao"[^>]*>\s*<vt:lpwstr>([^<]{0,64})</vt:lpwstr>')


def written_by_jixiao(path: Path) -> str | None:
    """The kind of jixiao output ``path`` is (``summary``), or None for anything else."""
    try:
        with zipfile.ZipFile(path) as zf:
            info = zf.getinfo("docProps/custom.xml")
            if info.file_size > _MAX_PROPS_BYTES:
                return None
            match = _VALUE.search(zf.read(info))
    except (OSError, KeyError, zipfile.BadZipFile, ValueError, RuntimeError):
        return None
    return match.group(1).decode("utf-8", "replace") if match else None


def is_jixiao_summary(path: Path) -> bool:
    """Whether ``path`` is a summary workbook jixiao wrote (judged by its marker only)."""
    return written_by_jixiao(path) == SUMMARY
