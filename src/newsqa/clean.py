"""Cleaning by flags: an article's text without its boilerplate and spam lines, mojibake repaired.

:func:`newsqa.clean_text` and ``newsqa analyze --emit-clean`` both end here.
"""

from __future__ import annotations

from collections.abc import Iterable

from .model import Flag
from .signals.mojibake import repair
from .signals.registry import REMOVED_KINDS


def strip_flagged(text: str, flags: Iterable[Flag]) -> str:
    """``text`` without the lines of its boilerplate and spam flags, mojibake repaired.

    Use it with the flags of a :class:`~newsqa.Report` to clean articles
    without computing the signals again (``newsqa analyze --emit-clean``).
    """
    spans = sorted((f.start, f.end) for f in flags if f.kind in REMOVED_KINDS)
    out: list[str] = []
    pos = 0
    for start, end in spans:
        if start < pos:
            start = pos
        if end <= start:
            continue
        # take the whole lines the span covers, with one line break
        line_start = max(text.rfind("\n", 0, start) + 1, pos)
        nl = text.find("\n", end)
        line_end = len(text) if nl < 0 else nl + 1
        out.append(text[pos:line_start])
        pos = line_end
    out.append(text[pos:])
    cleaned = "".join(out)
    if not text.endswith("\n"):
        cleaned = cleaned.rstrip("\n")
    return repair(cleaned)
