"""Scoring profile: every number a finance bureau might set differently.

The national default ships as ``profiles/national.toml``; the profiles regional layouts call for ship beside
it (``budget10_free``, ``budget20``, ``framework``, ``no_score``) and are chosen when such a layout is
recognised. ``--profile FILE`` replaces them all; the file holds only the settings it changes (the rest
come from the national profile).
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from jixiao.errors import ProfileError

BUDGET_CATEGORY = "预算执行率"


@dataclass(frozen=True)
class Grade:
    """One grade band: ``name`` applies when total >= ``min``."""

    name: str
    min: float
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Band:
    """A qualitative level: score share in [low, high], recognised by phrases."""

    level: str
    low: float
    high: float
    phrases: tuple[str, ...]


@dataclass(frozen=True)
class Profile:
    """All tunable numbers of the scoring rules."""

    name: str
    title: str
    weights: dict[str, float]
    total: float
    decimals: int
    score_tolerance: float
    sum_tolerance: float
    amount_tolerance: float
    rate_tolerance: float
    equal_tolerance: float
    over_completion: float
    budget_rate_cap: float
    fraction_max: float
    low_execution: float
    grades: tuple[Grade, ...]
    bands: tuple[Band, ...]
    level2: dict[str, tuple[str, ...]]
    source: str
    level2_aliases: dict[str, str] = field(default_factory=dict)
    # A 分值 a form writes for the budget part up to this is the form's own scheme (scored against it, T001
    # reports the deviation); above it (“100” in the 分值 cell) it is a slip, and the profile's weight holds.
    budget_weight_max: float = 30.0
    # Two indicator names under the same 一级 at least this alike (difflib's ratio) are one indicator renamed
    # when a table is compared with its approved targets (C011 reports the renaming).
    rename_similarity: float = 0.6
    # 二级 accepted under another 一级 where the form has no row under their own 一级 (older forms file
    # 服务对象满意度指标 under 效益指标 and have no 满意度指标 一级).
    level2_older: dict[str, tuple[str, ...]] = field(default_factory=dict)
    level1_aliases: dict[str, str] = field(default_factory=dict)  # other names of a 一级 → the profile's name
    # 二级 whose amounts are costs: an amount target written without “≤” is read as one (spending less meets it).
    reverse_level2: tuple[str, ...] = ()
    # 一级 scored by 评价要点 (the 决策 / 过程 of the framework profile): their rows have no 年度指标值 by design.
    criteria: tuple[str, ...] = ()

    @property
    def categories(self) -> list[str]:
        """First-level categories of indicators (the budget part excluded)."""
        return [c for c in self.weights if c != BUDGET_CATEGORY]

    def grade_for(self, total: float) -> str:
        """The canonical grade of a total score."""
        for grade in self.grades:
            if total >= grade.min - 1e-9:
                return grade.name
        return self.grades[-1].name

    def canonical_grade(self, text: str) -> str | None:
        """Map 优秀/良好/合格… to 优/良/中/差 (also “优秀（99分）”, 等级：优); None when not a grade word."""
        cleaned = unicodedata.normalize("NFKC", text).strip().strip("“”\"'")
        cleaned = re.sub(r"\(.*\)$", "", cleaned).removeprefix("等级").lstrip(":：").strip()
        cleaned = cleaned.removesuffix("等级").removesuffix("级").strip()
        for grade in self.grades:
            if cleaned == grade.name or cleaned in grade.aliases:
                return grade.name
        return None

    def canonical_level1(self, label: str) -> str:
        """A 一级 name as the profile spells it: “产出指标等”, “产出” → 产出指标 (``label`` is already free of
        “（50分）” notes: Field.label)."""
        memo: dict[str, str] = self._memo("level1")
        if label not in memo:
            text = label.removesuffix("等")
            text = self.level1_aliases.get(text, text)
            memo[label] = next((n for n in (text, text + "指标") if n in self.level2 or n in self.weights), text)
        return memo[label]

    def canonical_level2(self, label: str) -> str:
        """A 二级 name as the profile spells it: “服务对象满意度指标等”, “生态效益”, “满意度指标”
        ([level2_aliases]) → the legal name; anything else unchanged."""
        memo: dict[str, str] = self._memo("level2")
        if label not in memo:
            text = label.removesuffix("等")
            legal = {n for names in self.level2.values() for n in names}
            found = next((n for n in (text, text + "指标") if n in legal), None)
            memo[label] = found or self.level2_aliases.get(text, self.level2_aliases.get(text + "指标", text))
        return memo[label]

    def home_of(self, level2: str) -> str | None:
        """The one 一级 a (canonical) 二级 belongs to, or None when none or several."""
        memo: dict[str, str | None] = self._memo("home")
        if level2 not in memo:
            homes = [l1 for l1, names in self.level2.items() if level2 in names]
            memo[level2] = homes[0] if len(homes) == 1 else None
        return memo[level2]

    def _memo(self, kind: str) -> dict[str, Any]:
        """Per-profile caches of the name lookups (a batch asks the same few names again and again)."""
        memos: dict[str, dict[str, Any]] = self.__dict__.setdefault("_memos", {})
        return memos.setdefault(kind, {})

    def band(self, level: str) -> Band:
        """The qualitative band called ``level`` (achieved / partial / failed)."""
        for band in self.bands:
            if band.level == level:
                return band
        raise KeyError(level)

    def round(self, value: float) -> float:
        """Round a recomputed score to the profile's precision."""
        return round(value + 0.0, self.decimals)


_LEVEL_ORDER = ("failed", "partial", "achieved")


def _number(section: dict[str, Any], key: str, where: str) -> float:
    value = section.get(key)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ProfileError(f"评分口径文件 {where} 中 {key} 应为数字，实际为 {value!r}")
    return float(value)


def _parse(data: dict[str, Any], source: str) -> Profile:
    try:
        weights = {str(k): float(v) for k, v in data["weights"].items()}
        scoring = data["scoring"]
        grades = tuple(
            Grade(str(g["name"]), float(g["min"]), tuple(str(a) for a in g.get("aliases", [])))
            for g in data["grades"]
        )
        qual = data["qualitative"]
        bands = tuple(
            Band(level, float(qual[level]["low"]), float(qual[level]["high"]),
                 tuple(str(p) for p in qual[level]["phrases"]))
            for level in _LEVEL_ORDER
        )
        level2 = {str(k): tuple(str(x) for x in v) for k, v in data["level2"].items()}
        level2_aliases = {str(k): str(v) for k, v in data.get("level2_aliases", {}).items()}
        level2_older = {str(k): tuple(str(x) for x in v) for k, v in data.get("level2_older", {}).items()}
        level1_aliases = {str(k): str(v) for k, v in data.get("level1_aliases", {}).items()}
        indicators = data.get("indicators", {})
        reverse_level2 = tuple(str(x) for x in indicators.get("reverse_level2", ()))
        criteria = tuple(str(x) for x in indicators.get("criteria", ()))
    except (KeyError, TypeError, ValueError) as exc:
        raise ProfileError(f"评分口径文件 {source} 缺少或写错了设置：{exc}") from None
    if BUDGET_CATEGORY not in weights:
        raise ProfileError(f"评分口径文件 {source} 的 [weights] 缺少“{BUDGET_CATEGORY}”")
    if not grades:
        raise ProfileError(f"评分口径文件 {source} 没有定义等级 [[grades]]")
    return Profile(
        name=str(data.get("name", Path(source).stem)),
        title=str(data.get("title", data.get("name", source))),
        weights=weights,
        total=_number(scoring, "total", source),
        decimals=int(_number(scoring, "decimals", source)),
        score_tolerance=_number(scoring, "score_tolerance", source),
        sum_tolerance=_number(scoring, "sum_tolerance", source),
        amount_tolerance=_number(scoring, "amount_tolerance", source),
        rate_tolerance=_number(scoring, "rate_tolerance", source),
        equal_tolerance=_number(scoring, "equal_tolerance", source),
        over_completion=_number(scoring, "over_completion", source),
        budget_rate_cap=_number(scoring, "budget_rate_cap", source),
        fraction_max=_number(scoring, "fraction_max", source),
        low_execution=_number(scoring, "low_execution", source),
        budget_weight_max=float(scoring.get("budget_weight_max", 30.0)),
        rename_similarity=float(scoring.get("rename_similarity", 0.6)),
        grades=tuple(sorted(grades, key=lambda g: -g.min)),
        bands=bands,
        level2=level2,
        source=source,
        level2_aliases=level2_aliases,
        level2_older=level2_older,
        level1_aliases=level1_aliases,
        reverse_level2=reverse_level2,
        criteria=criteria,
    )


@lru_cache(maxsize=16)
def bundled_profile(name: str) -> Profile:
    """A profile shipped with jixiao (``profiles/NAME.toml``), e.g. the one a recognised layout calls for."""
    text = resources.files("jixiao").joinpath(f"profiles/{name}.toml").read_text("utf-8")
    return _parse(tomllib.loads(text), f"{name}.toml（内置）")


BUNDLED = ("national", "budget10_free", "budget20", "framework", "no_score")


def toml_error(exc: tomllib.TOMLDecodeError) -> str:
    """Where a TOML file is malformed, in Chinese (tomllib's message is English)."""
    match = re.search(r"line (\d+), column (\d+)", str(exc))
    return f"第 {match.group(1)} 行第 {match.group(2)} 列附近写法有误" if match else "写法有误"


def _merge(base: dict[str, Any], local: dict[str, Any]) -> dict[str, Any]:
    """``local`` over ``base``: tables merge key by key, anything else replaces."""
    out = dict(base)
    for key, value in local.items():
        out[key] = _merge(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


_TOP = frozenset({"name", "title", "weights", "scoring", "grades", "qualitative", "level2", "level2_aliases",
                  "level2_older", "level1_aliases", "indicators"})


def _validate(data: dict[str, Any], source: str) -> None:
    """One Chinese line naming the first setting that is wrong (a local file may hold only some)."""
    where = f"评分口径文件 {source}"
    unknown = sorted(set(data) - _TOP)
    if unknown:
        raise ProfileError(f"{where} 中有不认识的设置：{'、'.join(unknown)}（可用：{'、'.join(sorted(_TOP))}）")
    for section in ("weights", "scoring", "qualitative", "level2", "level2_aliases", "level2_older", "level1_aliases",
                    "indicators"):
        if section in data and not isinstance(data[section], dict):
            raise ProfileError(f"{where} 中 {section} 应写成 [{section}] 表")
    for key, value in data.get("weights", {}).items():
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ProfileError(f"{where} 中 [weights] 的“{key}”应为数字，实际为 {value!r}")
    for key, value in data.get("scoring", {}).items():
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ProfileError(f"{where} 中 [scoring] 的 {key} 应为数字，实际为 {value!r}")
    for key, names in data.get("indicators", {}).items():
        if key not in ("reverse_level2", "criteria") or not _strings(names):
            raise ProfileError(f"{where} 中 [indicators] 的 {key} 不认识或不是名称列表（可用：reverse_level2、criteria）")
    grades = data.get("grades", [])
    if not isinstance(grades, list):
        raise ProfileError(f"{where} 中 grades 应写成 [[grades]] 表")
    for i, grade in enumerate(grades, start=1):
        if not isinstance(grade, dict) or not isinstance(grade.get("name"), str) \
                or isinstance(grade.get("min"), bool) or not isinstance(grade.get("min"), (int, float)):
            raise ProfileError(f"{where} 中第 {i} 个 [[grades]] 须有 name（文字）和 min（数字）")
    for level, band in data.get("qualitative", {}).items():
        if level not in _LEVEL_ORDER or not isinstance(band, dict):
            raise ProfileError(f"{where} 中 [qualitative.{level}] 不认识（应为 achieved、partial、failed）")
        for key in ("low", "high"):
            if key in band and (isinstance(band[key], bool) or not isinstance(band[key], (int, float))):
                raise ProfileError(f"{where} 中 [qualitative.{level}] 的 {key} 应为数字")
        if "phrases" in band and not _strings(band["phrases"]):
            raise ProfileError(f"{where} 中 [qualitative.{level}] 的 phrases 应为文字列表")
    for section in ("level2", "level2_older"):
        for key, names in data.get(section, {}).items():
            if not _strings(names):
                raise ProfileError(f"{where} 中 [{section}] 的“{key}”应为二级指标名称的列表")
    for section, what in (("level2_aliases", "二级"), ("level1_aliases", "一级")):
        for key, value in data.get(section, {}).items():
            if not isinstance(value, str):
                raise ProfileError(f"{where} 中 [{section}] 的“{key}”应为规范的{what}指标名称")


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def load_profile(path: str | Path | None = None) -> Profile:
    """Load ``path`` over the bundled national profile (a local file may give only the settings it
    changes), or the national profile itself when ``path`` is None."""
    if path is None:
        return bundled_profile("national")
    file = Path(path)
    try:
        data = tomllib.loads(file.read_text("utf-8"))
    except FileNotFoundError:
        raise ProfileError(f"找不到评分口径文件：{file}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ProfileError(f"无法读取评分口径文件 {file}：{exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"评分口径文件 {file} 不是有效的 TOML：{toml_error(exc)}") from None
    _validate(data, str(file))
    base = tomllib.loads(resources.files("jixiao").joinpath("profiles/national.toml").read_text("utf-8"))
    merged = _merge(base, data)
    merged.setdefault("name", file.stem)
    if "name" not in data:
        merged["name"], merged["title"] = file.stem, str(data.get("title", file.stem))
    return _parse(merged, str(file))
