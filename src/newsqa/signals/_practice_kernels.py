"""Compiled passes of the practice signal (numba, as :mod:`newsqa.signals._counts`).

* :func:`long_quotes`: which quotations hold at least a given number of
  words (the matches of ``[^\\W\\d_]+`` inside each, as
  ``re.finditer(text, start, end)`` finds them).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from ._counts import DIGIT, LETTER, WORD, grow

__all__ = [
    "attributed_quotes",
    "build_vocabulary",
    "long_quotes",
    "mark_runs",
    "phrases_present",
    "token_stats",
]


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


# FNV-1a (64-bit) over a token's code points: the vocabulary table's hash.
_FNV_OFFSET = np.uint64(0xCBF29CE484222325)
_FNV_PRIME = np.uint64(0x100000001B3)


@njit(cache=True)
def build_vocabulary(keys, offsets, n_slots):  # type: ignore[no-untyped-def]
    """Open addressing (linear probing) of the words ``keys[offsets[k]:offsets[k+1]]``
    (code points): ``slots[h]`` is the word's index + 1, 0 when empty.
    ``n_slots``: a power of two above the number of words."""
    slots = np.zeros(n_slots, dtype=np.int32)
    mask = np.uint64(n_slots - 1)
    for k in range(len(offsets) - 1):
        h = _FNV_OFFSET
        for i in range(offsets[k], offsets[k + 1]):
            h = (h ^ np.uint64(keys[i])) * _FNV_PRIME
        j = h & mask
        while slots[j] != 0:
            j = (j + np.uint64(1)) & mask
        slots[j] = k + 1
    return slots


@njit(cache=True)
def _lookup(s, a, b, keys, offsets, slots):  # type: ignore[no-untyped-def]
    """The index of the word ``s[a:b]`` in the table, or -1."""
    h = _FNV_OFFSET
    for i in range(a, b):
        h = (h ^ np.uint64(s[i])) * _FNV_PRIME
    mask = np.uint64(len(slots) - 1)
    j = h & mask
    while slots[j] != 0:
        k = slots[j] - 1
        q = offsets[k]
        if offsets[k + 1] - q == b - a:
            same = True
            for i in range(a, b):
                if keys[q] != s[i]:
                    same = False
                    break
                q += 1
            if same:
                return k
        j = (j + np.uint64(1)) & mask
    return -1


@njit(cache=True)
def token_stats(sp, lw, keys, offsets, bits, slots, n_bits, shapes):  # type: ignore[no-untyped-def]
    """One pass over the tokens of a ``joined_tokens`` string.

    ``sp``: the code points of the tokens joined by single spaces; ``lw``:
    those of ``sp``'s ``str.lower()`` (a token per space-separated run in
    both, token ``k`` of one is token ``k`` of the other). Each lower-cased
    token is looked up in the vocabulary (``keys``/``offsets``/``slots``,
    :func:`build_vocabulary`), whose words carry ``bits``.

    Returns ``(counts, present, marked, candidates, names, bounds)``:

    * ``counts``: ``int64[n_bits + 2]``: per bit, the tokens whose word has
      it; then the number of tokens; then how many are exactly ``I``;
    * ``present``: ``uint8`` per vocabulary word: 1 when some token is it;
    * ``marked``: ``(token index, bits)`` of the tokens whose word has bits;
    * ``candidates``: indices of the tokens that may be written in capitals
      (two or more characters, no ASCII lower-case letter, and an ASCII
      capital or a character outside ASCII: ``str.isupper`` decides);
    * ``names``: per token, 1 when it is a name (``len > 1`` and
      ``str.istitle()``), 0 when not, 2 when it holds a character outside
      ASCII (``str.istitle`` decides);
    * ``bounds``: the tokens' ``(start, end)`` in ``sp``.

    ``shapes[c, n]``: whether some word starts with the ASCII code ``c`` and
    has ``n`` characters (all words are ASCII); other tokens are not looked up.
    """
    longest = shapes.shape[1] - 1
    n = len(sp)
    m = len(lw)
    counts = np.zeros(n_bits + 2, dtype=np.int64)
    present = np.zeros(len(offsets) - 1, dtype=np.uint8)
    n_tokens = 0
    for i in range(n):
        if sp[i] == 32:
            n_tokens += 1
    if n > 0:
        n_tokens += 1
    names = np.zeros(n_tokens, dtype=np.uint8)
    bounds = np.empty((n_tokens, 2), dtype=np.int64)
    marked = np.empty((16, 2), dtype=np.int64)
    n_marked = 0
    candidates = np.empty(16, dtype=np.int64)
    n_candidates = 0
    a = 0
    c = 0
    for k in range(n_tokens):
        b = a
        ascii_only = True
        lower = False
        upper = False
        title = True  # ASCII: str.istitle()
        cased = False
        prev_cased = False
        while b < n and sp[b] != 32:
            cp = sp[b]
            if cp >= 128:
                ascii_only = False
            elif 97 <= cp <= 122:
                lower = True
                if not prev_cased:
                    title = False
                prev_cased = True
                cased = True
            elif 65 <= cp <= 90:
                upper = True
                if prev_cased:
                    title = False
                prev_cased = True
                cased = True
            else:
                prev_cased = False
            b += 1
        d = c
        while d < m and lw[d] != 32:
            d += 1
        bounds[k, 0] = a
        bounds[k, 1] = b
        if not ascii_only:
            names[k] = 2
        elif b - a > 1 and title and cased:
            names[k] = 1
        if b - a >= 2 and not lower and (upper or not ascii_only):
            candidates = grow(candidates, n_candidates)
            candidates[n_candidates] = k
            n_candidates += 1
        if b - a == 1 and sp[a] == 73:
            counts[n_bits + 1] += 1
        w = (
            _lookup(lw, c, d, keys, offsets, slots)
            if d - c <= longest and d > c and lw[c] < 128 and shapes[lw[c], d - c]
            else -1
        )
        if w >= 0:
            present[w] = 1
            f = bits[w]
            if f:
                for bit in range(n_bits):
                    if f & (1 << bit):
                        counts[bit] += 1
                marked = grow(marked, n_marked)
                marked[n_marked, 0] = k
                marked[n_marked, 1] = f
                n_marked += 1
        a = b + 1
        c = d + 1
    counts[n_bits] = n_tokens
    return counts, present, marked[:n_marked], candidates[:n_candidates], names, bounds


@njit(cache=True)
def phrases_present(present, phrase_words):  # type: ignore[no-untyped-def]
    """``uint8`` per phrase: 1 when all its words are present. ``phrase_words``:
    a row of vocabulary indices per phrase, padded with -1."""
    out = np.zeros(phrase_words.shape[0], dtype=np.uint8)
    for k in range(phrase_words.shape[0]):
        ok = True
        for j in range(phrase_words.shape[1]):
            w = phrase_words[k, j]
            if w >= 0 and not present[w]:
                ok = False
                break
        if ok:
            out[k] = 1
    return out


@njit(cache=True)
def mark_runs(s):  # type: ignore[no-untyped-def]
    """``(runs of "!", runs of "?")`` in ``s``: the matches of ``!+`` and ``\\?+``."""
    n = len(s)
    bangs = 0
    asks = 0
    prev = 0
    for i in range(n):
        cp = s[i]
        if cp == 33 and prev != 33:
            bangs += 1
        elif cp == 63 and prev != 63:
            asks += 1
        prev = cp
    return bangs, asks


@njit(cache=True, inline="always")
def _gap(s, i, hi, table):  # type: ignore[no-untyped-def]
    """Is ``s[i]`` a character of ``(?:[^\\w$]|_|\\$(?!\\d))`` in the window ending at ``hi``?"""
    c = s[i]
    if c == 95:
        return True
    if c == 36:
        return i + 1 >= hi or (table[s[i + 1]] & DIGIT) == 0
    return (table[c] & WORD) == 0


@njit(cache=True)
def _window_attributed(s, table, odd, lo, hi, lit, woff, wstart):  # type: ignore[no-untyped-def]
    """1 when the lower-cased ``s[lo:hi]`` holds an attribution, 0 when not, 2 when it holds an odd character.

    The alternatives: alternative ``k`` is the words ``wstart[k]`` to
    ``wstart[k + 1] - 1``, word ``w`` the ASCII letters ``lit[woff[w]:woff[w + 1]]``,
    separated by runs of gap characters. A match starts at a letter with no
    letter before it in the window and ends before a character that is no
    letter, or at the window's end.
    """
    for i in range(lo, hi):
        if odd[s[i]]:
            return 2
    for p in range(lo, hi):
        if (table[s[p]] & LETTER) == 0 or (p > lo and (table[s[p - 1]] & LETTER) != 0):
            continue
        for k in range(len(wstart) - 1):
            i = p
            ok = True
            for w in range(wstart[k], wstart[k + 1]):
                if w > wstart[k]:
                    g = i
                    while g < hi and _gap(s, g, hi, table):
                        g += 1
                    if g == i:
                        ok = False
                        break
                    i = g
                for q in range(woff[w], woff[w + 1]):
                    if i >= hi:
                        ok = False
                        break
                    ch = s[i]
                    if 65 <= ch <= 90:
                        ch += 32
                    if ch != lit[q]:
                        ok = False
                        break
                    i += 1
                if not ok:
                    break
            if ok and (i == hi or (table[s[i]] & LETTER) == 0):
                return 1
    return 0


@njit(cache=True)
def attributed_quotes(s, table, odd, starts, ends, long, window, lit, woff, wstart):  # type: ignore[no-untyped-def]
    """``uint8`` per quotation: for a long one (``long[k]``), 1 when an
    attribution lies in the window before or after it (``window`` characters,
    stopping at the neighbouring quotations), 0 when not, 2 when a window
    holds a character whose lower-casing the kernel does not know (``odd``:
    the caller decides); 0 for the others."""
    n = len(starts)
    out = np.zeros(n, dtype=np.uint8)
    size = len(s)
    for k in range(n):
        if not long[k]:
            continue
        start = starts[k]
        end = ends[k]
        lo = max(start - window, ends[k - 1] if k > 0 else 0)
        hi = min(end + window, starts[k + 1] if k < n - 1 else size)
        a = _window_attributed(s, table, odd, lo, min(start, size), lit, woff, wstart)
        if a == 1:
            out[k] = 1
            continue
        b = _window_attributed(s, table, odd, max(end, 0), min(hi, size), lit, woff, wstart)
        out[k] = 2 if a == 2 or b == 2 else b
    return out
