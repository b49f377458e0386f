"""Rule documentation generated from the registry: ``jixiao rules`` and ``docs/rules.md``.

What a rule reads of the profile is what it declares (``reads=`` on its registration). :func:`profile_settings`
works the same out of the rule's source (the profile attributes it touches and the scorer's values computed
from settings); a test holds every rule's declaration to it, so a rule cannot read a setting it does not say.
"""

from __future__ import annotations

import ast
import inspect
import sys

from jixiao.rules.registry import Rule, load_rules

# Profile attribute or method → the setting of the profile file it stands for.
_SETTINGS = {
    "weights": "[weights]", "categories": "[weights]", "total": "scoring.total", "decimals": "scoring.decimals",
    "round": "scoring.decimals", "score_tolerance": "scoring.score_tolerance",
    "sum_tolerance": "scoring.sum_tolerance", "amount_tolerance": "scoring.amount_tolerance",
    "rate_tolerance": "scoring.rate_tolerance", "equal_tolerance": "scoring.equal_tolerance",
    "over_completion": "scoring.over_completion", "budget_rate_cap": "scoring.budget_rate_cap",
    "fraction_max": "scoring.fraction_max", "low_execution": "scoring.low_execution",
    "budget_weight_max": "scoring.budget_weight_max", "rename_similarity": "scoring.rename_similarity",
    "grades": "[[grades]]", "grade_for": "[[grades]]", "canonical_grade": "[[grades]]",
    "bands": "[qualitative]", "band": "[qualitative]", "level2": "[level2]",
    "canonical_level1": "[level2] [level1_aliases]", "canonical_level2": "[level2] [level2_aliases]",
    "home_of": "[level2]", "level2_aliases": "[level2_aliases]", "level2_older": "[level2_older]",
    "reverse_level2": "[indicators]", "criteria": "[indicators]",
}
# What the scorer computes with which settings: a rule reading these values reads those settings too.
_DERIVED = {
    "rule_score": "scoring.decimals scoring.equal_tolerance scoring.fraction_max",
    "status": "scoring.equal_tolerance scoring.fraction_max", "ratio": "scoring.fraction_max",
    "band_low": "[qualitative] scoring.decimals", "band_high": "[qualitative] scoring.decimals",
    "level": "[qualitative]", "rate_written": "scoring.fraction_max",
    "rate_computed": "", "categories": "[weights] [level2] [level2_aliases] scoring.decimals",
    "recomputed_total": "[weights] [qualitative] scoring.decimals scoring.equal_tolerance scoring.fraction_max "
                        "scoring.budget_rate_cap", "recomputed_grade": "[[grades]]",
    "claimed_grade": "[[grades]]",
    "pairs_of": "scoring.rename_similarity",  # the indicator pairs against the approved targets
}
# The budget line's rule score (the fund table's rule_score) comes from other settings.
_FUNDS_RULE_SCORE = "[weights] scoring.budget_rate_cap scoring.budget_weight_max scoring.decimals"
_ATTRIBUTES = frozenset({"rule_score", "band", "categories", "recomputed_total", "recomputed_grade", "claimed_grade"})


def profile_settings(rule: Rule) -> list[str]:
    """The profile settings a rule's source reads: directly (``profile.X`` in its module) and through the
    values the scorer computed with them (``rule_score``, ``band_low`` …). The check on ``rule.reads``."""
    module = sys.modules.get(_module_of(rule))
    if module is None:
        return []
    tree = ast.parse(inspect.getsource(module))
    found: set[str] = set()
    funds = rule.table is not None and rule.table.table == "funds"
    for node in ast.walk(tree):
        name = None
        if isinstance(node, ast.Attribute) and _is_profile(node.value) and node.attr in _SETTINGS:
            found.update(_SETTINGS[node.attr].split())
        elif isinstance(node, ast.Attribute) and node.attr in _ATTRIBUTES:
            name = node.attr  # a scorecard value
        elif isinstance(node, ast.Name) and node.id == "pairs_of":
            name = node.id
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and rule.table is not None:
            name = node.value  # a column of the stacked table
        if name == "rule_score" and funds:
            found.update(_FUNDS_RULE_SCORE.split())
        elif name in _DERIVED:
            found.update(_DERIVED[name].split())
    return sorted(found)


def _module_of(rule: Rule) -> str:
    func = rule.check or rule.batch or (rule.table.passes if rule.table and rule.table.passes else None)
    if func is not None:
        return func.__module__
    return next((m for m, mod in sys.modules.items() if m.startswith("jixiao.rules.") and
                 getattr(mod, "RULE", None) is rule), "")


def _is_profile(node: ast.expr) -> bool:
    return (isinstance(node, ast.Name) and node.id == "profile") or (
        isinstance(node, ast.Attribute) and node.attr == "profile")

_GROUPS = {"structure": "结构", "values": "取值", "funds": "项目资金", "indicators": "绩效指标", "totals": "权重、总分与等级",
           "targets": "对照批复的绩效目标（--targets）", "report": "自评报告（.docx）", "batch": "跨工作簿（批量检查）"}


def kind_of(rule: Rule) -> str:
    """How a rule runs, in words users know: row by row, over the whole table, or across workbooks."""
    return "逐行检查" if rule.table else "跨工作簿检查" if rule.batch else "整表检查"


def rules_markdown() -> str:
    """The whole of docs/rules.md."""
    rules = load_rules()
    lines = ["# 检查规则", "", "本文件由 `jixiao rules --markdown` 根据规则注册表生成，请勿手工修改。", "",
             "| 代码 | 级别 | 类别 | 说明 |", "| --- | --- | --- | --- |"]
    for r in rules.values():
        lines.append(f"| [{r.code}](#{r.code.lower()}) | {r.severity.label} | {_GROUPS.get(r.group, r.group)} | "
                     f"{r.summary} |")
    for group, title in _GROUPS.items():
        lines += ["", f"## {title}"]
        for r in (r for r in rules.values() if r.group == group):
            settings = r.reads
            reads = "、".join(f"`{x}`" for x in settings) if settings else "无"
            lines += ["", f"### {r.code}", "", f"{r.severity.label} · {kind_of(r)}", "", r.doc, "",
                      f"读取的评分口径设置：{reads}"]
    return "\n".join(lines) + "\n"


def print_rules() -> None:
    """A rich table of every rule."""
    from rich.table import Table
    from rich.text import Text

    from jixiao.report.console import make_console

    table = Table(title="jixiao 检查规则")
    for header in ("代码", "级别", "类别", "说明"):
        table.add_column(header)
    for r in load_rules().values():
        table.add_row(r.code, r.severity.label, _GROUPS.get(r.group, r.group), Text(r.summary))
    make_console().print(table)


# What each setting a rule reads is, in words a clerk knows (the rule pages of ``jixiao serve``).
PLAIN_SETTINGS = {
    "[[grades]]": "等级划分（优、良、中、差的分数线）", "[level1_aliases]": "一级指标的其他写法",
    "[level2]": "一级指标下的二级指标", "[level2_aliases]": "二级指标的其他写法",
    "[level2_older]": "较早表式的二级指标", "[qualitative]": "定性指标的三档",
    "[weights]": "各一级指标的分值", "scoring.amount_tolerance": "金额加总允许的误差",
    "scoring.budget_rate_cap": "执行率得分的上限", "scoring.budget_weight_max": "预算执行率分值的合理上限",
    "scoring.decimals": "得分保留的小数位", "scoring.equal_tolerance": "“=”类指标的相等判断",
    "scoring.fraction_max": "小数写的执行率（0.98 即 98%）", "scoring.low_execution": "执行率偏低的界线",
    "scoring.over_completion": "大幅超额的界线（130%）", "scoring.rate_tolerance": "执行率允许的误差",
    "scoring.rename_similarity": "改名的相似程度", "scoring.score_tolerance": "得分允许的误差",
    "scoring.sum_tolerance": "加总允许的误差", "scoring.total": "满分",
}


def rule_text(code: str, plain: bool = False) -> str:
    """One rule explained: code, summary, severity and how it runs, its rationale with the bad and good
    examples, and the profile settings it reads (``jixiao rules CODE``, and the 说明 sheet of the summary);
    ``plain``: the settings in words, not their keys (for the clerks' rule pages)."""
    rules = load_rules()
    rule = rules.get(code)
    if rule is None:
        from jixiao.errors import JixiaoError

        near = [c for c in rules if c.startswith(code[:1])] or list(rules)
        raise JixiaoError(f"没有规则 {code}（同类规则：{'、'.join(near)}；jixiao rules 列出全部规则）")
    doc = rule.doc
    if plain:
        used = "、".join(dict.fromkeys(PLAIN_SETTINGS.get(k, k) for k in rule.reads)) or "无"
        line = f"用到的评分口径：{used}（由财政局设定）"
        for key in sorted(PLAIN_SETTINGS, key=len, reverse=True):  # the keys the rationale names, in words too
            doc = doc.replace(f"配置文件 {key}", f"评分口径的“{PLAIN_SETTINGS[key]}”")
            doc = doc.replace(key, f"“{PLAIN_SETTINGS[key]}”")
    else:
        line = f"读取的评分口径设置：{'、'.join(rule.reads) or '无'}"
    return f"{rule.code} {rule.summary}（{rule.severity.label}，{kind_of(rule)}）\n\n{doc}\n\n{line}\n"


def print_rule(code: str) -> None:
    """Print one rule's explanation."""
    sys.stdout.write(rule_text(code))
