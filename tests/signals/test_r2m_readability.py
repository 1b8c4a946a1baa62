"""The r2-3 cache of out-of-dictionary words' syllables never changes readability's counts.

Compared with the frozen perf-3 copy (``tests/signals/oracle/readability.py``)
with the cache cold, warm, nearly full (cleared mid-text) and bypassed
(texts with more than MAX_HYPHENATED_PER_TEXT such words).
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsqa.signals import readability as new

from ..conftest import SEEDS
from ..strategies import any_text
from .oracle import readability as old

_WORDS = st.sampled_from(
    [
        "the",
        "“Hello",
        "world”",
        "don't",
        "DON’T",
        "U.S.",
        "Zelenskyy",
        "café",
        "naïve",
        "x'y",
        "'re",
        "rock'n'roll",
        "COVID-19",
        "Ελλάδα",
        "Москва",
        "北京",
        "😀",
        "e-mail",
        "qwrtzp",
        "_",
    ]
)
_TEXTS = st.one_of(
    any_text,
    st.lists(st.one_of(_WORDS, st.text(max_size=8)), max_size=80).map(" ".join),
    st.lists(st.one_of(_WORDS, st.sampled_from([". ", "! ", "? ", "\n"])), max_size=80).map(" ".join),
)


def assert_same(text: str) -> None:
    expected = old.counts(text)
    new._RAW_SYLLABLES.clear()
    assert new.counts(text) == expected  # cold
    assert new.counts(text) == expected  # warm
    assert new.readability(text) == old.readability(text)


@settings(max_examples=400, deadline=None)
@given(_TEXTS)
def test_same_as_oracle(text: str) -> None:
    assert_same(text)


@settings(max_examples=100, deadline=None)
@given(_TEXTS, _TEXTS)
def test_cache_filled_by_another_text(a: str, b: str) -> None:
    new._RAW_SYLLABLES.clear()
    new.counts(a)
    assert new.counts(b) == old.counts(b)


@settings(max_examples=100, deadline=None)
@given(_TEXTS)
def test_cache_cleared_when_full(monkeypatch_text: str) -> None:
    mp = pytest.MonkeyPatch()
    try:
        mp.setattr(new, "RAW_CACHE_SIZE", 3)
        new._RAW_SYLLABLES.clear()
        assert new.counts(monkeypatch_text) == old.counts(monkeypatch_text)
        assert new.counts(monkeypatch_text + " zzqx qqwv") == old.counts(monkeypatch_text + " zzqx qqwv")
    finally:
        mp.undo()


def test_many_unknown_words_bypass_the_cache() -> None:
    # more than MAX_HYPHENATED_PER_TEXT distinct out-of-dictionary words:
    # the later ones get vowel groups, a per-text rule the cache must not cover
    words = [f"zq{chr(0x61 + i % 26)}{chr(0x61 + i // 26 % 26)}{chr(0x61 + i // 676)}ation" for i in range(1500)]
    text = " ".join(words) + "."
    new.counts(" ".join(words[1200:]))  # warm the cache with words that come late here
    assert new.counts(text) == old.counts(text)
    small = " ".join(words[:900]) + "."
    assert_same(small)


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.stem)
def test_seeds_same_as_oracle(path) -> None:
    assert_same(path.read_text(encoding="utf-8"))
