"""The pipeline's passes: spill files, template counting, chunking, the sinks.

``analyze()`` runs the pipeline with one chunk (the default chunk size is
larger than these corpora); every chunk size must give the same report.
"""

from __future__ import annotations

import json
import os

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import newsqa
from newsqa.pipeline import (
    TemplateCounter,
    TextStore,
    run,
    template_line_hashes,
    templates_for,
)
from newsqa.signals.boilerplate import normalize_line, source_templates
from newsqa.sinks import CleanWriter, ReportCollector, ReportWriter, Tee

from ..strategies import any_text
from .conftest import comparable


@given(st.lists(any_text, max_size=12))
def test_text_store_gives_back_every_text(tmp_path_factory, texts):
    store = TextStore(str(tmp_path_factory.mktemp("store") / "texts.bin"))
    store.append(texts[: len(texts) // 2])
    store.append(texts[len(texts) // 2 :])
    store.freeze()
    try:
        assert len(store) == len(texts)
        assert [
            store[i] for i in range(len(texts))
        ] == texts  # lone surrogates included
        assert store.read_range(0, len(texts)) == texts
        if texts:
            assert store[-1] == texts[-1]
    finally:
        store.close()


_lines = st.sampled_from(
    [
        "Site News | World | Local",
        "Subscribe to our newsletter today",
        "short",
        "Rain in Lisbon again today.",
        "SITE NEWS  |  world | local",
        "Kim met Putin in 2024.",
        "Kim met Putin in 1999.",
        "  ",
        "Read more on example.com",
    ]
)
_stories = st.lists(
    st.tuples(st.integers(0, 5), st.lists(_lines, max_size=5).map("\n".join)),
    min_size=1,
    max_size=30,
)


@given(_stories)
def test_template_counter_learns_what_source_templates_learns(
    tmp_path_factory, stories
):
    # one source; articles keyed by story (several articles may share one)
    keyed = [(f"s{k}", text) for k, text in stories]
    want = source_templates(keyed) if len(keyed) >= 2 else frozenset()
    counter = TemplateCounter(str(tmp_path_factory.mktemp("tpl")), partitions=3)
    per = [template_line_hashes(t) for _, t in keyed]
    offsets = np.zeros(len(per) + 1, dtype=np.int64)
    np.cumsum([len(h) for h in per], out=offsets[1:])
    hashes = np.array([h for hs in per for h in hs], dtype=np.uint64)
    counter.add(
        np.arange(len(keyed)), np.zeros(len(keyed), dtype=np.int64), offsets, hashes
    )
    story = np.array([k for k, _ in stories], dtype=np.int64)
    learnt = counter.learn(story, np.zeros(len(keyed), dtype=np.int64), 1).get(
        0, frozenset()
    )
    # the hashes name exactly the template lines, and pass 2 recovers them from each text
    assert learnt == {h for t in want for h in template_line_hashes(t)}
    for _, text in keyed:
        found = templates_for(text, learnt)
        assert found == {
            normalize_line(line)
            for line in text.splitlines()
            if normalize_line(line) in want
        }


def _streamed(items, cfg):
    sink = ReportCollector(cfg.to_dict(), newsqa.__version__)
    run(items, cfg, sink)
    return sink.report


@settings(max_examples=6)
@given(chunk_size=st.integers(1, 400))
def test_streamed_run_equals_analyze_for_any_chunk_size(
    mixed_corpus, reference_report, chunk_size
):
    got = _streamed(mixed_corpus, newsqa.Config().replace(chunk_size=chunk_size))
    assert comparable(got) == comparable(reference_report)


def test_reference_corpus_exercises_every_stage(reference_report):
    kinds = {c.kind for c in reference_report.clusters}
    assert {"near_duplicate", "containment", "spun_copy"} <= kinds
    reasons = {f.reason for a in reference_report.articles for f in a.flags}
    assert "source_template" in reasons  # templates were learnt
    assert {a.status for a in reference_report.articles} == {"ok", "empty", "error"}


@pytest.mark.parametrize(
    "overrides",
    [
        {"verify": "signature"},
        {"containment": False, "signals": ("boilerplate", "language")},
        {"signals": ()},
        {"templates": False, "threshold": 0.7},
    ],
)
def test_streamed_run_equals_analyze_with_other_settings(mixed_corpus, overrides):
    cfg = newsqa.Config().replace(chunk_size=37, **overrides)
    assert comparable(_streamed(mixed_corpus, cfg)) == comparable(
        newsqa.analyze(mixed_corpus, cfg)
    )


def test_streamed_report_json_is_byte_identical(
    mixed_corpus, reference_report, tmp_path
):
    path = tmp_path / "report.json"
    writer = ReportWriter(
        str(path), reference_report.config, reference_report.newsqa_version
    )
    run(mixed_corpus, newsqa.Config().replace(chunk_size=50), writer)
    assert path.read_text(encoding="utf-8") == reference_report.to_json() + "\n"
    assert not (tmp_path / "report.json.part").exists()


def test_empty_input_streams_an_empty_report(tmp_path):
    path = tmp_path / "report.json"
    writer = ReportWriter(str(path), {}, "0")
    run([], newsqa.Config(), writer)
    assert (
        path.read_text(encoding="utf-8")
        == newsqa.Report((), (), (), {}, "0").to_json() + "\n"
    )


def test_input_is_read_once():
    texts = iter(
        [
            {"id": str(i), "text": f"story number {i} about the harbour", "source": "s"}
            for i in range(30)
        ]
    )
    report = _streamed(texts, newsqa.Config().replace(chunk_size=4))
    assert [a.id for a in report.articles] == [str(i) for i in range(30)]


def test_a_failed_run_leaves_no_partial_output(tmp_path):
    items = [
        newsqa.Article("a", "one story", "s"),
        newsqa.Article("a", "same id again", "s"),
    ]
    report_path, clean_path = tmp_path / "report.json", tmp_path / "clean.jsonl"
    writer, clean = (
        ReportWriter(str(report_path), {}, "0"),
        CleanWriter(str(clean_path)),
    )
    with pytest.raises(newsqa.InputError, match="duplicate article id 'a'"):
        try:
            run(items, newsqa.Config().replace(chunk_size=1), Tee(writer, clean))
        finally:
            writer.close()
            clean.close()
    assert os.listdir(tmp_path) == []


def test_clean_output_matches_clean_text(tmp_path, reference_report, mixed_corpus):
    from newsqa.clean import strip_flagged

    path = tmp_path / "clean.jsonl"
    run(mixed_corpus, newsqa.Config().replace(chunk_size=64), CleanWriter(str(path)))
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    texts = {a.id: a.text for a in mixed_corpus if isinstance(a, newsqa.Article)}
    flags = {a.id: a.flags for a in reference_report.articles}
    assert [r["id"] for r in rows] == [
        a.id for a in reference_report.articles if a.status != "error"
    ]
    assert all(r["text"] == strip_flagged(texts[r["id"]], flags[r["id"]]) for r in rows)


@settings(max_examples=40)
@given(
    st.lists(st.tuples(any_text, st.sampled_from(["s1", "s2"])), max_size=8),
    st.integers(1, 5),
)
def test_streamed_run_equals_analyze_on_any_text(texts, chunk_size):
    items = [newsqa.Article(str(i), t, s) for i, (t, s) in enumerate(texts)]
    got = _streamed(items, newsqa.Config().replace(chunk_size=chunk_size))
    assert comparable(got) == comparable(newsqa.analyze(items))
    json.dumps(got.to_dict())
