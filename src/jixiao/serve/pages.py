"""The pages of ``jixiao serve``: plain HTML, Chinese, one stylesheet, no inline script, no CDN.

Every text that comes from a workbook or a client (file names, cell texts in messages, project names) goes
through ``e`` (HTML-escaped, quotes included) and is only ever element content or a quoted attribute
value; links are built from our own tokens and rule codes only, never from workbook text. The page is a
plain form that works without JavaScript (``drop.js`` only adds dropping a file onto it) and on a narrow
screen (the tables scroll sideways). The pages show what the JSON report says; they compute nothing.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from typing import Any

from jixiao.faults import inject
from jixiao.findings import STATUS_LABELS, Severity
from jixiao.model import where as place
from jixiao.values import plain_number

_CODE = re.compile(r"[A-Z]\d{3}")
_SEVERITY = {s.value: s.label for s in Severity}


def e(value: object) -> str:
    """``value`` as HTML text (None → '')."""
    return "" if value is None else html.escape(str(value), quote=True)


def num(value: object) -> str:
    """A number as a person writes it (15.0 → 15), as HTML text."""
    return e(plain_number(value))


def layout(title: str, body: str, narrow_note: str = "") -> str:
    """A whole page."""
    return (
        "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        "<meta name=\"referrer\" content=\"no-referrer\">"
        f"<title>{e(title)} · jixiao 绩效自评表自查</title>"
        "<link rel=\"stylesheet\" href=\"/static/style.css\"></head><body>"
        "<header><a class=\"home\" href=\"/\">jixiao 绩效自评表自查</a></header>"
        f"<main>{body}</main>"
        "<footer>按财预〔2020〕10号评分规则重算；检查结果只通过本页链接查看，到期自动删除。"
        f"{narrow_note}<a href=\"/rules\">全部检查规则</a></footer>"
        "<script src=\"/static/drop.js\"></script></body></html>\n")


def index(max_mb: float, keep_minutes: float, inbox: bool, profile_title: str) -> str:
    """The upload form."""
    submit = "检查后可以直接提交给财政局。" if inbox else ""
    body = (
        "<h1>提交前，先检查自评表</h1>"
        "<p>选择填好的项目支出绩效自评表（官方格式或 jixiao 标准模板，.xlsx、.xls、.ods 均可，一个工作簿里有几张表都行），"
        "或自评报告（.docx），"
        f"点“检查”。得分按规则重算，有问题的单元格会在副本中标出。{submit}</p>"
        + _upload_form("选择或拖入工作簿", max_mb, (
            "<p class=\"revise\"><label for=\"revises\">改好后重新提交的，填原回执编号（可不填）：</label>"
            "<input id=\"revises\" name=\"revises\" type=\"text\" maxlength=\"64\" autocomplete=\"off\" "
            "placeholder=\"如 20261207-1A2B3C4D5E6F7A8B\"></p>") if inbox else "",
            f"评分口径：{e(profile_title)}。检查结果保留 {keep_minutes:g} 分钟，只有拿到链接的人能看到。"))
    return layout("检查自评表", body)


def _upload_form(label: str, max_mb: float, extra: str = "", note: str = "") -> str:
    """The form that uploads a file to /check (``extra``: its fields besides the file; ``note``: more said
    under the size limit). drop.js reads the limit from ``data-max``."""
    return ("<form class=\"upload\" method=\"post\" action=\"/check\" enctype=\"multipart/form-data\">"
            f"<label class=\"drop\" for=\"file\"><span>{e(label)}</span>"
            "<input id=\"file\" name=\"file\" type=\"file\" required "
            "accept=\".xlsx,.xlsm,.xls,.xlsb,.ods,.docx\"></label>"
            f"{extra}<button type=\"submit\">检查</button><p class=\"note\" id=\"size-note\" "
            f"data-max=\"{max_mb * 1024 * 1024:.0f}\">文件不超过 {max_mb:g} MB。{note}</p></form>")


def _verdict(w: dict[str, Any]) -> str:
    status = w.get("status", "")
    errors, warnings = w.get("errors", 0), w.get("warnings", 0)
    if status == "unreadable":
        return f"<p class=\"verdict unreadable\">无法读取：{e(w.get('error'))}</p>"
    if status == "errors":
        extra = f"，另有 {warnings} 个警告" if warnings else ""
        return f"<p class=\"verdict errors\">有 {errors} 个错误{extra}</p>"
    if status == "warnings":
        return f"<p class=\"verdict warnings\">通过（有 {warnings} 个警告，请核对）</p>"
    return "<p class=\"verdict clean\">通过：未发现问题</p>"


def _scorecard(score: dict[str, Any] | None) -> str:
    if not score:
        return ""
    claimed, recomputed = score.get("claimed_total"), score.get("recomputed_total")
    grade_claimed = score.get("claimed_grade_text") or score.get("claimed_grade") or ""
    grade = score.get("recomputed_grade") or ""
    changed = " changed" if score.get("claimed_grade") and score.get("claimed_grade") != grade else ""
    rows = "".join(
        f"<tr><td>{e(c.get('name'))}</td><td>{num(c.get('weight'))}</td><td>{num(c.get('claimed'))}</td>"
        f"<td>{num(c.get('recomputed'))}</td></tr>" for c in score.get("categories", []))
    return (
        f"<p class=\"total\">总分：自评 <b class=\"claimed\">{num(claimed)}</b> → 重算 <b class=\"recomputed\">"
        f"{num(recomputed)}</b>；等级：自评 {e(grade_claimed) or '（未填）'} → 重算 <b class=\"grade{changed}\">{e(grade)}</b></p>"
        "<div class=\"scroll\"><table class=\"scorecard\"><thead><tr><th>类别</th><th>分值</th><th>自评得分</th>"
        f"<th>重算得分</th></tr></thead><tbody>{rows}</tbody></table></div>")


# Findings fixed by writing the reason, not by changing a value (their 应为 is the target, not a new value).
_REASON = {"I010": "在“偏差原因分析及改进措施”中写明未达成的原因", "I011": "在“偏差原因分析及改进措施”中写明超额的原因，不必改数值"}


def _advice(f: dict[str, Any]) -> str:
    """What to do about a finding, from what it says (its expected value)."""
    if f.get("severity") == "info":
        return "说明，无需修改"
    if f.get("code") in _REASON:
        return _REASON[str(f.get("code"))]
    expected = f.get("expected")
    if isinstance(expected, (int, float)) and not isinstance(expected, bool):
        return f"改为 {num(expected)}"
    if expected not in (None, ""):
        return f"应为：{e(expected)}"
    return "按“问题”一栏修改"


def _findings(findings: list[dict[str, Any]]) -> str:
    if not findings:
        return ""
    rows = []
    for f in findings:
        code = str(f.get("code", ""))
        link = f"<a href=\"/rules/{code}\">{code}</a>" if _CODE.fullmatch(code) else e(code)
        where = place(f.get("sheet"), f.get("cell"))
        severity = str(f.get("severity", ""))
        rows.append(
            f"<tr class=\"{e(severity)}\"><td class=\"code\">{link}</td><td class=\"level\">"
            f"{e(_SEVERITY.get(severity, severity))}</td>"
            f"<td class=\"where\">{e(where)}</td><td>{e(f.get('message'))}</td><td>{num(f.get('expected'))}</td>"
            f"<td>{num(f.get('actual'))}</td><td>{_advice(f)}</td></tr>")
    return ("<div class=\"scroll\"><table class=\"findings\"><thead><tr><th>代码</th><th>级别</th><th>位置</th>"
            "<th>问题</th><th>应为</th><th>实际</th><th>怎么改</th></tr></thead><tbody>"
            + "".join(rows) + "</tbody></table></div>")


def _table(w: dict[str, Any]) -> str:
    project = w.get("project") or {}
    heading = f"工作表“{e(w['sheet'])}”" if w.get("sheet") else "自评表"
    about = " / ".join(e(project.get(k)) for k in ("year", "department", "unit", "name") if project.get(k))
    return (f"<section class=\"table\"><h2>{heading}</h2><p class=\"project\">{about}</p>{_verdict(w)}"
            f"{_incidents(w)}{_scorecard(w.get('score'))}{_findings(w.get('findings', []))}</section>")


def _incidents(w: dict[str, Any]) -> str:
    """The steps that could not be done for this table (its other results stand), as the report says them."""
    items = [i for i in w.get("incidents") or [] if i.get("message") != w.get("error")]
    if not items:
        return ""
    lines = "".join(f"<li>{e(i.get('message'))}</li>" for i in items)
    return f"<ul class=\"incidents\">{lines}</ul>"


def _contained(w: dict[str, Any], request_id: str) -> str:
    """One table's section; a table whose section cannot be shown is one line saying so, the others show."""
    try:
        inject("page", str(w.get("path") or ""))
        return _table(w)
    except Exception:  # logged in the server's log under this request's number
        import logging

        logging.getLogger("jixiao.serve").exception("请求 %s：网页上一张表的结果未能显示", request_id)
        return (f"<section class=\"table\"><p class=\"verdict unreadable\">这张表的结果未能在网页上显示（检查编号 "
                f"{e(request_id)}）：请下载检查结果（JSON）或带批注的副本查看；如果一再出现，请把检查编号告诉财政局。</p></section>")


def _sheet_head(name: str, report: dict[str, Any], sha256: str | None, verdict: str, request_id: str) -> str:
    """The head of the 自查结果单 (what ties the printed page to the file checked): the file, its SHA-256 (the
    receipt and the bureau's inbox show the same), when and with what it was checked, and the verdict."""
    rows = (("文件", name), ("SHA-256", sha256 or "（未记录）"), ("检查时间", report.get("started")),
            ("检查工具", f"jixiao {report.get('version', '')}"), ("评分口径", report.get("profile_title")),
            ("结论", verdict), ("检查编号", request_id))
    hashed = ' class="hash"'
    cells = "".join(f"<tr><th>{e(k)}</th><td{hashed if k == 'SHA-256' else ''}>{e(v)}</td></tr>" for k, v in rows)
    return f"<table class=\"sheet-head\">{cells}</table>"


def result(token: str, name: str, report: dict[str, Any], copy: bool, inbox: bool,
           receipt: dict[str, Any] | None, request_id: str = "-", sha256: str | None = None,
           revises: dict[str, Any] | None = None) -> str:
    """The result of one check: the verdict first, then per table the scorecard and the findings. Printed, it is a
    自查结果单 (A4, no buttons or links) with the file's SHA-256 to match it to the submission."""
    workbooks = report.get("workbooks", [])
    errors = sum(w.get("errors", 0) for w in workbooks)
    unreadable = sum(w.get("status") == "unreadable" for w in workbooks)
    if unreadable and unreadable == len(workbooks):
        verdict, head = "无法读取", "<p class=\"headline unreadable\">无法读取</p>"
    elif errors:
        verdict, head = f"有 {errors} 个错误", f"<p class=\"headline errors\">有 {errors} 个错误</p>"
    else:
        verdict, head = "通过", "<p class=\"headline clean\">通过</p>"
    links = [f"<a class=\"button\" href=\"/r/{token}/json\" download>下载检查结果（JSON）</a>"]
    if copy:
        kind = ".docx" if name.lower().endswith(".docx") else ".xlsx"
        links.insert(0, f"<a class=\"button\" href=\"/r/{token}/copy\" download>下载带批注的副本（{kind}）</a>")
    actions = "<p class=\"downloads\">" + " ".join(links) + "</p>"
    if receipt is not None:
        actions += f"<p class=\"submitted\">已提交给财政局：<a href=\"/r/{token}/receipt\">查看回执</a></p>"
    elif inbox:
        what = (f"作为提交 {e(revises['number'])} 的第 {e(revises['version'])} 版提交给财政局" if revises
                else "提交给财政局")
        actions += (f"<form method=\"post\" action=\"/r/{token}/submit\" class=\"submit\"><button type=\"submit\">"
                    f"{what}</button><span class=\"note\">提交的是刚才上传的原文件，财政局会收到检查结果的记录。"
                    "有错误的请先修改，再检查一次。</span></form>")
    failed = any(w.get("incidents") for w in workbooks)
    help_line = (f"<p class=\"note\">有的步骤未能完成（见下）。可以稍后重新上传一次；如果一再出现，请把检查编号 "
                 f"<b>{e(request_id)}</b> 告诉财政局，他们可以据此查到详细记录。</p>") if failed else ""
    body = (f"<h1><span class=\"print-only\">绩效自评表自查结果单：</span><span class=\"screen-only\">检查结果：</span>"
            f"{e(name)}</h1>{head}{_sheet_head(name, report, sha256, verdict, request_id)}"
            f"<div class=\"screen-only\">{actions}{help_line}</div>"
            + "".join(_contained(w, request_id) for w in workbooks)
            + f"<p class=\"note screen-only\">检查编号 {e(request_id)}</p><p class=\"screen-only\"><a href=\"/\">检查另一个文件</a></p>"
            "<p class=\"print-only note\">本结果单由财政局的自查网页生成；SHA-256 与提交回执、财政局收件箱中的一致，即为同一文件。</p>")
    return layout("检查结果", body)


STATE_CLASS = {"已提交": "submitted", "已退回": "returned", "已通过": "passed"}


def _state(case: dict[str, Any]) -> str:
    """The submission's status, and the officer's note while it stands returned."""
    state = case["state"]
    note = (f"<p class=\"return-note\"><b>退回原因：</b>{e(case['note'])}</p>" if case.get("note") else "")
    return f"<p class=\"state {STATE_CLASS.get(state, '')}\">审核状态：<b>{e(state)}</b></p>{note}"


def receipt_page(token: str, r: dict[str, Any], case: dict[str, Any]) -> str:
    """The receipt of a submission's version: what was received, where the submission stands, and the link to
    its status page (to see a return and send a corrected version after this page has expired)."""
    rows = "".join(f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in (
        ("回执编号", r["receipt"]), ("提交编号", r["number"]), ("版本", f"第 {r['version']} 版"),
        ("提交时间", r["submitted"]), ("文件", r["original_name"]),
        ("SHA-256", r["sha256"]), ("大小（字节）", r["size"]), ("项目", r["project"].get("name")),
        ("实施单位", r["project"].get("unit")), ("提交时的检查结论", STATUS_LABELS.get(r["status"], r["status"])),
        ("错误", r["errors"]), ("警告", r["warnings"])))
    body = (f"<h1>提交回执</h1>{_state(case)}<table class=\"receipt\">{rows}</table>"
            f"<p class=\"status-link\">以后查看审核状态、被退回后提交修改后的文件：<a href=\"/s/{e(case['key'])}\">本提交的状态页</a>"
            "（请保存这个链接；检查结果页到期删除后它仍然有效）。</p>"
            f"<h2>提交时的检查结果</h2>{_findings(r['findings']) or '<p>未发现问题</p>'}"
            f"<p><a href=\"/r/{token}\">返回检查结果</a></p>")
    return layout("提交回执", body)


def _versions(case: dict[str, Any]) -> str:
    """Every version of a submission, newest first."""
    rows = "".join(
        f"<tr><td>第 {e(v['version'])} 版</td><td>{e(v['receipt'])}</td><td>{e(v['submitted'])}</td>"
        f"<td>{e(v['original_name'])}</td><td>{e(STATUS_LABELS.get(v['status'], v['status']))}</td>"
        f"<td>{e(v['errors'])}</td><td>{e(v['warnings'])}</td><td class=\"hash\">{e(v['sha256'])}</td></tr>"
        for v in reversed(case["versions"]))
    return ("<div class=\"scroll\"><table class=\"versions\"><thead><tr><th>版本</th><th>回执编号</th><th>提交时间</th>"
            "<th>文件</th><th>检查结论</th><th>错误</th><th>警告</th><th>SHA-256</th></tr></thead>"
            f"<tbody>{rows}</tbody></table></div>")


def _history(case: dict[str, Any]) -> str:
    """The officer's log of the submission."""
    if not case["reviews"]:
        return ""
    rows = "".join(f"<tr><td>{e(r['time'])}</td><td>第 {e(r['version'])} 版</td><td>{e(r['state'])}</td>"
                   f"<td>{e(r['note'])}</td></tr>" for r in case["reviews"])
    return ("<h2>审核记录</h2><div class=\"scroll\"><table class=\"history\"><thead><tr><th>时间</th><th>版本</th>"
            f"<th>状态</th><th>说明</th></tr></thead><tbody>{rows}</tbody></table></div>")


def status_page(case: dict[str, Any], max_mb: float) -> str:
    """The agency's page of its submission (by the key on its receipt): the status and a return's note, every
    version, and — unless it has passed — the form to send a corrected version."""
    latest = case["versions"][-1]
    project = " / ".join(v for v in (latest["project"].get("year"), latest["project"].get("unit"),
                                     latest["project"].get("name")) if v)
    upload = ""
    if case["state"] != "已通过":
        upload = ("<h2>提交修改后的文件</h2><p>按退回原因改好自评表后，在这里选择文件：先检查，看过结果再点“提交”，"
                  "它就成为本提交的下一个版本（以前的版本都保留）。</p>"
                  + _upload_form("选择或拖入修改后的工作簿", max_mb,
                                 f"<input type=\"hidden\" name=\"revises\" value=\"{e(case['key'])}\">"))
    body = (f"<h1>提交 {e(case['number'])}</h1><p>{e(project)}</p>{_state(case)}"
            f"<h2>各版本</h2>{_versions(case)}{_history(case)}{upload}")
    return layout(f"提交 {case['number']}", body)


def rules_page(rows: Iterable[tuple[str, str, str]]) -> str:
    """Every rule: code, severity and summary."""
    items = "".join(f"<tr><td><a href=\"/rules/{code}\">{code}</a></td><td>{e(level)}</td><td>{e(summary)}</td></tr>"
                    for code, level, summary in rows)
    return layout("检查规则", f"<h1>检查规则</h1><div class=\"scroll\"><table><thead><tr><th>代码</th><th>级别</th>"
                            f"<th>说明</th></tr></thead><tbody>{items}</tbody></table></div>")


def rule_page(code: str, text: str) -> str:
    """One rule's explanation, as ``jixiao rules CODE`` prints it."""
    return layout(f"规则 {code}", f"<h1>规则 {e(code)}</h1><pre class=\"rule\">{e(text)}</pre>"
                                  "<p><a href=\"/rules\">全部规则</a></p>")


def error_page(title: str, message: str) -> str:
    """A page saying what went wrong, in plain words (never a trace)."""
    return layout(title, f"<h1>{e(title)}</h1><p class=\"error\">{e(message)}</p><p><a href=\"/\">返回</a></p>")


def officer_page(cases: list[dict[str, Any]]) -> str:
    """The bureau's list of submissions: one row each, at its latest version, with its status."""
    items = "".join(
        f"<tr class=\"{e(c['latest']['status'])}\"><td><a href=\"/officer/s/{e(c['number'])}\">{e(c['number'])}</a></td>"
        f"<td class=\"state {STATE_CLASS.get(c['state'], '')}\">{e(c['state'])}</td>"
        f"<td>{e(len(c['versions']))}</td><td>{e(c['latest']['submitted'])}</td>"
        f"<td>{e(c['latest']['project'].get('unit'))}</td><td>{e(c['latest']['project'].get('name'))}</td>"
        f"<td>{e(c['latest']['file'])}</td>"
        f"<td>{e(STATUS_LABELS.get(c['latest']['status'], c['latest']['status']))}</td>"
        f"<td>{e(c['latest']['errors'])}</td><td>{e(c['latest']['warnings'])}</td>"
        f"<td class=\"hash\">{e(c['latest']['sha256'])}</td></tr>"
        for c in cases)
    counts = {s: sum(c["state"] == s for c in cases) for s in STATE_CLASS}
    said = "，".join(f"{s} {n}" for s, n in counts.items())
    body = (f"<h1>收到的自评表（{len(cases)} 份：{e(said)}）</h1>"
            "<p><a class=\"button\" href=\"/officer/summary.xlsx\">下载汇总工作簿（对收件箱重新检查，每份提交按最新版本）</a></p>"
            "<div class=\"scroll\"><table class=\"officer\"><thead><tr><th>提交编号</th><th>审核状态</th><th>版本数</th>"
            "<th>最新版本提交时间</th><th>实施单位</th><th>项目</th><th>文件</th><th>结论</th><th>错误</th><th>警告</th>"
            f"<th>SHA-256</th></tr></thead><tbody>{items}</tbody></table></div>")
    return layout("收件箱", body)


def _finding_rows(title: str, findings: list[dict[str, Any]], css: str) -> str:
    if not findings:
        return f"<h3>{e(title)}：无</h3>"
    return f"<h3 class=\"{css}\">{e(title)}（{len(findings)} 个）</h3>{_findings(findings)}"


def officer_case(case: dict[str, Any], diff: dict[str, Any] | None, csrf: str) -> str:
    """One submission for the officer: its versions, what the latest changed against the one before (cells,
    findings fixed, new and remaining), the log, and the form to return it with a note or pass it."""
    latest = case["versions"][-1]
    compare = ""
    if diff is not None:
        if diff["cells"] is None:
            cells = "<p class=\"note\">两个版本中有一个没有保存单元格内容（升级前提交的，或不是工作簿），无法列出改动的单元格。</p>"
        elif not diff["cells"]:
            cells = "<p>两个版本的单元格内容相同。</p>"
        else:
            rows = "".join(f"<tr><td>{e(c['sheet'])}!{e(c['cell'])}</td><td class=\"before\">{e(c['before'])}</td>"
                           f"<td class=\"after\">{e(c['after'])}</td></tr>" for c in diff["cells"])
            cells = ("<div class=\"scroll\"><table class=\"changes\"><thead><tr><th>位置</th><th>原来</th><th>现在</th>"
                     f"</tr></thead><tbody>{rows}</tbody></table></div>")
        compare = (f"<h2>第 {e(latest['version'])} 版与第 {e(latest['version'] - 1)} 版比较</h2>"
                   f"<p class=\"diff-line\">{e(diff['line'])}</p><h3>改动的单元格</h3>{cells}"
                   + _finding_rows("已改正的问题", diff["fixed"], "fixed")
                   + _finding_rows("新出现的问题", diff["new"], "new")
                   + _finding_rows("仍有的问题", diff["remaining"], "remaining"))
    else:
        compare = (f"<h2>第 {e(latest['version'])} 版的检查结果</h2>"
                   f"{_findings(latest['findings']) or '<p>未发现问题</p>'}")
    options = "".join(f"<option value=\"{e(s)}\"{' selected' if s == case['state'] else ''}>{e(s)}</option>"
                      for s in STATE_CLASS)
    form = (f"<h2>审核</h2><form method=\"post\" action=\"/officer/s/{e(case['number'])}/review\" class=\"review\">"
            f"<input type=\"hidden\" name=\"csrf\" value=\"{e(csrf)}\">"
            f"<input type=\"hidden\" name=\"version\" value=\"{e(latest['version'])}\">"
            f"<p><label for=\"state\">状态：</label><select id=\"state\" name=\"state\">{options}</select></p>"
            "<p><label for=\"note\">退回原因和要改的地方（退回时必填，单位在回执页和状态页上看得到）：</label><br>"
            "<textarea id=\"note\" name=\"note\" rows=\"4\" maxlength=\"2000\"></textarea></p>"
            "<p><button type=\"submit\">保存</button></p></form>")
    project = " / ".join(v for v in (latest["project"].get("year"), latest["project"].get("department"),
                                     latest["project"].get("unit"), latest["project"].get("name")) if v)
    body = (f"<p><a href=\"/officer\">返回收件箱</a></p><h1>提交 {e(case['number'])}</h1><p>{e(project)}</p>"
            f"{_state(case)}<h2>各版本</h2>{_versions(case)}{compare}{_history(case)}{form}")
    return layout(f"提交 {case['number']}", body)
