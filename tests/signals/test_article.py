"""The shared per-article pass (``signals/_article.py``): each fact equals what the signals computed
on their own, and a signal given the shared facts returns what it returns without them."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import newsqa
from newsqa.signals import NEEDS
from newsqa.signals._article import ArticleText, article_of
from newsqa.signals._counts import codes
from newsqa.signals.boilerplate import line_key_hashes, split_lines, templates_for
from newsqa.signals.registry import REGISTRY, SIGNAL_NAMES, run_signals_many
from tests.strategies import any_text

from ..conftest import SEEDS

_LINE_TEXT = st.lists(
    st.one_of(any_text, st.sampled_from(["Share this article", "Site News | World", "  ", "Kim met Putin."])),
    max_size=8,
).map("\n".join)


@settings(max_examples=200, deadline=None)
@given(any_text)
def test_facts_equal_their_definitions(text):
    a = ArticleText(text)
    assert np.array_equal(a.points, codes(text))
    assert list(zip(*(x.tolist() for x in a.lines))) == split_lines(text)
    assert a.line_keys.tolist() == line_key_hashes(text).tolist()
    assert a.lower == text.lower()
    assert a.points is a.points  # computed once


def _same(a, b):
    assert a.flags == b.flags
    assert a.signals == b.signals


@settings(max_examples=150, deadline=None)
@given(_LINE_TEXT, st.lists(st.tuples(st.integers(0, 200), st.integers(0, 60)), max_size=3))
def test_signals_given_the_shared_facts_return_the_same(text, raw_skip):
    skip = tuple((s, s + n) for s, n in raw_skip)
    templates = frozenset({"site news | world", "share this article"})
    for spec in REGISTRY:
        if "article" not in spec.needs:
            continue
        kwargs = {}
        if "templates" in spec.needs:
            kwargs["templates"] = templates
        if "skip" in spec.needs:
            kwargs["skip"] = skip
        shared = ArticleText(text)
        if len(text) % 2:  # facts filled by an earlier reader, or not yet
            _ = shared.line_keys
        _same(spec.compute(text, **kwargs), spec.compute(text, article=shared, **kwargs))


def test_seeds_same_with_and_without_shared_facts():
    texts = [a.text for a in newsqa.read_articles([SEEDS])]
    assert len(texts) == 5
    templates = [frozenset({"share this article"})] * len(texts)
    alone = run_signals_many(texts, SIGNAL_NAMES, templates)
    shared = run_signals_many(texts, SIGNAL_NAMES, templates, articles=[ArticleText(t) for t in texts])
    assert alone == shared


@settings(max_examples=100, deadline=None)
@given(_LINE_TEXT)
def test_templates_for_with_shared_facts(text):
    hashes = frozenset(ArticleText(text).line_keys.tolist()[:3])
    a = ArticleText(text)
    assert templates_for(text, hashes, article=a) == templates_for(text, hashes)


def test_every_signal_that_reads_the_facts_declares_it():
    # the runner passes article= only to signals that declare it
    assert "article" in NEEDS
    readers = {s.name for s in REGISTRY if "article" in s.needs}
    assert {"boilerplate", "engagement", "practice", "readability"} <= readers


def test_another_texts_facts_are_refused():
    with pytest.raises(ValueError, match="another text"):
        article_of("Kim met Putin.", ArticleText("Rain in Lisbon."))
    a = ArticleText("Kim met Putin.")
    assert article_of("Kim met Putin.", a) is a
    assert article_of("Kim", None).text == "Kim"
    with pytest.raises(TypeError, match="needs a str"):
        ArticleText(b"bytes")  # type: ignore[arg-type]


def test_runner_refuses_articles_of_another_length():
    with pytest.raises(ValueError, match="1 articles for 2 texts"):
        run_signals_many(["a", "b"], SIGNAL_NAMES, articles=[ArticleText("a")])


def test_adversarial_sizes_finish():
    for text in ("x" * 5_000_000, "a\n" * 200_000, "😀" * 100_000, " ".join(f"site{i}.com" for i in range(50_000))):
        a = ArticleText(text)
        assert len(a.points) == len(text)
        assert len(a.lines[0]) == len(a.line_keys)
