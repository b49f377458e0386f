"""Write the small bad-input fixtures that need extra tools (committed, so tests need none of them).

    pip install msoffcrypto-tool xlwt odfpy && python scripts/make_bad_fixtures.py

* ``encrypted.xlsx``: the clean sample, password-protected with msoffcrypto-tool (password ``jixiao``);
* ``legacy.xls``: a BIFF8 workbook written by xlwt (an old .xls that is not the jixiao template);
* ``legacy_template.xls``: the clean sample's four tables written as .xls (python-calamine reads it);
* ``template.ods``: the same as an OpenDocument spreadsheet (written by pandas with odfpy).
"""

from __future__ import annotations

import io
import tomllib
from pathlib import Path

import xlwt
from msoffcrypto.format.ooxml import OOXMLFile
from openpyxl import load_workbook

from jixiao.template.build import write_workbook

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "fixtures" / "bad"


def _clean(tmp: Path) -> Path:
    spec = tomllib.loads(next((ROOT / "scripts" / "samples").glob("02_*.toml")).read_text("utf-8"))
    return write_workbook(tmp, spec)


def main() -> None:
    """Write every fixture into tests/fixtures/bad."""
    OUT.mkdir(parents=True, exist_ok=True)
    clean = _clean(OUT / "_clean.xlsx")
    encrypted = io.BytesIO()
    with clean.open("rb") as fh:
        office = OOXMLFile(fh)
        office.encrypt("jixiao", encrypted)
    (OUT / "encrypted.xlsx").write_bytes(encrypted.getvalue())

    book = xlwt.Workbook()
    book.add_sheet("工资表").write(0, 0, "姓名")
    book.save(str(OUT / "legacy.xls"))

    source = load_workbook(clean)
    book = xlwt.Workbook(encoding="utf-8")
    for ws in source.worksheets:
        sheet = book.add_sheet(ws.title)
        for r, row in enumerate(ws.iter_rows(values_only=True)):
            for c, value in enumerate(row):
                if value is not None:
                    sheet.write(r, c, value)
    book.save(str(OUT / "legacy_template.xls"))

    import pandas as pd

    with pd.ExcelWriter(OUT / "template.ods", engine="odf") as writer:
        for ws in source.worksheets:
            rows = [list(r) for r in ws.iter_rows(values_only=True)]
            pd.DataFrame(rows).to_excel(writer, sheet_name=ws.title, header=False, index=False)
    clean.unlink()


if __name__ == "__main__":
    main()
