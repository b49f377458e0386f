"""Profiles: every tunable number comes from the profile file, and a regional profile changes results."""

from __future__ import annotations

from pathlib import Path

import pytest

from jixiao.errors import ProfileError
from jixiao.profile import load_profile
from tests.conftest import SAMPLES, check_one

NATIONAL = Path(__file__).resolve().parent.parent / "src" / "jixiao" / "profiles" / "national.toml"


def test_national_defaults(national) -> None:  # type: ignore[no-untyped-def]
    assert national.weights == {"预算执行率": 10, "产出指标": 50, "效益指标": 30, "满意度指标": 10}
    assert [g.name for g in national.grades] == ["优", "良", "中", "差"]
    assert national.grade_for(90) == "优" and national.grade_for(89.99) == "良" and national.grade_for(59.9) == "差"
    assert national.canonical_grade("合格") == "中" and national.canonical_grade("不合格") == "差"
    assert national.canonical_grade("优秀（99分）") == "优" and national.canonical_grade("等级：良") == "良"
    assert national.canonical_grade("很好") is None


def test_regional_weights_silence_the_weight_warning(tmp_path: Path) -> None:
    text = NATIONAL.read_text("utf-8").replace('"产出指标" = 50', '"产出指标" = 40').replace('"满意度指标" = 10', '"满意度指标" = 15')
    text = text.replace("total = 100", "total = 95")
    prof = tmp_path / "local.toml"
    prof.write_text(text, encoding="utf-8")
    sample = next(SAMPLES.glob("05_*.xlsx"))
    national_codes = {f.code for f in check_one(sample).findings}
    local_codes = {f.code for f in check_one(sample, load_profile(prof)).findings}
    assert {"T001", "T002"} <= national_codes
    assert not {"T001", "T002"} & local_codes


def test_over_completion_threshold_is_tunable(tmp_path: Path) -> None:
    sample = next(SAMPLES.glob("04_*.xlsx"))
    prof = tmp_path / "p.toml"
    prof.write_text(NATIONAL.read_text("utf-8").replace("over_completion = 1.3", "over_completion = 2.0"), "utf-8")
    assert "I011" in {f.code for f in check_one(sample).findings}
    assert "I011" not in {f.code for f in check_one(sample, load_profile(prof)).findings}


@pytest.mark.parametrize("text", ['[weights]\n"产出指标" = "五十"\n', 'name = "x"\n[weights]\n"预算执行率" = 10\n[scoring]\ntotal = "百"\n',
                                  "[[grades]]\nname = 1\n", "wieghts = 1\n", '[level2]\n"产出指标" = "数量指标"\n'])
def test_invalid_profile_is_a_clear_error(tmp_path: Path, text: str) -> None:
    prof = tmp_path / "bad.toml"
    prof.write_text(text, encoding="utf-8")
    with pytest.raises(ProfileError, match="评分口径文件"):
        load_profile(prof)
