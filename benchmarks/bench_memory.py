"""Memory of signatures plus the LSH index, per article.

    python benchmarks/bench_memory.py [--n 1000000] [--num-perm 128]

Builds ``n`` random signatures (as from distinct articles) plus 1% planted
near-duplicates, then runs newsqa's LSH candidate stage and union-find
(``verify="signature"``: exact verification needs the texts, which are the
user's memory, not the index's). Reports peak resident memory above the
baseline, divided by ``n``. The issue's bar: at most 600 bytes an article at
128 permutations for signatures and index.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src"))

from newsqa.lsh import candidate_pairs, min_equal_for, optimal_params  # noqa: E402


def _status_kb(key: str) -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


def rss_kb() -> int:
    return _status_kb("VmRSS")


def peak_kb() -> int:
    return _status_kb("VmHWM")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--num-perm", type=int, default=128)
    args = ap.parse_args()
    n, k = args.n, args.num_perm
    # compile on a small input first so that JIT memory is not counted
    small = np.random.default_rng(0).integers(0, 2**32, (2000, k), dtype=np.uint64).astype(np.uint32)
    b, r = optimal_params(0.8, k)
    candidate_pairs(small, b, r, min_equal=min_equal_for(0.8, k, 0.0))
    candidate_pairs(small, k // 2, 2, cap=16)
    del small
    base = rss_kb()
    rng = np.random.default_rng(1)
    sigs = np.empty((n, k), dtype=np.uint32)
    for lo in range(0, n, 10_000):
        hi = min(n, lo + 10_000)
        sigs[lo:hi] = rng.integers(0, 2**32, (hi - lo, k), dtype=np.uint32)
    dup = rng.choice(n, n // 100, replace=False)
    src = rng.choice(n, n // 100, replace=False)
    sigs[dup] = sigs[src]
    sigs[dup, : k // 10] = rng.integers(0, 2**32, (len(dup), k // 10), dtype=np.uint32)
    del src
    after_sigs = rss_kb()
    # reset the high-water mark: the peak below is signatures plus index
    with open("/proc/self/clear_refs", "w") as fh:
        fh.write("5")
    t0 = time.perf_counter()
    pairs = candidate_pairs(sigs, b, r, min_equal=min_equal_for(0.8, k, 0.0))
    t_near = time.perf_counter() - t0
    t0 = time.perf_counter()
    cpairs = candidate_pairs(sigs, k // 2, 2, cap=16)
    t_cont = time.perf_counter() - t0
    peak = peak_kb()
    print(f"n={n:,} num_perm={k} bands x rows = {b} x {r}")
    print(f"signatures: {(after_sigs - base) * 1024 / n:.0f} bytes/article (array itself {sigs.nbytes / n:.0f})")
    print(f"peak with LSH index (near-duplicate and containment banding): {(peak - base) * 1024 / n:.0f} bytes/article")
    print(f"candidate pairs: near {len(pairs):,} ({t_near:.1f} s), containment {len(cpairs):,} ({t_cont:.1f} s)")
    print(f"max RSS of the process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
