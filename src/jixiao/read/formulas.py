"""Formulas whose result was never cached (a workbook written by a program, never opened in Excel).

The engine reads such a cell as empty. Reading it as blank would be wrong (a total "left blank"), so:
simple arithmetic over numbers and cells of the same sheet (+ - * / parentheses, SUM of ranges) is
recomputed here; anything else is reported as "公式未计算" at its cell.
"""

from __future__ import annotations

import math
import posixpath
import re
import zipfile
from collections.abc import Callable, Mapping

from jixiao.read import limits

# Every pattern that runs over sheet or workbook XML is linear in its size: no part of a pattern can
# run across an element boundary ("<"), and the loops are possessive, so a failed match never backtracks
# over what it consumed. The old cell pattern (``<c\b([^>]*)>(.*?)</c>``) ran from every self-closing
# ``<c …/>`` to the next ``</c>``: quadratic in the number of formatted empty cells (issue #10).
_FORMULA_TAG = re.compile(rb"<f[\s>/]")  # not <formula1> (data validations), <filters>, <firstHeader>…
_COMMENT = b"<!--"
_COMMENT_END = b"-->"
# A cell that is not self-closing: attributes hold no "<" or ">" and do not end with "/"; its body holds
# no other cell's start or end tag, so a match can never reach past the cell it started in.
# The body unrolled ([^<]* then each “<” that opens no cell, and the text after it): every repeat starts with
# “<”, so nothing is tried twice; no possessive group (Debian 12's CPython 3.11.2 matches “(…)*+” wrongly: tests failed there).
_CELL_WITH_FORMULA = re.compile(rb"<c(\s[^<>]*+)?(?<!/)>([^<]*+(?:<(?!/?c[\s>/])[^<]*+)*)</c>")
_REF = re.compile(rb'\br="([A-Z]+)(\d+)"')
_F = re.compile(rb"<f(?:\s[^<>]*+)?(?<!/)>([^<]*+)</f>")  # formula text is escaped: it holds no "<"
_V = re.compile(rb"<v\b[^<>/]*+>[^<]")  # a cached value; openpyxl writes an empty <v /> for none
_TAG = {"sheet": re.compile(r"<sheet\b[^<>]*+>")}
_ATTR = re.compile(r'([\w:]+)="([^"]*+)"')
_RELATIONSHIP = re.compile(rb"<(?:[\w.-]+:)?Relationship\b([^<>]*+)>")
_REL_ATTRS = {name: re.compile(rb"\b" + name.encode() + rb"""\s*+=\s*+(?:"([^"<]*+)"|'([^'<]*+)')""")
              for name in ("Id", "Type", "Target")}
_TOKEN = re.compile(r"\s*(?:(SUM)\(([A-Z]+)(\d+):([A-Z]+)(\d+)\)|([A-Z]+)(\d+)|(\d+(?:\.\d+)?)|([-+*/()]))",
                    re.IGNORECASE)


def col_index(letters: str) -> int:
    """Excel column letters → zero-based index (A → 0)."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n - 1


def _unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&apos;", "'") \
        .replace("&amp;", "&")


def relationships(rels: bytes) -> list[tuple[str, str, str]] | None:
    """(Id, type, part inside the zip) of each relationship in xl/_rels/workbook.xml.rels, however its
    attributes are quoted ('' for an Id or Type not given); None when one cannot be read plainly (no Target,
    or an attribute written with an escape only an XML parser would read)."""
    out = []
    for attrs in _RELATIONSHIP.findall(rels):
        found = []
        for name, pattern in _REL_ATTRS.items():
            match = pattern.search(attrs)
            value = b"" if match is None else match.group(1) if match.group(1) is not None else match.group(2)
            if b"&" in value or (name == "Target" and match is None):
                return None
            found.append(value.decode("utf-8", "replace"))
        rid, kind, target = found
        target = target.replace("\\", "/")
        out.append((rid, kind, posixpath.normpath(target.lstrip("/") if target.startswith("/") else f"xl/{target}")))
    return out


def sheet_parts(zf: zipfile.ZipFile, read: Mapping[str, bytes] | None = None) -> dict[str, str]:
    """Sheet name → its XML part inside the zip (from workbook.xml and its relationships); ``read``: parts
    already inflated (guard.check_zip), taken from there rather than inflated again."""
    read = read or {}
    try:
        book, rels = (read[name] if name in read else zf.read(name)
                      for name in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels"))
    except KeyError:
        return {}
    targets = {rid: part for rid, _, part in relationships(rels) or []}
    parts = {}
    for tag in _TAG["sheet"].findall(book.decode("utf-8", "replace")):
        attrs = dict(_ATTR.findall(tag))
        parts[_unescape(attrs.get("name", ""))] = targets.get(attrs.get("r:id", ""), "xl")
    return parts


def has_formulas(xml: bytes) -> bool:
    """True when a worksheet's XML holds a formula element (``<f>``, ``<f …>`` or ``<f …/>``)."""
    return _FORMULA_TAG.search(xml) is not None


def _without_comments(xml: bytes) -> bytes:
    """The XML with its comments removed, in one pass (an unclosed comment runs to the end).

    Excel never writes comments into sheet XML; a crafted one must not make cells appear.
    """
    if _COMMENT not in xml:
        return xml
    out, pos = [], 0
    while (start := xml.find(_COMMENT, pos)) >= 0:
        out.append(xml[pos:start])
        end = xml.find(_COMMENT_END, start + len(_COMMENT))
        if end < 0:
            return b"".join(out)
        pos = end + len(_COMMENT_END)
    out.append(xml[pos:])
    return b"".join(out)


def uncached_formulas(xml: bytes) -> dict[tuple[int, int], str]:
    """(row, col) → formula text of every cell of a worksheet's XML with a formula but no cached value.

    Linear in the size of ``xml`` (tests/test_performance_shapes.py).
    """
    if not has_formulas(xml):
        return {}
    xml = _without_comments(xml)
    out = {}
    for attrs, body in _CELL_WITH_FORMULA.findall(xml):
        formula = _F.search(body)
        if formula is None or _V.search(body):
            continue
        ref = _REF.search(attrs)
        if ref:
            out[(int(ref.group(2)) - 1, col_index(ref.group(1).decode()))] = _unescape(formula.group(1).decode())
    return out


Token = tuple[int, ...] | float | str


_ROW_TAG = re.compile(rb"<row\b([^<>]*+)>")
_ROW_HIDDEN = re.compile(rb'\bhidden="(?:1|true)"')
_ROW_NUMBER = re.compile(rb'\br="(\d+)"')


def hidden_rows(xml: bytes) -> list[int]:
    """Zero-based numbers of the rows a worksheet's XML marks hidden (linear in the XML's size)."""
    if b'hidden="' not in xml:  # what _ROW_HIDDEN needs: most sheets are done here
        return []
    rows = []
    for attrs in _ROW_TAG.findall(xml):
        if _ROW_HIDDEN.search(attrs):
            number = _ROW_NUMBER.search(attrs)
            if number:
                rows.append(int(number.group(1)) - 1)
    return rows


class _Eval:
    """A tiny recursive-descent evaluator: expr := term (('+'|'-') term)*, term := factor (('*'|'/') factor)*."""

    def __init__(self, formula: str, cell: Callable[[int, int, int], float | None], depth: int,
                 total: Callable[[int, int, int, int, int], float] | None = None) -> None:
        self.tokens = self._tokens(formula)
        self.pos = 0
        self.cell = cell
        self.depth = depth
        self.total = total

    @staticmethod
    def _tokens(text: str) -> list[tuple[str, Token]]:
        tokens: list[tuple[str, Token]] = []
        pos = 0
        text = text.strip().lstrip("=")
        while pos < len(text):
            m = _TOKEN.match(text, pos)
            if m is None or m.end() == pos:
                raise ValueError(text[pos:])
            pos = m.end()
            if m.group(1):
                tokens.append(("sum", (col_index(m.group(2)), int(m.group(3)) - 1,
                                       col_index(m.group(4)), int(m.group(5)) - 1)))
            elif m.group(6):
                tokens.append(("ref", (int(m.group(7)) - 1, col_index(m.group(6)))))
            elif m.group(8):
                tokens.append(("num", float(m.group(8))))
            elif m.group(9):
                tokens.append(("op", m.group(9)))
        return tokens

    def _peek(self) -> tuple[str, Token] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def _next(self) -> tuple[str, Token]:
        token = self._peek()
        if token is None:
            raise ValueError("end")
        self.pos += 1
        return token

    def _value(self, row: int, col: int) -> float:
        value = self.cell(row, col, self.depth + 1)
        return 0.0 if value is None else value

    def factor(self) -> float:
        kind, value = self._next()
        if kind == "num":
            assert isinstance(value, float)
            return value
        if kind == "ref":
            assert isinstance(value, tuple)
            row, col = value
            return self._value(row, col)
        if kind == "sum":
            assert isinstance(value, tuple)
            c1, r1, c2, r2 = value
            r1, r2, c1, c2 = min(r1, r2), max(r1, r2), min(c1, c2), max(c1, c2)
            if self.total is not None:
                return self.total(r1, c1, r2, c2, self.depth + 1)
            return sum(self._value(r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1))
        if value == "-":
            return -self.factor()
        if value == "+":
            return self.factor()
        if value == "(":
            result = self.expr()
            if self._next() != ("op", ")"):
                raise ValueError(")")
            return result
        raise ValueError(str(value))

    def term(self) -> float:
        result = self.factor()
        while self._peek() in (("op", "*"), ("op", "/")):
            op = self._next()[1]
            right = self.factor()
            result = result * right if op == "*" else result / right
        return result

    def expr(self) -> float:
        result = self.term()
        while self._peek() in (("op", "+"), ("op", "-")):
            op = self._next()[1]
            right = self.term()
            result = result + right if op == "+" else result - right
        return result

    def run(self) -> float:
        result = self.expr()
        if self._peek() is not None:
            raise ValueError("trailing")
        return result


def evaluate(formula: str, cell: Callable[[int, int, int], float | None], depth: int = 0,
             total: Callable[[int, int, int, int, int], float] | None = None) -> float | None:
    """The value of a simple formula, or None when it is not simple arithmetic (or cannot be computed).

    ``cell(row, col, depth)`` reads one cell; ``total(r1, c1, r2, c2, depth)``, when given, sums a range
    (so a SUM can be clipped to the cells the sheet holds, and charged to a budget, in one place).
    """
    if depth > limits.MAX_FORMULA_DEPTH:
        return None
    try:
        return _Eval(formula, cell, depth, total).run()
    except (ValueError, ZeroDivisionError, OverflowError, RecursionError, TypeError):
        return None


class TooDeep(Exception):
    """Formulas refer to formulas more than MAX_FORMULA_DEPTH deep: the formula at the top is not computed."""


class Recompute:
    """The uncached formulas of one sheet, each computed at most once, within a budget of cell reads.

    Bounded whatever the formulas say: a formula's result is kept, so formulas summing formulas cost
    each cell once (not once per path to it); a range is clipped to the sheet's extent (cells past it are
    empty); a cycle (a formula reaching itself) is not computable; and all the formulas of a sheet together
    read at most MAX_FORMULA_CELLS cells — past that, the formulas not yet computed stay uncomputed and are
    reported (V004), never taken as blank.
    """

    def __init__(self, grid: list[list[object]], formulas: dict[tuple[int, int], str], height: int,
                 width: int) -> None:
        self.grid = grid
        self.formulas = formulas
        self.height, self.width = height, width
        self.done: dict[tuple[int, int], float] = {}
        self.busy: set[tuple[int, int]] = set()
        self.reads = 0

    def _raw(self, row: int, col: int) -> object:
        grid = self.grid
        return grid[row][col] if row < len(grid) and col < len(grid[row]) else None

    def _charge(self, cells: int) -> None:
        self.reads += cells
        if self.reads > limits.MAX_FORMULA_CELLS:
            raise ValueError("formula cell budget spent")

    def cell(self, row: int, col: int, depth: int) -> float | None:
        """A cell's number (None: empty; NaN: text, or a formula that cannot be computed)."""
        self._charge(1)
        raw = self._raw(row, col)
        key = (row, col)
        if raw is None and key in self.formulas:
            return self.formula(key, depth)
        if isinstance(raw, bool) or not isinstance(raw, (int, float)):
            return None if raw is None else math.nan
        return float(raw)

    def formula(self, key: tuple[int, int], depth: int) -> float:
        """The value of the formula at ``key`` (NaN when it cannot be computed)."""
        if key in self.done:
            return self.done[key]
        if key in self.busy:
            return math.nan  # a cycle: Excel cannot compute it either
        if depth > limits.MAX_FORMULA_DEPTH:
            raise TooDeep  # not kept: from nearer the top the same formula may be computable
        self.busy.add(key)
        try:
            value = evaluate(self.formulas[key], self.cell, depth, self.total)
        finally:
            self.busy.discard(key)
        self.done[key] = math.nan if value is None else value
        return self.done[key]

    def total(self, r1: int, c1: int, r2: int, c2: int, depth: int) -> float:
        """SUM over a range, clipped to the sheet's extent; the whole range is charged before reading it."""
        r2, c2 = min(r2, self.height - 1), min(c2, self.width - 1)
        if r2 < r1 or c2 < c1:
            return 0.0
        self._charge((r2 - r1 + 1) * (c2 - c1 + 1))
        self.reads -= (r2 - r1 + 1) * (c2 - c1 + 1)  # each read below charges itself
        result = 0.0
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                value = self.cell(r, c, depth)
                result += 0.0 if value is None else value
        return result

    def run(self) -> dict[tuple[int, int], str]:
        """Compute every formula (top-left first) into the grid; return those that could not be computed."""
        missing = {}
        for key, formula in sorted(self.formulas.items()):
            if self._raw(*key) is not None:  # the engine did read a value: keep it
                continue
            try:
                value: float | None = self.formula(key, 0)
            except TooDeep:
                value = None
            if value is None or value != value or math.isinf(value):  # NaN from text, a cycle, the budget
                missing[key] = formula
            else:
                row, col = key
                self.grid[row][col] = round(value, 10)
        return missing
