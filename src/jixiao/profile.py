"""Scoring profile: every number a finance bureau might set differently.

The national default ships as ``profiles/national.toml``; the profiles that regional layouts call for ship
beside it (``budget20``, ``framework``, ``no_score``) and are chosen when such a layout is recognised;
``--profile FILE`` replaces them all.
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
        text = label.removesuffix("等")
        for name in (text, text + "指标"):
            if name in self.level2 or name in self.weights:
                return name
        return text

    def canonical_level2(self, label: str) -> str:
        """A 二级 name as the profile spells it: “服务对象满意度指标等”, “生态效益”, “满意度指标”
        ([level2_aliases]) → the legal name; anything else unchanged."""
        text = label.removesuffix("等")
        legal = self._legal_level2
        for name in (text, text + "指标"):
            if name in legal:
                return name
        return self.level2_aliases.get(text, self.level2_aliases.get(text + "指标", text))

    @property
    def _legal_level2(self) -> frozenset[str]:
        return frozenset(n for names in self.level2.values() for n in names)

    def home_of(self, level2: str) -> str | None:
        """The one 一级 a (canonical) 二级 belongs to, or None when none or several."""
        homes = [l1 for l1, names in self.level2.items() if level2 in names]
        return homes[0] if len(homes) == 1 else None

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
        grades=tuple(sorted(grades, key=lambda g: -g.min)),
        bands=bands,
        level2=level2,
        source=source,
        level2_aliases=level2_aliases,
    )


@lru_cache(maxsize=16)
def bundled_profile(name: str) -> Profile:
    """A profile shipped with jixiao (``profiles/NAME.toml``), e.g. the one a recognised layout calls for."""
    text = resources.files("jixiao").joinpath(f"profiles/{name}.toml").read_text("utf-8")
    return _parse(tomllib.loads(text), f"{name}.toml（内置）")


BUNDLED = ("national", "budget10_free", "budget20", "framework", "no_score")


def load_profile(path: str | Path | None = None) -> Profile:
    """Load ``path``, or the bundled national default when ``path`` is None."""
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
        raise ProfileError(f"评分口径文件 {file} 不是有效的 TOML：{exc}") from None
    return _parse(data, str(file))
