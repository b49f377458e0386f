"""Run settings found beside the checked files: ``jixiao.toml``, or ``[tool.jixiao]`` in ``pyproject.toml``.

As linters do (ruff, flake8), the settings are looked for in the checked folder (for a file: its folder)
and its parents, nearest first; the first file that has them wins. Options given on the command line
take precedence. Known keys::

    year = 2025                       # --year
    profile = "本地口径.toml"          # --profile (relative to the settings file)
    select = ["I", "T"]               # --select
    ignore = ["I011"]                 # --ignore
    fail-on = "warning"               # --fail-on
    targets = "批复的绩效目标表/"        # --targets (relative to the settings file)

    [[accept]]                        # a known warning, accepted with a reason (shown in the summary)
    code = "T001"
    file = "交通运输局/*.xlsx"          # glob on the path relative to the settings file's folder ("*": all)
    reason = "省厅批复的权重为 40/40/20"

Only warnings and notes can be accepted; an error cannot (it would change the score).
"""

from __future__ import annotations

import fnmatch
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jixiao.errors import JixiaoError

KEYS = frozenset({"year", "profile", "select", "ignore", "fail-on", "accept", "targets"})


@dataclass(frozen=True)
class Accept:
    """A finding the bureau has accepted: rule ``code`` in files matching ``file``, for ``reason``."""

    code: str
    file: str
    reason: str


@dataclass(frozen=True)
class Settings:
    """What a settings file says (empty when none was found)."""

    source: Path | None = None
    year: int | None = None
    profile: Path | None = None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    fail_on: str | None = None
    accept: tuple[Accept, ...] = field(default_factory=tuple)
    targets: Path | None = None

    def accepted(self, path: str, code: str) -> str | None:
        """The reason ``code`` is accepted in ``path``, or None."""
        if self.source is None:
            return None
        base = self.source.parent
        try:
            rel = Path(os.path.abspath(path)).relative_to(base.resolve()).as_posix()
        except ValueError:
            rel = Path(path).name
        for rule in self.accept:
            if code.startswith(rule.code) and (rule.file == "*" or fnmatch.fnmatch(rel, rule.file)
                                               or fnmatch.fnmatch(Path(path).name, rule.file)):
                return rule.reason
        return None


def _table(path: Path) -> dict[str, Any] | None:
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise JixiaoError(f"无法读取设置文件 {path}：{exc}") from None
    except tomllib.TOMLDecodeError as exc:
        from jixiao.profile import toml_error

        raise JixiaoError(f"设置文件 {path} 不是有效的 TOML：{toml_error(exc)}") from None
    if path.name == "pyproject.toml":
        tool = data.get("tool", {})
        return tool.get("jixiao") if isinstance(tool, dict) else None
    return data


def find(paths: list[str]) -> Settings:
    """The settings for a run over ``paths``: from the first of them, its folder and the folders above."""
    if not paths:
        return Settings()
    start = Path(paths[0]).resolve()
    folder = start if start.is_dir() else start.parent
    for candidate in (folder, *folder.parents):
        for name in ("jixiao.toml", "pyproject.toml"):
            path = candidate / name
            if path.is_file():
                table = _table(path)
                if table is not None:
                    return parse(table, path)
    return Settings()


def _strings(value: Any, key: str, source: Path) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise JixiaoError(f"设置文件 {source} 中 {key} 应为规则代码的列表，如 [\"I\", \"T001\"]")
    return tuple(v.strip().upper() for v in value if v.strip())


def parse(table: dict[str, Any], source: Path) -> Settings:
    """Check and read a settings table; one Chinese line naming the key when something is wrong."""
    from jixiao.profile import nearest

    for key in sorted(set(table) - KEYS):
        raise JixiaoError(f"设置文件 {source} 中有不认识的设置：{key}{nearest(key, sorted(KEYS))}")
    year = table.get("year")
    if year is not None and (isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= 2100):
        raise JixiaoError(f"设置文件 {source} 中 year 应为四位年份，如 2025")
    profile = table.get("profile")
    if profile is not None and not isinstance(profile, str):
        raise JixiaoError(f"设置文件 {source} 中 profile 应为评分口径文件的路径")
    fail_on = table.get("fail-on")
    if fail_on is not None and fail_on not in ("error", "warning"):
        raise JixiaoError(f"设置文件 {source} 中 fail-on 应为 \"error\" 或 \"warning\"")
    targets = table.get("targets")
    if targets is not None and not isinstance(targets, str):
        raise JixiaoError(f"设置文件 {source} 中 targets 应为批复的绩效目标表所在的文件夹或文件")
    accepts = []
    entries = table.get("accept", [])
    if not isinstance(entries, list):
        raise JixiaoError(f"设置文件 {source} 中 accept 应写成 [[accept]] 表")
    for i, entry in enumerate(entries, start=1):
        for key in sorted(set(entry) - {"code", "file", "reason"}) if isinstance(entry, dict) else ():
            raise JixiaoError(f"设置文件 {source} 中第 {i} 个 [[accept]] 有不认识的设置：{key}"
                              f"{nearest(key, ['code', 'file', 'reason'])}")
        if not isinstance(entry, dict) or not all(isinstance(entry.get(k), str) and str(entry[k]).strip()
                                                  for k in ("code", "reason")):
            raise JixiaoError(f"设置文件 {source} 中第 {i} 个 [[accept]] 须有 code 和 reason（接受的原因）")
        accepts.append(Accept(entry["code"].strip().upper(), str(entry.get("file", "*")), entry["reason"].strip()))
    return Settings(source, year, (source.parent / profile) if profile else None,
                    _strings(table.get("select", []), "select", source),
                    _strings(table.get("ignore", []), "ignore", source), fail_on, tuple(accepts),
                    (source.parent / targets) if targets else None)
