"""Engagement bait: rhetorical questions, emoji, exclamations, capitals, TL;DR promos."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given

from newsqa.signals import SignalOutput
from newsqa.signals import engagement as mod
from newsqa.signals.engagement import engagement

from ..helpers import run_fresh
from ..strategies import any_text

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
SEED_TEXTS = {
    p.stem: p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))
}
SEED_001 = SEED_TEXTS["001_0232089537fc7084"]

SIGNALS = {
    "question_bait",
    "emoji_density",
    "exclamation_rate",
    "caps_rate",
    "promo_tldr",
}


def _reasons(out: SignalOutput) -> list[str]:
    return [f.reason for f in out.flags]


def test_seed_001_question_bait_and_tldr():
    out = engagement(SEED_001)
    assert out.signals["question_bait"] >= 3
    assert out.signals["promo_tldr"] == 1
    tldr = [f for f in out.flags if f.reason == "tldr_promo"]
    assert len(tldr) == 1
    assert "TL:DR" in SEED_001[tldr[0].start : tldr[0].end]
    questions = [
        SEED_001[f.start : f.end] for f in out.flags if f.reason == "question_bait"
    ]
    assert (
        "What could this meeting signify for the international community?" in questions
    )
    assert (
        "And what does it mean for other nations watching these developments closely?"
        in questions
    )
    assert all(q.endswith("?") for q in questions)


@pytest.mark.parametrize(
    "name", ["000_a431440b9d50f282", "002_80eacc2ad29eea72", "004_4f5cf9240b2c00f6"]
)
def test_plain_seeds_have_no_bait(name):
    out = engagement(SEED_TEXTS[name])
    assert out.signals["question_bait"] == 0
    assert out.signals["promo_tldr"] == 0
    assert out.flags == ()


def test_seeds_002_and_004_hold_no_question_at_all():
    # the zero above is not luck: there is nothing to count
    assert "?" not in SEED_TEXTS["002_80eacc2ad29eea72"]
    assert "?" not in SEED_TEXTS["004_4f5cf9240b2c00f6"]


@pytest.mark.parametrize(
    "text",
    [
        '"What could this mean for us?" he asked.',
        "“How might it affect you?” the minister said.",
        "„Was wird das für die Zukunft bedeuten? Will it affect you?“ fragte er.",
        "« What will you do? » she asked.",
    ],
)
def test_quoted_questions_do_not_count(text):
    assert engagement(text).signals["question_bait"] == 0


@pytest.mark.parametrize(
    "text",
    [
        "Did the police act lawfully?",  # no speculative or reader cue
        "Why did the company cut jobs? Because sales fell.",
        "The Impact of Debates? It's Debatable.",  # does not open with an interrogative
        "Kim met Shoigu on Wednesday.",
    ],
)
def test_plain_questions_do_not_count(text):
    assert engagement(text).signals["question_bait"] == 0


def test_one_rhetorical_question_is_counted_but_not_flagged():
    out = engagement("Kim met Shoigu. What could this mean for the region?")
    assert out.signals["question_bait"] == 1
    assert mod.QUESTION_BAIT_FLAG_MIN > 1
    assert "question_bait" not in _reasons(out)


def test_a_string_of_rhetorical_questions_is_flagged():
    text = "Kim met Shoigu.\nWhat could this mean for the region? And how will it affect you? Why does it matter?"
    out = engagement(text)
    assert out.signals["question_bait"] == 2  # "Why does it matter?" has no cue
    assert [text[f.start : f.end] for f in out.flags] == [
        "What could this mean for the region?",
        "And how will it affect you?",
    ]


@pytest.mark.parametrize(
    "line",
    [
        "TL;DR: Kim met Shoigu.",
        "π TL:DR; π",
        "👉 tl;dr Kim met Shoigu",
        "TLDR - Kim met Shoigu",
        "** TL DR **",
    ],
)
def test_tldr_variants(line):
    text = line + "\nThe story follows here."
    out = engagement(text)
    assert out.signals["promo_tldr"] == 1
    (flag,) = [f for f in out.flags if f.reason == "tldr_promo"]
    assert text[flag.start : flag.end] == line.strip()


def test_tldr_mentioned_inside_a_sentence_is_not_a_promo():
    assert (
        engagement(
            "Critics said the report's tl;dr version left out the caveats."
        ).signals["promo_tldr"]
        == 0
    )


def test_emoji_density():
    text = "Hi 😀 👍🏽 👨\u200d👩\u200d👧 ❤\ufe0f"  # four emoji, sequences count once
    out = engagement(text)
    assert out.signals["emoji_density"] == round(4 * 1000 / len(text), 4)
    assert engagement("Plain text.").signals["emoji_density"] == 0.0
    assert engagement("").signals["emoji_density"] is None


def test_exclamation_rate_ignores_quotes():
    assert engagement("Wow! Great. Stop it now!!").signals["exclamation_rate"] == 1.0
    assert (
        engagement('He shouted "Lock her up!" at the rally. It was loud.').signals[
            "exclamation_rate"
        ]
        == 0.0
    )
    assert engagement("...").signals["exclamation_rate"] is None


def test_caps_rate_ignores_acronyms():
    assert (
        engagement("NATO and the US met KCNA and DPRK officials.").signals["caps_rate"]
        == 0.0
    )
    assert engagement("BREAKING news today").signals["caps_rate"] == round(1 / 3, 4)
    assert engagement("12 34 !!").signals["caps_rate"] is None


@pytest.mark.parametrize("text", ["", " ", "\n\n\t", "😀"])
def test_empty_and_whitespace(text):
    out = engagement(text)
    assert set(out.signals) == SIGNALS
    assert out.signals["question_bait"] == 0 and out.signals["promo_tldr"] == 0


@given(any_text)
def test_never_raises_and_flags_are_valid_spans(text):
    out = engagement(text)
    assert set(out.signals) == SIGNALS
    assert (
        isinstance(out.signals["question_bait"], int)
        and out.signals["question_bait"] >= 0
    )
    assert isinstance(out.signals["promo_tldr"], int) and out.signals["promo_tldr"] >= 0
    for name in ("emoji_density", "exclamation_rate", "caps_rate"):
        assert out.signals[name] is None or out.signals[name] >= 0.0
    for f in out.flags:
        assert f.kind == "engagement"
        assert f.reason in {"question_bait", "tldr_promo"}
        assert 0 <= f.start < f.end <= len(text)
        assert text[f.start : f.end] == text[f.start : f.end].strip()
    assert list(out.flags) == sorted(
        out.flags, key=lambda f: (f.start, f.end, f.reason)
    )


@given(any_text)
def test_deterministic(text):
    assert engagement(text) == engagement(text)


def test_same_in_a_subprocess():
    texts = list(SEED_TEXTS.values())
    here = [
        [engagement(t).signals, [f.to_dict() for f in engagement(t).flags]]
        for t in texts
    ]
    there = run_fresh(
        "from newsqa.signals.engagement import engagement",
        "[engagement(t).signals, [f.to_dict() for f in engagement(t).flags]]",
        texts,
        hash_seed="777",
    )
    assert there == json.loads(json.dumps(here))


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("What could this mean for you " * 170_000, id="5MB-single-line"),
        pytest.param("x" * 5_000_000, id="5MB-one-token"),
        pytest.param("😀" * 100_000, id="100k-emoji"),
        pytest.param("👍🏽\u200d" * 100_000, id="100k-emoji-sequences"),
        pytest.param(
            " ".join(f"https://example{i}.com/path?q={i}" for i in range(50_000)),
            id="50k-urls",
        ),
        pytest.param("TL" * 2_500_000, id="tl-repeated"),
        pytest.param('"' * 1_000_000 + "?" * 1_000_000, id="quotes-and-questions"),
        pytest.param("What? " * 500_000, id="many-questions"),
        pytest.param("\n" * 5_000_000, id="5MB-newlines"),
    ],
)
def test_adversarial_inputs_finish(text):
    out = engagement(text)
    assert set(out.signals) == SIGNALS


# ---------------------------------------------------------------------------
# Issue 14: the capitals are counted without a Python loop and the emoji scan
# is skipped on ASCII text; the counts as they were computed before must agree.

from hypothesis import strategies as st


def _old_counts(text):
    words = mod._LETTERS_RE.findall(text)
    n_caps = sum(1 for w in words if len(w) > mod.ACRONYM_MAX_LETTERS and w.isupper())
    n_emoji = sum(1 for _ in mod._EMOJI_RE.finditer(text))
    return {
        "emoji_density": mod._round(1000.0 * n_emoji / len(text)) if text else None,
        "caps_rate": mod._round(n_caps / len(words)) if words else None,
    }


_CAPS_CHARS = "ABCDEFabc\u00c9\u00e9\u01c5\u0130\u00df\u0138\u2160\u00aa 1_!\n\U0001f600\u2600\ufe0f"


@given(st.text(alphabet=_CAPS_CHARS, max_size=60) | any_text)
def test_caps_and_emoji_same_as_before_issue_14(text):
    out = engagement(text).signals
    assert {k: out[k] for k in ("emoji_density", "caps_rate")} == _old_counts(text)


@pytest.mark.parametrize("name", sorted(SEED_TEXTS))
def test_caps_and_emoji_same_as_before_issue_14_on_the_seeds(name):
    out = engagement(SEED_TEXTS[name]).signals
    assert {k: out[k] for k in ("emoji_density", "caps_rate")} == _old_counts(
        SEED_TEXTS[name]
    )


def _old_engagement(text):
    """engagement() as it was before issue 14 (regular expressions and Python loops only)."""
    from newsqa.model import Flag

    starts, ends = mod._quoted_spans(text)
    n_sentences = n_exclamations = 0
    bait = []
    for match in mod._SENTENCE_RE.finditer(text):
        sentence = match.group()
        if not mod._HAS_WORD_RE.search(sentence):
            continue
        n_sentences += 1
        body = sentence.rstrip(".!?")
        end_of_body = match.start() + len(body)
        terminators = sentence[len(body) :]
        if not terminators or mod._inside(end_of_body, starts, ends):
            continue
        n_exclamations += terminators.count("!")
        if "?" not in terminators:
            continue
        head = mod._INTERROGATIVE_RE.match(body)
        if head is None or mod._CUE_RE.search(body, head.end()) is None:
            continue
        stripped = body.lstrip()
        bait.append((match.start() + len(body) - len(stripped), match.end()))
    flags = []
    if len(bait) >= mod.QUESTION_BAIT_FLAG_MIN:
        flags.extend(Flag(mod.KIND, s, e, "question_bait") for s, e in bait)
    n_tldr = 0
    for match in mod._TLDR_RE.finditer(text):
        n_tldr += 1
        line = match.group()
        flags.append(
            Flag(
                mod.KIND,
                match.start() + len(line) - len(line.lstrip()),
                match.start() + len(line.rstrip()),
                "tldr_promo",
            )
        )
    flags.sort(key=lambda f: (f.start, f.end, f.reason))
    counts = _old_counts(text)
    return SignalOutput(
        flags=tuple(flags),
        signals={
            "question_bait": len(bait),
            "emoji_density": counts["emoji_density"],
            "exclamation_rate": mod._round(n_exclamations / n_sentences)
            if n_sentences
            else None,
            "caps_rate": counts["caps_rate"],
            "promo_tldr": n_tldr,
        },
    )


_SENTENCE_CHARS = 'ab W? ! . \n"\u201c\u201d\u201e\u00ab\u00bb_\u00e9\u2014 What could you Did And how might it mean '


@given(
    st.text(alphabet=_SENTENCE_CHARS, max_size=80)
    | st.lists(
        st.sampled_from(
            [
                "What",
                "could",
                "this",
                "mean",
                "?",
                "!",
                "...",
                '"',
                "\u201c",
                "\u201d",
                "\n",
                "And",
                "how",
                "you",
                "TL;DR",
                " ",
                ".",
            ]
        ),
        max_size=30,
    ).map("".join)
    | any_text
)
def test_same_output_as_before_issue_14(text):
    new, old = engagement(text), _old_engagement(text)
    assert new.flags == old.flags
    assert dict(new.signals) == dict(old.signals)


@pytest.mark.parametrize("name", sorted(SEED_TEXTS))
def test_same_output_as_before_issue_14_on_the_seeds(name):
    new, old = engagement(SEED_TEXTS[name]), _old_engagement(SEED_TEXTS[name])
    assert new.flags == old.flags and dict(new.signals) == dict(old.signals)
