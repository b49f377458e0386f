"""The official single-sheet 项目支出绩效自评表 (财预〔2020〕10号 annex), empty or filled from a spec.

Agencies that must submit in the official form get it from ``jixiao template --layout official``: one
sheet laid out for printing, 一级/二级 merged down over their rows, with the template's dropdowns and a
填表说明 sheet. The same specs as the template (``template/build.py``) fill it, so every sample exists in
both layouts. ``official_grid`` gives the grid and merges alone, for writers of other formats (.xls).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from jixiao.atomic import save_atomic
from jixiao.report import paper
from jixiao.template.spec import FUND_ROW_KEYS, FUND_ROWS, HELP_SHEET, LEVEL1, LEVEL2, check_line

SHEET = "项目支出绩效自评表"
WIDTH = 10  # columns A..J
WIDTHS = (10, 12, 16, 24, 14, 14, 8, 8, 18, 18)
# The rows the printed form carries for each 二级 when nothing is filled in.
EMPTY_FORM: tuple[tuple[str, str], ...] = (
    ("产出指标", "数量指标"), ("产出指标", "质量指标"), ("产出指标", "时效指标"), ("产出指标", "成本指标"),
    ("效益指标", "经济效益指标"), ("效益指标", "社会效益指标"), ("效益指标", "生态效益指标"),
    ("效益指标", "可持续影响指标"), ("满意度指标", "服务对象满意度指标"),
)
HELP_LINES: tuple[str, ...] = (
    "项目支出绩效自评表（官方单表格式）填表说明",
    "一、表头：填写年度（标题下一行）、项目名称、主管部门、实施单位、项目负责人和联系电话。",
    "二、项目资金（万元）：年初预算数、全年预算数、全年执行数；“其中”各行之和应等于年度资金总额。"
    "年度资金总额行填写分值（一般为10）、执行率（全年执行数÷全年预算数）和得分（执行率×分值，不超过分值）。",
    "三、绩效指标：一级指标、二级指标请从下拉列表选择；每个三级指标一行，没有的二级指标整行留空即可。",
    "    年度指标值可写比较符和单位，如 “≥95%”“≤12个月”“963个”；实际完成值写实际数和单位，如 “98%”。",
    "    定量指标：达到指标值得满分，否则按 实际÷指标值（越小越好的指标按 指标值÷实际）× 分值计分。",
    "    定性指标：达成年度指标得分值的80%–100%；部分达成并具有一定效果得60%–80%；未达成且效果较差得0–60%。",
    "    未完全达成的指标，以及实际大幅超过指标值（130%及以上）的指标，须填写“偏差原因分析及改进措施”。",
    "四、总分 = 预算执行率得分 + 各三级指标得分；自评等级：优 ≥90，良 ≥80，中 ≥60，差 <60。",
)

Rows = list[list[Any]]


def _put(rows: Rows, merges: list[str], r: int, c: int, value: Any, r2: int | None = None,
         c2: int | None = None) -> None:
    """Write ``value`` at zero-based (r, c), merged to (r2, c2) when given."""
    while len(rows) <= max(r, r2 or r):
        rows.append([None] * WIDTH)
    rows[r][c] = value
    r2, c2 = r if r2 is None else r2, c if c2 is None else c2
    if (r2, c2) != (r, c):
        merges.append(f"{get_column_letter(c + 1)}{r + 1}:{get_column_letter(c2 + 1)}{r2 + 1}")


def _groups(items: Sequence[Mapping[str, Any]], key: str) -> list[tuple[int, int]]:
    """Runs of equal ``key`` values as (first, last) offsets."""
    out: list[tuple[int, int]] = []
    start = 0
    for i in range(1, len(items) + 1):
        if i == len(items) or items[i].get(key) != items[start].get(key) or (
                key == "level2" and items[i].get("level1") != items[start].get("level1")):
            out.append((start, i - 1))
            start = i
    return out


def official_grid(spec: Mapping[str, Any] | None = None) -> tuple[Rows, list[str], dict[str, int]]:
    """The form as rows of cell values, merged ranges (A1) and the zero-based rows of its parts."""
    spec = spec or {}
    info = spec.get("info", {})
    funds = spec.get("funds", {})
    rows: Rows = []
    merges: list[str] = []
    _put(rows, merges, 0, 0, "项目支出绩效自评表", c2=9)
    year = info.get("year")
    _put(rows, merges, 1, 0, f"（{year}年度）" if year not in (None, "") else "（    年度）", c2=9)
    _put(rows, merges, 2, 0, "项目名称", c2=1)
    _put(rows, merges, 2, 2, info.get("name"), c2=9)
    for r, (left, right) in ((3, ("department", "unit")), (4, ("manager", "phone"))):
        labels = {"department": "主管部门", "unit": "实施单位", "manager": "项目负责人", "phone": "联系电话"}
        _put(rows, merges, r, 0, labels[left], c2=1)
        _put(rows, merges, r, 2, info.get(left), c2=4)
        _put(rows, merges, r, 5, labels[right], c2=6)
        _put(rows, merges, r, 7, info.get(right), c2=9)
    _put(rows, merges, 5, 0, f"项目资金（{spec.get('funds_unit', '万元')}）", r2=9, c2=1)
    _put(rows, merges, 5, 2, None, c2=3)
    for c, label in enumerate(("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"), start=4):
        _put(rows, merges, 5, c, label)
    for r, (key, label) in enumerate(zip(FUND_ROW_KEYS, FUND_ROWS, strict=True), start=6):
        values = funds.get(key, {} if funds or key == "total" else {"weight": "—", "rate": "—", "score": "—"})
        _put(rows, merges, r, 2, label, c2=3)
        for c, col in enumerate(("initial", "budget", "executed", "weight", "rate", "score"), start=4):
            _put(rows, merges, r, c, values.get(col))
    _put(rows, merges, 10, 0, "年度总体目标", r2=11)
    _put(rows, merges, 10, 1, "预期目标", c2=5)
    _put(rows, merges, 10, 6, "实际完成情况", c2=9)
    _put(rows, merges, 11, 1, info.get("goal_expected"), c2=5)
    _put(rows, merges, 11, 6, info.get("goal_actual"), c2=9)
    header = 12
    for c, label in enumerate(("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
                               "偏差原因分析及改进措施"), start=1):
        _put(rows, merges, header, c, label, c2=9 if c == 8 else None)
    items = list(spec.get("indicators", [])) or [{"level1": a, "level2": b} for a, b in EMPTY_FORM]
    first = header + 1
    for offset, item in enumerate(items):
        r = first + offset
        for c, column in enumerate(("name", "target", "actual", "weight", "score"), start=3):
            _put(rows, merges, r, c, item.get(column))
        _put(rows, merges, r, 8, item.get("reason"), c2=9)
    for level, at in (("level1", 1), ("level2", 2)):
        for start, end in _groups(items, level):
            _put(rows, merges, first + start, at, items[start].get(level), r2=first + end if end > start else None)
    last = first + len(items) - 1
    _put(rows, merges, header, 0, "绩效指标", r2=last)
    total = spec.get("summary", {}).get("总分", {})
    _put(rows, merges, last + 1, 0, "总分", c2=5)
    _put(rows, merges, last + 1, 6, total.get("weight", 100 if not spec else None))
    _put(rows, merges, last + 1, 7, total.get("score"))
    _put(rows, merges, last + 1, 8, None, c2=9)
    if "grade" in info or not spec:  # the grade row only where the form asks for it
        _put(rows, merges, last + 2, 0, "自评等级", c2=5)
        _put(rows, merges, last + 2, 6, info.get("grade"), c2=9)
    parts = {"header": header, "first": first, "last": last, "total": last + 1, "grade": last + 2}
    return rows, merges, parts


def build_official(spec: Mapping[str, Any] | None = None, page: str | None = None) -> Workbook:
    """The official form as an openpyxl workbook (form sheet first, then 填表说明); ``page``: the finance bureau's
    self-check page, named in 填表说明."""
    rows, merges, parts = official_grid(spec)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SHEET
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for r, values in enumerate(rows, start=1):
        for c, value in enumerate(values, start=1):
            cell = ws.cell(row=r, column=c, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # agency text is never a formula
            cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center" if r <= 2 else None)
            if r > 2:
                cell.border = border
    for rng in merges:
        ws.merge_cells(rng)
    ws["A1"].font = Font(bold=True, size=16)
    for c, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(c)].width = width
    first, last = parts["first"] + 1, max(parts["last"] + 1, parts["first"] + 40)
    for col, choices, title in (("B", LEVEL1, "一级指标"), ("C", LEVEL2, "二级指标")):
        dv = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True,
                            showErrorMessage=True, errorTitle="请从下拉列表选择",
                            error=f"{title}只能填写：{'、'.join(choices)}")
        dv.add(f"{col}{first}:{col}{last}")
        ws.add_data_validation(dv)
    paper.setup_openpyxl(ws, landscape=False)
    help_sheet(wb, (*HELP_LINES, check_line(page)))
    return wb


def help_sheet(wb: Workbook, lines: tuple[str, ...]) -> None:
    """填表说明: one line a row, wrapped, each row as tall as its text; printed A4 portrait, one page wide."""
    ws = wb[HELP_SHEET] if HELP_SHEET in wb.sheetnames else wb.create_sheet(HELP_SHEET)
    width = 90
    ws.column_dimensions["A"].width = width
    for r, line in enumerate(lines, start=1):
        cell = ws.cell(row=r, column=1, value=line)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        size = 14.0 if r == 1 else 11.0
        if r == 1:
            cell.font = Font(bold=True, size=size)
        height = paper.row_height((line,), (width,), size)
        if height is not None:
            ws.row_dimensions[r].height = height
    paper.setup_openpyxl(ws, landscape=False)


def write_official(path: str | Path, spec: Mapping[str, Any] | None = None, page: str | None = None) -> Path:
    """Write the official form (filled from ``spec`` when given) atomically to ``path``."""
    return save_atomic(build_official(spec, page), Path(path))
