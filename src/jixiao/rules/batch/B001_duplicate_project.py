"""B001 同一项目重复提交。

依据：同一实施单位、同一项目、同一年度只应有一份自评表；重复提交会让汇总重复计数，且两份内容往往不一致。
只有批量检查时才能发现，按 实施单位 + 项目名称 + 年度 判断（忽略空格和全角半角差异）。

反例：

    收到的文件夹里既有“科技兴警专项.xlsx”，又有“科技兴警专项（修改版）.xlsx”，两份的实施单位、项目名称、年度都相同。

正例：

    每个项目每年只保留最终提交的一份。
"""

from __future__ import annotations

from collections.abc import Iterable

from jixiao.findings import Severity
from jixiao.model import Loc
from jixiao.rules.registry import BatchContext, Hit, batch_rule
from jixiao.values import normalize_text

LISTED = 10  # other copies named in the group's finding; the rest are counted


@batch_rule("B001", "duplicate-project", Severity.ERROR, "同一项目重复提交",
    needs=(),
    reads=())
def check(ctx: BatchContext) -> Iterable[tuple[int, Hit]]:
    """Every workbook whose (unit, name, year) another workbook of the run also has."""
    groups: dict[tuple[str, str, str, bool], list[int]] = {}
    for i, result in enumerate(ctx.results):
        p = result.project
        key = tuple(normalize_text(p.get(k, "")) for k in ("unit", "name", "year"))
        # A project's 自评报告 beside its workbook is not a second submission (R001 compares the two).
        if result.status != "unreadable" and key[0] and key[1]:
            groups.setdefault((key[0], key[1], key[2], result.layout == "report"), []).append(i)
    for members in groups.values():
        if len(members) < 2:
            continue
        # One group, said once in full (on its first file) and pointed at from the others: a thousand
        # copies give a thousand short findings, not a thousand lists of a thousand paths.
        first, rest = members[0], members[1:]
        names = [ctx.results[j].name for j in rest]
        shown = "、".join(names[:LISTED]) + (f" 等 {len(names)} 份" if len(names) > LISTED else "")
        p = ctx.results[first].project
        sheet, cell = ctx.results[first].anchors["name"]
        yield first, Hit(Loc(sheet, cell), f"{p['unit']}“{p['name']}”（{p['year']}年度）共提交 {len(members)} 份，"
                                           f"其余为：{shown}", "每个项目每年一份", len(members))
        for i in rest:
            sheet, cell = ctx.results[i].anchors["name"]
            yield i, Hit(Loc(sheet, cell), f"与 {ctx.results[first].name} 是同一项目（共 {len(members)} 份，"
                                           "清单见该文件的 B001）", "每个项目每年一份", len(members))
