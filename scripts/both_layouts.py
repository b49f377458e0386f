"""Every real table of tests/fixtures/official checked in both layouts: as published (the official form) and
filled into the jixiao template from what was read, every error of each side by side — for reading them as a
finance officer would (is each one right, is each real defect said once?).

    python scripts/both_layouts.py [OUT_DIR]

What the template asks and the published form did not (自评等级, the budget row's 得分) shows on the template
side only; everything else should match. Writes the template copies to OUT_DIR (default: a temporary folder).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "src")]

from tests.test_official import REAL, _fixture  # noqa: E402

from jixiao.check.runner import run  # noqa: E402
from jixiao.model import Evaluation, Field  # noqa: E402
from jixiao.parse import read_tables  # noqa: E402
from jixiao.parse.lexicon import lexicon_for  # noqa: E402
from jixiao.profile import load_profile  # noqa: E402
from jixiao.template.build import write_workbook  # noqa: E402

_SUB_ROWS = ("current", "carryover", "other")


def _raw(fld: Field | None) -> object:
    return None if fld is None else fld.raw


def spec_of(model: Evaluation) -> dict[str, Any]:
    """The template spec holding what the official form's model read (values as written)."""
    info = {k: _raw(model.info.get(k)) for k in ("year", "name", "department", "unit", "goal_expected",
                                                  "goal_actual", "grade")}
    funds: dict[str, dict[str, object]] = {}
    for key, row in model.funds.items():
        if key == "total":
            funds["total"] = {c: _raw(getattr(row, c)) for c in ("initial", "budget", "executed", "weight", "rate",
                                                                   "score")}
            continue
        slot = key if key in _SUB_ROWS else next((s for s in _SUB_ROWS if s not in funds), None)
        if slot is not None:
            funds[slot] = {c: _raw(getattr(row, c)) for c in ("initial", "budget", "executed")}
    # a 得分 merged over several rows (inherited by the rows below) is written once, in the group's first row
    indicators = [{k: None if k in i.inherited and k in ("weight", "score") else _raw(getattr(i, k))
                   for k in ("level1", "level2", "name", "target", "actual", "weight", "score", "reason")}
                  for i in model.indicators]
    summary: dict[str, dict[str, object]] = {label: {"weight": _raw(c.weight), "score": _raw(c.score)}
                                             for label, c in model.claims.items()}
    if model.total is not None:
        summary.setdefault("总分", {})["score"] = _raw(model.total)
    return {"info": info, "funds": funds, "indicators": indicators, "summary": summary}


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp(prefix="jixiao-layouts-"))
    out.mkdir(parents=True, exist_ok=True)
    profile = load_profile()
    for prefix in sorted(REAL):
        path = _fixture(prefix)
        (model,) = read_tables(path, lexicon_for(profile)).tables
        template = write_workbook(out / f"{prefix}.xlsx", spec_of(model))
        (official,) = run([path], profile).workbooks
        (filled,) = run([template], profile).workbooks
        print(f"=== {path.name}: official {official.profile}, {official.errors} errors; "
              f"template {filled.profile}, {filled.errors} errors")
        for side, wb in (("official", official), ("template", filled)):
            for f in wb.findings:
                if f.severity.value == "error":
                    print(f"  {side:8} {f.code} {f.where}  应为 {f.expected}  实际 {f.actual}  {f.message}")


if __name__ == "__main__":
    main()
