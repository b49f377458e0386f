"""Write samples/*.xlsx from the specs in scripts/samples/*.toml (run after editing a spec).

    python scripts/make_samples.py [OUTPUT_DIR]
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

from jixiao.template.build import write_workbook

HERE = Path(__file__).resolve().parent
SPECS = HERE / "samples"


def main(out: Path) -> None:
    """Write every sample workbook into ``out``."""
    for spec_path in sorted(SPECS.glob("*.toml")):
        spec = tomllib.loads(spec_path.read_text("utf-8"))
        target = write_workbook(out / (spec_path.stem + ".xlsx"), spec)
        print(target)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE.parent / "samples")
