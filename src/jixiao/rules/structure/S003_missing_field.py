"""S003 必填项未填写。

依据：年度、项目名称、主管部门、实施单位、自评等级是自评表表头的必填内容；“年度资金总额”行是计算预算执行率的依据。

反例::

    “实施单位”一栏空着；项目资金表删掉了“年度资金总额”行。

正例::

    所有必填项都已填写。
"""

from __future__ import annotations

from collections.abc import Iterable

from jixiao.findings import Severity
from jixiao.model import Loc
from jixiao.rules.registry import Context, Hit, parse_issues, rule
from jixiao.template.spec import INFO, INFO_FIELDS


@rule("S003", "missing-field", Severity.ERROR, "必填项未填写")
def check(ctx: Context) -> Iterable[Hit]:
    """Required header fields that are blank, and required rows the parser missed."""
    yield from parse_issues(ctx, "S003")
    if any(i.code == "S001" and i.loc.sheet == INFO.name for i in ctx.model.issues):
        return  # the 基本信息 sheet itself is missing: S001 says so
    for fld in INFO_FIELDS:
        if not fld.required:
            continue
        value = ctx.model.info.get(fld.key)
        if value is None:
            yield Hit(Loc(INFO.name), f"基本信息缺少“{fld.label}”一行", "必填", None)
        elif value.blank:
            yield Hit(value.loc, f"“{fld.label}”未填写", "必填", None)
