"""What the importers share: how a header or row label is normalised and compared, and which rows of an
indicator table are not indicators (form rows left empty, 合计/小计 lines).

Real forms write labels with line breaks and spaces inside (“年度\\n指标值”), full- or half-width brackets,
``*``/``★`` markers, a “其中：” prefix and notes in brackets after them (全年预算数（A）, 执行率（B/A）,
项目资金（万元）, 产出指标（50分）). All of that is taken off before comparing.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from jixiao.values import normalize_text

if TYPE_CHECKING:
    from jixiao.model import Field

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


# “指标1：”, “指标2”, “……”, “一、”: the printed form's own placeholders in the 三级指标 column.
_FORM_NAME = re.compile(r"^(指标\d*|[一二三四五六七八九十]+、?)[:：]?$|^[…．.。、]+$")
SUBTOTAL_LABELS = ("合计", "小计", "总计", "合计得分", "小计得分")


def empty_form_row(name: Field, target: Field, actual: Field, weight: Field, score: Field) -> bool:
    """A row the form carries but the agency left empty: no 三级 name (or only “指标1：”), no target, no
    actual, and 分值/得分 blank or 0. It is not an indicator, so nothing is reported about it."""
    named = not name.blank and not _FORM_NAME.match(name.norm)
    if named or not target.blank or not actual.blank:
        return False
    return all(f.blank or f.value == 0 for f in (weight, score))


def subtotal_row(*labels: Field) -> bool:
    """A 合计/小计 line appended to the indicator table (its label in the 一级, 二级 or 三级 column)."""
    return any(not f.blank and matches(key(f.text), SUBTOTAL_LABELS) for f in labels)
