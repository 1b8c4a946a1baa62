"""``newsqa explain-source``: run as ``python -m newsqa`` in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import newsqa
from newsqa.scoring import COMPONENTS

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
_ENV = {
    **os.environ,
    "PYTHONPATH": os.pathsep.join(
        p
        for p in (
            str(Path(newsqa.__file__).resolve().parents[1]),
            os.environ.get("PYTHONPATH"),
        )
        if p
    ),
}


def run(*args: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "newsqa", *map(str, args)],
        check=False,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=_ENV,
        timeout=300,
    )


@pytest.fixture(scope="module")
def report_path(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("report")
    proc = run("analyze", SEEDS, "--out", out, "--quiet")
    assert proc.returncode == 0, proc.stderr
    return out / "report.json"


def test_explain_source_from_inputs_prints_components_and_evidence():
    proc = run("explain-source", "unknown-003", SEEDS)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert out.startswith("source unknown-003: score ")
    for c in COMPONENTS:
        assert f"\n{c.name} " in out
    assert "spam link block" in out and "bdphone.com" in out
    assert "flagged spun" in out


def test_explain_source_from_a_report_matches_the_report(report_path):
    proc = run("explain-source", "unknown-000", "--report", report_path, "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    source = next(
        s
        for s in json.loads(report_path.read_text("utf-8"))["sources"]
        if s["source"] == "unknown-000"
    )
    assert (
        data["score"] == source["score"] and data["confidence"] == source["confidence"]
    )
    assert {c["name"]: c["points"] for c in data["components"]} == source["components"]
    orig = next(c for c in data["components"] if c["name"] == "originality")
    assert any(
        "Ambito" in e for e in orig["evidence"]
    )  # the attribution line makes it a declared copy


def test_report_json_scores_every_source(report_path):
    sources = json.loads(report_path.read_text("utf-8"))["sources"]
    assert len(sources) == 5
    for s in sources:
        assert 0 <= s["score"] <= 100 and 0 < s["confidence"] < 1
        assert round(sum(s["components"].values()), 2) == s["score"]


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (
            ("explain-source", "unknown-01", SEEDS),
            ("no source 'unknown-01'", "did you mean 'unknown-001'"),
        ),
        (("explain-source", "unknown-000"), ("give either INPUT files", "--report")),
        (
            ("explain-source", "unknown-000", SEEDS, "--report", "x.json"),
            ("give either INPUT files",),
        ),
        (
            ("explain-source", "unknown-000", "--report", "missing.json"),
            ("cannot read report",),
        ),
    ],
)
def test_explain_source_errors_are_one_line(args, fragments, tmp_path):
    proc = run(*args)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("newsqa: error: "), proc.stderr
    for fragment in fragments:
        assert fragment in lines[0]
