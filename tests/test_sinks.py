"""The sinks: every output of one pass, for any text; a failing sink costs no other output."""

from __future__ import annotations

import json
import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import newsqa
from newsqa.pipeline import run
from newsqa.sinks import CleanWriter, HtmlWriter, ReportCollector, ReportWriter, Tee
from newsqa.table import TableWriter

from .strategies import any_text

SURROGATE_TEXT = "Police said \ud800 on Tuesday. " * 8


def _all_sinks(out, cfg):
    version = newsqa.__version__
    return [
        ReportWriter(str(out / "report.json"), cfg.to_dict(), version),
        HtmlWriter(str(out / "report.html"), cfg.to_dict(), version),
        CleanWriter(str(out / "clean.jsonl")),
        TableWriter(out, ("parquet", "csv")),
    ]


def _run_all(out, items, cfg=None):
    cfg = cfg or newsqa.Config().replace(chunk_size=3)
    sinks = _all_sinks(out, cfg)
    collector = ReportCollector(cfg.to_dict(), newsqa.__version__)
    tee = Tee(collector, *sinks)
    try:
        run(items, cfg, tee)
    finally:
        tee.close()
    return collector.report


@settings(max_examples=15, deadline=None)
@given(st.lists(st.tuples(any_text, st.sampled_from(["s1", "s2"])), min_size=1, max_size=6))
def test_every_sink_writes_any_text(tmp_path_factory, texts):
    out = tmp_path_factory.mktemp("sinks")
    items = [newsqa.Article(f"a{i}", t, s) for i, (t, s) in enumerate(texts)]
    report = _run_all(out, items)
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert [a["id"] for a in data["articles"]] == [a.id for a in items]
    assert data == {**json.loads(report.to_json()), "config": data["config"]}
    lines = (out / "clean.jsonl").read_text(encoding="utf-8").splitlines()  # even str.splitlines sees rows
    rows = [json.loads(line) for line in lines]
    assert [r["id"] for r in rows] == [a.id for a in items]
    assert [r["text"] for r in rows] == newsqa.clean_text(items, chunk_size=3)
    page = (out / "report.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    import pyarrow.parquet as pq

    assert pq.read_table(out / "articles.parquet").num_rows == len(items)
    assert not [n for n in os.listdir(out) if n.endswith(".part") or n.startswith(".")]


def test_clean_rows_survive_every_line_splitter(tmp_path):
    items = [newsqa.Article("a", "One\x85two\u2028three\u2029four.", "s")]
    _run_all(tmp_path, items)
    (line,) = (tmp_path / "clean.jsonl").read_text(encoding="utf-8").splitlines()
    assert json.loads(line)["text"] == "One\x85two\u2028three\u2029four."


def test_lone_surrogate_reaches_every_output(tmp_path):
    items = [newsqa.Article("a", SURROGATE_TEXT, "s"), newsqa.Article("b", "Kim met Putin.", "s")]
    _run_all(tmp_path, items)
    rows = [json.loads(line) for line in (tmp_path / "clean.jsonl").read_text(encoding="utf-8").splitlines()]
    assert "\ud800" in rows[0]["text"]
    assert "Police said" in (tmp_path / "report.html").read_text(encoding="utf-8")


def test_cli_emit_clean_with_a_lone_surrogate(tmp_path):
    from newsqa.cli import main

    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps({"id": "a", "text": SURROGATE_TEXT, "source": "s"}) + "\n", encoding="utf-8")
    out = tmp_path / "o"
    assert main(["analyze", str(path), "--out", str(out), "--emit-clean", "--format", "json,html", "--quiet"]) == 0
    assert sorted(os.listdir(out)) == ["clean.jsonl", "report.html", "report.json"]


class _Broken:
    """A sink whose disk fills up at the second article."""

    path = "broken.out"

    def __init__(self):
        self.n = 0
        self.closed = False

    def article(self, result, record):
        self.n += 1
        if self.n == 2:
            raise OSError(28, "No space left on device", self.path)

    def finish(self, clusters, sources):
        raise AssertionError("a failed sink is not finished")

    def close(self):
        self.closed = True


def test_a_failing_sink_never_loses_the_other_outputs(tmp_path):
    cfg = newsqa.Config()
    broken = _Broken()
    sinks = _all_sinks(tmp_path, cfg)
    tee = Tee(sinks[0], broken, *sinks[1:])
    items = newsqa.read_articles([os.path.join(os.path.dirname(__file__), "..", "seeds")])
    with pytest.raises(OSError, match="No space left"):
        run(items, cfg, tee)
    tee.close()
    assert broken.closed
    names = sorted(os.listdir(tmp_path))
    assert names == [
        "articles.csv",
        "articles.parquet",
        "clean.jsonl",
        "report.html",
        "report.json",
        "sources.csv",
        "sources.parquet",
    ]
    assert len(json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))["articles"]) == 5


def test_html_page_past_its_text_budget_says_so(tmp_path):
    cfg = newsqa.Config()
    page = HtmlWriter(str(tmp_path / "report.html"), cfg.to_dict(), "0", budget=60)
    items = [newsqa.Article(f"a{i}", f"Story number {i} about the harbour and the council.", "s") for i in range(4)]
    run(items, cfg, page)
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert page.n_without_text == 3
    assert '"why":"budget"' in html.replace(" ", "") and '"text_budget":60' in html.replace(" ", "")
