"""Formulas whose result was never cached (a workbook written by a program, never opened in Excel).

The engine reads such a cell as empty. Reading it as blank would be wrong (a total "left blank"), so:
simple arithmetic over numbers and cells of the same sheet (+ - * / parentheses, SUM of ranges) is
recomputed here; anything else is reported as "公式未计算" at its cell.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import PurePosixPath

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
_CELL_WITH_FORMULA = re.compile(rb"<c(\s[^<>]*+)?(?<!/)>((?:[^<]++|<(?!/?c[\s>/]))*+)</c>")
_REF = re.compile(rb'\br="([A-Z]+)(\d+)"')
_F = re.compile(rb"<f(?:\s[^<>]*+)?(?<!/)>([^<]*+)</f>")  # formula text is escaped: it holds no "<"
_V = re.compile(rb"<v\b[^<>/]*+>[^<]")  # a cached value; openpyxl writes an empty <v /> for none
_TAG = {"sheet": re.compile(r"<sheet\b[^<>]*+>"), "rel": re.compile(r"<Relationship\b[^<>]*+>")}
_ATTR = re.compile(r'([\w:]+)="([^"]*+)"')
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


def sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → its XML part inside the zip (from workbook.xml and its relationships)."""
    try:
        book = zf.read("xl/workbook.xml").decode("utf-8", "replace")
        rels = zf.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
    except KeyError:
        return {}
    targets = {}
    for tag in _TAG["rel"].findall(rels):
        attrs = dict(_ATTR.findall(tag))
        targets[attrs.get("Id", "")] = attrs.get("Target", "")
    parts = {}
    for tag in _TAG["sheet"].findall(book):
        attrs = dict(_ATTR.findall(tag))
        name, target = attrs.get("name", ""), targets.get(attrs.get("r:id", ""), "")
        path = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
        parts[_unescape(name)] = path
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
    rows = []
    for attrs in _ROW_TAG.findall(xml):
        if _ROW_HIDDEN.search(attrs):
            number = _ROW_NUMBER.search(attrs)
            if number:
                rows.append(int(number.group(1)) - 1)
    return rows


class _Eval:
    """A tiny recursive-descent evaluator: expr := term (('+'|'-') term)*, term := factor (('*'|'/') factor)*."""

    def __init__(self, formula: str, cell: Callable[[int, int, int], float | None], depth: int) -> None:
        self.tokens = self._tokens(formula)
        self.pos = 0
        self.cell = cell
        self.depth = depth

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
            return sum(self._value(r, c) for r in range(min(r1, r2), max(r1, r2) + 1)
                       for c in range(min(c1, c2), max(c1, c2) + 1))
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


def evaluate(formula: str, cell: Callable[[int, int, int], float | None], depth: int = 0) -> float | None:
    """The value of a simple formula, or None when it is not simple arithmetic (or cannot be computed)."""
    if depth > limits.MAX_FORMULA_DEPTH:
        return None
    try:
        return _Eval(formula, cell, depth).run()
    except (ValueError, ZeroDivisionError, OverflowError, RecursionError, TypeError):
        return None
