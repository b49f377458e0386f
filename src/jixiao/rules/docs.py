"""Rule documentation generated from the registry: ``jixiao rules`` and ``docs/rules.md``."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from jixiao.rules.registry import load_rules

_GROUPS = {"structure": "结构", "values": "取值", "funds": "项目资金", "indicators": "绩效指标", "totals": "权重、总分与等级",
           "batch": "跨工作簿（批量检查）"}


def rules_markdown() -> str:
    """The whole of docs/rules.md."""
    rules = load_rules()
    lines = ["# 检查规则", "", "本文件由 `jixiao rules --markdown` 根据规则注册表生成，请勿手工修改。", "",
             "| 代码 | 名称 | 级别 | 说明 |", "| --- | --- | --- | --- |"]
    for r in rules.values():
        lines.append(f"| [{r.code}](#{r.code.lower()}) | {r.name} | {r.severity.value} | {r.summary} |")
    for group, title in _GROUPS.items():
        lines += ["", f"## {title}"]
        for r in (r for r in rules.values() if r.group == group):
            kind = "表格规则（pandera）" if r.table else "批量规则" if r.batch else "跨表规则"
            lines += ["", f"### {r.code}", "", f"`{r.name}` · {r.severity.value} · {kind}", "", r.doc]
    return "\n".join(lines) + "\n"


def print_rules() -> None:
    """A rich table of every rule."""
    from jixiao.report.console import make_console

    table = Table(title="jixiao 检查规则")
    for header in ("代码", "名称", "级别", "说明"):
        table.add_column(header)
    for r in load_rules().values():
        table.add_row(r.code, r.name, r.severity.label, Text(r.summary))
    make_console().print(table)
