"""Allow ``python -m jixiao``.

The guard matters: with the "spawn" start method (Windows, macOS) worker processes import the main
module again, and must not start another run.
"""

from __future__ import annotations

from jixiao.cli import command

if __name__ == "__main__":
    command()
