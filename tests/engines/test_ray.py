"""The Ray engine on a local Ray instance with 2 CPUs: the same report as the local engines."""

from __future__ import annotations

import json
import sys

import numpy as np
import pytest
import ray
from hypothesis import given, settings
from hypothesis import strategies as st

import newsqa
from newsqa.cli import main
from newsqa.engines import MissingExtraError
from newsqa.engines import ray as ray_engine
from newsqa.engines.ray import (
    RayComponents,
    ray_candidate_pairs,
    star_labels_local,
    star_labels_ray,
    union_find_labels,
)
from newsqa.lsh import CONTAINMENT_ROWS, candidate_pairs, min_equal_for, optimal_params
from newsqa.pipeline import run as run_pipeline
from newsqa.sinks import ReportCollector

from .conftest import comparable, generated_articles


@pytest.fixture(scope="module")
def local_ray():
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()


def test_ray_engine_gives_the_local_report(local_ray, mixed_corpus, reference_report):
    got = newsqa.analyze(mixed_corpus, engine="ray", chunk_size=60)
    assert comparable(got) == comparable(reference_report)
    assert got.config["run"]["engine"] == "ray"
    # clusters, flags and source scores: all of them, compared above; spelled out
    assert got.clusters == reference_report.clusters
    assert [a.flags for a in got.articles] == [
        a.flags for a in reference_report.articles
    ]
    assert got.sources == reference_report.sources


def test_components_on_ray_above_the_driver_limit(
    local_ray, mixed_corpus, reference_report, monkeypatch
):
    calls = []

    def counting(n, a, b):
        calls.append(len(a))
        return star_labels_ray(n, a, b)

    monkeypatch.setattr(ray_engine, "star_labels_ray", counting)
    sink = ReportCollector({}, reference_report.newsqa_version)
    cfg = newsqa.Config().replace(engine="ray", chunk_size=90)
    run_pipeline(
        mixed_corpus, cfg, sink, executor=ray_engine.RayExecutor(cfg, max_driver_edges=0)
    )  # every component pass goes to Ray
    assert calls and max(calls) > 0
    assert comparable(sink.report) == comparable(reference_report)


_graphs = st.integers(1, 40).flatmap(
    lambda n: st.tuples(
        st.just(n),
        st.lists(
            st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=3 * n
        ),
    )
)


def _edges(edges):
    a = np.array([x for x, _ in edges], dtype=np.int64)
    b = np.array([y for _, y in edges], dtype=np.int64)
    return a, b


@settings(max_examples=300)
@given(_graphs)
def test_large_star_small_star_equals_union_find(graph):
    n, edges = graph
    a, b = _edges(edges)
    assert (star_labels_local(n, a, b) == union_find_labels(n, a, b)).all()


@settings(max_examples=4)
@given(_graphs)
def test_large_star_small_star_on_ray_equals_union_find(local_ray, graph):
    n, edges = graph
    a, b = _edges(edges)
    assert (star_labels_ray(n, a, b) == union_find_labels(n, a, b)).all()


def test_self_loops_only_on_ray(local_ray):
    # hypothesis found it: edges that are all self-loops leave no star behind
    a = np.array([2, 2, 4], dtype=np.int64)
    assert (star_labels_ray(6, a, a) == np.arange(6)).all()
    assert (star_labels_ray(6, np.array([3, 1]), np.array([3, 0])) == union_find_labels(6, np.array([3, 1]), np.array([3, 0]))).all()


def test_ray_components_answer_like_a_union_find():
    uf = RayComponents(6, max_driver_edges=10)
    uf.union(4, 2)
    uf.union(2, 0)
    assert uf.find(4) == uf.find(0) == 0 and uf.find(1) == 1
    uf.union(5, 1)
    assert uf.find(5) == 1 and uf.find(3) == 3


@settings(max_examples=3)
@given(st.integers(0, 2**32 - 1))
def test_lsh_buckets_on_ray_give_the_local_candidates(local_ray, seed):
    rng = np.random.default_rng(seed)
    sigs = rng.integers(0, 40, size=(120, 128)).astype(np.uint32)
    for i in range(0, 117, 7):  # planted near duplicates and exact copies
        sigs[i + 1] = sigs[i]
        sigs[i + 2, :100] = sigs[i, :100]
    idx = np.sort(rng.choice(120, size=100, replace=False)).astype(np.int64)
    bands, rows = optimal_params(0.8, 128)
    min_eq = min_equal_for(0.8, 128, 3.0)
    want = candidate_pairs(sigs, bands, rows, idx=idx, min_equal=min_eq)
    assert want.size
    assert np.array_equal(
        ray_candidate_pairs(sigs, bands, rows, idx=idx, min_equal=min_eq), want
    )
    want_c = candidate_pairs(
        sigs, 128 // CONTAINMENT_ROWS, CONTAINMENT_ROWS, idx=idx, cap=16
    )
    assert np.array_equal(
        ray_candidate_pairs(
            sigs, 128 // CONTAINMENT_ROWS, CONTAINMENT_ROWS, idx=idx, cap=16
        ),
        want_c,
    )
    labels = rng.integers(0, 3, size=idx.shape[0])  # pairs within a label left out
    want_l = candidate_pairs(sigs, 128 // CONTAINMENT_ROWS, CONTAINMENT_ROWS, idx=idx, cap=16, labels=labels)
    assert 0 < want_l.shape[0] < want_c.shape[0]
    assert np.array_equal(
        ray_candidate_pairs(sigs, 128 // CONTAINMENT_ROWS, CONTAINMENT_ROWS, idx=idx, cap=16, labels=labels),
        want_l,
    )


def test_cli_engine_ray(local_ray, tmp_path):
    path = tmp_path / "c.jsonl"
    with open(path, "w", encoding="utf-8") as fh:
        for a in generated_articles(seed=11, n_stories=30):
            if isinstance(a, newsqa.Article):
                fh.write(
                    json.dumps({"id": a.id, "text": a.text, "source": a.source}) + "\n"
                )
    out = tmp_path / "o"
    assert (
        main(
            [
                "analyze",
                str(path),
                "--out",
                str(out),
                "--engine",
                "ray",
                "--chunk-size",
                "16",
                "--quiet",
            ]
        )
        == 0
    )
    got = json.loads((out / "report.json").read_text(encoding="utf-8"))
    want = json.loads(newsqa.analyze(newsqa.read_articles([path])).to_json())
    assert got["config"]["run"]["engine"] == "ray"
    got.pop("config")
    want.pop("config")
    assert got == want


def test_without_ray_the_error_names_the_extra(monkeypatch, capsys, tmp_path):
    monkeypatch.setitem(
        sys.modules, "ray", None
    )  # `import ray` now fails as if not installed
    monkeypatch.setitem(sys.modules, "ray.data", None)
    with pytest.raises(MissingExtraError, match=r"pip install 'newsqa\[ray\]'") as info:
        newsqa.analyze([newsqa.Article("a", "text", "s")], engine="ray")
    assert isinstance(info.value, ImportError) and isinstance(
        info.value, newsqa.NewsqaError
    )
    assert (
        main(
            ["analyze", str(tmp_path), "--out", str(tmp_path / "o"), "--engine", "ray"]
        )
        == 2
    )
    assert "pip install 'newsqa[ray]'" in capsys.readouterr().err
