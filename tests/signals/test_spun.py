"""Spun text: seed 003 exactly, clean texts, unspin, robustness, held-out lexicon."""

from __future__ import annotations

import time

import pytest
from hypothesis import given

from newsqa.signals import spun as spun_module
from newsqa.signals.spun import (
    DEFAULT_THRESHOLD,
    STRONG_WEIGHT,
    Entry,
    _Detector,
    lexicon,
    load_lexicon,
    spun,
    unspin,
)

from ..strategies import any_text
from .conftest import CLEAN_SEEDS, SPUN_SEED, lexicon_halves

# (span as it stands in seed 003, the original the flag must give), each
# checked by reading the seed against the wire story it was spun from.
EXPECTED_003 = {
    ("international locations", "countries"),
    ("2", "two"),
    ("go to", "visit"),
    ("Russian chief", "russian leader"),
    ("North Korean chief", "north korean leader"),
    ("shook fingers", "shook hands"),
    ("World Warfare II", "world war ii"),
    ("Sq.", "square"),
    ("sq.", "square"),
    ("satellite tv for pc launches", "satellite launches"),
    ("acquired beneath method", "got under way"),
    ("Comply with extra", "follow more"),
    ("Commercial", "advertisement"),
    ("in keeping with", "according to"),
    ("mentioned", "said"),
    ("mentioned on Tuesday", "said on tuesday"),
    ("navy ties", "military ties"),
    ("financial ties", "economic ties"),
    ("prime officers", "top officials"),
    ("officers", "officials"),
    ("coverage", "policy"),
    ("international coverage", "foreign policy"),
    ("International Minister", "foreign minister"),
    ("United Nations Safety Council", "united nations security council"),
    ("worldwide", "international"),
    ("weapons checks", "weapons tests"),
    ("latest months", "recent months"),
    ("final 12 months", "last year"),
    ("final met", "last met"),
    ("fireplace warning photographs", "fire warning shots"),
    ("japanese Russia", "eastern russia"),
    ("crimson roses", "red roses"),
    ("Crimson Military", "red army"),
    ("State Visitor Home", "state guest house"),
    ("proven", "shown"),
    ("troopers", "soldiers"),
    ("offering", "providing"),
    ("spice up", "boost"),
    ("an settlement", "an agreement"),
    ("navy settlement", "military agreement"),
    ("considerations", "concerns"),
    ("in regards to the", "about the"),
    ("technological experience", "technological expertise"),
    ("wearable expertise", "wearable technology"),
    ("whereas", "while"),
    ("earlier than daybreak", "before dawn"),
    ("regardless of", "despite"),
    ("a lady", "a woman"),
    ("embellished", "decorated"),
    ("travelled collectively", "travelled together"),
    ("standing to consideration", "standing to attention"),
    ("crowds of individuals", "crowds of people"),
    ("fell aside", "fell apart"),
    ("navy workout routines", "military exercises"),
    ("Completely satisfied Halloween", "happy halloween"),
    ("Applied sciences", "technologies"),
}

# Paragraphs written for these tests: normal English that uses words a
# spinner also produces ("mentioned", "coverage", "go to", "in keeping
# with", "chief", digits, "sq.").
CLEAN_TEXTS = (
    (
        "Let's go to the park after lunch. The children go to school by bus, and she's go-to person for advice "
        "is her sister. He mentioned the report only briefly; the insurance coverage did not include flood damage."
    ),
    (
        "In keeping with tradition, the mayor opened the fair. The chief executive and the Russian chief of staff "
        "met on Monday. Officers of the state police said the road was closed for safety reasons."
    ),
    (
        "The flat measures 500 sq. ft and the rent rose by 2 percent. Page 2 lists the results; the 3 pm train "
        "was late. Employees must comply with the new rules, the manager said."
    ),
    (
        "The national team played a financial institution's charity match. The final week of the campaign was "
        "quiet, and the leaders met to discuss a peace settlement. Troopers from the state patrol helped."
    ),
    "",
    "   \n\t ",
)


def _pairs(text: str) -> set[tuple[str, str]]:
    return {(text[f.start : f.end], f.extra["original"]) for f in spun(text).flags}


def test_seed_003_spans_and_originals(seed_texts):
    text = seed_texts[SPUN_SEED]
    found = _pairs(text)
    assert EXPECTED_003 <= found
    assert len(found) >= 20
    out = spun(text)
    assert out.signals["spun"] is True
    assert out.signals["spun_score"] >= 5 * DEFAULT_THRESHOLD
    assert out.signals["spun_spans"] == len(out.flags) >= 100
    assert all(f.kind == "spun" for f in out.flags)
    # every "the 2 ..." of the seed (8) and every "go to" for "visit" (5)
    assert sum(f.reason == "number_for_word" for f in out.flags) == 8
    assert sum(f.reason == "possessive_go_to" for f in out.flags) == 5


@pytest.mark.parametrize("seed_id", CLEAN_SEEDS)
def test_clean_seeds_have_no_flags(seed_texts, seed_id):
    out = spun(seed_texts[seed_id])
    assert out.flags == ()
    assert out.signals["spun"] is False and out.signals["spun_spans"] == 0
    # the lexicon finds nothing; the context model adds a little (at most 2.4, seed 001)
    assert spun_module._default().run(seed_texts[seed_id], context=False).signals["spun_score"] == 0.0
    assert out.signals["spun_score"] < DEFAULT_THRESHOLD / 2


@pytest.mark.parametrize("text", CLEAN_TEXTS)
def test_clean_paragraphs_have_no_flags(text):
    assert spun(text).flags == ()
    assert unspin(text) == text


def test_unspin_seed_003(seed_texts):
    restored = unspin(seed_texts[SPUN_SEED])
    for phrase in (
        "the two countries",
        "shook hands",
        "World War II",
        "Kim Il Sung Square",
        "Putin’s visit to North Korea",
        "his first visit to North Korea",
        "United Nations Security Council",
        "Foreign Minister Sergey Lavrov",
        "satellite launches",
        "As talks got under way",
        "Follow more",
        "- Advertisement -",
    ):
        assert phrase in restored
    assert "international locations" not in restored


def test_context_rules():
    assert [f.reason for f in spun("Putin's go to is historic. The go to features a concert.").flags] == [
        "possessive_go_to",
        "possessive_go_to",
    ]
    assert spun("They go to Pyongyang. Let's go to the go to guy.").flags == ()
    t = "The 2 males shook fingers. 2 males were seen in the 2 percent."
    assert [(t[f.start : f.end], f.reason) for f in spun(t).flags] == [
        ("2", "number_for_word"),
        ("shook fingers", "lexicon"),
        ("2", "number_for_word"),
    ]
    t = "Shares rose {quickly|rapidly} after the shook fingers moment."
    assert [(f.reason, f.extra["original"]) for f in spun(t).flags] == [
        ("spintax", "quickly"),
        ("lexicon", "shook hands"),
    ]


def test_weak_hits_need_a_strong_neighbour():
    weak = "He mentioned the coverage of the checks."
    assert spun(weak).flags == ()
    strong = weak + " The 2 international locations agreed."
    assert {strong[f.start : f.end] for f in spun(strong).flags} >= {
        "He mentioned",
        "coverage",
        "international locations",
    }


def test_unspin_keeps_case():
    assert unspin("WORLD WARFARE II ended.") == "WORLD WAR II ended."
    assert unspin("International locations met in Kim Il Sung Sq., then left.") == (
        "Countries met in Kim Il Sung Square, then left."
    )


def test_lexicon_file_is_well_formed():
    entries = lexicon()
    assert len(entries) >= 300
    assert all(e.spun == e.spun.lower() and 0 < e.weight <= 1 for e in entries)
    assert len({e.spun for e in entries}) == len(entries)
    with pytest.raises(ValueError, match="weight must be in"):
        load_lexicon(["a b\tc\t1.5"])
    with pytest.raises(ValueError, match="3 tab-separated"):
        load_lexicon(["a b c 1.0"])


@given(any_text)
def test_never_raises_and_flags_are_sound(text):
    out = spun(text)
    last = 0
    for f in out.flags:
        assert 0 <= last <= f.start < f.end <= len(text)
        last = f.end
    assert out.signals["spun_spans"] == len(out.flags)
    if not out.flags:
        assert unspin(text) == text


@pytest.mark.parametrize(
    "text",
    [
        "Putin's go to marked World Warfare II. " * 130_000,  # ~5 MB single line, dense hits
        "word " * 1_000_000,  # 5 MB single line, no hits
        "😀" * 100_000,
        "go to " * 500_000,
        "{a|" * 500_000,
        "İ international locations " * 100_000,  # lower() changes the length
    ],
    ids=["5mb-spun", "5mb-plain", "emoji", "go-to", "braces", "dotted-i"],
)
def test_adversarial_inputs_finish(text):
    t0 = time.perf_counter()
    out = spun(text)
    assert time.perf_counter() - t0 < 30
    assert all(0 <= f.start < f.end <= len(text) for f in out.flags[:1000])


def _catches(detector: _Detector, entry: Entry) -> bool:
    # A strong phrase of the other sentence keeps weak entries supported.
    phrase = entry.spun
    text = f"They shook fingers. The talks began. Then {phrase} happened."
    lo = text.index(f"Then {phrase}") + 5
    return any(f.start < lo + len(phrase) and f.end > lo for f in detector.run(text, context=False).flags)


def test_held_out_half_of_the_lexicon():
    """What the lexicon part built from one half of the lexicon catches of the other.

    The lexicon alone does not generalise beyond its entries: it catches a
    held-out phrase only when the phrase contains one of its own phrases
    ("world warfare" in "world warfare ii") or a context rule fires in it
    ("the 2 ..."). The generalising part is the context model; its
    held-out test is in test_spun_context.py.
    """
    a, b = lexicon_halves()
    assert 0.4 < len(a) / (len(a) + len(b)) < 0.6
    det_a = _Detector([*a, Entry("shook fingers", "shook hands", 1.0)])
    assert all(_catches(det_a, e) for e in a)
    caught = [e for e in b if _catches(det_a, e)]
    share = len(caught) / len(b)
    assert share < 0.3  # measured 0.18 (80 of 447): sub-phrases of half A, not generalisation
    a_keys = {e.spun for e in a}
    for e in caught:
        words = e.spun.split()
        subs = {" ".join(words[i:j]) for i in range(len(words)) for j in range(i + 1, len(words) + 1)}
        assert subs & a_keys or any(w.isdigit() for w in words), e


def test_constants_are_consistent():
    assert 0 < STRONG_WEIGHT <= 1
    assert DEFAULT_THRESHOLD > 0
    assert spun_module.GO_TO_WEIGHT >= STRONG_WEIGHT > spun_module.NUMBER_WEIGHT
