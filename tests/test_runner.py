"""The runner's promises: a broken rule becomes a finding, never a crash; rule selection by prefix."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from jixiao.check.runner import _enabled, run
from jixiao.findings import Severity
from jixiao.profile import load_profile
from jixiao.rules.registry import REGISTRY, Context, Hit, Rule, load_rules
from tests.conftest import SAMPLES


def _broken(ctx: Context) -> Iterable[Hit]:
    raise ZeroDivisionError("boom")


def test_a_rule_that_raises_is_reported_not_fatal() -> None:
    load_rules()
    REGISTRY["Z999"] = Rule("Z999", "broken", Severity.ERROR, "测试用的坏规则", "misc", "Z999", check=_broken)
    try:
        (wb,) = run([next(SAMPLES.glob("02_*.xlsx"))], load_profile()).workbooks
    finally:
        del REGISTRY["Z999"]
    (finding,) = [f for f in wb.findings if f.code == "Z999"]
    # The message says what was not checked and under which log number; the trace goes to the log only.
    assert "执行出错" in finding.message and "ZeroDivisionError" not in finding.message
    (incident,) = [i for i in wb.incidents if i.ref in finding.message]
    assert "ZeroDivisionError: boom" in incident.detail and incident.stage == "check"
    assert wb.status == "errors" and wb.score is not None


def test_selection_longest_prefix_wins() -> None:
    assert _enabled("I005", [], [])
    assert not _enabled("I005", [], ["I"])
    assert _enabled("I005", [], ["I006"])
    assert _enabled("I005", ["I00"], ["I"])
    assert not _enabled("I005", ["I"], ["I00"])
    assert not _enabled("T001", ["I"], [])


def test_report_path_order_is_the_given_order(tmp_path: Path) -> None:
    files = sorted(SAMPLES.glob("*.xlsx"), reverse=True)
    report = run(files, load_profile())
    assert [w.path for w in report.workbooks] == [str(f) for f in files]
