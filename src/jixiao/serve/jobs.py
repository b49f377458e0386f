"""What a server worker does with a task: check it, and for an upload write its outputs there too.

Run inside the worker process, under the batch budgets (time and memory): the annotated copy opens the
workbook with openpyxl, so it is made where a hostile workbook can only cost the worker. An upload is checked
by the one pipeline (jixiao.pipeline.run: the same reading, pairing with the approved targets, rules, batch
rules and accepted findings as ``jixiao check FILE``) and its outputs are those of ``--annotate DIR
--annotate-all --json FILE`` for the one file, named as its sender named it. A file of the inbox (the officer's
summary) is only checked: the pipeline in the server puts the batch together.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from jixiao.check.batch import Options, in_process, run_info
from jixiao.check.runner import check_chunk
from jixiao.config import Settings
from jixiao.findings import Report, WorkbookResult
from jixiao.inbox import stored_name
from jixiao.pipeline import OutputPlan, run, write_outputs
from jixiao.profile import Profile
from jixiao.serve.store import CELLS, META, OUT, RESULT, is_upload


def check_uploads(paths: Sequence[Path], profile: Profile, options: Options,
                  settings: Settings | None = None, inbox: Path | None = None) -> list[WorkbookResult]:
    """Check ``paths``; each that is a stored upload is checked by the pipeline and gets its annotated copy and
    result.json; any other (the inbox's files) is checked for the pipeline that asked. ``settings``: the folder's
    settings file; ``inbox``: where a submission would be stored (its [[accept]] patterns match that path)."""
    out: list[WorkbookResult] = []
    for path in paths:
        if not is_upload(path):
            out.extend(check_chunk([path], profile, options.select, options.ignore, options.fixed_profile,
                                   options.targets, options.facts))
            continue
        folder = path.parent.parent
        shown = {str(path): _shown(folder)}
        def accept_as(result: WorkbookResult, inbox: Path | None = inbox, path: Path = path,
                      name: str = shown[str(path)]) -> str:
            # With an inbox: where the file will be stored once submitted (so the page accepts what the officer's
            # summary and jixiao check INBOX/ accept); without one: the name its sender gave it.
            return stored_name(inbox, result.project, path.suffix) if inbox is not None else name

        report = run([path], profile, options, options.targets, settings, executor=_here, shown=shown,
                     accept_as=accept_as)
        write_outputs(report, OutputPlan(annotate=folder / OUT, annotate_all=True, json=folder / OUT / RESULT,
                                         shown=shown))
        _keep_cells(path, folder / CELLS)
        out.extend(report.workbooks)  # with the incidents of the outputs
    return out


def _keep_cells(path: Path, target: Path) -> None:
    """The upload's cells (jixiao/versions.py), kept with the check: submitted, they go to the inbox, where a
    later version of the submission is compared with them. A failure costs only the comparison."""
    from jixiao.atomic import atomic_path
    from jixiao.versions import snapshot

    try:
        cells = snapshot(path)
        if cells is not None:
            with atomic_path(target) as tmp:
                tmp.write_text(json.dumps(cells, ensure_ascii=False), "utf-8")
    except Exception:  # the check's result stands without it; the officer's page says it is missing
        return


def _here(paths: Sequence[Path], profile: Profile, options: Options,
          progress: Callable[[int], None] | None) -> list[WorkbookResult]:
    """In this (worker) process: it is already the one the budgets watch."""
    return in_process([list(paths)], profile, options, progress)


def _shown(folder: Path) -> str:
    return str(json.loads((folder / META).read_text("utf-8"))["name"])


def write_json(folder: Path, results: list[WorkbookResult], profile: Profile, options: Options) -> None:
    """The check's JSON report (result.json) from results the worker could not write (it passed a budget and
    was ended): the pipeline's report of those results, naming the file as its sender did."""
    report = Report(results, profile=profile.name, run=run_info(profile, options, time.time(), 1),
                    shown={r.path: _shown(folder) for r in results})
    write_outputs(report, OutputPlan(json=folder / OUT / RESULT))
