"""The r2-3 speed work on the mojibake signal gives exactly what the code before it gave.

The oracle is a frozen copy of the module as it was
(``tests/signals/oracle/mojibake.py``). Every output is compared whole: the
flags (spans, kinds, reasons, scores, extra) and the signals, with the
cross-call run cache both cold and warm, and :func:`repair` too.
"""

from __future__ import annotations

import codecs
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsqa.signals import mojibake as new

from ..conftest import SEEDS
from ..strategies import any_text
from .oracle import mojibake as old

_C1_RE = re.compile("[\x80-\x9f]")
_CODECS = [
    "cp1252",
    "latin-1",
    "cp1250",
    "cp1251",
    "cp1253",
    "cp1254",
    "iso8859_2",
    "iso8859_5",
    "iso8859_7",
    "mac_roman",
    "cp437",
    "cp1257",
]
# What real text holds and what mojibake is made of: accented letters,
# punctuation, symbols, Greek, Cyrillic, CJK, emoji (with modifiers and ZWJ),
# U+FFFD, a lone surrogate, and the classic damaged forms themselves.
_SOURCE = list("éèüñçãÉÑßøåłśžčğİıœ’‘“”—–…•€£©®°™\u00a0\u00adαβπΣМосквадії中文한국😀🤔👍🏽\u200d❤️\ufffd\ufeff")
_DAMAGED = ["Ã©", "â€™", "â€œ", "â€", "Â\xa0", "Â ", "â\x80\x99", "ðŸ‘", "π€¨", "Koreaβs", "donât", "вЂ™", "β€", "Гј"]
_ASCII_BITS = ["the ", "It", "s ", "Don", "t", " ", "\n", ". ", ", ", "2π", "r²", "(", ")", '"', "'", "x", "OK", "β-"]


def _corrupt(text: str, codec: str, strip: bool) -> str:
    out = text.encode("utf-8", "surrogatepass").decode(codec, errors="ignore")
    return _C1_RE.sub("", out) if strip else out


@st.composite
def mojibake_text(draw: st.DrawFn) -> str:
    parts = draw(
        st.lists(
            st.one_of(
                st.sampled_from(_ASCII_BITS),
                st.sampled_from(_SOURCE),
                st.sampled_from(_DAMAGED),
                st.text(alphabet=st.sampled_from(_SOURCE + list("abcXYZ \n.,'")), max_size=12),
                st.characters(),
            ),
            max_size=60,
        )
    )
    text = "".join(parts)
    if draw(st.booleans()):
        codec = draw(st.sampled_from(_CODECS))
        damaged = _corrupt(text, codec, draw(st.booleans()))
        # corrupt all, or only a slice (mojibake next to clean text)
        if draw(st.booleans()):
            i = draw(st.integers(0, len(text)))
            text = text[:i] + _corrupt(text[i:], codec, False)
        else:
            text = damaged
    if draw(st.booleans()):
        text = text * draw(st.integers(1, 3))  # repeated runs go through the run cache
    return text


def _dump(mod, text: str):
    out = mod.mojibake(text)
    return [(f.kind, f.start, f.end, f.reason, f.score, dict(f.extra)) for f in out.flags], dict(out.signals)


def assert_same(text: str) -> None:
    expected = _dump(old, text)
    new._RUN_CACHE.clear()
    assert _dump(new, text) == expected  # cold
    assert _dump(new, text) == expected  # warm


@settings(max_examples=400, deadline=None)
@given(any_text)
def test_any_text_same_as_oracle(text: str) -> None:
    assert_same(text)


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_plain_text_same_as_oracle(text: str) -> None:
    assert_same(text)


@settings(max_examples=600, deadline=None)
@given(mojibake_text())
def test_mojibake_text_same_as_oracle(text: str) -> None:
    assert_same(text)
    assert new.repair(text) == old.repair(text)


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.stem)
def test_seeds_same_as_oracle(path) -> None:
    text = path.read_text(encoding="utf-8")
    assert_same(text)
    for codec in ("cp1252", "iso8859_7", "mac_roman", "cp1251"):
        damaged = _corrupt(text, codec, True)
        assert_same(damaged)


def test_run_cache_is_bounded() -> None:
    new._RUN_CACHE.clear()
    text = " ".join(f"x{chr(0xC0 + i % 60)}{chr(0x2019 + i % 5)}{chr(0xC0 + i // 60)}" for i in range(6000))
    assert_same(text)
    assert len(new._RUN_CACHE) <= new._RUN_CACHE_SIZE
    long_run = "Ã©" * (new._RUN_CACHE_MAX_LEN + 1)
    assert_same(f"a {long_run} b")
    assert all(len(k[0]) <= new._RUN_CACHE_MAX_LEN for k in new._RUN_CACHE)


def test_codecs_exist() -> None:
    for c in _CODECS:
        codecs.lookup(c)


def _units(text: str):
    import numpy as np

    return np.frombuffer(text.encode("utf-16-le", "surrogatepass"), np.uint16)


_PREPASS_TEXT = st.one_of(any_text, st.text(), mojibake_text())


@settings(max_examples=500, deadline=None)
@given(_PREPASS_TEXT)
def test_prepass_never_rules_out_a_match(text: str) -> None:
    """Each pre-pass bit is set exactly when the full regex scan it gates finds something to start from."""
    bits, runs = new.scan_units(_units(text), new._LUT)
    assert bool(bits & new.PAIR) == bool(new._PAIR_RE.search(text))
    assert bool(bits & new._LONE_ANY_BITS) == bool(new._LONE_ANY_RE.search(text))
    assert bool(bits & new._FTFY_ONLY) == bool(new._FTFY_ONLY_RE.search(text))
    for rx, bit in [
        (new._FOREIGN_IN_WORD_RE, new._FOREIGN_BIT),
        (new._LONE_RE, new._LONE_BIT),
        (new._QUOTE_RUN_RE, new._QUOTE_BIT),
        (new._EDGE_RE, new._QUOTE_BIT),
        (new._CONTRACTION_RE, new._A_CIRC_BIT),
        (new._STRAY_A_RE, new._STRAY_A_BIT),
    ]:
        if rx.search(text):
            assert bits & bit, rx.pattern
    if len(_units(text)) == len(text):
        spans = runs.tolist()
        expected = [m.span() for m in new._NONASCII_RUN_RE.finditer(text) if new._PAIR_RE.search(m.group())]
        assert list(zip(spans[::2], spans[1::2])) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\ud800",
        "a\udc00b\ud83d",
        "Ã©" * 5000,
        "😀Ã©" * 300 + "\n" + "It\u00e2\u20ac\u2122s " * 200,
        "\n".join(["Ã©", "β", "x\u00e2\u20ac"] * 3000),
        "https://example.com/caf\u00c3\u00a9?q=\u00e2\u20ac\u2122 " * 500,
        "\U0001f600" * 2000 + " π TL:DR; π",
    ],
    ids=["empty", "surrogate", "surrogates", "long-run", "astral-mix", "short-lines", "urls", "emoji"],
)
def test_edge_texts_same_as_oracle(text: str) -> None:
    assert_same(text)
