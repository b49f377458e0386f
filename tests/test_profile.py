"""Profiles: every tunable number comes from the profile file, and a regional profile changes results."""

from __future__ import annotations

from pathlib import Path

import pytest

from jixiao.errors import ProfileError
from jixiao.profile import load_profile
from tests.conftest import ROOT, SAMPLES, check_one

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


@pytest.mark.parametrize(("text", "key", "near"), [
    ("[scoring]\nover_completon = 1.3\n", "over_completon", "over_completion"),
    ("wieghts = 1\n", "wieghts", "weights"),
    ('[vocabulary.fund_rows]\ntotl = ["合计"]\n', "totl", "total"),
    ("[qualitative.achieved]\nphrase = [\"达成\"]\n", "phrase", "phrases"),
    ("[[detect.when]]\nscore = false\n", "score", "scored"),
])
def test_a_misspelt_setting_is_refused_with_the_nearest_name(tmp_path: Path, text: str, key: str, near: str,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    """Issue 22: a setting jixiao does not know is never ignored (the default would run unseen): exit 2, one
    Chinese line naming it and the nearest valid name."""
    from jixiao.cli import main

    prof = tmp_path / "local.toml"
    prof.write_text(text, encoding="utf-8")
    assert main(["check", str(next(SAMPLES.glob("01_*.xlsx"))), "--profile", str(prof)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and f"不认识的设置：{key}（是不是 {near}？）" in err, err


@pytest.mark.parametrize(("text", "key", "near"), [("yaer = 2025\n", "yaer", "year"),
                                                   ("[[accept]]\ncode = \"T001\"\nreasn = \"批复\"\n", "reasn", "reason")])
def test_a_misspelt_key_in_jixiao_toml_is_refused(tmp_path: Path, text: str, key: str, near: str,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    from jixiao.cli import main

    (tmp_path / "jixiao.toml").write_text(text, encoding="utf-8")
    sample = next(SAMPLES.glob("01_*.xlsx"))
    (tmp_path / sample.name).write_bytes(sample.read_bytes())
    assert main(["check", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert f"不认识的设置：{key}（是不是 {near}？）" in err, err


def test_bundled_regional_profiles_are_layers_over_national() -> None:
    """Issue 22: a shipped regional profile holds only what differs (under half the national file's lines) and is
    layered over national exactly as a local one is; its detection and vocabulary come from its TOML."""
    from jixiao.profile import bundled_names, bundled_profile, regional_profiles

    folder = NATIONAL.parent
    national_lines = len(NATIONAL.read_text("utf-8").splitlines())
    national = bundled_profile("national")
    regional = [n for n in bundled_names() if n != "national"]
    assert set(regional) == {"budget10_free", "budget20", "framework", "framework3", "no_score", "transfer"}
    for name in regional:
        text = (folder / f"{name}.toml").read_text("utf-8")
        assert len(text.splitlines()) < national_lines / 2, name
        assert 'extends = "national"' in text
        profile = bundled_profile(name)
        assert profile.grades == national.grades and profile.bands == national.bands  # inherited
        assert profile.vocabulary.fund_rows == national.vocabulary.fund_rows
    assert bundled_profile("budget10_free").weights == {"预算执行率": 10}  # a scheme is replaced whole
    assert bundled_profile("framework").level2_older == {}
    assert [p.name for p in regional_profiles()] == ["no_score", "budget10_free", "budget20", "framework3", "framework"]


def test_a_local_profile_may_extend_a_regional_one(tmp_path: Path) -> None:
    prof = tmp_path / "本地.toml"
    prof.write_text('extends = "budget20"\n[scoring]\nover_completion = 1.5\n', encoding="utf-8")
    profile = load_profile(prof)
    assert profile.weights["预算执行率"] == 20 and profile.over_completion == 1.5
    assert profile.detect is None  # detection is the shipped profile's own, never inherited


def test_a_region_is_one_toml_file(tmp_path: Path) -> None:
    """What docs/template.md shows: the transfer-payment form's words are one TOML file (profiles/transfer.toml)
    over the national vocabulary; without it the real 阆中 table (K05) has three false “缺少项目名称/主管部门/实施单位”;
    a local profile extends the words the same way."""
    from jixiao.profile import bundled_profile

    transfer = bundled_profile("transfer")
    assert "资金使用单位" in transfer.vocabulary.info["unit"] and transfer.vocabulary.info["unit"][0] == "实施单位"
    k05 = next((ROOT / "tests" / "fixtures" / "official").glob("K05_*.xlsx"))
    result = check_one(k05)
    assert not [f for f in result.findings if f.code == "S003"]
    assert result.project == {"name": "车辆购置税收入补助地方资金(普通省道公路建设)", "year": "2021",
                              "department": "阆中市交通运输局", "unit": "阆中市交通运输局"}
    prof = tmp_path / "本地.toml"
    prof.write_text('[vocabulary.fund_rows]\ntotal = ["计划投资额"]\n', encoding="utf-8")
    profile = load_profile(prof)
    assert profile.vocabulary.fund_rows["total"][0] == "年度资金总额"
    assert profile.vocabulary.fund_rows["total"][-1] == "计划投资额"
