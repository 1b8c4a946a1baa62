"""Round r2 of the practice signal: the attribution windows in compiled code, against the oracle."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from newsqa.signals import practice
from newsqa.signals._counts import MAX_CODE_POINT, char_classes

from ..strategies import any_text
from .oracle import engagement as old_engagement
from .oracle import practice as old_practice

_PIECES = [
    "said",
    "SAID",
    "Said",
    "says",
    "saying",
    "told",
    "tells",
    "spokesman",
    "SPOKESWOMAN",
    "spokesperson",
    "acknowledged",
    "according",
    "According",
    "to",
    "To",
    "in",
    "In",
    "a",
    "an",
    "statement",
    "interview",
    "declined",
    "comment",
    "request",
    "for",
    "unsaid",
    "saidx",
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
    "\u2019",
    "\u2014",
    "\u00b2",
    "\u0663",
    "\u0130",  # İ: two characters lower-cased
    "\u212a",  # Kelvin sign: lower-cases to "k"
    "ac\u212anowledged",
    "\u03a3",  # capital sigma: lower-cased by its neighbours
    "\u00df",
    "\u00e9",
    "\u0301",
    "\ud800",
    "\udfff",
    "\U0001f600",
    '"',
    "\u201c",
    "\u201d",
    "\u201e",
    "\u00ab",
    "\u00bb",
    "We will respond",
    "the spokesman said on Tuesday",
]
quote_texts = st.lists(st.sampled_from(_PIECES), max_size=60).map("".join)


def _same_quotes(text: str) -> None:
    starts, ends = old_engagement._quoted_spans(text)
    assert practice._quotes(text, starts, ends) == old_practice._quotes(text, starts, ends)


@settings(max_examples=800)
@given(quote_texts)
def test_quotes_are_the_oracles(text):
    _same_quotes(text)


@settings(max_examples=300)
@given(any_text | st.text())
def test_quotes_of_any_text_are_the_oracles(text):
    _same_quotes(text)


@settings(max_examples=300)
@given(quote_texts, st.lists(st.tuples(st.integers(0, 200), st.integers(0, 200)), max_size=3))
def test_practice_is_the_oracles(text, spans):
    skip = tuple(sorted(spans))
    assert practice.practice(text, skip=skip).signals == old_practice.practice(text, skip=skip).signals


def test_odd_characters_are_all_the_kernel_cannot_lower_case():
    odd = practice._attribution_tables()[0]
    table = char_classes()
    for c in range(128, MAX_CODE_POINT):
        if odd[c]:
            continue
        ch = chr(c)
        low = ch.lower()
        assert len(low) == 1 and ord(low) >= 128 and table[ord(low)] == table[c], hex(c)
    assert odd[0x130] and odd[0x3A3] and odd[0x212A]
    assert not odd[:128].any()


def test_long_windows_and_many_quotes():
    text = ('"one two three" he said. ' + "x" * 100 + " \u201cfour five six\u201d " + "\u03a3 said " * 3) * 500
    _same_quotes(text)
    assert np.all(practice._attribution_tables()[3][1:] > 0)
