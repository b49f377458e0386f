"""The mark jixiao puts on the workbooks it writes, so a later run can tell them from submissions.

A custom document property ``jixiao`` (``summary`` for the summary workbook) is the marker, never the
sheet names: a submission with sheets named 汇总 / 问题明细 / 规则统计 / 说明 is still a submission. A file
found in a checked folder that carries the marker is left out of the run (and listed as skipped); a file
named on the command line is always checked.
"""

from __future__ import annotations

import re
import struct
import zipfile
from pathlib import Path

PROPERTY = "jixiao"
ANNOTATED_SUFFIX = ".检查结果.xlsx"  # the name ending of the annotated copies (report/annotated.py)
ANNOTATED_DOCX_SUFFIX = ".检查结果.docx"  # … and of a 自评报告's (report/annotated_docx.py)
SUMMARY = "summary"
_MAX_PROPS_BYTES = 64 * 1024
_VALUE = re.compile(rb'name="jixiao"[^>]*>\s*<vt:lpwstr>([^<]{0,64})</vt:lpwstr>')


_CUSTOM = "docProps/custom.xml"
_TAIL = 64 * 1024
_END = struct.Struct("<4s8xII")  # end of central directory: signature, (4 counts), directory size, offset


def _no_custom_properties(path: Path) -> bool:
    """True when the zip's central directory (read from the file's last 64 KB, not opened as a zip) has no
    custom-properties part: no jixiao marker can be there. A folder of submissions is mostly such files."""
    with path.open("rb") as fh:
        size = fh.seek(0, 2)
        fh.seek(max(0, size - _TAIL))
        tail = fh.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or at + _END.size > len(tail):
        return False
    _, directory_size, directory_at = _END.unpack_from(tail, at)
    start = directory_at - (size - len(tail))
    if start < 0 or start + directory_size > at:  # the directory is not all in the tail (or not where said)
        return False
    return _CUSTOM.encode() not in tail[start:at]


def written_by_jixiao(path: Path) -> str | None:
    """The kind of jixiao output ``path`` is (``summary``), or None for anything else."""
    try:
        if _no_custom_properties(path):
            return None
        with zipfile.ZipFile(path) as zf:
            info = zf.getinfo(_CUSTOM)
            if info.file_size > _MAX_PROPS_BYTES:
                return None
            match = _VALUE.search(zf.read(info))
    except (OSError, KeyError, zipfile.BadZipFile, ValueError, RuntimeError):
        return None
    return match.group(1).decode("utf-8", "replace") if match else None


def is_jixiao_summary(path: Path) -> bool:
    """Whether ``path`` is a summary workbook jixiao wrote (judged by its marker only)."""
    return written_by_jixiao(path) == SUMMARY
