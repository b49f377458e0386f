"""Output paths (``--summary``, ``--json``, ``--annotate``) are checked before any workbook is read.

A run that would fail to write at the end must fail at the start, in one Chinese line, before the user
waited for a thousand workbooks: a parent that is a file, a folder that cannot be written, an output that
is one of the inputs, a file output that is an existing folder (or a folder output that is a file), a
device. A missing folder is created, and the run says so.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from jixiao.errors import JixiaoError
from jixiao.marker import ANNOTATED_DOCX_SUFFIX, ANNOTATED_SUFFIX

LABELS = {"json": "--json", "summary": "--summary", "annotate": "--annotate"}


def root_of(paths: Iterable[str]) -> Path:
    """The folder the copies' relative paths start from: the inputs' common folder."""
    absolute = [os.path.abspath(p) for p in paths]
    if not absolute:
        return Path.cwd()
    if len(absolute) == 1:
        return Path(os.path.dirname(absolute[0]))
    return Path(os.path.commonpath([os.path.dirname(p) for p in absolute]))


def copy_path(path: str, root: Path, out: Path) -> Path:
    """Where the annotated copy of ``path`` goes: ``out``/<path relative to root>/原名.检查结果.xlsx."""
    source = Path(os.path.abspath(path))
    try:
        rel = source.parent.relative_to(root)
    except ValueError:
        rel = Path()
    # 原名.检查结果.xlsx; an .xls/.ods keeps its suffix in the name (x.xls.检查结果.xlsx), so x.xlsx, x.xls
    # and x.ods in one folder get three copies, not one.
    if source.suffix.lower() == ".docx":  # a report's copy stays a Word document
        return out / rel / (source.stem + ANNOTATED_DOCX_SUFFIX)
    stem = source.stem if source.suffix.lower() == ".xlsx" else source.name
    return out / rel / (stem + ANNOTATED_SUFFIX)


@dataclass
class Outputs:
    """The checked output paths, and the folders that had to be created for them."""

    json: Path | None = None
    summary: Path | None = None
    annotate: Path | None = None
    created: list[Path] = field(default_factory=list)

    def files(self) -> dict[str, Path | None]:
        """The single-file outputs by reporter name."""
        return {"json": self.json, "summary": self.summary}


def real(path: Path) -> Path:
    """``path`` resolved, or as it is when it cannot be (a symlink loop): never raises."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path.absolute()


def _folder_ok(folder: Path, label: str, outputs: Outputs) -> None:
    """``folder`` exists (or is created) and can be written to."""
    existing = folder
    while not existing.exists():
        if existing.parent == existing:
            break
        existing = existing.parent
    if existing.exists() and not existing.is_dir():
        raise JixiaoError(f"无法写出 {label}：{existing} 是一个文件，不是文件夹")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise JixiaoError(f"无法写出 {label}：没有写入文件夹 {existing} 的权限")
    if not folder.exists():
        try:
            folder.mkdir(parents=True)
        except OSError as exc:
            raise JixiaoError(f"无法写出 {label}：不能创建文件夹 {folder}（{exc.strerror or exc}）") from None
        outputs.created.append(folder)


def _not_special(path: Path, label: str) -> None:
    try:
        mode = os.lstat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):
        return  # nothing there yet (or a parent is a file: _folder_ok says so)
    except OSError as exc:
        raise JixiaoError(f"无法写出 {label}：{path}（{exc.strerror or exc}）") from None
    if stat.S_ISLNK(mode):
        raise JixiaoError(f"拒绝写入 {label}：{path} 是一个符号链接，请直接给出真实的文件路径")
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        raise JixiaoError(f"拒绝写入 {label}：{path} 不是普通文件（设备或管道）")


def check_outputs(json: str | None, summary: str | None, annotate: str | None, inputs: list[Path],
                  named: list[str], summaries: set[Path]) -> Outputs:
    """Check every output path before any workbook is read; raise JixiaoError with one Chinese line.

    ``summaries`` are inputs that are jixiao's own summaries (found in a checked folder, not named):
    writing the new summary over an earlier one is allowed.
    """
    out = Outputs(json=None if json in (None, "-") else Path(json),
                  summary=None if summary is None else Path(summary),
                  annotate=None if annotate is None else Path(annotate))
    resolved_inputs = {real(p) for p in inputs}
    named_inputs = {real(Path(p)) for p in named}
    for key, path in out.files().items():
        if path is None:
            continue
        label = LABELS[key]
        _not_special(path, label)
        if path.is_dir():
            raise JixiaoError(f"拒绝写入 {label}：{path} 是一个已有的文件夹，请给出文件名")
        target = real(path)
        if target in resolved_inputs and (target in named_inputs or target not in summaries):
            raise JixiaoError(f"拒绝写入 {label}：{path} 是被检查的输入文件之一，请换一个文件名")
        _folder_ok(target.parent, label, out)
    if out.summary is not None and out.summary.suffix.lower() != ".xlsx":
        raise JixiaoError(f"汇总表 {out.summary} 的扩展名应为 .xlsx")
    if out.json is not None and out.summary is not None and real(out.json) == real(out.summary):
        raise JixiaoError("拒绝写入：--json 与 --summary 不能是同一个文件")
    if out.annotate is not None:
        _not_special(out.annotate, LABELS["annotate"])
        if out.annotate.exists() and not out.annotate.is_dir():
            raise JixiaoError(f"无法写出 --annotate：{out.annotate} 是一个文件，应为文件夹")
        _folder_ok(out.annotate, LABELS["annotate"], out)
    return out
