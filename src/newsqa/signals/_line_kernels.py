"""Compiled per-line passes of the boilerplate signal (numba).

The line classifier reads every line for character classes, word counts,
stop words and a few shapes (URLs, separators, sentence breaks...). In
Python that was a handful of regular-expression passes and a generator
per line, plus a dozen numpy calls per page; these kernels walk the code
points of the text (:func:`newsqa.signals._counts.codes`) once, reading
each code point's classes from tables **taken from Python itself** (``re``
for ``\\w``/``\\s``/``\\d``, ``str.isalpha``/``str.isupper`` for the cased
tests, ``re.IGNORECASE`` for the case-insensitive literals), so they find
exactly what the patterns and ``str`` methods found.

* :func:`line_spans`: the stripped non-blank lines (``boilerplate.split_lines``);
* :func:`joined_words`: the words ``\\w+(?:[-'’]\\w+)*`` of each line, as one
  string to case-fold and split in C;
* :func:`page_words` / :func:`word_ids` / :func:`line_word_stats`: stop
  words by an exact hash lookup (code points compared on a hit), a bit per
  language;
* :func:`line_raw`: the raw per-line counts of ``_line_features``;
* :func:`assemble`: the whole feature matrix (own, neighbour and place
  columns) in one pass; the caller applies ``np.log1p`` to
  ``_line_features``' log columns (numpy's vectorised ``log1p`` differs from libm's in
  the last bit for some inputs, so it stays numpy's).
"""

from __future__ import annotations

import functools
import re

import numpy as np
from numba import njit

from ._counts import (
    _UTF32,
    DIGIT,
    LETTER,
    MAX_CODE_POINT,
    SPACE,
    WORD,
    codes,
)

__all__ = [
    "ALPHA",
    "LOWER_OR_TITLE",
    "UPPER",
    "assemble",
    "case_classes",
    "fold_table",
    "gbt_leaves",
    "joined_words",
    "key_fold_table",
    "key_hash",
    "line_key_hashes",
    "line_raw",
    "line_spans",
    "line_word_stats",
    "smooth_states",
    "stop_table",
    "word_ids",
]

#: Bits of :func:`case_classes`.
ALPHA = 1  # str.isalpha
UPPER = 2  # str.isupper of the character alone
LOWER_OR_TITLE = 4  # a character that makes str.isupper false (lower or title case)

# Raw columns of line_raw (the order of _line_features._raw).
N_RAW = 22
# Lines longer than this are read on their first LONG_LINE_SAMPLE characters,
# shapes on the first SHAPE_SAMPLE (the values of _line_features).
MAX_HEAD_WORDS = 1000
MAX_CAP_WORDS = 200


def _every() -> str:
    return (
        np.arange(MAX_CODE_POINT, dtype=np.uint32)
        .tobytes()
        .decode(_UTF32, "surrogatepass")
    )


@functools.lru_cache(maxsize=1)
def case_classes() -> np.ndarray:
    """``uint8[0x110000]``: :data:`ALPHA`, :data:`UPPER`, :data:`LOWER_OR_TITLE` of each code point (once)."""
    every = _every()
    alpha = np.fromiter(map(str.isalpha, every), dtype=bool, count=MAX_CODE_POINT)
    upper = np.fromiter(map(str.isupper, every), dtype=bool, count=MAX_CODE_POINT)
    # str.isupper is false as soon as one character is lower or title case;
    # for one character istitle() is ISTITLE or ISUPPER, so the characters
    # that are not upper case are lower/title when islower() or istitle();
    # the upper-case ones are asked after an "A".
    lower = np.fromiter(map(str.islower, every), dtype=bool, count=MAX_CODE_POINT)
    title = np.fromiter(map(str.istitle, every), dtype=bool, count=MAX_CODE_POINT)
    lt = (lower | title) & ~upper
    for cp in np.flatnonzero(upper).tolist():
        lt[cp] = not ("A" + chr(cp)).isupper()
    table = np.zeros(MAX_CODE_POINT, dtype=np.uint8)
    table[alpha] |= ALPHA
    table[upper] |= UPPER
    table[lt] |= LOWER_OR_TITLE
    return table


@functools.lru_cache(maxsize=1)
def fold_table() -> np.ndarray:
    """``int32[0x110000]``: for a code point that ``re.IGNORECASE`` matches with an ASCII letter, that
    letter (lower case); every other code point maps to itself. Case-insensitive literals of ASCII
    letters and other characters are then matched by comparing folded code points."""
    table = np.arange(MAX_CODE_POINT, dtype=np.int32)
    every = _every()
    letters = "abcdefghijklmnopqrstuvwxyz"
    for m in re.finditer("[a-z]", every, re.IGNORECASE):
        ch = m.group()
        hits = [c for c in letters if re.fullmatch(c, ch, re.IGNORECASE)]
        if len(hits) != 1:  # pragma: no cover - Unicode data changed
            raise RuntimeError(f"{ch!r} matches {hits} case-insensitively")
        table[ord(ch)] = ord(hits[0])
    return table


# --- Lines and words ------------------------------------------------------------


@njit(cache=True)
def line_spans(s, cls):  # type: ignore[no-untyped-def]
    """``(starts, ends)``: each non-blank line between ``\\n``/``\\r`` breaks, stripped of ``\\s``."""
    n = len(s)
    cap = (n + 1) // 2  # a line and its break are at least two characters
    starts = np.empty(cap, dtype=np.int64)
    ends = np.empty(cap, dtype=np.int64)
    k = 0
    i = 0
    while i < n:
        c = s[i]
        if c == 10 or c == 13:
            i += 1
            continue
        j = i
        while j < n and s[j] != 10 and s[j] != 13:
            j += 1
        a = i
        while a < j and cls[s[a]] & SPACE:
            a += 1
        b = j
        while b > a and cls[s[b - 1]] & SPACE:
            b -= 1
        if b > a:
            starts[k] = a
            ends[k] = b
            k += 1
        i = j
    return starts[:k], ends[:k]


@njit(cache=True)
def joined_words(s, starts, ends, cls):  # type: ignore[no-untyped-def]
    """The words ``\\w+(?:[-'’]\\w+)*`` of each line: code points, words joined by a space, lines by ``\\n``."""
    total = 0
    for k in range(len(starts)):
        total += ends[k] - starts[k] + 1
    out = np.empty(total, dtype=np.uint32)
    j = 0
    for k in range(len(starts)):
        if k:
            out[j] = 10
            j += 1
        b = ends[k]
        i = starts[k]
        first = True
        while i < b:
            if not cls[s[i]] & WORD:
                i += 1
                continue
            w0 = i
            i += 1
            while i < b and cls[s[i]] & WORD:
                i += 1
            while i + 1 < b:
                c = s[i]
                if (c != 45 and c != 39 and c != 0x2019) or not cls[s[i + 1]] & WORD:
                    break
                i += 2
                while i < b and cls[s[i]] & WORD:
                    i += 1
            if not first:
                out[j] = 32
                j += 1
            first = False
            for p in range(w0, i):
                out[j] = s[p]
                j += 1
    return out[:j]


@njit(cache=True, inline="always")
def _hash(f, a, b):  # type: ignore[no-untyped-def]
    h = np.uint64(14695981039346656037)
    for i in range(a, b):
        h = (h ^ np.uint64(f[i])) * np.uint64(1099511628211)
    return h


# A table slot packs a word's id + 1 (low ID_BITS bits; 0: empty) with the
# high bits of its hash, so a probe reads one 8-byte slot and compares code
# points only when the hash bits agree.
ID_BITS = 24


@njit(cache=True)
def _build_table(vcodes, voff):  # type: ignore[no-untyped-def]
    nv = len(voff) - 1
    size = 1
    while size < 2 * nv + 2:
        size *= 2
    table = np.zeros(size, dtype=np.uint64)
    mask = np.uint64(size - 1)
    low = np.uint64((1 << ID_BITS) - 1)
    for v in range(nv):
        h = _hash(vcodes, voff[v], voff[v + 1])
        slot = h & mask
        while table[slot] != 0:
            slot = (slot + np.uint64(1)) & mask
        table[slot] = (h & ~low) | np.uint64(v + 1)
    return table


@njit(cache=True, inline="always")
def _lookup(f, a, b, table, vcodes, voff):  # type: ignore[no-untyped-def]
    mask = np.uint64(len(table) - 1)
    low = np.uint64((1 << ID_BITS) - 1)
    h = _hash(f, a, b)
    high = h & ~low
    slot = h & mask
    while True:
        e = table[slot]
        if e == 0:
            return -1
        if (e & ~low) == high:
            v = np.int64(e & low) - 1
            lo = voff[v]
            if voff[v + 1] - lo == b - a:
                same = True
                for i in range(b - a):
                    if vcodes[lo + i] != f[a + i]:
                        same = False
                        break
                if same:
                    return v
        slot = (slot + np.uint64(1)) & mask


@njit(cache=True)
def word_ids(f, word_starts, word_ends, table, vcodes, voff):  # type: ignore[no-untyped-def]
    """The stop-word vocabulary id of each word ``f[word_starts[k]:word_ends[k]]`` (``-1``: none)."""
    out = np.empty(len(word_starts), dtype=np.int32)
    for k in range(len(word_starts)):
        out[k] = _lookup(f, word_starts[k], word_ends[k], table, vcodes, voff)
    return out


@njit(cache=True)
def page_words(f, nlines, table, vcodes, voff):  # type: ignore[no-untyped-def]
    """``(ids, lengths, line_words)`` of a case-folded :func:`joined_words` text: each word's stop-word
    vocabulary id (``-1``: none) and length, and how many words each line has."""
    n = len(f)
    cap = (n + 1) // 2  # words are separated by at least one character
    ids = np.empty(cap, dtype=np.int32)
    lengths = np.empty(cap, dtype=np.int64)
    per_line = np.zeros(nlines, dtype=np.int64)
    k = 0
    line = 0
    i = 0
    while i < n:
        c = f[i]
        if c == 10:
            line += 1
            i += 1
            continue
        if c == 32:
            i += 1
            continue
        a = i
        while i < n and f[i] != 32 and f[i] != 10:
            i += 1
        ids[k] = _lookup(f, a, i, table, vcodes, voff)
        lengths[k] = i - a
        k += 1
        per_line[line] += 1
    return ids[:k], lengths[:k], per_line


@njit(cache=True)
def language_hits(ids, lengths, masks, nlangs):  # type: ignore[no-untyped-def]
    """Hits of each language's stop words among the words of at least two characters."""
    hits = np.zeros(nlangs, dtype=np.int64)
    for k in range(len(ids)):
        v = ids[k]
        if v < 0 or lengths[k] < 2:
            continue
        m = masks[v]
        for lang in range(nlangs):
            if (m >> np.uint64(lang)) & np.uint64(1):
                hits[lang] += 1
    return hits


@njit(cache=True)
def line_word_stats(ids, lengths, per_line, masks, bit):  # type: ignore[no-untyped-def]
    """``(nstop, word_chars)`` of each line over its first :data:`MAX_HEAD_WORDS` words: stop words
    of the language ``bit`` (scaled to all the line's words) and case-folded characters."""
    nl = len(per_line)
    nstop = np.zeros(nl, dtype=np.float64)
    chars = np.zeros(nl, dtype=np.int64)
    k = 0
    for line in range(nl):
        n = per_line[line]
        head = min(n, MAX_HEAD_WORDS)
        stops = 0
        wc = 0
        for t in range(k, k + head):
            wc += lengths[t]
            v = ids[t]
            if v >= 0 and (masks[v] >> np.uint64(bit)) & np.uint64(1):
                stops += 1
        k += n
        chars[line] = wc
        nstop[line] = stops * (n / head) if head else 0.0
    return nstop, chars


@functools.lru_cache(maxsize=1)
def _empty_stop_table() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return (
        _build_table(np.zeros(0, dtype=np.uint32), np.zeros(1, dtype=np.int64)),
        np.zeros(0, dtype=np.uint32),
        np.zeros(1, dtype=np.int64),
    )


def stop_table(vocab: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(table, vcodes, voff)``: the hash table of ``vocab`` (ids are list positions) for :func:`word_ids`."""
    if not vocab:
        return _empty_stop_table()
    if len(vocab) >= 1 << ID_BITS:  # pragma: no cover
        raise ValueError("stop-word vocabulary too large for the packed table")
    vcodes = codes("".join(vocab))
    voff = np.zeros(len(vocab) + 1, dtype=np.int64)
    np.cumsum([len(w) for w in vocab], out=voff[1:])
    return _build_table(vcodes, voff), vcodes, voff


# --- Per-line counts -------------------------------------------------------------


@njit(cache=True, inline="always")
def _is(cls, cp, bit):  # type: ignore[no-untyped-def]
    return (cls[cp] & bit) != 0


@njit(cache=True, inline="always")
def _lit(s, i, end, fold, pat):  # type: ignore[no-untyped-def]
    """Whether the case-insensitive literal ``pat`` (folded code points) starts at ``s[i]`` before ``end``."""
    m = len(pat)
    if i + m > end:
        return False
    for t in range(m):
        if fold[s[i + t]] != pat[t]:
            return False
    return True


@njit(cache=True)
def _has_url(s, a, end, cls, fold, www, tlds, tld_off):  # type: ignore[no-untyped-def]
    # ://|www\.|\.(?:com|org|net|de|uk|html?|php)\b  (IGNORECASE)
    for i in range(a, end):
        c = s[i]
        if c == 58:
            if i + 2 < end and s[i + 1] == 47 and s[i + 2] == 47:
                return True
        elif c == 46:
            for t in range(len(tld_off) - 1):
                pat = tlds[tld_off[t] : tld_off[t + 1]]
                if _lit(s, i + 1, end, fold, pat):
                    j = i + 1 + len(pat)
                    if j >= end or not _is(cls, s[j], WORD):
                        return True
        elif _lit(s, i, end, fold, www):
            return True
    return False


@njit(cache=True)
def _has_email(s, a, end, cls):  # type: ignore[no-untyped-def]
    # @\w+\.\w
    for i in range(a, end):
        if s[i] != 64:
            continue
        j = i + 1
        while j < end and _is(cls, s[j], WORD):
            j += 1
        if j > i + 1 and j + 1 < end and s[j] == 46 and _is(cls, s[j + 1], WORD):
            return True
    return False


@njit(cache=True)
def _has_handle(s, a, end, cls):  # type: ignore[no-untyped-def]
    # (?:^|\s)[@#]\w
    for i in range(a, end - 1):
        c = s[i]
        if (
            (c == 64 or c == 35)
            and _is(cls, s[i + 1], WORD)
            and (i == a or _is(cls, s[i - 1], SPACE))
        ):
            return True
    return False


@njit(cache=True)
def _separators(s, a, end, cls):  # type: ignore[no-untyped-def]
    # findall [|»·•›«‹]|\s[/>–—-]\s
    count = 0
    i = a
    while i < end:
        c = s[i]
        if (
            c == 0x7C
            or c == 0xBB
            or c == 0xB7
            or c == 0x2022
            or c == 0x203A
            or c == 0xAB
            or c == 0x2039
        ):
            count += 1
            i += 1
        elif _is(cls, c, SPACE) and i + 2 < end and _is(cls, s[i + 2], SPACE):
            d = s[i + 1]
            if d == 47 or d == 62 or d == 0x2013 or d == 0x2014 or d == 45:
                count += 1
                i += 3
            else:
                i += 1
        else:
            i += 1
    return count


@njit(cache=True)
def _sentence_breaks(s, a, end, cls):  # type: ignore[no-untyped-def]
    # findall [.!?…]["”’»)]?\s+["“‘«(]?[^\W\d_]
    count = 0
    i = a
    while i < end:
        c = s[i]
        if c == 46 or c == 33 or c == 63 or c == 0x2026:
            j = i + 1
            if j < end:
                d = s[j]
                if d == 34 or d == 0x201D or d == 0x2019 or d == 0xBB or d == 41:
                    j += 1
            k = j
            while k < end and _is(cls, s[k], SPACE):
                k += 1
            if k > j and k < end:
                d = s[k]
                if (
                    (d == 34 or d == 0x201C or d == 0x2018 or d == 0xAB or d == 40)
                    and k + 1 < end
                    and _is(cls, s[k + 1], LETTER)
                ):
                    count += 1
                    i = k + 2
                    continue
                if _is(cls, d, LETTER):
                    count += 1
                    i = k + 1
                    continue
        i += 1
    return count


@njit(cache=True)
def _bullet(s, a, end, cls):  # type: ignore[no-untyped-def]
    # match [•·▪►▶*\-–—»›>]\s|\d{1,3}[.)]\s
    c = s[a]
    if (
        c == 0x2022
        or c == 0xB7
        or c == 0x25AA
        or c == 0x25BA
        or c == 0x25B6
        or c == 42
        or c == 45
        or c == 0x2013
        or c == 0x2014
        or c == 0xBB
        or c == 0x203A
        or c == 62
    ) and (a + 1 < end and _is(cls, s[a + 1], SPACE)):
        return True
    j = a
    while j < end and j - a < 4 and _is(cls, s[j], DIGIT):
        j += 1
    return (
        1 <= j - a <= 3
        and j + 1 < end
        and (s[j] == 46 or s[j] == 41)
        and _is(cls, s[j + 1], SPACE)
    )


@njit(cache=True)
def _has_copyright(s, a, end, fold, pats, pat_off):  # type: ignore[no-untyped-def]
    # ©|\(c\)|copyright|all rights reserved|alle rechte  (IGNORECASE)
    for i in range(a, end):
        for t in range(len(pat_off) - 1):
            if _lit(s, i, end, fold, pats[pat_off[t] : pat_off[t + 1]]):
                return True
    return False


@njit(cache=True)
def _heading_candidate(s, a, end, cls, fold, heads):  # type: ignore[no-untyped-def]
    """A necessary condition for _COMMENT_HEADING.fullmatch: at most six ``[\\W\\d]`` characters, then a
    keyword whose first three letters (folded) are one of ``heads``."""
    p = a
    while p < end and (not _is(cls, s[p], WORD) or _is(cls, s[p], DIGIT)):
        p += 1
    if p - a > 6 or p + 3 > end:
        return False
    for t in range(len(heads) // 3):
        if (
            fold[s[p]] == heads[3 * t]
            and fold[s[p + 1]] == heads[3 * t + 1]
            and fold[s[p + 2]] == heads[3 * t + 2]
        ):
            return True
    return False


@njit(cache=True)
def line_raw(
    s,
    starts,
    ends,
    per_line,
    nstop,
    word_chars,
    cls,
    case,
    fold,
    www,
    tlds,
    tld_off,
    cpats,
    cpat_off,
    heads,
    sample_len,
    shape_len,
    heading_max_words,
    heading_max_len,
):  # type: ignore[no-untyped-def]
    """``(raw, heading)``: the raw counts of each line (``_line_features._raw``'s columns; the comment
    columns 19 and 20 are left 0 for the caller's patterns) and whether its comment-heading pattern
    needs asking."""
    nl = len(starts)
    raw = np.zeros((nl, N_RAW), dtype=np.float64)
    heading = np.zeros(nl, dtype=np.bool_)
    for k in range(nl):
        a = starts[k]
        b = ends[k]
        length = b - a
        send = a + min(length, sample_len)
        hend = a + min(length, shape_len)
        hlen = hend - a
        n = per_line[k]
        head = min(n, MAX_HEAD_WORDS)
        wc = word_chars[k]
        last = s[b - 1]
        ellipsis = last == 0x2026 or (
            length >= 3 and last == 46 and s[b - 2] == 46 and s[b - 3] == 46
        )
        sent_end = (
            last == 46
            or last == 33
            or last == 63
            or last == 0x2026
            or last == 34
            or last == 0x201D
            or last == 0x2019
            or last == 0xBB
            or last == 41
        )
        # capitals: the first character of the first 200 whitespace-separated words of the sample
        caps = 0
        alpha_words = 0
        tokens = 0
        i = a
        while i < send and tokens < MAX_CAP_WORDS:
            while i < send and _is(cls, s[i], SPACE):
                i += 1
            if i >= send:
                break
            c = s[i]
            tokens += 1
            if case[c] & ALPHA:
                alpha_words += 1
                if case[c] & UPPER:
                    caps += 1
            while i < send and not _is(cls, s[i], SPACE):
                i += 1
        # str.isupper of the sample
        cased = False
        upper = True
        for i in range(a, send):
            cc = case[s[i]]
            if cc & LOWER_OR_TITLE:
                upper = False
                break
            if cc & UPPER:
                cased = True
        digits = 0
        code = 0
        for i in range(a, hend):
            c = s[i]
            if _is(cls, c, DIGIT):
                digits += 1
            if (
                c == 123
                or c == 125
                or c == 61
                or c == 59
                or c == 60
                or c == 62
                or c == 91
                or c == 93
                or c == 40
                or c == 41
            ):
                code += 1
        commas = 0
        for i in range(a, send):
            if s[i] == 44:
                commas += 1
        raw[k, 0] = n
        raw[k, 1] = length
        raw[k, 2] = nstop[k]
        raw[k, 3] = sent_end and not ellipsis
        raw[k, 4] = last == 58
        raw[k, 5] = ellipsis
        raw[k, 6] = caps / alpha_words if alpha_words else 0.0
        raw[k, 7] = digits / hlen
        raw[k, 8] = min(wc / length, 1.0)
        raw[k, 9] = _separators(s, a, hend, cls)
        raw[k, 10] = _has_url(s, a, hend, cls, fold, www, tlds, tld_off)
        raw[k, 11] = _has_email(s, a, hend, cls)
        raw[k, 12] = _has_handle(s, a, hend, cls)
        raw[k, 13] = _sentence_breaks(s, a, send, cls)
        raw[k, 14] = wc / head if head else 0.0
        raw[k, 15] = wc > 3 and upper and cased
        raw[k, 16] = _bullet(s, a, hend, cls)
        raw[k, 17] = _has_copyright(s, a, hend, fold, cpats, cpat_off)
        raw[k, 18] = commas
        raw[k, 21] = code / hlen
        heading[k] = (
            n <= heading_max_words
            and hlen <= heading_max_len
            and _heading_candidate(s, a, hend, cls, fold, heads)
        )
    return raw, heading


# --- The feature matrix ------------------------------------------------------------


@njit(cache=True)
def assemble(
    raw,
    repeated,
    template,
    rule,
    lens,
    neighbour_cols,
    offsets,
    prose_min_words,
    prose_min_density,
    gap_cost,
    n_own,
    n_features,
):  # type: ignore[no-untyped-def]
    """``(x, run_start, run_end)``: the feature matrix of ``_line_features.FEATURES`` from the raw counts,
    with the arguments of ``log1p`` in its log columns (the caller applies it) and 0 in ``log_lines``."""
    n = raw.shape[0]
    x = np.zeros((n, n_features), dtype=np.float64)
    prose = np.zeros(n, dtype=np.bool_)
    for i in range(n):
        w = raw[i, 0]
        nstop = raw[i, 2]
        density = nstop / w if w > 0 else 0.0
        ends = raw[i, 3]
        cap = raw[i, 6]
        x[i, 0] = w
        x[i, 1] = raw[i, 1]
        x[i, 2] = density
        x[i, 3] = nstop
        x[i, 4] = ends
        x[i, 5] = raw[i, 4]
        x[i, 6] = raw[i, 5]
        x[i, 7] = cap
        x[i, 8] = raw[i, 7]
        x[i, 9] = raw[i, 8]
        x[i, 10] = min(raw[i, 9], 6.0) / 6.0
        x[i, 11] = raw[i, 10]
        x[i, 12] = raw[i, 11]
        x[i, 13] = raw[i, 12]
        x[i, 14] = raw[i, 13] + (1.0 if (ends > 0 and w > 0) else 0.0)
        x[i, 15] = min(raw[i, 14], 15.0) / 10.0
        x[i, 16] = raw[i, 15]
        x[i, 17] = raw[i, 16]
        x[i, 18] = raw[i, 17]
        x[i, 19] = repeated[i]
        x[i, 20] = template[i]
        x[i, 21] = rule[i]
        p = w >= prose_min_words and density >= prose_min_density and ends > 0
        prose[i] = p
        x[i, 22] = p
        x[i, 23] = w == 1
        x[i, 24] = w == 2
        x[i, 25] = 3 <= w <= 4
        x[i, 26] = 5 <= w <= 9
        x[i, 27] = 10 <= w <= 19
        x[i, 28] = 20 <= w <= 39
        x[i, 29] = w >= 40
        x[i, 30] = 3 <= w <= 15 and ends == 0 and raw[i, 5] == 0 and cap >= 0.6
        x[i, 31] = raw[i, 18]
        x[i, 32] = raw[i, 19]
        x[i, 33] = raw[i, 20]
        x[i, 34] = raw[i, 21]
    # neighbours (row by row: the matrix is row-major)
    nc = len(neighbour_cols)
    for i in range(n):
        for t in range(len(offsets)):
            j = i + offsets[t]
            if 0 <= j < n:
                for u in range(nc):
                    x[i, n_own + t * nc + u] = x[j, neighbour_cols[u]]
    col = n_own + len(offsets) * nc
    # densest run of prose (Kadane)
    best = 0.0
    rs = 0
    re_ = 0
    cur = 0.0
    cur_s = 0
    for i in range(n):
        cur += raw[i, 0] if prose[i] else -gap_cost
        if cur <= 0:
            cur = 0.0
            cur_s = i + 1
        elif cur > best:
            best = cur
            rs = cur_s
            re_ = i + 1
    big = float(n + 1)
    dist_prev = np.empty(n)
    dist_next = np.empty(n)
    last = -big
    for i in range(n):
        if prose[i]:
            last = i
        dist_prev[i] = i - last
    last = 2 * big
    for i in range(n - 1, -1, -1):
        if prose[i]:
            last = i
        dist_next[i] = last - i
    csum = np.zeros(n + 1)
    cm = np.zeros(n + 1)
    nprose = 0
    for i in range(n):
        nprose += prose[i]
        csum[i + 1] = nprose
        cm[i + 1] = cm[i] + x[i, 33]
    heading = float(n + 1)
    for i in range(rs, n):
        if x[i, 32] > 0:
            heading = float(i)
            break
    total = 0.0
    run = 0.0
    for i in range(n):
        total += lens[i]
        if rs <= i < re_:
            run += lens[i]
    if total == 0:
        total = 1.0
    share = nprose / n if n else 0.0
    run_share = run / total
    for i in range(n):
        f = float(i)
        pc = col
        rel = f / (n - 1) if n > 1 else 0.0
        x[i, pc] = rel
        x[i, pc + 1] = rel * rel
        x[i, pc + 2] = f >= rs and f < re_
        x[i, pc + 3] = f < rs
        x[i, pc + 4] = f >= re_
        x[i, pc + 5] = (rs - f) if f < rs else ((f - re_ + 1) if f >= re_ else 0.0)
        x[i, pc + 6] = min(min(dist_prev[i], dist_next[i]), big)
        for t, k in enumerate((3, 10)):
            lo = min(max(i - k, 0), n)
            hi = min(max(i + k + 1, 0), n)
            x[i, pc + 7 + t] = (csum[hi] - csum[lo]) / (hi - lo)
        x[i, pc + 9] = share
        x[i, pc + 10] = run_share
        x[i, pc + 12] = i == 0
        x[i, pc + 13] = i == n - 1
        after = f > heading
        x[i, pc + 14] = after
        x[i, pc + 15] = f - heading if after else 0.0
        lo = min(max(i - 5, 0), n)
        hi = min(max(i + 6, 0), n)
        x[i, pc + 16] = (cm[hi] - cm[lo]) / (hi - lo)
    return x, rs, re_


# --- The tree ensemble --------------------------------------------------------------


@njit(cache=True)
def gbt_leaves(x, lo, hi, feature, value, leaf, depth, out):  # type: ignore[no-untyped-def]
    """``out[r - lo, t]``: the leaf value of tree ``t`` for row ``r`` of ``x`` (``lo <= r < hi``); complete
    binary trees in heap order, a row goes right when its feature is greater than the split value."""
    trees = feature.shape[0]
    inner = 2**depth - 1
    for r in range(lo, hi):
        row = x[r]
        for t in range(trees):
            f = feature[t]
            v = value[t]
            node = 0
            for _ in range(depth):
                node = 2 * node + 1 + np.intp(row[f[node]] > v[node])  # branch-free
            out[r - lo, t] = leaf[t, node - inner]


@njit(cache=True)
def smooth_states(scores, switch_cost):  # type: ignore[no-untyped-def]
    """``boilerplate.smooth`` compiled: the two-state Viterbi pass, the same float operations in the same order."""
    n = len(scores)
    out = np.zeros(n, dtype=np.bool_)
    if n == 0:
        return out
    back0 = np.zeros(n, dtype=np.int8)
    back1 = np.zeros(n, dtype=np.int8)
    b0 = 0.0
    b1 = scores[0]
    for i in range(1, n):
        s = scores[i]
        if b0 >= b1 - switch_cost:
            n0 = b0
            p0 = 0
        else:
            n0 = b1 - switch_cost
            p0 = 1
        if b1 >= b0 - switch_cost:
            n1 = b1 + s
            p1 = 1
        else:
            n1 = b0 - switch_cost + s
            p1 = 0
        back0[i] = p0
        back1[i] = p1
        b0 = n0
        b1 = n1
    state = 1 if b1 >= b0 else 0
    for i in range(n - 1, -1, -1):
        out[i] = state == 1
        if i > 0:
            state = back1[i] if state == 1 else back0[i]
    return out


# --- Required literals of a pattern (a prefilter for whole-line patterns) -------------

# Literal runs branch into at most this many strings (a small class such as
# [yY] multiplies them); past it the run is cut.
MAX_RUN_VARIANTS = 64


def required_literals(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """Strings one of which every match of ``pattern`` contains (compared case-insensitively, see
    :class:`LiteralFilter`), or ``None`` when the pattern has no such set (or cannot be read).

    Read from the pattern's parse tree: a run of literals (and of classes of
    a few literal characters) must appear as it stands; an alternation needs
    one of its branches' sets; a repeat at least once needs its body's.
    """
    try:
        try:
            from re import _constants as sre_c  # type: ignore[attr-defined]
            from re import _parser as sre_p  # type: ignore[attr-defined]
        except ImportError:  # pragma: no cover - Python 3.10
            import sre_constants as sre_c  # type: ignore[no-redef]
            import sre_parse as sre_p  # type: ignore[no-redef]
        tree = sre_p.parse(pattern.pattern, pattern.flags)
    except (
        ImportError,
        AttributeError,
        re.error,
    ):  # pragma: no cover - an engine this reading does not know
        return None

    def small_class(av):  # type: ignore[no-untyped-def]
        chars = []
        for op, v in av:
            if op is not sre_c.LITERAL:
                return None
            chars.append(chr(v))
        return chars if 0 < len(chars) <= 4 else None

    def pure(branches):  # type: ignore[no-untyped-def]
        """The strings an alternation of plain literal runs matches, or ``None``."""
        out: set[str] = set()
        for b in branches:
            strings = {""}
            for op, av in b.data:
                if op is sre_c.LITERAL:
                    strings = {r + chr(av) for r in strings}
                elif op is sre_c.IN and small_class(av) is not None:
                    strings = {r + c for r in strings for c in small_class(av)}
                else:
                    return None
            out |= strings
        return out

    def required(items):  # type: ignore[no-untyped-def]
        found: list[frozenset[str]] = []
        run = {""}

        def cut() -> None:
            nonlocal run
            if run != {""}:
                found.append(frozenset(run))
            run = {""}

        for op, av in items:
            if op is sre_c.LITERAL:
                run = {r + chr(av) for r in run}
                continue
            if op is sre_c.IN:
                chars = small_class(av)
                if chars is not None and len(run) * len(chars) <= MAX_RUN_VARIANTS:
                    run = {r + c for r in run for c in chars}
                    continue
            if op is sre_c.BRANCH:
                variants = pure(av[1])
                if (
                    variants is not None
                    and len(run) * len(variants) <= MAX_RUN_VARIANTS
                ):
                    run = {r + v for r in run for v in variants}
                    continue
            cut()
            need = None
            if op is sre_c.SUBPATTERN:
                need = required(av[-1].data)
            elif op is sre_c.BRANCH:
                needs = [required(b.data) for b in av[1]]
                need = (
                    None if any(x is None for x in needs) else frozenset().union(*needs)
                )
            elif op in (sre_c.MAX_REPEAT, sre_c.MIN_REPEAT) and av[0] >= 1:
                need = required(av[2].data)
            if need:
                found.append(need)
        cut()
        if not found:
            return None
        # the most selective set: longest shortest string, then fewest strings
        return max(found, key=lambda s: (min(map(len, s)), -len(s)))

    need = required(tree.data)
    if need is None or "" in need:
        return None
    return need


class LiteralFilter:
    """Whether a line holds one of some strings, case-insensitively as ``re.IGNORECASE`` matches them
    (a code point and the strings' characters are compared by class: the characters that
    ``re.IGNORECASE`` matches with one another share a class, so the test never says no where a
    case-insensitive match could say yes)."""

    def __init__(self, needles: frozenset[str]) -> None:
        chars = sorted({c for n in needles for c in n})
        fold = np.arange(MAX_CODE_POINT, dtype=np.int32)
        parent = {c: c for c in chars}

        def root(c: str) -> str:
            while parent[c] != c:
                c = parent[c]
            return c

        every = _every()
        members: dict[str, list[int]] = {}
        cls = "[" + "".join(re.escape(c) for c in chars) + "]"
        for m in re.finditer(cls, every, re.IGNORECASE):
            x = m.group()
            hits = [c for c in chars if re.fullmatch(re.escape(c), x, re.IGNORECASE)]
            for c in hits[1:]:  # x matches several: one class
                a, b = root(hits[0]), root(c)
                if a != b:
                    parent[max(a, b)] = min(a, b)
            members.setdefault(hits[0], []).append(ord(x))
        for c, xs in members.items():
            fold[xs] = ord(root(c))
        for c in chars:
            fold[ord(c)] = ord(root(c))
        by_first = sorted((fold[ord(n[0])], n) for n in needles)
        flat = [int(fold[ord(c)]) for _, n in by_first for c in n]
        self.fold = fold
        self.codes = np.array(flat, dtype=np.int32)
        self.offsets = np.zeros(len(by_first) + 1, dtype=np.int64)
        np.cumsum([len(n) for _, n in by_first], out=self.offsets[1:])
        self.firsts = np.array([f for f, _ in by_first], dtype=np.int32)

    def lines(
        self, points: np.ndarray, starts: np.ndarray, ends: np.ndarray, max_len: int
    ) -> np.ndarray:
        """Whether each line ``points[starts[k]:ends[k]]`` of at most ``max_len`` characters may hold a string."""
        return _any_literal(
            points,
            starts,
            ends,
            max_len,
            self.fold,
            self.firsts,
            self.codes,
            self.offsets,
        )


@njit(cache=True)
def _any_literal(s, starts, ends, max_len, fold, firsts, ncodes, noff):  # type: ignore[no-untyped-def]
    out = np.zeros(len(starts), dtype=np.bool_)
    m = len(firsts)
    for k in range(len(starts)):
        a = starts[k]
        b = ends[k]
        if b - a > max_len:
            continue
        found = False
        for p in range(a, b):
            c = fold[s[p]]
            t = np.searchsorted(firsts, c)
            while t < m and firsts[t] == c:
                lo = noff[t]
                hi = noff[t + 1]
                if p + hi - lo <= b:
                    same = True
                    for u in range(1, hi - lo):
                        if fold[s[p + u]] != ncodes[lo + u]:
                            same = False
                            break
                    if same:
                        found = True
                        break
                t += 1
            if found:
                break
        out[k] = found
    return out


# --- template line keys ------------------------------------------------------------
#
# ``boilerplate.normalize_line`` (NFKC, case fold, digit runs as ``0``, single
# spaces) is the key of a line for source templates, and its 64-bit hash is
# what pass 1 counts per source and pass 2 looks up. For the code points of
# :data:`KEY_FOLD_LIMIT` and below whose NFKC form case-folds, on its own, to
# starters (combining class 0) that compose with nothing, normalising a line
# is normalising each code point and concatenating: :func:`line_key_hashes`
# hashes that key without building it. A line with any other code point
# (combining marks, scripts past the table) is left to Python.

#: Blocks whose code points get a precomputed key fold: Latin-1 to spacing
#: modifiers, Greek and Cyrillic, then general punctuation, super- and
#: subscripts, currency, letterlike symbols, number forms and arrows. No
#: letter here is the second half of a canonical composition (only
#: combining marks are, which the fold leaves out, and Hangul and some Indic
#: vowel signs, which lie outside these blocks).
KEY_FOLD_BLOCKS = ((0x80, 0x300), (0x370, 0x530), (0x2000, 0x2200))
KEY_FOLD_LIMIT = 0x2200


@functools.lru_cache(maxsize=1)
def key_fold_table() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(length, offset, folded)``: code point ``cp < KEY_FOLD_LIMIT`` folds to
    ``folded[offset[cp]:offset[cp] + length[cp]]`` (``unicodedata.normalize("NFKC", c).casefold()``);
    ``length[cp] == 0`` where it is not folded here (outside :data:`KEY_FOLD_BLOCKS`, a combining
    mark, a code point whose form holds one). ASCII is not in the table (lower case). Built from Python's ``unicodedata`` at first use (about 10 ms)."""
    import unicodedata

    length = np.zeros(KEY_FOLD_LIMIT, dtype=np.uint8)
    offset = np.zeros(KEY_FOLD_LIMIT, dtype=np.int32)
    folded: list[int] = []
    for cp in (cp for lo, hi in KEY_FOLD_BLOCKS for cp in range(lo, hi)):
        c = chr(cp)
        f = unicodedata.normalize("NFKC", c).casefold()
        # combining marks reorder and compose with their neighbours (checked
        # for the whole table by tests/signals/test_line_keys.py)
        if unicodedata.combining(c) or not f or any(unicodedata.combining(x) for x in f):
            continue
        length[cp] = len(f)
        offset[cp] = len(folded)
        folded.extend(ord(x) for x in f)
    return length, offset, np.array(folded, dtype=np.uint32)


@njit(cache=True, inline="always")
def _key_mix(h, cp):  # type: ignore[no-untyped-def]
    # FNV-1a over 32-bit code points
    return (h ^ np.uint64(cp)) * np.uint64(0x100000001B3)


@njit(cache=True, inline="always")
def _key_final(h):  # type: ignore[no-untyped-def]
    # splitmix64's finaliser: FNV's low bits alone mix poorly
    h = (h ^ (h >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    h = (h ^ (h >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return h ^ (h >> np.uint64(31))


_KEY_SEED = 0xCBF29CE484222325


@njit(cache=True)
def key_hash(s):  # type: ignore[no-untyped-def]
    """The 64-bit hash of a line key (its code points ``s``), as :func:`line_key_hashes` computes it."""
    h = np.uint64(_KEY_SEED)
    for i in range(len(s)):
        h = _key_mix(h, s[i])
    return _key_final(h)


@njit(cache=True)
def line_key_hashes(s, starts, ends, cls, length, offset, folded):  # type: ignore[no-untyped-def]
    """``(hashes, ok)``: :func:`key_hash` of each line's key (``normalize_line``), where ``ok``;
    a line with a code point the table cannot fold (``length == 0``, or past it) is not ok."""
    n = len(starts)
    hashes = np.zeros(n, dtype=np.uint64)
    ok = np.zeros(n, dtype=np.bool_)
    limit = len(length)
    for k in range(n):
        h = np.uint64(_KEY_SEED)
        emitted = False
        space = False  # a white-space run since the last character kept
        digits = False  # inside a run of digits (kept as one 0)
        good = True
        for p in range(starts[k], ends[k]):
            cp = s[p]
            if cp < 128:
                m = 1
                at = -1
            elif cp < limit and length[cp] > 0:
                m = length[cp]
                at = offset[cp]
            else:
                good = False
                break
            for u in range(m):
                if at < 0:
                    c = cp + 32 if 65 <= cp <= 90 else cp
                else:
                    c = folded[at + u]
                c_cls = cls[c]
                if c_cls & SPACE:
                    space = emitted
                    digits = False
                    continue
                if c_cls & DIGIT:
                    if digits:
                        continue
                    digits = True
                    c = 48
                else:
                    digits = False
                if space:
                    h = _key_mix(h, 32)
                    space = False
                h = _key_mix(h, c)
                emitted = True
        if good:
            hashes[k] = _key_final(h)
            ok[k] = True
    return hashes, ok
