"""Near-duplicate accuracy: newsqa vs datasketch MinHashLSH vs rensa RMinHashLSH.

    python benchmarks/bench_accuracy.py [--corpus PATH] [--n N] [--pages N]

Part 1, edited-copies corpus (see ``_corpus.edited_copies_corpus``): every
distinct real article (>= 50 words) plus 6 edited copies.  Ground truth =
connected components of the graph whose edges are the pairs with exact
Jaccard >= 0.8 of their ``newsqa.text.shingles`` word 5-gram sets (all pairs,
exact, via a sparse matrix product).  Predicted = co-cluster pairs of
``newsqa.find_duplicates(..., containment=False)`` (members whose relation is
original/exact/near_duplicate) or union-find components of LSH candidates.
Metric: pair precision / recall / F1 over co-cluster pairs; "x-fam FP" are
predicted pairs across families that are not in the ground truth (false
links between distinct articles).

Part 2, containment corpus (``_corpus.containment_corpus``): distinct real
articles plus one aggregator page per article holding the whole article
among 40-60% unrelated sentences from donor articles that are not in the
corpus.  Reported: share of pages in their original's cluster, and false
links (co-clustered pairs whose originals differ, after merging originals
that really are near duplicates of / contained in each other, exactly).

Signatures for the LSH baselines come from each library's own MinHash over
the same ``newsqa.text.shingles`` (so tokenisation is identical).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections import Counter


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
RENSA_BANDS = 16
NEAR = {"original", "exact", "near_duplicate"}


# --------------------------------------------------------------------------
# Predictions as pair sets


def pairs_from_clusters(clusters, id_to_idx, relations=None):
    pairs = set()
    for c in clusters:
        members = [m for m in c.members if relations is None or c.relation.get(m) in relations]
        idx = sorted(id_to_idx[m] for m in members)
        for a in range(len(idx)):
            for b in range(a + 1, len(idx)):
                pairs.add((idx[a], idx[b]))
    return pairs


def pairs_from_edges(n, edges):
    return _corpus.co_cluster_pairs(_corpus.components(n, edges))


def run_newsqa(records, **kw):
    """find_duplicates on mappings {id, text, source, published, ...} (dates
    let newsqa pick the earliest article as the original)."""
    t0 = time.perf_counter()
    clusters = newsqa.find_duplicates(records, threshold=THRESHOLD, **kw)
    return clusters, time.perf_counter() - t0


def relation_audit(label, clusters, id_to_idx, sets, recs):
    """Check each member's relation and similarity against exact J / C to the
    cluster representative (C = |A & B| / min(|A|, |B|))."""
    bad = Counter()
    sim_err = 0.0
    for c in clusters:
        r = id_to_idx[c.representative]
        bad[f"representative is {recs[r]['variant']}"] += 1
        for m in c.members:
            i = id_to_idx[m]
            if i == r:
                continue
            a, b = sets[i], sets[r]
            inter = len(a & b)
            j = inter / max(1, len(a | b))
            cc = inter / max(1, min(len(a), len(b)))
            rel = c.relation.get(m)
            if rel == "exact" and a != b:
                bad["exact, shingle sets differ"] += 1
            if rel == "near_duplicate" and j < THRESHOLD:
                bad[f"near_duplicate, J<{THRESHOLD} to rep (ok only via a chain)"] += 1
            if rel == "containment" and j >= THRESHOLD:
                bad[f"containment, but J>={THRESHOLD} to rep"] += 1
            if rel == "containment" and cc < THRESHOLD:
                bad[f"containment, C<{THRESHOLD} to rep"] += 1
            if rel == "near_duplicate":
                sim_err = max(sim_err, abs(c.similarity.get(m, -1.0) - j))
    print(f"relation audit [{label}]: " + ", ".join(f"{k}: {v}" for k, v in sorted(bad.items()))
          + f"; max |similarity - exact J| over near_duplicate members: {sim_err:.3f}")


def datasketch_candidates(shingle_lists):
    """MinHash.bulk (default sha1 hash) + MinHashLSH(0.8, 128); candidate edges."""
    from datasketch import MinHash, MinHashLSH

    t0 = time.perf_counter()
    mhs = MinHash.bulk(([s.encode("utf8") for s in sh] for sh in shingle_lists), num_perm=NUM_PERM)
    t_sig = time.perf_counter() - t0
    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
    with lsh.insertion_session() as sess:
        for i, m in enumerate(mhs):
            sess.insert(i, m)
    edges = set()
    for i, m in enumerate(mhs):
        for j in lsh.query(m):
            if j != i:
                edges.add((min(i, j), max(i, j)))
    t_all = time.perf_counter() - t0
    return edges, mhs, dict(t_sig=t_sig, t_all=t_all, b=lsh.b, r=lsh.r)


def rensa_candidates(shingle_lists):
    import rensa

    t0 = time.perf_counter()
    mhs = rensa.RMinHash.from_token_sets(shingle_lists, NUM_PERM, 1)
    t_sig = time.perf_counter() - t0
    lsh = rensa.RMinHashLSH(THRESHOLD, NUM_PERM, RENSA_BANDS)
    for i, m in enumerate(mhs):
        lsh.insert(i, m)
    edges = set()
    for i, m in enumerate(mhs):
        for j in lsh.query(m):
            if j != i:
                edges.add((min(i, j), max(i, j)))
    t_all = time.perf_counter() - t0
    return edges, mhs, lsh, dict(t_sig=t_sig, t_all=t_all)


# --------------------------------------------------------------------------
# Metrics


def prf(pred, truth):
    tp = len(pred & truth)
    p = tp / len(pred) if pred else 1.0
    r = tp / len(truth) if truth else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def cross_family_fp(pred, truth, fam):
    return sum(1 for i, j in pred - truth if fam[i] != fam[j])


def print_table(header, rows):
    widths = [max(len(str(h)), *(len(str(r[k])) for r in rows)) for k, h in enumerate(header)]
    line = "  ".join(f"{h:<{widths[0]}}" if k == 0 else f"{h:>{widths[k]}}" for k, h in enumerate(header))
    print(line)
    print("-" * len(line))
    for r in rows:
        print("  ".join(f"{str(v):<{widths[0]}}" if k == 0 else f"{str(v):>{widths[k]}}" for k, v in enumerate(r)))


# --------------------------------------------------------------------------


def part_edited(originals, args):
    recs, distinct = _corpus.edited_copies_corpus(originals, n=args.n)
    texts = [r["text"] for r in recs]
    fam = [r["family"] for r in recs]
    n = len(texts)
    print(f"\n=== Part 1: edited-copies corpus: {len(distinct)} originals x {len(_corpus.VARIANTS) + 1} "
          f"= {n} texts ===")

    t0 = time.perf_counter()
    shingle_lists = [newsqa.text.shingles(t, NGRAM) for t in texts]
    sets = [set(s) for s in shingle_lists]
    t_sh = time.perf_counter() - t0
    t0 = time.perf_counter()
    truth_edges = _corpus.exact_similar_pairs(sets, jaccard=THRESHOLD)
    truth = pairs_from_edges(n, truth_edges)
    print(f"ground truth: shingling {t_sh:.1f}s, exact all-pairs Jaccard (scipy) {time.perf_counter() - t0:.1f}s; "
          f"{len(truth_edges)} pairs >= {THRESHOLD}, {len(truth)} co-component pairs, "
          f"{sum(1 for i, j in truth if fam[i] != fam[j])} of them cross-family")

    # Jaccard of each variant to its original.
    orig_idx = {r["family"]: i for i, r in enumerate(recs) if r["variant"] == "original"}
    per_variant: dict[str, list[float]] = {}
    for i, r in enumerate(recs):
        if r["variant"] != "original":
            per_variant.setdefault(r["variant"], []).append(_corpus.jaccard(sets[i], sets[orig_idx[r["family"]]]))
    print("exact Jaccard of each variant to its original:")
    for v, js in per_variant.items():
        print(f"  {v:17s} min {min(js):.3f}  median {statistics.median(js):.3f}  "
              f"share >= {THRESHOLD}: {sum(j >= THRESHOLD for j in js) / len(js):.3f}")

    id_to_idx = {r["id"]: i for i, r in enumerate(recs)}
    rows = []

    def add(name, pred, secs):
        p, r, f = prf(pred, truth)
        rows.append((name, f"{p:.4f}", f"{r:.4f}", f"{f:.4f}", len(pred), len(pred - truth), len(truth - pred),
                     cross_family_fp(pred, truth, fam), f"{secs:.1f}"))

    # warm-up (JIT) outside the timings
    newsqa.find_duplicates(recs[:50], threshold=THRESHOLD)

    for verify in ("exact", "signature"):
        clusters, secs = run_newsqa(recs, verify=verify, containment=False)
        add(f"newsqa verify={verify} containment=False", pairs_from_clusters(clusters, id_to_idx, NEAR), secs)
        if verify == "exact":
            kinds = Counter(c.kind for c in clusters)
            print(f"newsqa verify=exact containment=False: {len(clusters)} clusters {dict(kinds)}")
            relation_audit("verify=exact containment=False", clusters, id_to_idx, sets, recs)
    clusters, secs = run_newsqa(recs, verify="exact")
    print(f"newsqa default (containment=True): {len(clusters)} clusters {dict(Counter(c.kind for c in clusters))}")
    relation_audit("default, containment=True", clusters, id_to_idx, sets, recs)
    add("newsqa default (containment=True) near/exact rel.", pairs_from_clusters(clusters, id_to_idx, NEAR), secs)
    add("newsqa default (containment=True) all members", pairs_from_clusters(clusters, id_to_idx, None), secs)

    edges, mhs, info = datasketch_candidates(shingle_lists)
    print(f"datasketch MinHashLSH bands b={info['b']} rows r={info['r']}; MinHash.bulk {info['t_sig']:.1f}s")
    add("datasketch MinHashLSH + union-find", pairs_from_edges(n, edges), info["t_all"])
    t0 = time.perf_counter()
    ver = [(i, j) for i, j in edges if _corpus.jaccard(sets[i], sets[j]) >= THRESHOLD]
    add("datasketch MinHashLSH + exact verify", pairs_from_edges(n, ver), info["t_all"] + time.perf_counter() - t0)

    edges, rmhs, lsh, info = rensa_candidates(shingle_lists)
    print(f"rensa RMinHashLSH num_bands={RENSA_BANDS} (rows {NUM_PERM // RENSA_BANDS}); "
          f"RMinHash.from_token_sets {info['t_sig']:.1f}s")
    add("rensa RMinHashLSH + union-find", pairs_from_edges(n, edges), info["t_all"])
    t0 = time.perf_counter()
    ver = [(i, j) for i, j in edges if lsh.is_similar(rmhs[i], rmhs[j])]
    add("rensa RMinHashLSH + is_similar (sig.)", pairs_from_edges(n, ver), info["t_all"] + time.perf_counter() - t0)
    t0 = time.perf_counter()
    ver = [(i, j) for i, j in edges if _corpus.jaccard(sets[i], sets[j]) >= THRESHOLD]
    add("rensa RMinHashLSH + exact verify", pairs_from_edges(n, ver), info["t_all"] + time.perf_counter() - t0)

    print()
    print_table(("method (edited copies)", "precision", "recall", "F1", "pred", "FP", "FN", "x-fam FP", "s"), rows)
    return rows


def part_containment(originals, args):
    recs, distinct, info = _corpus.containment_corpus(originals, n_pages=args.pages)
    texts = [r["text"] for r in recs]
    n = len(texts)
    page_idx = [i for i, r in enumerate(recs) if r["variant"] == "aggregator"]
    orig_idx = {r["family"]: i for i, r in enumerate(recs) if r["variant"] == "original"}
    print(f"\n=== Part 2: containment corpus: {len(distinct)} articles + {len(page_idx)} aggregator pages "
          f"(filler share {info['filler_share_min']:.2f}-{info['filler_share_max']:.2f}, "
          f"mean {info['filler_share_mean']:.2f}; {info['n_donors']} donor articles not in corpus) ===")

    shingle_lists = [newsqa.text.shingles(t, NGRAM) for t in texts]
    sets = [set(s) for s in shingle_lists]
    cont = [len(sets[i] & sets[orig_idx[recs[i]["family"]]]) / max(1, len(sets[orig_idx[recs[i]["family"]]]))
            for i in page_idx]
    jac = [_corpus.jaccard(sets[i], sets[orig_idx[recs[i]["family"]]]) for i in page_idx]
    print(f"page vs its original: containment min {min(cont):.3f} median {statistics.median(cont):.3f}; "
          f"Jaccard min {min(jac):.3f} median {statistics.median(jac):.3f} max {max(jac):.3f}")

    # Merge originals that really overlap (exact): Jaccard >= 0.8, or the
    # smaller (>= 50 shingles) >= 0.8 contained in the larger.
    art = [i for i, r in enumerate(recs) if r["variant"] == "original"]
    real = _corpus.exact_similar_pairs([sets[i] for i in art], jaccard=THRESHOLD, containment=THRESHOLD, min_size=50)
    uf = _corpus.UnionFind(n)
    for a, b in real:
        uf.union(art[a], art[b])
    for i in page_idx:
        uf.union(i, orig_idx[recs[i]["family"]])
    group = uf.labels()
    fam = [r["family"] for r in recs]
    print(f"real overlap among the corpus originals (exact, J>=0.8 or containment>=0.8): {len(real)} pairs "
          f"-> these count as true links")

    small = sum(1 for i in page_idx if len(sets[orig_idx[recs[i]["family"]]]) < 50)
    if small:
        print(f"note: {small} originals have < 50 shingles (newsqa's min_containment_shingles default)")

    id_to_idx = {r["id"]: i for i, r in enumerate(recs)}
    rows = []

    def add(name, pred, secs):
        clustered = {(i, j) for i, j in pred}
        hit = sum(1 for p in page_idx if (min(p, orig_idx[fam[p]]), max(p, orig_idx[fam[p]])) in clustered)
        false_pairs = [(i, j) for i, j in pred if group[i] != group[j]]
        raw_false = [(i, j) for i, j in pred if fam[i] != fam[j]]
        items = {x for e in false_pairs for x in e}
        rows.append((name, f"{hit}/{len(page_idx)}", f"{hit / len(page_idx):.4f}", len(false_pairs),
                     len(items), len(raw_false), f"{secs:.1f}"))

    newsqa.find_duplicates(recs[:50], threshold=THRESHOLD, containment=True)  # warm-up
    clusters, secs = run_newsqa(recs, containment=True)
    add("newsqa containment=True (verify=exact)", pairs_from_clusters(clusters, id_to_idx), secs)
    rel = Counter()
    for c in clusters:
        for m in c.members:
            i = id_to_idx[m]
            rel[(recs[i]["variant"], c.relation.get(m))] += 1
    print(f"newsqa containment=True: {len(clusters)} clusters {dict(Counter(c.kind for c in clusters))}; "
          f"(record kind, relation) counts: {dict(rel)}")
    relation_audit("containment corpus, containment=True", clusters, id_to_idx, sets, recs)
    clusters, secs = run_newsqa(recs, containment=True, verify="signature")
    add("newsqa containment=True verify=signature", pairs_from_clusters(clusters, id_to_idx), secs)
    clusters, secs = run_newsqa(recs, containment=False)
    add("newsqa containment=False", pairs_from_clusters(clusters, id_to_idx), secs)
    edges, _, info = datasketch_candidates(shingle_lists)
    add("datasketch MinHashLSH(0.8) + union-find", pairs_from_edges(n, edges), info["t_all"])

    print()
    print_table(("method (containment)", "pages w/ orig", "share", "false pairs", "false items",
                 "x-family raw", "s"), rows)
    return rows


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default=_corpus.DEFAULT_CORPUS)
    ap.add_argument("--n", type=int, default=None, help="originals in the edited-copies corpus (default all)")
    ap.add_argument("--pages", type=int, default=None, help="aggregator pages (default one per corpus article)")
    ap.add_argument("--min-words", type=int, default=50)
    ap.add_argument("--skip-edited", action="store_true")
    ap.add_argument("--skip-containment", action="store_true")
    args = ap.parse_args(argv)

    arts = _corpus.load_articles(args.corpus)
    originals = _corpus.distinct_articles(arts, min_words=args.min_words)
    print(f"corpus: {len(arts)} non-empty articles, {len(originals)} distinct with >= {args.min_words} words")
    if not args.skip_edited:
        part_edited(originals, args)
    if not args.skip_containment:
        part_containment(originals, args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
