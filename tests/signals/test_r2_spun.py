"""Round r2 of the spun signal: the fused compiled calls against the separate ones they replace."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from newsqa.signals import spun_context
from newsqa.signals._spun_tokens import lookup_offsets, token_arrays
from newsqa.signals.spun import _default

from ..strategies import any_text
from .test_spun_equivalence import _old_evidence, _old_vocab, _token_info, news_like

_NEWS = st.sampled_from(
    [
        "Putin's go to marked the 2 international locations' ties, the spokesman said. ",
        '"We will respond," according to officials in a statement on Monday. ',
        "The 2 males shook fingers in Kim Il Sung Sq. \U0001f600 ",
        "Straße İstanbul ΑΣ K \ud800\udfff ",
        "{photos|pictures}\n\nCommercial\n\n",
    ]
)
texts = st.one_of(st.text(), any_text, news_like, st.lists(_NEWS, max_size=8).map("".join))


def _same(text: str) -> None:
    phrases = _default()._candidates
    toks, starts, ends, codes, cands = phrases.scan(text)
    t2, s2, e2, c2 = token_arrays(text)
    assert (toks[:], starts.tolist(), ends.tolist(), codes.tolist()) == (t2[:], s2.tolist(), e2.tolist(), c2.tolist())
    assert cands.tolist() == phrases.candidates(c2, *lookup_offsets(t2, s2, e2)).tolist()
    m = spun_context._model()
    points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    new = spun_context._token_info(points, s2, e2, m.vtab)
    old = _token_info(points, s2, e2, *_old_vocab())
    assert all(a.tolist() == b.tolist() for a, b in zip(new, old))
    ev = spun_context.context_evidence(text)
    assert (ev.n_scored, ev.evidence, ev.spans) == _old_evidence(text)


@settings(max_examples=400)
@given(texts)
def test_fused_calls_are_the_separate_ones(text):
    _same(text)


def test_every_vocabulary_word_has_its_id():
    m = spun_context._model()
    text = " ".join(w for w in m.words if w.isalpha())
    _same(text)
    _same(text.upper())
