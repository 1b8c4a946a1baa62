"""Tests of the ``newsqa`` command line, run as ``python -m newsqa`` in a subprocess."""

from __future__ import annotations

import csv
import importlib
import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import newsqa
from newsqa import cli

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
# Run the package under test, wherever it was imported from (source tree or installed).
_ENV = {
    **os.environ,
    "PYTHONPATH": os.pathsep.join(
        p for p in (str(Path(newsqa.__file__).resolve().parents[1]), os.environ.get("PYTHONPATH")) if p
    ),
}
XSS = "<script>alert(1)</script>"


def run(*args: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "newsqa", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=_ENV,
        timeout=300,
    )


def report_of(out: Path) -> dict:
    return json.loads((out / "report.json").read_text(encoding="utf-8"))


def assert_clean_error(proc: subprocess.CompletedProcess[str], *fragments: str) -> None:
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("newsqa: error: "), proc.stderr
    for fragment in fragments:
        assert fragment in lines[0]


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def seed_records() -> list[dict]:
    return [
        {"id": p.stem, "text": p.read_text(encoding="utf-8"), "source": f"s{i}"}
        for i, p in enumerate(sorted(SEEDS.glob("*.txt")))
    ]


# --- success -------------------------------------------------------------------------


def test_version():
    proc = run("--version")
    assert proc.returncode == 0 and proc.stdout.startswith("newsqa ") and proc.stdout.strip() != "newsqa"


def test_analyze_seeds(tmp_path):
    out = tmp_path / "report"
    proc = run("analyze", SEEDS, "--out", out)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert proc.stderr.strip().splitlines()[-1].startswith("newsqa: 5 articles")
    report = report_of(out)
    ids = Counter(a["id"] for a in report["articles"])
    assert ids == Counter(p.stem for p in SEEDS.glob("*.txt"))
    assert {a["status"] for a in report["articles"]} == {"ok"}
    assert not (out / "report.html").exists()


def test_options_reach_the_config(tmp_path):
    out = tmp_path / "o"
    proc = run(
        "analyze",
        SEEDS,
        "--out",
        out,
        "--threshold",
        "0.5",
        "--num-perm",
        "64",
        "--ngram",
        "3",
        "--verify",
        "signature",
        "--no-containment",
        "--n-jobs",
        "2",
        "--quiet",
    )
    assert proc.returncode == 0, proc.stderr
    text = json.dumps(report_of(out)["config"])
    for fragment in (
        '"threshold": 0.5',
        '"num_perm": 64',
        '"ngram": 3',
        '"verify": "signature"',
        '"containment": false',
        '"n_jobs": 2',
    ):
        assert fragment in text


def test_quiet_prints_nothing(tmp_path):
    proc = run("analyze", SEEDS, "--out", tmp_path / "o", "--quiet", "--format", "json,html")
    assert proc.returncode == 0
    assert proc.stderr == "" and proc.stdout == ""
    assert (tmp_path / "o" / "report.json").is_file() and (tmp_path / "o" / "report.html").is_file()


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_tabular_inputs(tmp_path, fmt):
    recs = seed_records()
    p = tmp_path / f"in.{fmt}"
    if fmt == "jsonl":
        write_jsonl(p, recs)
    elif fmt == "csv":
        with open(p, "w", encoding="utf-8", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=["id", "text", "source"])
            w.writeheader()
            w.writerows(recs)
    else:
        pa = importlib.import_module("pyarrow")
        import pyarrow.parquet as pq

        pq.write_table(pa.Table.from_pylist(recs), p)
    out = tmp_path / "o"
    proc = run("analyze", p, "--out", out, "--quiet")
    assert proc.returncode == 0, proc.stderr
    assert Counter(a["id"] for a in report_of(out)["articles"]) == Counter(r["id"] for r in recs)


def test_mixed_inputs_each_article_once(tmp_path):
    recs = [{**r, "id": "copy-" + r["id"]} for r in seed_records()]
    jl = write_jsonl(tmp_path / "copies.jsonl", recs)
    out = tmp_path / "o"
    proc = run("analyze", SEEDS, jl, "--out", out, "--quiet")
    assert proc.returncode == 0, proc.stderr
    ids = Counter(a["id"] for a in report_of(out)["articles"])
    assert ids == Counter([p.stem for p in SEEDS.glob("*.txt")] + [r["id"] for r in recs])


def test_undecodable_txt_is_reported_as_error(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "good.txt").write_text("Kim met Putin in Pyongyang on Wednesday.", encoding="utf-8")
    (d / "bad.txt").write_bytes("Kim met Putin in Pyongyang".encode("cp1252") + b" \x81\x9d")
    (d / "empty.txt").write_bytes(b"")
    out = tmp_path / "o"
    proc = run("analyze", d, "--out", out)
    assert proc.returncode == 0, proc.stderr
    assert "1 unreadable" in proc.stderr
    by_id = {a["id"]: a for a in report_of(out)["articles"]}
    assert set(by_id) == {"good", "bad", "empty"}
    assert by_id["bad"]["status"] == "error" and "UTF-8" in by_id["bad"]["error"]
    assert by_id["good"]["status"] == "ok" and by_id["empty"]["status"] == "empty"


def test_html_escapes_everything(tmp_path):
    recs = [
        {"id": XSS, "text": "Kim met Putin. " * 20, "source": XSS},
        {"id": "b\"'&", "text": "Kim met Putin. " * 20, "source": "<b>bold</b>"},
    ]
    out = tmp_path / "o"
    proc = run("analyze", write_jsonl(tmp_path / "x.jsonl", recs), "--out", out, "--format", "html", "--quiet")
    assert proc.returncode == 0, proc.stderr
    page = (out / "report.html").read_text(encoding="utf-8")
    # the page's own three scripts (two JSON islands and its code) only; see tests/test_report_html.py
    assert page.count("<script") == 3 and "<script>alert" not in page and "<b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "&lt;b&gt;bold&lt;/b&gt;" in page
    assert "b&quot;&#x27;&amp;" in page
    assert "http://" not in page and "https://" not in page and "src=" not in page  # self-contained
    assert not (out / "report.json").exists()  # only the formats asked for


def test_output_directory_is_created(tmp_path):
    out = tmp_path / "a" / "b" / "c"
    assert run("analyze", SEEDS, "--out", out, "--quiet").returncode == 0
    assert (out / "report.json").is_file()


# --- errors --------------------------------------------------------------------------


def _bad_inputs(tmp_path: Path) -> dict[str, tuple[list[object], tuple[str, ...]]]:
    """name -> (arguments after 'analyze', fragments the error line must contain)."""
    ok = write_jsonl(tmp_path / "ok.jsonl", [{"id": "a", "text": "x", "source": "s"}])
    cases: dict[str, tuple[list[object], tuple[str, ...]]] = {}

    cases["missing path"] = ([tmp_path / "nope.jsonl"], ("nope.jsonl",))
    (tmp_path / "a.docx").write_bytes(b"")
    cases["unknown extension"] = ([tmp_path / "a.docx"], ("a.docx", ".jsonl", ".csv", ".parquet"))

    (tmp_path / "nocol.csv").write_text("id,body,source\na,x,s\n", encoding="utf-8")
    cases["csv missing column"] = ([tmp_path / "nocol.csv"], ("nocol.csv", "text", "'body'"))
    write_jsonl(tmp_path / "nocol.jsonl", [{"id": "a", "body": "x", "source": "s"}])
    cases["jsonl missing column"] = ([tmp_path / "nocol.jsonl"], ("nocol.jsonl", "text", "'body'"))
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"id": ["a"], "body": ["x"], "source": ["s"]}), tmp_path / "nocol.parquet")
    cases["parquet missing column"] = ([tmp_path / "nocol.parquet"], ("nocol.parquet", "text", "'body'"))

    (tmp_path / "arr.jsonl").write_text('{"id": "a", "text": "x", "source": "s"}\n[1, 2]\n', encoding="utf-8")
    cases["jsonl not an object"] = ([tmp_path / "arr.jsonl"], ("arr.jsonl line 2",))
    (tmp_path / "broken.jsonl").write_text('{"id": "a", "text": \n', encoding="utf-8")
    cases["jsonl not json"] = ([tmp_path / "broken.jsonl"], ("broken.jsonl line 1",))

    write_jsonl(
        tmp_path / "dup.jsonl", [{"id": 1, "text": "x", "source": "s"}, {"id": "1", "text": "y", "source": "s"}]
    )
    cases["duplicate id"] = ([tmp_path / "dup.jsonl"], ("'1'", "line 1", "line 2"))
    write_jsonl(tmp_path / "ok2.jsonl", [{"id": "a", "text": "y", "source": "s"}])
    cases["input given twice"] = ([ok, ok], ("ok.jsonl", "given twice"))
    cases["duplicate across paths"] = ([ok, tmp_path / "ok2.jsonl"], ("'a'", "ok.jsonl line 1", "ok2.jsonl line 1"))

    (tmp_path / "latin.csv").write_bytes("id,text,source\na,caf\xe9,s\n".encode("latin-1"))
    cases["csv not utf-8"] = ([tmp_path / "latin.csv"], ("latin.csv", "byte 20", "UTF-8"))
    (tmp_path / "latin.jsonl").write_bytes('{"id": "a", "text": "caf\xe9", "source": "s"}\n'.encode("latin-1"))
    cases["jsonl not utf-8"] = ([tmp_path / "latin.jsonl"], ("latin.jsonl", "byte 24", "UTF-8"))

    d = tmp_path / "dir"
    d.mkdir()
    (d / "x.txt").write_text("x", encoding="utf-8")
    (d / "manifest.jsonl").write_text('{"file": "gone.txt", "source": "s"}\n', encoding="utf-8")
    cases["manifest names missing file"] = ([d], ("manifest.jsonl line 1", "gone.txt"))

    write_jsonl(
        tmp_path / "nulltext.jsonl", [{"id": "a", "text": "x", "source": "s"}, {"id": "b", "text": None, "source": "s"}]
    )
    cases["null text"] = ([tmp_path / "nulltext.jsonl"], ("nulltext.jsonl line 2", "text"))
    write_jsonl(tmp_path / "numtext.jsonl", [{"id": "a", "text": 12, "source": "s"}])
    cases["number text"] = ([tmp_path / "numtext.jsonl"], ("numtext.jsonl line 1", "text"))

    cases["threshold out of range"] = ([ok, "--threshold", "2"], ("threshold",))
    cases["num-perm not multiple of 8"] = ([ok, "--num-perm", "100"], ("num_perm",))
    cases["bad verify"] = ([ok, "--verify", "maybe"], ("verify",))
    cases["bad n-jobs"] = ([ok, "--n-jobs", "0"], ("n_jobs",))
    cases["bad ngram"] = ([ok, "--ngram", "0"], ("ngram",))
    cases["bad format"] = ([ok, "--format", "json,pdf"], ("--format", "pdf"))

    (tmp_path / "afile").write_text("", encoding="utf-8")
    cases["out is a file"] = ([ok], ("afile",))
    cases["out under a file"] = ([ok], ("afile",))
    return cases


_CASE_NAMES = [
    "missing path",
    "unknown extension",
    "csv missing column",
    "jsonl missing column",
    "parquet missing column",
    "jsonl not an object",
    "jsonl not json",
    "duplicate id",
    "input given twice",
    "duplicate across paths",
    "csv not utf-8",
    "jsonl not utf-8",
    "manifest names missing file",
    "null text",
    "number text",
    "threshold out of range",
    "num-perm not multiple of 8",
    "bad verify",
    "bad n-jobs",
    "bad ngram",
    "bad format",
    "out is a file",
    "out under a file",
]


@pytest.mark.parametrize("name", _CASE_NAMES)
def test_bad_input_is_one_clean_line(tmp_path, name):
    cases = _bad_inputs(tmp_path)
    assert sorted(cases) == sorted(_CASE_NAMES)
    args, fragments = cases[name]
    out = {"out is a file": tmp_path / "afile", "out under a file": tmp_path / "afile" / "sub"}.get(
        name, tmp_path / "o"
    )
    strict = ["--strict"] if name in _RECORD_LEVEL else []
    proc = run("analyze", *args, "--out", out, *strict)
    assert_clean_error(proc, *fragments)


# Cases about one record: without --strict the record is reported with
# status error and the run goes on (test_bad_records_are_reported_and_the_run_goes_on).
_RECORD_LEVEL = {
    "jsonl missing column",
    "jsonl not an object",
    "jsonl not json",
    "csv not utf-8",
    "jsonl not utf-8",
    "null text",
    "number text",
}


@pytest.mark.parametrize("name", sorted(_RECORD_LEVEL))
def test_bad_records_are_reported_and_the_run_goes_on(tmp_path, name):
    args, fragments = _bad_inputs(tmp_path)[name]
    out = tmp_path / "o"
    proc = run("analyze", *args, "--out", out)
    assert proc.returncode == 0, proc.stderr
    assert "unreadable" in proc.stderr
    errors = [a for a in report_of(out)["articles"] if a["status"] == "error"]
    assert len(errors) == 1
    # the file, the line and the field are named; the byte offset only in the strict message
    assert all(f in errors[0]["error"] for f in fragments if not f.startswith("byte ")), errors[0]["error"]


def test_output_file_unwritable_after_analysis(tmp_path):
    out = tmp_path / "o"
    (out / "report.json").mkdir(parents=True)  # a directory where the report should go
    proc = run("analyze", SEEDS, "--out", out, "--quiet")
    assert_clean_error(proc, "report.json")


def test_usage_errors_exit_2(tmp_path):
    for args in ([], ["analyze"], ["analyze", SEEDS], ["analyze", SEEDS, "--out", tmp_path, "--threshold", "x"]):
        proc = run(*args)
        assert proc.returncode == 2 and "Traceback" not in proc.stderr


# --- property: every input article appears exactly once ------------------------------

_word = st.sampled_from(
    ["kim", "putin", "met", "in", "pyongyang", "russia", "north", "korea", "talks", "defence", "the", "a"]
)
_text = st.lists(_word, max_size=40).map(" ".join)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(_text, min_size=1, max_size=12))
def test_every_article_exactly_once(tmp_path, texts):
    # duplicated texts are likely here, so clusters form; each id must still appear once
    recs = [{"id": f"r{i}", "text": t, "source": f"s{i % 3}"} for i, t in enumerate(texts)]
    src = write_jsonl(tmp_path / "in.jsonl", recs)
    out = tmp_path / "o"
    assert cli.main(["analyze", str(src), "--out", str(out), "--quiet", "--num-perm", "32"]) == 0
    report = report_of(out)
    assert Counter(a["id"] for a in report["articles"]) == Counter(r["id"] for r in recs)
    members = [m for c in report["clusters"] for m in c["members"]]
    assert len(members) == len(set(members)) and set(members) <= {r["id"] for r in recs}


def _closed_pipe(*args: object) -> subprocess.CompletedProcess[bytes]:
    """Run the CLI with its standard output a pipe whose reading end is already closed."""
    read, write = os.pipe()
    os.close(read)
    try:
        return subprocess.run(
            [sys.executable, "-m", "newsqa", *map(str, args)], stdout=write, stderr=subprocess.PIPE,
            env=_ENV, timeout=300, check=False,
        )
    finally:
        os.close(write)


def test_a_closed_pipe_ends_quietly(tmp_path):
    db = tmp_path / "i.sqlite"
    assert run("index", "add", db, SEEDS, "--quiet").returncode == 0
    report = newsqa.Report(
        (newsqa.ArticleResult("a", "s"),), (), (newsqa.SourceResult("s", 1),), {}, newsqa.__version__
    )
    report_path = tmp_path / "report.json"
    report.to_json(report_path)
    for args in (
        ("index", "stats", db),
        ("index", "query", db, SEEDS),
        ("explain-source", "s", "--report", report_path, "--json"),
    ):
        proc = _closed_pipe(*args)
        assert proc.stderr == b"", proc.stderr.decode()
        assert proc.returncode == cli.EXIT_BROKEN_PIPE


@pytest.mark.parametrize("name", ["empty.csv", "empty.jsonl"])
def test_an_empty_input_gives_an_empty_report_in_every_format(tmp_path, name):
    src = tmp_path / name
    src.write_bytes(b"")
    proc = run("analyze", src, "--out", tmp_path / "out", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    assert report_of(tmp_path / "out")["articles"] == []


def test_jsonl_and_csv_with_bad_records_report_every_record_once(tmp_path):
    jsonl = tmp_path / "in.jsonl"
    jsonl.write_bytes(
        b'{"id": "j-good", "text": "Kim met Putin in Pyongyang on Wednesday.", "source": "a.com"}\n'
        b'{"id": "j-bytes", "text": "caf\xe9 au lait", "source": "a.com"}\n'
        b'{"id": "j-date", "text": "A story.", "source": "a.com", "published": "last Tuesday"}\n'
        b'{"id": "j-notext", "text": null, "source": "a.com"}\n'
        b'{"id": "j-nosource", "text": "A story.", "source": null}\n'
    )
    csv_ = tmp_path / "in.csv"
    csv_.write_bytes(
        b"id,text,source,published\n"
        b"c-good,Another story about the harbour.,b.com,2024-01-02\n"
        b"c-bytes,caf\xe9 au lait,b.com,\n"
        b"c-date,A story.,b.com,last Tuesday\n"
        b"c-nosource,A story.,,\n"
    )
    out = tmp_path / "o"
    proc = run("analyze", jsonl, csv_, "--out", out, "--format", "json,html", "--emit-clean")
    assert proc.returncode == 0, proc.stderr
    assert "7 unreadable" in proc.stderr
    articles = report_of(out)["articles"]
    ids = [a["id"] for a in articles]
    assert ids == ["j-good", "j-bytes", "j-date", "j-notext", "j-nosource", "c-good", "c-bytes", "c-date", "c-nosource"]
    status = {a["id"]: a["status"] for a in articles}
    assert status["j-good"] == status["c-good"] == "ok"
    errors = {a["id"]: a["error"] for a in articles if a["status"] == "error"}
    assert len(errors) == 7
    assert "published" in errors["j-date"] and "published" in errors["c-date"]
    assert "UTF-8" in errors["j-bytes"] and "UTF-8" in errors["c-bytes"]
    assert "text" in errors["j-notext"] and "source" in errors["j-nosource"] and "source" in errors["c-nosource"]
    assert all(str(jsonl) in errors[i] or str(csv_) in errors[i] for i in errors)
    clean = [json.loads(line)["id"] for line in (out / "clean.jsonl").read_text(encoding="utf-8").split("\n") if line]
    assert clean == ["j-good", "c-good"]
    proc = run("analyze", jsonl, csv_, "--out", tmp_path / "strict", "--strict")
    assert proc.returncode == 2 and "in.jsonl line 2" in proc.stderr
