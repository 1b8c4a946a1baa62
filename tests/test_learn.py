"""Learning spinner substitutions from linked spun copies (newsqa.learn, `newsqa learn-spin`)."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings

import newsqa
from newsqa.cli import main
from newsqa.learn import MAX_PHRASE, aligned_substitutions, learn_spin

from .strategies import any_text
from .test_spun_copies import ORIGINAL, UNKNOWN_SUBSTITUTIONS, _spin_unknown

SECOND = (
    "The mayor said on Thursday that the city would deepen its ties with two neighbouring countries, according to "
    "the council. Officials said the visit by the trade delegation was a historic event for the region, and that "
    "the talks discussed cooperation on ports, railways and economic policy. Last month the council signed an "
    "agreement on transport, and the mayor said the policy would continue next year. The talks showed the strength "
    "of the relationship, officials said, and the leaders of the delegation will return in the spring."
)


def _corpus():
    return [
        newsqa.Article("w1", ORIGINAL, "wire.example", published="2024-06-01"),
        newsqa.Article("w2", SECOND, "wire.example", published="2024-06-02"),
        newsqa.Article("s1", _spin_unknown(ORIGINAL), "spinner-a.example", published="2024-06-03"),
        newsqa.Article("s2", _spin_unknown(SECOND), "spinner-b.example", published="2024-06-04"),
    ]


def test_recurring_substitutions_are_learned_with_counts_and_sources():
    subs = learn_spin(_corpus())
    got = {(s.spun, s.original): s for s in subs}
    # every substitution used in both spun copies is found, with both sources
    for spun_word, orig in [("asserted", "said"), ("covenant", "agreement"), ("parleys", "talks")]:
        s = got[(spun_word, orig)]
        assert s.n_sources == 2 and s.n_pairs == 2 and s.count >= 2
    assert all(pair in UNKNOWN_SUBSTITUTIONS for pair in [(s.original, s.spun) for s in subs])
    assert [s.count for s in subs] == sorted((s.count for s in subs), reverse=True)


def test_min_sources_and_min_count_filter():
    subs = learn_spin(_corpus(), min_sources=2, min_count=3)
    assert subs and all(s.n_sources >= 2 and s.count >= 3 for s in subs)
    with pytest.raises(newsqa.ConfigError, match="min_count"):
        learn_spin(_corpus(), min_count=0)


def test_order_independent():
    arts = _corpus()
    assert learn_spin(arts) == learn_spin(arts[::-1])


def test_no_spun_copies_nothing_learned():
    assert learn_spin([newsqa.Article("a", ORIGINAL, "x"), newsqa.Article("b", SECOND, "y")]) == []


@settings(max_examples=50)
@given(any_text, any_text)
def test_alignment_never_raises_and_stays_short(a, b):
    for spun_phrase, orig in aligned_substitutions(a, b):
        assert 1 <= len(spun_phrase.split()) <= MAX_PHRASE and 1 <= len(orig.split()) <= MAX_PHRASE


def test_alignment_is_bounded_on_huge_input():
    # quadratic alignment is capped at MAX_ALIGN_WORDS words per text
    assert aligned_substitutions("word " * 1_000_000, "word " * 999_999 + "other") == []


def test_cli_learn_spin(tmp_path, capsys):
    path = tmp_path / "in.jsonl"
    path.write_text(
        "".join(json.dumps({"id": a.id, "text": a.text, "source": a.source}) + "\n" for a in _corpus()),
        encoding="utf-8",
    )
    assert main(["learn-spin", str(path), "--min-sources", "2"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines and all(len(line.split("\t")) == 4 for line in lines)
    assert any(line.startswith("asserted\tsaid\t0.5\t") for line in lines)
    out = tmp_path / "learned.tsv"
    assert main(["learn-spin", str(path), "--out", str(out)]) == 0
    assert "covenant\tagreement" in out.read_text(encoding="utf-8")


def test_alignment_is_bounded_on_repetitive_text():
    # difflib alone is cubic on near copies drawn from a tiny vocabulary
    import random

    rnd = random.Random(1)
    vocab = [f"w{i}" for i in range(30)]
    a = " ".join(rnd.choice(vocab) for _ in range(5000))
    b = " ".join(w if rnd.random() > 0.1 else "spun" for w in a.split())
    subs = aligned_substitutions(a, b)
    assert all(s.split()[0] == "spun" for s, _ in subs)
