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
    assert "kept 2 of 3 articles" in out
    ids = {line.split()[0] for line in out.splitlines()[1:] if line.strip() and not line.startswith("kept")}
    assert ids == {"a1", "a3"}
