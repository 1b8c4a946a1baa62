"""NearDupIndex: matching, persistence, parameters, crashes, concurrency, bad files, Redis interop."""

from __future__ import annotations

import dataclasses
import json
import multiprocessing
import os
import random
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import newsqa
from newsqa import Article, NearDupIndex
from newsqa.errors import ConfigError, InputError, NewsqaError
from newsqa.lsh import band_keys

_VOCAB = [f"{a}{b}{c}" for a in "bcdfglmnprstv" for b in "aeiou" for c in ("", "n", "r", "st", "ck", "mp")]


def story(seed: int, words: int = 80) -> str:
    """A distinct synthetic article: random words, so two stories share no 5-gram."""
    rng = random.Random(seed)
    return " ".join(rng.choice(_VOCAB) for _ in range(words)) + "."


def records(prefix: str, seeds, source: str = "wire.example") -> list[dict]:
    return [{"id": f"{prefix}{s}", "text": story(s), "source": source} for s in seeds]


def pairs_of(results: dict) -> set[frozenset]:
    return {frozenset((a, b)) for a, ms in results.items() for b, _ in ms}


@pytest.fixture
def db(tmp_path) -> str:
    return str(tmp_path / "index.sqlite")


# --- matching ----------------------------------------------------------------------------


def test_add_reports_earlier_duplicates_including_within_one_batch(db):
    a, c = story(1), story(2)
    with NearDupIndex(db) as index:
        assert index.add([Article("a", a, "wire")]) == {"a": []}
        got = index.add(
            [
                Article("b", a.upper(), "copy"),
                Article("c", c, "wire"),
                Article("d", c.replace(".", " Read more at copy.example"), "copy"),
            ]
        )
    assert got["b"] == [("a", 1.0)]
    assert got["c"] == []
    assert [m for m, _ in got["d"]] == ["c"] and 0.8 <= got["d"][0][1] < 1.0
    assert list(got) == ["b", "c", "d"]


def test_matches_list_every_earlier_duplicate_best_first(db):
    base = story(3)
    edited = base.replace(".", " and one more line of text here.")
    with NearDupIndex(db) as index:
        index.add([Article("edited", edited, "s1"), Article("exact", base, "s2")])
        got = index.add([Article("new", base.upper(), "s3")])["new"]
    assert [m for m, _ in got] == ["exact", "edited"]
    assert got[0][1] == 1.0 > got[1][1] >= 0.8


def test_query_does_not_store_and_skips_its_own_id(db):
    text = story(4)
    with NearDupIndex(db) as index:
        index.add([Article("a", text, "wire")])
        assert index.query(text) == [("a", 1.0)]
        assert index.query(Article("a", text, "wire")) == []
        assert index.query({"id": "z", "text": text, "source": "x"}) == [("a", 1.0)]
        assert index.query(story(5)) == []
        assert len(index) == 1 and "z" not in index


def test_empty_texts_are_stored_but_never_match(db):
    with NearDupIndex(db) as index:
        got = index.add([Article("e1", "", "s"), Article("e2", " ... ", "s"), Article("e3", "", "t")])
        assert got == {"e1": [], "e2": [], "e3": []}
        assert index.query("") == []
        assert len(index) == 3
        stats = {s.source: s.stats for s in index.sources()}
    assert stats["s"]["empty"] == 2 and stats["t"]["empty"] == 1


def test_similarity_is_the_exact_jaccard_that_find_duplicates_reports(db):
    base = story(6, words=120)
    words = base.split()
    variant = " ".join(words[:60] + ["inserted"] + words[60:])
    with NearDupIndex(db) as index:
        index.add([Article("a", base, "s")])
        ((other, sim),) = index.add([Article("b", variant, "t")])["b"]
    (cluster,) = newsqa.find_duplicates([Article("a", base, "s"), Article("b", variant, "t")], containment=False)
    (member,) = set(cluster.members) - {cluster.representative}
    assert other == "a" and sim == cluster.similarity[member] < 1.0


def test_signature_verification_reports_the_estimate(db):
    base = story(7)
    variant = base.replace(".", " with a tail.")
    with NearDupIndex(db, verify="signature") as index:
        index.add([Article("a", base, "s")])
        ((_, sim),) = index.add([Article("b", variant, "t")])["b"]
        shingles = sqlite3.connect(db).execute("SELECT COUNT(*) FROM articles WHERE shingles IS NOT NULL").fetchone()
    sigs = newsqa.signatures([base, variant])
    assert sim == round(newsqa.minhash.jaccard(sigs[0], sigs[1]), 4)
    assert shingles == (0,)


def _compare_overrides() -> dict:
    # Near-duplicate (Jaccard) links only: the index does not do containment
    # or spun-copy linking, so switch off every other kind find_duplicates has.
    names = {f.name for f in dataclasses.fields(newsqa.config.DedupConfig)}
    return {k: False for k in ("containment", "spin_links") if k in names}


def test_agrees_with_find_duplicates_on_the_fixture(db, edited_articles):
    arts = [a for a in edited_articles if not a.id.endswith("/aggregator")]
    clusters = newsqa.find_duplicates(arts, **_compare_overrides())
    shuffled = arts[:]
    random.Random(7).shuffle(shuffled)
    results: dict = {}
    with NearDupIndex(db) as index:
        for lo in range(0, len(shuffled), 17):
            results.update(index.add(shuffled[lo : lo + 17]))
    parent = {a.id: a.id for a in arts}

    def find(x):
        while parent[x] != x:
            x = parent[x]
        return x

    for a, ms in results.items():
        for b, _ in ms:
            parent[find(a)] = find(b)
    groups = defaultdict(set)
    for a in arts:
        groups[find(a.id)].add(a.id)
    assert {frozenset(g) for g in groups.values() if len(g) > 1} == {frozenset(c.members) for c in clusters}
    sim = {frozenset((a, b)): s for a, ms in results.items() for b, s in ms}
    checked = 0
    for c in clusters:
        for m in c.members[1:]:
            key = frozenset((c.representative, m))
            if key in sim:
                assert sim[key] == c.similarity[m]
                checked += 1
    assert checked >= len(clusters)


_COPY_FORMS = (lambda t: t, str.upper, lambda t: "  " + t.replace(" ", "\n") + "\t")


@given(
    st.lists(st.tuples(st.integers(0, 4), st.integers(0, 2)), min_size=1, max_size=14),
    st.randoms(use_true_random=False),
    st.integers(1, 4),
)
def test_order_of_adds_does_not_change_the_duplicate_pairs(items, rnd, n_batches):
    arts = [Article(f"x{j}", _COPY_FORMS[form](story(100 + s)), f"src{j % 3}") for j, (s, form) in enumerate(items)]
    expected = {
        frozenset((arts[i].id, arts[j].id))
        for i in range(len(arts))
        for j in range(i + 1, len(arts))
        if items[i][0] == items[j][0]
    }
    order = arts[:]
    rnd.shuffle(order)
    cuts = sorted(rnd.sample(range(1, len(order)), min(n_batches - 1, len(order) - 1)))
    batches = [order[lo:hi] for lo, hi in zip([0, *cuts], [*cuts, len(order)])]
    found: dict = {}
    with tempfile.TemporaryDirectory() as tmp, NearDupIndex(os.path.join(tmp, "i.sqlite")) as index:
        for batch in batches:
            found.update(index.add(batch))
    assert pairs_of(found) == expected
    assert all(s == 1.0 for ms in found.values() for _, s in ms)


# --- ids, removal, statistics ------------------------------------------------------------


def test_an_id_already_indexed_raises_and_stores_nothing(db):
    with NearDupIndex(db) as index:
        index.add([Article("a", story(8), "s")])
        with pytest.raises(InputError, match=r"'a'.*already in the index.*on_duplicate='skip'"):
            index.add([Article("b", story(9), "s"), Article("a", story(10), "s")])
        assert len(index) == 1 and "b" not in index
        assert index.add([Article("b", story(9), "s"), Article("a", story(10), "s")], on_duplicate="skip") == {"b": []}
        assert len(index) == 2 and index.query(story(8)) == [("a", 1.0)]
        with pytest.raises(ConfigError, match="on_duplicate"):
            index.add([Article("c", "x", "s")], on_duplicate="replace")


@pytest.mark.parametrize(
    "bad, fragment",
    [
        ([Article("a", "x", "s"), Article("a", "y", "s")], "duplicate article id 'a'"),
        ([newsqa.Unreadable("u", "s", "not UTF-8")], "could not be read"),
        (Article("a", "x", "s"), "wrap it in a list"),
        ("some text", "single string"),
        ([42], "item 0 is int"),
    ],
)
def test_bad_batches_are_clear_errors(db, bad, fragment):
    with NearDupIndex(db) as index:
        with pytest.raises(InputError, match=fragment):
            index.add(bad)
        assert len(index) == 0


def test_remove(db):
    texts = {f"a{i}": story(20 + i) for i in range(4)}
    with NearDupIndex(db) as index:
        index.add([Article(k, v, "s") for k, v in texts.items()])
        index.add([Article("copy", texts["a0"], "t")])
        assert index.remove(["a0", "a1"]) == 2
        assert len(index) == 3 and "a0" not in index
        assert index.query(texts["a0"]) == [("copy", 1.0)]
        assert index.query(texts["a1"]) == []
        with pytest.raises(InputError, match="'nope' not in the index; nothing was removed"):
            index.remove(["a2", "nope"])
        assert "a2" in index
        assert index.remove(["a2", "nope"], missing_ok=True) == 1
        with pytest.raises(InputError, match="single string"):
            index.remove("a3")
        rows = sqlite3.connect(db).execute("SELECT COUNT(*) FROM bands").fetchone()[0]
        assert rows == len(index) * index.config.bands
        stats = {s.source: (s.n_articles, s.stats) for s in index.sources()}
    assert stats["s"][0] == 1 and stats["t"][0] == 1
    assert stats["s"][1]["originals"] == 0  # a0, the copied original, was removed
    assert stats["t"][1]["copies"] == 1


def test_source_statistics_follow_the_roles(db):
    a, b = story(30), story(31)
    with NearDupIndex(db) as index:
        index.add([Article("w1", a, "wire"), Article("w2", b, "wire")])
        index.add([Article("c1", a.upper(), "copier")])  # copy; w1 becomes an original
        index.add([Article("c2", a, "copier"), Article("w3", a, "wire")])  # earliest duplicate w1: copy, repeat
        index.add([Article("c3", b, "copier"), Article("c4", b + " ", "other"), Article("e", "", "other")])
        stats = {s.source: (s.n_articles, s.stats) for s in index.sources()}
    assert stats["wire"] == (
        3,
        {
            "copies": 0,
            "empty": 0,
            "originals": 2,
            "repeats": 1,
            "sum_chars": 2 * len(a) + len(b),
            "sum_shingles": stats["wire"][1]["sum_shingles"],
            "unique": 0,
        },
    )
    assert stats["wire"][1]["sum_shingles"] == 3 * (len(a.split()) - 4)
    # c2 duplicates the copier's own c1 as well: an update of its own story, not a second copy (issue 15)
    assert stats["copier"][1] == {**stats["copier"][1], "copies": 2, "originals": 0, "repeats": 1, "unique": 0}
    assert stats["other"][1] == {**stats["other"][1], "copies": 1, "empty": 1, "unique": 0}


def test_what_is_stored_per_article_and_no_pickle(db):
    text = story(40)
    with NearDupIndex(db) as index:
        index.add(
            [Article("a", text, "wire.example", url="https://w.example/a", published="2024-04-13T08:00:00+02:00")]
        )
        index.add([Article("b", "", "x")])
        k = index.config.num_perm
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT source, url, published FROM articles WHERE id = 'a'").fetchone() == (
        "wire.example",
        "https://w.example/a",
        "2024-04-13T08:00:00+02:00",
    )
    sig, sh = conn.execute("SELECT signature, shingles FROM articles WHERE id = 'a'").fetchone()
    assert np.array_equal(np.frombuffer(sig, dtype="<u4"), newsqa.signatures([text])[0])
    assert np.all(np.diff(np.frombuffer(sh, dtype="<u8").astype(np.float64)) > 0)
    # Every blob is a signature (4 bytes x num_perm) or a shingle set (8 bytes each); the
    # rest is integers and text; meta values are JSON. No pickle, no article text.
    for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
        cols = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
        for col in cols:
            for (kind,) in conn.execute(f"SELECT DISTINCT typeof({col}) FROM {table}"):
                assert kind in ("integer", "text", "null", "real", "blob"), (table, col, kind)
                if kind == "blob":
                    assert (table, col) in {("articles", "signature"), ("articles", "shingles")}
    assert all(len(s) == 4 * k for (s,) in conn.execute("SELECT signature FROM articles"))
    for key, value in conn.execute("SELECT key, value FROM meta"):
        json.loads(value)
    raw = Path(db).read_bytes() + (Path(db + "-wal").read_bytes() if os.path.exists(db + "-wal") else b"")
    assert text[:40].encode() not in raw


def test_band_keys_are_newsqa_lsh_keys(db):
    text = story(41)
    with NearDupIndex(db) as index:
        index.add([Article("a", text, "s")])
        bands, rows = index.config.bands, index.config.rows
    sig = newsqa.signatures([text])
    want = set()
    for b in range(bands):
        out = np.empty(1, dtype=np.uint64)
        band_keys(sig, np.zeros(1, dtype=np.int64), b, rows, out)
        want.add(int(out.view(np.int64)[0]))
    got = {k for (k,) in sqlite3.connect(db).execute("SELECT key FROM bands")}
    assert got == want and (bands, rows) == newsqa.lsh.optimal_params(0.8, 128)


# --- parameters --------------------------------------------------------------------------


def test_parameters_are_stored_and_reopening_takes_them(db):
    with NearDupIndex(db, threshold=0.7, num_perm=64, ngram=3) as index:
        index.add([Article("a", story(50), "s")])
        params = index.params()
    assert params["threshold"] == 0.7 and params["num_perm"] == 64 and params["ngram"] == 3
    assert params["schema_version"] == 1 and params["hash"] == "fast" and params["verify"] == "exact"
    assert (params["bands"], params["rows"]) == newsqa.lsh.optimal_params(0.7, 64)
    with NearDupIndex(db) as index:
        assert (index.config.threshold, index.config.num_perm, index.config.ngram) == (0.7, 64, 3)
        assert index.query(story(50)) == [("a", 1.0)]
    with NearDupIndex(db, threshold=0.7, ngram=3, config=newsqa.Config().replace(num_perm=64, threshold=0.7, ngram=3)):
        pass


@pytest.mark.parametrize(
    "kwargs, fragment",
    [
        ({"threshold": 0.9}, "built with threshold=0.8; requested threshold=0.9"),
        ({"num_perm": 64, "ngram": 3}, "built with num_perm=128, ngram=5; requested num_perm=64, ngram=3"),
        ({"hash": "sha1"}, "hash='fast'"),
        ({"verify": "signature"}, "verify='exact'"),
        ({"bands": 16, "rows": 8}, "bands=25, rows=5"),
        ({"config": newsqa.Config().replace(seed=7)}, "seed=1; requested seed=7"),
    ],
)
def test_reopening_with_other_parameters_is_a_config_error(db, kwargs, fragment):
    NearDupIndex(db).close()
    with pytest.raises(ConfigError, match=fragment.replace("(", r"\(")):
        NearDupIndex(db, **kwargs)


@pytest.mark.parametrize(
    "kwargs",
    [{"threshold": 1.5}, {"num_perm": 100}, {"bands": 4}, {"hash": "md5"}, {"timeout": -1}, {"config": "x"}],
)
def test_bad_parameters_are_config_errors_and_create_nothing(db, kwargs):
    with pytest.raises(ConfigError):
        NearDupIndex(db, **kwargs)
    assert not os.path.exists(db)


# --- files -------------------------------------------------------------------------------


def _filled(db: str, n: int = 40) -> None:
    with NearDupIndex(db) as index:
        index.add(records("a", range(n)))


def test_reopen_gives_the_same_answers(db):
    probes = [story(s) for s in range(0, 60, 3)] + [story(5).upper(), story(7) + " extra words at the end"]
    _filled(db)
    with NearDupIndex(db) as index:
        before = [index.query(p) for p in probes], index.sources(), len(index)
    with NearDupIndex(db) as index:
        after = [index.query(p) for p in probes], index.sources(), len(index)
    assert before == after and before[2] == 40 and sum(bool(m) for m in before[0]) == 16


def test_wal_mode_and_closed_index(db):
    index = NearDupIndex(db)
    assert sqlite3.connect(db).execute("PRAGMA journal_mode").fetchone() == ("wal",)
    index.close()
    index.close()
    with pytest.raises(NewsqaError, match="closed"):
        index.add(records("a", [1]))


def test_a_non_sqlite_file_is_a_clear_error(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("these are not the droids\n" * 50)
    with pytest.raises(InputError, match="not an SQLite database"):
        NearDupIndex(path)
    assert path.read_text().startswith("these are")


def test_a_foreign_sqlite_file_is_a_clear_error_and_stays_untouched(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(InputError, match=r"other tables \(customers\), not a newsqa index"):
        NearDupIndex(path)
    assert path.read_bytes() == before


def test_a_foreign_meta_table_is_a_clear_error(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE meta (key TEXT, value TEXT)")
    conn.commit()
    conn.close()
    with pytest.raises(InputError, match="not a newsqa index"):
        NearDupIndex(path)


def test_a_corrupted_file_is_a_clear_error(db):
    _filled(db, 200)
    data = bytearray(Path(db).read_bytes())
    assert len(data) > 40_000
    rng = random.Random(3)
    for pos in range(100, len(data)):  # keep the 100-byte header, scramble every page
        data[pos] = rng.randrange(256)
    Path(db).write_bytes(bytes(data))
    with (
        pytest.raises(NewsqaError, match="restore it from a copy or rebuild it|not a newsqa index"),
        NearDupIndex(db) as index,
    ):
        index.add(records("b", range(5)))
        index.query(story(1))


def test_damaged_pages_are_a_clear_error(db):
    _filled(db, 200)
    conn = sqlite3.connect(db)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    n_pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.close()
    data = bytearray(Path(db).read_bytes())
    for page in range(1, n_pages):  # every page but the first (the schema)
        data[page * page_size : page * page_size + 64] = b"\xff" * 64
    Path(db).write_bytes(bytes(data))
    with pytest.raises(InputError, match="restore it from a copy or rebuild it"), NearDupIndex(db) as index:
        index.query(story(1))
        len(index)
        index.sources()


def test_a_directory_or_a_missing_parent_is_a_clear_error(tmp_path):
    with pytest.raises(InputError, match="is a directory"):
        NearDupIndex(tmp_path)
    with pytest.raises(InputError, match="check that the directory exists"):
        NearDupIndex(tmp_path / "missing" / "index.sqlite")


def test_a_newer_schema_is_refused(db):
    NearDupIndex(db).close()
    conn = sqlite3.connect(db)
    conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    with pytest.raises(InputError, match="schema version 99, this newsqa reads version 1"):
        NearDupIndex(db)


def test_a_writer_that_waits_too_long_gets_a_clear_error(db):
    NearDupIndex(db).close()
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with NearDupIndex(db, timeout=0.2) as index:
            with pytest.raises(NewsqaError, match="locked by another process"):
                index.add(records("a", [1]))
            assert index.query(story(1)) == []  # readers never wait
    finally:
        holder.execute("ROLLBACK")
        holder.close()


# --- crashes and concurrency ---------------------------------------------------------------

_KILL_CHILD = r"""
import json, sys
from newsqa.index import NearDupIndex

path, batch_file, mode = sys.argv[1:4]
batch = json.load(open(batch_file, encoding="utf-8"))
index = NearDupIndex(path)
index._conn.execute("PRAGMA cache_size = 20")  # spill uncommitted pages into the WAL early
original = NearDupIndex._write_chunk
calls = []


def wait_to_be_killed(message):
    print(message, flush=True)
    sys.stdin.read()  # blocks until the parent kills this process
    sys.exit("not killed")


def hooked(self, rows, band_rows):
    original(self, rows, band_rows)
    calls.append(len(rows))
    if mode == "during" and len(calls) == 3:
        wait_to_be_killed("in-transaction")


NearDupIndex._write_chunk = hooked
index.add(batch)
wait_to_be_killed("committed")
"""


@pytest.mark.parametrize("mode", ["during", "after"])
def test_sigkill_during_a_large_add_leaves_all_or_none_of_it(tmp_path, mode):
    db = str(tmp_path / "index.sqlite")
    with NearDupIndex(db) as index:
        index.add(records("old", range(50)))
    batch = records("new", range(1000, 3000), source="feed") + records("dup", range(10), source="feed")
    batch_file = tmp_path / "batch.json"
    batch_file.write_text(json.dumps(batch), encoding="utf-8")
    wal = Path(db + "-wal")
    wal_before = wal.stat().st_size if wal.exists() else 0
    child = subprocess.Popen(
        [sys.executable, "-c", _KILL_CHILD, db, str(batch_file), mode],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path(newsqa.__file__).resolve().parents[1])},
    )
    try:
        line = child.stdout.readline().strip()
        assert line == ("in-transaction" if mode == "during" else "committed"), child.stderr.read()
        assert wal.stat().st_size > wal_before  # the batch's pages are on disk, committed or not
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.kill()
        child.communicate(timeout=60)
    assert child.returncode == -signal.SIGKILL
    with NearDupIndex(db) as index:
        conn = sqlite3.connect(db)
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        n_new = conn.execute("SELECT COUNT(*) FROM articles WHERE id NOT LIKE 'old%'").fetchone()[0]
        n_bands = conn.execute("SELECT COUNT(*) FROM bands").fetchone()[0]
        conn.close()
        expected = 0 if mode == "during" else len(batch)
        assert n_new == expected and len(index) == 50 + expected
        assert n_bands == len(index) * index.config.bands
        assert sum(s.n_articles for s in index.sources()) == len(index)
        if mode == "during":  # nothing of the batch is left: it can be added again whole
            got = index.add(batch)
            assert len(index) == 50 + len(batch)
            assert {k: v for k, v in got.items() if v} == {f"dup{i}": [(f"old{i}", 1.0)] for i in range(10)}


def _concurrent_writer(path: str, batch: list[dict], start, results) -> None:
    start.wait()
    found: dict = {}
    with NearDupIndex(path) as index:
        for lo in range(0, len(batch), 10):
            found.update(index.add(batch[lo : lo + 10]))
    results.put(found)


def test_two_processes_adding_at_once_lose_nothing(db):
    NearDupIndex(db).close()
    ctx = multiprocessing.get_context("spawn")
    start = ctx.Barrier(2)
    results = ctx.Queue()
    # stories 100-199 are added by both processes, under different ids and sources
    one = records("p1-", range(200), source="one")
    two = records("p2-", range(100, 300), source="two")
    procs = [ctx.Process(target=_concurrent_writer, args=(db, b, start, results)) for b in (one, two)]
    for p in procs:
        p.start()
    found: dict = {}
    for _ in procs:
        found.update(results.get(timeout=300))
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    with NearDupIndex(db) as index:
        assert len(index) == 400
        assert all(r["id"] in index for r in one + two)
        stats = {s.source: s for s in index.sources()}
    # every shared story is reported exactly once, by whichever copy came second
    assert pairs_of(found) == {frozenset((f"p1-{s}", f"p2-{s}")) for s in range(100, 200)}
    assert sum(len(m) for m in found.values()) == 100
    assert stats["one"].n_articles == stats["two"].n_articles == 200
    assert stats["one"].stats["copies"] + stats["two"].stats["copies"] == 100
    assert stats["one"].stats["originals"] + stats["two"].stats["originals"] == 100


# --- Redis interop (docs/index-store.md) ---------------------------------------------------


@pytest.fixture(scope="module")
def redis_port():
    exe = shutil.which("redis-server")
    if exe is None:
        reason = "redis-server is not on PATH (apt-get install redis-server)"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; CI must run the Redis interop test (.ci/run installs it)")
        pytest.skip(reason)
    import redis

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [exe, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    client = redis.Redis(host="127.0.0.1", port=port)
    try:
        for _ in range(200):  # wait for the server to accept connections
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if proc.poll() is not None:
                    pytest.fail(f"redis-server exited with status {proc.returncode}")
                time.sleep(0.05)
        else:
            pytest.fail("redis-server did not answer within 10 s")
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_newsqa_signatures_in_datasketch_redis_lsh(redis_port, db, edited_articles):
    from datasketch import MinHash, MinHashLSH

    arts = [a for a in edited_articles if not a.id.endswith("/aggregator")]
    with NearDupIndex(db) as index:
        found = index.add(arts)
        bands, rows = index.config.bands, index.config.rows
    sigs = newsqa.signatures([a.text for a in arts])
    # newsqa signatures are datasketch digests with hashfunc=newsqa.text.shingle_hash32
    m = MinHash(num_perm=128, hashfunc=newsqa.text.shingle_hash32)
    m.update_batch(newsqa.text.shingles(arts[0].text))
    assert np.array_equal(m.digest(), sigs[0])

    def lsh():
        return MinHashLSH(
            threshold=0.8,
            num_perm=128,
            params=(bands, rows),
            storage_config={
                "type": "redis",
                "basename": b"newsqa-test",
                "redis": {"host": "127.0.0.1", "port": redis_port},
            },
            prepickle=False,
        )

    writer = lsh()
    with writer.insertion_session() as session:
        for a, sig in zip(arts, sigs):
            session.insert(a.id.encode(), newsqa.to_datasketch(sig))
    reader = lsh()  # a fresh object on the same Redis keys: another process, a restart
    band_sets = [{sig[b * rows : (b + 1) * rows].tobytes() for b in range(bands)} for sig in sigs]
    for i, a in enumerate(arts):
        got = {k.decode() for k in reader.query(newsqa.to_datasketch(sigs[i]))}
        shares_a_band = {arts[j].id for j in range(len(arts)) if band_sets[i] & band_sets[j]}
        assert got == shares_a_band
        assert {b for b, _ in found[a.id]} <= got  # every verified duplicate is a Redis candidate


def test_query_many_articles_at_once(db, monkeypatch):
    import newsqa.index as index_module

    texts = {f"a{i}": story(40 + i) for i in range(3)}
    with NearDupIndex(db) as index:
        index.add([Article(k, v, "s") for k, v in texts.items()])
        probes = [
            Article("p0", texts["a0"].upper(), "t"),
            {"id": 7, "text": story(99), "source": "t"},
            {"id": "a2", "text": texts["a2"], "source": "s"},  # indexed: not its own duplicate
        ]
        expected = {"p0": [("a0", 1.0)], "7": [], "a2": []}
        assert index.query(probes) == expected
        assert list(index.query(probes)) == ["p0", "7", "a2"]  # input order
        assert index.query(iter(probes)) == expected
        monkeypatch.setattr(index_module, "QUERY_BATCH", 2)  # several batches give the same answer
        assert index.query(probes) == expected
        pd = pytest.importorskip("pandas")
        frame = pd.DataFrame([{"id": 1, "text": texts["a1"], "source": "u"}, {"id": 2, "text": "", "source": "u"}])
        assert index.query(frame) == {"1": [("a1", 1.0)], "2": []}
        assert index.query([]) == {}
        assert len(index) == 3
        with pytest.raises(InputError, match="query takes a str"):
            index.query(42)
        with pytest.raises(InputError, match="duplicate article id"):
            index.query([probes[0], probes[0]])


def test_check_reports_a_sound_and_a_damaged_index(db):
    with NearDupIndex(db) as index:
        index.add([Article(f"a{i}", story(50 + i), "s") for i in range(3)])
        assert index.check() == []
    conn = sqlite3.connect(db)
    conn.execute("UPDATE sources SET n_articles = 5 WHERE source = 's'")
    conn.commit()
    conn.close()
    with NearDupIndex(db) as index:
        (problem,) = index.check()
    assert "source 's': statistics count 5 articles, the index holds 3" in problem
