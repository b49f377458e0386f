"""What the importers read with: the forms' words and the names the run's profile gives levels and grades.

Every importer gets a :class:`Lexicon`. Its words are those of every shipped profile's ``[vocabulary]`` (and of
a local profile's): a form is read before jixiao knows which profile it calls for. The names of 一级 and 二级,
of the categories and of the grades come from the run's profile (``[level2]``, ``[level1_aliases]``,
``[level2_aliases]``, ``[[grades]]``), so a blank 一级 is read from its 二级 the way that profile files it.
"""

from __future__ import annotations

from functools import cached_property

from jixiao.parse import labels
from jixiao.profile import BUDGET_CATEGORY, Profile, bundled_names, bundled_profile
from jixiao.vocabulary import Vocabulary, Words


class Lexicon:
    """The words an importer reads with, and the run profile's names."""

    def __init__(self, vocabulary: Vocabulary, profile: Profile) -> None:
        self.vocabulary = vocabulary
        self.profile = profile

    # Word lists, as the importers use them.
    @property
    def info(self) -> Words:
        return self.vocabulary.info

    @property
    def goal(self) -> Words:
        return self.vocabulary.goal

    @property
    def fund_columns(self) -> Words:
        return self.vocabulary.fund_columns

    @property
    def fund_rows(self) -> Words:
        return self.vocabulary.fund_rows

    @property
    def indicator_columns(self) -> Words:
        return self.vocabulary.indicator_columns

    @property
    def report_columns(self) -> Words:
        return self.vocabulary.report_columns

    def row(self, key: str) -> tuple[str, ...]:
        """The names of a kind of row (vocabulary ``rows``)."""
        return self.vocabulary.row(key)

    def words(self, section: str) -> Words:
        """Any section of the vocabulary."""
        return self.vocabulary.words(section)

    @property
    def blocks(self) -> Words:
        """The labels of the official form's blocks (funds, goal, indicators)."""
        return self.vocabulary.words("blocks")

    @cached_property
    def known(self) -> frozenset[str]:
        """Every label of a self-evaluation (normalised): what makes a cell a label rather than a value."""
        return labels.keys(self.vocabulary.all_words())

    def is_label(self, text: str) -> bool:
        """Whether ``text`` (normalised) is one of the forms' labels (also with a note in brackets, or a word in
        brackets inside it read either way: 专项(项目)名称)."""
        known = self.known
        return text in known or labels.bare(text) in known or (
            "(" in text and any(a in known for a in labels.alternatives(text)))

    @cached_property
    def structure(self) -> frozenset[str]:
        """The labels only a table has (a 目录 sheet listing projects has 项目名称 too, never these): the first
        name of the level and indicator columns, of the fund total and of the three amount columns."""
        first = [self.indicator_columns[k][:1] for k in ("level1", "level2", "name")]
        first += [self.fund_rows["total"][:1]] + [self.fund_columns[k][:1] for k in ("initial", "budget", "executed")]
        return labels.keys(tuple(w for words in first for w in words))

    @cached_property
    def grade_words(self) -> frozenset[str]:
        """Every way a grade is written (优, 优秀, 合格 …)."""
        return self.profile.grade_words

    def level1_of(self, level2: str) -> str | None:
        """The 一级 a 二级 label belongs to under the run's profile (数量指标 → 产出指标), or None."""
        return self.profile.home_of(self.profile.canonical_level2(level2))

    def satisfaction(self) -> tuple[str, str] | None:
        """The 一级 and 二级 of the satisfaction indicator under the run's profile (满意度指标, 服务对象满意度指标):
        the first 二级 that names 满意度, and its 一级."""
        for level1, names in self.profile.level2.items():
            for name in names:
                if "满意度" in name and self.profile.home_of(name) == level1:
                    return level1, name
        return None

    def category(self, label: str) -> str:
        """The category a label names: the budget part (预算执行率, 投入指标 …), 总分, a 一级 (产出 → 产出指标),
        or the 一级 of a 二级 (服务对象满意度指标 → 满意度指标); else the label itself."""
        found = self._categories.get(label)
        if found is None:
            found = self._categories[label] = self._category(label)
        return found

    @cached_property
    def _categories(self) -> dict[str, str]:
        return {}

    def _category(self, label: str) -> str:
        bare = labels.bare(labels.key(label))
        if any(bare.startswith(w) for w in self.row("budget")):
            return BUDGET_CATEGORY
        if labels.matches(bare, self.row("total")):
            return "总分"
        level1 = self.profile.canonical_level1(bare)
        if level1 in self.profile.weights or level1 in self.profile.level2:
            return level1
        return self.level1_of(bare) or bare


_LEXICONS: dict[int, tuple[Profile, Lexicon]] = {}


def lexicon_for(profile: Profile) -> Lexicon:
    """The lexicon of a run with ``profile``: the words of every shipped profile and of ``profile`` itself."""
    cached = _LEXICONS.get(id(profile))
    if cached is None or cached[0] is not profile:
        shipped = [bundled_profile(n).vocabulary for n in bundled_names()]
        cached = (profile, Lexicon(profile.vocabulary.union(shipped), profile))
        _LEXICONS[id(profile)] = cached
    return cached[1]
