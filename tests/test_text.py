"""The tokenizer: kernel against reference, Unicode tables, shingles."""

from __future__ import annotations

import unicodedata

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import newsqa
from newsqa import _kernels as K
from newsqa import text as T
from newsqa._unicode import NEEDS_NFKC, build_tables, load_tables
from newsqa.minhash import token_hashes

from .strategies import any_text, mixed_chars


def reference_hashes(text: str) -> list[int]:
    return [T._token_hash(t) for t in T.tokens(text)]


@given(any_text)
def test_kernel_tokens_equal_reference(text):
    assert token_hashes(text).tolist() == reference_hashes(text)


@given(st.text(alphabet=mixed_chars, max_size=300))
def test_slow_and_fast_tokenizers_agree(text):
    text = unicodedata.normalize("NFKC", text)
    cls, fk, fo, fd = load_tables()
    buf, starts, out = K.make_buffers(len(text))
    n_fast, status = K.tokenize_fast(text, 0, len(text), cls, fk, fo, fd, False, buf, starts, out)
    fast = out[:n_fast].tolist()
    big = np.empty(K.token_capacity(len(text)), dtype=np.uint64)
    n_slow, status2 = K.tokenize_into(text, 0, len(text), cls, fk, fo, fd, False, big)
    assert status == status2 == K.OK
    assert fast == big[:n_slow].tolist()


@pytest.mark.parametrize("length", [1, 7, 8, 9, 63, 64, 65, 127, 128, 129, 192])
@pytest.mark.parametrize("tail", ["", " ", ".", "é", "北"])
def test_tokens_ending_at_block_boundaries(length, tail):
    # The fast tokenizer scans 64-byte blocks: words that end exactly at a
    # block edge, and texts one byte either side of it.
    for text in ("a" * length + tail, "x " * (length // 2) + "y" * (length % 7 + 1) + tail):
        assert token_hashes(text).tolist() == reference_hashes(text)
    texts = ["b" * length, "c" * (length + 1), "", "d " * length]
    sigs = newsqa.signatures(texts)
    assert all((sigs[i] == newsqa.signatures([t])[0]).all() for i, t in enumerate(texts))


def test_tokens_of_mixed_scripts():
    assert T.tokens("Kim Jong-un’s VISIT") == ["kim", "jong", "un", "s", "visit"]
    assert T.tokens("東京で会談") == ["東", "京", "で", "会", "談"]
    assert T.tokens("ﬁne ½") == ["fine", "1", "2"]
    assert T.tokens("Straße") == ["strasse"]
    assert T.tokens("e\u0301t\u00e9") == ["été"]  # decomposed input composes
    assert T.tokens("") == [] and T.tokens(" \n\t 😀 …") == []


def test_composed_and_decomposed_texts_hash_alike():
    a = newsqa.signatures(["caf\u00e9 cr\u00e8me br\u00fbl\u00e9e is served here"])
    b = newsqa.signatures([unicodedata.normalize("NFD", "caf\u00e9 cr\u00e8me br\u00fbl\u00e9e is served here")])
    assert (a == b).all()


def test_shingles_short_text_is_one_shingle():
    assert T.shingles("two words", ngram=5) == ["two words"]
    assert T.shingles("", ngram=5) == []
    assert len(T.shingles("a b c d e f g", ngram=5)) == 3


def test_shipped_unicode_tables_match_this_python():
    shipped = load_tables()
    built = build_tables()
    if str(built["unidata_version"]) == unicodedata.unidata_version and unicodedata.unidata_version == str(
        np.load(__import__("importlib.resources").resources.files("newsqa") / "data" / "unicode_tables.npz")[
            "unidata_version"
        ]
    ):
        assert np.array_equal(shipped[0], built["cls"])
        assert np.array_equal(shipped[1], built["fold_keys"])
        assert np.array_equal(shipped[3], built["fold_data"])
    else:  # another Unicode version: the shipped tables still agree on ASCII and Latin-1
        assert np.array_equal(shipped[0][:256], built["cls"][:256])


def test_composing_characters_are_flagged():
    cls = load_tables()[0]
    for ch in "\u0301\u0308\u1161\u11a8\u0bbe":
        assert cls[ord(ch)] & NEEDS_NFKC, hex(ord(ch))
    for ch in "aé’北":
        assert not cls[ord(ch)] & NEEDS_NFKC


def test_gather_constant_collects_byte_flags():
    for bits in range(256):
        x = sum(((bits >> i) & 1) << (8 * i) for i in range(8))
        assert ((x * int(K.GATHER)) & (2**64 - 1)) >> 56 == bits


@given(st.text(max_size=200))
def test_normalize_is_idempotent(text):
    once = T.normalize(text)
    assert T.tokens(once) == T.tokens(text)
