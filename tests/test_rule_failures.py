"""A rule that cannot run says so as an error finding; it never passes silently and never crashes the run.

One test per rule kind: a table (pandera) rule, a plain rule and a batch rule, each registered for the
test only and made to raise.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from jixiao.check.runner import run
from jixiao.cli import main
from jixiao.findings import Severity
from jixiao.profile import Profile, load_profile
from jixiao.rules.registry import REGISTRY, BatchContext, Context, Hit, Rule, TableCheck, load_rules
from tests.conftest import SAMPLES

CLEAN = next(SAMPLES.glob("02_*.xlsx"))


def _raise_table(frame: pd.DataFrame, profile: Profile) -> pd.Series:
    raise ZeroDivisionError("division by zero")


def _raise_plain(ctx: Context) -> list[Hit]:
    raise KeyError("total")


def _raise_batch(ctx: BatchContext) -> list[tuple[int, Hit]]:
    raise RuntimeError("batch boom")


RULES = {
    "table": Rule("X901", "broken-table", Severity.WARNING, "测试用", "misc", "测试用",
                  table=TableCheck("indicators", "score", _raise_table, "不会用到")),
    "plain": Rule("X902", "broken-plain", Severity.INFO, "测试用", "misc", "测试用", check=_raise_plain),
    "batch": Rule("X903", "broken-batch", Severity.WARNING, "测试用", "misc", "测试用", batch=_raise_batch),
}


@pytest.fixture()
def broken(request: pytest.FixtureRequest) -> Iterator[Rule]:
    load_rules()
    rule = RULES[request.param]
    REGISTRY[rule.code] = rule
    try:
        yield rule
    finally:
        del REGISTRY[rule.code]


@pytest.mark.parametrize("broken", ["table", "plain", "batch"], indirect=True)
def test_a_rule_that_raises_is_an_error_finding(broken: Rule, tmp_path: Path) -> None:
    report = run([CLEAN, CLEAN], load_profile())
    for wb in report.workbooks:
        assert wb.status == "errors" and wb.score is not None  # the workbook is still reported
        (finding,) = [f for f in wb.findings if f.code == broken.code]
        assert finding.severity is Severity.ERROR
        assert finding.message.startswith(f"规则 {broken.code} 执行出错")
        assert finding.sheet  # it points somewhere in the table
    assert report.has_errors
    out = tmp_path / "r.json"
    assert main(["check", str(CLEAN), "--json", str(out), "-q"]) == 1


def test_a_stacked_table_missing_a_column_is_a_schema_error_not_a_pass() -> None:
    from jixiao.check.frames import build_tables
    from jixiao.check.runner import load
    from jixiao.check.tables import failing_rows

    profile = load_profile()
    (item,) = load(CLEAN, profile)
    assert item.model is not None and item.card is not None
    frame = build_tables([(0, item.model, item.card)])["indicators"].frame.drop(columns=["status"])
    rules = [r for r in load_rules().values() if r.table is not None and r.table.table == "indicators"]
    failures, broken = failing_rows(frame, "indicators", rules, profile)
    assert failures == []
    assert set(broken) == {r.code for r in rules}
    assert all("status" in reason for reason in broken.values())
