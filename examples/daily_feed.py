"""A daily feed through a persistent near-duplicate index.

Day 1 indexes the bundled seed articles; day 2 brings a syndicated copy of
one of them (another site's header and footer around it), a source
re-running its own story, and a new story; after a restart, day 3 asks
about one more article without storing it. The index lives in a temporary
directory.

    python examples/daily_feed.py
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import newsqa

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def report(day: str, found: dict[str, list[tuple[str, float]]]) -> None:
    seen = {k: v for k, v in found.items() if v}
    print(f"{day}: {len(found)} articles indexed, {len(seen)} seen before")
    for article_id, matches in seen.items():
        earlier = ", ".join(f"{m} ({s:.2f})" for m, s in matches)
        print(f"  {article_id} duplicates {earlier}")


seeds = [a for a in newsqa.read_articles([SEEDS]) if isinstance(a, newsqa.Article)]
by_prefix = {a.id[:3]: a for a in seeds}
parade, euro = by_prefix["002"], by_prefix["004"]

with tempfile.TemporaryDirectory() as tmp:
    path = Path(tmp) / "seen.sqlite"

    with newsqa.NearDupIndex(path) as index:
        report("day 1", index.add(seeds))
        day2 = [
            newsqa.Article(
                "copier-parade",
                f"COPIER NEWS | World\n\n{parade.text}\n\nShare this article\nRead more at copier.example",
                "copier.example",
                published="2023-07-27",
            ),
            newsqa.Article("euro-rerun", euro.text.upper(), euro.source, published="2024-04-14"),
            newsqa.Article(
                "harbour-ferry",
                "The harbour ferry will run every forty minutes from November, the port authority said on "
                "Monday, after a winter of complaints about crowded morning crossings and late boats.",
                "local.example",
            ),
        ]
        report("day 2", index.add(day2))

    # A new process, a day later: the index reopens with its stored parameters.
    with newsqa.NearDupIndex(path) as index:
        probe = parade.text.replace("\n", " ").upper()
        print(f"day 3: {len(index)} articles in the index (threshold {index.config.threshold})")
        print(f"  query: a reformatted parade story duplicates {[m for m, _ in index.query(probe)]}")
        print("sources:")
        for s in index.sources():
            st = s.stats
            print(
                f"  {s.source:16s} {s.n_articles} articles: {st['originals']} originals, "
                f"{st['copies']} copies, {st['repeats']} repeats, {st['unique']} unique"
            )
