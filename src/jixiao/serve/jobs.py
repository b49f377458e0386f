"""What a server worker does with a task: check it, and for an upload write its outputs there too.

Run inside the worker process, under the batch budgets (time and memory): the annotated copy opens the
workbook with openpyxl, so it is made where a hostile workbook can only cost the worker. The outputs are
those of ``jixiao check FILE --annotate DIR --annotate-all --json FILE`` for the one file: the same check
(batch rules included), the same output stage (each part contained: a copy that cannot be made leaves the
findings, with the reason); the report names the file as its sender did.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from jixiao.check.batch import Options, run_info
from jixiao.check.runner import apply_batch_rules, check_chunk
from jixiao.findings import Report, RunInfo, WorkbookResult
from jixiao.pipeline import OutputPlan, write_outputs
from jixiao.profile import Profile
from jixiao.serve.store import META, OUT, RESULT, is_upload


def check_uploads(paths: Sequence[Path], profile: Profile, options: Options) -> list[WorkbookResult]:
    """Check ``paths``; each that is a stored upload also gets its annotated copy and result.json."""
    results = check_chunk(paths, profile, options.select, options.ignore, options.fixed_profile)
    out: list[WorkbookResult] = []
    for path in paths:
        mine = [r for r in results if r.path == str(path)]
        if is_upload(path):
            mine = apply_batch_rules(mine, profile, options.year, options.select, options.ignore)
            folder = path.parent.parent
            report = Report(mine, profile=profile.name, run=_run(profile, options))
            write_outputs(report, OutputPlan(annotate=folder / OUT, annotate_all=True, json=folder / OUT / RESULT,
                                             shown={str(path): _shown(folder)}))
            mine = report.workbooks  # with the incidents of the outputs
        out.extend(mine)
    return out


def _run(profile: Profile, options: Options) -> RunInfo:
    """The report header of one upload's check (as the command line writes it for one file: one process)."""
    return run_info(profile, replace(options, jobs=1), time.time(), 1)


def _shown(folder: Path) -> str:
    return str(json.loads((folder / META).read_text("utf-8"))["name"])


def write_json(folder: Path, results: list[WorkbookResult], profile: Profile, options: Options) -> None:
    """The check's JSON report (result.json), naming the file as its sender did (not where it is stored)."""
    report = Report(results, profile=profile.name, run=_run(profile, options),
                    shown={r.path: _shown(folder) for r in results})
    write_outputs(report, OutputPlan(json=folder / OUT / RESULT))
