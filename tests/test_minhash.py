"""Signatures: datasketch equality, estimates, robustness."""

from __future__ import annotations

import math
import random

import datasketch
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import newsqa
from newsqa import minhash as M
from newsqa.errors import ConfigError, InputError

from .strategies import any_text, word_lists


@given(any_text, st.sampled_from([1, 2, 5]), st.sampled_from([1, 7]))
def test_equals_datasketch_with_newsqa_hash(text, ngram, seed):
    m = datasketch.MinHash(num_perm=64, seed=seed, hashfunc=newsqa.text.shingle_hash32)
    m.update_batch(newsqa.text.shingles(text, ngram))
    sig = newsqa.signatures([text], num_perm=64, ngram=ngram, seed=seed)[0]
    assert np.array_equal(m.digest(), sig)


@given(st.lists(any_text, max_size=4))
def test_equals_datasketch_default_sha1(texts):
    sigs = newsqa.signatures(texts, num_perm=32, hash="sha1")
    for text, sig in zip(texts, sigs):
        m = datasketch.MinHash(num_perm=32, seed=1)
        m.update_batch([s.encode("utf-8") for s in newsqa.text.shingles(text)])
        assert np.array_equal(m.digest(), sig)


@given(any_text)
def test_identical_texts_identical_signatures(text):
    sigs = newsqa.signatures([text, text, text.upper().lower() if text.isascii() else text])
    assert (sigs[0] == sigs[1]).all() and (sigs[0] == sigs[2]).all()


def _sets(words_a, words_b):
    return set(newsqa.text.shingles(" ".join(words_a))), set(newsqa.text.shingles(" ".join(words_b)))


@given(st.integers(0, 2**31), st.floats(0.0, 1.0))
def test_estimate_within_tolerance_of_exact_jaccard(seed, keep):
    rng = random.Random(seed)
    base = [f"w{rng.randrange(10**6)}" for _ in range(400)]
    other = [w if rng.random() < keep else f"x{rng.randrange(10**6)}" for w in base]
    sa, sb = _sets(base, other)
    exact = len(sa & sb) / len(sa | sb)
    sig = newsqa.signatures([" ".join(base), " ".join(other)], num_perm=256)
    est = newsqa.minhash.jaccard(sig[0], sig[1])
    sd = math.sqrt(max(exact * (1 - exact), 1e-3) / 256)
    assert abs(est - exact) <= 5 * sd + 1e-9
    assert est == newsqa.minhash.jaccard(sig[1], sig[0])


def test_estimate_is_unbiased_on_average():
    rng = random.Random(3)
    errors = []
    for _ in range(60):
        base = [f"w{rng.randrange(10**6)}" for _ in range(300)]
        other = base[:240] + [f"x{rng.randrange(10**6)}" for _ in range(60)]
        sa, sb = _sets(base, other)
        exact = len(sa & sb) / len(sa | sb)
        sig = newsqa.signatures([" ".join(base), " ".join(other)])
        errors.append(newsqa.minhash.jaccard(sig[0], sig[1]) - exact)
    assert abs(float(np.mean(errors))) < 0.02


@given(word_lists)
def test_signature_shape_and_dtype(words):
    sig = newsqa.signatures([" ".join(words)], num_perm=32)
    assert sig.shape == (1, 32) and sig.dtype == np.uint32
    if not words:
        assert (sig == M.EMPTY_VALUE).all()


def test_batches_and_threads_give_same_signatures(edited_records):
    texts = [r["text"] for r in edited_records] * 30
    one = newsqa.signatures(texts)
    two = newsqa.signatures(texts, n_jobs=2)
    assert np.array_equal(one, two)
    singles = np.vstack([newsqa.signatures([t]) for t in texts[:20]])
    assert np.array_equal(one[:20], singles)


def test_to_datasketch_roundtrip_and_lsh():
    texts = ["Putin landed in Pyongyang before dawn on Wednesday for talks with Kim " * 3, "Unrelated " * 20]
    sigs = newsqa.signatures(texts)
    lean = newsqa.to_datasketch(sigs[0])
    assert isinstance(lean, datasketch.LeanMinHash)
    assert np.array_equal(lean.digest(), sigs[0])
    lsh = datasketch.MinHashLSH(threshold=0.8, num_perm=128)
    lsh.insert("a", lean)
    lsh.insert("b", newsqa.to_datasketch(sigs[1]))
    assert lsh.query(newsqa.to_datasketch(sigs[0])) == ["a"]
    with pytest.raises(InputError):
        newsqa.to_datasketch(sigs)


def test_bad_inputs_are_clear():
    with pytest.raises(InputError, match="decode bytes first"):
        newsqa.signatures([b"bytes"])
    with pytest.raises(InputError, match="not one str"):
        newsqa.signatures("a text")
    with pytest.raises(ConfigError, match="num_perm"):
        newsqa.signatures(["x"], num_perm=100)


def test_adversarial_inputs_finish():
    # A 5 MB single line, 100k emoji, 50k URLs, a long run of one letter.
    texts = [
        "word " * 1_000_000,
        "😀" * 100_000,
        " ".join(f"https://spam{i}.example.com/x" for i in range(50_000)),
        "a" * 2_000_000,
        "\ufdfa" * 20_000,  # folds into four words; neighbours join at the ends
    ]
    sk = M.sketch(texts)
    assert sk.n_shingles[0] == 1_000_000 - 4
    assert sk.n_shingles[1] == 0
    assert sk.n_shingles[3] == 1
    assert sk.n_shingles[4] == (3 * 20_000 + 1) - 4


@given(any_text, st.integers(1, 7))
def test_shingle_sequence_is_the_hashed_reference_shingles_in_order(text, ngram):
    from newsqa.text import shingle_hash64, shingles

    assert M.shingle_sequence(text, ngram).tolist() == [shingle_hash64(s) for s in shingles(text, ngram)]
