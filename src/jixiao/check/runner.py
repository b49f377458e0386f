"""The runner: read → parse → score → check, for one workbook or a batch.

Table rules run once per batch on stacked tables (pandera's cost is per call, not per row); plain
rules run per workbook. A rule that raises becomes a finding under its own code saying so; a workbook
that cannot be read becomes an ``unreadable`` result: one bad file never stops a batch.
"""

from __future__ import annotations

import re
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jixiao.errors import UnreadableWorkbook
from jixiao.faults import inject
from jixiao.findings import (
    Facts,
    Finding,
    Report,
    Severity,
    Stated,
    TargetsInfo,
    WorkbookResult,
    clean,
    status_of,
)
from jixiao.forms import profile_for, settle_criteria, settle_levels
from jixiao.incidents import Incident, incident, new_ref
from jixiao.model import Evaluation, Loc
from jixiao.pair import TargetIndex, pair
from jixiao.parse import read_tables
from jixiao.parse.lexicon import Lexicon, lexicon_for
from jixiao.profile import Profile
from jixiao.read.formulas import col_index
from jixiao.rules.registry import BatchContext, Context, Hit, Rule, load_rules, needs
from jixiao.score.scorer import Scorecard, score
from jixiao.score.summary import summarize

_A1 = re.compile(r"([A-Z]+)(\d+)")


@dataclass
class Loaded:
    """One table after read, parse and score (or the reason it could not be read). ``incidents``: the
    stages that failed for it (what the stages before them produced is kept)."""

    path: Path
    model: Evaluation | None = None
    card: Scorecard | None = None
    error: str | None = None
    sheet: str | None = None
    profile: Profile | None = None
    incidents: list[Incident] = field(default_factory=list)


def _read(path: Path, lex: Lexicon) -> list[Loaded]:
    parsed = read_tables(path, lex)
    out = [Loaded(path, model, sheet=model.sheet) for model in parsed.tables]
    out += [Loaded(path, error=reason, sheet=sheet or None,
                   incidents=[parsed.incidents[sheet]] if sheet in parsed.incidents else [])
            for sheet, reason in parsed.failed.items()]
    order = {name: i for i, name in enumerate(parsed.order)}
    return sorted(out, key=lambda item: order.get(item.sheet or "", -1))


def load(path: Path, profile: Profile, fixed: bool = False, targets: TargetIndex | None = None) -> list[Loaded]:
    """Read, parse (and pair with its approved targets, when given) and score one file: one entry per table
    in it. Never raises for a bad file."""
    try:
        tables = _read(path, lexicon_for(profile))
    except UnreadableWorkbook as exc:
        return [Loaded(path, error=str(exc))]
    except (RecursionError, MemoryError):
        return [Loaded(path, error="文件过大或结构异常，无法读取")]
    except Exception as exc:  # an unforeseen case must cost one file, not the batch
        found = incident("read", exc)
        return [Loaded(path, error=found.message, incidents=[found])]
    for item in tables:
        if item.model is None:
            continue
        try:  # which profile the form calls for, and reading its levels by it
            item.profile = profile_for(item.model, profile, fixed)
            settle_levels(item.model, item.profile)
            settle_criteria(item.model, item.profile)
        except Exception as exc:  # the run's profile, as read: the table is still checked
            item.profile = profile
            item.incidents.append(incident("parse", exc, "按表式选用评分口径时出错，本表按本次的口径检查",
                                           sheet=item.sheet))
        if targets is not None:
            try:  # a failed pairing leaves the table unpaired (the targets rules do not run), not unread
                inject("pair", path)
                item.model.pairing = pair(item.model, targets, item.profile)
            except Exception as exc:
                item.model.pairing = None
                item.incidents.append(incident("pair", exc, sheet=item.sheet))
        try:
            inject("score", path)
            item.card = score(item.model, item.profile)
        except Exception as exc:  # the table was read: it is reported with what was read, not as unreadable
            item.incidents.append(incident("score", exc, sheet=item.sheet))
    return tables


def _order(sheets: dict[str, int]) -> Callable[[Finding], tuple[int, int, int, str]]:
    def key(finding: Finding) -> tuple[int, int, int, str]:
        """Findings read top to bottom: sheet order of the workbook, then row, then column."""
        match = _A1.fullmatch(finding.cell or "")
        row, col = (int(match.group(2)), col_index(match.group(1))) if match else (0, 0)
        return sheets.get(finding.sheet or "", -1), row, col, finding.code

    return key


def _finding(rule: Rule, path: Path, hit: Hit) -> Finding:
    return Finding(rule.code, rule.severity, str(path), hit.loc.sheet, hit.loc.cell, hit.message,
                   clean(hit.expected), clean(hit.actual), other=hit.other)


def broken(code: str, path: Path, loc: Loc, detail: str, stage: str = "check") -> tuple[Finding, Incident]:
    """A rule that could not run says so (an error: the table is not known to be clean), under a log number;
    ``detail`` (the traceback, or what pandera said) goes to the log only."""
    ref = new_ref()
    message = f"规则 {code} 执行出错，本表未按此规则检查（日志编号 {ref}）"
    return (Finding(code, Severity.ERROR, str(path), loc.sheet, loc.cell, message),
            Incident(stage, message, ref, detail, loc.sheet or None))


def _trace(exc: BaseException) -> str:
    return "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))


def _plain_findings(rule: Rule, path: Path, ctx: Context, incidents: list[Incident]) -> list[Finding]:
    assert rule.check is not None
    try:
        return [_finding(rule, path, hit) for hit in rule.check(ctx)]
    except Exception as exc:  # a broken rule must not cost the user the whole report, nor pass silently
        finding, found = broken(rule.code, path, ctx.model.anchor("info"), _trace(exc))
        incidents.append(found)
        return [finding]


def check_loaded(items: Sequence[Loaded], profile: Profile, select: Sequence[str] = (), ignore: Sequence[str] = (),
                 facts: bool = False) -> list[WorkbookResult]:
    """Check loaded tables together (one pandera call per table kind and profile); results in order. A table
    whose checks fail keeps what was read of it, with the incident; the others are not affected."""
    rules = [r for r in load_rules().values() if _enabled(r.code, select, ignore)]
    hits: dict[int, list[Finding]] = {}
    troubles: dict[int, list[Incident]] = {i: list(item.incidents) for i, item in enumerate(items)}
    groups: dict[int, list[int]] = {}
    profiles: dict[int, Profile] = {}
    for i, item in enumerate(items):
        if item.model is not None and item.card is not None:
            prof = item.profile or profile
            groups.setdefault(id(prof), []).append(i)
            profiles[id(prof)] = prof
            hits[i] = []
    for key, members in groups.items():
        _check_group(items, members, profiles[key], rules, hits, troubles)
    results = []
    for i, item in enumerate(items):
        try:
            result = _result(item, profile, hits.get(i, []), facts)
        except Exception as exc:  # assembling one table's result failed: it is reported with what was read
            troubles[i].append(incident("check", exc, sheet=item.sheet))
            result = _bare(item, profile)
        results.append(result.with_incidents(*troubles[i]) if troubles[i] else result)
    return results


def _bare(item: Loaded, profile: Profile) -> WorkbookResult:
    """A table with no checked result: unreadable when nothing was read, else what was read of it."""
    model = item.model
    if model is None:
        return WorkbookResult(str(item.path), "unreadable", error=item.error, sheet=item.sheet)
    return WorkbookResult(str(item.path), "clean", _project(model), sheet=model.sheet, layout=model.layout,
                          profile=(item.profile or profile).name, anchors=_anchors(model))


def _anchors(model: Evaluation) -> dict[str, tuple[str, str | None]]:
    anchors = {k: (f.loc.sheet, f.loc.cell) for k, f in model.info.items()}
    for k in ("name", "year"):
        if k not in anchors:
            loc = model.anchor("info")
            anchors[k] = (loc.sheet, loc.cell)
    return anchors


def _result(item: Loaded, profile: Profile, found: list[Finding], facts: bool) -> WorkbookResult:
    if item.model is None or item.card is None:
        return _bare(item, profile)
    model = item.model
    found = _one_per_cause(found)
    if model.unusable:  # a missing part: its rules do not run (S001/S002/S007 said why, once)
        found = [f for f in found if not (needs(f.code) & model.unusable)]
    findings = tuple(sorted(found, key=_order({n: j for j, n in enumerate(model.sheets)})))
    return WorkbookResult(str(item.path), status_of(findings), _project(model),
                          summarize(item.card) if model.scored else None, findings, anchors=_anchors(model),
                          sheet=model.sheet, layout=model.layout,
                          profile=(item.profile or profile).name, targets=_targets(model),
                          facts=_facts(model) if facts else None)


def _check_group(items: Sequence[Loaded], members: list[int], profile: Profile, rules: list[Rule],
                 hits: dict[int, list[Finding]], troubles: dict[int, list[Incident]]) -> None:
    # pandas and pandera are imported where the table checks run, not by every module that imports the
    # runner: a batch's parent process, which only hands out files and writes reports, never loads them.
    from jixiao.check.frames import build_tables
    from jixiao.check.tables import failing_rows, hits_for

    table_rules = [r for r in rules if r.table is not None]
    try:
        tables = build_tables([(i, items[i].model, items[i].card) for i in members])  # type: ignore[misc]
    except Exception as exc:  # the stacked tables could not be built: no table rule ran for any of them
        tables = {}
        detail = _trace(exc)
        for i in members:
            model = items[i].model
            assert model is not None
            for rule in table_rules:
                assert rule.table is not None
                finding, found = broken(rule.code, items[i].path, model.anchor(rule.table.table), detail)
                hits[i].append(finding)
                troubles[i].append(found)
    for table, stacked in tables.items():
        in_table = [r for r in table_rules if r.table is not None and r.table.table == table]
        by_code = {r.code: r for r in in_table}
        specs = {r.code: r.table for r in in_table if r.table is not None}
        try:
            failures, failed = failing_rows(stacked.frame, table, in_table, profile)
            found_hits = [(wb, _finding(by_code[code], items[wb].path, hit))
                          for code, wb, hit in hits_for(stacked, failures, specs)]
        except Exception as exc:  # the table's checks as a whole: every table rule is told, for every table
            failed, found_hits = dict.fromkeys(by_code, _trace(exc)), []
        for wb, finding in found_hits:
            hits[wb].append(finding)
        for code, error in failed.items():  # a check that raised: every table of the chunk is told
            for i in members:
                model = items[i].model
                assert model is not None
                finding, found = broken(code, items[i].path, model.anchor(table), error)
                hits[i].append(finding)
                troubles[i].append(found)
    for i in members:
        item = items[i]
        assert item.model is not None and item.card is not None
        try:
            inject("check", item.path)
            ctx = Context(item.model, item.card, profile)
            for rule in rules:
                if rule.check is not None:
                    hits[i].extend(_plain_findings(rule, item.path, ctx, troubles[i]))
        except Exception as exc:  # the table's own checks: its other findings stand, with the reason
            troubles[i].append(incident("check", exc, "按规则检查时出错，本表的整表检查未完成", sheet=item.sheet))


def _one_per_cause(findings: list[Finding]) -> list[Finding]:
    """The same finding at the same cell once (a label merged over several rows is one mistake)."""
    return list(dict.fromkeys(findings))


def _enabled(code: str, select: Sequence[str], ignore: Sequence[str]) -> bool:
    """flake8-style selection by code prefix: the longest matching prefix wins."""
    best_sel = max((len(p) for p in select if code.startswith(p)), default=-1 if select else 0)
    best_ign = max((len(p) for p in ignore if code.startswith(p)), default=-1)
    return best_sel >= 0 and best_sel >= best_ign


def _facts(model: Evaluation) -> Facts:
    """What a table states, for comparing a 自评报告 with its workbook (R001): each indicator's target, actual,
    分值 and 得分 as written, with where; the claimed total."""
    from jixiao.pair import indicator_key

    rows = tuple(Stated(indicator_key(i), i.name.text, i.target.norm, i.actual.norm, i.target.text, i.actual.text,
                        i.weight.value, i.score.value,
                        {k: getattr(i, k).loc for k in ("name", "target", "actual", "weight", "score")})
                 for i in model.indicators)
    total = model.total
    return Facts(rows, total.value if total is not None else None, total.loc if total is not None else None)


def _targets(model: Evaluation) -> dict[str, Any] | None:
    """How the table was paired with its approved targets (docs/json-report.md), or None without --targets."""
    pairing = model.pairing
    if pairing is None:
        return None
    out: dict[str, Any] = {"status": pairing.status, "how": pairing.how or None,
                           "candidates": list(pairing.candidates)}
    approval = pairing.approval
    if approval is not None:
        out["approval"] = {"path": approval.path, "sheet": approval.sheet, "layout": approval.layout,
                           "name": approval.text("name"), "code": approval.text("code") or None,
                           "adjusted": approval.adjusted}
        out["keys"] = list(pairing.used)
    return out


def _project(model: Evaluation) -> dict[str, str]:
    return {"name": model.info_text("name"), "year": model.info_text("year"),
            "department": model.info_text("department"), "unit": model.info_text("unit")}


def check_chunk(paths: Sequence[Path], profile: Profile, select: Sequence[str] = (),
                ignore: Sequence[str] = (), fixed: bool = False, targets: TargetIndex | None = None,
                facts: bool = False) -> list[WorkbookResult]:
    """Read and check ``paths`` together (one pandera call per table for the whole chunk).

    ``fixed``: the user chose the profile, so every table is scored by it whatever its layout; ``targets``:
    the approved target tables each table is compared with (``--targets``).
    """
    loaded = [item for p in paths for item in load(p, profile, fixed, targets)]
    return check_loaded(loaded, profile, select, ignore, facts)


def apply_batch_rules(results: list[WorkbookResult], profile: Profile, year: int | None = None,
                      select: Sequence[str] = (), ignore: Sequence[str] = ()) -> list[WorkbookResult]:
    """Run the cross-workbook rules and add their findings to the workbooks concerned."""
    ctx = BatchContext(results, profile, year)
    extra: dict[int, list[Finding]] = {}
    incidents: dict[int, list[Incident]] = {}
    for rule in load_rules().values():
        if rule.batch is None or not _enabled(rule.code, select, ignore):
            continue
        try:
            inject("batch", rule.code)
            found = list(rule.batch(ctx))
        except Exception as exc:  # said on every table it could not check, never a traceback
            detail = _trace(exc)
            for i, result in enumerate(results):
                if result.status != "unreadable":
                    sheet, cell = result.anchors.get("name", (result.sheet or "", None))
                    finding, trouble = broken(rule.code, Path(result.path), Loc(sheet, cell), detail, "batch")
                    extra.setdefault(i, []).append(finding)
                    incidents.setdefault(i, []).append(trouble)
            continue
        for i, hit in found:
            extra.setdefault(i, []).append(_finding(rule, Path(results[i].path), hit))
    out = [r.with_findings(extra[i]) if i in extra else r for i, r in enumerate(results)]
    return [r.with_incidents(*incidents[i]) if i in incidents else r for i, r in enumerate(out)]


def run(paths: Sequence[Path], profile: Profile, select: Sequence[str] = (), ignore: Sequence[str] = (),
        year: int | None = None, fixed: bool = False, targets: TargetIndex | None = None) -> Report:
    """Check ``paths`` in this process (jixiao.pipeline.run with no workers): for tests and programs that
    import jixiao."""
    from jixiao.check.batch import Options, in_process
    from jixiao.pipeline import run as pipeline_run

    options = Options(select=tuple(select), ignore=tuple(ignore), year=year, fixed_profile=fixed)
    return pipeline_run(paths, profile, options, targets,
                        executor=lambda p, prof, opts, progress: in_process([p], prof, opts, progress))


def targets_info(targets: TargetIndex, results: Sequence[WorkbookResult]) -> TargetsInfo:
    """What the report says of ``--targets``: where they came from, the files that could not be read, and the
    approved projects no self-evaluation answered (what a bureau most wants to chase)."""
    from jixiao.pair import approval_key, project_key

    answered = {key for r in results if r.targets for key in r.targets.get("keys", [])}
    # A table whose pairing failed may answer an approval of its project's name: that one is not listed as
    # unanswered (the table's incident says the pairing was not done).
    unpaired = {project_key(r.project.get("name", "")) for r in results
                if any(i.stage == "pair" for i in r.incidents) and r.project.get("name")}
    unanswered = tuple({"path": a.path, "sheet": a.sheet, "name": a.text("name"), "code": a.text("code") or None,
                        "year": a.text("year") or None, "department": a.text("department") or None,
                        "unit": a.text("unit") or None}
                       for a in targets.approvals
                       if approval_key(a) not in answered and project_key(a.text("name")) not in unpaired)
    return TargetsInfo(targets.source, len(targets.approvals),
                       tuple({"path": p, "error": e} for p, e in targets.unreadable), unanswered)


__all__ = ["Loaded", "Severity", "check_loaded", "load", "run"]
