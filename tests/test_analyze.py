"""analyze(): the report contract, statuses, input forms, determinism."""

from __future__ import annotations

import json
import os

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import newsqa
from newsqa.errors import ConfigError, InputError

from .conftest import SEEDS


def test_report_contract_keys(edited_articles, tmp_path):
    report = newsqa.analyze(edited_articles)
    path = tmp_path / "report.json"
    report.to_json(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert set(data) >= {"newsqa_version", "config", "articles", "clusters", "sources"}
    assert [a["id"] for a in data["articles"]] == [a.id for a in edited_articles]
    for a in data["articles"]:
        assert set(a) >= {"id", "source", "cluster", "status", "flags", "signals"}
        assert a["status"] in {"ok", "empty", "error"}
    for c in data["clusters"]:
        assert set(c) >= {"id", "kind", "members", "representative", "similarity"}
        assert c["kind"] in {"exact", "near_duplicate", "containment", "spun_copy"}
        assert c["representative"] in c["members"]
        assert set(c["similarity"]) == set(c["members"])
    cluster_ids = {c["id"] for c in data["clusters"]}
    for a in data["articles"]:
        assert a["cluster"] is None or a["cluster"] in cluster_ids
    assert sum(s["n_articles"] for s in data["sources"]) == len(edited_articles)
    assert data["config"]["dedup"]["threshold"] == 0.8


def test_every_input_appears_once_with_a_status():
    items = [
        newsqa.Article("a", "Some real words in a sentence.", "s1"),
        newsqa.Article("b", "", "s1"),
        newsqa.Article("c", "   \n 😀 …", "s2"),
        newsqa.Unreadable("d", "s2", "not valid UTF-8 at byte 3"),
    ]
    report = newsqa.analyze(items)
    assert [(a.id, a.status) for a in report.articles] == [
        ("a", "ok"),
        ("b", "empty"),
        ("c", "empty"),
        ("d", "error"),
    ]
    assert report.article("d").error == "not valid UTF-8 at byte 3"


def test_accepts_dicts_and_dataframes(edited_records):
    recs = [{k: r[k] for k in ("id", "text", "source", "published")} for r in edited_records]
    a = newsqa.analyze(recs)
    b = newsqa.analyze(pd.DataFrame(recs))
    assert a.clusters == b.clusters
    assert a.clusters


def test_bad_input_is_named():
    with pytest.raises(InputError, match="duplicate article id 'x'"):
        newsqa.analyze([newsqa.Article("x", "a", "s"), newsqa.Article("x", "b", "s")])
    with pytest.raises(InputError, match="bytes"):
        newsqa.Article("x", b"raw", "s")
    with pytest.raises(InputError, match="single string"):
        newsqa.analyze("just a string")
    with pytest.raises(InputError, match="item 0 is int"):
        newsqa.analyze([3])
    with pytest.raises(InputError, match="ISO date"):
        newsqa.Article("x", "t", "s", published="yesterday")
    with pytest.raises(ConfigError, match="threshold"):
        newsqa.analyze([], threshold=1.5)
    with pytest.raises(ConfigError, match="did you mean 'threshold'"):
        newsqa.analyze([], treshold=0.5)


def test_seeds_report(tmp_path):
    report = newsqa.analyze(newsqa.read_articles([SEEDS]))
    assert len(report.articles) == 5
    assert all(a.status == "ok" for a in report.articles)
    # the seeds are five different stories: none is a near duplicate of another
    assert report.clusters == ()


def test_substitutions_unknown_to_the_lexicon_stay_unlinked():
    # A copy with every 5th word swapped for a word no spinner lexicon knows
    # falls far below 0.8 word-5-gram Jaccard, and these texts hold no
    # function words, numbers or names, so their skeletons (the DSpin-style
    # matcher, tests/test_spun_copies.py) carry nothing to link them by.
    words = [f"w{i}" for i in range(300)]
    spun = [w if i % 5 else "syn" + w for i, w in enumerate(words)]
    clusters = newsqa.find_duplicates([" ".join(words), " ".join(spun)])
    assert clusters == []


@given(st.lists(st.text(max_size=80), max_size=8))
def test_never_raises_on_any_text(texts):
    arts = [newsqa.Article(str(i), t, "s") for i, t in enumerate(texts)]
    report = newsqa.analyze(arts)
    assert len(report.articles) == len(texts)
    json.dumps(report.to_dict())


def test_same_result_twice(edited_articles):
    assert newsqa.analyze(edited_articles).to_dict() == newsqa.analyze(edited_articles).to_dict()


def test_worker_processes_give_the_same_report(edited_articles, monkeypatch):
    import importlib

    analyze_module = importlib.import_module("newsqa.engines.local")

    monkeypatch.setattr(analyze_module, "PARALLEL_MIN_ARTICLES", 2)
    serial = newsqa.analyze(edited_articles, n_jobs=1)
    parallel = newsqa.analyze(edited_articles, n_jobs=2)
    assert parallel.articles == serial.articles
    assert parallel.clusters == serial.clusters
    assert parallel.sources == serial.sources


def test_every_core_is_the_default():
    assert newsqa.Config().run.n_jobs == -1 and newsqa.Config().run.workers == (os.cpu_count() or 1)


class _Terminal:
    """A stderr that says it is a terminal and keeps what is written."""

    def __init__(self):
        self.parts = []

    def isatty(self):
        return True

    def write(self, s):
        self.parts.append(s)
        return len(s)

    def flush(self):
        pass


def test_progress_bar_shows_on_a_terminal_and_not_in_pipes(monkeypatch, edited_articles):
    import sys

    from newsqa import pipeline

    monkeypatch.setattr(pipeline, "PROGRESS_DELAY_S", 0.0)
    term = _Terminal()
    monkeypatch.setattr(sys, "stderr", term)
    newsqa.analyze(edited_articles)
    assert "newsqa: signals" in "".join(term.parts)
    term.parts.clear()
    newsqa.analyze(edited_articles, progress=False)
    assert term.parts == []
    monkeypatch.setattr(term, "isatty", lambda: False)
    newsqa.analyze(edited_articles)
    assert term.parts == []
