"""The per-article table: rows = input records, the keep policy, TableWriter."""

from __future__ import annotations

import csv
import json
import os
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import newsqa
from newsqa import ConfigError
from newsqa.config import KeepConfig
from newsqa.model import ArticleResult, Cluster, Flag, SourceResult
from newsqa.table import (
    ARTICLE_COLUMNS,
    TableWriter,
    _safe,
    article_rows,
    keep_decision,
)

from .conftest import SEEDS
from .strategies import any_text

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")
pd = pytest.importorskip("pandas")


@pytest.fixture(scope="module")
def records() -> list[dict]:
    """The seeds under integer ids, a copy of seed 002, an exact copy of 004 and an empty record."""
    seeds = [a for a in newsqa.read_articles([SEEDS]) if isinstance(a, newsqa.Article)]
    rows = [
        {"id": i, "text": a.text, "source": a.source, "url": f"https://{a.source}.example/{i}",
         "published": a.published}
        for i, a in enumerate(seeds)
    ]
    rows.append({"id": 5, "text": "COPIER NEWS\n\n" + seeds[2].text, "source": "copier.example",
                 "published": "2023-07-28"})
    rows.append({"id": 6, "text": seeds[4].text, "source": "mirror.example", "published": "2024-05-01"})
    rows.append({"id": 7, "text": "", "source": "copier.example"})
    return rows


@pytest.fixture(scope="module")
def report(records) -> newsqa.Report:
    return newsqa.analyze(records)


@pytest.fixture(scope="module")
def table(report, records):
    return report.to_pandas(records)


def test_one_row_per_record_in_order_with_the_input_id_type(table, records):
    assert list(table.columns) == list(ARTICLE_COLUMNS)
    assert table["id"].tolist() == [r["id"] for r in records]
    assert str(table["id"].dtype) == "int64"
    assert table.loc[0, "url"] == records[0]["url"]
    assert table.loc[5, "published"] == "2023-07-28T00:00:00"


def test_keep_drops_copies_spun_and_empty_and_keeps_the_originals(report, table):
    by_id = table.set_index("id")
    members = {m for c in report.clusters for m in c.members}
    assert {"2", "5", "4", "6"} <= members
    for c in report.clusters:
        for m in c.members:
            row = by_id.loc[int(m)]
            assert row["cluster"] == c.id
            assert bool(row["representative"]) == (m == c.representative)
            if m != c.representative:
                assert not row["keep"] and row["drop_reason"] == "copy" and row["relation"] != "original"
            else:
                assert row["relation"] == "original"
    assert by_id.loc[2, "keep"] and by_id.loc[4, "keep"]  # the originals
    assert not by_id.loc[3, "keep"] and by_id.loc[3, "drop_reason"] == "spun"  # spun, link farm
    assert by_id.loc[3, "spam_links_share"] > 0 and by_id.loc[3, "spun_share"] > 0
    assert not by_id.loc[7, "keep"] and by_id.loc[7, "drop_reason"] == "empty"
    assert by_id.loc[0, "keep"] and pd.isna(by_id.loc[0, "drop_reason"]) and not by_id.loc[0, "representative"]
    assert by_id.loc[0, "source_score"] == report.sources[[s.source for s in report.sources].index(
        by_id.loc[0, "source"])].score


def test_arrow_and_pandas_hold_the_same_rows(report, records, table):
    arrow = report.to_arrow(records)
    assert arrow.schema.field("id").type == pa.int64()
    pd.testing.assert_frame_equal(arrow.to_pandas(), table, check_dtype=False)
    srcs = report.to_pandas(table="sources")
    assert srcs["n_articles"].sum() == len(records)
    assert srcs.set_index("source").loc["copier.example", "n_kept"] == 0


def test_without_the_input_ids_are_the_report_strings(report):
    df = report.to_pandas()
    assert df["id"].tolist() == [a.id for a in report.articles] and df["url"].isna().all()


def test_the_input_must_be_the_reports(report, records):
    with pytest.raises(newsqa.InputError, match="holds 7 records but the report 8"):
        report.to_pandas(records[:-1])
    with pytest.raises(newsqa.InputError, match="record 0 has id '1' but the report's article 0 is '0'"):
        report.to_pandas(records[1:] + records[:1])


def test_presets(report, records):
    loose = report.to_pandas(records, keep="dedup_only").set_index("id")
    assert loose.loc[3, "keep"]  # spun text is kept when only deduplicating
    assert not loose.loc[5, "keep"] and not loose.loc[7, "keep"]
    with pytest.raises(ConfigError, match="did you mean 'strict'"):
        KeepConfig.preset("strcit")


@pytest.mark.parametrize(
    "preset, shares, spun, expected",
    [
        ("default", {"boilerplate_share": 0.6}, False, (False, "boilerplate")),
        ("default", {"boilerplate_share": 0.3}, False, (True, None)),
        ("strict", {"boilerplate_share": 0.3}, False, (False, "boilerplate")),
        ("default", {"spam_links_share": 0.1}, False, (True, None)),
        ("strict", {"spam_links_share": 0.1}, False, (False, "spam_links")),
        ("strict", {"mojibake_share": 0.05}, False, (False, "mojibake")),
        ("dedup_only", {"boilerplate_share": 0.9, "spam_links_share": 0.9}, True, (True, None)),
        ("default", {}, True, (False, "spun")),
    ],
)
def test_keep_policy_per_preset(preset, shares, spun, expected):
    assert keep_decision("ok", None, False, spun, shares, KeepConfig.preset(preset)) == expected


def test_relations_other_than_update_count_as_copies():
    policy = KeepConfig()
    assert keep_decision("ok", "update", False, False, {}, policy) == (True, None)
    assert keep_decision("ok", "paraphrase", False, False, {}, policy) == (False, "copy")
    assert keep_decision("ok", "update", False, False, {}, KeepConfig(not_copies=("original",)))[0] is False
    assert keep_decision("error", None, False, False, {}, policy) == (False, "error")
    assert keep_decision("error", None, False, False, {}, KeepConfig(drop_errors=False)) == (True, None)
    assert newsqa.Config().replace(drop_spun=False).keep.drop_spun is False
    with pytest.raises(ConfigError, match="max_boilerplate_share"):
        KeepConfig(max_boilerplate_share=1.5)


def test_writer_streams_the_same_table(tmp_path, report, records, table):
    out = tmp_path / "t"
    writer = TableWriter(out, chunk_rows=3)
    for result, rec in zip(report.articles, records):
        writer.article(result, rec)
    writer.finish(report.clusters, report.sources)
    assert sorted(os.listdir(out)) == ["articles.csv", "articles.parquet", "sources.csv", "sources.parquet"]
    pf = pq.ParquetFile(out / "articles.parquet")
    assert pf.num_row_groups == 3
    pd.testing.assert_frame_equal(pf.read().to_pandas(), table, check_dtype=False)
    back = pd.read_csv(out / "articles.csv")
    assert back["id"].tolist() == table["id"].tolist() and back["keep"].tolist() == table["keep"].tolist()
    assert pq.read_table(out / "sources.parquet").num_rows == len(report.sources)


def test_writer_in_a_streamed_run(tmp_path, records):
    from newsqa.config import Config
    from newsqa.pipeline import run

    writer = TableWriter(tmp_path, formats=("parquet",))
    run(newsqa.read_articles([SEEDS]), Config(), writer)
    df = pq.read_table(tmp_path / "articles.parquet").to_pandas()
    assert df["id"].str[:3].tolist() == ["000", "001", "002", "003", "004"]
    assert df["keep"].tolist() == [True, True, True, False, True]
    assert sorted(os.listdir(tmp_path)) == ["articles.parquet", "sources.parquet"]


def test_writer_publishes_nothing_on_failure(tmp_path):
    writer = TableWriter(tmp_path, formats=("csv", "parquet"))
    writer.article(ArticleResult("a", "s"), {"id": "a", "text": "text"})
    writer.close()
    assert os.listdir(tmp_path) == []
    writer = TableWriter(tmp_path, formats=("csv", "parquet"))
    writer.article(ArticleResult("a", "s"), {"id": "a", "text": "text"})
    with pytest.raises(AttributeError):
        writer.finish((), (object(),))  # type: ignore[arg-type]
    assert os.listdir(tmp_path) == []


def test_csv_only_needs_no_pyarrow(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    with pytest.raises(ImportError, match=r"newsqa\[parquet\]"):
        TableWriter(tmp_path, formats=("parquet",))
    writer = TableWriter(tmp_path, formats="csv")
    writer.article(ArticleResult("a", "s"), {"id": "a", "text": "x"})
    writer.finish((), ())
    assert sorted(os.listdir(tmp_path)) == ["articles.csv", "sources.csv"]


def test_pandas_without_pyarrow_gives_the_same_values(report, records, table, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    df = report.to_pandas(records)
    assert df["keep"].dtype == bool and df["spun_share"].dtype == "float64"
    assert df["id"].tolist() == table["id"].tolist() and df["drop_reason"].isna().tolist() == table[
        "drop_reason"].isna().tolist()
    with pytest.raises(ImportError, match=r"newsqa\[parquet\]"):
        report.to_arrow()


def test_pandas_missing_names_the_extra(report, monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match=r"pip install 'newsqa\[pandas\]'"):
        report.to_pandas()


def test_ids_of_mixed_types_become_strings():
    results = (ArticleResult("1", "s"), ArticleResult("b", "s"))
    r = newsqa.Report(results, (), (), {}, "")
    rows = list(article_rows(r, [{"id": 1}, {"id": "b"}]))
    assert [row["id"] for row in rows] == ["1", "b"]


def test_overlapping_flags_count_once():
    flags = (Flag("boilerplate", 0, 6, "x"), Flag("boilerplate", 4, 10, "y"), Flag("spam_links", 10, 15, "z"))
    r = newsqa.Report((ArticleResult("a", "s", flags=flags, signals={"n_chars": 20}),), (), (), {}, "")
    (row,) = article_rows(r)
    assert row["boilerplate_share"] == 0.5 and row["spam_links_share"] == 0.25 and row["mojibake_share"] == 0.0


def test_unknown_cluster_relations_default_to_the_cluster_kind():
    c = Cluster("c1", "near_duplicate", ("a", "b"), "a", {"a": 1.0, "b": 0.9})
    r = newsqa.Report((ArticleResult("a", "s", cluster="c1"), ArticleResult("b", "s", cluster="c1")), (c,), (), {}, "")
    rows = list(article_rows(r))
    assert [(x["relation"], x["representative"], x["keep"]) for x in rows] == [
        ("original", True, True), ("near_duplicate", False, False)]


@settings(max_examples=25, deadline=None)
@given(ids=st.lists(st.text(min_size=1), min_size=1, max_size=4, unique=True), source=st.text(), text=any_text)
def test_any_string_writes_to_csv_and_parquet(tmp_path_factory, ids, source, text):
    out = tmp_path_factory.mktemp("any")
    writer = TableWriter(out)
    for i in ids:
        writer.article(ArticleResult(i, source, status="error", error=text), {"id": i, "text": text, "url": text})
    writer.finish((), (SourceResult(source, len(ids), 50.0),))
    df = pq.read_table(out / "articles.parquet").to_pandas()
    assert len(df) == len(ids)
    assert df["id"].tolist() == [_safe(i) for i in ids]  # a lone surrogate becomes U+FFFD
    assert set(df["source"]) == {_safe(source)}
    with open(out / "articles.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert len(rows) == len(ids) + 1
    assert all(not (0xD800 <= ord(ch) <= 0xDFFF) for row in rows for cell in row for ch in cell)


def test_cli_writes_the_table_from_the_same_pass_as_report_json(tmp_path):
    from newsqa.cli import main

    path = tmp_path / "in.jsonl"
    arts = newsqa.read_articles([SEEDS])
    with open(path, "w", encoding="utf-8") as fh:
        for i, a in enumerate(arts):
            fh.write(json.dumps({"id": 100 + i, "text": a.text, "source": a.source}) + "\n")
        fh.write('{"id": 200, "text": null, "source": "s"}\n')  # a bad record is a row too
    out = tmp_path / "o"
    assert main(["analyze", str(path), "--out", str(out), "--format", "json,parquet,csv", "--quiet"]) == 0
    df = pq.read_table(out / "articles.parquet").to_pandas()
    assert df["id"].tolist() == [100, 101, 102, 103, 104, 200]  # integers stay integers
    for column in ("id", "source", "url", "published", "status", "error", "cluster", "relation",
                   "representative", "keep", "drop_reason", "language", "boilerplate_share",
                   "spam_links_share", "spun_score", "flesch_reading_ease", "source_score"):
        assert column in df.columns, column
    assert df["keep"].tolist() == [True, True, True, False, True, False]
    assert df["drop_reason"].tolist()[3] == "spun" and df["status"].tolist()[5] == "error"
    report = newsqa.Report.from_json(out / "report.json")
    want = report.to_pandas([json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()])
    pd.testing.assert_frame_equal(df, want, check_dtype=False)
    assert len(pd.read_csv(out / "articles.csv")) == 6
