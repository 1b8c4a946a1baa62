"""Quickstart: analyse the bundled seed articles and print what newsqa found.

    python examples/quickstart.py
"""

from __future__ import annotations

from pathlib import Path

import newsqa

SEEDS = Path(__file__).resolve().parents[1] / "seeds"

articles = newsqa.read_articles([SEEDS])
report = newsqa.analyze(articles)

for result in report.articles:
    kinds = sorted({f"{f.kind}:{f.reason}" for f in result.flags})
    print(f"{result.id}  {result.source:15s} {result.signals['language']}  {', '.join(kinds) or '-'}")

print(f"{len(report.clusters)} near-duplicate clusters")
spun_copy = next(a for a in articles if a.id.startswith("003"))
print("\nseed 003 without boilerplate and spam, last lines:")
print("\n".join(newsqa.clean_text(spun_copy).splitlines()[-2:]))
