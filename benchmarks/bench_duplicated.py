"""Peak memory and wall time on a heavily duplicated corpus (issue 14).

90% of the articles are lightly edited copies (five words reversed) of real
BuzzFeed-Webis 2016 articles cut to 5,200 characters; sources cycle over 50
names. The corpus has fewer long originals than groups, so one story comes
back every few hundred groups: clusters of tens to hundreds of copies,
the case where verification used to hold the most shingle sets.

Each size runs ``newsqa analyze FILE --out DIR --signals none`` in a child
process (the CLI, streamed) and reports its peak RSS from ``getrusage``.

Usage::

    python benchmarks/bench_duplicated.py [--sizes 10000,20000,40000] [--corpus PATH]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time

DEFAULT_CORPUS = os.path.join(
    os.path.dirname(__file__), "..", "..", "shared", "corpora", "buzzfeed-webis-2016", "articles.csv"
)


def generate(path: str, n: int, corpus: str, seed: int = 1) -> None:
    csv.field_size_limit(10**9)
    with open(corpus, encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if len(r["mainText"]) > 3000]
    rng = random.Random(seed)
    base = ""
    with open(path, "w", encoding="utf-8") as out:
        for i in range(n):
            if i % 10 == 0:
                base = rows[(i // 10) % len(rows)]["mainText"][:5200]
                text = base
            else:
                words = base.split(" ")
                for _ in range(5):
                    j = rng.randrange(len(words))
                    words[j] = words[j][::-1]
                text = " ".join(words)
            out.write(json.dumps({"id": f"a{i}", "text": text, "source": f"s{i % 50}"}) + "\n")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10000,20000,40000")
    ap.add_argument("--corpus", default=DEFAULT_CORPUS)
    args = ap.parse_args()
    print(f"{'articles':>9} {'seconds':>8} {'peak RSS MB':>12}")
    with tempfile.TemporaryDirectory() as tmp:
        for n in (int(x) for x in args.sizes.split(",")):
            path = os.path.join(tmp, f"d{n}.jsonl")
            generate(path, n, args.corpus)
            cmd = [sys.executable, "-m", "newsqa", "analyze", path, "--out", os.path.join(tmp, f"o{n}")]
            cmd += ["--signals", "none", "--quiet"]
            before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
            t = time.perf_counter()
            subprocess.run(cmd, check=True)
            wall = time.perf_counter() - t
            peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
            # ru_maxrss of children is the largest child so far: sizes run in increasing order
            print(f"{n:>9} {wall:>8.1f} {max(peak, before) / 1024:>12.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
