"""Incremental index (newsqa.NearDupIndex): add throughput and query latency.

    python benchmarks/bench_index.py [--corpus PATH] [--n 20000] [--batch 1000] [--queries 1000]

Two feeds of ``--n`` articles each, added in batches of ``--batch`` (one
transaction each) to a fresh index file:

* **edited copies**: the edited-copies corpus of ``_corpus.py`` (each real
  article with 6 edited copies), twice over (the second time with new ids,
  other edits, and its originals as exact repeats), shuffled: about 93% of
  the articles duplicate an earlier one;
* **distinct**: real articles with their words shuffled (seeded), so that
  no two share 5-grams: every article is new, the cheapest case for
  verification and the costliest for the band-key table.

Figures: articles/s over the whole feed and for its first and last batch
(the index grows from 0 to ``--n``), then query latency on the full index
(``--queries`` single ``query()`` calls, half of them texts of indexed
articles upper-cased, half unseen word-shuffled texts): median and 95th
percentile. Also bytes on disk per article. ``--verify signature`` runs
the signature-only mode. Best of ``--repeats`` for the totals.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
try:
    import newsqa
except ImportError:  # running from a checkout without an installed package
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src"))
    import newsqa

import _corpus


def shuffled_words(text: str, rng: random.Random) -> str:
    words = text.split()
    rng.shuffle(words)
    return " ".join(words)


def edited_feed(originals: list, n: int) -> list[newsqa.Article]:
    first, _ = _corpus.edited_copies_corpus(originals, seed=2016)
    second, _ = _corpus.edited_copies_corpus(originals, seed=2017)
    recs = first + [{**r, "id": "r2:" + r["id"]} for r in second]
    random.Random(1).shuffle(recs)
    return [newsqa.Article(r["id"], r["text"], r["source"], published=r["published"]) for r in recs[:n]]


def distinct_feed(originals: list, n: int, seed: int = 3) -> list[newsqa.Article]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        a = originals[i % len(originals)]
        out.append(newsqa.Article(f"d{i}", shuffled_words(a.text, rng), a.source, published=a.published))
    return out


def run_feed(name: str, feed: list[newsqa.Article], probes: list[str], args: argparse.Namespace) -> None:
    best = None
    for _ in range(args.repeats):
        with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
            path = os.path.join(tmp, "index.sqlite")
            times = []
            dups = 0
            with newsqa.NearDupIndex(path, verify=args.verify) as index:
                t0 = time.perf_counter()
                for lo in range(0, len(feed), args.batch):
                    t = time.perf_counter()
                    found = index.add(feed[lo : lo + args.batch])
                    times.append(time.perf_counter() - t)
                    dups += sum(bool(m) for m in found.values())
                total = time.perf_counter() - t0
                lat = []
                for p in probes:
                    t = time.perf_counter()
                    index.query(p)
                    lat.append(time.perf_counter() - t)
            size = os.path.getsize(path)
        run = (total, times, lat, size, dups)
        if best is None or total < best[0]:
            best = run
    total, times, lat, size, dups = best  # type: ignore[misc]
    lat.sort()
    p95 = lat[int(0.95 * (len(lat) - 1))]
    print(
        f"{name:14s} {len(feed):6d} articles, {dups / len(feed):5.1%} seen before | add {len(feed) / total:7.0f} "
        f"articles/s (first batch {args.batch / times[0]:6.0f}/s, last {args.batch / times[-1]:6.0f}/s) | "
        f"query median {statistics.median(lat) * 1e3:5.2f} ms, p95 {p95 * 1e3:5.2f} ms | "
        f"{size / len(feed):6.0f} bytes/article"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", default=_corpus.DEFAULT_CORPUS)
    ap.add_argument("--n", type=int, default=20_000)
    ap.add_argument("--batch", type=int, default=1000)
    ap.add_argument("--queries", type=int, default=1000)
    ap.add_argument("--verify", default="exact", choices=("exact", "signature"))
    ap.add_argument("--repeats", type=int, default=1)
    ap.add_argument("--dir", default=None, help="where to put the temporary index (default: the system temp dir)")
    args = ap.parse_args()

    originals = _corpus.distinct_articles(_corpus.load_articles(args.corpus))
    newsqa.signatures(["warm up the compiled kernels"])
    edited = edited_feed(originals, args.n)
    distinct = distinct_feed(originals, args.n)
    rng = random.Random(5)
    half = args.queries // 2
    seen = [a.text.upper() for a in rng.sample(edited, half)]
    unseen = [shuffled_words(a.text, rng) for a in rng.sample(originals, args.queries - half)]
    print(f"newsqa {newsqa.__version__}, verify={args.verify}, batches of {args.batch}, {os.cpu_count()} CPUs")
    run_feed("edited copies", edited, seen + unseen, args)
    seen_d = [a.text.upper() for a in rng.sample(distinct, half)]
    run_feed("distinct", distinct, seen_d + unseen, args)


if __name__ == "__main__":
    main()
