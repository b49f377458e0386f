"""Write samples/* from the specs in scripts/samples/*.toml (run after editing a spec; needs ``.[dev]``).

    python scripts/make_samples.py [OUTPUT_DIR]

A spec fills the jixiao template by default; ``layout = "official"`` writes the official single-sheet form
instead, as ``format = "xlsx"`` (with dropdowns and 填表说明, like ``jixiao template --layout official``)
or ``"xls"`` (the grid alone, as many agencies save it).
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

from jixiao.template.build import write_workbook
from jixiao.template.official import SHEET, official_grid, write_official

HERE = Path(__file__).resolve().parent
SPECS = HERE / "samples"
sys.path.insert(0, str(HERE))

from grid_writers import write as write_grid  # noqa: E402


def write_sample(out: Path, spec_path: Path) -> Path:
    """Write the sample described by ``spec_path`` into ``out``; returns its path."""
    spec = tomllib.loads(spec_path.read_text("utf-8"))
    if spec.get("layout") != "official":
        return write_workbook(out / (spec_path.stem + ".xlsx"), spec)
    target = out / f"{spec_path.stem}.{spec.get('format', 'xlsx')}"
    if target.suffix == ".xlsx":
        return write_official(target, spec)
    rows, merges, _ = official_grid(spec)
    write_grid(target, [(SHEET, rows, merges)])
    return target


def main(out: Path) -> None:
    """Write every sample workbook into ``out``."""
    for spec_path in sorted(SPECS.glob("*.toml")):
        print(write_sample(out, spec_path))


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE.parent / "samples")
