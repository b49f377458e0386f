"""Atomic output: write to a temporary file beside the target, then rename over it.

What is at the target is looked at first: a regular file (replaced) or nothing is fine; a folder, a device,
a named pipe or a symbolic link is refused with a Chinese message naming the path. A symbolic link is
refused rather than followed or replaced: writing through it would put the report wherever the link
points (another user's file, a system file), and replacing it would quietly undo what someone set up.
A failed write (disk full, no permission, read-only disk) names the target, never the temporary file.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

from jixiao.errors import JixiaoError

_KINDS = ((stat.S_ISDIR, "一个文件夹"), (stat.S_ISCHR, "一个字符设备"), (stat.S_ISBLK, "一个块设备"),
          (stat.S_ISFIFO, "一个命名管道"), (stat.S_ISSOCK, "一个套接字"))
_REASONS = {errno.ENOSPC: "磁盘空间不足", getattr(errno, "EDQUOT", -1): "超出磁盘配额", errno.EACCES: "没有写入权限",
            errno.EPERM: "没有写入权限", errno.EROFS: "磁盘或文件夹是只读的", errno.ENOENT: "文件夹不存在",
            errno.ENOTDIR: "路径中有一段不是文件夹", errno.ENAMETOOLONG: "文件名过长", errno.EISDIR: "这是一个文件夹"}


def _refuse_unsafe(target: Path) -> None:
    """Refuse a target that is not a regular file (or absent): never write through a link or to a device."""
    try:
        info = os.lstat(target)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise JixiaoError(f"无法写出 {target}：{reason_of(exc)}") from None
    if stat.S_ISLNK(info.st_mode):
        raise JixiaoError(f"拒绝写入：{target} 是一个符号链接（指向 {os.readlink(target)}），jixiao 不通过符号链接写入；"
                          "请直接写出到实际路径，或换一个文件名")
    if not stat.S_ISREG(info.st_mode):
        kind = next((name for test, name in _KINDS if test(info.st_mode)), "一个特殊文件")
        raise JixiaoError(f"拒绝写入：{target} 是{kind}，不是普通文件；请换一个文件名")


def reason_of(exc: OSError) -> str:
    """A write error in plain Chinese (one the table does not name: its number, never the system's English)."""
    return _REASONS.get(exc.errno or 0, f"系统错误（错误号 {exc.errno}）" if exc.errno else "系统错误")


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path in ``target``'s folder; on success rename it to ``target``.

    On any exception (Ctrl-C included) the temporary file is removed and ``target`` is untouched. Raises
    JixiaoError naming ``target`` when it is not a regular file, or when writing fails (an OSError never
    escapes).
    """
    _refuse_unsafe(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=target.suffix + ".tmp", dir=target.parent)
        os.close(fd)
    except OSError as exc:
        raise JixiaoError(f"无法写出 {target}：{reason_of(exc)}") from None
    tmp = Path(name)
    try:
        yield tmp
        # mkstemp creates the file private (0600); give the output the permissions a new file would get.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        _refuse_unsafe(target)  # what is there may have changed while writing; rename replaces a link itself
        os.replace(tmp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        if isinstance(exc, OSError):
            raise JixiaoError(f"无法写出 {target}：{reason_of(exc)}") from None
        raise


class _Saveable(Protocol):
    def save(self, filename: Any) -> None: ...


def save_atomic(book: _Saveable, target: Path) -> Path:
    """Save a workbook (openpyxl) atomically to ``target``; returns ``target``."""
    with atomic_path(target) as tmp:
        book.save(tmp)
    return target
