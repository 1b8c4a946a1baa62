"""Every script in examples/ runs and says what it should."""

from __future__ import annotations

import subprocess
import sys

from .conftest import ROOT


def _run(name: str) -> str:
    proc = subprocess.run([sys.executable, str(ROOT / "examples" / name)], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout


def test_quickstart():
    out = _run("quickstart.py")
    assert "003_0d86604bd71b6e9d" in out and "spam_links:link_block" in out
    assert "bdphone.com" not in out.split("seed 003 without")[1]


def test_filter_dataframe():
    out = _run("filter_dataframe.py")
    assert "kept 2 of 3 articles; dropped: a2 (copy)" in out
    ids = {line.split()[0] for line in out.splitlines()[1:] if line.strip() and not line.startswith("kept")}
    assert ids == {"a1", "a3"}


def test_daily_feed():
    out = _run("daily_feed.py")
    for action in ("add", "query", "remove", "stats", "check"):
        assert f"$ newsqa index {action} seen.sqlite" in out
    assert "copier-parade duplicates 002_80eacc2ad29eea72" in out
    assert "euro-rerun duplicates 004_4f5cf9240b2c00f6 (1.00)" in out
    assert "harbour-ferry is new" in out
    assert "removed 1 article; seen.sqlite holds 7 articles" in out
    assert "7 articles in the index" in out
    assert "copier.example   1 articles: 0 originals, 1 copies" in out
    assert "unknown-002      1 articles: 1 originals" in out
    assert "unknown-001" not in out.split("$ newsqa index stats")[1]
    assert "seen.sqlite: ok (7 articles)" in out
    assert "copier-parade: 002_80eacc2ad29eea72" in out.split("python:")[1]


def test_ray_local():
    out = _run("ray_local.py")
    assert "cluster near_duplicate: original 002_80eacc2ad29eea72; members 002_80eacc2ad29eea72, copy-1, copy-2" in out
    assert "ray report equals local report: True" in out
