"""Word-level diffs of cluster members (newsqa.report._diff)."""

from __future__ import annotations

import random
import re
from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from newsqa.report import _diff
from newsqa.report._diff import CHANGE_MAX_WORDS, CONTEXT_WORDS, diff_words, words

from ..strategies import any_text

small_words = st.lists(
    st.sampled_from(["a", "b", "c", "Kim", "Putin", "met", "in", "2", "two"]),
    max_size=80,
)


def _check_opcodes(a: list[str], b: list[str]) -> list[tuple[str, int, int, int, int]]:
    """The opcodes cover both sequences in order; equal ranges are equal."""
    ops = _diff._opcodes(a, b)
    i = j = 0
    for tag, i1, i2, j1, j2 in ops:
        assert (i1, j1) == (i, j)
        assert i1 <= i2 and j1 <= j2
        if tag == "equal":
            assert a[i1:i2] == b[j1:j2]
        elif tag == "insert":
            assert i1 == i2 and j1 < j2
        elif tag == "delete":
            assert j1 == j2 and i1 < i2
        else:
            assert tag == "replace" and i1 < i2 and j1 < j2
        i, j = i2, j2
    assert (i, j) == (len(a), len(b))
    for (t1, *_), (t2, *_) in pairwise(ops):
        assert not (t1 == "equal" and t2 == "equal") and not (
            t1 != "equal" and t2 != "equal"
        )
    return ops


@given(small_words, small_words)
def test_opcodes_cover_both_sides(a, b):
    _check_opcodes(a, b)


@given(small_words)
def test_identical_is_one_equal_run(a):
    ops = _check_opcodes(a, list(a))
    assert all(tag == "equal" for tag, *_ in ops)


@given(any_text, any_text)
def test_never_raises_and_is_deterministic(x, y):
    assert diff_words(x, y) == diff_words(x, y)


def _member_text(segs: list[list]) -> str:
    """The member's text from segments that elide nothing."""
    out = []
    for s in segs:
        if s[0] == "=":
            assert len(s) == 2
            out.append(s[1])
        elif s[0] == "+":
            out.append(s[1])
        elif s[0] == "~":
            out.append(s[2])
    return "".join(out)


def _original_text(segs: list[list]) -> str:
    out = []
    for s in segs:
        if s[0] == "=" or s[0] == "-" or s[0] == "~":
            out.append(s[1])
    return "".join(out)


def test_short_texts_rebuild_both_sides():
    original = "Putin will visit two countries and meet Kim in Pyongyang."
    member = (
        "Putin will go to 2 international locations and meet Kim in Pyongyang today."
    )
    segs = diff_words(original, member)
    assert _member_text(segs) == member
    # words of the original keep their own spacing; the member's show for equal runs
    assert re.sub(r"\s+", " ", _original_text(segs)).split() == original.split()


def test_spun_substitutions_are_replacements_from_original_to_spun():
    segs = diff_words(
        "Putin will visit two countries.", "Putin will go to 2 international locations."
    )
    assert [
        "~",
        "visit two countries.",
        "go to 2 international locations.",
        0,
        0,
    ] in segs


def test_long_unchanged_runs_keep_context_only():
    body = " ".join(f"w{i}" for i in range(200))
    segs = diff_words("Start. " + body + " end.", "Begin. " + body + " end.")
    assert segs[0][0] == "~"
    last = segs[1]  # context after the change only: nothing changes after it
    assert (
        last[0] == "="
        and len(last[1].split()) == CONTEXT_WORDS
        and last[2] == 201 - CONTEXT_WORDS
    )
    assert last[3] == ""
    segs = diff_words("Start. " + body + " end.", "Begin. " + body + " finish.")
    middle = segs[1]
    assert middle[0] == "=" and len(middle) == 4
    assert (
        len(middle[1].split()) == CONTEXT_WORDS
        and len(middle[3].split()) == CONTEXT_WORDS
    )
    assert middle[2] == 200 - 2 * CONTEXT_WORDS


def test_large_additions_are_cut_with_a_count():
    story = "Kim met Putin in Pyongyang on Wednesday for talks on trade and arms."
    page = " ".join(f"other{i}" for i in range(CHANGE_MAX_WORDS + 40))
    segs = diff_words(story, page + " " + story)
    assert segs[0][0] == "+" and segs[0][2] == 40
    assert len(segs[0][1].split()) == CHANGE_MAX_WORDS


def test_adversarial_repetitive_text_stays_bounded():
    """Near copies from a tiny vocabulary: difflib alone is cubic here (16 s at
    2,000 words); the anchored diff still returns a correct, bounded result."""
    rng = random.Random(1)
    for vocab in (2, 30, 3000):
        a = [f"w{rng.randrange(vocab)}" for _ in range(4000)]
        b = list(a)
        for i in range(0, len(b), 7):
            b[i] = "zz"
        _check_opcodes(a, b)


def test_words_split_keeps_whitespace():
    assert "".join(words("  a  b\n\nc ")) == "a  b\n\nc "
