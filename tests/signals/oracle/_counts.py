"""Compiled passes shared by the text-counting signals (readability, practice, engagement).

The signals' definitions are regular expressions over Unicode classes
(``\\w``, ``\\s``, ``\\d``, letters ``[^\\W\\d_]``); Python's ``re`` spends
about 40 ns a character on them, so three or four passes cost more than
the rest of a signal. These kernels (numba, as ``newsqa._kernels``) walk
the ``str`` once, reading each code point's classes from a table that is
**taken from ``re`` itself** (:func:`char_classes`), so they find exactly
what the patterns find; the signals keep Python for assembling results.

* :func:`token_spans`: the matches of practice's token pattern
  ``[^\\W\\d_]+|\\$?\\d+(?:[.,]\\d+)*%?``;
* :func:`letter_runs`: the matches of ``[^\\W\\d_]+`` (engagement's words),
  with the long ones that could be written in capitals.

>>> tokens("Kim paid $5.50 (10%) on 12,000 items_x")
['Kim', 'paid', '$5.50', '10%', 'on', '12,000', 'items', 'x']
"""

from __future__ import annotations

import functools
import re
import sys

import numpy as np
from numba import njit

__all__ = [
    "DIGIT",
    "LETTER",
    "SPACE",
    "WORD",
    "char_classes",
    "codes",
    "joined_tokens",
    "letter_runs",
    "quoted_spans",
    "terminated_sentences",
    "token_spans",
    "tokens",
]

#: Class bits of :func:`char_classes`.
WORD = 1  # \w
SPACE = 2  # \s
DIGIT = 4  # \d
LETTER = 8  # [^\W\d_]
MAX_CODE_POINT = 0x110000


# Python's UTF-32 in this machine's byte order: numba reads native arrays.
_UTF32 = "utf-32-le" if sys.byteorder == "little" else "utf-32-be"


def codes(text: str) -> np.ndarray:
    """The code points of ``text`` (lone surrogates included) as ``uint32``: what the kernels read.

    (Kernels can read a ``str`` directly, but indexing an array is about
    three times faster than numba's per-character ``str`` access.)
    """
    return np.frombuffer(text.encode(_UTF32, "surrogatepass"), dtype=np.uint32)


@functools.lru_cache(maxsize=1)
def char_classes() -> np.ndarray:
    """``uint8[0x110000]``: the class bits of every code point, as ``re`` matches them (about 0.1 s, once)."""
    every = (
        np.arange(MAX_CODE_POINT, dtype=np.uint32)
        .tobytes()
        .decode(_UTF32, "surrogatepass")
    )
    table = np.zeros(MAX_CODE_POINT, dtype=np.uint8)
    for pattern, bit in (
        (r"\w+", WORD),
        (r"\s+", SPACE),
        (r"\d+", DIGIT),
        (r"[^\W\d_]+", LETTER),
    ):
        edges = np.zeros(MAX_CODE_POINT + 1, dtype=np.int8)
        spans = np.array(
            [m.span() for m in re.finditer(pattern, every)], dtype=np.int64
        ).reshape(-1, 2)
        np.add.at(edges, spans[:, 0], 1)
        np.add.at(edges, spans[:, 1], -1)
        table[np.cumsum(edges[:-1]) > 0] |= bit
    return table


@njit(cache=True, inline="always")
def _has(s, i, n, table, bit):  # type: ignore[no-untyped-def]
    return i < n and (table[s[i]] & bit) != 0


@njit(cache=True)
def grow(rows, k):  # type: ignore[no-untyped-def]
    """``rows``, or a copy with twice the rows once its ``k`` rows are full:
    the append step of the compiled passes (amortised linear)."""
    if k < rows.shape[0]:
        return rows
    out = np.empty((2 * rows.shape[0],) + rows.shape[1:], dtype=rows.dtype)
    out[:k] = rows
    return out


@njit(cache=True)
def token_spans(s, table):  # type: ignore[no-untyped-def]
    """``(spans, numerals)``: the ``(start, end)`` of each match of
    ``[^\\W\\d_]+|\\$?\\d+(?:[.,]\\d+)*%?`` in ``s``, in order, and how many
    are numerals (the second alternative). Greedy, left to right, as
    ``re.finditer``: a letter run, else an optional ``$`` and a digit run
    with ``.``/``,``-joined digit runs and an optional ``%``."""
    n = len(s)
    spans = np.empty((min(n // 2 + 1, 4096), 2), dtype=np.int64)
    k = 0
    numerals = 0
    i = 0
    while i < n:
        cp = s[i]
        c = table[cp]
        start = i
        if c & LETTER:
            i += 1
            while _has(s, i, n, table, LETTER):
                i += 1
        elif c & DIGIT or (cp == 36 and _has(s, i + 1, n, table, DIGIT)):
            i += 1 if c & DIGIT else 2
            while _has(s, i, n, table, DIGIT):
                i += 1
            while i + 1 < n:
                sep = s[i]
                if (sep != 46 and sep != 44) or not _has(s, i + 1, n, table, DIGIT):
                    break
                i += 2
                while _has(s, i, n, table, DIGIT):
                    i += 1
            if i < n and s[i] == 37:
                i += 1
            numerals += 1
        else:
            i += 1
            continue
        spans = grow(spans, k)
        spans[k, 0] = start
        spans[k, 1] = i
        k += 1
    return spans[:k], numerals


@njit(cache=True)
def letter_runs(s, table, min_len):  # type: ignore[no-untyped-def]
    """``(runs, candidates)``: how many matches ``[^\\W\\d_]+`` has in ``s``,
    and the ``(start, end)`` of those of at least ``min_len`` characters
    holding no ASCII lower-case letter (the only ones ``str.isupper`` can
    accept; the caller asks it)."""
    n = len(s)
    out = np.empty((16, 2), dtype=np.int64)
    k = 0
    runs = 0
    i = 0
    while i < n:
        if not _has(s, i, n, table, LETTER):
            i += 1
            continue
        start = i
        lower = False
        while i < n:
            cp = s[i]
            if not table[cp] & LETTER:
                break
            if 97 <= cp <= 122:
                lower = True
            i += 1
        runs += 1
        if not lower and i - start >= min_len:
            out = grow(out, k)
            out[k, 0] = start
            out[k, 1] = i
            k += 1
    return runs, out[:k]


@njit(cache=True)
def _joined(s, spans):  # type: ignore[no-untyped-def]
    """The code points of ``s``'s spans joined by single spaces (``uint32``)."""
    total = 0
    for k in range(len(spans)):
        total += spans[k, 1] - spans[k, 0] + 1
    out = np.empty(max(total - 1, 0), dtype=np.uint32)
    j = 0
    for k in range(len(spans)):
        if k:
            out[j] = 32
            j += 1
        for i in range(spans[k, 0], spans[k, 1]):
            out[j] = s[i]
            j += 1
    return out


@njit(cache=True)
def terminated_sentences(s, table, quote_starts, quote_ends):  # type: ignore[no-untyped-def]
    """engagement's sentences: the matches of ``[^.!?\\n]+[.!?]*`` in ``s``
    that hold a ``\\w`` character.

    Returns ``(sentences, exclamations, questions)``: how many there are;
    the ``!`` in the terminators of those whose body does not end inside a
    quotation (``quote_starts``/``quote_ends``: sorted, disjoint); and the
    ``(start, body_end, end)`` of those of them whose terminators hold a
    ``?``, for the caller's patterns.
    """
    n = len(s)
    questions = np.empty((16, 3), dtype=np.int64)
    k = 0
    n_sentences = 0
    n_exclamations = 0
    q = -1  # the last quotation opening at or before the position asked
    i = 0
    while i < n:
        cp = s[i]
        if cp == 46 or cp == 33 or cp == 63 or cp == 10:
            i += 1
            continue
        start = i
        word = False
        while i < n:
            cp = s[i]
            if cp == 46 or cp == 33 or cp == 63 or cp == 10:
                break
            if not word and table[cp] & WORD:
                word = True
            i += 1
        body_end = i
        bangs = 0
        asks = False
        while i < n:
            cp = s[i]
            if cp == 33:
                bangs += 1
            elif cp == 63:
                asks = True
            elif cp != 46:
                break
            i += 1
        if not word:
            continue
        n_sentences += 1
        if i == body_end:
            continue
        while q + 1 < len(quote_starts) and quote_starts[q + 1] <= body_end:
            q += 1
        if q >= 0 and body_end < quote_ends[q]:
            continue
        n_exclamations += bangs
        if asks:
            questions = grow(questions, k)
            questions[k, 0] = start
            questions[k, 1] = body_end
            questions[k, 2] = i
            k += 1
    return n_sentences, n_exclamations, questions[:k]


@njit(cache=True)
def quoted_spans(s):  # type: ignore[no-untyped-def]
    """``(starts, ends)``: what ``engagement._quoted_spans`` returns, in one pass.

    Outside a quotation, look for an opener (``" \u201c \u201e \u00ab``);
    inside, for what ends it (``" \u201d \u00bb``, and ``\u201c`` after a
    German ``\u201e``; a line break ends it before the break); an open
    quotation runs to the end of the text.
    """
    n = len(s)
    starts = np.empty(16, dtype=np.int64)
    ends = np.empty(16, dtype=np.int64)
    k = 0
    i = 0
    while i < n:
        cp = s[i]
        if cp != 0x22 and cp != 0x201C and cp != 0x201E and cp != 0xAB:
            i += 1
            continue
        starts = grow(starts, k)
        ends = grow(ends, k)
        starts[k] = i
        german = cp == 0x201E
        j = i + 1
        while j < n:
            c = s[j]
            if (
                c == 0x22
                or c == 0x201D
                or c == 0xBB
                or c == 10
                or (german and c == 0x201C)
            ):
                break
            j += 1
        if j >= n:
            ends[k] = n
            k += 1
            break
        ends[k] = j if s[j] == 10 else j + 1
        k += 1
        i = j + 1
    return starts[:k], ends[:k]


def joined_tokens(text: str) -> tuple[str, int]:
    """``(" ".join(tokens(text)), numerals)``, built without a ``str`` per token.

    Tokens hold no space, so ``.split(" ")`` of a non-empty result gives the tokens back.

    >>> joined_tokens("Kim paid $5.50 on Tuesday")
    ('Kim paid $5.50 on Tuesday', 1)
    """
    points = codes(text)
    spans, numerals = token_spans(points, char_classes())
    return _joined(points, spans).tobytes().decode(_UTF32, "surrogatepass"), numerals


def tokens(text: str) -> list[str]:
    """``re.findall(r"[^\\W\\d_]+|\\$?\\d+(?:[.,]\\d+)*%?", text)``, from :func:`token_spans`."""
    spans, _ = token_spans(codes(text), char_classes())
    return [text[a:b] for a, b in spans.tolist()]
