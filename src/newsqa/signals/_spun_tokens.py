"""Compiled word tokens for the spun-text signal: offsets as arrays, lexicon words as integer ids.

:func:`newsqa.signals._words.tokens` builds a Python string per token; the
spun-text signal needs the strings of only the few tokens that may start a
lexicon phrase or a context rule. :func:`token_arrays` gives the same
tokens as offset arrays (one compiled pass over the code points of the
lower-cased text), the tokens' strings only on request (:class:`Tokens`),
:class:`Vocab` maps tokens to the ids of a fixed word list, and
:class:`Phrases` picks, over those ids, the tokens where a lexicon phrase
can start: the detector looks at just those in Python.

The token strings are exactly those of :func:`~newsqa.signals._words.tokens`:
the matches of the token pattern in the lower-cased text (curly apostrophes
made straight), and where lower-casing changes the length of the text
(``"İ"``), the matches in the text itself, lower-cased one by one, which
:func:`token_arrays` leaves to :func:`~newsqa.signals._words.tokens`.

The word characters are those of the pattern :data:`newsqa.signals._words.TOKEN`
(``[^\\W_]``): a table over all code points, read off the regular
expression itself on first use, so the two can not disagree.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from itertools import accumulate

import numpy as np
from numba import njit

from ._words import TOKEN, tokens

_WORD_CHAR = TOKEN.pattern.split("+", 1)[0]  # "[^\W_]"
_N_CODES = 0x110000
_FNV_OFFSET = np.uint64(0xCBF29CE484222325)
_FNV_PRIME = np.uint64(0x100000001B3)


@lru_cache(maxsize=1)
def _word_chars() -> np.ndarray:
    """``table[c]`` is 1 where code point ``c`` is a word character of :data:`TOKEN` (1.1 MB, built once)."""
    everything = np.arange(_N_CODES, dtype=np.uint32).tobytes().decode("utf-32-le", "surrogatepass")
    table = np.zeros(_N_CODES, dtype=np.uint8)
    for m in re.finditer(_WORD_CHAR + "+", everything):
        table[m.start() : m.end()] = 1
    return table


def _codes(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


@njit(cache=True, nogil=True)
def _tokenize(codes, word):  # type: ignore[no-untyped-def]
    """Start and end of each match of ``[^\\W_]+(?:['’][^\\W_]+)*`` in ``codes``, left to right."""
    n = len(codes)
    cap = (n + 1) // 2
    starts = np.empty(cap, dtype=np.int64)
    ends = np.empty(cap, dtype=np.int64)
    k = 0
    i = 0
    while i < n:
        if word[codes[i]] == 0:
            i += 1
            continue
        s = i
        i += 1
        while True:
            while i < n and word[codes[i]] != 0:
                i += 1
            if i + 1 < n and (codes[i] == 39 or codes[i] == 0x2019) and word[codes[i + 1]] != 0:
                i += 2
                continue
            break
        starts[k] = s
        ends[k] = i
        k += 1
    return starts[:k].copy(), ends[:k].copy()


@njit(cache=True, nogil=True, inline="always")
def _hash(codes, lo, hi):  # type: ignore[no-untyped-def]
    h = _FNV_OFFSET
    for k in range(lo, hi):
        h = (h ^ np.uint64(codes[k])) * _FNV_PRIME
    return h


@njit(cache=True, nogil=True, inline="always")
def _find(codes, lo, hi, keys, ids, wcodes, woffs):  # type: ignore[no-untyped-def]
    """Id of the word ``codes[lo:hi]`` (compared code point by code point), -1 if none."""
    mask = len(keys) - 1
    h = _hash(codes, lo, hi)
    j = np.int64(h & np.uint64(mask))
    while ids[j] != -1:
        if keys[j] == h:
            w = ids[j]
            a = woffs[w]
            if woffs[w + 1] - a == hi - lo:
                same = True
                for k in range(hi - lo):
                    if wcodes[a + k] != codes[lo + k]:
                        same = False
                        break
                if same:
                    return w
        j = (j + 1) & mask
    return -1


@njit(cache=True, nogil=True)
def _fill(wcodes, woffs, size):  # type: ignore[no-untyped-def]
    keys = np.zeros(size, dtype=np.uint64)
    ids = np.full(size, -1, dtype=np.int32)
    mask = size - 1
    for w in range(len(woffs) - 1):
        h = _hash(wcodes, woffs[w], woffs[w + 1])
        j = np.int64(h & np.uint64(mask))
        while ids[j] != -1:
            j = (j + 1) & mask
        keys[j] = h
        ids[j] = w
    return keys, ids


@njit(cache=True, nogil=True)
def _lookup(codes, starts, ends, keys, ids, wcodes, woffs, longest):  # type: ignore[no-untyped-def]
    """Per token: its word id, the id of the token less a final "'s" (-1 if none or not a word), ends in "'s"."""
    n = len(starts)
    out = np.full(n, -1, dtype=np.int32)
    bare = np.full(n, -1, dtype=np.int32)
    s_end = np.zeros(n, dtype=np.bool_)
    for i in range(n):
        lo = starts[i]
        hi = ends[i]
        if hi - lo >= 2 and codes[hi - 2] == 39 and codes[hi - 1] == 115:
            s_end[i] = True
            if hi - 2 - lo <= longest:
                bare[i] = _find(codes, lo, hi - 2, keys, ids, wcodes, woffs)
        if hi - lo <= longest:
            out[i] = _find(codes, lo, hi, keys, ids, wcodes, woffs)
    return out, bare, s_end


@njit(cache=True, nogil=True, inline="always")
def _has(sorted_keys, key):  # type: ignore[no-untyped-def]
    j = np.searchsorted(sorted_keys, key)
    return j < len(sorted_keys) and sorted_keys[j] == key


@njit(cache=True, nogil=True, inline="always")
def _is_phrase(ids, bare, i, k, last_bare, keys, slots, words, lens):  # type: ignore[no-untyped-def]
    """Whether tokens i..i+k-1 (the last one less "'s" if ``last_bare``) are a phrase of the table."""
    h = _FNV_OFFSET
    for j in range(i, i + k):
        v = bare[j] if last_bare and j == i + k - 1 else ids[j]
        if v < 0:
            return False
        h = (h ^ np.uint64(v)) * _FNV_PRIME
    mask = len(keys) - 1
    s = np.int64(h & np.uint64(mask))
    while slots[s] != -1:
        if keys[s] == h:
            p = slots[s]
            if lens[p] == k:
                same = True
                for q in range(k):
                    v = bare[i + q] if last_bare and q == k - 1 else ids[i + q]
                    if words[p, q] != v:
                        same = False
                        break
                if same:
                    return True
        s = (s + 1) & mask
    return False


@njit(cache=True, nogil=True)
def _phrase_table(words, lens, size):  # type: ignore[no-untyped-def]
    keys = np.zeros(size, dtype=np.uint64)
    slots = np.full(size, -1, dtype=np.int32)
    mask = size - 1
    for p in range(len(lens)):
        h = _FNV_OFFSET
        for q in range(lens[p]):
            h = (h ^ np.uint64(words[p, q])) * _FNV_PRIME
        s = np.int64(h & np.uint64(mask))
        while slots[s] != -1:
            s = (s + 1) & mask
        keys[s] = h
        slots[s] = p
    return keys, slots


@njit(cache=True, nogil=True)
def _candidates(ids, bare, s_end, longest, single, special, pairs, n_words, keys, slots, words, lens):  # type: ignore[no-untyped-def]
    n = len(ids)
    out = np.empty(n, dtype=np.int64)
    k = 0
    for i in range(n):
        t = ids[i]
        if t < 0:
            continue
        ok = special[t]
        if not ok and longest[t] > 0:
            may = single[t] or s_end[i]
            if not may and i + 1 < n:
                b = ids[i + 1]
                if b >= 0 and _has(pairs, np.int64(t) * n_words + b):
                    may = True
                else:
                    b = bare[i + 1]
                    may = b >= 0 and _has(pairs, np.int64(t) * n_words + b)
            if may:  # and some phrase of 1 to longest[t] tokens is there
                for m in range(1, min(longest[t], n - i) + 1):
                    if _is_phrase(ids, bare, i, m, False, keys, slots, words, lens) or (
                        bare[i + m - 1] >= 0 and _is_phrase(ids, bare, i, m, True, keys, slots, words, lens)
                    ):
                        ok = True
                        break
        if ok:
            out[k] = i
            k += 1
    return out[:k].copy()


@njit(cache=True, nogil=True)
def _tokens_and_candidates(
    codes,
    word,
    vkeys,
    vids,
    wcodes,
    woffs,
    vlongest,
    longest,
    single,
    special,
    pairs,
    n_words,
    keys,
    slots,
    words,
    lens,
):  # type: ignore[no-untyped-def]
    """_tokenize, _lookup and _candidates in one call (tokens at their own offsets in ``codes``)."""
    starts, ends = _tokenize(codes, word)
    ids, bare, s_end = _lookup(codes, starts, ends, vkeys, vids, wcodes, woffs, vlongest)
    return (
        starts,
        ends,
        _candidates(ids, bare, s_end, longest, single, special, pairs, n_words, keys, slots, words, lens),
    )


class Phrases:
    """Phrases (tuples of words) over a :class:`Vocab`, and which tokens of a text may start one.

    Args:
        phrases: The phrases; every word of them is a word of the vocabulary.
        special: Further words whose tokens are always candidates.
    """

    __slots__ = ("_arrays", "vocab")

    def __init__(self, phrases: Iterable[tuple[str, ...]], special: Iterable[str]) -> None:
        phrases = list(dict.fromkeys(phrases))
        special = sorted(set(special))
        self.vocab = vocab = Vocab([*(w for p in phrases for w in p), *special])
        nv = len(vocab.words)
        longest = np.zeros(nv, dtype=np.int64)
        single = np.zeros(nv, dtype=np.bool_)
        is_special = np.zeros(nv, dtype=np.bool_)
        width = max(map(len, phrases), default=1)
        words = np.full((len(phrases), width), -1, dtype=np.int32)
        lens = np.zeros(len(phrases), dtype=np.int64)
        pairs = set()
        for p, phrase in enumerate(phrases):
            t = vocab.ids[phrase[0]]
            longest[t] = max(longest[t], len(phrase))
            single[t] |= len(phrase) == 1
            if len(phrase) > 1:
                pairs.add(t * nv + vocab.ids[phrase[1]])
            lens[p] = len(phrase)
            words[p, : len(phrase)] = [vocab.ids[w] for w in phrase]
        for w in special:
            is_special[vocab.ids[w]] = True
        keys, slots = _phrase_table(words, lens, 1 << max(4, (2 * len(phrases)).bit_length()))
        self._arrays = (
            longest,
            single,
            is_special,
            np.array(sorted(pairs), dtype=np.int64),
            np.int64(nv),
            keys,
            slots,
            words,
            lens,
        )

    def candidates(self, codes: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
        """Indices of the tokens (offsets ``starts``/``ends`` in ``codes``) that may start a phrase, or are special.

        Token ``i`` is one when it is a special word, or when it starts some
        phrase and (a one-word phrase starts with it, it ends in "'s", or it
        and the next token, or the next token less "'s", start some phrase),
        and tokens ``i`` to ``i + k - 1``, the last one maybe less "'s", are
        a phrase for some ``k``. A superset of the tokens where the
        detector's lexicon lookup can succeed, whatever the gaps between
        the tokens.
        """
        ids, bare, s_end = self.vocab.lookup(codes, starts, ends)
        return _candidates(ids, bare, s_end, *self._arrays)

    def scan(self, text: str) -> tuple[Tokens, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """:func:`token_arrays` of ``text`` and :meth:`candidates` of its tokens, in one compiled call where it can."""
        low = text.lower().replace("’", "'")
        if len(low) == len(text):
            codes = _codes(low)
            v = self.vocab
            starts, ends, cands = _tokens_and_candidates(
                codes, _word_chars(), v._keys, v._ids, v._codes, v._offs, v._longest, *self._arrays
            )
            return Tokens(low, starts, ends, None), starts, ends, codes, cands
        toks, starts, ends, codes = token_arrays(text)
        return toks, starts, ends, codes, self.candidates(codes, *lookup_offsets(toks, starts, ends))


class Vocab:
    """A fixed list of words (lower-cased tokens) and their ids, looked up in compiled code."""

    __slots__ = ("_codes", "_ids", "_keys", "_longest", "_offs", "ids", "words")

    def __init__(self, words: Iterable[str]) -> None:
        self.words: tuple[str, ...] = tuple(dict.fromkeys(words))
        self.ids = {w: i for i, w in enumerate(self.words)}
        self._codes = _codes("".join(self.words))
        self._offs = np.zeros(len(self.words) + 1, dtype=np.int64)
        self._offs[1:] = np.cumsum([len(w) for w in self.words])
        self._longest = max(map(len, self.words), default=0)
        size = 1 << max(4, (2 * len(self.words)).bit_length())
        self._keys, self._ids = _fill(self._codes, self._offs, size)

    def lookup(self, codes: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> tuple[np.ndarray, ...]:
        """Word id per token (-1: not a word of the list), id of the token less "'s", whether it ends in "'s"."""
        return _lookup(codes, starts, ends, self._keys, self._ids, self._codes, self._offs, self._longest)


class Tokens:
    """The lower-cased token strings of a text (as :func:`newsqa.signals._words.tokens` gives them), built on access."""

    __slots__ = ("_ends", "_list", "_low", "_n", "_starts")

    def __init__(self, low: str | None, starts: np.ndarray, ends: np.ndarray, strings: list[str] | None) -> None:
        self._low = low
        self._starts = starts
        self._ends = ends
        self._list = strings
        self._n = len(starts)

    def __len__(self) -> int:
        return self._n

    def __getitem__(self, i):  # type: ignore[no-untyped-def]
        if self._list is not None:
            return self._list[i]
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(self._n))]
        if i < 0:
            i += self._n
        if not 0 <= i < self._n:
            raise IndexError("token index out of range")
        return self._low[self._starts[i] : self._ends[i]]  # type: ignore[index]


def token_arrays(text: str) -> tuple[Tokens, np.ndarray, np.ndarray, np.ndarray]:
    """The tokens of :func:`newsqa.signals._words.tokens` as (strings on demand, starts, ends, codes of the strings).

    ``codes`` holds the code points that :meth:`Vocab.lookup` reads at
    ``starts``/``ends``: those of the lower-cased text where lower-casing
    keeps its length (the usual case), else of the token strings joined, with
    ``starts``/``ends`` of the text returned and the strings' own offsets used
    for the lookup; see :func:`lookup_offsets`.
    """
    low = text.lower().replace("’", "'")
    if len(low) == len(text):
        codes = _codes(low)
        starts, ends = _tokenize(codes, _word_chars())
        return Tokens(low, starts, ends, None), starts, ends, codes
    # lower() changed the length (e.g. "İ"): the tokens of the text, each lower-cased
    toks, st, en = tokens(text)
    starts = np.asarray(st, dtype=np.int64)
    ends = np.asarray(en, dtype=np.int64)
    return Tokens(None, starts, ends, toks), starts, ends, _codes("".join(toks))


def lookup_offsets(toks: Tokens, starts: np.ndarray, ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Offsets of each token in the ``codes`` of :func:`token_arrays`."""
    if toks._list is None:
        return starts, ends
    offs = np.zeros(len(toks._list) + 1, dtype=np.int64)
    offs[1:] = list(accumulate(map(len, toks._list)))
    return offs[:-1], offs[1:]


__all__ = ["Phrases", "Tokens", "Vocab", "lookup_offsets", "token_arrays"]
