"""Compiled pre-pass of the mojibake signal over a text's UTF-16 code units.

One pass over the code units tells which character classes the text holds
(a bit per class, from a lookup table the signal builds) and whether a lead
character is directly followed by a continuation character (the
``_PAIR_RE`` test); it also lists the runs of two or more non-ASCII units
that hold such a pair: the only runs the sequence scan can flag.

Every class is one of Basic Multilingual Plane characters outside ASCII and
outside the surrogates, so a class is present in the text exactly when its
code unit is, and two such characters are adjacent in the text exactly when
their units are. Unit offsets are character offsets when the text has no
character beyond U+FFFF (as many units as characters); the caller checks.
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["CONT", "LEAD", "PAIR", "scan_units"]

LEAD = 1  # can start a UTF-8 sequence in some code page
CONT = 2  # can continue one
PAIR = 4  # (result only) a LEAD unit directly followed by a CONT unit


@njit(cache=True)
def scan_units(units: np.ndarray, lut: np.ndarray) -> tuple[int, np.ndarray]:
    """``(bits, runs)``: the OR of ``lut`` over ``units`` (plus :data:`PAIR`),
    and ``[start0, end0, start1, end1, ...]`` of the maximal runs of 2+ units
    >= 0x80 that hold a LEAD unit directly followed by a CONT unit."""
    n = units.size
    runs = np.empty(2 * (n // 3 + 1), np.int64)
    k = 0
    acc = 0
    i = 0
    while i < n:
        u = units[i]
        if u < 0x80:
            i += 1
            continue
        j = i
        has_pair = False
        prev_lead = False
        while j < n and units[j] >= 0x80:
            c = lut[units[j]]
            acc |= c
            if prev_lead and (c & CONT) != 0:
                has_pair = True
            prev_lead = (c & LEAD) != 0
            j += 1
        if has_pair:
            acc |= PAIR
            runs[k] = i
            runs[k + 1] = j
            k += 2
        i = j
    return acc, runs[:k]
