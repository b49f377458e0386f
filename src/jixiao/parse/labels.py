"""Label matching shared by the importers: how a header or row label is normalised and compared.

Real forms write labels with line breaks and spaces inside (“年度\\n指标值”), full- or half-width brackets,
``*``/``★`` markers, a “其中：” prefix and notes in brackets after them (全年预算数（A）, 执行率（B/A）,
项目资金（万元）, 产出指标（50分）). All of that is taken off before comparing.
"""

from __future__ import annotations

import re
from functools import lru_cache

from jixiao.values import normalize_text

# A note in brackets at the end: "(万元)", "(A)", "(B/A)", "(50分)".
_NOTE = re.compile(r"\([^()]*\)$")
_MARKS = str.maketrans("", "", "*★☆※")


@lru_cache(maxsize=8192)
def key(text: object) -> str:
    """A label normalised for matching: NFKC, no whitespace, no markers, no '其中:' prefix, no ':' suffix."""
    if text is None:
        return ""
    out = normalize_text(text).translate(_MARKS).removeprefix("其中:").removeprefix("其中")
    return out.rstrip(":")


def bare(text: str) -> str:
    """``key`` without trailing notes in brackets ("全年预算数(A)" → "全年预算数")."""
    while True:
        stripped = _NOTE.sub("", text)
        if stripped == text:
            return text
        text = stripped


def note(text: str) -> str:
    """The trailing note in brackets ("项目资金(万元)" → "万元"; '' when none)."""
    match = _NOTE.search(text)
    return match.group(0)[1:-1] if match else ""


@lru_cache(maxsize=512)
def keys(names: tuple[str, ...]) -> frozenset[str]:
    """The normalised forms of ``names``."""
    return frozenset(key(n) for n in names)


def matches(text: str, names: tuple[str, ...]) -> bool:
    """``text`` (already normalised) is one of ``names``, also with a trailing note in brackets."""
    found = keys(names)
    return text in found or bare(text) in found
