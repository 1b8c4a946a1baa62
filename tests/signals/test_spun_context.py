"""The context model of spun text: held-out lexicon entries, seeds, robustness."""

from __future__ import annotations

import re
from itertools import pairwise

import pytest
from hypothesis import given, settings

from newsqa.signals import spun_context
from newsqa.signals.spun import _default, _Detector, spun
from newsqa.signals.spun_context import (
    CONTEXT_BASELINE,
    FLAG_MARGIN,
    MARGIN_CAP,
    MIN_SCORED_WORDS,
    ContextEvidence,
    context_evidence,
)

from ..strategies import any_text
from .conftest import CLEAN_SEEDS, SPUN_SEED, lexicon_halves


def _spin_with(text: str, table: dict[str, str]) -> tuple[str, list[tuple[int, int, str, str]]]:
    """Replace every lower-case whole word of ``text`` found in ``table``; the new spans and pairs."""
    out: list[str] = []
    spans = []
    pos = 0
    length = 0
    for m in re.finditer(r"(?<![\w'’])[a-z]+(?![\w'’])", text):
        new = table.get(m.group())
        if new is None:
            continue
        out.append(text[pos : m.start()])
        length += m.start() - pos
        spans.append((length, length + len(new), m.group(), new))
        out.append(new)
        length += len(new)
        pos = m.end()
    out.append(text[pos:])
    return "".join(out), spans


@pytest.fixture(scope="module")
def held_out(seed_texts):
    """The clean seeds spun with half B of the lexicon (one-word originals), and what the detectors see."""
    a, b = lexicon_halves()
    table: dict[str, str] = {}
    for e in b:
        if e.original.isalpha() and e.original not in table:
            table[e.original] = e.spun
    rows = []
    for sid in CLEAN_SEEDS:
        clean = seed_texts[sid]
        text, spans = _spin_with(clean, table)
        rows.append((sid, clean, text, spans))
    return _Detector(a), rows


def test_held_out_lexicon_is_caught_by_the_context_model(held_out):
    """Lexicon half B spins the clean seeds; the context model catches what a half-A lexicon misses.

    Measured on the four clean seeds (44 substitutions): the half-A lexicon
    catches 5 (where a B phrase contains an A phrase, "navy parade"); the
    context model flags 8 others as spans (18%) against 11 flags among 613
    untouched scored words of the clean seeds (1.8%), and every spun seed's
    context density rises above its clean one (193 -> 242, 276 -> 401,
    264 -> 284, 225 -> 346). The originals it proposes are WordNet's best
    fit, seldom the writer's word: "worldwide" gets "world" or "global",
    not "international" (1 of the 8 is exact).
    """
    det_a, rows = held_out
    n_subs = caught_lexicon = caught_context_only = 0
    false_spans = scored_clean = 0
    for _sid, clean, text, spans in rows:
        assert spans, "the seed holds words of the held-out half"
        lex_flags = det_a.run(text, context=False).flags
        ev = context_evidence(text)
        ev_clean = context_evidence(clean)
        assert ev.density > ev_clean.density  # every seed reads as more spun
        for s0, s1, _old, new in spans:
            n_subs += 1
            by_lexicon = any(f.start < s1 and f.end > s0 for f in lex_flags)
            caught_lexicon += by_lexicon
            by_context = [sp for sp in ev.spans if sp.start < s1 and sp.end > s0]
            caught_context_only += bool(by_context) and not by_lexicon
            assert all(sp.original != sp.word for sp in by_context)
        false_spans += len(ev_clean.spans)
        scored_clean += ev_clean.n_scored
    assert n_subs >= 30
    assert caught_lexicon <= 0.2 * n_subs  # the held-out half is (mostly) unknown to the lexicon
    assert caught_context_only >= 5
    assert caught_context_only / n_subs >= 5 * false_spans / scored_clean  # measured 0.18 against 0.018


def test_spun_seed_gets_context_spans_and_clean_seeds_none(seed_texts):
    out = spun(seed_texts[SPUN_SEED])
    context = [f for f in out.flags if f.reason == "context"]
    assert out.signals["spun"] and context
    assert all(f.score >= FLAG_MARGIN and f.extra["original"] for f in context)
    # context spans never overlap a lexicon or rule span
    ordered = sorted(out.flags, key=lambda f: f.start)
    assert all(x.end <= y.start for x, y in pairwise(ordered))
    assert out.signals["spun_context"] > CONTEXT_BASELINE
    text = seed_texts[SPUN_SEED]
    spans = {(text[f.start : f.end].lower(), f.extra["original"]) for f in context}
    assert ("supporting", "support") in spans or len(spans) >= 3
    for sid in CLEAN_SEEDS:
        clean = spun(seed_texts[sid])
        assert clean.flags == ()
        assert clean.signals["spun"] is False


def test_context_raises_the_spun_seed_score(seed_texts):
    det = _default()
    text = seed_texts[SPUN_SEED]
    with_context = det.run(text).signals["spun_score"]
    without = det.run(text, context=False).signals["spun_score"]
    assert with_context > without
    ev = context_evidence(text)
    assert ev.excess > 0


def test_known_substitutions_in_short_text():
    ev = context_evidence("Russia was combating in opposition to the sanctions, and talks fell aside.")
    assert [(s.word, s.original) for s in ev.spans] == [("combating", "fighting"), ("aside", "apart")]
    assert all(s.margin >= FLAG_MARGIN for s in ev.spans)
    plain = context_evidence("Russia was fighting the sanctions, and talks fell apart.")
    assert plain.spans == ()
    assert plain.density < ev.density


def test_short_or_foreign_text_gets_no_excess():
    short = context_evidence("She was handed a bouquet of crimson roses.")
    assert short.spans and short.n_scored < MIN_SCORED_WORDS and short.excess == 0.0
    german = (
        "Die Bundesregierung hat am Mittwoch neue Regeln für den Wohnungsbau beschlossen. "
        "Nach Angaben des Ministeriums sollen Genehmigungen künftig schneller erteilt werden. "
    ) * 20
    ev = context_evidence(german)
    assert ev.excess == 0.0
    assert spun(german).signals["spun"] is False


def test_evidence_is_bounded_per_word():
    text = "The crimson roses were handed over as talks fell aside. " * 40
    ev = context_evidence(text)
    assert ev.n_scored >= MIN_SCORED_WORDS
    assert ev.evidence <= ev.n_scored * (MARGIN_CAP + spun_context.WEAK_CONTEXT_WEIGHT)
    assert ev.density == pytest.approx(ev.evidence * 1000 / ev.n_scored)


def test_empty_and_symbol_text():
    for text in ("", "   ", "12 34 56", "😀" * 50, ", , , ."):
        ev = context_evidence(text)
        assert ev == ContextEvidence(ev.n_scored, ev.evidence, ())
        assert ev.n_scored == 0 and ev.evidence == 0.0 and ev.density == 0.0


def test_odd_code_points_keep_offsets_right():
    # a lone surrogate, and "İ", whose lower() is two characters long (tokens then come from the text itself)
    for text in ("\ud800 a bouquet of crimson roses", "İstanbul: a bouquet of crimson roses as talks fell aside"):
        ev = context_evidence(text)
        assert [text[s.start : s.end].lower() for s in ev.spans] == [s.word for s in ev.spans]
        assert "crimson" in [s.word for s in ev.spans]


@settings(max_examples=200)
@given(any_text)
def test_never_raises_and_spans_are_sound(text):
    ev = context_evidence(text)
    assert ev.n_scored >= 0 and ev.evidence >= 0
    last = 0
    for s in ev.spans:
        assert last <= s.start < s.end <= len(text)
        assert s.margin >= FLAG_MARGIN and s.original and s.original != s.word
        last = s.end
    assert context_evidence(text) == ev  # deterministic


@pytest.mark.parametrize(
    "text",
    [
        "crimson roses fell aside " * 250_000,  # ~6 MB single line, a span every few words
        "word " * 1_000_000,
        "😀" * 100_000,
        "a" * 5_000_000,  # one 5 MB token
        ", ." * 1_000_000,
    ],
    ids=["5mb-spans", "5mb-plain", "emoji", "one-token", "punctuation"],
)
def test_adversarial_inputs_finish(text):
    ev = context_evidence(text)
    assert all(0 <= s.start < s.end <= len(text) for s in ev.spans[:1000])
