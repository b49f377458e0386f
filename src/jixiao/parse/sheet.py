"""A sheet as the importers see it: its grid, merges and label cells, and the helpers every importer shares.

The official form, a report's tables and the approved target tables are all read through :class:`Sheet`:
labels found wherever they are (after normalisation), a header row's columns matched against word lists, the
value written to the right of a label. Nothing here knows a form's words: they come with the caller's lists
or :class:`~jixiao.parse.lexicon.Lexicon`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from functools import cached_property
from typing import TYPE_CHECKING

from jixiao.cells import a1
from jixiao.model import Field, Loc, missing
from jixiao.parse import labels
from jixiao.parse.labels import key
from jixiao.read.excel import Grid
from jixiao.values import is_blank

if TYPE_CHECKING:
    from jixiao.parse.lexicon import Lexicon


@dataclass
class Sheet:
    """One sheet's grid with its merge map and the label cells found in it."""

    name: str
    grid: Grid
    merged: dict[tuple[int, int], tuple[int, int]]
    formulas: dict[tuple[int, int], str] = dataclass_field(default_factory=dict)

    def __post_init__(self) -> None:
        self.height = len(self.grid)
        self.merge_tops = {a1(*rc) for rc in set(self.merged.values())}  # top-left cells of merged ranges (A1)
        self.texts: dict[tuple[int, int], str] = {}
        self.by_row: dict[int, list[str]] = {}  # the texts of each row, for the per-row tests (linear)
        self.row_cells: dict[int, list[tuple[int, str]]] = {}  # the same with their columns
        for r, row in enumerate(self.grid):
            for c, value in enumerate(row):
                if isinstance(value, str) and value.strip() and (r, c) not in self.merged:
                    self.texts[(r, c)] = text = key(value)
                    self.by_row.setdefault(r, []).append(text)
                    self.row_cells.setdefault(r, []).append((c, text))

    def window(self, top: int, bottom: int) -> Sheet:
        """Rows ``top`` to ``bottom`` (excluded) of the sheet, at their own rows and columns (one of several tables
        on a sheet)."""
        if top <= 0 and bottom >= self.height:
            return self
        rows: Grid = [[] for _ in range(top)]
        return Sheet(self.name, [*rows, *self.grid[top:bottom]], self.merged, self.formulas)

    def value(self, r: int, c: int) -> object:
        row = self.grid[r] if r < self.height else ()
        value = row[c] if c < len(row) else None
        return None if isinstance(value, str) and not value.strip() else value

    def field(self, r: int, c: int | None) -> Field:
        if c is None:
            return missing(self.name)
        at = self.merged.get((r, c), (r, c))
        return Field(self.value(r, c), Loc(self.name, a1(*at)), self.formulas.get(at))

    def find(self, names: tuple[str, ...]) -> list[tuple[int, int]]:
        """Cells whose label is one of ``names``, top to bottom, left to right."""
        index = self._index
        found = {rc for key in labels.keys(names) for rc in index.get(key, ())}
        return sorted(found)

    @cached_property
    def _index(self) -> dict[str, list[tuple[int, int]]]:
        """Each way a text cell can be read as a label (as written, without its note, a word in brackets either
        way) → its cells: built once, so each ``find`` looks its names up."""
        index: dict[str, list[tuple[int, int]]] = {}
        for rc, text in self.texts.items():
            forms = {text, labels.bare(text)}
            if "(" in text:
                forms.update(labels.alternatives(text))
            for form in forms:
                index.setdefault(form, []).append(rc)
        return index

    def span_end(self, r: int, c: int) -> int:
        """The last column of the merge whose top-left is (r, c) (c when not merged)."""
        end = c
        row = self.grid[r] if r < self.height else []
        while end + 1 < len(row) and self.merged.get((r, end + 1)) == (r, c):
            end += 1
        return end


def header_columns(sheet: Sheet, row: int, spec: Mapping[str, tuple[str, ...]], start: int = 0) -> dict[str, int]:
    """Column key → column, from the header cells of ``row`` (the leftmost match wins)."""
    found: dict[str, int] = {}
    loose: list[tuple[int, str]] = []
    for col, text in sheet.row_cells.get(row, ()):
        if col < start:
            continue
        for name, aliases in spec.items():
            if name not in found and labels.matches(text, aliases):
                found[name] = col
                break
        else:
            loose.append((col, text))
    for col, text in loose:  # “单项指标实际完成值”: a column's name with a qualifier before it
        for name in _QUALIFIED:
            if name in spec and name not in found and col not in found.values() and labels.qualified(text, spec[name]):
                found[name] = col
                break
    return found


# Columns whose head is also written with a qualifier in front (单项指标实际完成值, 本年实际完成值).
_QUALIFIED = ("actual", "target", "reason")


def form_labels(sheet: Sheet, lex: Lexicon) -> set[str]:
    """The distinct labels of the forms found on the sheet (as the vocabulary writes them)."""
    out = set()
    for text in sheet.texts.values():
        if lex.is_label(text):
            bare = labels.bare(text)
            out.add(next((a for a in labels.alternatives(bare) if a in lex.known), bare) if "(" in bare else bare)
    return out


def value_right(sheet: Sheet, r: int, c: int, lex: Lexicon) -> Field:
    """The value written to the right of a label: the next cell after the label's merge, unless that
    cell is itself a label (then the value is blank, located just after the label)."""
    col = sheet.span_end(r, c) + 1
    width = len(sheet.grid[r]) if r < sheet.height else 0
    first = col
    while col < width:
        if (r, col) in sheet.merged:
            col += 1
            continue
        text = sheet.texts.get((r, col))
        if text is not None and lex.is_label(text):
            break
        if not is_blank(sheet.value(r, col)):
            return sheet.field(r, col)
        col += 1
    return Field(None, Loc(sheet.name, a1(r, first)))


def join_split_target(sheet: Sheet, r: int, cols: dict[str, int], fields: dict[str, Field]) -> None:
    """A target split over 指标性质 | 指标值 | 度量单位 (or 符号 | 数值 | 单位) columns, joined into one value."""
    comparator = " ".join(sheet.field(r, cols[k]).text for k in ("comparator", "comparator_more") if k in cols)
    unit = sheet.field(r, cols.get("unit")).text if "unit" in cols else ""
    labels.join_split_target(fields, comparator, unit)
