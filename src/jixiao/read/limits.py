"""Limits that keep a hostile or broken file from costing unbounded time or memory.

Every number here is documented in docs/robustness.md; a file beyond a limit is refused with a
plain-Chinese reason naming the limit, and the batch goes on.
"""

from __future__ import annotations

MAX_FILE_BYTES = 100 * 1024 * 1024  # a filled self-evaluation is tens of KB
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024  # all parts of the zip together, once inflated
MAX_RATIO = 100  # inflated / compressed, for any part bigger than RATIO_FLOOR_BYTES
RATIO_FLOOR_BYTES = 10 * 1024 * 1024
MAX_MEMBERS = 5_000  # parts in the zip
MAX_SHEET_XML_BYTES = 20 * 1024 * 1024  # one template sheet's XML, inflated (a filled one is < 1 MB)
MAX_ROWS = 5_000  # rows of one template sheet
MAX_TARGET_ROWS = 100_000  # rows of one sheet of approved targets (a bureau's flat export: one row per indicator)
MAX_COLUMNS = 200  # columns of one template sheet
MAX_CELL_CHARS = 5_000  # longer text is cut (and ends with "…")
XML_HEAD_BYTES = 4096  # where a DOCTYPE / ENTITY declaration would have to be
MAX_FORMULA_DEPTH = 20  # formulas referring to formulas
MAX_FORMULA_CELLS = 200_000  # cells read by one sheet's uncached formulas together (a template's: < 1,000)
MAX_MERGED_CELLS = 100_000  # cells covered by one sheet's merged ranges, once clipped (a template's: < 500)
MAX_SHEET_TEXT_BYTES = 20 * 1024 * 1024  # one sheet's text with shared strings / repeats written out per cell
MAX_SHEET_CELLS = 500_000  # .ods: cells with a value in one sheet once repeated rows and cells are written out
FILE_SECONDS = 60  # batch: wall time of one file in a worker, from when it is taken up
WORKER_START_SECONDS = 120  # batch: a worker loading pandas/pandera and warming up, before its first file
WORKER_MEMORY_BYTES = 2 * 1024 ** 3  # batch: address space a worker may add to what it starts with (Linux)
MAX_REPORT_PARAGRAPHS = 5_000  # paragraphs of one 自评报告 (a real one has tens)
MAX_REPORT_TABLE_ROWS = 1_000  # rows of one table in a 自评报告
