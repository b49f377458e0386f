"""The value parser: what agencies really type, and property-based guarantees."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jixiao.values import GE, LE, SHORT, chinese_to_int, parse_number, parse_quantity, short_cached

CASES = [
    ("963个", ("number", None, 963, "个")),
    ("≥80%", ("number", GE, 80, "%")),
    ("100.00%", ("number", None, 100, "%")),
    ("≧ 95 %", ("number", GE, 95, "%")),
    ("不低于95%", ("number", GE, 95, "%")),
    ("不少于 20 次", ("number", GE, 20, "次")),
    (">=90%", ("number", GE, 90, "%")),
    ("≤12个月", ("number", LE, 12, "个月")),
    ("≦3天", ("number", LE, 3, "天")),
    ("不超过89元", ("number", LE, 89, "元")),
    ("＝100％", ("number", "=", 100, "%")),
    ("═100%", ("number", "=", 100, "%")),
    ("十二个月", ("number", None, 12, "个月")),
    ("八十", ("number", None, 80, "")),
    ("１，２２８人次", ("number", None, 1228, "人次")),
    ("1,228", ("number", None, 1228, "")),
    ("９８％", ("number", None, 98, "%")),
    ("12月底前", ("number", LE, 12, "月")),
    ("9月前", ("number", LE, 9, "月")),
    ("95%以上", ("number", GE, 95, "%")),
    ("3天以内", ("number", LE, 3, "天")),
    ("≥100百分比", ("number", GE, 100, "%")),
    ("已完成100%", ("number", None, 100, "%")),
    ("1-12月", ("number", None, 12, "月")),
    ("100万元", ("number", None, 100, "万元")),
    ("维护", ("text", None, None, "")),
    ("达成年度指标", ("text", None, None, "")),
    ("完成100个点位建设", ("text", None, None, "")),
    ("—", ("blank", None, None, "")),
    ("/", ("blank", None, None, "")),
    ("无", ("blank", None, None, "")),
    ("", ("blank", None, None, "")),
    ("≥**平方米", ("placeholder", None, None, "")),
    ("指标1:", ("placeholder", None, None, "")),
    ("……", ("placeholder", None, None, "")),
]


@pytest.mark.parametrize(("raw", "want"), CASES)
def test_parse_quantity(raw: str, want: tuple[str, str | None, float | None, str]) -> None:
    q = parse_quantity(raw)
    assert (q.kind, q.comparator, q.number, q.unit) == want


def test_excel_number_is_bare() -> None:
    q = parse_quantity(0.98)
    assert (q.kind, q.number, q.bare) == ("number", 0.98, True)


@pytest.mark.parametrize(("raw", "value"), [("15", 15), ("15 分", 15), ("１５", 15), (10, 10), ("1,228.5", 1228.5),
                                            ("233万元", 233), ("八十", 80)])
def test_parse_number(raw: object, value: float) -> None:
    assert parse_number(raw).value == value


@pytest.mark.parametrize("raw", ["满分", "见附件", "abc", True])
def test_parse_number_unreadable(raw: object) -> None:
    n = parse_number(raw)
    assert n.value is None and not n.ok


def test_percent_flag() -> None:
    assert parse_number("98%").percent and not parse_number("98").percent


@pytest.mark.parametrize(("text", "value"), [("八", 8), ("十", 10), ("十二", 12), ("八十", 80), ("一百二十", 120),
                                             ("两", 2), ("甲", None)])
def test_chinese_numerals(text: str, value: int | None) -> None:
    assert chinese_to_int(text) == value


@given(st.one_of(st.text(), st.integers(), st.floats(), st.none(), st.booleans()))
def test_parsers_never_raise(raw: object) -> None:
    parse_quantity(raw)
    parse_number(raw)


_UNITS = st.sampled_from(["", "%", "个", "人次", "天", "个月", "万元", "公里", "平方米"])
_COMPS = st.sampled_from([None, ">=", "<=", "="])


@given(_COMPS, st.decimals(min_value=0, max_value=10**7, places=2, allow_nan=False), _UNITS)
def test_quantity_round_trips(comparator: str | None, number: object, unit: str) -> None:
    text = f"{comparator or ''}{number}{unit}"
    q = parse_quantity(text)
    assert q.kind == "number"
    again = parse_quantity(q.format())
    assert (again.comparator, again.number, again.unit) == (q.comparator, q.number, q.unit)
    assert q.number == pytest.approx(float(str(number)))


def test_short_cached_memo_is_bounded_typed_and_skips_long_texts() -> None:
    """The text memo of values.short_cached: a text is worked out once, a long one every time, the memo never
    grows past its size, and the cell True is not the cell 1."""
    calls: list[object] = []

    def spell(value: object) -> str:
        calls.append(value)
        return f"{type(value).__name__}:{value}"

    seen = short_cached(4, typed=True)(spell)

    assert seen("产出指标") == seen("产出指标") == "str:产出指标"
    assert calls == ["产出指标"]
    long = "长" * (SHORT + 1)
    seen(long), seen(long)
    assert calls.count(long) == 2  # never kept

    class Text(str):
        pass

    seen(Text(long)), seen(Text(long))
    assert calls.count(long) == 4  # nor a long text of a str subclass
    assert seen(True) == "bool:True" and seen(1) == "int:1" and seen(1.0) == "float:1.0"
    assert seen(["unhashable"]) == "list:['unhashable']"
    for i in range(50):
        seen(f"文字{i}")
    assert vars(seen)["cache_size"]() <= 4 + 4  # the text memo and the lru_cache


def test_label_table_matches_like_matches_in_order_and_keeps_short_labels_only() -> None:
    """parse.labels.LabelTable answers what labels.matches answers for each key, in the table's order."""
    from jixiao.parse.labels import LabelTable, key, matches

    groups = {"total": ("年度资金总额", "合计"), "fiscal": ("财政拨款",), "sum": ("合计", "总计")}
    table = LabelTable(groups)
    for text in ("年度资金总额", "合计（万元）", "其中：财政拨款", "财政拨款(A)", "总计", "其他资金", ""):
        want = tuple(k for k, names in groups.items() if key(text) and matches(key(text), names))
        assert table.find(key(text)) == table.find(key(text)) == want
    assert table.find(key("合计")) == ("total", "sum")
    long = "合" * (SHORT + 1)
    assert table.find(long) == ()
    assert vars(table.find)["cache_size"]() == len({key(t) for t in ("年度资金总额", "合计（万元）", "其中：财政拨款",
                                                              "财政拨款(A)", "总计", "其他资金", "", "合计")})
