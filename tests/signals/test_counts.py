"""The compiled passes of newsqa.signals._counts find exactly what the patterns they replace find."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsqa.signals import _counts
from newsqa.signals.engagement import _LETTERS_RE
from newsqa.signals.practice import _TOKEN_RE

from ..strategies import any_text

# What the token pattern looks at: letters, digits of several scripts, the
# numeral's $ , . %, underscore, superscripts (\w but not \d), marks, emoji.
_TOKEN_CHARS = "aZ\u00e9\u00df\u01c5\u0130 09\u0663\u0967$.,%_\u00b2\u00bd\u0301-\n\U0001f600\U0001d7d8"


@given(st.text(alphabet=_TOKEN_CHARS, max_size=60) | any_text)
def test_token_spans_are_the_patterns_matches(text):
    spans, numerals = _counts.token_spans(_counts.codes(text), _counts.char_classes())
    matches = list(_TOKEN_RE.finditer(text))
    assert [tuple(s) for s in spans.tolist()] == [m.span() for m in matches]
    assert numerals == sum(1 for m in matches if not _LETTERS_RE.fullmatch(m.group()))
    assert _counts.tokens(text) == _TOKEN_RE.findall(text)


@given(
    st.text(alphabet=_TOKEN_CHARS + "ABCDEFGH\u00c9\u2160\u00aa", max_size=60)
    | any_text,
    st.integers(1, 6),
)
def test_letter_runs_are_the_patterns_matches(text, min_len):
    runs, candidates = _counts.letter_runs(
        _counts.codes(text), _counts.char_classes(), min_len
    )
    words = _LETTERS_RE.findall(text)
    assert runs == len(words)
    upper = [text[a:b] for a, b in candidates.tolist() if text[a:b].isupper()]
    assert upper == [w for w in words if len(w) >= min_len and w.isupper()]


@pytest.mark.parametrize(
    ("pattern", "bit"),
    [
        (r"\w", _counts.WORD),
        (r"\s", _counts.SPACE),
        (r"\d", _counts.DIGIT),
        (r"[^\W\d_]", _counts.LETTER),
    ],
)
def test_char_classes_are_res(pattern, bit):
    table = _counts.char_classes()
    rx = re.compile(pattern)
    for cp in range(
        0, _counts.MAX_CODE_POINT, 7
    ):  # a seventh of the code points, all scripts
        assert bool(table[cp] & bit) == bool(rx.match(chr(cp))), hex(cp)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("word " * 1_000_000, id="5MB-single-line"),
        pytest.param("x" * 5_000_000, id="5MB-one-token"),
        pytest.param("1." * 500_000, id="1M-numeral-dots"),
        pytest.param("line\n" * 200_000, id="200k-short-lines"),
        pytest.param("\U0001f600" * 100_000, id="100k-emoji"),
        pytest.param(
            " ".join(f"https://example{i}.com/p?q={i}" for i in range(50_000)),
            id="50k-urls",
        ),
    ],
)
def test_adversarial_inputs_finish(text):
    spans, _ = _counts.token_spans(_counts.codes(text), _counts.char_classes())
    runs, _ = _counts.letter_runs(_counts.codes(text), _counts.char_classes(), 5)
    assert len(spans) >= 0 and runs >= 0


@given(st.text(alphabet=_TOKEN_CHARS, max_size=60) | any_text)
def test_joined_tokens_are_the_patterns_matches(text):
    spaced, numerals = _counts.joined_tokens(text)
    assert spaced == " ".join(_TOKEN_RE.findall(text))
    assert (
        numerals == _counts.token_spans(_counts.codes(text), _counts.char_classes())[1]
    )


_BOUNDS_SCRIPT = """
import random
from newsqa.signals.engagement import engagement
from newsqa.signals.practice import practice
from newsqa.signals.readability import counts
from newsqa.signals.language import detect_sample, language
rng = random.Random(14)
pieces = ["a", "Kim", "NATO", "SHOCKING", "1", "$", "$5", "1.", "1,5", "%", ".", "!", "?", "'", "'t", "'ve", "'l",
          "\\u2019", "\\"", "\\u201c", "\\u201d", "\\u201e", "\\u00ab", "\\u00bb", "\\n", " ", "\\u00e9", "\\u00b2",
          "\\ud800", "\\U0001f600", "What could", "x" * 70, "said", "spokesman", "Dmitri Peskov",
          "TL;DR", "tl dr", "TL ", "\\u200d", "\\ufe0f", "\\U0001f3fb", "\\u2764", "Sen.", "January", "I", "ANGRY",
          "according to", "\\u01c5", "\\u0130", "\\u4e2d", "\\u3042", "\\u1ea0", "\\u0301", "http://x.y", "a@b.c"]
for _ in range(3000):
    text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 25)))
    counts(text), engagement(text), practice(text), language(text), detect_sample(text)
print("ok")
"""


def test_kernels_stay_in_bounds(tmp_path):
    """The passes under numba's bounds checking, on texts that end on every kind of character."""
    import os
    import subprocess
    import sys

    env = dict(
        os.environ, NUMBA_BOUNDSCHECK="1", NUMBA_CACHE_DIR=str(tmp_path / "numba-cache")
    )
    proc = subprocess.run(
        [sys.executable, "-c", _BOUNDS_SCRIPT],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout.strip() == "ok"


_QUOTE_CHARS = 'ab "\u201c\u201d\u201e\u00ab\u00bb\n.'


@given(st.text(alphabet=_QUOTE_CHARS, max_size=40) | any_text)
def test_quoted_spans_are_engagements(text):
    from newsqa.signals.engagement import _quoted_spans

    starts, ends = _counts.quoted_spans(_counts.codes(text))
    assert (starts.tolist(), ends.tolist()) == _quoted_spans(text)
