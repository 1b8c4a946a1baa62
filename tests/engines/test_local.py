"""The local streamed engine behind ``newsqa analyze``: the same report as analyze()."""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import sys
import types

import pytest
from hypothesis import given
from hypothesis import strategies as st

import newsqa
from newsqa.cli import main

from ..conftest import SEEDS
from .conftest import generated_articles


def _write_jsonl(path, articles) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for a in articles:
            if isinstance(a, newsqa.Article):
                row = {
                    "id": a.id,
                    "text": a.text,
                    "source": a.source,
                    "published": a.published.isoformat() if a.published else None,
                }
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def _report(out) -> dict:
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    data.pop("config")
    return data


@pytest.mark.parametrize("chunk_size", [1, 13, 10_000])
def test_cli_streams_the_report_of_analyze(tmp_path, edited_articles, chunk_size):
    path = tmp_path / "corpus.jsonl"
    _write_jsonl(path, list(edited_articles) + generated_articles(seed=3, n_stories=40))
    out = tmp_path / "o"
    assert (
        main(
            [
                "analyze",
                str(path),
                "--out",
                str(out),
                "--chunk-size",
                str(chunk_size),
                "--quiet",
            ]
        )
        == 0
    )
    want = json.loads(newsqa.analyze(newsqa.read_articles([path])).to_json())
    want.pop("config")
    assert _report(out) == want
    config = json.loads((out / "report.json").read_text(encoding="utf-8"))["config"]
    assert config["run"]["chunk_size"] == chunk_size and config["run"]["engine"] == "local"


def test_cli_stream_keeps_unreadable_files_and_several_inputs(tmp_path):
    d = tmp_path / "docs"
    shutil.copytree(SEEDS, d)
    (d / "zz_broken.txt").write_bytes(b"caf\xe9 au lait")
    extra = tmp_path / "extra.jsonl"
    _write_jsonl(extra, generated_articles(seed=5, n_stories=12))
    out = tmp_path / "o"
    assert (
        main(
            [
                "analyze",
                str(d),
                str(extra),
                "--out",
                str(out),
                "--chunk-size",
                "4",
                "--emit-clean",
                "--quiet",
            ]
        )
        == 0
    )
    want = json.loads(newsqa.analyze(newsqa.read_articles([d, extra])).to_json())
    want.pop("config")
    got = _report(out)
    assert got == want
    assert any(a["status"] == "error" for a in got["articles"])
    clean = [json.loads(line) for line in (out / "clean.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in clean] == [a["id"] for a in got["articles"] if a["status"] != "error"]


def test_cli_reports_a_duplicate_id_with_both_places(tmp_path, capsys):
    path = tmp_path / "dup.jsonl"
    path.write_text(
        '{"id": "x", "text": "one", "source": "s"}\n{"id": "y", "text": "two", "source": "s"}\n'
        '{"id": "x", "text": "three", "source": "s"}\n',
        encoding="utf-8",
    )
    out = tmp_path / "o"
    assert main(["analyze", str(path), "--out", str(out), "--chunk-size", "1", "--quiet"]) == 2
    err = capsys.readouterr().err
    assert f"duplicate id 'x': in {path} line 1 and in {path} line 3" in err
    assert not (out / "report.json").exists() and not (out / "report.json.part").exists()


@pytest.mark.parametrize(
    "args, message",
    [
        (["--chunk-size", "0"], "chunk_size"),
        (["--ray-address", "auto"], "ray_address is only used with engine='ray'"),
    ],
)
def test_cli_rejects_bad_run_options(tmp_path, capsys, args, message):
    assert main(["analyze", str(SEEDS), "--out", str(tmp_path / "o"), *args]) == 2
    assert message in capsys.readouterr().err


def test_cli_worker_processes_give_the_same_report(tmp_path, edited_articles, monkeypatch):
    import importlib

    monkeypatch.setattr(importlib.import_module("newsqa.engines.local"), "PARALLEL_MIN_ARTICLES", 2)
    path = tmp_path / "corpus.jsonl"
    _write_jsonl(path, list(edited_articles) + generated_articles(seed=4, n_stories=20))
    out = tmp_path / "o"
    assert (
        main(
            [
                "analyze",
                str(path),
                "--out",
                str(out),
                "--chunk-size",
                "50",
                "--n-jobs",
                "2",
                "--quiet",
            ]
        )
        == 0
    )
    want = json.loads(newsqa.analyze(newsqa.read_articles([path])).to_json())
    want.pop("config")
    assert _report(out) == want


def _tagged(shared, part):
    return [(shared, x, os.getpid()) for x in part]


def _join(parts):
    return [row for part in parts for row in part]


def test_chunks_run_in_worker_processes_and_give_the_same_result(monkeypatch):
    from newsqa.engines import local

    monkeypatch.setattr(local, "PARALLEL_MIN_ARTICLES", 2)
    chunks = [list(range(40)), list(range(40, 45)), [1]]
    serial = list(local.LocalExecutor(1).map(_tagged, "s", chunks, _join))
    assert {row[2] for c in serial for row in c} == {os.getpid()}
    forked = list(local.LocalExecutor(2).map(_tagged, "s", chunks, _join))
    assert [[row[:2] for row in c] for c in forked] == [[row[:2] for row in c] for c in serial]
    if "fork" in multiprocessing.get_all_start_methods():
        assert {row[2] for row in forked[0]} - {os.getpid()}, "a chunk of 40 ran in worker processes"
        assert {row[2] for row in forked[2]} == {os.getpid()}, "a chunk of one ran here"


def test_no_fork_while_ray_runs_in_this_process(monkeypatch):
    # Ray's threads do not survive a fork: with Ray started in this process
    # the executor stays in it, says so once, and gives the same result.
    from newsqa.engines import local

    monkeypatch.setattr(local, "PARALLEL_MIN_ARTICLES", 2)
    monkeypatch.setitem(sys.modules, "ray", types.SimpleNamespace(is_initialized=lambda: True))
    assert "Ray" in local.fork_unsafe_reason()
    chunks = [list(range(40)), list(range(40, 80))]
    monkeypatch.setattr(local, "PARALLEL_MIN_WORK_US", 2)
    ex = local.LocalExecutor(2)
    with pytest.warns(RuntimeWarning, match="n_jobs=1") as caught:
        rows = list(ex.map(_tagged, "s", chunks, _join))
        groups = ex.cluster_stages()["map_parts"](_tagged, "g", chunks, [40, 40])
    assert len(caught) == 1
    assert [[row[:2] for row in c] for c in rows] == [[("s", x) for x in c] for c in chunks]
    assert {row[2] for c in rows for row in c} == {os.getpid()}
    assert groups == [("g", c, os.getpid()) for c in chunks]
    monkeypatch.setitem(sys.modules, "ray", types.SimpleNamespace(is_initialized=lambda: False))
    assert local.fork_unsafe_reason() is None


def test_clusters_are_built_in_worker_processes_and_are_the_same(monkeypatch, tmp_path, edited_articles):
    from newsqa import clusters
    from newsqa.engines import local

    from ..test_clusters import groups_corpus

    args = groups_corpus(edited_articles)
    want = clusters.cluster_texts(**args)
    pids = tmp_path / "pids"
    build = clusters._clusters_of_groups

    def logged(ctx, groups):
        with open(pids, "a") as fh:
            fh.write(f"{os.getpid()}\n")
        return build(ctx, groups)

    monkeypatch.setattr(clusters, "_clusters_of_groups", logged)
    monkeypatch.setattr(local, "PARALLEL_MIN_WORK_US", 2)
    stages = local.LocalExecutor(2).cluster_stages()
    got = clusters.cluster_texts(**args, **stages)
    assert got.clusters == want.clusters
    assert list(got.cluster_of.items()) == list(want.cluster_of.items())
    if "fork" in multiprocessing.get_all_start_methods():
        ran = {int(p) for p in pids.read_text().split()}
        assert len(pids.read_text().split()) > 2 and os.getpid() not in ran, "slices ran in worker processes"
    # one worker, or too few members: here
    pids.unlink()
    assert clusters.cluster_texts(**args, **local.LocalExecutor(1).cluster_stages()).clusters == want.clusters
    monkeypatch.setattr(local, "PARALLEL_MIN_WORK_US", 10**9)
    assert clusters.cluster_texts(**args, **stages).clusters == want.clusters
    assert {int(p) for p in pids.read_text().split()} == {os.getpid()}


@given(st.lists(st.integers(0, 50), max_size=60), st.integers(1, 20))
def test_slices_are_consecutive_and_about_even(weights, n_slices):
    from newsqa.engines.local import _even_slices

    bounds = _even_slices(weights, n_slices)
    assert [i for lo, hi in bounds for i in range(lo, hi)] == list(range(len(weights)))
    assert len(bounds) <= n_slices and all(lo < hi for lo, hi in bounds)
    heaviest = max(weights, default=0)
    for lo, hi in bounds:  # a slice is one item or within one item of the even share
        assert hi - lo == 1 or sum(weights[lo:hi]) <= sum(weights) / n_slices + heaviest
