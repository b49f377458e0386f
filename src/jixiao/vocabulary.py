"""The words of the forms: how each column, row and header field of a 自评表 (and a report's tables) is written.

A profile's ``[vocabulary]`` holds them (profiles/national.toml has the national forms' words; a regional profile
adds its own). The importers read with the vocabulary of *every* shipped profile together — a form must be read
before jixiao can tell which profile it calls for — and the names of levels, grades and categories come from
the run's profile itself (``[level2]``, ``[level1_aliases]``, ``[[grades]]`` …). No list of labels lives in the
importers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

# The sections of [vocabulary] and the keys each may hold.
SECTIONS: dict[str, tuple[str, ...]] = {
    "info": ("name", "department", "unit", "manager", "phone", "date", "grade"),
    "goal": ("goal_expected", "goal_actual"),
    "fund_columns": ("initial", "budget", "executed", "weight", "rate", "score"),
    "fund_rows": ("total", "current", "carryover", "other", "source_words"),
    "indicator_columns": ("level1", "level2", "name", "target", "actual", "weight", "score", "reason", "comparator",
                          "unit"),
    "report_columns": ("level1", "level2", "name", "target", "actual", "weight", "score", "reason"),
    "rows": ("total", "claimed_total", "reason", "subtotal", "budget"),
    "blocks": ("funds", "goal", "indicators"),  # the labels of the official form's blocks
    # Approved target tables (--targets): a printed table's header fields and columns, and a system export's.
    "target_info": ("name", "code", "department", "unit", "goal", "total", "total_in_text"),
    "target_columns": ("level1", "level2", "name", "target", "long_target", "weight", "comparator", "unit"),
    "export_columns": ("code", "name", "year", "department", "agency", "total", "goal", "level1", "level2",
                       "indicator", "comparator", "target", "unit", "weight", "adjusted"),
    # Words in cells that mark something: a long-term block of the 88号 table (指标值(长期)), a row of a system
    # export that is an adjustment (调整 | 是).
    "markers": ("long_term", "adjusted", "title_form", "title_end", "title_whole", "reason_part", "total_prefix"),
}
# Sections whose words are labels of a self-evaluation's cells (what makes a cell a label rather than a value).
FORM_SECTIONS = ("info", "goal", "fund_columns", "fund_rows", "indicator_columns", "report_columns", "rows", "blocks")
TARGET_SECTIONS = ("target_info", "target_columns", "export_columns")

Words = Mapping[str, tuple[str, ...]]


def _section(table: Mapping[str, Any], name: str) -> dict[str, tuple[str, ...]]:
    words = table.get(name, {})
    return {key: tuple(str(w) for w in words.get(key, ())) for key in SECTIONS[name]}


@dataclass(frozen=True)
class Vocabulary:
    """Word lists by section and key (``vocabulary.info["name"]`` → 项目名称, 专项资金名称 …)."""

    sections: Mapping[str, Words] = field(default_factory=dict)

    @classmethod
    def from_table(cls, table: Mapping[str, Any]) -> Vocabulary:
        """From a profile's ``[vocabulary]`` table."""
        return cls({name: _section(table, name) for name in SECTIONS})

    def words(self, section: str) -> Words:
        """The word lists of one section."""
        found = self.sections.get(section)
        return found if found is not None else {k: () for k in SECTIONS[section]}

    @property
    def info(self) -> Words:
        return self.words("info")

    @property
    def goal(self) -> Words:
        return self.words("goal")

    @property
    def fund_columns(self) -> Words:
        return self.words("fund_columns")

    @property
    def fund_rows(self) -> Words:
        return self.words("fund_rows")

    @property
    def indicator_columns(self) -> Words:
        return self.words("indicator_columns")

    @cached_property
    def report_columns(self) -> Words:
        """A report's table columns: the indicator columns and what reports write besides."""
        extra = self.words("report_columns")
        base = self.indicator_columns
        return {k: (*base.get(k, ()), *(w for w in extra.get(k, ()) if w not in base.get(k, ()))) for k in extra}

    def row(self, key: str) -> tuple[str, ...]:
        """The names of a kind of row (``total``, ``claimed_total``, ``reason``, ``subtotal``, ``budget``)."""
        return self.words("rows").get(key, ())

    def all_words(self, sections: tuple[str, ...] = FORM_SECTIONS) -> tuple[str, ...]:
        """Every label of ``sections`` (a self-evaluation's, by default: what makes a cell a label of the form);
        the fund rows' source words are parts of labels, not labels, and are left out."""
        out: list[str] = []
        for name in sections:
            for key, words in self.words(name).items():
                if (name, key) != ("fund_rows", "source_words"):
                    out.extend(words)
        return tuple(dict.fromkeys(out))

    def union(self, others: Iterable[Vocabulary]) -> Vocabulary:
        """This vocabulary with the words of ``others`` added (each list keeps this one's order first)."""
        merged: dict[str, dict[str, tuple[str, ...]]] = {name: dict(self.words(name)) for name in SECTIONS}
        for other in others:
            for name in SECTIONS:
                for key, words in other.words(name).items():
                    have = merged[name].get(key, ())
                    merged[name][key] = (*have, *(w for w in words if w not in have))
        return Vocabulary(merged)
