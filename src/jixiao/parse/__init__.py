"""Parse stage: raw sheets become layout-independent :class:`~jixiao.model.Evaluation` tables.

An importer is a module plus a registration here: ``claims(names)`` says which sheets it wants read
(given every sheet name, in workbook order; empty: not this layout) and ``parse(raw)`` turns them into
tables. The first importer that claims a workbook reads it. The template claims a workbook by its sheet
names (it is one table over four sheets); the official form is recognised sheet by sheet by its content.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from jixiao.errors import UnreadableWorkbook
from jixiao.incidents import Incident, incident
from jixiao.model import Evaluation, Field, Loc
from jixiao.read.excel import RawWorkbook

_NONE = Field(None, Loc(""))


@dataclass
class Parsed:
    """What an importer made of a workbook: its tables, and the sheets that looked like tables but
    could not be read (sheet name → reason)."""

    tables: list[Evaluation] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    incidents: dict[str, Incident] = field(default_factory=dict)  # sheets whose reading failed unexpectedly


@dataclass(frozen=True)
class Importer:
    """A layout jixiao reads."""

    name: str
    claims: Callable[[Sequence[str]], Sequence[str]]
    parse: Callable[[RawWorkbook], Parsed]


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


def _template_parse(raw: RawWorkbook) -> Parsed:
    from jixiao.parse.template import parse_workbook

    model = parse_workbook(raw)
    if _unfilled(model):
        raise UnreadableWorkbook(f"模板{BLANK_FORM}")
    return Parsed([model])


def _official_parse(raw: RawWorkbook) -> Parsed:
    from jixiao.parse.official import NotATable, parse_sheet

    out = Parsed()
    for name in raw.names:
        if name not in raw.sheets:
            continue
        try:
            table = parse_sheet(raw, name)
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
    Importer("template", _template_claims, _template_parse),
    Importer("official", lambda names: list(names), _official_parse),
]


def choose(names: Sequence[str]) -> tuple[Importer, Sequence[str]]:
    """The importer that claims a workbook with these sheet names, and the sheets it wants read."""
    for importer in IMPORTERS:
        wanted = importer.claims(names)
        if wanted:
            return importer, wanted
    return IMPORTERS[-1], names
