"""Compiled passes of the practice signal (numba, as :mod:`newsqa.signals._counts`).

* :func:`long_quotes`: which quotations hold at least a given number of
  words (the matches of ``[^\\W\\d_]+`` inside each, as
  ``re.finditer(text, start, end)`` finds them).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from ._counts import LETTER

__all__ = ["long_quotes"]


@njit(cache=True)
def long_quotes(s, table, starts, ends, min_words):  # type: ignore[no-untyped-def]
    """``uint8`` per quotation: 1 when ``s[starts[k]:ends[k]]`` holds at least
    ``min_words`` runs of letters (``[^\\W\\d_]+``, cut at the span's ends),
    else 0. Reads each span at most once, and stops at ``min_words``."""
    out = np.zeros(len(starts), dtype=np.uint8)
    for k in range(len(starts)):
        i = starts[k]
        end = min(ends[k], len(s))
        words = 0
        while i < end:
            while i < end and not table[s[i]] & LETTER:
                i += 1
            if i >= end:
                break
            words += 1
            if words >= min_words:
                out[k] = 1
                break
            while i < end and table[s[i]] & LETTER:
                i += 1
    return out
