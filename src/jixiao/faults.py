"""Fault injection for the containment tests: make one stage fail for chosen files, in a real run.

``JIXIAO_FAULTS="annotate=D02*;score=A01*"`` makes the annotated copy of every file whose name matches
``D02*`` fail, and the scoring of ``A01*``: each stage calls :func:`inject` with the file it is working on.
The variable is read once, when this module is first imported (worker processes inherit it). Unset — as it
always is outside the tests — :func:`inject` is one dictionary test. docs/architecture.md lists the stages.
"""

from __future__ import annotations

import fnmatch
import os
from pathlib import PurePath


class InjectedFault(RuntimeError):
    """The failure a test asked for (it stands for any unforeseen error in that stage)."""


def _parse(text: str) -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for part in text.split(";"):
        stage, _, pattern = part.partition("=")
        if stage.strip() and pattern.strip():
            out.setdefault(stage.strip(), []).append(pattern.strip())
    return {k: tuple(v) for k, v in out.items()}


_FAULTS = _parse(os.environ.get("JIXIAO_FAULTS", ""))


def configure(text: str) -> None:
    """Set the faults as ``JIXIAO_FAULTS`` would (for tests that run the command in their own process; worker
    processes forked afterwards inherit them). An empty text clears them."""
    global _FAULTS
    _FAULTS = _parse(text)


def inject(stage: str, path: str | PurePath | None) -> None:
    """Raise InjectedFault when the run was asked to fail ``stage`` for ``path``'s file name."""
    if not _FAULTS or stage not in _FAULTS or path is None:
        return
    name = PurePath(str(path)).name
    if any(fnmatch.fnmatch(name, pattern) for pattern in _FAULTS[stage]):
        raise InjectedFault(f"故障注入：{stage}")
