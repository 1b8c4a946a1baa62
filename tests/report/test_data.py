"""What the HTML report shows (newsqa.report._data): offsets, clean text, ranking."""

from __future__ import annotations

import datetime as dt
from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

import newsqa
from newsqa.clean import strip_flagged
from newsqa.model import ArticleResult, Cluster, Flag, SourceResult
from newsqa.report._data import (
    MAX_DIFFS_PER_CLUSTER,
    MAX_EMBED_CHARS,
    build,
    highlight_segments,
    kept_ranges,
    rank_sources,
)
from newsqa.results import Report

from ..conftest import SEEDS


def _utf16_slice(text: str, start: int, end: int) -> str:
    return text.encode("utf-16-le")[2 * start : 2 * end].decode("utf-16-le")


@st.composite
def texts_with_flags(draw, alphabet="ab \n"):
    text = draw(st.text(alphabet=alphabet, max_size=60))
    n = len(text)
    spans = draw(st.lists(st.tuples(st.integers(0, n), st.integers(0, n)), max_size=6))
    kinds = draw(
        st.lists(
            st.sampled_from(["boilerplate", "spam_links", "spun", "mojibake"]),
            min_size=6,
            max_size=6,
        )
    )
    flags = [
        Flag(k, min(s, e), max(s, e), "r") for (s, e), k in zip(spans, kinds) if s != e
    ]
    return text, flags


@given(texts_with_flags())
def test_kept_ranges_are_what_strip_flagged_keeps(case):
    text, flags = case
    kept = kept_ranges(text, flags)
    assert "".join(text[a:b] for a, b in kept) == strip_flagged(text, flags)
    assert all(a < b for a, b in kept) and all(
        b1 <= a2 for (_, b1), (a2, _) in pairwise(kept)
    )


@given(texts_with_flags())
def test_highlight_segments_cover_exactly_the_flags(case):
    _, flags = case
    clipped = [(f.start, f.end, k, f) for k, f in enumerate(flags)]
    segs = highlight_segments(clipped)
    covered = {i for f in flags for i in range(f.start, f.end)}
    assert {i for s, e, _, _ in segs for i in range(s, e)} == covered
    for (s, e, k, count), nxt in zip(segs, segs[1:] + [None]):
        assert s < e and (nxt is None or e <= nxt[0])
        covering = [f for f in flags if f.start <= s and e <= f.end]
        assert count == len(covering)
        assert flags[k] in covering
        assert flags[k].end - flags[k].start == min(f.end - f.start for f in covering)


def test_offsets_are_utf16_units_for_javascript():
    text = "👇Comply with extra 👇\n👉 spam.example 😀 end"
    start = text.index("spam.example")
    flag = Flag("spam_links", start, start + len("spam.example"), "link_block")
    report = Report((ArticleResult("a", "s", flags=(flag,)),), (), (), {}, "0")
    body = build(report, [newsqa.Article("a", text, "s")]).bodies["articles"][0]
    _, _, _, s16, e16 = body["flags"][0]
    assert s16 != start  # two emoji before it: two more UTF-16 units
    assert _utf16_slice(body["text"], s16, e16) == "spam.example"
    seg = body["segments"][0]
    assert _utf16_slice(body["text"], seg[0], seg[1]) == "spam.example"
    clean = "".join(_utf16_slice(body["text"], a, b) for a, b in body["clean_ranges"])
    assert clean == strip_flagged(text, [flag])


def test_seed_clean_text_matches_strip_flagged():
    records = newsqa.read_articles(SEEDS)
    report = newsqa.analyze(records)
    data = build(report, records)
    for a, art, body in zip(report.articles, records, data.bodies["articles"]):
        expected = strip_flagged(art.text, a.flags)
        if "clean_ranges" in body:
            got = "".join(
                _utf16_slice(body["text"], x, y) for x, y in body["clean_ranges"]
            )
        else:
            got = body["clean_text"]
        assert got == expected, a.id


def test_long_texts_are_cut_and_counted():
    text = "Kim met Putin. " * (MAX_EMBED_CHARS // 10)
    flag = Flag("boilerplate", len(text) - 5, len(text), "x")
    report = Report((ArticleResult("a", "s", flags=(flag,)),), (), (), {}, "0")
    body = build(report, [newsqa.Article("a", text, "s")]).bodies["articles"][0]
    assert len(body["text"]) == MAX_EMBED_CHARS and body["total_chars"] == len(text)
    assert body["flags"] == [] and body["n_flags_outside"] == 1


def test_rank_sources_scored_first_then_by_articles():
    ranked = rank_sources(
        [
            SourceResult("none-big", 9),
            SourceResult("low", 1, 10.0),
            SourceResult("high", 2, 90.0),
            SourceResult("none-small", 2),
            SourceResult("nan", 50, float("nan")),
        ]
    )
    assert [s.source for s in ranked] == [
        "high",
        "low",
        "nan",
        "none-big",
        "none-small",
    ]


def _cluster_report() -> tuple[Report, list[newsqa.Article]]:
    story = (
        "Kim met Putin in Pyongyang on Wednesday for talks on trade, arms and the war in Ukraine. "
        * 3
    )
    arts = [
        newsqa.Article("orig", story, "wire.example", published="2024-07-18"),
        newsqa.Article(
            "copy1", story + " Read more", "copier.example", published="2024-07-20"
        ),
        newsqa.Article("copy2", "Breaking: " + story, "copier2.example"),
        newsqa.Article(
            "other",
            "The weather in Lisbon was sunny and warm all week long, said forecasters.",
            "x.example",
        ),
    ]
    return newsqa.analyze(arts), arts


def test_clusters_timeline_and_evidence():
    report, arts = _cluster_report()
    data = build(report, arts)
    (c,) = data.meta["clusters"]
    assert c["representative"] == "orig"
    assert [t["id"] for t in c["timeline"]] == ["orig", "copy1"]
    assert [t["pos"] for t in c["timeline"]] == [0.0, 100.0]
    assert c["n_dated"] == 2 and c["span"] == ["2024-07-18", "2024-07-20"]
    diffs = data.bodies["diffs"][0]
    assert diffs[0] is None and all("segments" in d for d in diffs[1:])
    by_source = {s["source"]: s for s in data.sources}
    assert by_source["copier.example"]["copies_of"] == [("wire.example", 1)]
    assert by_source["wire.example"]["copied_by"] == [("copier.example", 1), ("copier2.example", 1)]
    assert (
        by_source["wire.example"]["n_originals"] == 1
        and by_source["copier.example"]["n_copies"] == 1
    )


def test_huge_clusters_diff_only_the_first_members():
    story = "Kim met Putin in Pyongyang on Wednesday for talks on trade, arms and the war in Ukraine."
    n = MAX_DIFFS_PER_CLUSTER + 3
    arts = [newsqa.Article(f"a{i:04d}", story, "s") for i in range(n)]
    members = tuple(a.id for a in arts)
    cluster = Cluster("c_1", "exact", members, "a0000", {m: 1.0 for m in members})
    results = tuple(ArticleResult(a.id, "s", cluster="c_1") for a in arts)
    data = build(Report(results, (cluster,), (), {}, "0"), arts)
    diffs = data.bodies["diffs"][0]
    assert sum("segments" in d for d in diffs[1:]) == MAX_DIFFS_PER_CLUSTER
    assert sum("note" in d for d in diffs[1:]) == n - 1 - MAX_DIFFS_PER_CLUSTER


def test_mixed_naive_and_aware_dates():
    story = "Kim met Putin in Pyongyang on Wednesday for talks on trade, arms and the war in Ukraine."
    arts = [
        newsqa.Article(
            "a",
            story,
            "s",
            published=dt.datetime(2024, 1, 1, 12, tzinfo=dt.timezone.utc),
        ),
        newsqa.Article("b", story, "t", published="2024-01-02"),
    ]
    cluster = Cluster("c_1", "exact", ("a", "b"), "a", {"a": 1.0, "b": 1.0})
    results = (
        ArticleResult("a", "s", cluster="c_1"),
        ArticleResult("b", "t", cluster="c_1"),
    )
    c = build(Report(results, (cluster,), (), {}, "0"), arts).meta["clusters"][0]
    assert [t["id"] for t in c["timeline"]] == ["a", "b"]
