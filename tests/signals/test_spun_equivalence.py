"""Oracle: the spun-text signal before the compiled token pass, copied verbatim, against the current one.

The old implementation (``_words.tokens`` of regular expressions and
per-token Python lookups in ``_Detector._scan_tokens``; the context model's
kernels as they were) is kept here as it stood, and every test asserts the
current code gives exactly the same tokens, flags and signals.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate
from types import MappingProxyType

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numba import njit

from newsqa.model import Flag
from newsqa.signals import SignalOutput, _words, spun_context
from newsqa.signals._spun_tokens import _word_chars, token_arrays
from newsqa.signals.spun import (
    _AD_CONTEXT,
    _AFTER_VISIT_NOUN,
    _CHIEF_NOT_BEFORE,
    _NOT_POSSESSIVE,
    _NUMBER_BEFORE,
    _NUMBER_UNITS,
    _NUMBER_WORDS,
    _POSSESSIVES,
    _SPINTAX,
    _UNITS_AFTER_SQ,
    _VISIT_ADJECTIVES,
    AD_LABEL_WEIGHT,
    CONTEXT_WEIGHT,
    DEFAULT_THRESHOLD,
    GO_TO_WEIGHT,
    NUMBER_WEIGHT,
    SPINTAX_WEIGHT,
    STRONG_WEIGHT,
    SUPPORT_WINDOW,
    Entry,
    _default,
    _Detector,
    _Hit,
    _key,
    _match_case,
    lexicon,
    spun,
    unspin,
)

from ..strategies import any_text
from .conftest import SPUN_SEED, lexicon_halves

# ---------------------------------------------------------------- old tokens

_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_TOKEN_SPLIT = re.compile(r"([^\W_]+(?:['’][^\W_]+)*)")


def old_tokens(text: str) -> tuple[list[str], list[int], list[int]]:
    low = text.lower().replace("’", "'")
    if len(low) == len(text):
        parts = _TOKEN_SPLIT.split(low)
        toks = parts[1::2]
        offs = list(accumulate(map(len, parts)))
        return toks, offs[0 : 2 * len(toks) : 2], offs[1 : 2 * len(toks) : 2]
    ms = list(_TOKEN.finditer(text))
    return (
        [m.group().lower().replace("’", "'") for m in ms],
        [m.start() for m in ms],
        [m.end() for m in ms],
    )


# ------------------------------------------------------- old context model


class _OldDensity:
    __slots__ = ()
    n_scored: int
    evidence: float

    @property
    def density(self) -> float:
        return self.evidence * 1000.0 / self.n_scored if self.n_scored else 0.0

    @property
    def excess(self) -> float:
        if self.n_scored < spun_context.MIN_SCORED_WORDS:
            return 0.0
        return max(0.0, self.density - spun_context.CONTEXT_BASELINE)


@dataclass(frozen=True)
class _OldRaw(_OldDensity):
    n_scored: int
    evidence: float
    margins: np.ndarray
    best_ids: np.ndarray
    where: np.ndarray

    def spans(self, toks, starts, ends):  # type: ignore[no-untyped-def]
        words = spun_context._model().words
        out = []
        for j in np.flatnonzero(self.margins >= spun_context.FLAG_MARGIN):
            i = int(self.where[j])
            out.append(
                spun_context.ContextSpan(
                    starts[i],
                    ends[i],
                    toks[i],
                    words[self.best_ids[j]],
                    round(float(self.margins[j]), 3),
                )
            )
        return tuple(out)


_OLD_EMPTY = _OldRaw(
    0,
    0.0,
    np.zeros(0, dtype=np.float32),
    np.zeros(0, dtype=np.int32),
    np.zeros(0, dtype=np.int64),
)


@njit(cache=False, nogil=True, inline="always")
def _lp(a, b, table, step, unigram, backoff):  # type: ignore[no-untyped-def]
    """log10 P(b | a): the bigram's own probability, else back-off weight of a plus P(b)."""
    key = np.uint64(a * spun_context._ROW + b)
    j = np.int64((key * spun_context._MIX) >> np.uint64(64 - spun_context._HASH_BITS))
    mask = len(table) - 1
    while True:
        slot = table[j]
        if slot == spun_context._EMPTY_SLOT:
            return backoff[a] + unigram[b]
        if (slot >> np.uint64(8)) == key:
            return -step * np.float32(slot & np.uint64(0xFF))
        j = (j + 1) & mask


@njit(cache=False, nogil=True)
def _scan(
    seq,
    name,
    content,
    table,
    step,
    unigram,
    backoff,
    s_indptr,
    s_ids,
    cap,
    weak_w,
    skip_pmi,
):  # type: ignore[no-untyped-def]
    n = len(seq)
    margins = np.zeros(n, dtype=np.float32)
    best_ids = np.full(n, -1, dtype=np.int32)
    n_scored = 0
    total = 0.0
    for i in range(1, n - 1):
        w = seq[i]
        if w < 0 or not content[w] or name[i]:
            continue
        a = seq[i - 1]
        c = seq[i + 1]
        if a < 0 or c < 0:
            continue
        n_scored += 1
        l1 = _lp(a, w, table, step, unigram, backoff)
        l2 = _lp(w, c, table, step, unigram, backoff)
        fit = l1 + l2
        pmi = (l1 - unigram[w]) + (l2 - unigram[c])
        best = -1e9
        best_id = -1
        for k in range(s_indptr[w], s_indptr[w + 1] if pmi < skip_pmi else s_indptr[w]):
            x = s_ids[k]
            f = _lp(a, x, table, step, unigram, backoff) + _lp(x, c, table, step, unigram, backoff)
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


@njit(cache=False, nogil=True, inline="always")
def _word_hash(codes, lo, hi):  # type: ignore[no-untyped-def]
    """FNV-1a over the code points of a token, A-Z lower-cased and the curly apostrophe made straight."""
    h = spun_context._FNV_OFFSET
    for k in range(lo, hi):
        c = codes[k]
        if 65 <= c <= 90:
            c += 32
        elif c == 0x2019:
            c = 39
        h = (h ^ np.uint64(c)) * spun_context._FNV_PRIME
    return h


_OLD_VOCAB_BITS = 18


@njit(cache=False)
def _old_vocab_table(codes, offsets, bits):  # type: ignore[no-untyped-def]
    size = 1 << bits
    keys = np.zeros(size, dtype=np.uint64)
    ids = np.full(size, -1, dtype=np.int32)
    mask = size - 1
    for w in range(len(offsets) - 1):
        h = _word_hash(codes, offsets[w], offsets[w + 1])
        j = np.int64(h >> np.uint64(64 - bits))
        while ids[j] != -1:
            if keys[j] == h:
                raise ValueError("two vocabulary words share a 64-bit hash")
            j = (j + 1) & mask
        keys[j] = h
        ids[j] = w
    return keys, ids


@lru_cache(maxsize=1)
def _old_vocab() -> tuple[np.ndarray, np.ndarray]:
    """The context model's vocabulary table as it was (two arrays, 2**18 slots)."""
    words = spun_context._model().words
    offsets = np.zeros(len(words) + 1, dtype=np.int64)
    offsets[1:] = np.cumsum([len(w) for w in words])
    joined = np.frombuffer("".join(words).encode("utf-32-le"), dtype=np.uint32)
    return _old_vocab_table(joined, offsets, _OLD_VOCAB_BITS)


@njit(cache=False, nogil=True)
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


@njit(cache=False, nogil=True)
def _token_info(codes, starts, ends, vkeys, vids):  # type: ignore[no-untyped-def]
    """Per token: model id (-1 unknown), the gap before it (0 runs on, 1 sentence end, 2 other), capitalised."""
    n = len(starts)
    ids = np.full(n, -1, dtype=np.int32)
    cls = np.zeros(n, dtype=np.int8)
    caps = np.zeros(n, dtype=np.bool_)
    mask = len(vkeys) - 1
    shift = np.uint64(64 - _OLD_VOCAB_BITS)
    for i in range(n):
        lo = starts[i]
        h = _word_hash(codes, lo, ends[i])
        j = np.int64(h >> shift)
        while vids[j] != -1:
            if vkeys[j] == h:
                ids[i] = vids[j]
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


@njit(cache=False, nogil=True)
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


def old_context_raw(text: str, starts: Sequence[int], ends: Sequence[int]) -> _OldRaw:
    """Scan a tokenisation of ``text`` (:func:`newsqa.signals.spun.tokens`); spans are built only on request."""
    n = len(starts)
    if not n:
        return _OLD_EMPTY
    m = spun_context._model()
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    ids, cls, caps = _token_info(
        codes,
        np.asarray(starts, dtype=np.int64),
        np.asarray(ends, dtype=np.int64),
        *_old_vocab(),
    )
    seq, where, name = _build(ids, cls, caps, m.bos, m.eos)
    margins, best_ids, n_scored, total = _scan(
        seq,
        name,
        m.content,
        m.table,
        m.step,
        m.unigram,
        m.backoff,
        m.s_indptr,
        m.s_ids,
        spun_context.MARGIN_CAP,
        spun_context.WEAK_CONTEXT_WEIGHT,
        spun_context.SKIP_PMI,
    )
    return _OldRaw(int(n_scored), float(total), margins, best_ids, where)


# ------------------------------------------------------------ old detector


class OldDetector:
    """Lexicon lookup plus the context rules; immutable once built.

    Args:
        entries: Lexicon entries; later duplicates of a phrase are ignored.
    """

    __slots__ = ("_first", "_pairs", "_phrases", "_single", "_triggers")

    def __init__(self, entries: Sequence[Entry]) -> None:
        phrases: dict[tuple[str, ...], tuple[str, float, bool]] = {}
        first: dict[str, int] = {}
        for e in entries:
            tokens, dot = _key(e.spun)
            if not tokens or tokens in phrases:
                continue
            phrases[tokens] = (e.original, e.weight, dot)
            first[tokens[0]] = max(first.get(tokens[0], 0), len(tokens))
        self._phrases = phrases
        self._first = first
        self._pairs = frozenset(k[:2] for k in phrases if len(k) > 1)
        self._single = frozenset(k[0] for k in phrases if len(k) == 1)
        self._triggers = frozenset(first) | {"go", "commercial"} | frozenset(_NUMBER_WORDS)

    def hits(self, text: str) -> list[_Hit]:
        """All accepted hits of ``text``, sorted and non-overlapping."""
        return self._scan(text)[0]

    def _scan(self, text: str) -> tuple[list[_Hit], int]:
        """Accepted hits and the number of word tokens of ``text``."""
        return self._scan_tokens(text, *old_tokens(text))

    def _scan_tokens(self, text: str, toks: list[str], starts: list[int], ends: list[int]) -> tuple[list[_Hit], int]:
        n = len(toks)
        hits: list[_Hit] = []
        # spintax first: tokens inside it are not looked at again
        blocked: list[tuple[int, int]] = []
        if "{" in text:
            for m in _SPINTAX.finditer(text):
                choice = m.group()[1:-1].split("|")[0].strip()
                blocked.append(m.span())
                hits.append(
                    _Hit(
                        m.start(),
                        m.end(),
                        "spintax",
                        SPINTAX_WEIGHT,
                        choice,
                        bisect_left(starts, m.start()),
                    )
                )

        def joined(
            j: int,
        ) -> bool:  # tokens j and j+1 separated by white space or one hyphen
            gap = text[ends[j] : starts[j + 1]]
            return gap == "-" or (gap != "" and gap.isspace())

        triggers = self._triggers
        pairs = self._pairs
        b = 0
        nxt = 0  # first token not inside an accepted hit
        for i in [i for i, t in enumerate(toks) if t in triggers]:
            if i < nxt:
                continue
            if blocked:
                s = starts[i]
                while b < len(blocked) and blocked[b][1] <= s:
                    b += 1
                if b < len(blocked) and blocked[b][0] <= s:
                    continue
            tok = toks[i]
            hit = None
            if tok in self._first and (
                # most triggers ("the", "of") only start longer phrases: look
                # further only when the next token can continue one
                tok in self._single
                or tok.endswith("'s")
                or (i + 1 < n and ((tok, toks[i + 1]) in pairs or (tok, toks[i + 1].removesuffix("'s")) in pairs))
            ):
                hit = self._lexicon_hit(text, toks, starts, ends, i, joined)
            if hit is None and tok == "go":
                hit = self._go_to(text, toks, starts, ends, i, joined)
            if hit is None and tok in _NUMBER_WORDS:
                hit = self._number(text, toks, starts, ends, i, joined)
            if hit is None and tok == "commercial":
                hit = self._ad_label(text, starts[i], ends[i], i)
            if hit is not None:
                hits.append(hit)
                nxt = hit.token
        hits.sort(key=lambda h: h.start)
        return _supported(hits), n

    def _lexicon_hit(self, text, toks, starts, ends, i, joined) -> _Hit | None:  # type: ignore[no-untyped-def]
        n = len(toks)
        tok = toks[i]
        reach = 1
        if i + 1 < n:
            second = toks[i + 1]
            if (
                (tok, second) in self._pairs or (second.endswith("'s") and (tok, second[:-2]) in self._pairs)
            ) and joined(i):
                longest = min(self._first[tok], n - i)
                reach = 2  # how far the tokens stay joined
                while reach < longest and joined(i + reach - 1):
                    reach += 1
        for k in range(reach, 0, -1):
            last = toks[i + k - 1]
            key = tuple(toks[i : i + k])
            end = ends[i + k - 1]
            found = self._phrases.get(key)
            if found is None and last.endswith("'s") and len(last) > 2:
                found = self._phrases.get(key[:-1] + (last[:-2],))
                end -= 2
            if found is None:
                continue
            original, weight, dot = found
            if dot:
                if text[end : end + 1] != ".":
                    continue
                nxt = toks[i + k] if i + k < n else ""
                if nxt in _UNITS_AFTER_SQ or (i > 0 and toks[i - 1].isdigit()):
                    continue  # "500 sq. ft"
                end += 1
            if key[-1] == "chief" and i + k < n and toks[i + k] in _CHIEF_NOT_BEFORE:
                continue
            return _Hit(starts[i], end, "lexicon", weight, original, i + k)
        return None

    @staticmethod
    def _go_to(text, toks, starts, ends, i, joined) -> _Hit | None:  # type: ignore[no-untyped-def]
        n = len(toks)
        if i + 1 >= n or i == 0 or toks[i + 1] != "to" or not text[ends[i] : starts[i + 1]].isspace():
            return None
        p = i - 1
        if toks[p] in _VISIT_ADJECTIVES and p > 0 and joined(p - 1) and joined(p):
            p -= 1
        prev = toks[p]
        gap_before = text[ends[p] : starts[p + 1]]
        possessive = (
            (prev.endswith("'s") and prev not in _NOT_POSSESSIVE)
            or prev in _POSSESSIVES
            or (prev.endswith("s") and gap_before[:1] in ("'", "’") and gap_before[1:].isspace())
        )
        if not possessive or not (gap_before.isspace() or gap_before[:1] in ("'", "’")):
            return None
        after = text[ends[i + 1] : starts[i + 2]] if i + 2 < n else text[ends[i + 1] :]
        stripped = after.strip()
        if stripped:
            if stripped[0] not in ",.;:)—–!?":
                return None
        elif i + 2 < n and toks[i + 2] not in _AFTER_VISIT_NOUN:
            return None
        return _Hit(starts[i], ends[i + 1], "possessive_go_to", GO_TO_WEIGHT, "visit", i + 2)

    @staticmethod
    def _number(text, toks, starts, ends, i, joined) -> _Hit | None:  # type: ignore[no-untyped-def]
        if i + 1 >= len(toks) or not joined(i) or text[ends[i] : starts[i + 1]] == "-":
            return None
        nxt = toks[i + 1]
        if nxt in _NUMBER_UNITS or not nxt.isalpha() or not text[starts[i + 1]].islower():
            return None
        if i > 0 and toks[i - 1] in _NUMBER_BEFORE and joined(i - 1) and text[ends[i - 1] : starts[i]] != "-":
            pass
        else:
            before = text[max(0, starts[i] - 3) : starts[i]].rstrip(" \t")
            at_start = before == "" or before[-1:] in ".!?\n\r"
            if not (at_start and (nxt.endswith("s") or nxt in {"men", "people", "children", "women"})):
                return None
        return _Hit(
            starts[i],
            ends[i],
            "number_for_word",
            NUMBER_WEIGHT,
            _NUMBER_WORDS[toks[i]],
            i + 1,
        )

    @staticmethod
    def _ad_label(text: str, start: int, end: int, i: int) -> _Hit | None:
        # look at most _AD_CONTEXT characters either side (a label line is short)
        lo = max(0, start - _AD_CONTEXT)
        hi = min(len(text), end + _AD_CONTEXT)
        line_start = max(text.rfind("\n", lo, start), text.rfind("\r", lo, start)) + 1 or lo
        nl = [p for p in (text.find("\n", end, hi), text.find("\r", end, hi)) if p >= 0]
        line_end = min(nl) if nl else hi
        before = text[line_start:start].strip()
        after = text[end:line_end].strip()
        dashes = "-–—"
        alone = before == "" and after in ("", ":")
        framed = before[-1:] in tuple(dashes) and after[:1] in tuple(dashes)
        if not (alone or framed):
            return None
        return _Hit(start, end, "ad_label", AD_LABEL_WEIGHT, "advertisement", i + 1)

    def run(self, text: str, threshold: float = DEFAULT_THRESHOLD, *, context: bool = True) -> SignalOutput:
        """The :func:`spun` output of ``text`` with this detector's lexicon (and the context model unless off)."""
        toks, starts, ends = old_tokens(text)
        hits, n_words = self._scan_tokens(text, toks, starts, ends)
        total = sum(h.weight for h in hits)
        lexicon_score = total * 1000.0 / n_words if n_words else 0.0
        ev = old_context_raw(text, starts, ends) if context else None
        score = round(lexicon_score + (CONTEXT_WEIGHT * ev.excess if ev else 0.0), 3)
        is_spun = score >= threshold
        flags = [
            Flag(
                "spun",
                h.start,
                h.end,
                h.reason,
                h.weight,
                MappingProxyType({"original": h.original}),
            )
            for h in hits
        ]
        if ev is not None and is_spun:
            # context spans only in a text judged spun: a single unusual word
            # choice is no evidence (untouched news has a few per article)
            taken = [(h.start, h.end) for h in hits]
            for sp in ev.spans(toks, starts, ends):
                j = bisect_left(taken, (sp.start, sp.start))
                if (j < len(taken) and taken[j][0] < sp.end) or (j > 0 and taken[j - 1][1] > sp.start):
                    continue
                flags.append(
                    Flag(
                        "spun",
                        sp.start,
                        sp.end,
                        "context",
                        sp.margin,
                        MappingProxyType({"original": sp.original}),
                    )
                )
            flags.sort(key=lambda f: f.start)
        return SignalOutput(
            flags=tuple(flags),
            signals={
                "spun_score": score,
                "spun_spans": len(flags),
                "spun": is_spun,
                "spun_context": round(ev.density, 1) if ev is not None else 0.0,
            },
        )


def _supported(hits: list[_Hit]) -> list[_Hit]:
    """Drop weak hits with no strong hit within SUPPORT_WINDOW tokens."""
    strong = [h.token for h in hits if h.weight >= STRONG_WEIGHT]
    if not strong:
        return []
    out = []
    for h in hits:
        if h.weight < STRONG_WEIGHT:
            j = bisect_left(strong, h.token - SUPPORT_WINDOW)
            if j >= len(strong) or strong[j] > h.token + SUPPORT_WINDOW:
                continue
        out.append(h)
    return out


def _supported(hits: list[_Hit]) -> list[_Hit]:
    strong = [h.token for h in hits if h.weight >= STRONG_WEIGHT]
    if not strong:
        return []
    out = []
    for h in hits:
        if h.weight < STRONG_WEIGHT:
            j = bisect_left(strong, h.token - SUPPORT_WINDOW)
            if j >= len(strong) or strong[j] > h.token + SUPPORT_WINDOW:
                continue
        out.append(h)
    return out


_OLD_DEFAULT = OldDetector(lexicon())

# ------------------------------------------------------------- strategies

_LEX_WORDS = sorted(
    {w for e in lexicon() for w in (e.spun, e.original)}
    | {
        "go to",
        "the",
        "his",
        "their",
        "Putin's",
        "let's",
        "visit",
        "Commercial",
        "chief",
        "executive",
        "sq.",
        "ft",
    }
    | {
        "first",
        "is",
        "to",
        "percent",
        "people",
        "men",
        "2",
        "3",
        "9",
        "10",
        "500",
        "World Warfare II",
        "shook",
    }
)
_GAPS = [
    " ",
    "  ",
    "-",
    "--",
    " - ",
    ". ",
    ", ",
    "! ",
    "? ",
    "; ",
    ": ",
    "\n",
    "\r\n",
    "\t",
    "\u00a0",
    "\u2009",
]
_GAPS += [
    "'s ",
    "’s ",
    "' ",
    "’ ",
    "s' ",
    ".",
    "...",
    " (",
    ") ",
    " — ",
    " – ",
    "\n\n",
    "{",
    "|",
    "}",
    " {",
    "} ",
]
_ODD = [
    "ß",
    "İ",
    "ı",
    "Σ",
    "ς",
    "ﬁ",
    "Ǆ",
    "ǅ",
    "ẞ",
    "K",
    "Å",
    "½",
    "⑴",
    "Ⅻ",
    "٣",
    "😀",
    "\ud800",
    "\udfff",
    "é",
    "'",
    "’",
]
_ODD += [
    "_",
    "\u0301",
    "\u200d",
    "\x00",
    "ΑΣ",
    "Straße",
    "İstanbul",
    "\U0001d400",
    "x²",
]


def _case(word: str, how: int) -> str:
    return (word, word.upper(), word.capitalize(), word.title())[how]


_piece = st.one_of(
    st.builds(_case, st.sampled_from(_LEX_WORDS), st.integers(0, 3)),
    st.sampled_from(_ODD),
    st.text(max_size=4),
)
_sentence = st.builds(
    lambda pieces, gaps: "".join(p + g for p, g in zip(pieces, gaps)),
    st.lists(_piece, max_size=40),
    st.lists(st.sampled_from(_GAPS), min_size=40, max_size=40),
)
news_like = st.builds("".join, st.lists(_sentence, max_size=6))


def _same(text: str) -> None:
    expected = old_tokens(text)
    assert _words.tokens(text) == expected
    toks, starts, ends, _ = token_arrays(text)
    assert (toks[:], starts.tolist(), ends.tolist()) == expected
    assert [toks[i] for i in range(len(toks))] == expected[0]
    new, old = spun(text), _OLD_DEFAULT.run(text)
    assert new.flags == old.flags
    assert new.signals == old.signals
    assert type(new.signals["spun_score"]) is type(old.signals["spun_score"])
    for context in (False, True):
        for threshold in (0.0, DEFAULT_THRESHOLD):
            n, o = (
                spun(text, threshold=threshold, context=context),
                _OLD_DEFAULT.run(text, threshold, context=context),
            )
            assert (n.flags, n.signals) == (o.flags, o.signals)
    assert _DEFAULT_NEW.hits(text) == _OLD_DEFAULT.hits(text)
    assert spun_context.context_evidence(text) == spun_context.ContextEvidence(*_old_evidence(text))


def _old_evidence(text: str) -> tuple:
    toks, starts, ends = old_tokens(text)
    raw = old_context_raw(text, starts, ends)
    return raw.n_scored, raw.evidence, raw.spans(toks, starts, ends)


_DEFAULT_NEW = _default()


@given(st.text())
def test_any_text_same_as_before(text):
    _same(text)


@given(any_text)
def test_mixed_text_same_as_before(text):
    _same(text)


@settings(max_examples=300)
@given(news_like)
def test_news_like_text_same_as_before(text):
    _same(text)


@settings(max_examples=40)
@given(news_like, st.integers(0, 1))
def test_other_lexicons_same_as_before(text, half):
    entries = lexicon_halves()[half]
    new, old = _Detector(entries), OldDetector(entries)
    for context in (False, True):
        n, o = new.run(text, 0.0, context=context), old.run(text, 0.0, context=context)
        assert (n.flags, n.signals) == (o.flags, o.signals)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "a",
        "'s",
        "Putin's go to marked the 2 international locations' ties after World Warfare II.",
        "The 2 males shook fingers in Kim Il Sung Sq. on Monday.",
        "İ international locations shook fingers; ΑΣ.Β the 2 males",
        "Straße ẞ KM 500 Sq. ft \ud800 go to\udfff is",
        "{photos|pictures} of the 2 international locations\n\nCommercial\n\n- Commercial -",
        "😀" * 1000 + " international locations " * 30,
        "Putin's go to marked World Warfare II. " * 2000,
    ],
)
def test_fixed_texts_same_as_before(text):
    _same(text)


def test_seeds_same_as_before(seed_texts):
    for text in seed_texts.values():
        _same(text)
    assert unspin(seed_texts[SPUN_SEED]) == "".join(_unspin_parts(seed_texts[SPUN_SEED]))


def _unspin_parts(text: str) -> list[str]:
    parts, pos = [], 0
    for h in _OLD_DEFAULT.hits(text):
        parts += [text[pos : h.start], _match_case(text[h.start : h.end], h.original)]
        pos = h.end
    return parts + [text[pos:]]


@pytest.mark.parametrize(
    "text",
    [
        "Putin's go to marked World Warfare II. " * 3000,
        "😀" * 100_000,
        "\ud800 go to \udfff" * 20_000,
        "İ international locations " * 5000,
        "a’b’c'd " * 20_000 + "x" * 200_000,
        "{a|" * 50_000,
    ],
    ids=["dense-hits", "emoji", "surrogates", "dotted-i", "apostrophes", "braces"],
)
def test_large_texts_same_as_before(text):
    _same(text)


@settings(max_examples=30)
@given(news_like)
def test_empty_and_tiny_lexicons_same_as_before(text):
    for entries in ([], [Entry("shook fingers", "shook hands", 1.0)], [Entry("x's", "y", 0.3), Entry("a b", "c", 1.0)]):
        new, old = _Detector(entries), OldDetector(entries)
        n, o = new.run(text, 0.0, context=False), old.run(text, 0.0, context=False)
        assert (n.flags, n.signals) == (o.flags, o.signals)


def test_word_characters_are_those_of_the_token_pattern():
    table = _word_chars()
    everything = "".join(map(chr, range(0x110000)))
    assert table.tolist() == [1 if c.isalnum() else 0 for c in everything]
    assert table[ord("_")] == 0 and table[ord("'")] == 0 and table[ord("’")] == 0
