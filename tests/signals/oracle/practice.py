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

Cost: one compiled tokenising pass (:mod:`newsqa.signals._counts`: the
matches of the token pattern, returned joined by spaces, so the tokens are
one ``str.split``) and dictionary look-ups per word; phrases are counted
on the joined lower-case words with ``str.count``. The quotation scan
(compiled too) is linear, each quotation looks at a fixed-size window for
its attribution, and the remaining patterns are
character classes or literal alternations with bounded repeats: linear in
the text's length.

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
from functools import lru_cache
from importlib import resources
from itertools import compress, count

from newsqa.signals import Signal, SignalOutput

from ._counts import codes, joined_tokens, quoted_spans
from .engagement import _EMOJI_RE

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
_MAY_DATE_RE = re.compile(
    r"May\s+\d"
)  # no \b: a literal prefix is much faster; checked after
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
    words = {
        w.strip().casefold()
        for w in path.read_text(encoding="utf-8").splitlines()
        if w.strip()
    }
    return frozenset(words - _ACRONYM_STOPS)


def _is_shouting(word: str) -> bool:
    if len(word) < 2 or not word.isupper():
        return False
    low = word.lower()
    return low in SHOUT_WORDS or low in LOADED_WORDS or low in _stop_words()


def _is_name(token: str) -> bool:
    return len(token) > 1 and token.istitle()


def _named_sources(tokens: list[str], lower: list[str]) -> int:
    """Roles with a name (two capitalised words in a row) just after or before them."""
    n = 0
    last = len(tokens) - 1
    roles = list(compress(count(), map(_ROLES_LOWER.__contains__, lower)))
    for i in roles:
        if lower[i] not in ROLE_WORDS and tokens[i] not in _TITLES:
            continue  # a title written in lower case ("gen", "col") is no title
        after = range(i + 1, min(i + NAME_WINDOW + 1, last))
        before = range(max(0, i - NAME_WINDOW - 1), i - 1)
        if any(
            _is_name(tokens[j]) and _is_name(tokens[j + 1]) for j in (*after, *before)
        ):
            n += 1
    return n


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


def _attributed(window: str) -> bool:
    """Does ``window`` hold an attribution word or phrase?"""
    lower = _TOKEN_RE.findall(window.lower())
    if not ATTRIBUTION_WORDS.isdisjoint(lower):
        return True
    joined = f" {' '.join(lower)} "
    return any(p in joined for p, _ in _ATTRIBUTION_PHRASES)


def _quotes(text: str, starts: list[int], ends: list[int]) -> tuple[int, int]:
    """(quotations of QUOTE_MIN_WORDS+ words, those with an attribution nearby).

    The windows stop at the neighbouring quotations (an attribution inside
    another quotation is not this one's), so no character is looked at more
    than twice.
    """
    n = attributed = 0
    for k, (start, end) in enumerate(zip(starts, ends)):
        words = 0
        for _ in _WORD_RE.finditer(text, start, end):
            words += 1
            if words >= QUOTE_MIN_WORDS:
                break
        if words < QUOTE_MIN_WORDS:
            continue
        n += 1
        lo = max(start - ATTRIBUTION_WINDOW, ends[k - 1] if k else 0)
        hi = min(
            end + ATTRIBUTION_WINDOW,
            starts[k + 1] if k + 1 < len(starts) else len(text),
        )
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
    qs, qe = quoted_spans(codes(text))
    starts, ends = qs.tolist(), qe.tolist()
    outside = _strip_datelines(
        _without(text, zip(starts, ends), " ") if starts else text
    )
    # _TOKEN_RE's matches, joined by spaces, from one compiled pass
    # (newsqa.signals._counts); tokens hold no spaces and lower() makes
    # none: the splits stay aligned
    spaced, n_numbers = joined_tokens(outside)
    tokens = spaced.split(" ") if spaced else []
    low = spaced.lower()
    lower = low.split(" ") if spaced else []
    present = set(lower)
    joined = f" {low} "  # " ".join(lower), padded
    distinct = set(tokens)
    inside = "\n".join(text[a:b] for a, b in zip(starts, ends))
    quoted: list[str] = []
    if starts:
        spaced, n_quoted_numbers = joined_tokens(inside)
        quoted = spaced.split(" ") if spaced else []
        n_numbers += n_quoted_numbers
    n_dates = sum(tokens.count(m) for m in _MONTHS.intersection(distinct))
    n_dates += sum(quoted.count(m) for m in _MONTHS.intersection(quoted))
    n_dates += sum(
        1
        for m in _MAY_DATE_RE.finditer(text)
        if m.start() == 0 or not text[m.start() - 1].isalnum()
    )
    n_quotes, n_attributed = _quotes(text, starts, ends)

    def words_in(vocabulary: frozenset[str]) -> int:
        return sum(lower.count(w) for w in present & vocabulary)

    def phrases(
        candidates: tuple[tuple[str, tuple[str, ...]], ...], where: str = joined
    ) -> int:
        return sum(
            where.count(p) for p, words in candidates if present.issuperset(words)
        )

    lowered = outside.lower()
    return SignalOutput(
        signals={
            "practice_words": len(tokens) + len(quoted) - n_numbers,
            "attributions": words_in(ATTRIBUTION_WORDS) + phrases(_ATTRIBUTION_PHRASES),
            "quotes": n_quotes,
            "attributed_quotes": n_attributed,
            "named_sources": _named_sources(tokens, lower),
            "numbers": n_numbers,
            "dates": n_dates,
            "first_person": tokens.count("I") + words_in(_FIRST_PERSON),
            "second_person": words_in(_SECOND_PERSON),
            "exclamations": sum(1 for _ in _EXCLAMATION_RE.finditer(outside))
            if "!" in outside
            else 0,
            "questions": sum(1 for _ in _QUESTION_RE.finditer(outside))
            if "?" in outside
            else 0,
            "shouting": sum(
                tokens.count(t)
                for t in filter(str.isupper, distinct)
                if _is_shouting(t)
            ),
            "emoji": 0 if text.isascii() else sum(1 for _ in _EMOJI_RE.finditer(text)),
            "promo_phrases": phrases(_PROMO_PHRASES) + phrases(_PROMO_MARKS, lowered),
            "loaded_words": words_in(LOADED_WORDS) + phrases(_LOADED_PHRASES),
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
