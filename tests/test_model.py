"""The result data classes: every one round-trips through pickle (the Ray engine ships them)."""

from __future__ import annotations

import copy
import pickle
from types import MappingProxyType

from hypothesis import given
from hypothesis import strategies as st

import newsqa
from newsqa.model import ArticleResult, Cluster, Flag, SourceResult
from newsqa.results import Report

_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=20),
)
_plain = st.dictionaries(st.text(max_size=10), _scalars, max_size=4)
# Result fields default to read-only views (MappingProxyType), which do not
# pickle by themselves; signals produce plain dicts. Both must round-trip.
_mappings = st.one_of(_plain, _plain.map(MappingProxyType))
_ids = st.text(min_size=1, max_size=12)

flags = st.builds(
    Flag,
    kind=st.sampled_from(["boilerplate", "spam_links", "mojibake", "spun"]),
    start=st.integers(0, 10_000),
    end=st.integers(0, 10_000),
    reason=st.text(max_size=20),
    score=st.floats(0, 1),
    extra=_mappings,
)
article_results = st.builds(
    ArticleResult,
    id=_ids,
    source=st.text(max_size=12),
    status=st.sampled_from(["ok", "empty", "error"]),
    cluster=st.none() | _ids,
    flags=st.lists(flags, max_size=3).map(tuple),
    signals=_mappings,
    error=st.none() | st.text(max_size=20),
)
clusters = st.builds(
    Cluster,
    id=_ids,
    kind=st.sampled_from(["exact", "near_duplicate", "containment", "spun_copy"]),
    members=st.lists(_ids, min_size=1, max_size=4).map(tuple),
    representative=_ids,
    similarity=st.one_of(
        st.dictionaries(_ids, st.floats(0, 1), max_size=4),
        st.dictionaries(_ids, st.floats(0, 1), max_size=4).map(MappingProxyType),
    ),
    relation=_mappings,
)
source_results = st.builds(
    SourceResult,
    source=st.text(max_size=12),
    n_articles=st.integers(0, 10**6),
    score=st.none() | st.floats(0, 1),
    components=_mappings,
    stats=_mappings,
)
reports = st.builds(
    Report,
    articles=st.lists(article_results, max_size=3).map(tuple),
    clusters=st.lists(clusters, max_size=2).map(tuple),
    sources=st.lists(source_results, max_size=2).map(tuple),
    config=_mappings,
    newsqa_version=st.text(max_size=8),
)


@given(st.one_of(flags, article_results, clusters, source_results, reports))
def test_every_result_type_round_trips_through_pickle(value):
    for protocol in (2, pickle.HIGHEST_PROTOCOL):
        back = pickle.loads(pickle.dumps(value, protocol=protocol))
        assert type(back) is type(value)
        assert back == value
        assert back.to_dict() == value.to_dict()
        if isinstance(value, Flag):  # flags pickle by their own flat reduction
            assert type(back.extra) is type(value.extra)
    assert copy.deepcopy(value) == value


def test_read_only_fields_stay_read_only_after_pickling():
    flag = Flag(
        "spun", 0, 4, "spinner_synonym", extra=MappingProxyType({"original": "big"})
    )
    back = pickle.loads(pickle.dumps(flag))
    assert isinstance(back.extra, MappingProxyType)
    assert isinstance(
        pickle.loads(pickle.dumps(ArticleResult("a", "s"))).signals, MappingProxyType
    )
    assert isinstance(
        pickle.loads(pickle.dumps(SourceResult("s", 1))).components, MappingProxyType
    )


def test_a_real_report_round_trips(edited_articles):
    report = newsqa.analyze(edited_articles[:12])
    assert report.clusters
    back = pickle.loads(pickle.dumps(report))
    assert back == report
    assert back.to_json() == report.to_json()
