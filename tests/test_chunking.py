"""Results never depend on how a batch is chunked (issue 11, point 1), and a duplicate group is said once
(point 8). Real workbooks, written by openpyxl; the JSON of every run compared whole."""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from jixiao.check.batch import Options, check_files
from jixiao.check.runner import apply_batch_rules, check_chunk
from jixiao.findings import Report
from jixiao.profile import load_profile
from jixiao.report.json_report import dumps
from tests.conftest import SAMPLES, load_spec, patched, write_case


def _without_reason_column(path: Path) -> Path:
    """An agency deleted the 偏差原因分析及改进措施 column of 绩效指标."""
    wb = load_workbook(path)
    wb["绩效指标"].delete_cols(9)
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Sixteen workbooks: the samples in both layouts, variants, one without a column, one unreadable."""
    box = tmp_path_factory.mktemp("mixed")
    files = [Path(shutil.copy(p, box / p.name)) for p in sorted(SAMPLES.glob("*.xls*"))]
    base = load_spec("02")
    for i, change in enumerate(({"indicators.0.score": 15}, {"funds.total.executed": "480万"},
                                {"info.unit": "第二单位", "indicators.1.actual": "210次"},
                                {"indicators.8": {"level1": "效益指标", "level2": "经济效益指标"}},
                                {"info.unit": "第三单位", "summary.总分.score": 100})):
        files.append(write_case(box / f"variant{i}.xlsx", patched(base, change)))
    files.append(_without_reason_column(write_case(box / "缺一列.xlsx", patched(base, {"info.unit": "第四单位"}))))
    files.append(box / "坏文件.xlsx")
    files[-1].write_bytes(b"not a workbook")
    files.append(write_case(box / "variant_dup.xlsx", base))
    assert len(files) == 16
    return sorted(files)


def _json(report: Report) -> dict[str, object]:
    data = json.loads(dumps(report))
    for key in ("started", "seconds", "jobs"):
        data.pop(key, None)
    return data


@pytest.mark.parametrize("jobs", [2, 3, 8])
def test_same_result_for_any_jobs(mixed: list[Path], jobs: int) -> None:
    profile = load_profile()
    one = _json(check_files(mixed, profile, Options(jobs=1)))
    assert _json(check_files(mixed, profile, Options(jobs=jobs))) == one
    missing = [w for w in one["workbooks"] if w["path"].endswith("缺一列.xlsx")]  # type: ignore[union-attr,index]
    assert missing and missing[0]["status"] != "unreadable"


def test_random_chunkings_give_identical_json(mixed: list[Path]) -> None:
    """Property: however the files are cut into chunks, the report is the same."""
    profile = load_profile()
    whole = apply_batch_rules(check_chunk(mixed, profile), profile)
    expected = json.dumps([w.to_dict() for w in whole], ensure_ascii=False, sort_keys=True)
    rnd = random.Random(20261127)
    for _ in range(6):
        cuts = sorted(rnd.sample(range(1, len(mixed)), rnd.randint(1, 6)))
        chunks = [mixed[a:b] for a, b in zip([0, *cuts], [*cuts, len(mixed)], strict=True)]
        results = [r for chunk in chunks for r in check_chunk(chunk, profile)]
        results = apply_batch_rules(results, profile)
        assert json.dumps([w.to_dict() for w in results], ensure_ascii=False, sort_keys=True) == expected


def test_a_duplicate_group_is_said_once(tmp_path: Path) -> None:
    clean = next(SAMPLES.glob("02_*.xlsx"))
    paths = [Path(shutil.copy(clean, tmp_path / f"副本{i:03d}.xlsx")) for i in range(40)]
    report = check_files(paths, load_profile(), Options(jobs=1))
    messages = [f.message for w in report.workbooks for f in w.findings if f.code == "B001"]
    assert len(messages) == 40
    assert "共提交 40 份" in messages[0] and "等 39 份" in messages[0]
    assert messages[0].count("副本") == 10  # ten named, the rest counted
    assert all(m.startswith(f"与 {paths[0]} 是同一项目") for m in messages[1:])
    assert max(len(m) for m in messages) < 2000  # linear in the group, not quadratic
