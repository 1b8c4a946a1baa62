"""Every entry point is a thin way to run the one pipeline, so they cannot disagree."""

from __future__ import annotations

import json
import subprocess
import sys

import newsqa
from newsqa.cli import main

from .conftest import comparable


def _write_jsonl(path, articles):
    with open(path, "w", encoding="utf-8") as fh:
        for a in articles:
            row = {"id": a.id, "text": a.text, "source": a.source}
            if a.published is not None:
                row["published"] = a.published.isoformat()
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def test_find_duplicates_analyze_and_the_cli_agree(tmp_path, mixed_corpus, reference_report):
    kinds = {c.kind for c in reference_report.clusters}
    assert {"near_duplicate", "containment", "spun_copy"} <= kinds  # spun, edited and embedded copies
    assert newsqa.find_duplicates(mixed_corpus) == list(reference_report.clusters)

    articles = [a for a in mixed_corpus if isinstance(a, newsqa.Article)]
    path = tmp_path / "corpus.jsonl"
    _write_jsonl(path, articles)
    out = tmp_path / "o"
    assert main(["analyze", str(path), "--out", str(out), "--emit-clean", "--quiet"]) == 0
    got = json.loads((out / "report.json").read_text(encoding="utf-8"))
    got.pop("config")
    want = comparable(newsqa.analyze(articles))
    assert got == json.loads(json.dumps(want))
    rows = [json.loads(line) for line in (out / "clean.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["text"] for r in rows] == [t for t in newsqa.clean_text(articles) if t is not None]


def test_python_dash_m_cli_runs(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "newsqa.cli", "--help"], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    assert "analyze" in proc.stdout and "learn-spin" in proc.stdout
