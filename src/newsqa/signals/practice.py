"""Journalistic practice versus engagement bait, counted from the text.

Source scoring (:mod:`newsqa.scoring`) asks how a publisher writes, not
only what its pages carry: does it attribute what it reports ("said",
"according to"), quote people by name, give numbers and dates, or does it
address the reader, shout and sell? This signal counts both sides. All
signals are **counts** (non-negative ints), so a source's totals are sums
over its articles, whatever the order or split of the corpus.

Quotations (double quotation marks, tracked as in
:mod:`newsqa.signals.engagement`) are the speakers' words, not the
writer's: the writer's devices below are counted **outside** them, so a
report that quotes an insult or a shouted slogan is not taken for one that
makes it.

Practice (reliable reporting leaves these):

* ``attributions``: attribution verbs and phrases outside quotations:
  :data:`ATTRIBUTION_WORDS` (*said, told, reported, confirmed,
  spokesman...*) and :data:`ATTRIBUTION_PHRASES` (*according to, in a
  statement, declined to comment, request for comment...*);
* ``quotes``: quotations of at least :data:`QUOTE_MIN_WORDS` words;
* ``attributed_quotes``: those with an attribution within
  :data:`ATTRIBUTION_WINDOW` characters before or after them;
* ``named_sources``: a role (:data:`ROLE_WORDS`, or a title such as "Sen."
  or "Dr.") with a name, two capitalised words in a row, among the
  :data:`NAME_WINDOW` words after it ("spokesman Dmitri Peskov", "Secretary
  of State Antony Blinken", "the spokesman for the Russian presidency,
  Dmitri Peskov") or before it ("Bill Sweeney, an FBI official");
* ``numbers``: numerals (``2023``, ``5.3%``, ``$165``, ``1,200``);
* ``dates``: month and weekday names ("September 19", "on Tuesday"; "May"
  only before a number).

Bait (what engagement-driven pages add), all outside quotations:

* ``first_person`` (*I, me, my, mine, myself*) and ``second_person``
  (*you, your, yours, yourself, yourselves, ya*): the writer talking about
  themselves or to the reader instead of reporting;
* ``exclamations`` and ``questions``: runs of ``!`` or ``?``;
* ``shouting``: ordinary words written in capitals ("SO wrong", "DO NOT",
  "BREAKING", "TWICE"): a word of two or more capitals counts when it is an
  English stop word (jusText's list), a loaded word, or one of
  :data:`SHOUT_WORDS`. Acronyms and brand names (NATO, NASCAR, POLITICO,
  COVID) are not ordinary words and do not count, nor do datelines
  ("NEW YORK (AP) \u2014", "SEOUL, SOUTH KOREA:"); a few stop words that
  double as acronyms (US, IT, WHO, AM, PM) never count;
* ``emoji``: emoji sequences (anywhere);
* ``promo_phrases``: calls to share, comment or watch ("share if you
  agree", "let us know in the comments", "WATCH:", "you won't believe",
  "TL;DR", "h/t"): :data:`PROMO_PHRASES` and a few marks with
  punctuation;
* ``loaded_words``: insults, profanity, sensational verbs and adjectives
  (*idiot, disgusting, slams, destroys, shocking, bombshell*) and the
  stock phrases of conspiracy and partisan pages (*mainstream media, deep
  state, globalists, wake up*): :data:`LOADED_WORDS`, :data:`LOADED_PHRASES`;
* ``headline_bait``: devices in the first line when it looks like a
  headline (a short first line followed by more text): shouting, ``!``,
  ``?``, a tag such as ``(VIDEO)``, ``WATCH:`` or ``BREAKING:`` or a "This is
  why" / "Here's" teaser, and second-person address; each device counts
  once.

``practice_words`` (words: runs of letters) gives the denominator. No flags: these are numbers about the writing, not
spans to remove.

Cost: compiled passes (numba; :mod:`newsqa.signals._counts` and
:mod:`newsqa.signals._practice_kernels`) do the per-character and
per-token work: the quotations, the tokens (the matches of the token
pattern, returned joined by spaces), one pass over the joined tokens and
their lower-cased copy that looks each token up in a hashed vocabulary of
the word lists and the phrases' words (word-list counts, role, title,
month and capitals candidates, name flags), the quotations' word counts,
the runs of ``!`` and ``?`` and the emoji. Python assembles the counts:
phrases are counted on the joined lower-case tokens with ``str.count``
(only those whose words are all tokens), each quotation's attribution is
one search of a fixed-size window, and candidates (roles, months,
capitals) are checked one by one. All linear in the text's length.

>>> out = practice('"We will respond," the spokesman said on Tuesday, according to Reuters.')
>>> s = out.signals
>>> s["attributions"], s["attributed_quotes"], s["dates"], s["second_person"]
(3, 1, 1, 0)
>>> practice("WATCH: You won't believe what this IDIOT did!!! Share if you agree!").signals["promo_phrases"]
3
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from itertools import compress

import numpy as np

from . import Signal, SignalOutput
from ._counts import (
    MAX_CODE_POINT,
    char_classes,
    codes,
    emoji_count,
    joined_tokens,
    quoted_spans,
)
from ._practice_kernels import (
    attributed_quotes,
    build_vocabulary,
    long_quotes,
    mark_runs,
    phrases_present,
    token_stats,
)

__all__ = [
    "ATTRIBUTION_PHRASES",
    "ATTRIBUTION_WORDS",
    "LOADED_PHRASES",
    "LOADED_WORDS",
    "PROMO_PHRASES",
    "ROLE_WORDS",
    "SHOUT_WORDS",
    "SIGNAL_NAMES",
    "practice",
]

# A quotation shorter than three words is a scare quote or a title
# ('the "birther" position'), not someone's words on the record.
QUOTE_MIN_WORDS = 3
# News attributes a quotation within the same clause: '"...," Peskov said'
# or 'Blinken told reporters: "..."'. 80 characters cover a name with a
# role ("the spokesman for the Russian presidency, Dmitri Peskov, said")
# without reaching into the next sentence's attribution most of the time.
ATTRIBUTION_WINDOW = 80
# Words between a role and its name: "Secretary [of State] Antony Blinken"
# (2), "spokesman [for the Russian presidency,] Dmitri Peskov" (4), "Bill
# Sweeney, [an FBI] official" (2 before). Five covers these without
# reaching into the next clause most of the time.
NAME_WINDOW = 5
# A first line of at most this many words, followed by more text, is read
# as the headline (news headlines run 6-20 words; 30 leaves room for
# deck-style headlines without taking a one-line lede).
HEADLINE_MAX_WORDS = 30


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _prepared(phrases: Iterable[str]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Phrases as (" padded phrase ", its words): counted only when all its words occur."""
    return tuple((f" {p} ", tuple(p.split())) for p in phrases)


#: Attribution verbs and nouns (lower case, whole words).
ATTRIBUTION_WORDS: frozenset[str] = _words(
    """
    said says saying told tells reported stated added explained confirmed announced noted wrote testified
    acknowledged spokesman spokeswoman spokesperson
    """
)
#: Attribution phrases (lower case, words separated by single spaces).
ATTRIBUTION_PHRASES: tuple[str, ...] = (
    "according to",
    "in a statement",
    "in an interview",
    "declined to comment",
    "request for comment",
)
#: Roles that put a name on the record (lower case).
ROLE_WORDS: frozenset[str] = _words(
    """
    spokesman spokeswoman spokesperson official officials minister secretary senator governor mayor
    director professor analyst economist researcher attorney prosecutor judge chief chairman chairwoman
    chair ceo adviser advisor aide ambassador commissioner sheriff detective lawmaker strategist pollster
    executive founder expert scientist doctor
    """
)
# Titles before a name, written capitalised ("Sen. Ted Cruz", "Dr. Jane Roe").
_TITLES = _words("Sen Rep Gov Gen Dr Prof Lt Sgt Capt Col")
_ROLES_LOWER = ROLE_WORDS | {t.lower() for t in _TITLES}

#: Insults, profanity and sensational words: the vocabulary of outrage and
#: clickbait that reporting avoids (after the subjective and sensational
#: word classes of Rashkin et al. 2017, "Truth of Varying Shades", and the
#: clickbait markers of Chakraborty et al. 2016). Lower case.
LOADED_WORDS: frozenset[str] = _words(
    """
    idiot idiots idiotic moron morons moronic stupid stupidity dumb dumbest imbecile fool fools foolish
    jerk loser losers lunatic lunatics clown clowns scum scumbag thug thugs pathetic disgusting
    disgraceful disgrace despicable vile sickening deranged unhinged insane crazy hypocrite
    hypocrites hypocritical liar liars traitor traitors treasonous crooked shill puppet brainwashed
    snowflake snowflakes libtard libtards moonbat wingnut wingnuts globalist globalists sheeple
    presstitutes msm lamestream
    shocking shocked stunning stunned outrageous outraged bombshell epic hilarious hysterical
    unbelievable terrifying horrifying insanely
    slams slammed blasts blasted destroys eviscerates eviscerated obliterates obliterated rips shreds
    shredded humiliates humiliated humiliating owned owns meltdown freakout tirade rant rants
    damn hell ass asses crap shit bullshit fuck fucking douche douchebag douchebags bastard bastards
    piss pissed
    """
)
#: Stock phrases of conspiracy and hyper-partisan pages (the "us against the
#: establishment" frame of Horne & Adali 2017 and the misinformation
#: vocabulary studies): distrust of other media, hidden elites, appeals to
#: "wake up"; and sensational compounds. Words as tokenised (letters only:
#: "don't" is "don t").
LOADED_PHRASES: tuple[str, ...] = (
    "mainstream media",
    "fake news media",
    "deep state",
    "new world order",
    "wake up",
    "big pharma",
    "cover up",
    "false flag",
    "they don t want you to know",
    "the truth about",
    "what they are not telling you",
    "jaw dropping",
    "mind blowing",
)
#: Calls to share, comment, click or watch (words as tokenised).
PROMO_PHRASES: tuple[str, ...] = (
    "share if",
    "share this",
    "share on facebook",
    "share with your",
    "share it with",
    "please share",
    "like and share",
    "spread the word",
    "sign the petition",
    "click here",
    "tell us what you think",
    "what do you think",
    "let us know",
    "in the comments",
    "comment below",
    "sound off",
    "you won t believe",
    "you wont believe",
    "you will not believe",
    "must see",
    "must watch",
    "must read",
    "hat tip",
)
_TOKEN_WORDS = re.compile(r"[^\W\d_]+")
# Promo marks that need their punctuation ("WATCH:", "BREAKING:", "TL;DR",
# "h/t"), looked for in the lower-cased text with str.count.
_PROMO_MARKS: tuple[tuple[str, tuple[str, ...]], ...] = tuple(
    (mark, tuple(_TOKEN_WORDS.findall(mark)))
    for mark in (
        "watch:",
        "watch :",
        "video:",
        "breaking:",
        "just in:",
        "tl;dr",
        "tl:dr",
        "tldr",
        "tl dr",
        "tl; dr",
        "h/t",
    )
)  #: Words that are shouted in capitals on engagement pages but are not stop
#: words: the labels of breaking-news and video bait, and intensifiers.
SHOUT_WORDS: frozenset[str] = _words(
    """
    breaking watch video urgent alert warning exclusive huge massive must never always everyone everybody
    nobody nothing everything truth lies finally wow omg totally absolutely literally actually really
    """
)
# Stop words that are also acronyms or abbreviations in news: US (United
# States), IT, WHO (World Health Organization), IS (Islamic State), AT&T,
# AM/PM (times), UN, EU, and US state codes (DE, ID, IN, ME, OH, OK, OR).
_ACRONYM_STOPS = _words("us it who is at as am pm un eu de ok id in me oh or on")
# "I" is matched in capitals only (see practice()); "y'all" is "y all" once tokenised.
_FIRST_PERSON = _words("me my mine myself")
_SECOND_PERSON = _words("you your yours yourself yourselves ya")
_MONTHS = _words(
    "January February March April June July August September October November December "
    "Jan Feb Aug Sep Sept Oct Nov Dec Monday Tuesday Wednesday Thursday Friday Saturday Sunday"
)

# Tokens: a numeral (with its $, separators and %) or a run of letters.
_TOKEN_RE = re.compile(r"[^\W\d_]+|\$?\d+(?:[.,]\d+)*%?")
_WORD_RE = re.compile(r"[^\W\d_]+")
_MAY_DATE_RE = re.compile(r"May\s+\d")  # no \b: a literal prefix is much faster; checked after
# Datelines open a line with a place in capitals: "NEW YORK (AP) \u2014",
# "MOSCOW \u2014", "SEOUL, SOUTH KOREA:", "LONDON, Sept 3 (Reuters) -". Their
# capitals are not shouting. At most four words each side of the comma.
_CAPS_RUN = r"(?:[A-Z][A-Z.'\-]*[ \t]+){0,3}[A-Z][A-Z.'\-]*"
_DATELINE_RE = re.compile(  # matched at line starts only (see _strip_datelines)
    rf"[ \t]*{_CAPS_RUN}[ \t]*(?:\(|\u2014|\u2013|--|-[ \t])"
    rf"|[ \t]*{_CAPS_RUN},[ \t]*(?:[A-Z][\w.'\-]*[ \t]+){{0,3}}[A-Z0-9][\w.'\-]*[ \t]*[:(\u2014\u2013-]"
)
_EXCLAMATION_RE = re.compile(r"!+")
_QUESTION_RE = re.compile(r"\?+")
_HEADLINE_TAG_RE = re.compile(
    r"[(\[](?:video|videos|watch|photos?|images?|tweets?|details|screenshots?)[)\]]"
    r"|\b(?:watch|video|breaking|just\s+in|must\s+see)\s*:"
    r"|^\s*(?:this\s+is\s+(?:why|what|how)|here['\u2019]s|here\s+is)\b",
    re.IGNORECASE,
)

_ATTRIBUTION_PHRASES = _prepared(ATTRIBUTION_PHRASES)
_PROMO_PHRASES = _prepared(PROMO_PHRASES)
_LOADED_PHRASES = _prepared(LOADED_PHRASES)

#: The signals this module returns, in order.
SIGNAL_NAMES = (
    "practice_words",
    "attributions",
    "quotes",
    "attributed_quotes",
    "named_sources",
    "numbers",
    "dates",
    "first_person",
    "second_person",
    "exclamations",
    "questions",
    "shouting",
    "emoji",
    "promo_phrases",
    "loaded_words",
    "headline_bait",
)


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    """English stop words (``data/stopwords/en.txt``, jusText's list), less the acronyms."""
    path = resources.files("newsqa") / "data" / "stopwords" / "en.txt"
    words = {w.strip().casefold() for w in path.read_text(encoding="utf-8").splitlines() if w.strip()}
    return frozenset(words - _ACRONYM_STOPS)


def _is_shouting(word: str) -> bool:
    if len(word) < 2 or not word.isupper():
        return False
    low = word.lower()
    return low in SHOUT_WORDS or low in LOADED_WORDS or low in _stop_words()


def _is_name(token: str) -> bool:
    return len(token) > 1 and token.istitle()


# Bits of the practice vocabulary's words (see _vocabulary): the word lists a
# lower-cased token is looked up in, in one compiled pass over the tokens.
_ATTRIBUTION_BIT = 1  # ATTRIBUTION_WORDS
_FIRST_BIT = 2  # _FIRST_PERSON
_SECOND_BIT = 4  # _SECOND_PERSON
_LOADED_BIT = 8  # LOADED_WORDS
_ROLE_BIT = 16  # ROLE_WORDS
_TITLE_BIT = 32  # _TITLES, lower-cased (a title only when written as in _TITLES)
_MONTH_BIT = 64  # _MONTHS, lower-cased (a date only when written as in _MONTHS)
_N_BITS = 7


@dataclass(frozen=True)
class _Vocabulary:
    keys: np.ndarray  # the words' code points, one after the other
    offsets: np.ndarray  # word k is keys[offsets[k]:offsets[k + 1]]
    bits: np.ndarray  # word k's bits
    slots: np.ndarray  # the hash table (_practice_kernels.build_vocabulary)
    # the padded phrases of each phrase list, and their words' indices (rows,
    # padded with -1) for _practice_kernels.phrases_present
    attribution_phrases: tuple[str, ...]
    promo_phrases: tuple[str, ...]
    promo_marks: tuple[str, ...]
    loaded_phrases: tuple[str, ...]
    phrase_words: np.ndarray
    # shapes[c, n]: some word starts with the ASCII code c and has n
    # characters (n <= the longest word): a token of no such shape is not
    # looked up (all the words are ASCII)
    shapes: np.ndarray


@lru_cache(maxsize=1)
def _vocabulary() -> _Vocabulary:
    """Every lower-case word practice() looks a token up for: the word lists
    (with their bits) and the words of the phrases (for the all-words-present test)."""
    groups = (_ATTRIBUTION_PHRASES, _PROMO_PHRASES, _PROMO_MARKS, _LOADED_PHRASES)
    entries: dict[str, int] = dict.fromkeys(w for group in groups for _, words in group for w in words)
    for words, bit in (
        (ATTRIBUTION_WORDS, _ATTRIBUTION_BIT),
        (_FIRST_PERSON, _FIRST_BIT),
        (_SECOND_PERSON, _SECOND_BIT),
        (LOADED_WORDS, _LOADED_BIT),
        (ROLE_WORDS, _ROLE_BIT),
        ({t.lower() for t in _TITLES}, _TITLE_BIT),
        ({m.lower() for m in _MONTHS}, _MONTH_BIT),
    ):
        for w in words:
            entries[w] = (entries.get(w) or 0) | bit
    words = sorted(entries)
    index = {w: k for k, w in enumerate(words)}
    keys = codes("".join(words)).copy()
    offsets = np.zeros(len(words) + 1, dtype=np.int64)
    np.cumsum([len(w) for w in words], out=offsets[1:])
    bits = np.array([entries[w] or 0 for w in words], dtype=np.int64)
    slots = build_vocabulary(keys, offsets, 1 << max(4, (2 * len(words)).bit_length()))
    rows = [[index[w] for w in ws] for group in groups for _, ws in group]
    phrase_words = np.full((len(rows), max(map(len, rows))), -1, dtype=np.int64)
    for k, row in enumerate(rows):
        phrase_words[k, : len(row)] = row
    texts = [tuple(p for p, _ in group) for group in groups]
    assert all(w.isascii() for w in words)
    shapes = np.zeros((128, max(map(len, words)) + 1), dtype=np.bool_)
    for w in words:
        shapes[ord(w[0]), len(w)] = True
    return _Vocabulary(keys, offsets, bits, slots, *texts, phrase_words, shapes)


def _token_stats(spaced: str, low: str | None = None) -> tuple:  # type: ignore[type-arg]
    """:func:`_practice_kernels.token_stats` of a ``joined_tokens`` string (``low``: its ``lower()``, if known)."""
    v = _vocabulary()
    return token_stats(
        codes(spaced),
        codes(spaced.lower() if low is None else low),
        v.keys,
        v.offsets,
        v.bits,
        v.slots,
        _N_BITS,
        v.shapes,
    )


def _named_sources(spaced: str, marked: list[list[int]], names: bytes, bounds: np.ndarray) -> int:
    """Roles with a name (two capitalised words in a row) just after or before them.

    ``spaced``'s tokens, as :func:`_practice_kernels.token_stats` gives them:
    ``marked`` (token index, bits) pairs, ``names`` (1: a name, 0: not, 2:
    ask ``str.istitle``) and their ``bounds``.
    """
    n = 0
    last = len(names) - 1
    known = bytearray(names)

    def is_name(j: int) -> bool:
        if known[j] == 2:
            token = spaced[bounds[j, 0] : bounds[j, 1]]
            known[j] = len(token) > 1 and token.istitle()
        return known[j] == 1

    for i, bits in marked:
        if not bits & (_ROLE_BIT | _TITLE_BIT):
            continue
        if not bits & _ROLE_BIT and spaced[bounds[i, 0] : bounds[i, 1]] not in _TITLES:
            continue  # a title written in lower case ("gen", "col") is no title
        after = range(i + 1, min(i + NAME_WINDOW + 1, last))
        before = range(max(0, i - NAME_WINDOW - 1), i - 1)
        if any(is_name(j) and is_name(j + 1) for j in (*after, *before)):
            n += 1
    return n


def _months(spaced: str, marked: list[list[int]], bounds: np.ndarray) -> int:
    """Tokens of ``spaced`` written as a word of _MONTHS."""
    return sum(1 for i, bits in marked if bits & _MONTH_BIT and spaced[bounds[i, 0] : bounds[i, 1]] in _MONTHS)


def _strip_datelines(text: str) -> str:
    """``text`` with the datelines at line starts replaced by a space."""
    parts: list[str] = []
    last = start = 0
    while True:
        head = text[start : start + 2]
        if head[:1].isupper() or head[:1] in (" ", "\t"):
            m = _DATELINE_RE.match(text, start)
            if m is not None:
                parts.append(text[last:start])
                parts.append(" ")
                last = m.end()
        nl = text.find("\n", start)
        if nl < 0:
            break
        start = nl + 1
    if not parts:
        return text
    parts.append(text[last:])
    return "".join(parts)


def _without(text: str, spans: Iterable[tuple[int, int]], fill: str = "\n") -> str:
    """``text`` with the spans replaced by ``fill`` (spans may overlap)."""
    parts: list[str] = []
    pos = 0
    for start, end in sorted(spans):
        start = max(start, pos)
        if end <= start:
            continue
        parts.append(text[pos:start])
        parts.append(fill)
        pos = end
    parts.append(text[pos:])
    return "".join(parts)


# An attribution in a window around a quotation: a word of ATTRIBUTION_WORDS
# as a whole token, or the words of a phrase of ATTRIBUTION_PHRASES as
# consecutive tokens, of the lower-cased window. Tokens are the matches of
# _TOKEN_RE: a letter token is a whole run of letters ([^\W\d_]); between
# two consecutive letter tokens lie only characters that start no token
# (neither letters nor \d, and no "$" before a \d). One search per window
# instead of tokenising it.
_LETTER = r"[^\W\d_]"
_GAP = r"(?:[^\w$]|_|\$(?!\d))+"
_ATTRIBUTION_RE = re.compile(
    rf"(?<!{_LETTER})(?:"
    + "|".join(
        [
            *sorted(ATTRIBUTION_WORDS, key=lambda w: (-len(w), w)),
            *(_GAP.join(p.split()) for p in ATTRIBUTION_PHRASES),
        ]
    )
    + rf")(?!{_LETTER})"
)


def _attributed(window: str) -> bool:
    """Does ``window`` hold an attribution word or phrase?"""
    return _ATTRIBUTION_RE.search(window.lower()) is not None


@lru_cache(maxsize=1)
def _attribution_tables() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """What :func:`_practice_kernels.attributed_quotes` needs of _ATTRIBUTION_RE.

    ``(odd, lit, woff, wstart)``: ``odd[c]`` is 1 for the code points the
    kernel cannot lower-case as itself (str.lower maps them to an ASCII
    character, to several characters, to a character of other classes, or
    by their neighbours: the capital sigma); A-Z it lower-cases itself, and
    every other character is its own lower case as far as the pattern can
    tell (no ASCII letter, the same classes). The alternatives of
    _ATTRIBUTION_RE as words of ASCII letters: ``lit``/``woff`` the words,
    ``wstart`` where each alternative's words start.
    """
    table = char_classes()
    every = "".join(map(chr, range(MAX_CODE_POINT)))
    odd = np.zeros(MAX_CODE_POINT, dtype=np.uint8)
    for lo, hi in ((0, 0x130), (0x131, MAX_CODE_POINT)):
        part = every[lo:hi]
        low = part.lower()
        if len(low) != len(part):  # a character lower-cases to several: ask each
            low = "".join(c.lower() if len(c.lower()) == 1 else "\x00" for c in part)
            odd[lo:hi] |= np.array([len(c.lower()) != 1 for c in part], dtype=np.uint8)
        src = np.arange(lo, hi, dtype=np.int64)
        dst = codes(low).astype(np.int64)
        changed = (dst != src) & (src >= 128)
        odd[lo:hi] |= changed & ((dst < 128) | (table[dst] != table[src]))
    odd[0x130] = odd[0x3A3] = 1
    alternatives = [[w] for w in sorted(ATTRIBUTION_WORDS)] + [p.split() for p in ATTRIBUTION_PHRASES]
    words = [w for alt in alternatives for w in alt]
    assert all(w.isascii() and w.isalpha() and w.islower() for w in words)
    lit = codes("".join(words)).astype(np.int64)
    woff = np.zeros(len(words) + 1, dtype=np.int64)
    np.cumsum([len(w) for w in words], out=woff[1:])
    wstart = np.zeros(len(alternatives) + 1, dtype=np.int64)
    np.cumsum([len(a) for a in alternatives], out=wstart[1:])
    return odd, lit, woff, wstart


def _quotes(text: str, starts: list[int], ends: list[int], points: np.ndarray | None = None) -> tuple[int, int]:
    """(quotations of QUOTE_MIN_WORDS+ words, those with an attribution nearby).

    The windows stop at the neighbouring quotations (an attribution inside
    another quotation is not this one's), so no character is looked at more
    than twice. ``points``: ``codes(text)``, when the caller has it. The
    windows are searched in compiled code
    (:func:`_practice_kernels.attributed_quotes`), with :func:`_attributed`
    for a window that holds a character the kernel does not lower-case.
    """
    if not starts:
        return 0, 0
    if points is None:
        points = codes(text)
    table = char_classes()
    s = np.asarray(starts, dtype=np.int64)
    e = np.asarray(ends, dtype=np.int64)
    long = long_quotes(points, table, s, e, QUOTE_MIN_WORDS)
    odd, lit, woff, wstart = _attribution_tables()
    found = attributed_quotes(points, table, odd, s, e, long, ATTRIBUTION_WINDOW, lit, woff, wstart).tolist()
    n = int(long.sum())
    attributed = found.count(1)
    if 2 in found:
        last = len(starts) - 1
        for k in compress(range(len(found)), [f == 2 for f in found]):
            start = starts[k]
            end = ends[k]
            lo = max(start - ATTRIBUTION_WINDOW, ends[k - 1] if k else 0)
            hi = min(end + ATTRIBUTION_WINDOW, starts[k + 1] if k < last else len(text))
            if _attributed(text[lo:start]) or _attributed(text[end:hi]):
                attributed += 1
    return n, attributed


def _headline_bait(text: str) -> int:
    """Bait devices in the first line, when it is a headline (see the module docs)."""
    stripped = text.lstrip()
    cut = stripped.find("\n")
    if cut < 0 or not stripped[cut:].strip():
        return 0  # one line only: no headline to tell apart from the body
    line = stripped[:cut]
    words = _WORD_RE.findall(line)
    if not words or len(words) > HEADLINE_MAX_WORDS:
        return 0
    devices = (
        any(_is_shouting(w) for w in words),
        "!" in line,
        "?" in line,
        _HEADLINE_TAG_RE.search(line) is not None,
        any(w.lower() in _SECOND_PERSON for w in words),
    )
    return sum(devices)


def practice(text: str, *, skip: tuple[tuple[int, int], ...] = ()) -> SignalOutput:
    """Practice and bait counts of ``text`` (see the module docs); no flags.

    Args:
        text: The article text.
        skip: ``(start, end)`` spans to leave out (spam link blocks and
            boilerplate lines: they are not the writing).

    Example:
        >>> practice("Kim met Putin, officials said.\\nShare this article", skip=((31, 49),)).signals["promo_phrases"]
        0
    """
    if skip:
        text = _without(text, skip)
    # engagement._quoted_spans(text), from a compiled pass (newsqa.signals._counts)
    points = codes(text)
    qs, qe = quoted_spans(points)
    starts, ends = qs.tolist(), qe.tolist()
    outside = _strip_datelines(_without(text, zip(starts, ends), " ") if starts else text)
    # _TOKEN_RE's matches, joined by spaces, from one compiled pass
    # (newsqa.signals._counts); tokens hold no spaces and lower() makes
    # none: token k of the string and of its lower-cased copy are the same
    # token. One compiled pass over both looks each lower-cased token up in
    # the vocabulary (_practice_kernels.token_stats).
    spaced, n_numbers = joined_tokens(outside)
    low = spaced.lower()
    counts, present_ids, marked_ids, candidates, names, bounds = _token_stats(spaced, low)
    n_tokens = int(counts[_N_BITS])
    marked = marked_ids.tolist()
    joined = f" {low} "  # " ".join(lower), padded
    n_quoted = 0
    n_dates = _months(spaced, marked, bounds)
    if starts:
        inside = "\n".join(text[a:b] for a, b in zip(starts, ends))
        spaced_in, n_quoted_numbers = joined_tokens(inside)
        n_numbers += n_quoted_numbers
        counts_in, _, marked_in, _, _, bounds_in = _token_stats(spaced_in)
        n_quoted = int(counts_in[_N_BITS])
        n_dates += _months(spaced_in, marked_in.tolist(), bounds_in)
    if "May" in text:
        n_dates += sum(1 for m in _MAY_DATE_RE.finditer(text) if m.start() == 0 or not text[m.start() - 1].isalnum())
    n_quotes, n_attributed = _quotes(text, starts, ends, points)

    # a phrase is looked for only when all its words are tokens
    v = _vocabulary()
    ok = phrases_present(present_ids, v.phrase_words).tolist()
    # (phrase_words holds the lists' rows one list after the other)
    n_attribution = len(v.attribution_phrases)
    n_promo = n_attribution + len(v.promo_phrases)
    n_marks = n_promo + len(v.promo_marks)

    def phrases(candidates: tuple[str, ...], first: int, where: str = joined) -> int:
        return sum(where.count(p) for p in compress(candidates, ok[first : first + len(candidates)]))

    # the promo marks are counted in the lower-cased text, lower-cased only
    # when some mark's words are all tokens
    n_marks_found = phrases(v.promo_marks, n_promo, outside.lower()) if any(ok[n_promo:n_marks]) else 0
    # the matches of _EXCLAMATION_RE and _QUESTION_RE, in one compiled pass
    n_exclamations, n_questions = mark_runs(codes(outside)) if "!" in outside or "?" in outside else (0, 0)
    n_shouting = 0
    for k in candidates.tolist():
        token = spaced[bounds[k, 0] : bounds[k, 1]]
        if token.isupper() and _is_shouting(token):
            n_shouting += 1
    return SignalOutput(
        signals={
            "practice_words": n_tokens + n_quoted - n_numbers,
            "attributions": int(counts[0]) + phrases(v.attribution_phrases, 0),
            "quotes": n_quotes,
            "attributed_quotes": n_attributed,
            "named_sources": _named_sources(spaced, marked, names.tobytes(), bounds),
            "numbers": n_numbers,
            "dates": n_dates,
            "first_person": int(counts[_N_BITS + 1]) + int(counts[1]),
            "second_person": int(counts[2]),
            "exclamations": n_exclamations,
            "questions": n_questions,
            "shouting": n_shouting,
            "emoji": 0 if text.isascii() else emoji_count(points),  # _EMOJI_RE's matches
            "promo_phrases": phrases(v.promo_phrases, n_attribution) + n_marks_found,
            "loaded_words": int(counts[3]) + phrases(v.loaded_phrases, n_marks),
            "headline_bait": _headline_bait(text),
        }
    )


SIGNAL = Signal(
    name="practice",
    compute=practice,
    summary="journalistic practice against bait: attributions, quotes, named sources, numbers, loaded words",
    emits=SIGNAL_NAMES,
    needs=("skip",),
    after=("spam_links", "boilerplate"),
    params={
        "QUOTE_MIN_WORDS": QUOTE_MIN_WORDS,
        "ATTRIBUTION_WINDOW": ATTRIBUTION_WINDOW,
    },
)
