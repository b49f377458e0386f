"""Exceptions that carry a plain-Chinese message for the user."""

from __future__ import annotations


class JixiaoError(Exception):
    """Base of every error shown to a user as one Chinese line (never a traceback)."""


class ProfileError(JixiaoError):
    """The profile file is missing, not TOML, or holds an invalid setting."""


class UnreadableWorkbook(JixiaoError):
    """A workbook could not be opened or is not a jixiao template at all."""

