"""Bounded memory at scale: ``newsqa analyze`` on a generated corpus of N 500-word articles.

    python benchmarks/bench_scale.py --n 100000 [--corpus PATH] [--workdir DIR]
                                     [--chunk-size N] [--signals LIST] [--keep]
                                     [--duplicated] [--n-jobs N]

Writes a JSONL corpus to ``--workdir`` (default: the system's temporary
directory): 500-word articles from 400 sources, each source with its own
header and footer lines (so templates are learnt); the body sentences are
drawn from the vocabulary of the development corpus
(``../shared/corpora/buzzfeed-webis-2016/articles.csv``) with its word
frequencies, 2% of the articles are real BuzzFeed-Webis articles, 4% are
light edits of earlier articles (a sentence dropped or replaced, a footer
added), 1% exact copies on another source, and 1% aggregator pages
embedding an earlier article. Then it runs the command line on it in a
child process and reports the child's wall time and peak resident memory
(``getrusage(RUSAGE_CHILDREN).ru_maxrss``), plus the report's cluster
count. The issue's bar: one million articles under 4 GB.

``--duplicated`` generates the heavily duplicated corpus of
``bench_duplicated.py`` instead (90% edited copies of real 5.2 KB
articles, clusters of tens to hundreds of copies), the case where
clustering used to hold the most shingle sets.

Memory: ``newsqa analyze`` uses every core by default, forking worker
processes for the article signals, so besides the largest single process
(``ru_maxrss``) the script samples the whole process tree every 0.2 s and
reports its peak summed PSS (proportional set size from
``/proc/PID/smaps_rollup``: pages shared by the forked workers are counted
once, split between them), the figure to hold against the 4 GB bar.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter

DEFAULT_CORPUS = "/work/shared/corpora/buzzfeed-webis-2016/articles.csv"
WORDS_PER_ARTICLE = 500
N_SOURCES = 400
# Shares of the generated corpus (see the module docstring).
REAL_SHARE = 0.02
EDIT_SHARE = 0.04
EXACT_SHARE = 0.01
AGGREGATOR_SHARE = 0.01

_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")


def _real_texts(path: str) -> list[str]:
    csv.field_size_limit(1 << 26)
    with open(path, encoding="utf-8", newline="") as fh:
        return [
            r["mainText"]
            for r in csv.DictReader(fh)
            if len(r["mainText"].split()) >= 100
        ]


def _sentence(rng: random.Random, vocab: list[str], cum: list[int]) -> str:
    words = rng.choices(vocab, cum_weights=cum, k=rng.randint(8, 25))
    return " ".join(words).capitalize() + "."


def _body(rng: random.Random, vocab: list[str], cum: list[int]) -> str:
    paras, n = [], 0
    while n < WORDS_PER_ARTICLE:
        sents = [_sentence(rng, vocab, cum) for _ in range(rng.randint(2, 5))]
        n += sum(len(s.split()) for s in sents)
        paras.append(" ".join(sents))
    return "\n".join(paras)


def generate(path: str, n: int, corpus: str, seed: int = 1) -> None:
    """Write ``n`` articles to ``path`` (JSONL)."""
    rng = random.Random(seed)
    real = _real_texts(corpus)
    counts = Counter(w.lower() for t in real for w in _WORD.findall(t))
    vocab = [w for w, _ in counts.most_common(20_000)]
    weights = list(
        itertools.accumulate(counts[w] for w in vocab)
    )  # cumulative, for random.choices
    sources = [f"site{i:03d}.example" for i in range(N_SOURCES)]
    headers = {
        s: f"{s.split('.')[0].title()} News | World | Politics | Sport" for s in sources
    }
    footers = {
        s: f"Copyright 2024 {s}. All rights reserved. Sign up for the {s} daily newsletter."
        for s in sources
    }
    recent: list[
        str
    ] = []  # bodies to copy from (a bounded window, so the generator stays small)
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            src = sources[rng.randrange(N_SOURCES)]
            roll = rng.random()
            if roll < REAL_SHARE:
                body = rng.choice(real)
            elif recent and roll < REAL_SHARE + EDIT_SHARE:
                sents = rng.choice(recent).split(". ")
                k = rng.randrange(len(sents))
                if rng.random() < 0.5:
                    del sents[k]
                else:
                    sents[k] = _sentence(rng, vocab, weights)[:-1]
                body = ". ".join(sents)
            elif recent and roll < REAL_SHARE + EDIT_SHARE + EXACT_SHARE:
                body = rng.choice(recent)
            elif (
                recent
                and roll < REAL_SHARE + EDIT_SHARE + EXACT_SHARE + AGGREGATOR_SHARE
            ):
                body = (
                    _body(rng, vocab, weights)[:1500]
                    + "\n"
                    + rng.choice(recent)
                    + "\n"
                    + _body(rng, vocab, weights)[:1500]
                )
            else:
                body = _body(rng, vocab, weights)
            if len(recent) < 2000:
                recent.append(body)
            else:
                recent[rng.randrange(2000)] = body
            text = f"{headers[src]}\n{body}\n{footers[src]}"
            day = 1 + i % 28
            row = {
                "id": f"a{i:08d}",
                "text": text,
                "source": src,
                "published": f"2024-02-{day:02d}",
            }
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def _tree(pid: int) -> list[int]:
    """``pid`` and its descendants (from /proc/PID/task/*/children)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    todo.extend(int(c) for c in fh.read().split())
        except OSError:
            continue
    return out


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def run_sampled(cmd: list[str]) -> tuple[float, float]:
    """Run ``cmd``; its wall seconds and the peak summed PSS of its process tree in MB."""
    proc = subprocess.Popen(cmd)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.wait(0.2):
            peak = max(peak, sum(_pss_kb(p) for p in _tree(proc.pid)))

    t0 = time.perf_counter()
    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    rc = proc.wait()
    wall = time.perf_counter() - t0
    done.set()
    sampler.join()
    if rc != 0:
        raise SystemExit(f"{' '.join(cmd)} exited with {rc}")
    return wall, peak / 1024


def report_clusters(path: str, chunk: int = 1 << 24) -> list[dict]:
    """The ``clusters`` of a report.json without loading its articles: a million
    articles' report is 4.2 GB, which ``json.load`` turns into about 17 GB of
    objects (it took this script's first 1M run down). The writer puts each
    top-level key at the start of a line, indented by two spaces."""
    marker = b'\n  "clusters": '
    with open(path, "rb") as fh:
        pos, tail = 0, b""
        while True:
            block = fh.read(chunk)
            if not block:
                raise ValueError(f"{path}: no clusters")
            found = (tail + block).find(marker)
            if found >= 0:
                start = pos - len(tail) + found + len(marker)
                break
            pos += len(block)
            tail = block[-len(marker) :]
        fh.seek(start)
        rest = fh.read().decode("utf-8")
    return json.JSONDecoder().raw_decode(rest)[0]


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--corpus", default=DEFAULT_CORPUS)
    ap.add_argument("--workdir", default=tempfile.gettempdir())
    ap.add_argument("--chunk-size", type=int, default=None)
    ap.add_argument(
        "--signals", default=None, help="passed to --signals (default: all)"
    )
    ap.add_argument("--engine", default="local")
    ap.add_argument("--n-jobs", type=int, default=None, help="passed to --n-jobs (default: every core)")
    ap.add_argument("--duplicated", action="store_true", help="the heavily duplicated corpus of bench_duplicated.py")
    ap.add_argument(
        "--keep", action="store_true", help="keep the generated corpus and report"
    )
    args = ap.parse_args()

    kind = "dup" if args.duplicated else "mixed"
    path = os.path.join(args.workdir, f"bench_scale_{kind}_{args.n}.jsonl")
    out = os.path.join(args.workdir, f"bench_scale_{kind}_{args.n}_out")
    t0 = time.perf_counter()
    if not os.path.exists(path):
        if args.duplicated:
            sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
            import bench_duplicated

            bench_duplicated.generate(path, args.n, args.corpus)
        else:
            generate(path, args.n, args.corpus)
    gen_s = time.perf_counter() - t0
    size_mb = os.path.getsize(path) / 1e6
    print(
        f"corpus: {args.n} articles, {size_mb:.0f} MB ({gen_s:.0f} s to generate): {path}",
        flush=True,
    )

    cmd = [
        sys.executable,
        "-m",
        "newsqa",
        "analyze",
        path,
        "--out",
        out,
        "--quiet",
        "--engine",
        args.engine,
    ]
    if args.chunk_size:
        cmd += ["--chunk-size", str(args.chunk_size)]
    if args.signals:
        cmd += ["--signals", args.signals]
    if args.n_jobs is not None:
        cmd += ["--n-jobs", str(args.n_jobs)]
    wall, tree_mb = run_sampled(cmd)
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    clusters = report_clusters(os.path.join(out, "report.json"))
    n_clusters = len(clusters)
    members = sum(len(c["members"]) for c in clusters)
    kinds = Counter(c["kind"] for c in clusters)
    print(
        f"wall {wall:.0f} s ({args.n / wall:.0f} articles/s), peak RSS {peak_mb:.0f} MB (largest process), "
        f"peak PSS {tree_mb:.0f} MB (all processes)"
    )
    print(f"clusters {n_clusters} ({members} articles), kinds {dict(kinds)}")
    if not args.keep:
        os.unlink(path)
        for name in os.listdir(out):
            os.unlink(os.path.join(out, name))
        os.rmdir(out)


if __name__ == "__main__":
    main()
