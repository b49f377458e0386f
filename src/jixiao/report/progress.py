"""A rich progress bar on a terminal; nothing at all when output is piped (CI, scripts)."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator


@contextlib.contextmanager
def progress_bar(total: int, enabled: bool = True) -> Iterator[Callable[[int], None]]:
    """Yield ``advance(n)``; draws files done / total, rate and ETA on stderr when it is a terminal."""
    if not enabled or total < 2 or sys.stderr is None or not sys.stderr.isatty():  # rich is not even imported
        yield lambda n: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    console = Console(stderr=True, emoji=False)
    if not console.is_terminal:
        yield lambda n: None
        return
    with Progress(TextColumn("检查中"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("{task.fields[rate]} 个/秒"), TextColumn("剩余"), TimeRemainingColumn(),
                  console=console, transient=True) as progress:
        task = progress.add_task("check", total=total, rate="-")

        def advance(n: int) -> None:
            progress.advance(task, n)
            speed = progress.tasks[0].speed
            progress.update(task, rate=f"{speed:.0f}" if speed else "-")

        yield advance
