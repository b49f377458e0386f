"""C012 没有找到这个项目批复的绩效目标表。

依据：给了批复的绩效目标表（--targets）时，每张自评表都应对照它的批复目标。按项目编码，或年度、项目名称（必要时加主管
部门、实施单位）都找不到的，或有几张表都可能是它的，就没有做目标对照——在此说明，而不是当作通过。

反例：

    自评表项目名称“学生营养改善计划”，目标表里没有这个项目；或有两张同名的表。

正例：

    找到且只找到一张批复的绩效目标表。
"""

from __future__ import annotations

from collections.abc import Iterable

from jixiao.findings import Severity
from jixiao.rules.registry import Context, Hit, rule


@rule("C012", "no-approval", Severity.WARNING, "没有找到这个项目批复的绩效目标表",
    needs=(),
    reads=())
def check(ctx: Context) -> Iterable[Hit]:
    """A table --targets gave no (or more than one) approved table for."""
    pairing = ctx.model.pairing
    if pairing is None or pairing.status == "matched":
        return
    fld = ctx.model.info.get("name")
    loc = fld.loc if fld is not None else ctx.model.anchor("info")
    if pairing.status == "ambiguous":
        tables = "；".join(pairing.candidates)
        yield Hit(loc, f"有 {len(pairing.candidates)} 张批复的绩效目标表都可能是这个项目的（{tables}），未做目标对照："
                  "请在目标表和自评表中写明项目编码", "一张", len(pairing.candidates))
    else:
        yield Hit(loc, "没有找到这个项目批复的绩效目标表（按项目编码，或年度、项目名称、单位），未做目标对照", "批复的绩效目标表",
                  None)
