"""Find the workbooks named on the command line: files as given, folders searched recursively."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from jixiao.read.excel import SUPPORTED_SUFFIXES

ANNOTATED_SUFFIX = ".检查结果.xlsx"  # the annotated copies jixiao writes (report/annotated.py)


def _skipped(path: Path) -> bool:
    """Excel/WPS lock files (~$x.xlsx), hidden files and jixiao's own annotated copies (in a folder; named
    on the command line they are checked like any file) are not submissions to check."""
    return path.name.startswith(("~$", ".")) or path.name.endswith((".tmp", ANNOTATED_SUFFIX))


def discover(paths: Iterable[str | Path]) -> tuple[list[Path], list[Path]]:
    """(files to check, arguments that do not exist). Each file once, sorted by path.

    A file named explicitly is checked whatever its type (so it gets a clear message); inside a
    folder only workbook files are taken.
    """
    found: dict[Path, Path] = {}
    absent: list[Path] = []
    for arg in paths:
        path = Path(arg)
        if path.is_dir() and path.suffix.lower() not in SUPPORTED_SUFFIXES:
            for child in sorted(path.rglob("*")):
                rel = child.relative_to(path)
                if any(part.startswith(".") for part in rel.parts) or _skipped(child):
                    continue
                if child.suffix.lower() in SUPPORTED_SUFFIXES:
                    found.setdefault(child.resolve(), child)
        elif path.exists() or path.is_symlink():
            found.setdefault(path.resolve(), path)
        else:
            absent.append(path)
    return sorted(found.values(), key=lambda p: str(p)), absent
