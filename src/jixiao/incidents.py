"""Incidents: a stage that failed for one file, contained to that file, said in Chinese, logged in full.

Every stage of a check runs for each file on its own: reading, recognising the tables, pairing with the
approved targets, scoring, the rules, and each output (the annotated copy, the file's rows in the summary,
its object in the JSON report, its block on the console, its section of the page). When a stage fails for a
file, what the earlier stages produced is kept, the file's result carries an :class:`Incident` saying which
step could not be done and why (in Chinese, with a short reference number), and the run goes on. The
traceback travels with the incident (``detail``, never shown, never in the JSON) to the one place that writes
logs: the command line's log file (:class:`IncidentLog`) or the server's log, under the same reference.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from jixiao.errors import JixiaoError

# What each stage is (the 步骤 column of the summary), and what its failure means for the user.
STAGES: dict[str, str] = {
    "read": "读取文件", "parse": "识别自评表", "pair": "对照批复的绩效目标", "score": "重算得分",
    "check": "按规则检查", "batch": "跨文件检查", "accept": "应用设置文件中接受的问题",
    "annotate": "带批注的副本", "summary": "汇总工作簿", "json": "JSON 报告", "console": "屏幕输出", "page": "网页",
}
FAILED: dict[str, str] = {
    "read": "读取文件时出错", "parse": "识别自评表时出错", "pair": "对照批复的绩效目标时出错，本表未与批复对照",
    "score": "重算得分时出错，本表未能重算，也未按规则检查", "check": "按规则检查时出错，本表没有检查结果",
    "batch": "跨文件检查时出错", "annotate": "带批注的副本未能写出", "summary": "汇总工作簿中本表的行未能写出",
    "json": "JSON 报告中本表的内容未能写出", "console": "屏幕上本表的结果未能显示", "page": "网页上本表的结果未能显示",
}
# Stages whose failure leaves a table not fully checked: its status cannot be “clean”.
CHECKING = frozenset({"read", "parse", "pair", "score", "check", "batch"})
LOG_NAME = "jixiao-出错记录.log"


@dataclass(frozen=True)
class Incident:
    """One stage that failed for one file (or one table of it): ``message`` says what could not be done and
    why, with ``ref``, the number under which ``detail`` (the traceback) is logged."""

    stage: str
    message: str
    ref: str
    detail: str = field(default="", compare=False, repr=False)
    sheet: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (never the traceback)."""
        return {"stage": self.stage, "message": self.message, "ref": self.ref}


def new_ref() -> str:
    """A short reference number for the log (8 hex digits)."""
    return secrets.token_hex(4)


def reason(exc: BaseException) -> str:
    """Why it failed, in words a user can act on; never an exception's name."""
    if isinstance(exc, JixiaoError):
        return str(exc)
    if isinstance(exc, MemoryError):
        return "内存不足"
    if isinstance(exc, RecursionError):
        return "文件结构过深"
    cause = exc if isinstance(exc, OSError) else exc.__cause__ or exc.__context__
    if isinstance(cause, OSError):  # also a library's own error wrapped around one (xlsxwriter's FileCreateError)
        from jixiao.atomic import reason_of

        return reason_of(cause)
    return "程序内部错误"


def incident(stage: str, exc: BaseException, what: str | None = None, sheet: str | None = None) -> Incident:
    """The incident of ``exc`` at ``stage``: “<what failed>：<reason>（日志编号 …）”."""
    ref = new_ref()
    step = what or FAILED.get(stage, f"{STAGES.get(stage, stage)}未能完成")
    message = f"{step}：{reason(exc)}（日志编号 {ref}）"
    detail = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    return Incident(stage, message, ref, detail, sheet)


class IncidentLog:
    """The command line's log of incidents: one entry per incident, with its file, stage, reference and
    traceback. The file is created only when something is logged (a run with no incident leaves none)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._fh: IO[str] | None = None
        self.count = 0
        self.failed = False  # the log itself could not be written (said once, the run goes on)

    def write(self, source: str, item: Incident) -> None:
        """Log ``item`` of the file ``source``."""
        self.count += 1
        if self.path is None or self.failed:
            return
        try:
            if self._fh is None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._fh = self.path.open("a", encoding="utf-8")
            stamp = time.strftime("%Y-%m-%d %H:%M:%S")
            where = f"{source}［{item.sheet}］" if item.sheet else source
            self._fh.write(f"[{stamp}] 编号 {item.ref} · {STAGES.get(item.stage, item.stage)} · {where}\n"
                           f"{item.message}\n{item.detail.rstrip() or '（没有更多信息）'}\n\n")
            self._fh.flush()
        except OSError:
            self.failed = True

    def close(self) -> None:
        """Close the file (if one was opened)."""
        if self._fh is not None:
            with contextlib.suppress(OSError):
                self._fh.close()
            self._fh = None


def default_log_path(*outputs: Path | None) -> Path:
    """Where the command line logs incidents without ``--log``: beside the first output (the summary, the
    JSON report, the annotated copies' folder), else in the system's temporary folder."""
    for out in outputs:
        if out is not None:
            folder = out if out.is_dir() else out.parent
            return folder / LOG_NAME
    import tempfile

    return Path(tempfile.gettempdir()) / f"jixiao-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}.log"
