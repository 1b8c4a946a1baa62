"""A daily feed through a persistent near-duplicate index, from the command line.

Day 1 indexes the bundled seed articles. Day 2 brings a syndicated copy of
one of them (another site's header and footer around it), a source
re-running its own story, and a new story: the feed first asks which of
them were seen before (``query``), then indexes them (``add``). One day-1
story is retracted and leaves the index (``remove``); ``stats`` gives the
per-source counts and ``check`` the file's health. The last lines do the
same query from Python with a DataFrame. The index lives in a temporary
directory.

    python examples/daily_feed.py

Each step is the ``newsqa`` command shown after ``$`` (run here in this
process through ``newsqa.cli.main``, exactly as the shell runs it).
"""

from __future__ import annotations

import contextlib
import io
import json
import shlex
import tempfile
from pathlib import Path

import newsqa
from newsqa import cli

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def newsqa_cli(*args: object) -> str:
    """Run one ``newsqa`` command; print it, return its standard output."""
    argv = [str(a) for a in args]
    print("$ newsqa " + " ".join(shlex.quote(Path(a).name if "/" in a else a) for a in argv))
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(argv)
    if code != 0:
        raise SystemExit(f"newsqa exited with {code}: {err.getvalue()}")
    for line in err.getvalue().splitlines():
        print("  " + line.replace(str(db), db.name))
    return out.getvalue()


def matches(output: str) -> dict[str, list[str]]:
    rows = [json.loads(line) for line in output.splitlines()]
    return {r["id"]: [f"{m['id']} ({m['similarity']:.2f})" for m in r.get("matches", [])] for r in rows}


seeds = {a.id[:3]: a for a in newsqa.read_articles([SEEDS]) if isinstance(a, newsqa.Article)}
parade, euro = seeds["002"], seeds["004"]
day2 = [
    {
        "id": "copier-parade",
        "text": f"COPIER NEWS | World\n\n{parade.text}\n\nShare this article\nRead more at copier.example",
        "source": "copier.example",
        "published": "2023-07-27",
    },
    {"id": "euro-rerun", "text": euro.text.upper(), "source": euro.source, "published": "2024-04-14"},
    {
        "id": "harbour-ferry",
        "text": "The harbour ferry will run every forty minutes from November, the port authority said on "
        "Monday, after a winter of complaints about crowded morning crossings and late boats.",
        "source": "local.example",
    },
]

with tempfile.TemporaryDirectory() as tmp:
    db = Path(tmp) / "seen.sqlite"
    feed = Path(tmp) / "day2.jsonl"
    feed.write_text("".join(json.dumps(r) + "\n" for r in day2), encoding="utf-8")

    print("day 1")
    newsqa_cli("index", "add", db, SEEDS)

    print("day 2")
    for article_id, seen in matches(newsqa_cli("index", "query", db, feed)).items():
        print(f"  {article_id} duplicates {', '.join(seen)}" if seen else f"  {article_id} is new")
    newsqa_cli("index", "add", db, feed, "--quiet")
    retracted = seeds["001"].id
    newsqa_cli("index", "remove", db, retracted)

    stats = json.loads(newsqa_cli("index", "stats", db))
    print(f"  {stats['n_articles']} articles in the index (threshold {stats['params']['threshold']})")
    for s in stats["sources"]:
        st = s["stats"]
        print(
            f"  {s['source']:16s} {s['n_articles']} articles: {st['originals']} originals, "
            f"{st['copies']} copies, {st['repeats']} repeats, {st['unique']} unique"
        )
    print("  " + newsqa_cli("index", "check", db).strip())

    # The same query from Python: many articles at once, e.g. a DataFrame (a list works too).
    try:
        import pandas as pd
    except ImportError:  # pandas is optional
        probes: object = day2
    else:
        probes = pd.DataFrame(day2)
    with newsqa.NearDupIndex(db) as index:
        found = index.query(probes)
    # Now indexed, the day-2 articles do not match themselves: the answer is the morning's.
    print("python: NearDupIndex.query(DataFrame)")
    for article_id, seen in found.items():
        print(f"  {article_id}: {', '.join(m for m, _ in seen) or 'new'}")
