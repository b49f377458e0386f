"""Find the workbooks named on the command line: files as given, folders searched recursively."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from jixiao.marker import ANNOTATED_DOCX_SUFFIX, ANNOTATED_SUFFIX
from jixiao.read.excel import SUPPORTED_SUFFIXES

if TYPE_CHECKING:
    from jixiao.findings import Submission

# What a folder is searched for: workbooks and 自评报告 (.docx). A PDF, .doc or .wps in a folder (scans kept beside
# the workbooks) is not taken; named on the command line, it is told why it cannot be read.
FOUND = (*SUPPORTED_SUFFIXES, ".docx")


def _skipped(path: Path) -> bool:
    """Excel/WPS lock files (~$x.xlsx), hidden files and jixiao's own annotated copies (in a folder; named
    on the command line they are checked like any file) are not submissions to check."""
    return path.name.startswith(("~$", ".")) or path.name.endswith((".tmp", ANNOTATED_SUFFIX, ANNOTATED_DOCX_SUFFIX))


def _key(path: Path) -> Path:
    """What ``path`` is, to take each file once: a regular file (or folder) by its resolved path; anything
    else (a link loop, which ``resolve`` refuses, a pipe, a device, links to it) by its own absolute path —
    each is listed, and reading it says what it is."""
    try:
        info = os.stat(path)  # follows links, opens nothing
        if stat.S_ISREG(info.st_mode) or stat.S_ISDIR(info.st_mode):
            return path.resolve()
    except (RuntimeError, OSError):
        pass
    return path.absolute()


def discover(paths: Iterable[str | Path]) -> tuple[list[Path], list[Path]]:
    """(files to check, arguments that do not exist). Each file once, sorted by path.

    A file named explicitly is checked whatever its type (so it gets a clear message); inside a
    folder only workbook files are taken. Nothing is opened here: an entry that is not a regular file
    (a named pipe, a device, a link to one, a link loop) is listed like any other and reported unreadable
    with the reason when read (read/excel.py), so it is seen in the report, never skipped unseen.
    """
    found: dict[Path, Path] = {}
    absent: list[Path] = []
    for arg in paths:
        path = Path(arg)
        if path.is_dir() and path.suffix.lower() not in FOUND:
            for child in sorted(path.rglob("*")):
                rel = child.relative_to(path)
                if any(part.startswith(".") for part in rel.parts) or _skipped(child):
                    continue
                if child.suffix.lower() in FOUND:
                    found.setdefault(_key(child), child)
        elif path.exists() or path.is_symlink():
            found.setdefault(_key(path), path)
        else:
            absent.append(path)
    return sorted(found.values(), key=lambda p: str(p)), absent


def drop_summaries(files: list[Path], named: Iterable[str | Path]) -> tuple[list[Path], list[Path]]:
    """(files to check, summaries left out): summaries jixiao wrote, found in a checked folder, are not
    submissions; a named file always is. Only regular files are opened to look (a FIFO or a link to /dev/zero
    is the reader's to report)."""
    from jixiao.marker import is_jixiao_summary
    from jixiao.outputs import real
    from jixiao.read.excel import is_regular_file

    explicit = {real(Path(p)) for p in named}
    skipped = [f for f in files if f.suffix.lower() == ".xlsx" and real(f) not in explicit
               and is_regular_file(f) and is_jixiao_summary(f)]
    return [f for f in files if f not in skipped], skipped


@dataclass(frozen=True)
class Inputs:
    """What a run checks, found from the paths it was given: the files, the paths that do not exist, jixiao's own
    summaries left out, and in an inbox folder the earlier versions left out and each file's submission."""

    files: list[Path]
    absent: list[Path]
    skipped: list[Path]
    superseded: list[Path]
    submissions: dict[str, Submission]


def find_inputs(paths: Sequence[str | Path]) -> Inputs:
    """The files to check under ``paths`` (the command line's, or the server's inbox): found, jixiao's summaries
    left out, an inbox's submissions each at its latest version. Every front end finds its files here."""
    from jixiao.inbox import latest_only

    found, absent = discover(paths)
    files, skipped = drop_summaries(found, paths)
    files, superseded, submissions = latest_only(files, paths)
    return Inputs(files, absent, skipped, superseded, submissions)
