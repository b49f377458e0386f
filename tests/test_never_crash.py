"""Property: whatever the cells hold, parse → score → check never raises (hypothesis)."""

from __future__ import annotations

import datetime
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixiao.check.runner import Loaded, check_loaded
from jixiao.parse.lexicon import lexicon_for
from jixiao.parse.template import parse_workbook
from jixiao.profile import load_profile
from jixiao.read.excel import RawWorkbook
from jixiao.score.scorer import score
from jixiao.template.spec import FUND_ROWS, FUNDS, INDICATORS, INFO, INFO_FIELDS, SUMMARY, SUMMARY_ROWS

PROFILE = load_profile()
VALUES = st.one_of(
    st.none(), st.integers(-10**6, 10**6), st.floats(allow_nan=True, allow_infinity=True), st.booleans(),
    st.text(max_size=12), st.sampled_from(["≥95%", "≤12个月", "—", "≥**", "98", "0.98", "十二", "优秀", "基本完成",
                                          "=1+", "产出指标", "数量指标", "定量反向", "定性", "1,228人次", "100%"]),
    st.dates(min_value=datetime.date(1990, 1, 1), max_value=datetime.date(2100, 1, 1)),
)

LEX = lexicon_for(load_profile())


def _sheet(headers: list[str], labels: list[str], rows: int, draw: st.DrawFn) -> list[list[object]]:
    grid: list[list[object]] = [list(headers)]
    for i in range(rows):
        label: object = labels[i] if i < len(labels) else draw(VALUES)
        grid.append([label, *[draw(VALUES) for _ in headers[1:]]])
    return grid


@st.composite
def workbooks(draw: st.DrawFn) -> RawWorkbook:
    sheets = {
        INFO.name: _sheet([c.header for c in INFO.columns], [f.label for f in INFO_FIELDS], len(INFO_FIELDS), draw),
        FUNDS.name: _sheet([c.header for c in FUNDS.columns], list(FUND_ROWS), draw(st.integers(0, 5)), draw),
        INDICATORS.name: _sheet([c.header for c in INDICATORS.columns], [], draw(st.integers(0, 8)), draw),
        SUMMARY.name: _sheet([c.header for c in SUMMARY.columns], list(SUMMARY_ROWS), draw(st.integers(0, 6)), draw),
    }
    if draw(st.booleans()):
        sheets.pop(draw(st.sampled_from(sorted(sheets))))
    return RawWorkbook(Path("random.xlsx"), sheets, list(sheets))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(workbooks())
def test_parse_score_check_never_raise(raw: RawWorkbook) -> None:
    model = parse_workbook(raw, LEX)
    loaded = Loaded(raw.path, model, score(model, PROFILE))
    (result,) = check_loaded([loaded], PROFILE)
    assert result.status in ("clean", "warnings", "errors")
    assert not [f for f in result.findings if "执行出错" in f.message], [f.message for f in result.findings]
