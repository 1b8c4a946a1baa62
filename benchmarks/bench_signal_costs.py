"""What each registered article signal costs, per article, on real news.

    python benchmarks/bench_signal_costs.py [--corpus PATH] [--n 500] [--repeats 3] [--min-words 50] [--split]

Articles: the first ``--n`` BuzzFeed-Webis 2016 articles with at least
``--min-words`` whitespace words, whole (not cut). Every signal of
:data:`newsqa.signals.registry.REGISTRY` is called as
:func:`~newsqa.signals.registry.run_signals` calls it: in run order, with
``templates=frozenset()`` and, for those that need ``skip``, the spans of
the line-removing signals before it (computed once, untimed). One process,
one core; each figure is the best of ``--repeats`` passes over all the
articles after an untimed warm-up pass (dictionaries, language profiles,
numba kernels). Prints ms/article per signal, the total, and the
articles/s that total allows on one core; then ``run_signals`` with every
signal on (one article at a time), and ``run_signals_many`` over all the
articles (each signal over every article before the next signal: what the
pipeline runs), timed the same way, as checks on the sum.

``--split`` then says where each signal's time goes: one pass of it under
``cProfile``, its functions' own time split into compiled kernels (numba
dispatchers, found by their names in their modules) and everything else
(Python, ``re``, ``str`` methods, numpy calls). cProfile inflates the
Python side (it times every Python call, not the work inside a kernel), so
the shares, not the microseconds, are the figure to read.
"""

from __future__ import annotations

import argparse
import cProfile
import importlib
import os
import pstats
import sys
import time
from collections.abc import Callable
from typing import Any

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
try:
    import newsqa  # noqa: F401
except ImportError:  # a checkout without an installed package
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src"))

import _corpus

from newsqa.signals.registry import REGISTRY, SIGNAL_NAMES, run_signals, run_signals_many


def best_s(fn: Callable[[], Any], repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def _is_kernel(filename: str, name: str) -> bool:
    """Whether the profiled function ``name`` of ``filename`` is a numba dispatcher of newsqa."""
    from numba.core.dispatcher import Dispatcher

    if "/newsqa/" not in filename:
        return False
    module = "newsqa." + filename.split("/newsqa/", 1)[1].removesuffix(".py").replace("/", ".")
    try:
        return isinstance(getattr(importlib.import_module(module), name, None), Dispatcher)
    except ImportError:
        return False


def split(run: Callable[[], Any], n: int) -> tuple[float, float, int]:
    """``(kernel µs, other µs, kernel calls)`` an article of one profiled ``run`` over ``n`` articles."""
    prof = cProfile.Profile()
    prof.runcall(run)
    kernel = other = 0.0
    calls = 0
    for (filename, _, name), (_, ncalls, tottime, _, _) in pstats.Stats(prof).stats.items():  # type: ignore[attr-defined]
        if _is_kernel(filename, name):
            kernel += tottime
            calls += ncalls
        else:
            other += tottime
    return 1e6 * kernel / n, 1e6 * other / n, round(calls / n)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=_corpus.DEFAULT_CORPUS)
    ap.add_argument("--n", type=int, default=500)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--min-words", type=int, default=50)
    ap.add_argument("--split", action="store_true", help="also profile each signal: compiled kernels vs the rest")
    args = ap.parse_args()

    texts = [t for t in _corpus.load_texts(args.corpus) if len(t.split()) >= args.min_words][: args.n]
    n = len(texts)
    words = sum(len(t.split()) for t in texts) / n
    chars = sum(len(t) for t in texts) / n
    print(f"{n} articles, {words:.0f} words / {chars:.0f} characters on average; best of {args.repeats}")

    # Each signal's keyword arguments per article, as run_signals builds them.
    calls: dict[str, list[dict[str, Any]]] = {s.name: [] for s in REGISTRY}
    for text in texts:
        skip: tuple[tuple[int, int], ...] = ()
        for spec in REGISTRY:
            kwargs: dict[str, Any] = {}
            if "templates" in spec.needs:
                kwargs["templates"] = frozenset()
            if "skip" in spec.needs:
                kwargs["skip"] = skip
            calls[spec.name].append(kwargs)
            out = spec.compute(text, **kwargs)  # also the warm-up
            if spec.removes_lines:
                skip = skip + tuple((f.start, f.end) for f in out.flags)

    print(f"{'signal':14s} {'ms/article':>10s} {'articles/s':>11s}")
    total = 0.0
    for spec in REGISTRY:
        kw = calls[spec.name]
        compute = spec.compute

        def one_pass(compute=compute, kw=kw) -> None:
            for text, kwargs in zip(texts, kw):
                compute(text, **kwargs)

        s = best_s(one_pass, args.repeats)
        total += s
        print(f"{spec.name:14s} {1e3 * s / n:10.3f} {n / s:11.0f}")
    print(f"{'sum':14s} {1e3 * total / n:10.3f} {n / total:11.0f}")
    s = best_s(lambda: [run_signals(t, SIGNAL_NAMES) for t in texts], args.repeats)
    print(f"{'run_signals':14s} {1e3 * s / n:10.3f} {n / s:11.0f}")
    s = best_s(lambda: run_signals_many(texts, SIGNAL_NAMES), args.repeats)
    print(f"{'_many (pipeline)':14s} {1e3 * s / n:10.3f} {n / s:11.0f}")
    if args.split:
        print("\nunder cProfile (µs an article; calls: kernel calls an article)")
        print(f"{'signal':14s} {'kernels':>8s} {'other':>8s} {'kernel%':>8s} {'calls':>6s}")
        for spec in REGISTRY:
            kw = calls[spec.name]
            compute = spec.compute
            k, o, c = split(lambda compute=compute, kw=kw: [compute(t, **a) for t, a in zip(texts, kw)], n)
            print(f"{spec.name:14s} {k:8.1f} {o:8.1f} {100 * k / (k + o):7.0f}% {c:6d}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
