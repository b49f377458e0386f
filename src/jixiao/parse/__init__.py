"""Parse stage: a file becomes layout-independent :class:`~jixiao.model.Evaluation` tables.

An importer is a module plus a registration here. Which importer reads a file is decided in one place,
:func:`read_tables`: by the file's kind (a ``.docx`` is a 自评报告) and, for a workbook, by its sheet names —
``claims(names)`` says which sheets an importer wants read (empty: not its layout); the first that claims a
workbook reads it. The template claims a workbook by its sheet names (one table over four sheets); the official
form is recognised sheet by sheet by its content. Every importer reads with the run's
:class:`~jixiao.parse.lexicon.Lexicon` (the forms' words come from the profiles, never from the importers).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jixiao.errors import UnreadableWorkbook
from jixiao.faults import inject
from jixiao.incidents import Incident, incident
from jixiao.model import Evaluation, Field, Loc
from jixiao.parse.lexicon import Lexicon
from jixiao.read.docx import REPORT_SUFFIXES

_NONE = Field(None, Loc(""))


@dataclass
class Parsed:
    """What an importer made of a file: its tables, and the sheets that looked like tables but could not be
    read (sheet name → reason); ``order``: the file's sheets in order (results are listed by it)."""

    tables: list[Evaluation] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    incidents: dict[str, Incident] = field(default_factory=dict)  # sheets whose reading failed unexpectedly
    order: Sequence[str] = ()


@dataclass(frozen=True)
class Importer:
    """A layout jixiao reads: the file suffixes it is for (() for any workbook), the sheets it claims of a
    workbook (None: it reads the whole file), and how it parses what was read."""

    name: str
    suffixes: tuple[str, ...]
    claims: Callable[[Sequence[str]], Sequence[str]] | None
    parse: Callable[[Any, Lexicon], Parsed]


def _template_claims(names: Sequence[str]) -> Sequence[str]:
    from jixiao.parse.template import template_sheets

    chosen = template_sheets(names)
    return chosen if len(chosen) >= 2 else []


BLANK_FORM = "尚未填写（表头、项目资金、绩效指标都是空的），请填写后再检查"


def _unfilled(model: Evaluation) -> bool:
    """A form nobody has filled in (the blank template or official form): no header values, no amounts, no
    indicators. It is said once, as the reason, not as one “未填写” finding per field and a grade of 差."""
    if model.indicators or any(not model.info.get(k, _NONE).blank for k in ("name", "department", "unit")):
        return False
    return all(getattr(row, k).blank for row in model.funds.values() for k in ("initial", "budget", "executed"))


def _report_parse(document: Any, lex: Lexicon) -> Parsed:
    from jixiao.parse.report import parse_report

    return Parsed([parse_report(document, lex)])


def _template_parse(raw: Any, lex: Lexicon) -> Parsed:
    from jixiao.parse.template import parse_workbook

    model = parse_workbook(raw, lex)
    if _unfilled(model):
        raise UnreadableWorkbook(f"模板{BLANK_FORM}")
    return Parsed([model], order=raw.names)


def _official_parse(raw: Any, lex: Lexicon) -> Parsed:
    from jixiao.parse.official import NotATable, parse_sheet

    out = Parsed(order=raw.names)
    for name in raw.names:
        if name not in raw.sheets:
            continue
        try:
            table = parse_sheet(raw, name, lex)
        except NotATable as exc:
            out.failed[name] = str(exc)
            continue
        except Exception as exc:  # one sheet that fails does not cost the workbook's other tables
            found = incident("parse", exc, f"识别工作表“{name}”时出错", sheet=name)
            out.failed[name], out.incidents[name] = found.message, found
            continue
        if table is not None and _unfilled(table):
            out.failed[name] = f"工作表“{name}”{BLANK_FORM}"
        elif table is not None:
            out.tables.append(table)
    if not out.tables and not out.failed:
        raise UnreadableWorkbook(
            "不是项目支出绩效自评表：既不是 jixiao 标准模板（“基本信息”“项目资金”“绩效指标”“得分汇总”工作表），"
            "也没有在任何工作表中找到官方自评表的栏目（“项目名称”“年度资金总额”“一级指标”“三级指标”等）")
    if not out.tables:
        raise UnreadableWorkbook("；".join(out.failed.values()))
    return out


IMPORTERS: list[Importer] = [
    # a 自评报告: .docx, and the report formats the reader explains it does not read (.doc, .pdf, .wps)
    Importer("report", REPORT_SUFFIXES, None, _report_parse),
    Importer("template", (), _template_claims, _template_parse),
    Importer("official", (), lambda names: list(names), _official_parse),
]


def importer_for(path: Path) -> Importer | None:
    """The importer that reads a whole file of this kind (a 自评报告), or None for a workbook (its sheets
    decide: :func:`choose`)."""
    suffix = path.suffix.lower()
    return next((i for i in IMPORTERS if suffix in i.suffixes), None)


def choose(names: Sequence[str]) -> tuple[Importer, Sequence[str]]:
    """The importer that claims a workbook with these sheet names, and the sheets it wants read."""
    workbook = [i for i in IMPORTERS if not i.suffixes]
    for importer in workbook:
        assert importer.claims is not None
        wanted = importer.claims(names)
        if wanted:
            return importer, wanted
    return workbook[-1], names


def read_tables(path: Path, lex: Lexicon) -> Parsed:
    """Read ``path`` and parse it with the importer it calls for. UnreadableWorkbook when the file cannot be
    read or holds no table; a failure while recognising its tables is the file's incident (it was read)."""
    whole = importer_for(path)
    picked: list[Importer] = []
    inject("read", path)
    if whole is not None:
        from jixiao.read.docx import read_docx

        raw: Any = read_docx(path)
        picked.append(whole)
    else:
        from jixiao.read.excel import read_workbook

        def chooser(names: Sequence[str]) -> Sequence[str]:
            importer, wanted = choose(names)
            picked.append(importer)
            return wanted

        raw = read_workbook(path, chooser)
    try:
        inject("parse", path)
        return picked[0].parse(raw, lex)
    except UnreadableWorkbook:
        raise
    except Exception as exc:  # the file was read; recognising its tables failed
        found = incident("parse", exc)
        return Parsed(failed={"": found.message}, incidents={"": found})
