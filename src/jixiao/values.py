"""Parse what agencies actually type into targets, actuals, amounts and scores.

Never raises: anything it cannot understand comes back as ``kind="text"`` (for targets and actuals)
or ``ok=False`` (for numbers), and the parser turns that into a finding at the cell.
"""

from __future__ import annotations

import datetime
import functools
import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, TypeVar, cast

GE, LE, EQ, GT, LT = ">=", "<=", "=", ">", "<"

BLANKS = frozenset({"", "-", "--", "—", "——", "-—", "/", "//", "无", "none", "n/a", "na", "null", "空", "不适用"})

# Longest spellings first so "≥=" style typos and words win over single symbols.
_PREFIX_COMPARATORS: tuple[tuple[str, str], ...] = (
    (">=", GE), ("≥", GE), ("≧", GE), ("=>", GE), ("不低于", GE), ("不少于", GE), ("大于等于", GE),
    ("大于或等于", GE), ("至少", GE), ("不小于", GE),
    ("<=", LE), ("≤", LE), ("≦", LE), ("=<", LE), ("不高于", LE), ("不超过", LE), ("不多于", LE),
    ("小于等于", LE), ("小于或等于", LE), ("不大于", LE), ("至多", LE), ("控制在", LE),
    ("大于", GT), ("高于", GT), ("超过", GT), (">", GT),
    ("小于", LT), ("低于", LT), ("<", LT),
    ("等于", EQ), ("==", EQ), ("=", EQ), ("═", EQ),
)
_SUFFIX_COMPARATORS: tuple[tuple[str, str], ...] = (
    ("及以上", GE), ("以上", GE), ("及以下", LE), ("以下", LE), ("以内", LE), ("之内", LE),
    ("底前", LE), ("月前", LE), ("前", LE), ("内", LE),
)
_PREFIX_WORDS = ("已完成", "已达到", "完成", "达到", "实现", "累计", "共计", "共", "约", "实际")

UNITS = frozenset({
    "%", "个", "条", "项", "次", "人次", "户", "人", "头", "只", "亩", "公里", "千米", "米", "平方米", "立方米",
    "万元", "元", "亿元", "千元", "个月", "月", "天", "日", "年", "周", "小时", "分钟", "家", "所", "台", "套", "座",
    "处", "件", "份", "批", "场", "期", "辆", "吨", "株", "棵", "间", "册", "篇", "门", "名", "班", "床", "张", "盏",
    "km", "m", "m2", "㎡", "kg", "t", "小时/次", "万人次", "万人", "万户", "工作日", "个工作日", "年月", "分",
})
_UNIT_ALIASES = {"百分比": "%", "百分点": "%", "％": "%", "平米": "平方米", "㎡": "平方米", "m2": "平方米", "日": "天",
                 "千米": "公里", "km": "公里", "工作日": "个工作日"}

_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[+-]?\.\d+")
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
              "九": 9}
_CN_NUMBER = re.compile(r"[零〇一二两三四五六七八九十百]+")
_YEAR_MONTH = re.compile(r"^(\d{4})年(\d{1,2})月(?:底|末)?(前|内|以前|之前)?$")
# “2019年”, “2019年底前”: a year as a deadline (its last month), not a count of 年.
_YEAR_ONLY = re.compile(r"^((?:19|20)\d{2})年(?:度)?(?:底|末)?(前|内|以前|之前)?$")
_YEAR_MONTH_DAY = re.compile(r"^(\d{4})[年.\-/](\d{1,2})[月.\-/](\d{1,2})日?(前|内|以前|之前)?$")
_PLACEHOLDER = re.compile(r"\*\*|\.\.\.|xx|××|^指标\d*:?$|^[≥≤<>=]+$|请填写|填写说明|^例[:：]", re.IGNORECASE)


_SPACES = re.compile(r"\s+")


# The text caches below hold labels and values that recur from workbook to workbook; a text longer than
# SHORT is worked out each time, so no cache holds more than its size × SHORT characters, whatever the cells.
SHORT = 64
F = TypeVar("F", bound=Callable[..., Any])


def short_cached(maxsize: int, typed: bool = False) -> Callable[[F], F]:
    """A memo for a function of one cell's text (or value). A text is looked up in a plain dict (a hit costs
    a third of an ``lru_cache`` call, and a batch makes millions); a text longer than SHORT is worked out each
    time, and the dict is emptied when it reaches ``maxsize``, so it never holds more than maxsize × SHORT
    characters. Other values go through ``lru_cache`` (``typed``: the cell True is not the cell 1; a text is
    never equal to a number, so texts need no type in their key); an unhashable one is worked out each time
    (never from a reader; the parsers must not raise), as is a long text of a str subclass. So a memo holds at
    most 2 × maxsize entries. ``cache_size()`` says how many it holds."""

    def wrap(fn: F) -> F:
        cached = lru_cache(maxsize=maxsize, typed=typed)(fn)
        memo: dict[str, Any] = {}

        def call(value: object) -> Any:
            if value.__class__ is str:
                try:
                    return memo[value]
                except KeyError:
                    pass
                result = fn(value)
                if len(value) <= SHORT:
                    if len(memo) >= maxsize:
                        memo.clear()
                    memo[value] = result
                return result
            if isinstance(value, str) and len(value) > SHORT:  # a subclass of str: never kept either
                return fn(value)
            try:
                return cached(value)
            except TypeError:
                return fn(value)

        def cache_size() -> int:
            return len(memo) + cached.cache_info().currsize

        call.cache_size = cache_size  # type: ignore[attr-defined]
        return cast(F, functools.wraps(fn)(call))

    return wrap


def plain_number(value: object, places: int = 4) -> str:
    """A value as a person writes it, numbers to at most ``places`` decimals: 15.0 → 15, 0.30000001 → 0.3,
    None → ''."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.{places}f}".rstrip("0").rstrip(".")
    return str(value)


@short_cached(8192, typed=True)
def normalize_text(value: object) -> str:
    """NFKC, trimmed, inner whitespace removed: the form every comparison uses (cached: labels repeat)."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", value if isinstance(value, str) else str(value)))


def chinese_to_int(text: str) -> int | None:
    """Small Chinese numerals: 八 → 8, 十二 → 12, 八十 → 80, 一百二十 → 120; None otherwise."""
    if not text or any(ch not in _CN_DIGITS and ch not in "十百" for ch in text):
        return None
    total, current = 0, 0
    for ch in text:
        if ch in _CN_DIGITS:
            current = _CN_DIGITS[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        else:  # 百
            total += (current or 1) * 100
            current = 0
    return total + current


def canonical_unit(unit: str) -> str:
    """Fold spellings of the same unit together (百分比 → %, 平米 → 平方米)."""
    return _UNIT_ALIASES.get(unit, unit)


@dataclass(frozen=True)
class Quantity:
    """A parsed 年度指标值 or 实际完成值.

    ``kind`` is ``blank`` (nothing typed), ``placeholder`` (template text left in, ``≥**``),
    ``number`` (a comparator, a number and a unit) or ``text`` (qualitative words).
    ``bare`` is True when the cell held an Excel number (no text), so a fraction like 0.98 may mean 98%.
    """

    kind: str
    text: str
    comparator: str | None = None
    number: float | None = None
    unit: str = ""
    bare: bool = False

    @property
    def is_number(self) -> bool:
        """Whether a number was found."""
        return self.kind == "number" and self.number is not None

    def format(self) -> str:
        """A canonical spelling that parses back to the same quantity."""
        if not self.is_number:
            return self.text
        assert self.number is not None
        num = f"{self.number:.10g}" if not float(self.number).is_integer() else str(int(self.number))
        return f"{self.comparator or ''}{num}{self.unit}"


def is_blank(raw: object) -> bool:
    """Nothing meaningful typed: empty, a dash, a slash, 无 … (cheaper than a full parse)."""
    return raw is None or (isinstance(raw, str) and _is_blank(normalize_text(raw)))


_DASHES = frozenset("-—/\\_ ")


@short_cached(8192)
def _is_blank(text: str) -> bool:
    return text.lower() in BLANKS or set(text) <= _DASHES


def _strip_prefix(text: str, table: tuple[tuple[str, str], ...]) -> tuple[str | None, str]:
    for word, comp in table:
        if text.startswith(word):
            return comp, text[len(word):]
    return None, text


def _strip_suffix(text: str) -> tuple[str | None, str]:
    for word, comp in _SUFFIX_COMPARATORS:
        if text.endswith(word) and len(text) > len(word):
            rest = text[: -len(word)]
            if word == "月前":
                rest += "月"
            return comp, rest
    return None, text


def _split_number(text: str) -> tuple[float | None, str, str]:
    """Find a leading number (digits or Chinese numeral): (number, text before, unit after)."""
    match = _NUMBER.search(text)
    if match:
        number = float(match.group().replace(",", ""))
        if not math.isfinite(number):  # 309 digits or more: no quantity anyone measures, and not JSON
            return None, text, ""
        return number, text[: match.start()], text[match.end():]
    cn = _CN_NUMBER.search(text)
    if cn:
        value = chinese_to_int(cn.group())
        if value is not None:
            return float(value), text[: cn.start()], text[cn.end():]
    return None, text, ""


def _looks_like_unit(unit: str) -> bool:
    """A known unit, a short word, or a compound of two such (万元/公里, 元/平方米, 人次/年)."""
    if unit in UNITS or canonical_unit(unit) in UNITS:
        return True
    if "/" in unit and unit.count("/") == 1:
        return all(part and _looks_like_unit(part) for part in unit.split("/"))
    return 0 < len(unit) <= 3 and not re.search(r"[\d,.:;，。、/]", unit)


def _from_number(value: float) -> Quantity:
    if math.isnan(value) or math.isinf(value):
        return Quantity("text", str(value))
    return Quantity("number", f"{value:g}", None, float(value), "", bare=True)


def comparator_in(text: str) -> str | None:
    """A comparator written anywhere in ``text`` (e.g. in an indicator's name: "群众满意度≥90%")."""
    norm = normalize_text(text)
    for word, comp in _PREFIX_COMPARATORS:
        if len(word) == 1 and word in "<>=":
            continue  # bare ASCII symbols inside names are too ambiguous
        if word in norm:
            return comp
    return None


_COMPARING = tuple((w, c) for w, c in _PREFIX_COMPARATORS if c != EQ)
_EQUALS = tuple((w, c) for w, c in _PREFIX_COMPARATORS if c == EQ)
_SYMBOL = {GE: "≥", LE: "≤", GT: ">", LT: "<", EQ: "="}
# A 指标性质 column that says the direction instead of a comparator: 正向 is more is better (≥), 反向 less (≤).
_DIRECTION_WORDS = (("正向", GE), ("反向", LE))


def comparator_cell(text: str) -> str:
    """The comparator a form's 指标性质 / 符号 column (or two of them, their texts joined) means: “≥”, “004 >=” (a
    system's code before it), “不低于”, “正向” (the direction) → “≥”; a kind (定量, 定性) or anything else → ''."""
    norm = normalize_text(text)
    # “正向 | =” (a 指标性质 and a 指标方向 column, 内蒙古): the direction says more than the bare “=”.
    for word, comp in (*_COMPARING, *_DIRECTION_WORDS, *_EQUALS):
        if word in norm:
            return _SYMBOL[comp]
    return ""


@short_cached(16384, typed=True)  # typed: the cell True is not the cell 1
def parse_quantity(raw: object) -> Quantity:
    """Parse one target or actual cell. Never raises. Cached: the same “≥95%” recurs across workbooks."""
    if raw is None:
        return Quantity("blank", "")
    if isinstance(raw, bool):
        return Quantity("text", "是" if raw else "否")
    if isinstance(raw, (int, float)):
        return _from_number(float(raw))
    if isinstance(raw, datetime.date):  # a date cell: compare by month, like "2025年12月"
        return Quantity("number", f"{raw.year}年{raw.month}月{raw.day}日", None, float(raw.year * 12 + raw.month),
                        "年月")
    text = normalize_text(raw)
    if _is_blank(text):
        return Quantity("blank", text)
    if _PLACEHOLDER.search(text):
        return Quantity("placeholder", text)
    ymd = _YEAR_MONTH_DAY.match(text)
    if ymd:  # a day within the month counts as a fraction of it: 6月30日 comes before 7月
        comp = LE if ymd.group(4) else None
        month = int(ymd.group(1)) * 12 + int(ymd.group(2)) + (int(ymd.group(3)) - 1) / 31
        return Quantity("number", text, comp, float(month), "年月")
    year = _YEAR_ONLY.match(text)
    if year:
        return Quantity("number", text, LE if year.group(2) else None, float(int(year.group(1)) * 12 + 12), "年月")
    ym = _YEAR_MONTH.match(text)
    if ym:
        comp = LE if ym.group(3) else None
        return Quantity("number", text, comp, float(int(ym.group(1)) * 12 + int(ym.group(2))), "年月")
    comparator, rest = _strip_prefix(text, _PREFIX_COMPARATORS)
    for word in _PREFIX_WORDS:
        if rest.startswith(word):
            rest = rest[len(word):]
            break
    suffix_comp, rest = _strip_suffix(rest)
    number, before, unit = _split_number(rest)
    if number is None or before not in ("", "+"):
        return Quantity("text", text)
    unit = unit.removeprefix("(").removesuffix(")")
    range_match = re.match(r"^[-~至到](\d+)(.*)$", unit)
    if range_match:  # "1-12月": the period ends at 12
        number, unit = float(range_match.group(1)), range_match.group(2)
    if unit and not _looks_like_unit(unit):
        return Quantity("text", text)
    return Quantity("number", text, comparator or suffix_comp, number, canonical_unit(unit))


@dataclass(frozen=True)
class Number:
    """A parsed amount, rate or score. ``ok`` is False when text could not be read as a number."""

    value: float | None
    blank: bool = False
    percent: bool = False
    ok: bool = True


_NUMBER_SUFFIXES = ("万元", "元", "分", "%")


@short_cached(16384, typed=True)
def parse_number(raw: object) -> Number:
    """Parse a numeric cell (分值, 得分, amounts, 执行率). Never raises. Cached: the same scores, weights and
    “15分” recur in every workbook."""
    if raw is None:
        return Number(None, blank=True)
    if isinstance(raw, bool):
        return Number(None, ok=False)
    if isinstance(raw, (int, float)):
        value = float(raw) + 0.0  # -0.0 is 0: one cache entry whichever comes first
        if math.isnan(value):
            return Number(None, blank=True)
        return _finite(value)
    text = normalize_text(raw)
    if _is_blank(text):
        return Number(None, blank=True)
    percent = text.endswith("%")
    for suffix in _NUMBER_SUFFIXES:
        text = text.removesuffix(suffix)
    match = _NUMBER.fullmatch(text)
    if match:
        return _finite(float(text.replace(",", "")), percent)
    cn = chinese_to_int(text)
    if cn is not None:
        return Number(float(cn), percent=percent)
    return Number(None, ok=False)


def _finite(value: float, percent: bool = False) -> Number:
    """A number typed as text of 309 digits or more becomes infinity as a float: not a number (V002)."""
    return Number(value, percent=percent) if math.isfinite(value) else Number(None, ok=False)


# Amount units and their size in 元: "150万" in a 万元 column is 150; "0.5亿" is 5000 万元.
_AMOUNT_UNITS: tuple[tuple[str, float], ...] = (("亿元", 1e8), ("亿", 1e8), ("万元", 1e4), ("万", 1e4),
                                                 ("千元", 1e3), ("元", 1.0))
AMOUNT_SCALE = {"万元": 1e4, "元": 1.0, "千元": 1e3, "亿元": 1e8}
MONEY_UNITS = frozenset(unit for unit, _ in _AMOUNT_UNITS)


def parse_amount(raw: object, unit: str = "万元") -> Number:
    """An amount in a column whose unit is ``unit`` (万元 or 元): a unit written in the cell is converted
    ("150万", "125.25万元", "0.5亿", "1,234.5元"). Never raises."""
    if not isinstance(raw, str):
        return parse_number(raw)
    text = normalize_text(raw)
    for suffix, size in _AMOUNT_UNITS:
        if text.endswith(suffix) and len(text) > len(suffix):
            number = parse_number(text[: -len(suffix)])
            if number.value is None:
                return Number(None, ok=False)
            return _finite(number.value * size / AMOUNT_SCALE.get(unit, 1e4))
    return parse_number(text)


# Units of one dimension and their size in its base unit: approved and self-evaluated targets are compared
# after conversion (250万 = 2,500,000元; 1年 = 12个月). Days and months are not converted into each other (a
# month is not a fixed number of days): 30天 against 1个月 is C004, never a lowered target.
UNIT_SIZES: dict[str, tuple[str, float]] = {
    **{unit: ("money", size) for unit, size in _AMOUNT_UNITS},
    "天": ("days", 1.0), "日": ("days", 1.0), "周": ("days", 7.0), "个月": ("months", 1.0), "年": ("months", 12.0),
    "米": ("m", 1.0), "m": ("m", 1.0), "M": ("m", 1.0), "公里": ("m", 1e3), "千米": ("m", 1e3), "km": ("m", 1e3),
    "公斤": ("kg", 1.0), "千克": ("kg", 1.0), "kg": ("kg", 1.0), "斤": ("kg", 0.5), "吨": ("kg", 1e3), "t": ("kg", 1e3),
    "平方米": ("m2", 1.0), "㎡": ("m2", 1.0), "m2": ("m2", 1.0), "万平方米": ("m2", 1e4), "亩": ("m2", 2000 / 3),
    "公顷": ("m2", 1e4),
    "人": ("people", 1.0), "万人": ("people", 1e4), "人次": ("visits", 1.0), "万人次": ("visits", 1e4),
    "户": ("households", 1.0), "万户": ("households", 1e4),
}


def convert(number: float, unit: str, to: str) -> float | None:
    """``number`` in ``unit`` expressed in ``to`` (None when the units are not of one dimension). A compound
    unit converts its first part when the rest is the same (“620万/月” in “元/月”)."""
    if unit == to:
        return number
    head, _, rest = unit.partition("/")
    to_head, _, to_rest = to.partition("/")
    if rest != to_rest:
        return None
    a, b = UNIT_SIZES.get(head), UNIT_SIZES.get(to_head)
    if a is None or b is None or a[0] != b[0]:
        return None
    return number * a[1] / b[1]
