"""B001 同一项目重复提交。

依据：同一实施单位、同一项目、同一年度只应有一份自评表；重复提交会让汇总重复计数，且两份内容往往不一致。
只有批量检查时才能发现，按 实施单位 + 项目名称 + 年度 判断（忽略空格和全角半角差异）。

反例::

    收到的文件夹里既有“科技兴警专项.xlsx”，又有“科技兴警专项（修改版）.xlsx”，两份的实施单位、项目名称、年度都相同。

正例::

    每个项目每年只保留最终提交的一份。
"""

from __future__ import annotations

from collections.abc import Iterable

from jixiao.findings import Severity
from jixiao.model import Loc
from jixiao.rules.registry import BatchContext, Hit, batch_rule
from jixiao.values import normalize_text


@batch_rule("B001", "duplicate-project", Severity.ERROR, "同一项目重复提交")
def check(ctx: BatchContext) -> Iterable[tuple[int, Hit]]:
    """Every workbook whose (unit, name, year) another workbook of the run also has."""
    groups: dict[tuple[str, str, str], list[int]] = {}
    for i, result in enumerate(ctx.results):
        p = result.project
        key = tuple(normalize_text(p.get(k, "")) for k in ("unit", "name", "year"))
        if result.status != "unreadable" and key[0] and key[1]:
            groups.setdefault((key[0], key[1], key[2]), []).append(i)
    for members in groups.values():
        if len(members) < 2:
            continue
        for i in members:
            others = "、".join(ctx.results[j].path for j in members if j != i)
            sheet, cell = ctx.results[i].anchors["name"]
            p = ctx.results[i].project
            yield i, Hit(Loc(sheet, cell), f"{p['unit']}“{p['name']}”（{p['year']}年度）还出现在：{others}",
                         "每个项目每年一份", len(members))
