"""Rules of the targets group: each self-evaluation against the targets approved with its budget (--targets).

They read only the model: ``Evaluation.pairing`` (jixiao/pair.py) says which approved table the table was
paired with and how each indicator pairs up; the rules report what the pairs say, naming both cells.
"""

from __future__ import annotations

from collections.abc import Iterator

from jixiao.model import Approval, IndicatorPair
from jixiao.rules.registry import Context


def matched(ctx: Context) -> tuple[Approval, list[IndicatorPair]] | None:
    """The approved table and the indicator pairs, when the table was paired with one."""
    pairing = ctx.model.pairing
    if pairing is None or pairing.approval is None:
        return None
    return pairing.approval, pairing.pairs


def pairs_of(ctx: Context, *hows: str) -> Iterator[tuple[Approval, IndicatorPair]]:
    """The pairs made in one of ``hows`` (same, moved, renamed, missing, added)."""
    found = matched(ctx)
    if found is None:
        return
    approval, pairs = found
    for p in pairs:
        if p.how in hows:
            yield approval, p
