"""Tests of newsqa.io: every input format, the manifest, and every kind of bad input."""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import importlib
import json
import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsqa.errors import InputError
from newsqa.io import Unreadable, articles_from_records, read_articles
from newsqa.model import Article

SEEDS = Path(__file__).resolve().parents[1] / "seeds"

RECORDS = [
    {
        "id": "a1",
        "text": "Kim met Putin in Pyongyang.\nSecond line, with a comma.",
        "source": "a.com",
        "url": "https://a.com/1",
        "published": "2023-07-26",
    },
    {"id": "a2", "text": 'Quotes " and, commas; ünïcödé 北朝鮮 👍', "source": "b.org", "url": None, "published": None},
    {"id": "a3", "text": "", "source": "c.net", "url": None, "published": "2024-04-13T08:00:00+00:00"},
]


def _expected() -> list[Article]:
    return [Article(**r) for r in RECORDS]


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def write_csv(path: Path, records: list[dict], columns=("id", "text", "source", "url", "published")) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(columns), extrasaction="ignore")
        w.writeheader()
        for r in records:
            w.writerow({k: ("" if v is None else v) for k, v in r.items()})
    return path


def one_line(err: pytest.ExceptionInfo) -> str:
    msg = str(err.value)
    assert "\n" not in msg
    return msg


# --- formats -------------------------------------------------------------------------


def test_jsonl_round_trip(tmp_path):
    assert read_articles([write_jsonl(tmp_path / "a.jsonl", RECORDS)]) == _expected()


def test_ndjson_and_blank_lines(tmp_path):
    p = tmp_path / "a.ndjson"
    p.write_text("\n" + json.dumps(RECORDS[0]) + "\n\n  \n" + json.dumps(RECORDS[1]), encoding="utf-8")
    assert read_articles([p]) == _expected()[:2]


def test_csv_round_trip(tmp_path):
    assert read_articles([write_csv(tmp_path / "a.csv", RECORDS)]) == _expected()


def test_csv_without_optional_columns(tmp_path):
    p = write_csv(tmp_path / "a.csv", RECORDS, columns=("source", "text", "id"))
    got = read_articles([p])
    assert [(a.id, a.text, a.source, a.url, a.published) for a in got] == [
        (r["id"], r["text"], r["source"], None, None) for r in RECORDS
    ]


def test_gzip_inputs(tmp_path):
    jl = tmp_path / "a.jsonl.gz"
    with gzip.open(jl, "wt", encoding="utf-8") as fh:
        fh.writelines(json.dumps(r) + "\n" for r in RECORDS)
    plain = write_csv(tmp_path / "plain.csv", RECORDS)
    cz = tmp_path / "b.csv.gz"
    cz.write_bytes(gzip.compress(plain.read_bytes()))
    assert read_articles([jl]) == _expected()
    assert read_articles([cz]) == _expected()


def test_parquet_round_trip(tmp_path):
    pa = importlib.import_module("pyarrow")
    pq = importlib.import_module("pyarrow.parquet")
    table = pa.Table.from_pylist(RECORDS)
    p = tmp_path / "a.parquet"
    pq.write_table(table, p, row_group_size=2)
    assert read_articles([p]) == _expected()


def test_parquet_native_types(tmp_path):
    pa = importlib.import_module("pyarrow")
    pq = importlib.import_module("pyarrow.parquet")
    table = pa.table(
        {
            "id": [1, 2],
            "text": ["x", "y"],
            "source": ["s", "s"],
            "published": [dt.date(2023, 7, 26), None],
            "extra": [1.5, 2.5],
        }
    )
    p = tmp_path / "a.parquet"
    pq.write_table(table, p)
    got = read_articles([p])
    assert [a.id for a in got] == ["1", "2"]
    assert got[0].published == dt.datetime(2023, 7, 26) and got[1].published is None


def test_single_txt_file(tmp_path):
    p = tmp_path / "story one.txt"
    p.write_bytes("\ufeffKim met Putin.\r\n".encode())
    assert read_articles([p]) == [Article("story one", "Kim met Putin.\r\n", "unknown")]
    assert read_articles(p) == read_articles([p])  # a single path is accepted too


def test_directory_sorted_and_non_recursive(tmp_path):
    for name in ("b.txt", "a.txt", "c.md"):
        (tmp_path / name).write_text(name, encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "d.txt").write_text("d", encoding="utf-8")
    got = read_articles([tmp_path])
    assert [(a.id, a.text, a.source) for a in got] == [("a", "a.txt", "unknown"), ("b", "b.txt", "unknown")]


def test_mixed_inputs_keep_order(tmp_path):
    d = tmp_path / "d"
    d.mkdir()
    (d / "t1.txt").write_text("one", encoding="utf-8")
    jl = write_jsonl(tmp_path / "a.jsonl", RECORDS[:1])
    cs = write_csv(tmp_path / "b.csv", RECORDS[1:])
    assert [a.id for a in read_articles([cs, d, jl])] == ["a2", "a3", "t1", "a1"]


def test_empty_text_is_fine(tmp_path):
    (tmp_path / "e.txt").write_bytes(b"")
    assert read_articles([tmp_path]) == [Article("e", "", "unknown")]


# --- manifest ------------------------------------------------------------------------


def test_seeds_manifest():
    got = read_articles([SEEDS])
    assert [a.id for a in got] == sorted(p.stem for p in SEEDS.glob("*.txt"))
    by_id = {a.id: a for a in got}
    assert by_id["004_4f5cf9240b2c00f6"].published == dt.datetime(2024, 4, 13)
    assert by_id["002_80eacc2ad29eea72"].published == dt.datetime(2023, 7, 26)
    assert all(isinstance(a, Article) and a.source != "unknown" for a in got)
    for a in got:  # texts are the files' bytes, decoded
        assert a.text == (SEEDS / f"{a.id}.txt").read_bytes().decode("utf-8")


def test_manifest_overrides_and_defaults(tmp_path):
    (tmp_path / "x.txt").write_text("x", encoding="utf-8")
    (tmp_path / "y.txt").write_text("y", encoding="utf-8")
    (tmp_path / "manifest.jsonl").write_text(
        json.dumps({"id": 7, "file": "x.txt", "source": "x.com", "url": "https://x.com", "published": "2020-01-02"})
        + "\n",
        encoding="utf-8",
    )
    got = read_articles([tmp_path])
    assert got == [Article("7", "x", "x.com", "https://x.com", "2020-01-02"), Article("y", "y", "unknown")]


@pytest.mark.parametrize(
    "entry, fragment",
    [
        ({"file": "missing.txt", "source": "s"}, "missing.txt"),
        ({"id": "x", "source": "s"}, "'file'"),
        ({"file": "x.txt", "sorce": "s"}, "sorce"),
        ({"file": "x.txt", "published": "last tuesday"}, "ISO date"),
    ],
)
def test_bad_manifest(tmp_path, entry, fragment):
    (tmp_path / "x.txt").write_text("x", encoding="utf-8")
    (tmp_path / "manifest.jsonl").write_text(json.dumps(entry) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_articles([tmp_path], strict=True)
    assert fragment in one_line(err) and "manifest.jsonl line 1" in str(err.value)


def test_manifest_duplicate_id(tmp_path):
    (tmp_path / "x.txt").write_text("x", encoding="utf-8")
    (tmp_path / "y.txt").write_text("y", encoding="utf-8")
    (tmp_path / "manifest.jsonl").write_text(json.dumps({"id": "y", "file": "x.txt"}) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="duplicate id 'y'"):
        read_articles([tmp_path], strict=True)


# --- undecodable .txt ------------------------------------------------------------------


def test_undecodable_txt_is_unreadable_not_an_error(tmp_path):
    (tmp_path / "good.txt").write_text("fine", encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(b"abc\xff\xfedef")
    (tmp_path / "manifest.jsonl").write_text(json.dumps({"file": "bad.txt", "source": "bad.com"}) + "\n")
    got = read_articles([tmp_path])
    assert got[1] == Article("good", "fine", "unknown")
    bad = got[0]
    assert isinstance(bad, Unreadable) and (bad.id, bad.source) == ("bad", "bad.com")
    assert "byte 3" in bad.error and "UTF-8" in bad.error and "\n" not in bad.error


def test_unreadable_is_frozen():
    u = Unreadable("a", "s", "e")
    with pytest.raises(AttributeError):
        u.id = "b"  # type: ignore[misc]


# --- bad input -----------------------------------------------------------------------


def test_missing_path(tmp_path):
    with pytest.raises(InputError) as err:
        read_articles([tmp_path / "nope.jsonl"], strict=True)
    assert "nope.jsonl" in one_line(err)


def test_unknown_extension_lists_supported(tmp_path):
    p = tmp_path / "a.xlsx"
    p.write_bytes(b"")
    with pytest.raises(InputError) as err:
        read_articles([p], strict=True)
    msg = one_line(err)
    assert "a.xlsx" in msg and all(ext in msg for ext in (".txt", ".jsonl", ".csv", ".parquet"))


def test_empty_directory(tmp_path):
    with pytest.raises(InputError, match="no .txt files"):
        read_articles([tmp_path], strict=True)


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_missing_required_column_names_columns_found(tmp_path, fmt):
    recs = [{"id": "a", "body": "x", "source": "s"}]
    p = tmp_path / f"a.{fmt}"
    if fmt == "csv":
        write_csv(p, recs, columns=("id", "body", "source"))
    elif fmt == "jsonl":
        write_jsonl(p, recs)
    else:
        import pyarrow as pa
        import pyarrow.parquet as pq

        pq.write_table(pa.Table.from_pylist(recs), p)
    with pytest.raises(InputError) as err:
        read_articles([p], strict=True)
    msg = one_line(err)
    assert str(p) in msg and "text" in msg and "'body'" in msg


@pytest.mark.parametrize("line", ["[1, 2]", '"just a string"', "42", "null", "{not json"])
def test_jsonl_line_not_an_object(tmp_path, line):
    p = tmp_path / "a.jsonl"
    p.write_text(json.dumps(RECORDS[0]) + "\n" + line + "\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_articles([p], strict=True)
    assert f"{p} line 2" in one_line(err)


@pytest.mark.parametrize("text", [None, 3, 1.5, ["x"], {"a": 1}])
def test_non_string_text_names_the_row(tmp_path, text):
    p = write_jsonl(tmp_path / "a.jsonl", [RECORDS[0], {"id": "z", "text": text, "source": "s"}])
    with pytest.raises(InputError) as err:
        read_articles([p], strict=True)
    msg = one_line(err)
    assert "line 2" in msg and "text" in msg


def test_duplicate_id_within_a_file(tmp_path):
    p = write_csv(tmp_path / "a.csv", [RECORDS[0], RECORDS[1], RECORDS[0]])
    with pytest.raises(InputError) as err:
        read_articles([p], strict=True)
    msg = one_line(err)
    assert "'a1'" in msg and "line 2" in msg and "line 5" in msg  # the first record spans lines 2-3


def test_duplicate_id_across_paths(tmp_path):
    jl = write_jsonl(tmp_path / "a.jsonl", RECORDS)
    d = tmp_path / "d"
    d.mkdir()
    (d / "a2.txt").write_text("again", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_articles([jl, d], strict=True)
    msg = one_line(err)
    assert "'a2'" in msg and str(jl) in msg and str(d / "a2.txt") in msg


def test_numeric_and_string_ids_collide(tmp_path):
    jl = write_jsonl(tmp_path / "a.jsonl", [{"id": 1, "text": "", "source": "s"}])
    cs = write_csv(tmp_path / "b.csv", [{"id": "1", "text": "", "source": "s"}], columns=("id", "text", "source"))
    with pytest.raises(InputError, match="duplicate id '1'"):
        read_articles([jl, cs], strict=True)


@pytest.mark.parametrize("suffix", ["csv", "jsonl"])
def test_not_utf8_tabular_gives_byte_offset(tmp_path, suffix):
    p = tmp_path / f"a.{suffix}"
    good = (
        write_csv(tmp_path / "g.csv", RECORDS[:1])
        if suffix == "csv"
        else write_jsonl(tmp_path / "g.jsonl", RECORDS[:1])
    )
    data = good.read_bytes()
    p.write_bytes(data + "x,caf\xe9,s\n".encode("latin-1"))
    with pytest.raises(InputError) as err:
        read_articles([p], strict=True)
    msg = one_line(err)
    assert f"byte {len(data) + 5}" in msg and "UTF-8" in msg and str(p) in msg


def test_bom_is_stripped(tmp_path):
    c = tmp_path / "a.csv"
    c.write_bytes(b"\xef\xbb\xbf" + write_csv(tmp_path / "g.csv", RECORDS).read_bytes())
    j = tmp_path / "a.jsonl"
    j.write_bytes(b"\xef\xbb\xbf" + write_jsonl(tmp_path / "g.jsonl", RECORDS).read_bytes())
    assert read_articles([c]) == _expected()
    assert read_articles([j]) == _expected()


def test_csv_wrong_field_count(tmp_path):
    p = tmp_path / "a.csv"
    p.write_text("id,text,source\na,b,c\nd,e\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_articles([p], strict=True)
    assert "line 3" in one_line(err)


@pytest.mark.parametrize("name, data", [("a.csv", b""), ("h.csv", b"id,text,source\n"), ("a.jsonl", b""),
                                        ("b.jsonl", b"\n\n"), ("a.parquet", b""), ("a.csv.gz", None)])
def test_empty_files_hold_no_articles_in_every_format(tmp_path, name, data):
    import gzip

    p = tmp_path / name
    p.write_bytes(gzip.compress(b"") if data is None else data)
    assert read_articles([p]) == []


def test_csv_large_field(tmp_path):
    text = "word " * 1_100_000  # 5.5 MB, beyond csv's default field size limit
    p = write_csv(tmp_path / "big.csv", [{"id": "big", "text": text, "source": "s"}], columns=("id", "text", "source"))
    assert read_articles([p])[0].text == text


def test_not_parquet(tmp_path):
    p = tmp_path / "a.parquet"
    p.write_bytes(b"not parquet at all")
    with pytest.raises(InputError) as err:
        read_articles([p], strict=True)
    assert "Parquet" in one_line(err)


def test_parquet_without_pyarrow(tmp_path, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "pyarrow", None)
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    p = tmp_path / "a.parquet"
    p.write_bytes(b"")
    with pytest.raises(InputError) as err:
        read_articles([p], strict=True)
    assert "pip install 'newsqa[parquet]'" in one_line(err)


# --- articles_from_records -----------------------------------------------------------


def test_records_round_trip():
    assert articles_from_records(RECORDS) == _expected()


def test_records_missing_values_become_none():
    recs = [
        {"id": 1, "text": "t", "source": "s", "url": math.nan, "published": float("nan")},
        {"id": 2.0, "text": "t", "source": "s", "url": None, "published": None, "other": 1},
    ]
    got = articles_from_records(recs)
    assert [(a.id, a.url, a.published) for a in got] == [("1", None, None), ("2", None, None)]


def test_records_from_pandas():
    pd = importlib.import_module("pandas")
    df = pd.DataFrame(RECORDS)
    df["published"] = pd.to_datetime(df["published"], utc=True, format="ISO8601")
    got = articles_from_records(df.to_dict("records"))
    assert [a.id for a in got] == ["a1", "a2", "a3"]
    assert got[1].url is None and got[1].published is None
    assert got[0].published.year == 2023


def test_records_errors():
    with pytest.raises(InputError, match="record 2"):
        articles_from_records([RECORDS[0], {"id": "x", "text": None, "source": "s"}])
    with pytest.raises(InputError, match="to_dict"):
        articles_from_records(["id", "text", "source"])  # iterating a DataFrame gives column names
    with pytest.raises(InputError, match="duplicate id 'a1'.*record 1.*record 2"):
        articles_from_records([RECORDS[0], RECORDS[0]])
    with pytest.raises(InputError, match="missing required key.*text"):
        articles_from_records([{"id": "a", "source": "s"}])


# --- properties ----------------------------------------------------------------------

any_text = st.text(alphabet=st.characters(), max_size=200)  # includes lone surrogates


@settings(max_examples=200, deadline=None)
@given(texts=st.lists(any_text, max_size=5))
def test_records_round_trip_any_text(texts):
    recs = [{"id": f"r{i}", "text": t, "source": "s"} for i, t in enumerate(texts)]
    assert [a.text for a in articles_from_records(recs)] == texts


@settings(max_examples=100, deadline=None)
@given(texts=st.lists(any_text, max_size=5))
def test_jsonl_round_trip_any_text(tmp_path_factory, texts):
    p = tmp_path_factory.mktemp("jl") / "a.jsonl"
    # json escapes lone surrogates (ensure_ascii), so the file stays valid UTF-8
    write_jsonl(p, [{"id": f"r{i}", "text": t, "source": "s"} for i, t in enumerate(texts)])
    assert [a.text for a in read_articles([p])] == texts


@settings(max_examples=100, deadline=None)
@given(texts=st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200), max_size=5))
def test_csv_round_trip_any_text(tmp_path_factory, texts):
    p = tmp_path_factory.mktemp("csv") / "a.csv"
    write_csv(
        p, [{"id": f"r{i}", "text": t, "source": "s"} for i, t in enumerate(texts)], columns=("id", "text", "source")
    )
    assert [a.text for a in read_articles([p])] == texts


def test_same_path_twice(tmp_path):
    p = write_jsonl(tmp_path / "a.jsonl", RECORDS)
    with pytest.raises(InputError) as err:
        read_articles([p, tmp_path / "." / "a.jsonl"], strict=True)
    assert "given twice" in one_line(err)


def test_manifest_paths_are_normalised(tmp_path):
    (tmp_path / "x.txt").write_text("x", encoding="utf-8")
    (tmp_path / "manifest.jsonl").write_text(json.dumps({"file": "./x.txt", "source": "s"}) + "\n", encoding="utf-8")
    assert read_articles([tmp_path]) == [Article("x", "x", "s")]


def test_manifest_given_as_input(tmp_path):
    (tmp_path / "x.txt").write_text("x", encoding="utf-8")
    (tmp_path / "manifest.jsonl").write_text(json.dumps({"file": "x.txt", "source": "s"}) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="give its directory"):
        read_articles([tmp_path / "manifest.jsonl"], strict=True)


@pytest.mark.parametrize("key", ["id", "source", "url"])
def test_lone_surrogate_in_id_source_url_is_an_error(tmp_path, key):
    rec = {"id": "a", "text": "fine \ud800 in text", "source": "s", "url": "https://x", key: "bad\ud800"}
    p = write_jsonl(tmp_path / "a.jsonl", [rec])
    with pytest.raises(InputError) as err:
        read_articles([p], strict=True)
    assert key in one_line(err) and "surrogate" in str(err.value)


# --- one bad record never costs the others ------------------------------------------

_BAD_JSONL = (
    b'{"id": "good-1", "text": "Kim met Putin in Pyongyang.", "source": "a.com"}\n'
    b'{"id": "bytes", "text": "caf\xe9 au lait", "source": "a.com"}\n'
    b'{"id": "date", "text": "A story.", "source": "a.com", "published": "last Tuesday"}\n'
    b'{"id": "notext", "text": null, "source": "a.com"}\n'
    b'{"id": "nosource", "text": "A story.", "source": null}\n'
    b"{not json\n"
    b'{"id": "good-2", "text": "Another story.", "source": "b.com", "published": "2024-01-02"}\n'
)
_BAD_CSV = (
    b"id,text,source,published\n"
    b"good-1,Kim met Putin in Pyongyang.,a.com,\n"
    b"bytes,caf\xe9 au lait,a.com,\n"
    b"date,A story.,a.com,last Tuesday\n"
    b"short,only two\n"
    b'good-2,"Another, story.",b.com,2024-01-02\n'
)


@pytest.mark.parametrize(
    "name, data, want, first_bad",
    [
        ("in.jsonl", _BAD_JSONL, ["good-1", "bytes", "date", "notext", "nosource", "in.jsonl:6", "good-2"], 2),
        ("in.csv", _BAD_CSV, ["good-1", "bytes", "date", "in.csv:5", "good-2"], 3),
    ],
)
def test_bad_records_become_unreadable_with_file_line_and_field(tmp_path, name, data, want, first_bad):
    p = tmp_path / name
    p.write_bytes(data)
    got = read_articles([p])
    assert [a.id for a in got] == want
    good = {a.id for a in got if not isinstance(a, Unreadable)}
    assert good == {"good-1", "good-2"}
    for a in got:
        if isinstance(a, Unreadable):
            assert str(p) in a.error and " line " in a.error, a.error
    errors = {a.id: a.error for a in got if isinstance(a, Unreadable)}
    assert "UTF-8" in errors["bytes"]
    assert "published" in errors["date"]
    if "notext" in errors:
        assert "text" in errors["notext"] and "source" in errors["nosource"]
    with pytest.raises(InputError, match=f"line {first_bad}"):
        read_articles([p], strict=True)


def test_oversized_csv_field_is_one_bad_record(tmp_path, monkeypatch):
    import newsqa.io as nio

    monkeypatch.setattr(nio, "CSV_FIELD_SIZE_LIMIT", 50)
    import csv

    old = csv.field_size_limit(50)
    try:
        p = tmp_path / "a.csv"
        p.write_text("id,text,source\na,short,s\nb," + "x" * 200 + ",s\nc,also short,s\n", encoding="utf-8")
        got = read_articles([p])
    finally:
        csv.field_size_limit(old)
    assert [type(a).__name__ for a in got] == ["Article", "Unreadable", "Article"]
    assert "longer than" in got[1].error and "line 3" in got[1].error


def test_records_of_a_dataframe_with_nulls_are_reported_not_raised():
    import pandas as pd

    import newsqa

    df = pd.DataFrame(
        {"id": [1, 2, 3], "text": ["Kim met Putin.", None, "A story."], "source": ["a.com", "a.com", None]}
    )
    report = newsqa.analyze(df)
    assert [(a.id, a.status) for a in report.articles] == [("1", "ok"), ("2", "error"), ("3", "error")]
    assert "text" in report.articles[1].error and "source" in report.articles[2].error
    with pytest.raises(InputError, match="record 2"):
        newsqa.analyze(df, strict=True)
