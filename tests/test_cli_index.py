"""`newsqa index add|query|stats`: the command line of the persistent index."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import newsqa
from newsqa import cli

from .conftest import SEEDS


def lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def main(capsys, *args: object) -> tuple[int, str, str]:
    code = cli.main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def assert_clean_error(code: int, err: str, *fragments: str) -> None:
    assert code == 2, err
    assert "Traceback" not in err
    (line,) = err.splitlines()
    assert line.startswith("newsqa: error: ")
    for fragment in fragments:
        assert fragment in line, line


@pytest.fixture
def feed(tmp_path) -> Path:
    """Day two of a feed: a copy of seed 002 under another source, and a new story."""
    seed = next(SEEDS.glob("002_*.txt")).read_text(encoding="utf-8")
    path = tmp_path / "day2.jsonl"
    rows = [
        {"id": "copy-002", "text": "SYNDICATED\n\n" + seed.upper(), "source": "copier.example"},
        {"id": "fresh", "text": "An entirely new story about the harbour ferry timetable in winter.", "source": "x"},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_add_query_stats(capsys, tmp_path, feed):
    db = tmp_path / "seen.sqlite"
    code, out, err = main(capsys, "index", "add", db, SEEDS)
    assert code == 0
    assert [r["id"] for r in lines(out)] == sorted(p.stem for p in SEEDS.glob("*.txt"))
    assert all(r["matches"] == [] for r in lines(out))
    assert "indexed 5 articles (0 with earlier duplicates)" in err and "holds 5 articles" in err

    code, out, err = main(capsys, "index", "add", db, feed)
    assert code == 0
    got = {r["id"]: r["matches"] for r in lines(out)}
    (match,) = got["copy-002"]
    assert match["id"].startswith("002_") and 0.8 <= match["similarity"] <= 1.0
    assert got["fresh"] == []

    code, out, err = main(capsys, "index", "query", db, feed)
    assert code == 0
    got = {r["id"]: r["matches"] for r in lines(out)}
    assert got["copy-002"] == [match] and got["fresh"] == []  # an indexed article does not match itself
    assert "2 articles queried, 1 with indexed duplicates" in err

    code, out, _ = main(capsys, "index", "stats", db)
    assert code == 0
    stats = json.loads(out)
    assert stats["n_articles"] == 7 and stats["params"]["threshold"] == 0.8
    by_source = {s["source"]: s for s in stats["sources"]}
    assert by_source["copier.example"]["stats"]["copies"] == 1
    assert sum(s["stats"]["originals"] for s in stats["sources"]) == 1


def test_out_file_and_quiet(capsys, tmp_path, feed):
    db, out_file = tmp_path / "i.sqlite", tmp_path / "matches.jsonl"
    code, out, err = main(capsys, "index", "add", db, SEEDS, feed, "--out", out_file, "--quiet")
    assert code == 0 and out == "" and err == ""
    got = {r["id"]: r["matches"] for r in lines(out_file.read_text(encoding="utf-8"))}
    assert len(got) == 7 and [m["id"][:4] for m in got["copy-002"]] == ["002_"]


def test_an_id_added_twice_fails_unless_skipped(capsys, tmp_path):
    db = tmp_path / "i.sqlite"
    assert main(capsys, "index", "add", db, SEEDS)[0] == 0
    code, _, err = main(capsys, "index", "add", db, SEEDS)
    assert_clean_error(code, err, "already in the index", "--on-duplicate skip")
    code, out, err = main(capsys, "index", "add", db, SEEDS, "--on-duplicate", "skip")
    assert code == 0 and out == "" and "indexed 0 articles" in err and "holds 5 articles" in err
    code, _, err = main(capsys, "index", "add", db, SEEDS, "--on-duplicate", "replace")
    assert_clean_error(code, err, "on_duplicate must be 'error' or 'skip'")


def test_other_parameters_on_an_existing_index_fail(capsys, tmp_path):
    db = tmp_path / "i.sqlite"
    assert main(capsys, "index", "add", db, SEEDS, "--threshold", "0.7", "--num-perm", "64")[0] == 0
    code, _, err = main(capsys, "index", "add", db, SEEDS, "--threshold", "0.9", "--on-duplicate", "skip")
    assert_clean_error(code, err, "built with threshold=0.7; requested threshold=0.9")
    code, out, _ = main(capsys, "index", "stats", db)
    assert code == 0 and json.loads(out)["params"]["num_perm"] == 64


def test_query_and_stats_need_an_existing_index(capsys, tmp_path):
    db = tmp_path / "missing.sqlite"
    code, _, err = main(capsys, "index", "query", db, SEEDS)
    assert_clean_error(code, err, "no such index", "newsqa index add")
    code, _, err = main(capsys, "index", "stats", db)
    assert_clean_error(code, err, "no such index")
    assert not db.exists()


def test_a_file_that_is_not_an_index_fails_cleanly(capsys, tmp_path):
    not_db = tmp_path / "notes.sqlite"
    not_db.write_text("hello\n" * 10, encoding="utf-8")
    for action in (["add", not_db, SEEDS], ["query", not_db, SEEDS], ["stats", not_db]):
        code, _, err = main(capsys, "index", *action)
        assert_clean_error(code, err, "not an SQLite database")
    assert not_db.read_text(encoding="utf-8").startswith("hello")


def test_unreadable_txt_is_reported_not_indexed(capsys, tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "good.txt").write_text("Kim met Putin in Pyongyang on Wednesday for talks.", encoding="utf-8")
    (src / "bad.txt").write_bytes(b"caf\xe9 au lait \xff\xfe")
    db = tmp_path / "i.sqlite"
    code, out, err = main(capsys, "index", "add", db, src)
    assert code == 0
    got = {r["id"]: r for r in lines(out)}
    assert got["good"]["matches"] == [] and "error" in got["bad"] and "matches" not in got["bad"]
    assert "indexed 1 article " in err and "holds 1 article" in err


def test_bad_input_path_fails_before_touching_the_index(capsys, tmp_path):
    db = tmp_path / "i.sqlite"
    code, _, err = main(capsys, "index", "add", db, tmp_path / "nope.jsonl")
    assert_clean_error(code, err, "no such file or directory")
    assert not db.exists()


def test_runs_as_a_module(tmp_path, feed):
    db = tmp_path / "i.sqlite"
    env = {**os.environ, "PYTHONPATH": str(Path(newsqa.__file__).resolve().parents[1])}
    for args in (["add", db, SEEDS, "--quiet"], ["add", db, feed]):
        proc = subprocess.run(
            [sys.executable, "-m", "newsqa", "index", *map(str, args)],
            check=False,
            capture_output=True,
            text=True,
            encoding="utf-8",
            env=env,
            timeout=300,
        )
        assert proc.returncode == 0, proc.stderr
    assert [r["id"] for r in lines(proc.stdout) if r["matches"]] == ["copy-002"]
    help_ = subprocess.run(
        [sys.executable, "-m", "newsqa", "index", "--help"],
        check=False,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert help_.returncode == 0 and "add" in help_.stdout and "stats" in help_.stdout


def test_help_lists_every_action(capsys):
    code, out, _ = main(capsys, "index", "--help")
    assert code == 0
    for action in ("add", "query", "remove", "stats", "check"):
        assert f"    {action} " in out


def test_query_many_from_csv_and_jsonl(capsys, tmp_path, feed):
    db = tmp_path / "i.sqlite"
    assert main(capsys, "index", "add", db, SEEDS, "--quiet")[0] == 0
    seed = next(SEEDS.glob("004_*.txt")).read_text(encoding="utf-8")
    csv_in = tmp_path / "q.csv"
    csv_in.write_text('id,text,source\n1,"' + seed.replace('"', '""') + '",mirror\n2,nothing alike,x\n', "utf-8")
    code, out, err = main(capsys, "index", "query", db, csv_in, feed)
    assert code == 0
    got = [(r["id"], [m["id"][:3] for m in r["matches"]]) for r in lines(out)]
    assert got == [("1", ["004"]), ("2", []), ("copy-002", ["002"]), ("fresh", [])]  # one line per query, in order
    assert "4 articles queried, 2 with indexed duplicates" in err


def test_remove_then_stats_and_check(capsys, tmp_path, feed):
    db = tmp_path / "i.sqlite"
    assert main(capsys, "index", "add", db, SEEDS, feed, "--quiet")[0] == 0
    code, _, err = main(capsys, "index", "remove", db, "copy-002", "fresh")
    assert code == 0 and "removed 2 articles" in err and "holds 5 articles" in err
    ids = tmp_path / "ids.txt"
    ids.write_text(next(SEEDS.glob("000_*.txt")).stem + "\n\n", encoding="utf-8")
    code, _, err = main(capsys, "index", "remove", db, "--ids", ids)
    assert code == 0 and "removed 1 article;" in err
    code, _, err = main(capsys, "index", "remove", db, "nope")
    assert_clean_error(code, err, "'nope' not in the index; nothing was removed")
    assert main(capsys, "index", "remove", db, "nope", "--missing-ok")[0] == 0
    code, _, err = main(capsys, "index", "remove", db)
    assert_clean_error(code, err, "give the ids to remove")

    code, out, _ = main(capsys, "index", "stats", db)
    stats = json.loads(out)
    assert stats["n_articles"] == 4
    assert all("score" not in s and s["n_articles"] >= 1 for s in stats["sources"])  # no score is computed
    code, out, _ = main(capsys, "index", "check", db)
    assert code == 0 and out.strip() == f"{db}: ok (4 articles)"


def test_check_names_the_damage_and_what_to_do(capsys, tmp_path):
    import sqlite3

    db = tmp_path / "i.sqlite"
    assert main(capsys, "index", "add", db, SEEDS, "--quiet")[0] == 0
    conn = sqlite3.connect(db)
    conn.execute("UPDATE sources SET n_articles = n_articles + 1")
    conn.commit()
    conn.close()
    code, out, err = main(capsys, "index", "check", db)
    assert code == 1
    assert "statistics count 2 articles, the index holds 1" in out
    assert err.startswith("newsqa: error: ") and "restore it from a copy" in err and "Traceback" not in err


def test_check_of_a_file_too_damaged_to_open(capsys, tmp_path):
    db = tmp_path / "i.sqlite"
    assert main(capsys, "index", "add", db, SEEDS, "--quiet")[0] == 0
    with open(db, "r+b") as fh:  # overwrite the headers of several b-tree pages
        for page in range(2, 14, 3):
            fh.seek(4096 * (page - 1))
            fh.write(b"\x0d\x00\x00\xff\xff" * 10)
    code, out, err = main(capsys, "index", "check", db)
    assert code == 1 and "malformed" in out and "restore it from a copy" in err
    code, _, err = main(capsys, "index", "check", tmp_path / "missing.sqlite")
    assert_clean_error(code, err, "no such index")
