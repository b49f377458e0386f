"""The officer's order of work and the 复核 sample (issue 26), over the real official tables of tests/fixtures.

Every table whose grade changes on re-scoring comes first in the 汇总 sheet and the console's overview, then the
over-scored ones weighed by the money concerned; ``--sample`` takes every grade change and draws the rest by
weight, the same picks for the same folder and seed wherever the folder lies and however many workers check it.
"""

from __future__ import annotations

import json
import math
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from jixiao.check.stake import draw, parse_asked
from jixiao.cli import main
from jixiao.errors import JixiaoError
from jixiao.findings import Report, WorkbookResult
from jixiao.profile import ProfileError, bundled_profile, load_profile
from tests.serve_helpers import ROOT

OFFICIAL = ROOT / "tests" / "fixtures" / "official"
NATIONAL = bundled_profile("national")


def _grade_changes(report: dict[str, Any]) -> set[tuple[str, str | None]]:
    """The tables whose grade changes, worked out here from the scores the JSON report gives: the grade written,
    or the one the written total falls in, against the re-scored one."""
    out = set()
    for w in report["workbooks"]:
        s = w["score"]
        if not s or not s["recomputed_grade"]:
            continue
        claimed = s["claimed_grade"] or (NATIONAL.grade_for(s["claimed_total"]) if s["claimed_total"] is not None
                                         else None)
        if claimed and claimed != s["recomputed_grade"]:
            out.add((Path(w["path"]).name, w["sheet"]))
    return out


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("stake")
    summary, report = out / "汇总.xlsx", out / "report.json"
    main(["check", str(OFFICIAL), "--summary", str(summary), "--json", str(report), "--sample", "20%", "--seed",
          "20261207", "-q"])
    return {"summary": load_workbook(summary), "report": json.loads(report.read_text("utf-8")), "dir": out}


def _rows(book: Any, sheet: str) -> list[dict[str, Any]]:
    ws = book[sheet]
    header = [c.value for c in ws[1]]
    return [dict(zip(header, r, strict=False)) for r in ws.iter_rows(min_row=2, values_only=True)]


def test_every_grade_change_comes_first_then_over_scoring_by_money(run: dict[str, Any]) -> None:
    changes = _grade_changes(run["report"])
    assert len(changes) >= 3  # the corpus has them: P01 (优→差 on its own total), E03, half_readable
    rows = _rows(run["summary"], "汇总")
    first = [(r["文件名"], r["工作表"]) for r in rows[:len(changes)]]
    assert set(first) == changes
    assert all(r["优先原因"].startswith("等级 ") for r in rows[:len(changes)])
    assert not any(r["优先原因"].startswith("等级 ") for r in rows[len(changes):])
    assert [r["优先顺序"] for r in rows] == list(range(1, len(rows) + 1))
    # Then the over-scored tables, most points × money first; the reason says the points and the money.
    over = [r for r in rows[len(changes):] if r["优先原因"].startswith("多计")]
    assert over and rows[len(changes)]["优先原因"].startswith("多计")
    stakes = [(w["priority"]["points"]) for w in run["report"]["workbooks"] if w["priority"]["rank"] == 1]
    assert sorted(stakes, reverse=True) == [w["priority"]["points"] for w in sorted(
        (w for w in run["report"]["workbooks"] if w["priority"]["rank"] == 1),
        key=lambda w: -w["priority"]["points"])]
    four = next(r for r in over if r["工作表"] == "基本公共卫生服务")
    assert four["优先原因"] == "多计 5.55 分；涉及资金 300 万元" and four["涉及资金（万元）"] == 300
    p01 = next(r for r in rows if r["文件名"].startswith("P01"))
    assert p01["优先原因"] == "等级 优→差（按自评总分）；多计 60 分；涉及资金 880 万元"


def test_the_sample_takes_every_grade_change_and_a_weighted_share(run: dict[str, Any]) -> None:
    report = run["report"]
    sample = report["sample"]
    readable = [w for w in report["workbooks"] if w["status"] != "unreadable"]
    assert sample["seed"] == 20261207 and sample["asked"] == "20%"
    assert sample["size"] == math.ceil(len(readable) * 0.2) == len(sample["picked"])
    picked = {(Path(p["path"]).name, p["sheet"]) for p in sample["picked"]}
    assert _grade_changes(report) <= picked
    assert {p["why"] for p in sample["picked"]} == {"等级变化", "加权抽取"}
    sheet = _rows(run["summary"], "复核抽查")
    assert [(r["文件名"], r["工作表"]) for r in sheet] == [(Path(p["path"]).name, p["sheet"]) for p in sample["picked"]]
    marked = [r for r in _rows(run["summary"], "汇总") if r["复核抽查"]]
    assert len(marked) == len(picked)
    about = {r[0].value: r[1].value for r in run["summary"]["说明"].iter_rows()}
    assert "随机种子 20261207" in about["复核抽查"] and "--seed 20261207" in about["复核抽查"]


def test_same_folder_and_seed_same_picks_wherever_and_however_checked(run: dict[str, Any], tmp_path: Path) -> None:
    moved = tmp_path / "别处" / "收到的表"
    shutil.copytree(OFFICIAL, moved)
    again = tmp_path / "again.json"
    main(["check", str(moved), "--json", str(again), "--sample", "20%", "--seed", "20261207", "-j", "2", "-q"])

    def names(report: dict[str, Any]) -> list[tuple[str, str | None, str]]:
        return [(Path(p["path"]).name, p["sheet"], p["why"]) for p in report["sample"]["picked"]]

    assert names(json.loads(again.read_text("utf-8"))) == names(run["report"])
    other = tmp_path / "other.json"
    main(["check", str(moved), "--json", str(other), "--sample", "20%", "--seed", "1", "-q"])
    assert names(json.loads(other.read_text("utf-8"))) != names(run["report"])


def test_a_table_at_stake_is_drawn_more_often_than_a_clean_one() -> None:
    """Over 400 seeds, one table drawn besides the one grade change: the over-scored sheet (weight 18.9 of about 43
    in all) is drawn about 44% of the time, a clean table (weight 1) about 2%."""
    from jixiao.check.runner import run as check

    report: Report = check([OFFICIAL / "four_tables.xls", *sorted(OFFICIAL.glob("[A-E]0*.xls*"))], NATIONAL)
    from jixiao.check.stake import with_stakes

    results: list[WorkbookResult] = with_stakes(report.workbooks, NATIONAL)
    counts: Counter[tuple[str, str | None]] = Counter()
    for seed in range(400):
        for p in draw(results, "2", seed, NATIONAL).picked:
            if p.why == "加权抽取":
                counts[(Path(p.path).name, p.sheet)] += 1
    heavy = counts[("four_tables.xls", "基本公共卫生服务")]
    clean = [r for r in results if r.status == "clean" and (r.stake and r.stake.rank != 0)]
    assert clean, "the corpus has clean tables"
    assert heavy > 120 and all(counts[(Path(r.path).name, r.sheet)] < heavy / 3 for r in clean)


def test_asked_share_and_seed_are_checked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert parse_asked("20%") == "20%" and parse_asked(" 15 ") == "15" and parse_asked("12.5％") == "12.5%"
    for bad in ("0%", "120%", "abc", "0", "1.5"):
        with pytest.raises(JixiaoError):
            parse_asked(bad)
    assert main(["check", str(OFFICIAL / "A01_hubei_ezhou_czj_disanfang.xls"), "--seed", "3"]) == 2
    assert "--seed 只与 --sample 一起使用" in capsys.readouterr().err
    assert main(["check", str(OFFICIAL / "A01_hubei_ezhou_czj_disanfang.xls"), "--sample", "两成"]) == 2
    assert "--sample 应写成百分比" in capsys.readouterr().err


def test_the_priority_weights_come_from_the_profile(tmp_path: Path) -> None:
    local = tmp_path / "口径.toml"
    local.write_text("[priority]\nmoney_scale = 50\nlowered_codes = [\"C001\"]\n", "utf-8")
    profile = load_profile(local)
    assert profile.priority.money_scale == 50 and profile.priority.lowered_codes == ("C001",)
    assert profile.priority.money_floor == NATIONAL.priority.money_floor
    for text, said in (("[priority]\nmoney = 5\n", "不认识的设置：money"), ("[priority]\nmoney_scale = 0\n", "money_scale"),
                       ("[priority]\nerror_points = -1\n", "error_points"),
                       ("[priority]\nlowered_codes = \"C001\"\n", "lowered_codes")):
        local.write_text(text, "utf-8")
        with pytest.raises(ProfileError, match=said):
            load_profile(local)


def test_the_console_overview_is_in_the_same_order(capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    files = [OFFICIAL / n for n in ("four_tables.xls", "P01_anhui_tianchang_shuihanfangyu.xlsx",
                                    "C01_shanghai_putuo_tiyu.xlsx")] + sorted(OFFICIAL.glob("[A-B]0*.xls*"))
    main(["check", *map(str, files), "--sample", "3", "--seed", "5"])
    out = capsys.readouterr().out
    table = out.split("检查结果一览", 1)[1].split("共 ", 1)[0]
    lines = [line for line in table.splitlines() if ".xls" in line]
    assert "P01_" in lines[0] and "等级 优→差" in lines[0]
    assert "多计 5.55 分" in lines[1]
    assert "复核抽查（3，种子 5）：3 张，其中等级变化 1 张、加权抽取 2 张" in out
