"""Spun text beyond the lexicon: a synonym that fits the context far better.

A thesaurus spinner swaps a word for a synonym without looking at its
neighbours, so the new word sits in a word pair that normal English rarely
uses ("shook fingers", "a cops policeman", "numerous nations"), while one of
its own synonyms fits the same place far better. This module asks exactly
that of every content word, with a reference model the package ships
(``data/colloc_en.npz``, built by ``scripts/build_colloc.py``):

* a **bigram language model** of English (CMU Sphinx's generic US English
  model: 72,547 words, 2.05 M word pairs with log10 probabilities and
  back-off weights), and
* **WordNet 3.1 synonyms** of each of its words, inflected like the word.

For a content word ``w`` between ``a`` and ``c`` (a word of
:data:`newsqa.skeleton.FUNCTION_WORDS` is never scored, nor a capitalised
word inside a sentence, which is a name that spinners leave alone and
WordNet misreads ("Bush", "Will"), nor a word next to a number, a comma or
a word the model does not know):

* ``fit(x) = log10 P(x | a) + log10 P(c | x)``;
* ``margin = max(fit(s) for s in synonyms(w)) - fit(w)``: how many powers
  of ten better the best synonym fits. A ``margin`` of 2 means a synonym is
  100 times likelier in this place; that synonym is the likely original;
* ``weak``: ``w`` fits its neighbours worse than chance (pointwise mutual
  information with ``a`` plus that with ``c`` below zero).

Evidence of a word: ``min(margin, MARGIN_CAP) + WEAK_CONTEXT_WEIGHT *
weak``. The article's context density (signal ``spun_context``) is the
evidence per 1,000 scored words. Untouched news has some: a writer's synonym is often not the
commonest one (median 215 on 1,523 BuzzFeed-Webis articles), so
:func:`newsqa.signals.spun.spun` counts only the excess over
:data:`CONTEXT_BASELINE`.

The lexicon plays no part here. ``tests/signals/test_spun_context.py``
spins the clean seeds with the half of the lexicon that a lexicon-only
detector is not given, and checks that this model still catches those
substitutions.

Limits: English only (other text scores few words and gets no excess);
spun names ("Kim Il Sung Sq.") are the lexicon's job, capitalised words
are not scored; a synonym that is also a common collocation ("the assembly" for "the
meeting", "the navy" for "the military") passes, since only the two
neighbouring words are looked at; and the proposed original is the best
WordNet synonym in context, which is not always the writer's word
("acquired" in "talks acquired beneath method" gets "wind", not "got").

>>> ev = context_evidence("She was handed a bouquet of crimson roses as talks fell aside.")
>>> [(s.word, s.original) for s in ev.spans]
[('crimson', 'red'), ('aside', 'apart')]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np
from numba import njit

from ..skeleton import FUNCTION_WORDS
from ._spun_tokens import token_arrays

#: A margin above this counts as this (a synonym 10^5 times likelier), so
#: one absurd word does not outweigh many spun ones. Chosen with
#: WEAK_CONTEXT_WEIGHT on the even-indexed half of BuzzFeed-Webis spun at 20%
#: (benchmarks/bench_spun.py) among caps 3, 4, 5 and 8 (AUC 0.944 / 0.949 /
#: 0.951 / 0.952, before names were left unscored); the odd half, not used
#: to choose, gave 0.955. With names unscored: 0.967 even, 0.963 odd.
MARGIN_CAP = 5.0
#: Weight of a word that fits its neighbours worse than chance (same search:
#: 0, 0.25, 0.5, 1.0; 0.25 and 0.5 tie, 0 loses 0.005 of AUC).
WEAK_CONTEXT_WEIGHT = 0.25
#: A word whose pointwise mutual information with its two neighbours is at
#: least this (log10: 100 times likelier together than by chance) is not
#: compared with its synonyms. On the even half of BuzzFeed-Webis spun at
#: 20% the AUC stays 0.951 (1.5: 0.950, 1.0: 0.944; measured before names
#: were left unscored) and the scan takes a quarter less time.
SKIP_PMI = 2.0
#: Margin (log10) from which a word is shown as a span with its likely
#: original: a synonym 100 times likelier in the same place.
FLAG_MARGIN = 2.0
#: Context density of untouched news: the median over the 1,523 untouched
#: BuzzFeed-Webis articles of at least 100 words (215.2; benchmarks/bench_spun.py
#: prints it). Only the excess counts towards spun_score.
CONTEXT_BASELINE = 215.2
#: Fewer scored words than this give no excess: a density over a few dozen
#: words swings by a hundred either way (one strong margin is 5 evidence
#: units, 100 per 1,000 at 50 words), and text the English model barely
#: knows (another language, lists of names) scores few words.
MIN_SCORED_WORDS = 50

_BOS = "<s>"
_EOS = "</s>"
_BREAK = -1


@dataclass(frozen=True)
class ContextSpan:
    """A word that a synonym fits far better (a likely spinner substitution).

    Attributes:
        start: Start offset in the text.
        end: End offset.
        word: The word as written (lower-cased).
        original: The synonym that fits best: the likely original.
        margin: How many powers of ten better the original fits (log10).
    """

    start: int
    end: int
    word: str
    original: str
    margin: float


class _Density:
    """``density`` and ``excess`` of a class with ``n_scored`` and ``evidence``."""

    __slots__ = ()
    n_scored: int
    evidence: float

    @property
    def density(self) -> float:
        """Evidence per 1,000 scored words (0.0 when none was scored)."""
        return self.evidence * 1000.0 / self.n_scored if self.n_scored else 0.0

    @property
    def excess(self) -> float:
        """``density`` above :data:`CONTEXT_BASELINE` (never negative; 0.0 below :data:`MIN_SCORED_WORDS`)."""
        if self.n_scored < MIN_SCORED_WORDS:
            return 0.0
        return max(0.0, self.density - CONTEXT_BASELINE)


@dataclass(frozen=True)
class ContextEvidence(_Density):
    """What the context model found in one text.

    Attributes:
        n_scored: Words scored (content words the model knows, with known neighbours).
        evidence: Summed evidence of those words.
        spans: Words with ``margin >= FLAG_MARGIN``, in text order.
    """

    n_scored: int
    evidence: float
    spans: tuple[ContextSpan, ...]


class _Model:
    """The reference model, decoded once per process."""

    __slots__ = (
        "backoff",
        "bloom",
        "bos",
        "content",
        "eos",
        "s_ids",
        "s_indptr",
        "step",
        "table",
        "unigram",
        "vtab",
        "words",
    )

    def __init__(self) -> None:
        with resources.files("newsqa").joinpath("data/colloc_en.npz").open("rb") as f:
            z = np.load(f)
            words = z["vocab"].tobytes().decode("utf-8").split("\n")
            step = float(z["logp_step"])
            indptr = z["bigram_indptr"].astype(np.int64)
            deltas = z["bigram_next"].astype(np.int64)
            quant = z["bigram_logp"]
            self.unigram = z["unigram"].astype(np.float32)
            self.backoff = z["backoff"].astype(np.float32)
            self.s_indptr = z["syn_indptr"].astype(np.int64)
            self.s_ids = z["syn_ids"].astype(np.int32)
        # columns are delta-coded within each row: running sum minus the row's start
        cs = np.cumsum(deltas)
        lengths = np.diff(indptr)
        before = np.zeros(len(lengths), dtype=np.int64)
        nonempty = indptr[:-1] > 0
        before[nonempty] = cs[indptr[:-1][nonempty] - 1]
        cols = (cs - np.repeat(before, lengths)).astype(np.int32)
        self.table = _fill(indptr, cols, quant, _HASH_BITS)
        self.bloom = _bloom(self.table, _BLOOM_BITS)
        self.step = np.float32(step)
        self.words = words
        vocab = {w: i for i, w in enumerate(words)}
        self.bos = vocab[_BOS]
        self.eos = vocab[_EOS]
        joined = "".join(words)
        offsets = np.zeros(len(words) + 1, dtype=np.int64)
        offsets[1:] = np.cumsum([len(w) for w in words])
        self.vtab = _vocab_table(np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32), offsets, _VOCAB_BITS)
        content = np.ones(len(words), dtype=np.bool_)
        for w in FUNCTION_WORDS:
            i = vocab.get(w)
            if i is not None:
                content[i] = False
        content[self.bos] = content[self.eos] = False
        self.content = content


@lru_cache(maxsize=1)
def _model() -> _Model:
    return _Model()


#: log2 of the bigram hash table's slots: 4.2 M slots for 2.05 M bigrams keeps
#: linear probing short (load 0.49) in 34 MB. Each slot packs the pair's key
#: and its quantised log-probability into one uint64, so a probe is one
#: cache miss; a binary search per row instead cost about three times as
#: much CPU (the rows of "the" and "of" hold 30,000 words).
_HASH_BITS = 22
_ROW = 1 << 17  # > vocabulary size: key = first * _ROW + second (< 2^34)
_EMPTY_SLOT = np.uint64(0xFFFFFFFFFFFFFFFF)
_MIX = np.uint64(0x9E3779B97F4A7C15)  # Fibonacci hashing (Knuth)
#: log2 of the bits of a filter of the table's keys (one bit per key, 2 MB,
#: 11.5% of the bits set): most word pairs that a synonym makes are not in
#: the table, and the filter, which stays in cache, answers for most of
#: them without a read of the table. It never turns a key away that is in
#: the table, so the log-probabilities are the same with or without it.
_BLOOM_BITS = 24
_BLOOM_MIX = np.uint64(0xD6E8FEB86659FD93)


@njit(cache=True)
def _fill(indptr, cols, quant, bits):  # type: ignore[no-untyped-def]
    size = 1 << bits
    table = np.full(size, _EMPTY_SLOT, dtype=np.uint64)
    mask = size - 1
    shift = np.uint64(64 - bits)
    for a in range(len(indptr) - 1):
        for k in range(indptr[a], indptr[a + 1]):
            key = np.uint64(a * _ROW + cols[k])
            j = np.int64((key * _MIX) >> shift)
            while table[j] != _EMPTY_SLOT:
                j = (j + 1) & mask
            table[j] = (key << np.uint64(8)) | np.uint64(quant[k])
    return table


@njit(cache=True)
def _bloom(table, bits):  # type: ignore[no-untyped-def]
    words = np.zeros(1 << (bits - 6), dtype=np.uint64)
    for slot in table:
        if slot != _EMPTY_SLOT:
            b = np.int64(((slot >> np.uint64(8)) * _BLOOM_MIX) >> np.uint64(64 - bits))
            words[b >> 6] |= np.uint64(1) << np.uint64(b & 63)
    return words


@njit(cache=True, nogil=True, inline="always")
def _lp(a, b, table, bloom, step, unigram, backoff):  # type: ignore[no-untyped-def]
    """log10 P(b | a): the bigram's own probability, else back-off weight of a plus P(b)."""
    key = np.uint64(a * _ROW + b)
    f = np.int64((key * _BLOOM_MIX) >> np.uint64(64 - _BLOOM_BITS))
    if (bloom[f >> 6] >> np.uint64(f & 63)) & np.uint64(1) == 0:
        return backoff[a] + unigram[b]  # not in the table
    j = np.int64((key * _MIX) >> np.uint64(64 - _HASH_BITS))
    mask = len(table) - 1
    while True:
        slot = table[j]
        if slot == _EMPTY_SLOT:
            return backoff[a] + unigram[b]
        if (slot >> np.uint64(8)) == key:
            return -step * np.float32(slot & np.uint64(0xFF))
        j = (j + 1) & mask


@njit(cache=True, nogil=True)
def _scan(seq, name, content, table, bloom, step, unigram, backoff, s_indptr, s_ids, cap, weak_w, skip_pmi):  # type: ignore[no-untyped-def]
    n = len(seq)
    margins = np.zeros(n, dtype=np.float32)
    best_ids = np.full(n, -1, dtype=np.int32)
    n_scored = 0
    total = 0.0
    # the pair (w, c) of a scored word is the pair (a, w) of the next one
    # when that is scored too: its log-probability is looked up once
    last = -1
    last_lp = unigram[0]  # (a float32, as _lp returns)
    for i in range(1, n - 1):
        w = seq[i]
        if w < 0 or not content[w] or name[i]:
            continue
        a = seq[i - 1]
        c = seq[i + 1]
        if a < 0 or c < 0:
            continue
        n_scored += 1
        l1 = last_lp if last == i - 1 else _lp(a, w, table, bloom, step, unigram, backoff)
        l2 = _lp(w, c, table, bloom, step, unigram, backoff)
        last = i
        last_lp = l2
        fit = l1 + l2
        pmi = (l1 - unigram[w]) + (l2 - unigram[c])
        best = -1e9
        best_id = -1
        for k in range(s_indptr[w], s_indptr[w + 1] if pmi < skip_pmi else s_indptr[w]):
            x = s_ids[k]
            f = _lp(a, x, table, bloom, step, unigram, backoff) + _lp(x, c, table, bloom, step, unigram, backoff)
            if f > best:
                best = f
                best_id = x
        margin = best - fit
        if margin > 0.0:
            margins[i] = margin
            best_ids[i] = best_id
            total += min(margin, cap)
        if pmi < 0.0:  # pointwise mutual information below chance
            total += weak_w
    return margins, best_ids, n_scored, total


_FNV_OFFSET = np.uint64(0xCBF29CE484222325)
_FNV_PRIME = np.uint64(0x100000001B3)
_VOCAB_BITS = 18  # 262,144 slots for 72,547 words (16 bytes a slot: 4 MB)


@njit(cache=True, nogil=True, inline="always")
def _word_hash(codes, lo, hi):  # type: ignore[no-untyped-def]
    """FNV-1a over the code points of a token, A-Z lower-cased and the curly apostrophe made straight."""
    h = _FNV_OFFSET
    for k in range(lo, hi):
        c = codes[k]
        if 65 <= c <= 90:
            c += 32
        elif c == 0x2019:
            c = 39
        h = (h ^ np.uint64(c)) * _FNV_PRIME
    return h


@njit(cache=True)
def _vocab_table(codes, offsets, bits):  # type: ignore[no-untyped-def]
    """Open addressing on the top bits of each word's hash: slot j is ``table[2j]`` (the hash) and ``table[2j + 1]`` (id + 1; 0 empty), one cache line."""
    size = 1 << bits
    table = np.zeros(2 * size, dtype=np.uint64)
    mask = size - 1
    for w in range(len(offsets) - 1):
        h = _word_hash(codes, offsets[w], offsets[w + 1])
        j = np.int64(h >> np.uint64(64 - bits))
        while table[2 * j + 1] != 0:
            if table[2 * j] == h:
                raise ValueError("two vocabulary words share a 64-bit hash")
            j = (j + 1) & mask
        table[2 * j] = h
        table[2 * j + 1] = np.uint64(w + 1)
    return table


@njit(cache=True, nogil=True)
def _is_space(c):  # type: ignore[no-untyped-def]
    return (
        c == 32
        or 9 <= c <= 13
        or 28 <= c <= 31
        or c == 0x85
        or c == 0xA0
        or c == 0x1680
        or 0x2000 <= c <= 0x200A
        or c == 0x2028
        or c == 0x2029
        or c == 0x202F
        or c == 0x205F
        or c == 0x3000
    )


@njit(cache=True, nogil=True)
def _token_info(codes, starts, ends, vtab):  # type: ignore[no-untyped-def]
    """Per token: model id (-1 unknown), the gap before it (0 runs on, 1 sentence end, 2 other), capitalised."""
    n = len(starts)
    ids = np.full(n, -1, dtype=np.int32)
    cls = np.zeros(n, dtype=np.int8)
    caps = np.zeros(n, dtype=np.bool_)
    mask = len(vtab) // 2 - 1
    shift = np.uint64(64 - _VOCAB_BITS)
    for i in range(n):
        lo = starts[i]
        h = _word_hash(codes, lo, ends[i])
        j = np.int64(h >> shift)
        while vtab[2 * j + 1] != 0:
            if vtab[2 * j] == h:
                ids[i] = np.int32(vtab[2 * j + 1]) - 1
                break
            j = (j + 1) & mask
        caps[i] = 65 <= codes[lo] <= 90
        if i > 0:
            g = 0
            for k in range(ends[i - 1], lo):
                c = codes[k]
                if c == 46 or c == 33 or c == 63 or c == 59 or c == 58 or c == 10 or c == 13:
                    g = 1
                    break
                if g == 0 and not _is_space(c):
                    g = 2
            cls[i] = g
    return ids, cls, caps


@njit(cache=True, nogil=True)
def _build(ids, gap_cls, caps, bos, eos):  # type: ignore[no-untyped-def]
    """Model ids with sentence marks (BOS/EOS) and breaks (-1), each position's token index, and names.

    A name is a capitalised token that does not start a sentence: it is
    context for its neighbours but never scored itself.
    """
    n = len(ids)
    seq = np.empty(3 * n + 2, dtype=np.int32)
    where = np.empty(3 * n + 2, dtype=np.int64)
    name = np.zeros(3 * n + 2, dtype=np.bool_)
    k = 0
    seq[k] = bos
    where[k] = -1
    k += 1
    for i in range(n):
        if i > 0:
            g = gap_cls[i]
            if g == 1:
                seq[k] = eos
                where[k] = -1
                seq[k + 1] = bos
                where[k + 1] = -1
                k += 2
            elif g == 2 and seq[k - 1] != -1:
                seq[k] = -1
                where[k] = -1
                k += 1
        seq[k] = ids[i]
        where[k] = i
        name[k] = caps[i] and seq[k - 1] != bos
        k += 1
    seq[k] = eos
    where[k] = -1
    return seq[: k + 1], where[: k + 1], name[: k + 1]


@dataclass(frozen=True)
class _Raw(_Density):
    n_scored: int
    evidence: float
    margins: np.ndarray
    best_ids: np.ndarray
    where: np.ndarray

    def spans(self, toks: Sequence[str], starts: Sequence[int], ends: Sequence[int]) -> tuple[ContextSpan, ...]:
        words = _model().words
        out = []
        for j in np.flatnonzero(self.margins >= FLAG_MARGIN):
            i = int(self.where[j])
            out.append(
                ContextSpan(
                    int(starts[i]), int(ends[i]), toks[i], words[self.best_ids[j]], round(float(self.margins[j]), 3)
                )
            )
        return tuple(out)


_EMPTY = _Raw(0, 0.0, np.zeros(0, dtype=np.float32), np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int64))


@njit(cache=True, nogil=True)
def _evidence(
    codes,
    starts,
    ends,
    vtab,
    bos,
    eos,
    content,
    table,
    bloom,
    step,
    unigram,
    backoff,
    s_indptr,
    s_ids,
    cap,
    weak_w,
    skip_pmi,
):  # type: ignore[no-untyped-def]
    """_token_info, _build and _scan in one call: margins and best ids per position, positions' tokens, scored, evidence."""
    ids, cls, caps = _token_info(codes, starts, ends, vtab)
    seq, where, name = _build(ids, cls, caps, bos, eos)
    margins, best_ids, n_scored, total = _scan(
        seq, name, content, table, bloom, step, unigram, backoff, s_indptr, s_ids, cap, weak_w, skip_pmi
    )
    return margins, best_ids, where, n_scored, total


def _raw(text: str, starts: Sequence[int], ends: Sequence[int], codes: np.ndarray | None = None) -> _Raw:
    """Scan a tokenisation of ``text`` (:func:`newsqa.signals.spun.tokens`); spans are built only on request.

    ``codes``: the code points of ``text`` (``utf-32-le``, ``surrogatepass``), when the caller has them.
    """
    n = len(starts)
    if not n:
        return _EMPTY
    m = _model()
    if codes is None:
        codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    margins, best_ids, where, n_scored, total = _evidence(
        codes,
        np.asarray(starts, dtype=np.int64),
        np.asarray(ends, dtype=np.int64),
        m.vtab,
        m.bos,
        m.eos,
        m.content,
        m.table,
        m.bloom,
        m.step,
        m.unigram,
        m.backoff,
        m.s_indptr,
        m.s_ids,
        MARGIN_CAP,
        WEAK_CONTEXT_WEIGHT,
        SKIP_PMI,
    )
    return _Raw(int(n_scored), float(total), margins, best_ids, where)


def context_evidence(text: str) -> ContextEvidence:
    """Score every content word of ``text`` against its synonyms in context.

    Args:
        text: Any string.

    Returns:
        The number of words scored, their summed evidence and the words a
        synonym fits at least ``10 ** FLAG_MARGIN`` times better.

    >>> context_evidence("Prices rose sharply on Monday.").spans
    ()
    """
    toks, starts, ends, _ = token_arrays(text)
    raw = _raw(text, starts, ends)
    return ContextEvidence(raw.n_scored, raw.evidence, raw.spans(toks, starts, ends))
