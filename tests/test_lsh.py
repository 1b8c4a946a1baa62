"""LSH banding and candidate generation."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsqa import lsh


@given(st.floats(0.3, 0.99), st.sampled_from([64, 128, 256]))
def test_optimal_params_meet_the_miss_target(threshold, num_perm):
    b, r = lsh.optimal_params(threshold, num_perm)
    assert b * r <= num_perm
    miss = 1 - lsh.candidate_probability(threshold, b, r)
    best_possible = min((1 - threshold**rr) ** (num_perm // rr) for rr in range(1, num_perm + 1))
    assert miss <= max(lsh.MAX_MISS, best_possible) + 1e-15


def test_params_fall_with_threshold():
    # a higher threshold needs longer bands to keep false positives down
    rows = [lsh.optimal_params(t, 128)[1] for t in (0.5, 0.7, 0.8, 0.9)]
    assert rows == sorted(rows)


def test_star_edges_not_all_pairs():
    rng = np.random.default_rng(0)
    base = rng.integers(0, 2**32, 128, dtype=np.uint64).astype(np.uint32)
    sigs = np.tile(base, (500, 1))  # 500 identical copies of one story
    pairs = lsh.candidate_pairs(sigs, 25, 5, min_equal=100)
    assert pairs.shape == (499, 2)
    assert (pairs[:, 0] == 0).all()


def test_distinct_signatures_give_no_candidates():
    rng = np.random.default_rng(1)
    sigs = rng.integers(0, 2**32, (2000, 128), dtype=np.uint64).astype(np.uint32)
    assert lsh.candidate_pairs(sigs, 25, 5, min_equal=100).shape == (0, 2)


def test_bucket_with_two_stories_keeps_them_apart():
    rng = np.random.default_rng(2)
    a = rng.integers(0, 2**32, 128, dtype=np.uint64).astype(np.uint32)
    b = rng.integers(0, 2**32, 128, dtype=np.uint64).astype(np.uint32)
    b[:5] = a[:5]  # the two stories share band 0 only
    sigs = np.vstack([a, b, a, b])
    pairs = {tuple(p) for p in lsh.candidate_pairs(sigs, 25, 5, min_equal=100).tolist()}
    assert pairs == {(0, 2), (1, 3)}


def test_containment_pairs_are_capped():
    sigs = np.zeros((100, 128), dtype=np.uint32)
    pairs = lsh.candidate_pairs(sigs, 64, 2, cap=4)
    # each member pairs with at most 4 earlier ones: 0+1+2+3+4*96
    assert len(pairs) == 6 + 4 * 96


@pytest.mark.parametrize("t", [0.5, 0.8, 0.95])
def test_min_equal_at_threshold(t):
    assert lsh.min_equal_for(t, 128, 0.0) == int(np.ceil(t * 128 - 1e-9))
    assert lsh.min_equal_for(t, 128, 3.0) < lsh.min_equal_for(t, 128, 0.0)


@settings(max_examples=60, deadline=None)
@given(
    st.integers(2, 60),
    st.integers(1, 6),
    st.integers(1, 5),
    st.integers(0, 2**32 - 1),
)
def test_labelled_containment_pairs_are_the_pairs_less_those_within_a_label(n, n_stories, n_labels, seed):
    rng = np.random.default_rng(seed)
    stories = rng.integers(0, 2**32, (n_stories, 128), dtype=np.uint64).astype(np.uint32)
    sigs = stories[rng.integers(0, n_stories, n)].copy()
    sigs[rng.random(sigs.shape) < 0.3] = 7  # partial agreement: some bands only
    labels = rng.integers(0, n_labels, n)
    idx = np.sort(rng.choice(n, size=max(2, n // 2), replace=False)).astype(np.int64)
    for cap in (1, 3, 16):
        every = lsh.candidate_pairs(sigs, 64, 2, idx=idx, cap=cap)
        want = {tuple(p) for p in every.tolist() if labels[idx[p[0]]] != labels[idx[p[1]]]}
        got = lsh.candidate_pairs(sigs, 64, 2, idx=idx, cap=cap, labels=labels[idx])
        assert {tuple(p) for p in got.tolist()} == want
        assert got.tolist() == sorted(got.tolist())
