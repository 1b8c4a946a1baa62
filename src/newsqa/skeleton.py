"""Spinner-invariant skeletons: link spun copies the lexicon knows nothing about.

A thesaurus spinner replaces content words and leaves alone what it has no
synonyms for: function words, numbers and names. DSpin (Zhang, Wang and
Voelker, "DSpin: Detecting Automatically Spun Content on the Web", NDSS
2014) matched spun pages through exactly those *immutable* words. newsqa
does the same with MinHash: :func:`skeleton` keeps the immutable words of a
text in order and replaces every run of other words with one placeholder,
so "The two leaders shook hands in Kim Il Sung Square on Monday" and its
spun copy "The 2 chiefs shook fingers in Kim Il Sung Sq. on Monday" have
the same skeleton ``the 2 x0 in kim il sung x0 on monday``. Skeleton
5-gram sets of a spun copy and its original stay similar (median Jaccard
0.77 with 20% of the content words substituted) while their surface
5-gram Jaccard falls to about 0.2; unrelated news articles stay below 0.04
(measured on 300 BuzzFeed-Webis articles; see docs/duplicates.md).

Immutable words: :data:`FUNCTION_WORDS` (English determiners, pronouns,
prepositions, conjunctions and auxiliaries: words no spinner dictionary
offers synonyms for), numbers (number words one to twenty are written as
digits, since spinners swap "two" and "2"), and capitalised words that do
not start a sentence (names). Other languages get skeletons made of names
and numbers only, which are usually too short to be used (see
:data:`MIN_SKELETON_SHINGLES` in :mod:`newsqa.clusters`).

>>> skeleton("The two leaders shook hands in Kim Il Sung Square on Monday.")
'the 2 x0 in kim il sung square on monday'
>>> skeleton("The 2 chiefs shook fingers in Kim Il Sung Sq. on Monday.")
'the 2 x0 in kim il sung sq on monday'
"""

from __future__ import annotations

import gzip
import re
from functools import lru_cache
from importlib import resources

import numpy as np
from numba import njit

from .signals._counts import WORD, char_classes, codes

#: Placeholder for a run of content words (a token no text produces after
#: lower-casing except the literal "x0", which is harmless).
PLACEHOLDER = "x0"

#: Function words spinners leave alone. Kept short on purpose: words such as
#: "said", "about" or "very" have thesaurus entries ("stated", "regarding",
#: "extremely") and are spun.
FUNCTION_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "this",
        "that",
        "these",
        "those",
        "i",
        "me",
        "my",
        "mine",
        "we",
        "us",
        "our",
        "ours",
        "you",
        "your",
        "yours",
        "he",
        "him",
        "his",
        "she",
        "her",
        "hers",
        "it",
        "its",
        "they",
        "them",
        "their",
        "theirs",
        "who",
        "whom",
        "whose",
        "which",
        "what",
        "where",
        "when",
        "why",
        "how",
        "of",
        "in",
        "on",
        "at",
        "to",
        "from",
        "by",
        "with",
        "without",
        "into",
        "onto",
        "upon",
        "over",
        "under",
        "for",
        "as",
        "than",
        "and",
        "or",
        "but",
        "nor",
        "if",
        "so",
        "because",
        "while",
        "although",
        "though",
        "whether",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "am",
        "has",
        "have",
        "had",
        "having",
        "do",
        "does",
        "did",
        "done",
        "will",
        "would",
        "shall",
        "should",
        "can",
        "could",
        "may",
        "might",
        "must",
        "not",
        "no",
        "there",
        "here",
        "then",
        "s",
        "t",
        "d",
        "ll",
        "re",
        "ve",
        "m",
    ]
)

NUMBER_WORDS = {
    w: str(i)
    for i, w in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty",
        ]
    )
}
_WORD = re.compile(r"[^\W_]+")
# Sentence ends; words never contain these, so the first word of each piece
# of text between them starts a sentence.
_SENTENCE_END = re.compile(r"[.!?\n]")
# Lower-cased word -> what the skeleton keeps of it (function words as they
# are, number words as digits); one dict probe a word.
_KEEP = {**{w: w for w in FUNCTION_WORDS}, **NUMBER_WORDS}


def skeleton(text: str) -> str:
    """The immutable words of ``text`` in order, runs of other words as ``x0``.

    Linear in the length of the text; never raises on a ``str``. Texts
    whose letters and digits are all below U+0250 (Latin, including the
    mojibake of UTF-8 read as Latin-1) take a compiled pass; the others
    :func:`_skeleton_python`, with the same result.

    >>> skeleton("")
    ''
    >>> skeleton("Officials said 3 people were hurt.")
    'x0 3 x0 were x0'
    """
    if text:
        cps = codes(text)
        keep_codes, blob, offsets = _keep_arrays()
        lower, flags = _latin_tables()
        out = np.empty(2 * cps.shape[0] + 8, dtype=np.uint32)
        n = _skeleton_latin(cps, char_classes(), lower, flags, keep_codes, blob, offsets, out)
        if n >= 0:
            return out[:n].tobytes().decode("utf-32-le")
    return _skeleton_python(text)


# The compiled pass knows ``str.lower``, ``isupper`` and ``isdecimal`` of the
# code points below this one (tables from Python itself); a word with any
# other code point sends the text to the Python version.
_LATIN_END = 0x250
_UPPER, _DECIMAL = 1, 2


@lru_cache(maxsize=1)
def _latin_tables() -> tuple[np.ndarray, np.ndarray]:
    """``lower[c]``: ``ord(chr(c).lower())``, or -1 where that is not one
    character; ``flags[c]``: ``_UPPER`` if ``chr(c).isupper()``, ``_DECIMAL``
    if ``chr(c).isdecimal()``."""
    lower = np.full(_LATIN_END, -1, dtype=np.int64)
    flags = np.zeros(_LATIN_END, dtype=np.uint8)
    for c in range(_LATIN_END):
        ch = chr(c)
        if len(ch.lower()) == 1:
            lower[c] = ord(ch.lower())
        flags[c] = (_UPPER if ch.isupper() else 0) | (_DECIMAL if ch.isdecimal() else 0)
    return lower, flags


def _keep_code(word: str) -> int:
    """A lower-case ASCII word of at most 9 letters as a number (base 27, a=1): unique per word."""
    code = 0
    for ch in word:
        code = code * 27 + (ord(ch) - 96)
    return code


@lru_cache(maxsize=1)
def _keep_arrays() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:data:`_KEEP` for the compiled pass: sorted word codes, and what each keeps (code points, offsets)."""
    assert all(w.isascii() and w.isalpha() and w.islower() and len(w) <= 9 for w in _KEEP)
    words = sorted(_KEEP, key=_keep_code)
    keep_codes = np.array([_keep_code(w) for w in words], dtype=np.int64)
    blob = np.array([ord(ch) for w in words for ch in _KEEP[w]], dtype=np.uint32)
    offsets = np.zeros(len(words) + 1, dtype=np.int64)
    np.cumsum([len(_KEEP[w]) for w in words], out=offsets[1:])
    return keep_codes, blob, offsets


@njit(cache=True)
def _skeleton_latin(s, table, lower, flags, keep_codes, blob, offsets, out):  # type: ignore[no-untyped-def]
    """:func:`_skeleton_python` over code points ``s`` into ``out``; its length,
    or -1 at the first word with a code point of :data:`_LATIN_END` or more
    or one whose ``lower`` is not one character (the caller then runs the
    Python version). Words are runs of ``\\w`` without ``_`` (``table``:
    ``re``'s classes); ``.``, ``!``, ``?`` and newline end a sentence."""
    n = s.shape[0]
    o = 0
    first = True
    placeholder = False
    i = 0
    while i < n:
        c = s[i]
        if c == 46 or c == 33 or c == 63 or c == 10:
            first = True
            i += 1
            continue
        if c == 95 or (table[c] & WORD) == 0:
            i += 1
            continue
        j = i
        while j < n:
            d = s[j]
            if d == 95 or (table[d] & WORD) == 0:
                break
            if d >= 0x250 or lower[d] < 0:
                return -1
            j += 1
        # a word of known code points: is it a kept word, a number, a name?
        code = 0
        ascii_letters = j - i <= 9
        decimal = True
        for k in range(i, j):
            d = s[k]
            if (flags[d] & 2) == 0:
                decimal = False
            low = lower[d]
            if 97 <= low <= 122 and d < 128:
                code = code * 27 + (low - 96)
            else:
                ascii_letters = False
        kept = -1
        if ascii_letters:
            pos = np.searchsorted(keep_codes, code)
            if pos < keep_codes.shape[0] and keep_codes[pos] == code:
                kept = pos
        if kept >= 0 or decimal or (not first and (flags[s[i]] & 1) != 0):
            if o > 0:
                out[o] = 32
                o += 1
            if kept >= 0:
                for k in range(offsets[kept], offsets[kept + 1]):
                    out[o] = blob[k]
                    o += 1
            else:
                for k in range(i, j):
                    out[o] = lower[s[k]]
                    o += 1
            placeholder = False
        elif not placeholder:
            if o > 0:
                out[o] = 32
                o += 1
            out[o] = 120  # "x0"
            out[o + 1] = 48
            o += 2
            placeholder = True
        first = False
        i = j
    return o


def _skeleton_python(text: str) -> str:
    """:func:`skeleton` in Python: the definition, and the path for texts
    with a non-ASCII letter or digit (``lower`` and ``isupper`` of any
    script)."""
    out: list[str] = []
    append = out.append
    keep = _KEEP
    placeholder = False
    for piece in _SENTENCE_END.split(text):
        for i, word in enumerate(_WORD.findall(piece)):
            low = word.lower()
            kept = keep.get(low)
            if kept is None and (low.isdecimal() or (i and word[0].isupper())):
                kept = low
            if kept is not None:
                append(kept)
                placeholder = False
            elif not placeholder:
                append(PLACEHOLDER)
                placeholder = True
    return " ".join(out)


#: log10 of the count given to a word missing from the frequency table
#: (the table's rarest word, "bunsen", has 5.11).
_UNKNOWN_LOG_FREQ = 5.0


@lru_cache(maxsize=1)
def _log_freq() -> dict[str, float]:
    """English word -> log10 count (``data/word_freq_en.tsv.gz``)."""
    table: dict[str, float] = {}
    raw = resources.files("newsqa").joinpath("data/word_freq_en.tsv.gz").read_bytes()
    for line in gzip.decompress(raw).decode("utf-8").splitlines():
        if line and not line.startswith("#"):
            word, value = line.split("\t")
            table[word] = float(value)
    return table


def word_rarity(text: str) -> float:
    """Mean rarity of the content words of ``text``: how far below the most
    common English words (log10 count 10.4, "the") they are, on average.

    Spinners swap words for synonyms without regard to how common they are,
    so of two versions of one text the spun one uses rarer words ("deuce
    countries" for "two countries"). The value only compares versions of
    one text; it is too noisy to judge a single article (docs/signals.md).

    >>> word_rarity("The two countries signed a deal.") < word_rarity("The deuce countries sign a covenant.")
    True
    >>> word_rarity("")
    0.0
    """
    freq = _log_freq()
    total = 0.0
    n = 0
    for m in _WORD.finditer(text):
        low = m.group().lower()
        if low in FUNCTION_WORDS or low.isdecimal():
            continue
        total += 10.4 - freq.get(low, _UNKNOWN_LOG_FREQ)
        n += 1
    return total / n if n else 0.0
