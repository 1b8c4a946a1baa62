"""Cost of every article signal, alone and together, on 500-word real articles.

    python benchmarks/bench_signals.py [--corpus PATH] [--n 1000]

One process, one core. Prints ms/article per signal, all signals together
(newsqa.signals.registry.run_signals), and newsqa.analyze end to end
(signals + signatures + clusters), as articles/s. The issue's bar: all
article signals together >= 300 articles/s per core.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
try:
    import newsqa
except ImportError:  # a checkout without an installed package
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src"))
    import newsqa

import _corpus

from newsqa.signals.registry import REGISTRY, SIGNAL_NAMES, run_signals

WORDS = 500


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=_corpus.DEFAULT_CORPUS)
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    texts = []
    for t in _corpus.load_texts(args.corpus):
        w = t.split(" ")
        if len(w) >= WORDS:
            texts.append(" ".join(w[:WORDS]))
    texts = (texts * (args.n // max(len(texts), 1) + 1))[: args.n]
    print(f"{len(texts)} texts of {WORDS} words")
    def kwargs(spec):  # what run_signals passes besides the text (no templates, nothing skipped)
        return {n: (frozenset() if n == "templates" else ()) for n in spec.needs}

    for spec in REGISTRY:  # load data and compile once, untimed
        spec.compute(texts[0], **kwargs(spec))

    def best(fn):
        b = float("inf")
        for _ in range(args.repeats):
            t0 = time.perf_counter()
            fn()
            b = min(b, time.perf_counter() - t0)
        return b / len(texts) * 1e3

    print(f"{'signal':14s} {'ms/article':>10s}")
    total = 0.0
    for spec in REGISTRY:
        kw = kwargs(spec)
        ms = best(lambda spec=spec, kw=kw: [spec.compute(t, **kw) for t in texts])
        total += ms
        print(f"{spec.name:14s} {ms:10.3f}")
    together = best(lambda: [run_signals(t, SIGNAL_NAMES) for t in texts])
    print(f"{'all (sum)':14s} {total:10.3f}")
    print(f"{'all together':14s} {together:10.3f}  -> {1e3 / together:,.0f} articles/s per core")
    arts = [newsqa.Article(str(i), t, f"s{i % 9}") for i, t in enumerate(texts)]
    newsqa.analyze(arts[:20])
    e2e = best(lambda: newsqa.analyze(arts))
    print(f"{'analyze e2e':14s} {e2e:10.3f}  -> {1e3 / e2e:,.0f} articles/s (signals, templates, signatures, clusters)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
