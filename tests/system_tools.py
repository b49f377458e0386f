"""What the browser and printing tests need of the system (Chromium, LibreOffice, poppler), and reading a PDF.

A test that needs a missing program skips, saying which package to install; with CI=true it fails instead,
since .ci/run installs them.
"""

from __future__ import annotations

import os

import pytest


def required(missing: str | None, what: str) -> pytest.MarkDecorator:
    """The module's mark: skip with ``missing`` (the reason) when it is set, or fail at once under CI=true."""
    if missing and os.environ.get("CI", "").lower() == "true":
        raise RuntimeError(f"{what}在 CI 中不能跳过：{missing}")
    return pytest.mark.skipif(missing is not None, reason=missing or "")


def in_order(text: str, within: str) -> bool:
    """Every character of ``text`` in ``within``, in order, each within 200 characters of the one before (the
    other cells of a printed row come between a wrapped cell's lines)."""
    start = within.find(text[:2])
    while start >= 0:
        at = start
        for ch in text[1:]:
            at = within.find(ch, at + 1, at + 200)
            if at < 0:
                break
        else:
            return True
        start = within.find(text[:2], start + 1)
    return False
