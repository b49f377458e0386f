"""I001 二级指标不属于所填的一级指标（或一级指标不规范）。

依据：财预〔2020〕10号附件的指标体系（比较前去掉“（10分）”之类的注释和末尾的“等”，“生态效益”“服务对象满意度”
这样不带“指标”二字的写法和配置文件 [level2_aliases] 中的写法都认）：产出指标下为数量、质量、时效、成本指标；效益指标下为经济、社会、生态（环境）效益和可持续影响指标；满意度指标下为服务对象满意度指标。各地口径在配置文件 [level2] 中设置。

反例：

    一级指标 “效益指标”，二级指标 “数量指标”。

正例：

    一级指标 “产出指标”，二级指标 “数量指标”。表中没有“满意度指标”一级、把“服务对象满意度指标”列在“效益指标”下的较早表式
    （配置文件 [level2_older]），也照认。
"""

from __future__ import annotations

from collections.abc import Iterable

from jixiao.findings import Severity
from jixiao.model import Loc
from jixiao.profile import Profile
from jixiao.rules.registry import Context, Hit, rule


@rule("I001", "level2-illegal", Severity.ERROR, "二级指标与一级指标不匹配",
    needs=("indicators",),
    reads=("[level1_aliases]", "[level2]", "[level2_aliases]", "[level2_older]"))
def check(ctx: Context) -> Iterable[Hit]:
    """Each 二级 must be legal under its 一级 per the profile; each 一级 must be known. (A label merged over
    several rows has one cell, so its finding is the same for each row: the runner keeps one.) Labels are
    quoted as matched, without their “（10分）” notes."""
    profile = ctx.profile
    legal = profile.level2
    model = ctx.model
    printed = [ind.level1.label for ind in model.indicators] + list(model.claims) + list(model.printed_level1)
    used = {profile.canonical_level1(label) for label in printed}
    unknown: dict[str, Loc] = {}  # the 一级 the profile does not know: one finding for the table, at the first
    wrong: dict[tuple[str, str], list[Loc]] = {}  # a 二级 wrong under its 一级: the rows written so
    for ind in model.indicators:
        level1 = profile.canonical_level1(ind.level1.label)
        level2 = profile.canonical_level2(ind.level2.label)
        if level1 not in legal:
            unknown.setdefault(ind.level1.label, ind.level1.loc)
        elif level2 not in legal[level1] and not _older_form(profile, level1, level2, used):
            places = wrong.setdefault((ind.level1.label, ind.level2.label), [])
            if ind.level2.loc not in places:
                places.append(ind.level2.loc)
    if unknown:
        names = "、".join(f"“{label}”" for label in unknown)
        yield Hit(next(iter(unknown.values())), f"一级指标{names}不是规范的一级指标", "、".join(legal),
                  "、".join(unknown))
    for (level1_label, level2_label), places in wrong.items():
        # The same 二级 written wrongly on several rows is one mistake: said once, at the first, with the count.
        home = profile.canonical_level1(level1_label)
        more = f"（共 {len(places)} 处）" if len(places) > 1 else ""
        yield Hit(places[0], f"二级指标“{level2_label}”不属于一级指标“{level1_label}”{more}",
                  "、".join(legal[home]), level2_label)


def _older_form(profile: Profile, level1: str, level2: str, used: set[str]) -> bool:
    """An older form's filing ([level2_older]): the 二级 under this 一级, and the form has no place for the
    二级's own 一级 — no row, empty form row or category line (a form without a 满意度指标 一级 that lists
    服务对象满意度指标 under 效益指标)."""
    home = profile.home_of(level2)
    return level2 in profile.level2_older.get(level1, ()) and home is not None and home not in used
