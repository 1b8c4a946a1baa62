"""Language identification with langdetect, deterministic and offline.

langdetect (a port of Google's language-detection: naive Bayes over
character 1-3-grams, 55 language profiles shipped inside the package) runs
7 trials that each multiply the language probabilities by those of n-grams
drawn *at random* from the text. Its module-level ``detect()`` uses a shared
factory whose seed is the class attribute ``DetectorFactory.seed`` (``None``:
a fresh random seed per call), so two runs can disagree on short or mixed
texts; the documented fix, ``DetectorFactory.seed = 0``, changes global
state that other code in the process may rely on.

What this module does instead:

* it loads langdetect's profiles once per process (lazily, then cached)
  through its own ``DetectorFactory`` instance, reading the profile files
  **in sorted order** (langdetect uses ``os.listdir`` order, which depends
  on the file system); ``DetectorFactory.seed`` and langdetect's shared
  factory are never touched. The factory's n-gram -> probabilities map is
  then packed into a read-only numpy matrix (one row per n-gram, about
  38 MB, less than the dict of lists it replaces) and the factory dropped;
* it replays ``Detector.get_probabilities`` step for step: the same text
  preparation (``append``, ``cleaning_text``); the same n-grams in the same
  order (``_extract_ngrams``, here a hash-table lookup in a compiled
  kernel); the same random numbers (CPython's Mersenne Twister, started from
  ``random.Random(SEED).getstate()`` and advanced in the kernel exactly as
  ``random.choice`` and ``random.gauss`` consume it); and the same
  floating-point operations in the same order (no fast-math; the
  normalising sum is sequential before Python 3.12 and Neumaier-compensated
  from 3.12, as the built-in ``sum`` is). The tests check the result equals
  that of langdetect's own ``Detector`` seeded with :data:`SEED`, bit for
  bit (checked on Pythons 3.11, 3.12 and 3.13). On a 500-word article it
  takes about 0.07 ms (``benchmarks/bench_signal_costs.py``), against
  12.7 ms for ``langdetect.detect`` on the whole text
  (``benchmarks/bench_signals_basic.py``);
* it reads a bounded sample: the first :data:`SAMPLE_CHARS` characters of
  the text once URLs are removed and whitespace runs collapsed (see
  :func:`sample`).

So the result is a pure function of the text: the same in every run,
process and machine (Python specifies ``random.Random(0)``'s stream, and no
hash order is involved). Nothing is downloaded: the profiles ship inside
the langdetect wheel.

Codes are langdetect's: ISO 639-1 (``en``, ``de``, ``es``, ``fr``, ``pl``,
...) except ``zh-cn`` and ``zh-tw``.

>>> language("Kim Jong Un met the Russian defence minister in Pyongyang on Wednesday.").signals["language"]
'en'
>>> language("").signals
{'language': None, 'language_prob': 0.0}
"""

from __future__ import annotations

import functools
import math
import os
import random
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from numba import njit

from . import Signal, SignalOutput

__all__ = ["language"]

# A paragraph or two is plenty for a character n-gram model (language-
# detection's author reports over 99% precision for 53 languages; its known
# weakness is texts of a few words, not of a few hundred characters), and a
# bounded sample keeps the cost per article constant whatever its length
# (the n-gram extraction is linear in the sample; langdetect itself would
# read up to 10,000 characters). 1,000 characters is a lede paragraph or two.
SAMPLE_CHARS = 1000
# The seed of every detection. Any fixed value makes results reproducible;
# 0 is the one langdetect's README suggests.
SEED = 0
# Decimal places of the reported probability.
ROUND_DIGITS = 4

# langdetect 1.0.9 Detector constants (detector.py), restated so that the
# replay does not depend on a Detector instance.
N_TRIAL = 7  # Detector.__init__: self.n_trial
MAX_TEXT_LENGTH = 10000  # Detector.__init__: self.max_text_length
ALPHA_DEFAULT = 0.5
ALPHA_WIDTH = 0.05
ITERATION_LIMIT = 1000
PROB_THRESHOLD = 0.1
CONV_THRESHOLD = 0.99999
BASE_FREQ = 10000

# Python's UTF-32 in this machine's byte order (numba reads native arrays).
_UTF32 = "utf-32-le" if sys.byteorder == "little" else "utf-32-be"
_SHIFT = 21  # bits per code point in an n-gram key (max U+10FFFF)
_NO_KEY = np.uint64(2**64 - 1)  # above every 3-gram key (< 2**63)
_U32 = np.uint32
_U64 = np.uint64
_HASH_MULT = np.uint64(0x9E3779B97F4A7C15)  # Fibonacci hashing (2**64 / golden ratio)
_TWOPI = 2.0 * math.pi  # random.TWOPI
# Python 3.12 made sum() of floats compensated (Neumaier); langdetect's
# normalisation uses sum(), so the replay follows the running Python.
_COMPENSATED_SUM = sys.version_info >= (3, 12)

# URLs are Latin-script noise in any language: a link-heavy page reads as
# English. The first character class is a cheap scan anchor; then literal
# text and one \S+ with nothing after it to backtrack into: linear.
_URL_RE = re.compile(r"[hHwW](?:(?<=[hH])[tT][tT][pP][sS]?://|(?<=[wW])[wW][wW]\.)\S+")
_NONSPACE_RE = re.compile(r"\S*")
_SPACES_RE = re.compile(r" +")
_WHITESPACE_RE = re.compile(r"\s+")
_LATIN_RE = re.compile(r"[A-z]")
# Some profiles hold non-letters as 1-grams (U+3000 IDEOGRAPHIC SPACE is a
# "Japanese" 1-gram), so langdetect names a language for "\u3000" with
# probability 1.0; a sample without a single letter gets None instead.
_LETTER_RE = re.compile(r"[^\W\d_]")
# Detector.append's regexes can only match text holding these.
_VI_MARKS_RE = re.compile("[\u0300\u0301\u0303\u0309\u0323]")


def _collapse_whitespace(piece: str) -> str:
    """``_WHITESPACE_RE.sub(" ", piece)``: each run of whitespace made one space.

    ``str.split()`` splits on the same characters as ``\\s`` (both ask
    ``Py_UNICODE_ISSPACE``; a test checks every code point) and builds
    far fewer objects than ``re.sub`` with a match per space.
    """
    if not piece:
        return piece
    core = " ".join(piece.split())
    if not core:
        return " "
    if piece[0].isspace():
        core = " " + core
    if piece[-1].isspace():
        core += " "
    return core


def sample(text: str) -> str:
    """The part of ``text`` that is detected: at most :data:`SAMPLE_CHARS` characters.

    URLs are dropped, runs of whitespace become one space (so a link list or
    a blank-line-heavy page does not fill the sample with spaces), and
    leading whitespace goes. Reads only as far into ``text`` as needed to
    fill the sample, plus the rest of a URL that starts inside it.

    >>> sample("See https://example.com/a?b=c now,\\n\\n  www.example.org  then")
    'See now, then'
    """
    out: list[str] = []
    size = 0
    after_space = True
    pos = 0
    n = len(text)
    while size < SAMPLE_CHARS and pos < n:
        window_end = min(n, pos + SAMPLE_CHARS - size)
        match = _URL_RE.search(text, pos, window_end)
        stop = window_end if match is None else match.start()
        piece = _collapse_whitespace(text[pos:stop])
        if after_space and piece[:1] == " ":
            piece = piece[1:]
        if piece:
            out.append(piece)
            size += len(piece)
            after_space = piece[-1] == " "
        if match is None:
            pos = stop
        else:
            if not after_space:
                out.append(" ")
                size += 1
                after_space = True
            # the match stopped at the window's end: skip the rest of the URL
            pos = _NONSPACE_RE.match(text, match.end()).end()  # type: ignore[union-attr]
    return "".join(out)[:SAMPLE_CHARS]


_UNKNOWN = np.uint32(0xFFFFFFFF)  # a code point not normalised yet
_MAX_CODE_POINT = 0x110000


class _CharTables:
    """langdetect's ``NGram.normalize`` of every code point, and ``str.isupper``
    of the result, filled as code points are first met (pure functions of
    the character: the tables never change a result).

    ``normalized``: ``uint32[0x110000]``, :data:`_UNKNOWN` where not filled;
    ``upper``: ``uint8[0x110000]``, set with the normalised character's entry.
    """

    def __init__(self) -> None:
        self.normalized = np.full(_MAX_CODE_POINT, _UNKNOWN, dtype=np.uint32)
        self.upper = np.zeros(_MAX_CODE_POINT, dtype=np.uint8)

    def fill(self, points: Iterable[int]) -> None:
        from langdetect.utils.ngram import NGram  # type: ignore[import-untyped]

        for cp in points:
            ch: str = NGram.normalize(chr(cp))
            nc = ord(ch)
            self.upper[nc] = ch.isupper()
            self.normalized[cp] = nc


@dataclass(frozen=True)
class _Model:
    langs: tuple[str, ...]
    table: (
        np.ndarray
    )  # open-addressing hash table: rows (n-gram key or _NO_KEY, its row in matrix)
    matrix: np.ndarray  # n-grams x languages, P(n-gram | language), read-only
    mt_state: np.ndarray  # random.Random(SEED)'s Mersenne Twister state (624 words)
    mt_index: int
    chars: _CharTables


def _codes(text: str) -> np.ndarray:
    """Code points of ``text`` (lone surrogates included) as uint64."""
    return np.frombuffer(
        text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32
    ).astype(np.uint64)


def _gram_key(gram: str) -> int:
    key = 0
    for ch in gram:
        key = (key << _SHIFT) | ord(ch)
    return key


@njit(cache=True, inline="always")
def _slot(key, mask):  # pragma: no cover - compiled
    return np.intp(((key * _HASH_MULT) >> _U64(32)) & mask)


@njit(cache=True)
def _build_table(keys):  # pragma: no cover - compiled
    """Linear-probing table of ``keys`` (distinct) at load factor <= 1/4."""
    size = 1
    while size < 4 * keys.size:
        size *= 2
    mask = _U64(size - 1)
    # key and row side by side: a probe reads one cache line
    table = np.empty((size, 2), dtype=np.uint64)
    table[:, 0] = _NO_KEY
    for row in range(keys.size):
        at = _slot(keys[row], mask)
        while table[at, 0] != _NO_KEY:
            at = (at + 1) & (size - 1)
        table[at, 0] = keys[row]
        table[at, 1] = row
    return table


@njit(cache=True, inline="always")
def _find(table, key):  # pragma: no cover - compiled
    size = table.shape[0]
    at = _slot(key, _U64(size - 1))
    while True:
        k = table[at, 0]
        if k == key:
            return np.int64(table[at, 1])
        if k == _NO_KEY:
            return -1
        at = (at + 1) & (size - 1)


@njit(cache=True)
def _extract(codes, upper, table):  # pragma: no cover - compiled
    """Rows of the profile n-grams ending at positions 1.. of ``codes`` (see _ngram_rows)."""
    n = codes.size
    out = np.empty(3 * n, dtype=np.int64)
    m = 0
    for i in range(1, n):
        if upper[i] and upper[i - 1]:
            continue
        c = codes[i]
        r = _find(table, c)
        if r >= 0:
            out[m] = r
            m += 1
        k2 = (codes[i - 1] << _U64(_SHIFT)) | c
        r = _find(table, k2)
        if r >= 0:
            out[m] = r
            m += 1
        if i >= 2:
            r = _find(table, (codes[i - 2] << _U64(2 * _SHIFT)) | k2)
            if r >= 0:
                out[m] = r
                m += 1
    return out[:m]


@functools.lru_cache(maxsize=1)
def _model() -> _Model:
    """langdetect's profiles, loaded through a private factory in sorted file order."""
    from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory  # type: ignore[import-untyped]

    names = sorted(n for n in os.listdir(PROFILES_DIRECTORY) if not n.startswith("."))
    profiles = []
    for name in names:
        with open(os.path.join(PROFILES_DIRECTORY, name), encoding="utf-8") as fh:
            profiles.append(fh.read())
    factory = DetectorFactory()
    factory.load_json_profile(profiles)
    grams = factory.word_lang_prob_map
    matrix = np.array(list(grams.values()), dtype=np.float64)
    matrix.setflags(write=False)
    # 1-, 2- and 3-grams get disjoint key ranges: a 2-gram's first character
    # is at least U+0020, so its key is >= 2**21 > any 1-gram key, and so on.
    keys = np.array([_gram_key(g) for g in grams], dtype=np.uint64)
    if (
        np.unique(keys).size != keys.size or (keys == _NO_KEY).any()
    ):  # pragma: no cover - profile data check
        raise RuntimeError(
            "langdetect profiles: n-gram keys collide; the packed table would be wrong"
        )
    table = _build_table(keys)
    langs = tuple(factory.get_lang_list())
    factory.clear()
    # Detector._detect_block: ``self.random.seed(self.seed)`` on a fresh Random.
    rng = random.Random()
    rng.seed(SEED)
    _version, internal, _gauss_next = rng.getstate()
    mt_state = np.array(internal[:624], dtype=np.uint32)
    mt_state.setflags(write=False)
    return _Model(langs, table, matrix, mt_state, internal[624], _CharTables())


def _prepare(text: str) -> str:
    """``Detector.append`` (on an empty detector) followed by ``Detector.cleaning_text``."""
    from langdetect.detector import Detector  # type: ignore[import-untyped]

    # (each step skipped when it cannot match: same result, less scanning;
    # the URL and e-mail patterns only remove ASCII, so an ASCII text stays
    # ASCII: it has no Vietnamese marks and no character from U+0300 up)
    ascii_only = text.isascii()
    if "http" in text:
        text = Detector.URL_RE.sub(" ", text)
    if "@" in text:
        text = Detector.MAIL_RE.sub(" ", text)
    if not ascii_only and _VI_MARKS_RE.search(text):
        from langdetect.utils.ngram import NGram  # type: ignore[import-untyped]

        text = NGram.normalize_vi(text)
    text = text[:MAX_TEXT_LENGTH]
    if "  " in text:
        text = _SPACES_RE.sub(" ", text)
    # cleaning_text: Latin letters are 'A' <= ch <= 'z' (which also takes
    # [\]^_`); "non-Latin" is every character from U+0300 up (its test
    # ``unicode_block(ch) != 'Latin Extended Additional'`` compares a block
    # number with a string, so it is always true).
    if ascii_only:
        return text
    codes = _codes(text)
    latin = int(np.count_nonzero((codes >= 0x41) & (codes <= 0x7A)))
    if latin * 2 < int(np.count_nonzero(codes >= 0x300)):
        text = _LATIN_RE.sub("", text)
    return text


def _ngram_rows(text: str, model: _Model) -> np.ndarray:
    """Matrix rows of the n-grams ``Detector._extract_ngrams`` returns, in its order.

    NGram.add_char keeps the last 1-3 normalised characters of the current
    word, preceded by one space, and emits the 1-, 2- and 3-gram ending at
    each new character, unless that character and the previous one are both
    upper case ("capital word"); only n-grams in the profiles are kept. With
    the text padded by one leading space those are the 1-3-character slices
    ending at each position: the profiles hold no " ", no "  " and no gram
    with an inner space, so the profile test drops exactly the slices that
    NGram would never form.
    """
    points = np.frombuffer(text.encode(_UTF32, "surrogatepass"), dtype=np.uint32)
    chars = model.chars
    rows, missing = _extract_text(points, chars.normalized, chars.upper, model.table)
    if missing.size:  # characters met for the first time
        chars.fill(set(missing.tolist()))
        rows, missing = _extract_text(
            points, chars.normalized, chars.upper, model.table
        )
    return rows  # type: ignore[no-any-return]


@njit(cache=True)
def _extract_text(points, normalized, upper, table):  # pragma: no cover - compiled
    """``(rows, missing)``: :func:`_extract` of ``" " + text``, each character
    normalised (``normalized``) and its capital flag (``upper``) read from the
    tables; or no rows and the code points the tables lack."""
    n = points.size
    missing = np.empty(0, dtype=np.uint32)
    n_missing = 0
    for i in range(n):
        if normalized[points[i]] == _UNKNOWN:
            n_missing += 1
    if n_missing:
        missing = np.empty(n_missing, dtype=np.uint32)
        k = 0
        for i in range(n):
            if normalized[points[i]] == _UNKNOWN:
                missing[k] = points[i]
                k += 1
        return np.empty(0, dtype=np.int64), missing
    codes = np.empty(n + 1, dtype=np.uint64)
    caps = np.zeros(n + 1, dtype=np.uint8)
    codes[0] = 32
    for i in range(n):
        c = normalized[points[i]]
        codes[i + 1] = c
        caps[i + 1] = upper[c]
    return _extract(codes, caps, table), missing


@njit(cache=True, inline="always")
def _next32(mt, pos):  # pragma: no cover - compiled
    """CPython's ``genrand_uint32``: MT19937 with state ``mt`` (624 words) and index ``pos[0]``."""
    i = pos[0]
    if i >= 624:
        for kk in range(624):
            y = (mt[kk] & _U32(0x80000000)) | (mt[(kk + 1) % 624] & _U32(0x7FFFFFFF))
            v = mt[(kk + 397) % 624] ^ (y >> _U32(1))
            if y & _U32(1):
                v ^= _U32(0x9908B0DF)
            mt[kk] = v
        i = 0
    y = mt[i]
    pos[0] = i + 1
    y ^= y >> _U32(11)
    y ^= (y << _U32(7)) & _U32(0x9D2C5680)
    y ^= (y << _U32(15)) & _U32(0xEFC60000)
    y ^= y >> _U32(18)
    return y


@njit(cache=True)
def _random(mt, pos):  # pragma: no cover - compiled
    """CPython's ``Random.random()`` (``genrand_res53``)."""
    a = _next32(mt, pos) >> _U32(5)
    b = _next32(mt, pos) >> _U32(6)
    return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0)


@njit(cache=True)
def _trial(
    mt, pos, rows, matrix, weight, prob, compensated
):  # pragma: no cover - compiled
    """One trial of ``Detector._detect_block``; leaves its probabilities in ``prob``.

    ``random.choice(ngrams)`` is ``ngrams[_randbelow(len(ngrams))]``, and
    ``_randbelow(n)`` draws ``getrandbits(k)`` (the top ``k`` bits of one
    32-bit output, ``k = n.bit_length()``) until it is below ``n``.
    """
    n = rows.size
    k = 0
    m = n
    while m:
        k += 1
        m >>= 1
    shift = _U32(32 - k)
    n_langs = prob.size
    p0 = 1.0 / n_langs
    for j in range(n_langs):
        prob[j] = p0
    i = 0
    while True:
        r = _next32(mt, pos) >> shift
        while r >= n:
            r = _next32(mt, pos) >> shift
        row = rows[r]
        # _update_lang_prob
        for j in range(n_langs):
            prob[j] *= weight + matrix[row, j]
        if i % 5 == 0:
            # _normalize_prob: Python's sum (sequential before 3.12,
            # Neumaier-compensated from 3.12), then divide and take the max.
            total = prob[0]
            if compensated:
                c = 0.0
                for j in range(1, n_langs):
                    x = prob[j]
                    t = total + x
                    if abs(total) >= abs(x):
                        c += (total - t) + x
                    else:
                        c += (x - t) + total
                    total = t
                if c != 0.0 and np.isfinite(c):
                    total += c
            else:
                for j in range(1, n_langs):
                    total += prob[j]
            maxp = 0.0
            for j in range(n_langs):
                p = prob[j] / total
                if maxp < p:  # noqa: PLR1730 - langdetect's comparison, NaN included
                    maxp = p
                prob[j] = p
            if maxp > CONV_THRESHOLD or i >= ITERATION_LIMIT:
                break
        i += 1


@njit(cache=True)
def _detect_block(
    mt, pos, rows, matrix, n_trial, compensated
):  # pragma: no cover - compiled
    """The trials of ``Detector._detect_block``: the averaged probabilities.

    ``alpha = self.alpha + self.random.gauss(0.0, 1.0) * ALPHA_WIDTH``, with
    ``Random.gauss`` spelled out (it draws two ``random()`` every other
    call, and keeps the second normal deviate): the same operations, in the
    same order, as CPython's, on the same libm functions.
    """
    n_langs = matrix.shape[1]
    langprob = np.zeros(n_langs)
    prob = np.empty(n_langs)
    has_next = False
    gauss_next = 0.0
    for _ in range(n_trial):
        if has_next:
            z = gauss_next
            has_next = False
        else:
            x2pi = _random(mt, pos) * _TWOPI
            g2rad = math.sqrt(-2.0 * math.log(1.0 - _random(mt, pos)))
            z = math.cos(x2pi) * g2rad
            gauss_next = math.sin(x2pi) * g2rad
            has_next = True
        alpha = ALPHA_DEFAULT + (0.0 + z * 1.0) * ALPHA_WIDTH
        _trial(mt, pos, rows, matrix, alpha / BASE_FREQ, prob, compensated)
        for j in range(n_langs):
            langprob[j] += prob[j] / n_trial
    return langprob


def _probabilities(rows: np.ndarray, model: _Model) -> list[tuple[str, float]]:
    """``Detector._detect_block`` then ``_sort_probability``, same operations in the same order."""
    mt = model.mt_state.copy()
    pos = np.array([model.mt_index], dtype=np.int64)
    langprob = _detect_block(mt, pos, rows, model.matrix, N_TRIAL, _COMPENSATED_SUM)
    found = [
        (lang, p)
        for lang, p in zip(model.langs, langprob.tolist())
        if p > PROB_THRESHOLD
    ]
    found.sort(key=lambda lp: lp[1], reverse=True)
    return found


def detect_sample(text: str) -> list[tuple[str, float]]:
    """langdetect's ``(language, probability)`` list (above 0.1, best first) for ``text`` as given.

    Equal to ``Detector.get_probabilities()`` with seed :data:`SEED`. No
    sampling: pass an already bounded text. Empty when the text has no
    n-grams langdetect knows (where langdetect raises "No features in text").
    """
    model = _model()
    rows = _ngram_rows(_prepare(text), model)
    if rows.size == 0:
        return []
    return _probabilities(rows, model)


def language(text: str) -> SignalOutput:
    """The language of ``text`` and langdetect's probability for it.

    Signals: ``language`` (a langdetect code; ``None`` when the sample has
    no letter, or no n-gram langdetect knows) and ``language_prob`` (0.0 when ``language`` is
    ``None``). Reads at most :data:`SAMPLE_CHARS` characters after URL
    removal, so the cost per text is bounded. No flags.

    Short samples (a headline, a few words) are unreliable, as with any
    character n-gram model; the probability is langdetect's average over
    its trials, not a calibrated confidence.
    """
    text = sample(text)
    found = detect_sample(text) if _LETTER_RE.search(text) else []
    if not found:
        return SignalOutput(signals={"language": None, "language_prob": 0.0})
    lang, prob = found[0]
    return SignalOutput(
        signals={"language": lang, "language_prob": round(prob, ROUND_DIGITS)}
    )


SIGNAL = Signal(
    name="language",
    compute=language,
    summary="the text's language and its probability, as langdetect decides",
    emits=("language", "language_prob"),
    params={"SAMPLE_CHARS": SAMPLE_CHARS, "SEED": SEED},
)
