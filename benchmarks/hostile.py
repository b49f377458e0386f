"""Time and memory of `jixiao check` on each file of the hostile corpus (one process per file).

    python benchmarks/hostile.py [--dir /tmp/jixiao-hostile]

Shows that every hostile file is refused or read within bounded time and memory (docs/robustness.md).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fixtures.hostile.make_corpus import build  # noqa: E402

from benchmarks.batch import timed  # noqa: E402


def main() -> None:
    """Build the corpus, check each file in its own process, print wall time and peak memory."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", default="/tmp/jixiao-hostile")
    args = parser.parse_args()
    files = build(Path(args.dir))
    base, base_mb = timed([sys.executable, "-m", "jixiao", "check", str(ROOT / "samples" / "02_某县教育局_学生营养改善计划.xlsx"), "-q"])
    print(f"{'file':<32}{'size':>10}{'wall s':>9}{'peak MB':>9}")
    print(f"{'(clean sample, for reference)':<32}{'':>10}{base:>9.2f}{base_mb:>9.0f}")
    for path in files:
        wall, peak = timed([sys.executable, "-m", "jixiao", "check", str(path), "-q"])
        print(f"{path.name:<32}{path.stat().st_size:>10}{wall:>9.2f}{peak:>9.0f}")


if __name__ == "__main__":
    main()
