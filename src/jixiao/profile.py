"""Scoring profile: every number a finance bureau might set differently, and the forms it is for.

The national default ships as ``profiles/national.toml``. Every other profile is a layer over another one
(``extends``, national when not said): a regional profile shipped beside it holds only what differs, and a
bureau's local profile (``--profile FILE``) the same. Layering merges tables key by key; a scheme — ``[weights]``,
``[level2]``, ``[level2_older]`` — is replaced whole by a layer that gives it (a profile's categories are one
set); the word lists of ``[vocabulary]`` are extended (a layer adds the ways its forms write things); ``[detect]``
is never inherited (it says which forms *this* profile is for). A shipped profile is found by its file alone:
adding a region is one TOML file (docs/template.md).

Every key is checked: one that jixiao does not know is refused with the nearest known name (a misspelt
``over_completon`` would otherwise be ignored and the default used unseen).
"""

from __future__ import annotations

import difflib
import re
import tomllib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from jixiao.errors import ProfileError
from jixiao.vocabulary import SECTIONS as VOCABULARY_SECTIONS
from jixiao.vocabulary import Vocabulary

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
class Detect:
    """Which forms a profile is for (its ``[detect]``): ``order`` (the smaller is tried first) and ``when``,
    conditions of which any one, with all its keys, must hold of a table's traits (model.FormTraits)."""

    order: int
    when: tuple[Mapping[str, Any], ...]


@dataclass(frozen=True)
class Priority:
    """[priority]: how the officer's order of work weighs what is at stake (jixiao/check/stake.py) and how the 复核
    sample is drawn. Every number here is the profile's, none is the code's."""

    money_scale: float = 100.0  # 万元: the over-scored points count × (the money ÷ this)
    money_floor: float = 10.0  # 万元: a table without its 全年预算数, or with less, counts as this much
    lowered_points: float = 1.0  # one lowered approved target counts as this many points
    lowered_codes: tuple[str, ...] = ("C001", "C003")  # the findings that are a lowered target
    error_points: float = 0.2
    warning_points: float = 0.05
    sample_base: float = 1.0  # the draw's weight is this plus the table's points: a clean table may be drawn too


PRIORITY_KEYS = tuple(f.name for f in fields(Priority))


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
    vocabulary: Vocabulary = field(default_factory=Vocabulary)
    detect: Detect | None = None
    priority: Priority = field(default_factory=Priority)

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

    @property
    def grade_words(self) -> frozenset[str]:
        """Every way the profile's grades are written (优, 优秀, 合格 …)."""
        return frozenset(w for g in self.grades for w in (g.name, *g.aliases))

    def canonical_level1(self, label: str) -> str:
        """A 一级 name as the profile spells it: “产出指标等”, “产出”, “产出值” → 产出指标, “产出目标” ([level1_aliases])
        → 产出指标 (``label`` is already free of “（50分）” notes: Field.label)."""
        memo: dict[str, str] = self._memo("level1")
        if label not in memo:
            memo[label] = next((found for text in _forms(label, "等", "值")
                                if (found := self._level1(self.level1_aliases.get(text, text)))), label)
        return memo[label]

    def _level1(self, text: str) -> str | None:
        return next((n for n in (text, text + "指标") if n in self.level2 or n in self.weights), None)

    def canonical_level2(self, label: str) -> str:
        """A 二级 name as the profile spells it: “服务对象满意度指标等”, “生态效益”, “满意度指标”
        ([level2_aliases]), “产出数量” and “效益社会效益” (a 一级 written in front), “数量值” → the legal name; anything
        else unchanged."""
        memo: dict[str, str] = self._memo("level2")
        if label not in memo:
            legal = {n for names in self.level2.values() for n in names}
            stems = tuple(s for s in (k.removesuffix("指标") for k in self.level2) if s)
            found = None
            for text in _forms(label, "等", "值"):
                candidates = [text] + [text[len(s):] for s in stems if text.startswith(s) and len(text) > len(s)]
                found = next((n for c in candidates for n in (c, c + "指标") if n in legal), None) or next(
                    (self.level2_aliases[n] for c in candidates for n in (c, c + "指标") if n in self.level2_aliases), None)
                if found:
                    break
            memo[label] = found or label.removesuffix("等")
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


_LEVEL_NOTE = re.compile(r"[(（][^()（）]*[)）]$")


def _forms(label: str, *suffixes: str) -> list[str]:
    """``label``, without a note in brackets after it (“数量指标(必填硬性指标)”, 宁夏), and each without each
    trailing word of ``suffixes`` (“产出值” → 产出值, 产出)."""
    bases = [label]
    if (bare := _LEVEL_NOTE.sub("", label)) and bare != label:
        bases.append(bare)
    out = list(bases)
    for base in bases:
        for suffix in suffixes:
            if base.endswith(suffix) and len(base) > len(suffix):
                out.append(base.removesuffix(suffix))
    return out

# Every setting a profile file may hold: section → its keys (None: any key, e.g. a category's name).
SCORING_KEYS = ("total", "decimals", "score_tolerance", "sum_tolerance", "amount_tolerance", "rate_tolerance",
                "equal_tolerance", "over_completion", "budget_rate_cap", "fraction_max", "low_execution",
                "budget_weight_max", "rename_similarity")
_OPTIONAL_SCORING = {"budget_weight_max": 30.0, "rename_similarity": 0.6}
TOP_KEYS = ("name", "title", "extends", "weights", "scoring", "grades", "qualitative", "level2", "level2_aliases",
            "level2_older", "level1_aliases", "indicators", "vocabulary", "detect", "priority")
_REPLACED = frozenset({"weights", "level2", "level2_older"})  # schemes: a layer that gives one gives it whole
DETECT_KEYS = ("scored", "layouts", "budget_weight", "budget_weight_blank", "indicator_block", "level1")


def nearest(key: str, known: Any) -> str:
    """“（是不是 X？）” for the known name nearest ``key``, or the list of known names when none is near."""
    names = [str(k) for k in known]
    close = difflib.get_close_matches(key, names, n=1, cutoff=0.6)
    return f"（是不是 {close[0]}？）" if close else f"（可用：{'、'.join(names)}）"


def _number(section: dict[str, Any], key: str, where: str) -> float:
    value = section.get(key)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ProfileError(f"评分口径文件 {where} 中 {key} 应为数字，实际为 {value!r}")
    return float(value)


def _detect(data: dict[str, Any]) -> Detect | None:
    table = data.get("detect")
    if not table:
        return None
    return Detect(int(table.get("order", 100)), tuple(dict(w) for w in table.get("when", [])))


def _parse(data: dict[str, Any], source: str, detect: Detect | None) -> Profile:
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
        vocabulary = Vocabulary.from_table(data.get("vocabulary", {}))
        given = data.get("priority", {})
        numbers: dict[str, Any] = {k: float(v) for k, v in given.items() if k != "lowered_codes"}
        if "lowered_codes" in given:
            numbers["lowered_codes"] = tuple(str(c) for c in given["lowered_codes"])
        priority = Priority(**numbers)
    except (KeyError, TypeError, ValueError) as exc:
        raise ProfileError(f"评分口径文件 {source} 缺少或写错了设置：{exc}") from None
    if BUDGET_CATEGORY not in weights:
        raise ProfileError(f"评分口径文件 {source} 的 [weights] 缺少“{BUDGET_CATEGORY}”")
    for key in weights:  # a category is a 一级 of [level2]: a misspelt one would switch its weight check off unseen
        if key != BUDGET_CATEGORY and key not in level2:
            raise ProfileError(f"评分口径文件 {source} 的 [weights] 中有不认识的一级指标：{key}"
                               f"{nearest(key, [BUDGET_CATEGORY, *level2])}")
    legal = [n for names in level2.values() for n in names]
    for key, value in level2_aliases.items():
        if value not in legal:
            raise ProfileError(f"评分口径文件 {source} 的 [level2_aliases] 中“{key}”对应的“{value}”不是 [level2] 中的二级指标"
                               f"{nearest(value, legal)}")
    if not grades:
        raise ProfileError(f"评分口径文件 {source} 没有定义等级 [[grades]]")
    return Profile(
        name=str(data.get("name", Path(source).stem)),
        title=str(data.get("title", data.get("name", source))),
        weights=weights,
        decimals=int(_number(scoring, "decimals", source)),
        **{k: _number(scoring, k, source) if k not in _OPTIONAL_SCORING or k in scoring else _OPTIONAL_SCORING[k]
           for k in SCORING_KEYS if k != "decimals"},
        grades=tuple(sorted(grades, key=lambda g: -g.min)),
        bands=bands,
        level2=level2,
        source=source,
        level2_aliases=level2_aliases,
        level2_older=level2_older,
        level1_aliases=level1_aliases,
        reverse_level2=reverse_level2,
        criteria=criteria,
        vocabulary=vocabulary,
        detect=detect,
        priority=priority,
    )


def toml_error(exc: tomllib.TOMLDecodeError) -> str:
    """Where a TOML file is malformed, in Chinese (tomllib's message is English)."""
    match = re.search(r"line (\d+), column (\d+)", str(exc))
    return f"第 {match.group(1)} 行第 {match.group(2)} 列附近写法有误" if match else "写法有误"


def _merge(base: dict[str, Any], layer: dict[str, Any], path: tuple[str, ...] = ()) -> dict[str, Any]:
    """``layer`` over ``base``: tables merge key by key, a scheme (_REPLACED) is replaced whole, a word list of
    [vocabulary] is extended, anything else replaced. A layer with its own [level2] does not inherit the other 二级
    names' aliases ([level2_aliases]): they name 二级 of a scheme it replaced."""
    out = dict(base)
    if not path and "level2" in layer and "level2_aliases" not in layer:
        out.pop("level2_aliases", None)
    for key, value in layer.items():
        here = (*path, key)
        old = out.get(key)
        if isinstance(value, dict) and isinstance(old, dict) and not (len(here) == 1 and key in _REPLACED):
            out[key] = _merge(old, value, here)
        elif isinstance(value, list) and isinstance(old, list) and here[0] == "vocabulary":
            out[key] = [*old, *(v for v in value if v not in old)]
        else:
            out[key] = value
    return out


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _validate(data: dict[str, Any], source: str) -> None:
    """One Chinese line naming the first setting that is wrong, and the nearest right one (a layer holds only
    some of the settings)."""
    where = f"评分口径文件 {source}"

    def unknown(keys: Any, known: Any, section: str) -> None:
        for key in keys:
            if key not in known:
                inside = f" 的 [{section}] " if section else " "
                raise ProfileError(f"{where}{inside}中有不认识的设置：{key}{nearest(str(key), known)}")

    unknown(data, TOP_KEYS, "")
    for key in ("name", "title", "extends"):
        if key in data and not isinstance(data[key], str):
            raise ProfileError(f"{where} 中 {key} 应为文字")
    for section in ("weights", "scoring", "qualitative", "level2", "level2_aliases", "level2_older", "level1_aliases",
                    "indicators", "vocabulary", "detect", "priority"):
        if section in data and not isinstance(data[section], dict):
            raise ProfileError(f"{where} 中 {section} 应写成 [{section}] 表")
    for key, value in data.get("weights", {}).items():
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ProfileError(f"{where} 中 [weights] 的“{key}”应为数字，实际为 {value!r}")
    unknown(data.get("scoring", {}), SCORING_KEYS, "scoring")
    unknown(data.get("priority", {}), PRIORITY_KEYS, "priority")
    for key, value in data.get("priority", {}).items():
        if key == "lowered_codes":
            if not _strings(value):
                raise ProfileError(f"{where} 中 [priority] 的 lowered_codes 应为规则代码的列表")
        elif isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0 or (
                key == "money_scale" and value == 0):
            raise ProfileError(f"{where} 中 [priority] 的 {key} 应为不小于 0 的数字，实际为 {value!r}")
    for key, value in data.get("scoring", {}).items():
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ProfileError(f"{where} 中 [scoring] 的 {key} 应为数字，实际为 {value!r}")
    unknown(data.get("indicators", {}), ("reverse_level2", "criteria"), "indicators")
    for key, names in data.get("indicators", {}).items():
        if not _strings(names):
            raise ProfileError(f"{where} 中 [indicators] 的 {key} 应为名称的列表")
    grades = data.get("grades", [])
    if not isinstance(grades, list):
        raise ProfileError(f"{where} 中 grades 应写成 [[grades]] 表")
    for i, grade in enumerate(grades, start=1):
        if not isinstance(grade, dict) or not isinstance(grade.get("name"), str) \
                or isinstance(grade.get("min"), bool) or not isinstance(grade.get("min"), (int, float)):
            raise ProfileError(f"{where} 中第 {i} 个 [[grades]] 须有 name（文字）和 min（数字）")
        unknown(grade, ("name", "min", "aliases"), "grades")
    unknown(data.get("qualitative", {}), _LEVEL_ORDER, "qualitative")
    for level, band in data.get("qualitative", {}).items():
        if not isinstance(band, dict):
            raise ProfileError(f"{where} 中 [qualitative.{level}] 应写成表")
        unknown(band, ("low", "high", "phrases"), f"qualitative.{level}")
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
    vocabulary = data.get("vocabulary", {})
    unknown(vocabulary, VOCABULARY_SECTIONS, "vocabulary")
    for section, words in vocabulary.items():
        if not isinstance(words, dict):
            raise ProfileError(f"{where} 中 [vocabulary.{section}] 应写成表")
        unknown(words, VOCABULARY_SECTIONS[section], f"vocabulary.{section}")
        for key, names in words.items():
            if not _strings(names):
                raise ProfileError(f"{where} 中 [vocabulary.{section}] 的 {key} 应为文字列表")
    _validate_detect(data.get("detect", {}), where, unknown)


def _validate_detect(table: dict[str, Any], where: str, unknown: Any) -> None:
    unknown(table, ("order", "when"), "detect")
    if "order" in table and (isinstance(table["order"], bool) or not isinstance(table["order"], int)):
        raise ProfileError(f"{where} 中 [detect] 的 order 应为整数")
    when = table.get("when", [])
    if not isinstance(when, list) or not all(isinstance(w, dict) for w in when):
        raise ProfileError(f"{where} 中 [detect] 的 when 应写成 [[detect.when]] 表")
    for w in when:
        unknown(w, DETECT_KEYS, "detect.when")
        for key in ("scored", "budget_weight_blank"):
            if key in w and not isinstance(w[key], bool):
                raise ProfileError(f"{where} 中 [[detect.when]] 的 {key} 应为 true 或 false")
        for key in ("layouts", "indicator_block", "level1"):
            if key in w and not _strings(w[key]):
                raise ProfileError(f"{where} 中 [[detect.when]] 的 {key} 应为文字列表")
        if "budget_weight" in w and not (isinstance(w["budget_weight"], list) and all(
                isinstance(v, (int, float)) and not isinstance(v, bool) for v in w["budget_weight"])):
            raise ProfileError(f"{where} 中 [[detect.when]] 的 budget_weight 应为数字列表")


@lru_cache(maxsize=32)
def _read_bundled(name: str) -> dict[str, Any]:
    """A shipped profile's own table, read and checked once (callers build new tables from it, never change it)."""
    try:
        text = resources.files("jixiao").joinpath(f"profiles/{name}.toml").read_text("utf-8")
    except FileNotFoundError:
        raise ProfileError(f"没有内置的评分口径 {name}{nearest(name, bundled_names())}") from None
    data = tomllib.loads(text)
    _validate(data, f"{name}.toml（内置）")
    if data.get("name") != name:  # a layer inherits the rest; its name and title must be its own
        raise ProfileError(f"内置评分口径 {name}.toml 须写 name = \"{name}\"")
    return data


@lru_cache(maxsize=32)
def _layered(name: str, seen: tuple[str, ...] = ()) -> dict[str, Any]:
    """The bundled profile ``name`` with every layer below it merged in (its own [detect] only)."""
    data = _read_bundled(name)
    return _over(data, name, seen)


def _over(data: dict[str, Any], name: str, seen: tuple[str, ...]) -> dict[str, Any]:
    base_name = data.get("extends", None if name == "national" else "national")
    if base_name is None:
        return data
    if base_name in (*seen, name):
        raise ProfileError(f"评分口径 {name} 的 extends 形成了循环：{' → '.join((*seen, name, base_name))}")
    try:
        below = _layered(base_name, (*seen, name))
    except ProfileError as exc:
        raise ProfileError(f"评分口径 {name} 的 extends：{exc}") from None
    base = {k: v for k, v in below.items() if k not in ("detect", "extends")}
    layer = {k: v for k, v in data.items() if k != "extends"}
    return _merge(base, layer)


@lru_cache(maxsize=16)
def bundled_profile(name: str) -> Profile:
    """A profile shipped with jixiao (``profiles/NAME.toml``, over the ones it extends)."""
    data = _layered(name)
    return _parse(data, f"{name}.toml（内置）", _detect(_read_bundled(name)))


@lru_cache(maxsize=1)
def bundled_names() -> tuple[str, ...]:
    """Every shipped profile, national first: a new region is one more file in profiles/."""
    names = sorted(p.name.removesuffix(".toml") for p in resources.files("jixiao").joinpath("profiles").iterdir()
                   if p.name.endswith(".toml"))
    return ("national", *(n for n in names if n != "national"))


def regional_profiles() -> list[Profile]:
    """The shipped profiles that say which forms they are for, in the order they are tried."""
    found = [p for p in (bundled_profile(n) for n in bundled_names()) if p.detect is not None]
    return sorted(found, key=lambda p: (p.detect.order if p.detect else 0, p.name))


def load_profile(path: str | Path | None = None) -> Profile:
    """Load ``path`` over the profile it extends (national unless it says otherwise; a local file may give only
    the settings it changes), or the national profile itself when ``path`` is None."""
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
    if "detect" in data:
        raise ProfileError(f"评分口径文件 {file} 中写了 [detect]：用 --profile 指定的口径用于每一张表，不按表式识别；"
                           "要按表式识别，把它作为内置口径放进 jixiao 的 profiles 文件夹（见 docs/template.md）")
    base = data.get("extends", "national")
    merged = _over({**data, "extends": base}, str(file), ())
    merged["name"] = str(data.get("name", file.stem))
    merged["title"] = str(data.get("title", merged["name"]))  # never the title of the profile it extends
    return _parse(merged, str(file), None)
