"""The perf-3 rewrites of practice, engagement, readability, language and
the compiled passes give exactly what the code before them gave.

The oracles are frozen copies of the modules as they were
(``tests/signals/oracle``); every output is compared whole: signals,
flags (spans, kinds, reasons), and the kernels' arrays.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numba import njit

from newsqa.signals import _counts, engagement, language, practice, readability

from ..conftest import SEEDS
from ..strategies import any_text
from .oracle import _counts as old_counts
from .oracle import engagement as old_engagement
from .oracle import language as old_language
from .oracle import practice as old_practice
from .oracle import readability as old_readability

# Realistic English and German news pieces: quotations (straight, curly,
# German and French marks), attribution, roles and names, numerals, dates,
# URLs, shouting, promo and loaded phrases, emoji, surrogates, line breaks.
_PIECES = [
    "Kim",
    "Jong Un",
    "met",
    "the",
    "spokesman",
    "Dmitri Peskov",
    "Secretary of State Antony Blinken",
    "Sen. Ted Cruz",
    "Dr. Jane Roe",
    "Bill Sweeney, an FBI official,",
    "said",
    "told reporters",
    "according to",
    "Reuters",
    "in a statement",
    "declined to comment",
    "on Tuesday",
    "September 19",
    "May 5",
    "May",
    "2023",
    "5.3%",
    "$165",
    "1,200",
    "12.",
    "I",
    "you",
    "your",
    "my",
    "SHOCKING",
    "BREAKING:",
    "WATCH:",
    "NATO",
    "US",
    "DO NOT",
    "Share if you agree",
    "let us know in the comments",
    "you won't believe",
    "TL;DR",
    "h/t",
    "mainstream media",
    "deep state",
    "idiot",
    "What could this mean for you?",
    "And how might it affect our future?",
    "Did the police act lawfully?",
    '"We will respond,"',
    "\u201cThis is a very long quote indeed,\u201d",
    "\u201eDas ist gut\u201c, sagte er.",
    "\u00abBonjour tout le monde\u00bb",
    '"',
    "\u201c",
    "\u201d",
    "\u201e",
    "NEW YORK (AP) \u2014",
    "SEOUL, SOUTH KOREA:",
    "LONDON, Sept 3 (Reuters) -",
    "https://example.com/a?b=c",
    "www.example.org",
    "mail@example.com",
    "Die Regierung hat am Montag erkl\u00e4rt",
    "\u00fcber",
    "Stra\u00dfe",
    "\U0001f600",
    "\U0001f44d\U0001f3fd",
    "\u2764\ufe0f",
    "\U0001f468\u200d\U0001f469",
    "\ud800",
    "\udfff",
    "\u0130stanbul",
    "\u212aelvin",
    "\u03a3\u039f\u03a3",
    "it's",
    "don't",
    "'ve",
    "o'clock",
    "!",
    "!!!",
    "?",
    ".",
    ",",
    ":",
    "\u2014",
    "\n",
    "\n\n",
    "\t",
    "  ",
    "(VIDEO)",
    "This is why",
    "Here's",
    "\u3000",
    "\u0301",
    "x" * 70,
]
news = st.lists(st.sampled_from(_PIECES), max_size=60).map(" ".join) | st.lists(
    st.sampled_from(_PIECES), max_size=60
).map("".join)
texts = any_text | news | st.text()
_SEED_NAMES = sorted(p.stem for p in SEEDS.glob("0*.txt"))


def _seed(name: str) -> str:
    return (SEEDS / f"{name}.txt").read_text(encoding="utf-8")


def _same_output(new, old) -> None:
    assert new.signals == old.signals
    assert [(f.kind, f.start, f.end, f.reason) for f in new.flags] == [
        (f.kind, f.start, f.end, f.reason) for f in old.flags
    ]


@settings(max_examples=300)
@given(texts)
def test_practice_is_unchanged(text):
    _same_output(practice.practice(text), old_practice.practice(text))


@given(texts, st.lists(st.tuples(st.integers(0, 80), st.integers(0, 80)), max_size=4))
def test_practice_with_skip_is_unchanged(text, spans):
    skip = tuple((min(a, b), max(a, b)) for a, b in spans)
    _same_output(
        practice.practice(text, skip=skip), old_practice.practice(text, skip=skip)
    )


@settings(max_examples=300)
@given(texts)
def test_engagement_is_unchanged(text):
    _same_output(engagement.engagement(text), old_engagement.engagement(text))


@settings(max_examples=300)
@given(texts)
def test_readability_is_unchanged(text):
    assert readability.counts(text) == old_readability.counts(text)
    _same_output(readability.readability(text), old_readability.readability(text))


@given(texts)
def test_kernels_are_unchanged(text):
    points = _counts.codes(text)
    table = _counts.char_classes()
    qs, qe = _counts.quoted_spans(points)
    oqs, oqe = old_counts.quoted_spans(points)
    assert qs.tolist() == oqs.tolist() and qe.tolist() == oqe.tolist()
    spans, numerals = _counts.token_spans(points, table)
    ospans, onumerals = old_counts.token_spans(points, table)
    assert spans.tolist() == ospans.tolist() and numerals == onumerals
    for min_len in (1, 5):
        runs, cand = _counts.letter_runs(points, table, min_len)
        oruns, ocand = old_counts.letter_runs(points, table, min_len)
        assert runs == oruns and cand.tolist() == ocand.tolist()
    a = _counts.terminated_sentences(points, table, qs, qe)
    b = old_counts.terminated_sentences(points, table, qs, qe)
    assert a[0] == b[0] and a[1] == b[1] and a[2].tolist() == b[2].tolist()
    assert _counts.joined_tokens(text) == old_counts.joined_tokens(text)


@pytest.mark.parametrize("name", _SEED_NAMES)
def test_seeds_are_unchanged(name):
    text = _seed(name)
    _same_output(practice.practice(text), old_practice.practice(text))
    _same_output(engagement.engagement(text), old_engagement.engagement(text))
    _same_output(readability.readability(text), old_readability.readability(text))


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("", id="empty"),
        pytest.param("word said " * 250_000, id="5MB-line"),
        pytest.param("\U0001f600" * 100_000, id="100k-emoji"),
        pytest.param("\ud800\udfff" * 1000 + '"a b c" said', id="surrogates"),
        pytest.param('"a b c" said ' * 20_000, id="20k-quotes"),
        pytest.param(
            "\u201ea b\u201c \u201d\u00ab x \u00bb\n" * 10_000, id="10k-german-french"
        ),
    ],
)
def test_large_and_odd_inputs_are_unchanged(text):
    _same_output(practice.practice(text), old_practice.practice(text))
    _same_output(engagement.engagement(text), old_engagement.engagement(text))
    assert readability.counts(text) == old_readability.counts(text)


_WINDOW_PIECES = [
    "said",
    "Said",
    "SAID",
    "says",
    "told",
    "spokesman",
    "according",
    "to",
    "in",
    "a",
    "an",
    "statement",
    "interview",
    "declined",
    "comment",
    "request",
    "for",
    "x",
    "5",
    "$",
    "$5",
    "_",
    "%",
    ".",
    ",",
    " ",
    "  ",
    "\n",
    "-",
    "'",
    "\u00b2",
    "\u0663",
    "\u0130",
    "\u212a",
    "\u00e9",
    "\u0301",
    "\ud800",
    "\U0001f600",
]
windows = st.lists(st.sampled_from(_WINDOW_PIECES), max_size=12).map("".join)


@settings(max_examples=500)
@given(windows | any_text)
def test_attribution_search_is_the_tokenised_test(window):
    assert practice._attributed(window) == old_practice._attributed(window)


@settings(max_examples=300)
@given(
    st.lists(
        st.sampled_from(
            [*_WINDOW_PIECES, '"', "\u201c", "\u201d", "\u201e", "\u00ab", "\u00bb"]
        ),
        max_size=40,
    ).map("".join)
)
def test_quotes_are_unchanged(text):
    starts, ends = old_engagement._quoted_spans(text)
    assert practice._quotes(text, starts, ends) == old_practice._quotes(
        text, starts, ends
    )


# Tokens around roles, titles, months and capitals: ASCII and not, title
# case by str.istitle's rules (the Latin digraph U+01C5 is title case), the
# Kelvin sign and dotted capital I (they lower-case to ASCII and to two
# characters), Greek final sigma.
_TOKEN_PIECES = [
    "spokesman",
    "Spokesman",
    "SPOKESMAN",
    "official",
    "Sen.",
    "sen",
    "SEN",
    "Gen",
    "gen",
    "Dr",
    "Dmitri",
    "Peskov",
    "\u01c5emal",
    "\u00c7elik",
    "\u00e7elik",
    "\u00c9COLE",
    "\u0130STANBUL",
    "\u212aim",
    "\u212aIM",
    "\u03a3\u039f\u03a3",
    "O'Neil",
    "McDonald",
    "NATO",
    "SO",
    "DO",
    "NOT",
    "SHOCKING",
    "WATCH",
    "I",
    "i",
    "me",
    "You",
    "YOU",
    "January",
    "JANUARY",
    "january",
    "March",
    "march",
    "May",
    "Sept",
    "x",
    "A",
    "1,200",
    "$5",
    "2023",
    "said",
    "according to",
    "share if",
    "share",
    "if",
    "tl",
    "dr",
    "h/t",
    "watch:",
    "deep state",
]
token_texts = st.lists(st.sampled_from(_TOKEN_PIECES), max_size=40).map(
    " ".join
) | st.lists(
    st.sampled_from([*_TOKEN_PIECES, ", ", ". ", "\n", '"', "\u201c", "\u201d", " "]),
    max_size=40,
).map("".join)


@settings(max_examples=500)
@given(token_texts)
def test_practice_tokens_are_unchanged(text):
    _same_output(practice.practice(text), old_practice.practice(text))


@njit(cache=True)
def _compiled_gauss_parts(u1, u2):  # pragma: no cover - compiled
    """The scalar operations of language._detect_block's Random.gauss."""
    a = np.empty(len(u1))
    b = np.empty(len(u1))
    for k in range(len(u1)):
        x2pi = u1[k] * language._TWOPI
        g2rad = math.sqrt(-2.0 * math.log(1.0 - u2[k]))
        a[k] = math.cos(x2pi) * g2rad
        b[k] = math.sin(x2pi) * g2rad
    return a, b


def test_compiled_gauss_is_pythons():
    """The compiled trials call the libm functions CPython's Random.gauss calls."""
    import random

    rng = random.Random(14)
    u1 = np.array(
        [rng.random() for _ in range(20_000)] + [0.0, 1e-300, 0.5, 1 - 2**-53]
    )
    u2 = np.array(
        [rng.random() for _ in range(20_000)] + [0.0, 1e-300, 0.5, 1 - 2**-53]
    )
    a, b = _compiled_gauss_parts(u1, u2)
    for x, y, z, g in zip(u1.tolist(), u2.tolist(), a.tolist(), b.tolist()):
        x2pi = x * (2.0 * math.pi)
        g2rad = math.sqrt(-2.0 * math.log(1.0 - y))
        assert (math.cos(x2pi) * g2rad, math.sin(x2pi) * g2rad) == (z, g)


@settings(max_examples=300)
@given(texts)
def test_language_is_unchanged(text):
    assert language.language(text).signals == old_language.language(text).signals
    sampled = language.sample(text)
    assert language.detect_sample(sampled) == old_language.detect_sample(sampled)


@pytest.mark.parametrize("name", _SEED_NAMES)
def test_language_on_the_seeds_is_unchanged(name):
    text = _seed(name)
    assert language.language(text).signals == old_language.language(text).signals
    assert language.detect_sample(text[:3000]) == old_language.detect_sample(
        text[:3000]
    )


def test_str_split_whitespace_is_res():
    """language._collapse_whitespace relies on str.split() splitting on exactly \\s."""
    import re

    rx = re.compile(r"\s")
    every = "".join(chr(cp) for cp in range(0x110000) if not 0xD800 <= cp <= 0xDFFF)
    by_split = set("".join(every.split()))
    for ch in every:
        assert (rx.match(ch) is not None) == (ch not in by_split) == ch.isspace(), hex(
            ord(ch)
        )


@settings(max_examples=500)
@given(
    st.text(
        alphabet=" \t\n\r\x0b\x0c\x1c\x1f\x85\xa0\u1680\u2000\u2028\u200b\u3000\ufeffab"
    )
    | any_text
)
def test_collapse_whitespace_is_the_sub(piece):
    assert language._collapse_whitespace(piece) == old_language._WHITESPACE_RE.sub(
        " ", piece
    )


_EMOJI_CHARS = (
    "a \n\u200d\ufe0f\U0001f3fb\U0001f3ff\U0001f600\U0001f44d\U0001f000\U0001faff\U0001fb00\u2600\u27bf\u27c0"
    "\u2300\u23ff\u2b00\u2bff\u2764\ud83d\ude00\ud800"
)


@settings(max_examples=500)
@given(st.text(alphabet=_EMOJI_CHARS, max_size=40) | any_text | news)
def test_emoji_count_is_the_patterns(text):
    assert _counts.emoji_count(_counts.codes(text)) == len(
        old_engagement._EMOJI_RE.findall(text)
    )


_TLDR_CHARS = "tTlLdDrR ;:\n_a1.\u00e9\U0001f600"
_TLDR_PIECES = [
    "TL;DR",
    "tl:dr",
    "TLDR",
    "TL DR",
    "tl; dr",
    "TL ; DR",
    "TL  DR",
    "\n",
    " ",
    "x",
    "\U0001f600",
    "\u03c0 ",
]


@settings(max_examples=500)
@given(
    st.text(alphabet=_TLDR_CHARS, max_size=40)
    | st.lists(st.sampled_from(_TLDR_PIECES), max_size=12).map("".join)
    | any_text
)
def test_tldr_lines_are_the_patterns(text):
    starts = _counts.tldr_lines(
        _counts.codes(text), _counts.char_classes(), engagement.TLDR_MAX_LEAD
    )
    assert starts.tolist() == [
        m.start() for m in old_engagement._TLDR_RE.finditer(text)
    ]
    _same_output(engagement.engagement(text), old_engagement.engagement(text))


def test_tldr_letters_ignoring_case_are_ascii():
    """_counts.tldr_lines compares T, L, D, R with their two ASCII cases only."""
    import re

    for letter in "tldr":
        rx = re.compile(letter, re.IGNORECASE)
        assert [chr(cp) for cp in range(0x110000) if rx.match(chr(cp))] == [
            letter.upper(),
            letter,
        ]


def test_isalnum_words_are_their_own_clean_form():
    """readability.counts skips _clean for str.isalnum words: every such character is \\w."""
    import re

    word = re.compile(r"\w")
    for cp in range(0x110000):
        ch = chr(cp)
        if ch.isalnum():
            assert word.match(ch), hex(cp)


@given(st.text(alphabet="!?a \n\u00a1\u00bf\U0001f600", max_size=40) | any_text)
def test_mark_runs_are_the_patterns(text):
    from newsqa.signals._practice_kernels import mark_runs

    assert mark_runs(_counts.codes(text)) == (
        len(old_practice._EXCLAMATION_RE.findall(text)),
        len(old_practice._QUESTION_RE.findall(text)),
    )
