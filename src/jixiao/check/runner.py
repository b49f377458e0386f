"""The runner: read → parse → score → check, for one workbook or a batch.

Table rules run once per batch on stacked tables (pandera's cost is per call, not per row); plain
rules run per workbook. A rule that raises becomes a finding under its own code saying so; a workbook
that cannot be read becomes an ``unreadable`` result: one bad file never stops a batch.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from jixiao.check.frames import build_tables
from jixiao.check.tables import failing_rows, hits_for
from jixiao.errors import SkippedWorkbook, UnreadableWorkbook
from jixiao.findings import Finding, Report, Severity, WorkbookResult, clean, status_of
from jixiao.model import Evaluation, Loc
from jixiao.parse.template import is_template_sheet, parse_workbook
from jixiao.profile import Profile
from jixiao.read.excel import read_workbook
from jixiao.read.formulas import col_index
from jixiao.rules.registry import BatchContext, Context, Hit, Rule, load_rules
from jixiao.score.scorer import Scorecard, score
from jixiao.score.summary import summarize
from jixiao.template.spec import FUNDS, INDICATORS, INFO, SUMMARY

_SHEET_ORDER = {name: i for i, name in enumerate((INFO.name, FUNDS.name, INDICATORS.name, SUMMARY.name))}
_A1 = re.compile(r"([A-Z]+)(\d+)")


@dataclass
class Loaded:
    """A workbook after read, parse and score (or the reason it could not be read)."""

    path: Path
    model: Evaluation | None = None
    card: Scorecard | None = None
    error: str | None = None
    skipped: bool = False


def load(path: Path, profile: Profile) -> Loaded:
    """Read, parse and score one file; never raises for a bad file."""
    try:
        model = parse_workbook(read_workbook(path, is_template_sheet))
    except SkippedWorkbook:
        return Loaded(path, skipped=True)
    except UnreadableWorkbook as exc:
        return Loaded(path, error=str(exc))
    except (RecursionError, MemoryError) as exc:
        return Loaded(path, error=f"文件过大或结构异常，无法读取（{type(exc).__name__}）")
    except Exception as exc:  # an unforeseen case must cost one file, not the batch
        return Loaded(path, error=f"读取时发生意外错误（{type(exc).__name__}: {exc}），请将此文件反馈给 jixiao 维护者")
    try:
        return Loaded(path, model, score(model, profile))
    except Exception as exc:
        return Loaded(path, error=f"评分时发生意外错误（{type(exc).__name__}: {exc}），请将此文件反馈给 jixiao 维护者")


def _order(finding: Finding) -> tuple[int, int, int, str]:
    """Findings read top to bottom: sheet order of the template, then row, then column."""
    match = _A1.fullmatch(finding.cell or "")
    row, col = (int(match.group(2)), col_index(match.group(1))) if match else (0, 0)
    return _SHEET_ORDER.get(finding.sheet or "", -1), row, col, finding.code


def _finding(rule: Rule, path: Path, hit: Hit) -> Finding:
    return Finding(rule.code, rule.severity, str(path), hit.loc.sheet, hit.loc.cell, hit.message,
                   clean(hit.expected), clean(hit.actual))


def _plain_hits(rule: Rule, ctx: Context) -> Iterable[Hit]:
    assert rule.check is not None
    try:
        yield from rule.check(ctx)
    except Exception as exc:  # a broken rule must not cost the user the whole report
        yield Hit(Loc(""), f"规则 {rule.code} 执行出错：{type(exc).__name__}: {exc}")


def check_loaded(items: Sequence[Loaded], profile: Profile,
                 select: Sequence[str] = (), ignore: Sequence[str] = ()) -> list[WorkbookResult]:
    """Check loaded workbooks together; results in the order given."""
    rules = [r for r in load_rules().values() if _enabled(r.code, select, ignore)]
    good = [(i, item) for i, item in enumerate(items) if item.model is not None and item.card is not None]
    hits: dict[int, list[Finding]] = {i: [] for i, _ in good}
    tables = build_tables([(i, item.model, item.card) for i, item in good])  # type: ignore[misc]
    for table, frame in tables.items():
        table_rules = [r for r in rules if r.table is not None and r.table.table == table]
        by_code = {r.code: r for r in table_rules}
        specs = {r.code: r.table for r in table_rules if r.table is not None}
        for code, wb, hit in hits_for(frame, failing_rows(frame, table, table_rules, profile), specs):
            hits[wb].append(_finding(by_code[code], items[wb].path, hit))
    for i, item in good:
        assert item.model is not None and item.card is not None
        ctx = Context(item.model, item.card, profile)
        for rule in rules:
            if rule.check is not None:
                hits[i].extend(_finding(rule, item.path, h) for h in _plain_hits(rule, ctx))
    results = []
    for i, item in enumerate(items):
        if item.model is None or item.card is None:
            results.append(WorkbookResult(str(item.path), "unreadable", error=item.error))
            continue
        findings = tuple(sorted(hits[i], key=_order))
        anchors = {k: (f.loc.sheet, f.loc.cell) for k, f in item.model.info.items()}
        results.append(WorkbookResult(str(item.path), status_of(findings), _project(item.model),
                                      summarize(item.card), findings, anchors=anchors))
    return results


def _enabled(code: str, select: Sequence[str], ignore: Sequence[str]) -> bool:
    """flake8-style selection by code prefix: the longest matching prefix wins."""
    best_sel = max((len(p) for p in select if code.startswith(p)), default=-1 if select else 0)
    best_ign = max((len(p) for p in ignore if code.startswith(p)), default=-1)
    return best_sel >= 0 and best_sel >= best_ign


def _project(model: Evaluation) -> dict[str, str]:
    return {"name": model.info_text("name"), "year": model.info_text("year"),
            "department": model.info_text("department"), "unit": model.info_text("unit")}


def check_chunk(paths: Sequence[Path], profile: Profile, select: Sequence[str] = (),
                ignore: Sequence[str] = ()) -> list[WorkbookResult]:
    """Read and check ``paths`` together (one pandera call per table for the whole chunk)."""
    loaded = [load(p, profile) for p in paths]
    return check_loaded([item for item in loaded if not item.skipped], profile, select, ignore)


def apply_batch_rules(results: list[WorkbookResult], profile: Profile, year: int | None = None,
                      select: Sequence[str] = (), ignore: Sequence[str] = ()) -> list[WorkbookResult]:
    """Run the cross-workbook rules and add their findings to the workbooks concerned."""
    ctx = BatchContext(results, profile, year)
    extra: dict[int, list[Finding]] = {}
    for rule in load_rules().values():
        if rule.batch is None or not _enabled(rule.code, select, ignore):
            continue
        for i, hit in rule.batch(ctx):
            extra.setdefault(i, []).append(_finding(rule, Path(results[i].path), hit))
    return [r.with_findings(extra[i]) if i in extra else r for i, r in enumerate(results)]


def run(paths: Sequence[Path], profile: Profile, select: Sequence[str] = (), ignore: Sequence[str] = (),
        year: int | None = None) -> Report:
    """Check ``paths`` (already discovered) in this process and return the report."""
    results = apply_batch_rules(check_chunk(paths, profile, select, ignore), profile, year, select, ignore)
    return Report(results, profile=profile.name)


__all__ = ["Loaded", "Severity", "check_loaded", "load", "run"]
