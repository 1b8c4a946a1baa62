"""Compiled prefilters of the boilerplate rule stage (numba).

The rule stage (:func:`newsqa.signals.boilerplate._rules`) asks each line a
few questions in Python: is it a share bar, a dateline, a site header, a
tagline, a teaser? Each question has a cheap necessary condition on the
line's characters; :func:`rule_shapes` reads all of them for every line in
one pass over the code points, so Python asks the exact question only of
the lines that pass (on 200,000 lines of prose, almost none).

Bits of :func:`rule_shapes`:

* :data:`HAS_DIGIT`: the line holds a ``\\d`` (every date form has one);
* :data:`SEPARATORS`: at least two of ``|•·»›/`` among its first ``sample``
  characters, each ``|`` next to a ``\\s`` and each other between two (each
  match of the site-header separator holds one, and matches do not overlap);
* :data:`DIGIT_SEP_DIGIT`: a ``\\d`` then ``-``, ``.`` or ``/`` then a ``\\d`` (the
  numeric date forms; the others hold a month name);
* :data:`COMMAS`: at least two ``,`` or ``;`` (a tagline's three items);
* :data:`ELLIPSIS`: it ends with ``…`` or ``...`` (a teaser);
* :data:`SHARE`: it has 1 to 12 words, each a share-bar token or starting
  with ``icon-``/``icon_`` (what ``_is_share_line`` asks before anything
  else).
"""

from __future__ import annotations

import functools

import numpy as np
from numba import njit

from ._counts import DIGIT, MAX_CODE_POINT, SPACE, codes
from ._line_kernels import _every, _lookup

__all__ = [
    "COMMAS",
    "ELLIPSIS",
    "HAS_DIGIT",
    "SEPARATORS",
    "SHARE",
    "fold_codes",
    "fold_one",
    "rule_asks",
    "rule_shapes",
]

HAS_DIGIT = 1
SEPARATORS = 2
COMMAS = 4
ELLIPSIS = 8
SHARE = 16
DIGIT_SEP_DIGIT = 32
# Words of a share bar at most (``_is_share_line``).
SHARE_MAX_WORDS = 12


@njit(cache=True, inline="always")
def _is_sep(c):  # type: ignore[no-untyped-def]
    # | • · » › /
    return c == 124 or c == 0x2022 or c == 0xB7 or c == 0xBB or c == 0x203A or c == 47


@njit(cache=True)
def rule_shapes(s, starts, ends, cls, f, table, vcodes, voff, sample):  # type: ignore[no-untyped-def]
    """The bits above of each line ``s[starts[k]:ends[k]]``; ``f`` is the case-folded
    :func:`~newsqa.signals._line_kernels.joined_words` text of the lines (words by a space, lines by
    ``\\n``), ``table``/``vcodes``/``voff`` the share tokens' lookup table."""
    n = len(starts)
    out = np.zeros(n, dtype=np.uint8)
    for k in range(n):
        a = starts[k]
        b = ends[k]
        bits = 0
        seps = 0
        commas = 0
        head = min(b, a + sample)
        for p in range(a, b):
            c = s[p]
            if cls[c] & DIGIT:
                bits |= HAS_DIGIT
                if p + 2 < b and (s[p + 1] == 45 or s[p + 1] == 46 or s[p + 1] == 47) and cls[s[p + 2]] & DIGIT:
                    bits |= DIGIT_SEP_DIGIT
            if c == 44 or c == 59:
                commas += 1
            if p < head and _is_sep(c):
                # a separator match holds | next to a space, or one of these between spaces
                before = p > a and cls[s[p - 1]] & SPACE
                after = p + 1 < head and cls[s[p + 1]] & SPACE
                if (before or after) if c == 124 else (before and after):
                    seps += 1
        if seps >= 2:
            bits |= SEPARATORS
        if commas >= 2:
            bits |= COMMAS
        if (b > a and s[b - 1] == 0x2026) or (b - a >= 3 and s[b - 1] == 46 and s[b - 2] == 46 and s[b - 3] == 46):
            bits |= ELLIPSIS
        out[k] = bits
    # share bars, from the folded words
    m = len(f)
    line = 0
    i = 0
    words = 0
    ok = True
    while i <= m:
        if i == m or f[i] == 10:
            if line < n and ok and 1 <= words <= SHARE_MAX_WORDS:
                out[line] |= SHARE
            line += 1
            words = 0
            ok = True
            i += 1
            continue
        if f[i] == 32:
            i += 1
            continue
        a = i
        while i < m and f[i] != 32 and f[i] != 10:
            i += 1
        words += 1
        if ok:
            icon = (
                i - a >= 5
                and f[a] == 105
                and f[a + 1] == 99
                and f[a + 2] == 111
                and f[a + 3] == 110
                and (f[a + 4] == 45 or f[a + 4] == 95)
            )
            if not icon and _lookup(f, a, i, table, vcodes, voff) < 0:
                ok = False
    return out


# Bits of rule_asks: the questions the rule stage asks a line.
ASK_LEXICON = 1
ASK_DATELINE = 2
ASK_HEADER = 4
ASK_TAGLINE = 8
ASK_SHARE = 16
ASK_TEASER = 32


@njit(cache=True)
def rule_asks(shapes, starts, ends, nwords, lexicon, dateline, max_line, header_words, tagline_words, teaser_words):  # type: ignore[no-untyped-def]
    """The questions to ask each line, from its :func:`rule_shapes` bits, word count and the lexicon's
    and datelines' literal filters (``lexicon``/``dateline``: may the line match; both false past
    ``max_line`` characters): ``(asks, any)``, ``any`` whether some line has a question other than
    :data:`ASK_TEASER`."""
    n = len(shapes)
    out = np.zeros(n, dtype=np.uint8)
    some = False
    for k in range(n):
        sh = shapes[k]
        w = nwords[k]
        a = 0
        if lexicon[k]:
            a |= ASK_LEXICON
        if sh & HAS_DIGIT and (dateline[k] or sh & DIGIT_SEP_DIGIT) and ends[k] - starts[k] <= max_line:
            a |= ASK_DATELINE
        if sh & SEPARATORS and w <= header_words:
            a |= ASK_HEADER
        if sh & COMMAS and w <= tagline_words:
            a |= ASK_TAGLINE
        if sh & SHARE:
            a |= ASK_SHARE
        if a:
            some = True
        if sh & ELLIPSIS and w <= teaser_words:
            a |= ASK_TEASER
        out[k] = a
    return out, some


# --- Case folding of the joined words -------------------------------------------------

# Code points are folded by chunks of this many: a chunk whose casefold() is as long as
# itself maps each code point to one (casefold never shortens a string).
_FOLD_CHUNK = 4096


@functools.lru_cache(maxsize=1)
def fold_one() -> np.ndarray:
    """``int32[0x110000]``: ``ord(chr(cp).casefold())`` where that is one code point, else ``-1``
    (``ß`` -> ``ss``, ligatures...). ``str.casefold`` folds each code point on its own, so a string
    without a ``-1`` code point folds by this table."""
    every = _every()
    table = np.full(MAX_CODE_POINT, -1, dtype=np.int32)
    for lo in range(0, MAX_CODE_POINT, _FOLD_CHUNK):
        chunk = every[lo : lo + _FOLD_CHUNK]
        folded = chunk.casefold()
        if len(folded) == len(chunk):
            table[lo : lo + len(chunk)] = codes(folded)
            continue
        for i, c in enumerate(chunk):
            f = c.casefold()
            if len(f) == 1:
                table[lo + i] = ord(f)
    return table


@njit(cache=True)
def fold_codes(s, table):  # type: ignore[no-untyped-def]
    """``(folded, ok)``: ``s`` folded code point by code point by :func:`fold_one`'s table; ``ok``
    false (and ``folded`` partial) when some code point folds to more than one."""
    out = np.empty(len(s), dtype=np.uint32)
    for i in range(len(s)):
        f = table[s[i]]
        if f < 0:
            return out, False
        out[i] = f
    return out, True
