"""The signal registry, analyze() integration, clean_text, and running offline."""

from __future__ import annotations

import json
import socket
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import newsqa
from newsqa.config import ALL_SIGNALS, SignalsConfig
from newsqa.errors import ConfigError
from newsqa.signals import Signal, SignalOutput
from newsqa.signals.registry import (
    FLAG_KINDS,
    REGISTRY,
    REMOVED_KINDS,
    SIGNAL_NAMES,
    _run_order,
    run_signals,
    run_signals_many,
)

from ..conftest import SEEDS


@pytest.fixture(scope="module")
def seeds():
    return {a.id: a for a in newsqa.read_articles([SEEDS])}


@pytest.fixture(scope="module")
def report(seeds):
    return newsqa.analyze(list(seeds.values()))


def test_every_config_signal_maps_to_a_registry_entry():
    assert set(ALL_SIGNALS) == set(SIGNAL_NAMES)
    assert len(SIGNAL_NAMES) == len(set(SIGNAL_NAMES))
    with pytest.raises(ConfigError, match="unknown signal"):
        SignalsConfig(signals=("boilerplate", "spin"))
    assert SignalsConfig(signals="boilerplate, language").signals == ("boilerplate", "language")


def test_each_signal_emits_what_it_declares(seeds):
    for spec in REGISTRY:
        for a in seeds.values():
            flags, signals = run_signals(a.text, (spec.name,))
            assert set(signals) == set(spec.emits), spec.name
            assert {f.kind for f in flags} <= set(spec.flag_kinds), spec.name
    emitted = [k for s in REGISTRY for k in s.emits]
    assert len(emitted) == len(set(emitted)), "two signals emit the same key"


def test_everything_else_is_derived_from_the_declarations():
    from newsqa.cli import _parser
    from newsqa.report._data import KNOWN_KINDS

    assert ALL_SIGNALS == SIGNAL_NAMES
    assert KNOWN_KINDS == FLAG_KINDS
    assert REMOVED_KINDS == {"boilerplate", "spam_links"}
    help_ = _parser()._subparsers._group_actions[0].choices["analyze"].format_help()
    assert all(name in help_ for name in SIGNAL_NAMES)


def test_run_order_follows_after_then_names():
    def spec(name, after=()):
        return Signal(name, lambda text: SignalOutput(), "x", (), after=after)

    specs = {n: spec(n, a) for n, a in [("c", ("b",)), ("a", ()), ("b", ()), ("d", ("a", "c"))]}
    assert [s.name for s in _run_order(specs)] == ["a", "b", "c", "d"]
    with pytest.raises(RuntimeError, match="wait on each other"):
        _run_order({"x": spec("x", ("y",)), "y": spec("y", ("x",))})
    with pytest.raises(RuntimeError, match="unknown"):
        _run_order({"x": spec("x", ("nope",))})
    with pytest.raises(ValueError, match="needs"):
        Signal("z", lambda t: SignalOutput(), "z", (), needs=("the moon",))


def test_each_signal_contributes_its_outputs(seeds):
    text = seeds["003_0d86604bd71b6e9d"].text
    for spec in REGISTRY:
        flags, signals = run_signals(text, (spec.name,))
        assert signals, spec.name
        assert all(0 <= f.start < f.end <= len(text) for f in flags)


def test_seed_flags_in_the_report(report, seeds):
    by_id = {a.id: a for a in report.articles}
    kinds = {i: {(f.kind, f.reason) for f in a.flags} for i, a in by_id.items()}
    assert ("boilerplate", "attribution") in kinds["000_a431440b9d50f282"]
    assert by_id["000_a431440b9d50f282"].signals["attributed_outlet"] == "Ambito"
    assert {k for k, _ in kinds["001_0232089537fc7084"]} >= {"mojibake", "boilerplate"}
    spam = [f for f in by_id["003_0d86604bd71b6e9d"].flags if f.kind == "spam_links"]
    assert len(spam) == 1 and len(spam[0].extra["domains"]) == 12
    # spam lines are not also boilerplate
    assert not any(f.kind == "boilerplate" and spam[0].start <= f.start < spam[0].end for f in by_id["003_0d86604bd71b6e9d"].flags)
    for a in report.articles:
        assert [f.start for f in a.flags] == sorted(f.start for f in a.flags)
        assert a.signals["language"] == "en"
        assert a.signals["flesch_reading_ease"] is not None
    d = json.loads(report.to_json())
    assert all(set(f) >= {"kind", "start", "end", "reason", "score"} for a in d["articles"] for f in a["flags"])
    assert {f["kind"] for a in d["articles"] for f in a["flags"]} <= set(FLAG_KINDS)
    assert ("engagement", "question_bait") in kinds["001_0232089537fc7084"]


def test_clean_text_removes_flagged_lines_only(seeds):
    for a in seeds.values():
        cleaned = newsqa.clean_text(a)
        flags, _ = run_signals(a.text, ("spam_links", "boilerplate"))
        for f in flags:
            assert a.text[f.start : f.end] not in cleaned.splitlines()
        for line in a.text.splitlines():
            if line.endswith(".") and len(line.split()) >= 12 and "news," not in line:
                assert line in cleaned or "β" in line
    c3 = newsqa.clean_text(seeds["003_0d86604bd71b6e9d"])
    assert "bdphone.com" not in c3 and "Comply with extra" not in c3 and "…" not in c3.splitlines()[-1]
    c1 = newsqa.clean_text(seeds["001_0232089537fc7084"])
    assert "Korea’s Kim Jong Un Meets" in c1 and "Koreaβs" not in c1


def test_signals_can_be_switched_off(seeds):
    r = newsqa.analyze(list(seeds.values()), signals=())
    assert all(a.flags == () for a in r.articles)
    assert set(r.articles[0].signals) == {"n_shingles", "n_chars"}


def test_analyze_runs_offline(tmp_path):
    # A fresh process with every socket connection refused: nothing may
    # reach for the network (textstat's nltk download, tldextract's PSL fetch).
    script = f"""
import socket
def refuse(*a, **k):
    raise OSError("network disabled in this test")
socket.socket.connect = refuse
socket.create_connection = refuse
import newsqa
r = newsqa.analyze(newsqa.read_articles([{str(SEEDS)!r}]))
assert all(a.signals["language"] == "en" for a in r.articles)
print("ok")
"""
    env = {"HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "NLTK_DATA": str(tmp_path / "nltk")}
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip() == "ok"
    assert socket.socket.connect is not None


def test_emit_clean_cli(tmp_path):
    out = tmp_path / "out"
    proc = subprocess.run(
        [sys.executable, "-m", "newsqa", "analyze", str(SEEDS), "--out", str(out), "--emit-clean", "--quiet"],
        capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in (out / "clean.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 5
    row3 = next(r for r in rows if r["id"].startswith("003"))
    assert "bdphone.com" not in row3["text"]


def test_practice_is_registered_and_skips_spam_and_boilerplate(seeds):
    assert "practice" in ALL_SIGNALS and "practice" in SIGNAL_NAMES
    text = seeds["003_0d86604bd71b6e9d"].text
    _, alone = run_signals(text, ("practice",))
    _, after = run_signals(text, ("spam_links", "boilerplate", "practice"))
    # the spam block's emoji (and its domains' words) are not the writing
    assert alone["emoji"] > 0 and after["emoji"] == 0
    assert after["practice_words"] < alone["practice_words"]


_LINES = st.sampled_from(
    [
        "Share on Facebook",
        "Read more: https://bdphone.com/deals",
        "Copyright 2024 Example Media. All rights reserved.",
        "The council voted six to three on Tuesday, officials said.",
        "\u201cWe will appeal,\u201d said Ana Lopez, according to Reuters.",
        "Â©2024 â€” cafÃ©",
        "",
    ]
)
_TEXTS = st.one_of(st.text(max_size=300), st.lists(_LINES, max_size=12).map("\n".join))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(_TEXTS, st.frozensets(_LINES, max_size=2)), max_size=6))
def test_many_texts_at_once_equal_one_at_a_time(items):
    # The pipeline runs each signal over a whole slice before the next one
    # (faster: the signal stays in the CPU caches); results may not change.
    texts = [t for t, _ in items]
    templates = [tp for _, tp in items]
    want = [run_signals(t, SIGNAL_NAMES, tp) for t, tp in items]
    assert run_signals_many(texts, SIGNAL_NAMES, templates) == want


def test_many_seeds_at_once_equal_one_at_a_time(seeds):
    texts = [a.text for a in seeds.values()]
    for names in (SIGNAL_NAMES, ("boilerplate", "practice"), ()):
        assert run_signals_many(texts, names) == [run_signals(t, names) for t in texts]
