"""The benchmark spinner (``benchmarks/_spinner.py``) and the AUC of ``bench_spun.py``.

The spinner makes the spun articles of the spun-text benchmark, so its
promises are tested here on a hand-written paragraph: the rate it reports is
the rate it reached, stop words, numbers and names stay, the same seed gives
the same text, and no ``str`` makes it raise.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.strategies import any_text

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"


def _load(name: str):
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


_spinner = _load("_spinner")

# Written for this test: names, numbers, a quote, a URL, a handle, a hyphenated
# compound, possessives and plenty of ordinary news words.
PARAGRAPH = (
    "Officials said on Monday that the government would announce a new plan to reduce the cost of "
    "health care for 3.5 million families. Hillary Clinton told supporters in Ohio that the proposal "
    "was an important step, while Donald Trump called it a huge mistake and warned voters about rising "
    'taxes. "We will fight for every worker in this country," the candidate said at a crowded rally '
    "in Cleveland, where 2,000 people gathered despite the cold weather. Critics argued that the "
    "program could increase the federal deficit by $40 billion over the next decade, and several "
    "experts questioned whether the country's hospitals were ready. The campaign posted a video at "
    "https://example.com/plan and on Twitter @campaign, and a well-known economist described the idea "
    "as a significant long-term change. NATO leaders met in Brussels in 2016 to discuss security, and the "
    "president praised the agreement.\n"
    "Police arrested two suspects after the attack, and the investigation is continuing."
)
NAMES = (
    "Hillary",
    "Clinton",
    "Ohio",
    "Donald",
    "Trump",
    "Cleveland",
    "Twitter",
    "NATO",
    "Brussels",
)
NUMBERS = ("3.5", "2,000", "$40", "2016")


@pytest.fixture(scope="module")
def spinner():
    return _spinner.Spinner()


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+(?:['’][^\W_]+)*", text)


def test_dictionary_is_broad_and_parses():
    th = _spinner.Thesaurus.load()
    assert th.n_lemmas >= 1500
    assert len(th.entries) > th.n_lemmas  # inflected forms
    singles = [k for k in th.entries if " " not in k]
    assert not [
        k for k in singles if k in _spinner.STOP_WORDS or k in _spinner.NUMBER_WORDS
    ]
    assert all(
        not any(c.isdigit() for c in s) for syns in th.entries.values() for s in syns
    )


@pytest.mark.parametrize(
    ("line", "form", "expected"),
    [
        ("v say = state", "said", "stated"),
        ("v stop = halt", "stopped", "halted"),
        ("v plan = intend", "planning", "intending"),
        ("v agree = concur", "agreeing", "concurring"),
        ("v die = perish", "dying", "perishing"),
        ("v try = attempt", "tries", "attempts"),
        ("v carry out = perform", "carried out", "performed"),
        ("v take = seize", "taken", "seized"),
        ("v visit = go to", "visits", "goes to"),
        ("n country = nation", "countries", "nations"),
        ("n man/men = fellow", "men", "fellows"),
        ("n tax = levy", "taxes", "levies"),
        ("n family = relatives", "families", "relatives"),
        ("a huge = enormous", "huge", "enormous"),
    ],
)
def test_inflection(line, form, expected):
    assert expected in _spinner.Thesaurus.from_lines([line]).synonyms(form)


def test_malformed_line_is_refused():
    with pytest.raises(ValueError, match="line 1"):
        _spinner.Thesaurus.from_lines(["say state declare"])
    with pytest.raises(ValueError, match="part of speech"):
        _spinner.Thesaurus.from_lines(["x say = state"])


@pytest.mark.parametrize("rate", [0.1, 0.2, 0.4])
def test_rate_reached_within_one_word(spinner, rate):
    r = spinner.spin(PARAGRAPH, rate, seed=7)
    assert r.n_eligible > 50
    assert r.target == round(rate * r.n_eligible)
    assert r.n_substitutable >= r.target  # the dictionary covers this paragraph
    # Phrases count as their eligible words, so the last unit may not fit exactly.
    assert abs(r.rate - rate) <= 2 / r.n_eligible
    assert (
        r.rate_all_words < r.rate
    )  # stop words and names are in the denominator of the other
    assert len(r.substitutions) >= 1


def test_rate_counts_eligible_words_only(spinner):
    r = spinner.spin("Officials said the country voted in 2016.", 0.5, seed=1)
    # tokens: Officials said the country voted in 2016; eligible: Officials said country voted
    assert (r.n_tokens, r.n_eligible, r.n_substituted) == (7, 4, 2)
    assert r.rate == 0.5


@pytest.mark.parametrize("seed", range(5))
def test_stop_words_numbers_and_names_stay(spinner, seed):
    r = spinner.spin(
        PARAGRAPH, 1.0, seed=seed
    )  # substitute everything the dictionary allows
    assert r.n_substituted == r.n_substitutable
    for name in NAMES + NUMBERS:
        assert r.text.count(name) == PARAGRAPH.count(name), name
    assert "https://example.com/plan" in r.text and "@campaign" in r.text
    assert "long-term" in r.text  # "long" and "term" are glued to a hyphen: left alone
    for start, end, old, new in r.substitutions:
        words = [w.lower() for w in _words(old)]
        assert not (len(words) == 1 and words[0] in _spinner.STOP_WORDS), old
        assert not any(c.isdigit() for c in old)
        assert old[:1].islower() or PARAGRAPH[:start].rstrip()[-1:] in (
            "",
            ".",
            "\n",
            '"',
        ), old
        assert new.lower() in [s.lower() for s in spinner.thesaurus.synonyms(old)], (
            old,
            new,
        )


def test_case_and_punctuation_kept(spinner):
    r = spinner.spin(PARAGRAPH, 0.4, seed=3)
    # Replaying the substitutions on the input gives the output: nothing else changed.
    out, last = [], 0
    for start, end, old, new in r.substitutions:
        assert PARAGRAPH[start:end] == old
        out += [PARAGRAPH[last:start], new]
        last = end
    assert "".join(out) + PARAGRAPH[last:] == r.text
    for _, _, old, new in r.substitutions:
        assert old[:1].isupper() == new[:1].isupper(), (old, new)
    # Punctuation marks are all still there, in order.
    assert re.findall(r"[,;:!?\"$@/]", PARAGRAPH) == re.findall(r"[,;:!?\"$@/]", r.text)


def test_possessive_keeps_its_suffix(spinner):
    r = spinner.spin("The country's hospitals were ready.", 1.0, seed=0)
    assert "country's" not in r.text  # "country" is in the dictionary
    assert re.search(r"\w's ", r.text)  # the possessive survives whatever replaced it


def test_deterministic_for_a_seed(spinner):
    a = spinner.spin(PARAGRAPH, 0.2, seed="2016/a0001/0.2")
    b = spinner.spin(PARAGRAPH, 0.2, seed="2016/a0001/0.2")
    c = spinner.spin(PARAGRAPH, 0.2, seed="2016/a0002/0.2")
    assert a == b
    assert a.text != c.text


def test_without_removes_pairs():
    th = _spinner.Thesaurus.from_lines(["v say = state, declare"])
    smaller = th.without({("said", "stated")})
    assert smaller.synonyms("said") == ("declared",)
    assert "stated" in th.synonyms("said")  # the original is unchanged
    assert th.without({("said", "stated"), ("said", "declared")}).synonyms("said") == ()


def test_empty_and_wordless_texts(spinner):
    for text in ("", "   \n", "2016 42 3.5", "!!! ???"):
        r = spinner.spin(text, 0.4, seed=1)
        assert r.text == text
        assert r.rate == 0.0 and r.n_substituted == 0


@given(
    text=any_text,
    rate=st.floats(min_value=-1.0, max_value=2.0, allow_nan=False),
    seed=st.integers(),
)
def test_never_raises_on_any_str(spinner, text, rate, seed):
    r = spinner.spin(text, rate, seed=seed)
    assert isinstance(r.text, str)
    assert 0 <= r.n_substituted <= r.n_substitutable
    assert r.n_substituted <= r.target <= r.n_eligible
    assert 0.0 <= r.rate <= 1.0
    if not r.substitutions:
        assert r.text == text


@given(
    text=st.text(
        alphabet=st.sampled_from(list("said country people '’-.@#/\nSaid Country ")),
        max_size=200,
    )
)
def test_replay_invariant_on_spinnerish_text(spinner, text):
    r = spinner.spin(text, 0.5, seed=1)
    out, last = [], 0
    for start, end, old, new in r.substitutions:
        assert start >= last and text[start:end] == old
        out += [text[last:start], new]
        last = end
    assert "".join(out) + text[last:] == r.text


def test_roc_auc_handles_ties():
    bench = _load("bench_spun")
    assert bench.roc_auc([3.0, 2.0], [1.0, 0.0]) == 1.0
    assert bench.roc_auc([0.0, 0.0], [1.0, 2.0]) == 0.0
    assert bench.roc_auc([1.0, 1.0], [1.0, 1.0]) == 0.5
    # pairs (2,1) win, (2,3) lose, (1,1) tie counts half, (1,3) lose: 1.5 / 4
    assert bench.roc_auc([2.0, 1.0], [1.0, 3.0]) == pytest.approx(0.375)
    assert bench.roc_auc([], [1.0]) != bench.roc_auc([], [1.0])  # nan
