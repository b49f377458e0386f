"""The single definition of the jixiao template layout.

The builder writes it, the parser reads by it, and ``docs/template.md`` describes it. Columns are
found by header text (any alias), never by position.
"""

from __future__ import annotations

from dataclasses import dataclass

TEMPLATE_VERSION = "JX-2025.1"
KNOWN_VERSIONS = ("JX-2025.1",)


@dataclass(frozen=True)
class Column:
    """A column of a tabular sheet: ``key`` is the model's name, ``header`` the Chinese text."""

    key: str
    header: str
    width: int = 14
    aliases: tuple[str, ...] = ()
    required: bool = True
    note: str = ""
    choices: tuple[str, ...] = ()
    number_format: str = ""

    @property
    def names(self) -> tuple[str, ...]:
        """Every header text accepted for this column."""
        return (self.header, *self.aliases)


@dataclass(frozen=True)
class Sheet:
    """A tabular sheet with exactly one header row."""

    name: str
    columns: tuple[Column, ...]
    fixed_rows: tuple[str, ...] = ()
    blank_rows: int = 0
    aliases: tuple[str, ...] = ()
    # Columns the template does not have but regional forms do; recognised when present.
    extra: tuple[Column, ...] = ()

    @property
    def recognised(self) -> tuple[Column, ...]:
        """Every column the parser looks for: the template's and the regional extras."""
        return self.columns + self.extra

    def column(self, key: str) -> Column:
        """The column called ``key``."""
        for col in self.columns:
            if col.key == key:
                return col
        raise KeyError(key)


@dataclass(frozen=True)
class InfoField:
    """One row of the 基本信息 sheet."""

    key: str
    label: str
    required: bool = False
    aliases: tuple[str, ...] = ()
    note: str = ""


KINDS = ("定量正向", "定量反向", "定性")
LEVEL1 = ("产出指标", "效益指标", "满意度指标")
LEVEL2 = (
    "数量指标", "质量指标", "时效指标", "成本指标",
    "经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标",
    "服务对象满意度指标",
)

INFO_FIELDS: tuple[InfoField, ...] = (
    InfoField("template_version", "模板版本", note="请勿修改"),
    InfoField("year", "年度", required=True, note="如 2025"),
    InfoField("name", "项目名称", required=True),
    InfoField("department", "主管部门", required=True),
    InfoField("unit", "实施单位", required=True),
    InfoField("manager", "项目负责人"),
    InfoField("phone", "联系电话"),
    InfoField("date", "填报日期"),
    InfoField("goal_expected", "年度总体目标（预期目标）", aliases=("预期目标", "年度总体目标")),
    InfoField("goal_actual", "年度总体目标（实际完成情况）", aliases=("实际完成情况",)),
    InfoField("grade", "自评等级", required=True, aliases=("等级", "评价等级"), note="优/良/中/差"),
)

INFO = Sheet(
    name="基本信息",
    columns=(
        Column("label", "字段", width=30),
        Column("value", "内容", width=60),
        Column("note", "填写说明", width=30, required=False),
    ),
)

FUND_ROWS = ("年度资金总额", "其中：当年财政拨款", "其中：上年结转资金", "其中：其他资金")
FUND_ROW_KEYS = ("total", "current", "carryover", "other")
FUND_ROW_ALIASES: dict[str, tuple[str, ...]] = {
    # Forms name the total row in several ways: “年度财政资金总额”, “年度预算资金总额”, “项目资金总额” …
    "total": ("年度资金总额", "资金总额", "合计", "年度财政资金总额", "年度预算资金总额", "项目资金总额",
              "年度项目资金总额", "预算资金总额", "资金总额合计", "年度资金合计", "总计"),
    "current": ("当年财政拨款", "本年财政拨款", "财政拨款"),
    "carryover": ("上年结转资金", "上年结转"),
    "other": ("其他资金",),
}

FUNDS = Sheet(
    name="项目资金",
    aliases=("项目资金（万元）",),
    columns=(
        Column("label", "资金类别", width=22, aliases=("项目资金（万元）", "项目资金")),
        Column("initial", "年初预算数", number_format="#,##0.00"),
        Column("budget", "全年预算数", number_format="#,##0.00"),
        Column("executed", "全年执行数", number_format="#,##0.00"),
        Column("weight", "分值", width=8),
        Column("rate", "执行率", width=10, number_format="0.00%"),
        Column("score", "得分", width=8),
    ),
    fixed_rows=FUND_ROWS,
)

INDICATORS = Sheet(
    name="绩效指标",
    columns=(
        Column("level1", "一级指标", choices=LEVEL1),
        Column("level2", "二级指标", width=18, choices=LEVEL2),
        Column("name", "三级指标", width=26),
        Column("kind", "指标类型", width=12, choices=KINDS, required=False,
               note="定量正向：越大越好（≥）；定量反向：越小越好（≤，如成本、时长）；定性：文字描述"),
        Column("target", "年度指标值", width=16, aliases=("年度目标值", "指标值")),
        Column("actual", "实际完成值", width=16),
        Column("weight", "分值", width=8),
        Column("score", "得分", width=8),
        Column("reason", "偏差原因分析及改进措施", width=40,
               aliases=("偏差原因分析", "偏差原因及改进措施", "完成情况说明"), required=False),
    ),
    blank_rows=30,
    extra=(
        Column("comparator", "指标性质", required=False, aliases=("比较符", "指标方向"),
               note="部分地区把比较符单列：≥ ≤ = 等"),
        Column("unit", "度量单位", required=False, aliases=("计量单位", "单位"), note="部分地区把单位单列"),
    ),
)

SUMMARY_ROWS = ("预算执行率", "产出指标", "效益指标", "满意度指标", "总分")

SUMMARY = Sheet(
    name="得分汇总",
    columns=(
        Column("label", "指标类别", width=16),
        Column("weight", "分值", width=10),
        Column("score", "得分", width=10),
    ),
    fixed_rows=SUMMARY_ROWS,
)

HELP_SHEET = "填表说明"
TABULAR_SHEETS: tuple[Sheet, ...] = (INFO, FUNDS, INDICATORS, SUMMARY)

HELP_LINES: tuple[str, ...] = (
    "项目支出绩效自评表（jixiao 标准模板）",
    f"模板版本：{TEMPLATE_VERSION}。请勿修改工作表名称、表头文字和“模板版本”一栏。",
    "",
    "一、基本信息：填写年度、项目名称、主管部门、实施单位等；“自评等级”填 优/良/中/差（或 优秀/良好/中等/较差）。",
    "二、项目资金（万元）：填写年初预算数、全年预算数、全年执行数；“其中”各行之和应等于年度资金总额。"
    "年度资金总额行填写分值（一般为10）、执行率（全年执行数÷全年预算数）和得分（执行率×分值，不超过分值）。",
    "三、绩效指标：每个三级指标一行。一级指标、二级指标、指标类型请从下拉列表选择。",
    "    年度指标值可写比较符和单位，如 “≥95%”“≤12个月”“963个”；实际完成值写实际数和单位，如 “98%”。",
    "    定量正向：实际≥指标值得满分，否则得 实际÷指标值×分值；定量反向：实际≤指标值得满分，否则得 指标值÷实际×分值。",
    "    定性指标：达成年度指标得分值的80%–100%；部分达成并具有一定效果得60%–80%；未达成且效果较差得0–60%。",
    "    未完全达成的指标，以及实际大幅超过指标值（130%及以上）的指标，须填写“偏差原因分析及改进措施”。",
    "四、得分汇总：填写各一级指标的分值与得分，以及总分。一般权重：预算执行率10、产出50、效益30、满意度10。",
)


def check_line(page: str | None) -> str:
    """The last line of 填表说明: where a clerk checks the filled table before submitting it — the finance
    bureau's self-check page (``jixiao template --page-address``), or, without one, to ask for it."""
    if page:
        return f"五、填好后请先在财政局的自查网页上检查：{page}（上传本文件即可，看到的问题改好后再提交）。"
    return "五、填好后可先在财政局的自查网页上检查（上传本文件即可；网址请向财政局询问），问题改好后再提交。"
