"""Where ``newsqa.analyze`` spends its time, stage by stage, in one process.

    python benchmarks/bench_stages.py [--originals 300] [--repeats 2] [--corpus PATH]

The corpus is ``bench_e2e.py``'s: ``--originals`` real BuzzFeed-Webis
articles, each with 6 edited copies (2,100 articles for 300). The run is
``newsqa.analyze(records, n_jobs=1)``, so every stage runs in this process
and the figures add up to the wall time; each stage is timed by wrapping
the functions that make it up (the library is not changed), best of
``--repeats`` runs after an untimed warm-up on 50 articles:

* pass 1: signatures (``pipeline.sketch``), the spun signal
  (``signals.spun.spun``), template line hashes;
* clustering (``pipeline.cluster_corpus``), and inside it skeleton linking
  and the choice of originals;
* template learning;
* pass 2: each article signal (the registry's ``compute``);
* the rest: reading and coercing records, results, scores, the report.

Run it on two checkouts (``PYTHONPATH=other/src``) to compare versions: it
only wraps names both have.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import time
from collections.abc import Callable
from typing import Any

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
try:
    import newsqa
except ImportError:  # a checkout without an installed package
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src"))
    import newsqa

import _corpus

from newsqa import clusters, pipeline
from newsqa.signals import registry
from newsqa.signals import spun as spun_module

TIMES: dict[str, float] = {}


def timed(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            TIMES[name] = TIMES.get(name, 0.0) + time.perf_counter() - t0

    return wrapper


def instrument() -> None:
    pipeline.sketch = timed("pass 1: signatures", pipeline.sketch)
    spun_module.spun = timed("pass 1: spun signal", spun_module.spun)
    pipeline.template_line_hashes = timed("pass 1: template line hashes", pipeline.template_line_hashes)
    pipeline.cluster_corpus = timed("clustering (all)", pipeline.cluster_corpus)
    clusters._link_skeletons = timed("clustering: skeleton linking", clusters._link_skeletons)
    clusters._choose_original = timed("clustering: originals", clusters._choose_original)
    pipeline.Corpus.learn_templates = timed("templates", pipeline.Corpus.learn_templates)
    registry.REGISTRY = tuple(
        dataclasses.replace(s, compute=timed(f"pass 2: {s.name}", s.compute)) for s in registry.REGISTRY
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", default=_corpus.DEFAULT_CORPUS)
    ap.add_argument("--originals", type=int, default=300)
    ap.add_argument("--repeats", type=int, default=2)
    args = ap.parse_args()

    originals = _corpus.distinct_articles(_corpus.load_articles(args.corpus))
    records, _ = _corpus.edited_copies_corpus(originals, n=args.originals)
    records = [{k: r[k] for k in ("id", "text", "source", "published")} for r in records]
    n = len(records)
    instrument()
    newsqa.analyze(records[:50], n_jobs=1)  # numba kernels, tables (not timed)
    best: dict[str, float] | None = None
    best_wall = float("inf")
    for _ in range(args.repeats):
        TIMES.clear()
        t0 = time.perf_counter()
        newsqa.analyze(records, n_jobs=1)
        wall = time.perf_counter() - t0
        if wall < best_wall:
            best_wall, best = wall, dict(TIMES)
    assert best is not None
    print(f"{n} articles, newsqa {newsqa.__version__} from {os.path.dirname(newsqa.__file__)}; best of {args.repeats}")
    print(f"{'stage':34s} {'s':>7} {'ms/article':>11} {'share':>6}")
    inner = {"clustering: skeleton linking", "clustering: originals"}
    accounted = 0.0
    for name in sorted(best, key=lambda k: (k.split(":")[0], k)):
        if name not in inner:
            accounted += best[name]
        print(f"{name:34s} {best[name]:7.2f} {best[name] / n * 1e3:11.3f} {best[name] / best_wall:6.1%}")
    rest = best_wall - accounted
    print(f"{'the rest (read, results, report)':34s} {rest:7.2f} {rest / n * 1e3:11.3f} {rest / best_wall:6.1%}")
    print(f"{'wall':34s} {best_wall:7.2f} {best_wall / n * 1e3:11.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
