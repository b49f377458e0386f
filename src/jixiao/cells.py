"""Excel cell addresses (zero-based row and column → A1), without importing openpyxl."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1024)
def column_letter(col: int) -> str:
    """Zero-based column index → Excel letters (0 → A, 26 → AA); openpyxl is not imported to read."""
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def a1(row: int, col: int) -> str:
    """Zero-based DataFrame position → Excel A1 address."""
    return f"{column_letter(col)}{row + 1}"


__all__ = ["a1", "column_letter"]
