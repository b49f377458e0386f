"""The rule registry: every rule's code, name, severity and summary, declared once.

Two kinds of rule share the registry:

* **plain rules** — a function ``check(ctx) -> Iterable[Hit]`` over one workbook's model and scorecard
  (cross-table logic: sums, weights, grades);
* **batch rules** — a function over every workbook of a run (the same project submitted twice);
* **table rules** — a vectorised pandera check over one table of many workbooks stacked together; the
  failures pandera reports are mapped back to the anchor column's cell.

Rules never know the file name and never print; the runner turns a :class:`Hit` into a Finding.
"""

from __future__ import annotations

import inspect
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from jixiao.findings import Severity, WorkbookResult
from jixiao.model import Loc, ProblemKind

if TYPE_CHECKING:
    import pandas as pd

    from jixiao.model import Evaluation
    from jixiao.profile import Profile
    from jixiao.score.scorer import Scorecard


@dataclass(frozen=True)
class Hit:
    """What a plain rule yields: a location, a message, and the expected and actual values."""

    loc: Loc
    message: str
    expected: Any = None
    actual: Any = None
    other: str | None = None  # the other place it concerns (the approved table's cell)


@dataclass(frozen=True)
class Context:
    """What a plain rule may look at."""

    model: Evaluation
    card: Scorecard
    profile: Profile


@dataclass(frozen=True)
class BatchContext:
    """What a batch rule may look at: every workbook's result in the run, and the run's options."""

    results: Sequence[WorkbookResult]
    profile: Profile
    year: int | None = None


@dataclass(frozen=True)
class TableCheck:
    """A vectorised check over one stacked table: ``passes(frame, profile)`` → True where fine.

    ``passes`` is None for a range the table's typed model declares as a column check under the rule's code
    (check/schemas.py). ``anchor`` names the column whose cell a failure points at; ``message`` is a ``str.format``
    template over the frame's columns; ``expected``/``actual`` name the columns reported as such
    (a number instead of a name is reported as it is).
    """

    table: str
    anchor: str
    passes: Callable[[pd.DataFrame, Profile], pd.Series] | None  # None: declared by the table's model
    message: str
    expected: str | float | None = None
    actual: str | float | None = None


@dataclass(frozen=True)
class Rule:
    """A registered rule. ``needs``: the parts of a table it cannot run without (PARTS; () when it needs none);
    ``reads``: the profile settings it reads, directly or through the scorer's values (SETTINGS)."""

    code: str
    name: str
    severity: Severity
    summary: str
    group: str
    doc: str
    check: Callable[[Context], Iterable[Hit]] | None = None
    table: TableCheck | None = None
    batch: Callable[[BatchContext], Iterable[tuple[int, Hit]]] | None = None
    needs: tuple[str, ...] = ()
    reads: tuple[str, ...] = ()


REGISTRY: dict[str, Rule] = {}

# The parts of a table a rule may need. When the importer found a part missing (Evaluation.unusable: a renamed
# 得分 header, a missing sheet, a form without 分值/得分), the rules that need it do not run: the structural
# finding (S001/S002/S007) says so once, instead of a cascade of findings computed from blanks.
PARTS = frozenset({"indicators", "scores", "targets", "funds", "budget_score", "row_weights", "weights"})
# The profile settings a rule may read, as the profile file names them.
SETTINGS = frozenset({"[weights]", "[[grades]]", "[qualitative]", "[level2]", "[level2_aliases]", "[level2_older]",
                      "[level1_aliases]", "[indicators]", *(f"scoring.{k}" for k in (
                          "total", "decimals", "score_tolerance", "sum_tolerance", "amount_tolerance", "rate_tolerance",
                          "equal_tolerance", "over_completion", "budget_rate_cap", "fraction_max", "low_execution",
                          "budget_weight_max", "rename_similarity"))})


def needs(code: str) -> frozenset[str]:
    """The parts a registered rule needs (its own declaration; nothing for a code that is not a rule)."""
    rule = REGISTRY.get(code)
    return frozenset(rule.needs) if rule is not None else frozenset()


def _register(rule: Rule) -> Rule:
    if rule.code in REGISTRY:
        raise RuntimeError(f"duplicate rule code {rule.code}")
    if not rule.doc:
        raise RuntimeError(f"rule {rule.code} has no docstring")
    if set(rule.needs) - PARTS:
        raise RuntimeError(f"rule {rule.code} needs unknown parts {sorted(set(rule.needs) - PARTS)}")
    if set(rule.reads) - SETTINGS:
        raise RuntimeError(f"rule {rule.code} reads unknown settings {sorted(set(rule.reads) - SETTINGS)}")
    REGISTRY[rule.code] = rule
    return rule


def _group(module: str) -> str:
    return module.split(".")[-2] if module.count(".") >= 3 else "misc"


def rule(code: str, name: str, severity: Severity, summary: str, *, needs: tuple[str, ...], reads: tuple[str, ...]
         ) -> Callable[[Callable[[Context], Iterable[Hit]]], Callable[[Context], Iterable[Hit]]]:
    """Register a plain rule; its module's docstring is the rationale shown in ``docs/rules.md``. ``needs`` and
    ``reads`` are required: a rule that needs nothing says ``needs=()``."""

    def wrap(func: Callable[[Context], Iterable[Hit]]) -> Callable[[Context], Iterable[Hit]]:
        doc = sys.modules[func.__module__].__doc__ or ""
        _register(Rule(code, name, severity, summary, _group(func.__module__), inspect.cleandoc(doc),
                       check=func, needs=needs, reads=reads))
        return func

    return wrap


def batch_rule(code: str, name: str, severity: Severity, summary: str, *, needs: tuple[str, ...],
               reads: tuple[str, ...]) -> Callable[[Callable[[BatchContext], Iterable[tuple[int, Hit]]]],
                                                   Callable[[BatchContext], Iterable[tuple[int, Hit]]]]:
    """Register a cross-workbook rule: it yields (index of the workbook in the run, Hit)."""

    def wrap(func: Callable[[BatchContext], Iterable[tuple[int, Hit]]]
             ) -> Callable[[BatchContext], Iterable[tuple[int, Hit]]]:
        doc = sys.modules[func.__module__].__doc__ or ""
        _register(Rule(code, name, severity, summary, _group(func.__module__), inspect.cleandoc(doc),
                       batch=func, needs=needs, reads=reads))
        return func

    return wrap


def table_rule(code: str, name: str, severity: Severity, summary: str, table: TableCheck, module: str, *,
               needs: tuple[str, ...], reads: tuple[str, ...]) -> Rule:
    """Register a table (pandera) rule; ``module`` is the rule module's ``__name__``."""
    doc = sys.modules[module].__doc__ or ""
    return _register(Rule(code, name, severity, summary, _group(module), inspect.cleandoc(doc), table=table,
                          needs=needs, reads=reads))


def load_rules() -> dict[str, Rule]:
    """Import every rule module once and return the registry sorted by code."""
    import jixiao.rules.catalog  # noqa: F401  (imports register the rules)

    return dict(sorted(REGISTRY.items()))


def problems(ctx: Context, kind: ProblemKind) -> Iterable[Hit]:
    """The problems of ``kind`` the importer met (missing sheets, columns, rows …), as hits."""
    for problem in ctx.model.problems:
        if problem.kind is kind:
            yield Hit(problem.loc, problem.message, problem.expected, problem.actual)


def ends_early(ctx: Context) -> str | None:
    """The 一级 a table cut short stops in ('' when it stops right after its indicator header); None when it is
    not cut.

    The importer says where a scored table ran out with no 总分 row and nothing after its rows
    (ProblemKind.ENDS_EARLY). That alone is also what a whole table without a 总分 row looks like, so a cut needs
    more: no indicator at all, or 分值 short of the full mark with either a 一级 of the profile missing altogether
    or the 一级 it stops in holding less than the 分值 the table prints for it (“项目绩效 | 55” over rows of 15).
    Otherwise the table is whole: S003 says the 总分 is missing, T002 and T001 judge its weights."""
    problem = next((p for p in ctx.model.problems if p.kind is ProblemKind.ENDS_EARLY), None)
    if problem is None:
        return None
    if not ctx.model.indicators or not ctx.card.indicators:
        return ""
    weighed = "row_weights" not in ctx.model.unusable
    if weighed and ctx.card.weights_total >= ctx.profile.total:
        return None  # nothing is missing by the weights
    last = ctx.card.indicators[-1].category  # as the scorer files it (an unknown 一级 read as another: I014)
    present = {s.category for s in ctx.card.indicators}
    if any(category not in present for category in ctx.profile.categories):
        return last
    stops_in = next((cat for cat in ctx.card.categories if cat.name == last), None)
    printed = _printed_weight(ctx.model.indicators[-1].level1.norm)
    if weighed and printed is not None and stops_in is not None and stops_in.weight is not None \
            and printed > stops_in.weight:
        return last
    return None


_POINTS = re.compile(r"\((\d+(?:\.\d+)?)\s*分?\)$")


def _printed_weight(level1: str) -> float | None:
    """The 分值 a (normalised) 一级 label prints in its note (“效益指标(30分)” → 30)."""
    match = _POINTS.search(level1)
    return float(match.group(1)) if match else None
