"""Spun text: detection and linking of thesaurus-spun copies of real articles.

    python benchmarks/bench_spun.py [--corpus PATH] [--limit N] [--link-sample N] [--json OUT]

Articles: the non-empty texts of the corpus (default
``/work/shared/corpora/buzzfeed-webis-2016/articles.csv``) with at least 100
words, exact duplicates dropped (``_corpus.distinct_articles``), the first
``--limit`` of them (default all).

The spinner (``_spinner.py``) has its own dictionary
(``data/spinner_thesaurus.txt``), written apart from newsqa's detector
lexicon (``newsqa/data/spin_lexicon.tsv``). Three variants are run:

* ``full``: the whole dictionary;
* ``disjoint``: without the (word -> synonym) pairs that the lexicon also
  holds as (spun phrase, original): the figure that measures generalisation;
* ``strict``: also without every synonym that is a spun phrase of the lexicon
  at all, whatever original the lexicon gives for it.

Each article is spun at each rate (10%, 20%, 40% of its eligible words:
those a spinner may touch, i.e. not stop words, numbers or names; the share
of all words is printed as well), seeded by article id and rate, the same
seed for every variant.

(a) **Detection**: ``spun(text).signals["spun_score"]`` of the spun
versions (positives) against the untouched articles (negatives): ROC-AUC
(Mann-Whitney, ties counted half), the share of spun versions flagged
``spun`` at the default threshold, and the false alarm rate: the share of
untouched articles flagged.

(b) **Linking**: a corpus of all untouched articles plus one spun copy of
each of ``--link-sample`` of them (seeded sample; source
``spun-copies.example``, published one day after its original), run through
``newsqa.analyze(records, signals=["spun"])``. A copy is *linked* when it
shares a cluster with its original; a *false link* is a copy whose cluster
holds an article of another family (originals whose exact word 5-gram
Jaccard is >= 0.3 or whose containment is >= 0.5 count as one family, so
real near duplicates in the corpus are no false links). Anchors: the same
corpus with the spun signal off (``signals=[]``), and plain MinHash:
datasketch ``MinHashLSH(threshold=0.8, num_perm=128)`` over
``newsqa.text.shingles`` word 5-grams, the originals inserted and each copy
queried.

(c) **Throughput**: ``spun()`` over the untouched articles, one core, best of
``--repeats``, by the process's CPU time (the one-core rate on a shared,
noisy machine) and by wall time.

Everything is seeded: the same command prints the same figures (except the
throughput).
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import random
import sys
import time
from collections.abc import Sequence
from importlib import resources

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
try:
    import newsqa
except ImportError:  # running from a checkout without an installed package
    sys.path.insert(
        0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src")
    )
    import newsqa
import _corpus
import _spinner

from newsqa.signals.spun import _default, spun

RATES = (0.1, 0.2, 0.4)
MIN_WORDS = 100
COPY_SOURCE = "spun-copies.example"
# Originals at least this similar (exact word 5-grams) are one family: a spun
# copy clustered with either is no false link.
FAMILY_JACCARD = 0.3
FAMILY_CONTAINMENT = 0.5
MINHASH_THRESHOLD = 0.8
NUM_PERM = 128
NGRAM = 5


# --------------------------------------------------------------------------
# Metrics


def roc_auc(positives: Sequence[float], negatives: Sequence[float]) -> float:
    """P(score of a random positive > that of a random negative), ties counting half.

    Mann-Whitney U over average ranks; ``nan`` when either side is empty.

    >>> roc_auc([3, 2], [1, 0])
    1.0
    >>> roc_auc([1, 1], [1, 1])
    0.5
    >>> roc_auc([2, 0], [1, 1])
    0.5
    """
    n_pos, n_neg = len(positives), len(negatives)
    if not n_pos or not n_neg:
        return float("nan")
    scored = sorted(
        [(float(s), 1) for s in positives] + [(float(s), 0) for s in negatives]
    )
    rank_sum = 0.0
    i = 0
    while i < len(scored):
        j = i
        while j + 1 < len(scored) and scored[j + 1][0] == scored[i][0]:
            j += 1
        avg_rank = (i + j) / 2 + 1  # ranks are 1-based
        rank_sum += avg_rank * sum(lab for _, lab in scored[i : j + 1])
        i = j + 1
    u = rank_sum - n_pos * (n_pos + 1) / 2
    return u / (n_pos * n_neg)


# --------------------------------------------------------------------------
# Spinner variants


def lexicon_pairs() -> tuple[set[tuple[str, str]], set[str]]:
    """newsqa's lexicon as normalised (spun, original) pairs, and its spun phrases."""
    text = (resources.files("newsqa") / "data" / "spin_lexicon.tsv").read_text(
        encoding="utf-8"
    )
    pairs: set[tuple[str, str]] = set()
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) >= 2:
            pairs.add((_spinner._norm(parts[0]), _spinner._norm(parts[1])))
    return pairs, {s for s, _ in pairs}


def spinner_variants(
    thesaurus: _spinner.Thesaurus,
) -> tuple[dict[str, _spinner.Spinner], dict]:
    lex, lex_spun = lexicon_pairs()
    pairs = thesaurus.pairs()
    shared = {(w, s) for w, s in pairs if (s, w) in lex}
    spun_side = {(w, s) for w, s in pairs if s in lex_spun}
    info = {
        "lemmas": thesaurus.n_lemmas,
        "surface_forms": len(thesaurus.entries),
        "pairs": len(pairs),
        "lexicon_pairs": len(lex),
        "shared_pairs": len(shared),
        "shared_examples": sorted(f"{w} -> {s}" for w, s in shared)[:12],
        "synonym_is_lexicon_phrase": len(spun_side),
    }
    variants = {
        "full": _spinner.Spinner(thesaurus),
        "disjoint": _spinner.Spinner(thesaurus.without(shared)),
        "strict": _spinner.Spinner(thesaurus.without(shared | spun_side)),
    }
    return variants, info


# --------------------------------------------------------------------------
# Linking


def family_groups(originals: Sequence[_corpus.Article]) -> dict[str, int]:
    """Original id -> family label (exactly similar originals share one)."""
    sets = [set(newsqa.text.shingles(a.text, NGRAM)) for a in originals]
    pairs = _corpus.exact_similar_pairs(
        sets, jaccard=FAMILY_JACCARD, containment=FAMILY_CONTAINMENT
    )
    labels = _corpus.components(len(originals), pairs.keys())
    return {a.id: lab for a, lab in zip(originals, labels)}


def _minhash(text: str):
    from datasketch import MinHash

    m = MinHash(num_perm=NUM_PERM)
    m.update_batch([s.encode("utf-8") for s in set(newsqa.text.shingles(text, NGRAM))])
    return m


def link_run(
    records: list[dict],
    copies: dict[str, str],
    family: dict[str, int],
    signals: list[str],
) -> dict:
    """Cluster ``records`` with newsqa; score each copy (copy id -> original id)."""
    report = newsqa.analyze(records, signals=signals)
    cluster_of = {a.id: a.cluster for a in report.articles}
    members: dict[str, tuple[str, ...]] = {c.id: c.members for c in report.clusters}
    relation = {m: c.relation.get(m) for c in report.clusters for m in c.members}
    fam = dict(family)
    fam.update({cid: family[oid] for cid, oid in copies.items()})
    linked = false = as_spun = 0
    for cid, oid in copies.items():
        cl = cluster_of.get(cid)
        if cl is None:
            continue
        if cluster_of.get(oid) == cl:
            linked += 1
            as_spun += relation.get(cid) == "spun_copy"
        if any(fam[m] != fam[cid] for m in members[cl]):
            false += 1
    n = len(copies)
    return {
        "recall": linked / n,
        "false_links": false,
        "linked": linked,
        "as_spun_copy": as_spun,
        "n": n,
    }


def minhash_run(
    lsh, copy_texts: dict[str, str], copies: dict[str, str], family: dict[str, int]
) -> dict:
    linked = false = 0
    for cid, text in copy_texts.items():
        found = lsh.query(_minhash(text))
        linked += copies[cid] in found
        false += any(family[f] != family[copies[cid]] for f in found)
    return {
        "recall": linked / len(copies),
        "false_links": false,
        "linked": linked,
        "n": len(copies),
    }


# --------------------------------------------------------------------------


def _next_day(published: str) -> str:
    return (_dt.date.fromisoformat(published[:10]) + _dt.timedelta(days=1)).isoformat()


def _rss_mb() -> float:
    """Resident memory of this process in MB (Linux /proc; nan elsewhere)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6
    except (OSError, ValueError, IndexError):
        return float("nan")


def model_load() -> tuple[float, float]:
    """Seconds and resident MB that the first ``spun()`` call adds (the context model's load)."""
    rss0, t0 = _rss_mb(), time.perf_counter()
    spun("A first call loads the spinner context model.")
    return time.perf_counter() - t0, _rss_mb() - rss0


def throughput(texts: Sequence[str], repeats: int, context: bool = True) -> tuple[float, float]:
    """Articles per second of ``spun()``: (by CPU time of this process, by wall time), best of ``repeats``.

    The CPU-time figure is the one-core rate on a shared machine, where
    other processes stretch the wall clock.
    """
    best_cpu = best_wall = float("inf")
    for _ in range(repeats):
        c0, w0 = time.process_time(), time.perf_counter()
        for t in texts:
            spun(t, context=context)
        best_cpu = min(best_cpu, time.process_time() - c0)
        best_wall = min(best_wall, time.perf_counter() - w0)
    return len(texts) / best_cpu, len(texts) / best_wall


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--corpus", default=_corpus.DEFAULT_CORPUS)
    ap.add_argument(
        "--limit",
        type=int,
        default=None,
        help="articles used (default all with >= 100 words)",
    )
    ap.add_argument(
        "--link-sample",
        type=int,
        default=500,
        help="originals given a spun copy in (b)",
    )
    ap.add_argument("--rates", default=",".join(str(r) for r in RATES))
    ap.add_argument("--variants", default="full,disjoint,strict")
    ap.add_argument("--thesaurus", default=str(_spinner.DEFAULT_THESAURUS))
    ap.add_argument("--seed", type=int, default=2016)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--json", default=None, help="also write the figures to this file")
    ap.add_argument("--no-link", action="store_true", help="detection only: skip the linking runs (b)")
    args = ap.parse_args(argv)
    rates = [float(r) for r in args.rates.split(",")]
    t_start = time.perf_counter()
    load_s, load_mb = model_load()  # before anything else calls spun()

    articles = _corpus.distinct_articles(
        _corpus.load_articles(args.corpus), min_words=MIN_WORDS
    )
    articles = articles[: args.limit] if args.limit else articles
    texts = [a.text for a in articles]
    n_words = sum(len(t.split()) for t in texts) / max(1, len(texts))
    thesaurus = _spinner.Thesaurus.load(args.thesaurus)
    variants, info = spinner_variants(thesaurus)
    variants = {k: v for k, v in variants.items() if k in args.variants.split(",")}
    print(f"corpus: {args.corpus}")
    print(
        f"articles: {len(articles)} (>= {MIN_WORDS} words, mean {n_words:.0f} words), seed {args.seed}"
    )
    print(
        f"spinner dictionary: {info['lemmas']} headwords, {info['surface_forms']} surface forms, "
        f"{info['pairs']} (word -> synonym) pairs; newsqa lexicon: {info['lexicon_pairs']} pairs"
    )
    print(
        f"overlap: {info['shared_pairs']} spinner pairs are lexicon (spun, original) pairs "
        f"(removed in 'disjoint'); {info['synonym_is_lexicon_phrase']} spinner pairs produce a lexicon "
        f"spun phrase (removed in 'strict')"
    )
    if info["shared_examples"]:
        print("  shared, e.g.: " + "; ".join(info["shared_examples"]))

    # Untouched articles: negatives, false alarms, throughput.
    neg_out = [spun(t) for t in texts]
    neg_scores = [o.signals["spun_score"] for o in neg_out]
    neg_context = [o.signals["spun_context"] for o in neg_out]
    neg_lexicon = [_default().run(t, context=False).signals["spun_score"] for t in texts]
    ctx_sorted = sorted(neg_context)
    ctx_median = ctx_sorted[len(ctx_sorted) // 2]
    ctx_p99 = ctx_sorted[min(len(ctx_sorted) - 1, int(0.99 * len(ctx_sorted)))]
    false_alarm = sum(bool(o.signals["spun"]) for o in neg_out) / len(texts)
    rate_per_s, rate_wall = throughput(texts, args.repeats)
    rate_lexicon, _ = throughput(texts, args.repeats, context=False)

    # Linking corpus pieces shared by all runs.
    family = family_groups(articles)
    n_families = len(set(family.values()))
    rng = random.Random(args.seed)
    sample_idx = sorted(
        rng.sample(range(len(articles)), min(args.link_sample, len(articles)))
    )
    base_records = [
        {"id": a.id, "text": a.text, "source": a.source, "published": a.published}
        for a in articles
    ]
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=MINHASH_THRESHOLD, num_perm=NUM_PERM)
    for a in articles:
        lsh.insert(a.id, _minhash(a.text))

    results: dict = {
        "corpus": args.corpus,
        "n_articles": len(articles),
        "seed": args.seed,
        "dictionary": info,
        "false_alarm_untouched": false_alarm,
        "untouched_max_score": max(neg_scores),
        "untouched_context_median": ctx_median,
        "untouched_context_p99": ctx_p99,
        "throughput_articles_per_s": rate_per_s,
        "throughput_wall_articles_per_s": rate_wall,
        "throughput_lexicon_only_articles_per_s": rate_lexicon,
        "model_load_s": load_s,
        "model_load_rss_mb": load_mb,
        "mean_words": n_words,
        "link_sample": len(sample_idx),
        "families": n_families,
        "runs": [],
    }
    for vname, spinner in variants.items():
        for rate in rates:
            spins = [
                spinner.spin(a.text, rate, seed=f"{args.seed}/{a.id}/{rate}")
                for a in articles
            ]
            pos_scores = [spun(s.text).signals for s in spins]
            auc = roc_auc([p["spun_score"] for p in pos_scores], neg_scores)
            auc_halves = [
                roc_auc([p["spun_score"] for p in pos_scores[h::2]], neg_scores[h::2]) for h in (0, 1)
            ]
            auc_context = roc_auc([p["spun_context"] for p in pos_scores], neg_context)
            auc_lexicon = roc_auc(
                [_default().run(s.text, context=False).signals["spun_score"] for s in spins], neg_lexicon
            )
            flagged = sum(bool(p["spun"]) for p in pos_scores) / len(spins)
            achieved = sum(s.n_substituted for s in spins) / max(
                1, sum(s.n_eligible for s in spins)
            )
            all_words = sum(s.n_replaced_tokens for s in spins) / max(
                1, sum(s.n_tokens for s in spins)
            )
            short = sum(s.n_substituted < s.target for s in spins)

            copies = {f"{articles[i].id}/spun": articles[i].id for i in sample_idx}
            copy_texts = {f"{articles[i].id}/spun": spins[i].text for i in sample_idx}
            records = base_records + [
                {
                    "id": cid,
                    "text": copy_texts[cid],
                    "source": COPY_SOURCE,
                    "published": _next_day(articles[i].published),
                }
                for cid, i in zip(copies, sample_idx)
            ]
            if args.no_link:
                with_spun = without = plain = {"recall": float("nan"), "as_spun_copy": 0, "false_links": 0}
            else:
                with_spun = link_run(records, copies, family, ["spun"])
                without = link_run(records, copies, family, [])
                plain = minhash_run(lsh, copy_texts, copies, family)
            run = {
                "variant": vname,
                "rate": rate,
                "achieved_rate": achieved,
                "share_of_all_words": all_words,
                "articles_short_of_target": short,
                "auc": auc,
                "auc_even_half": auc_halves[0],
                "auc_odd_half": auc_halves[1],
                "auc_context_only": auc_context,
                "auc_lexicon_only": auc_lexicon,
                "flagged_spun": flagged,
                "link": with_spun,
                "link_spun_off": without,
                "minhash": plain,
            }
            results["runs"].append(run)
            print(
                f"  done {vname} {rate:.0%}: AUC {auc:.3f}, linked {with_spun['recall']:.1%} "
                f"({time.perf_counter() - t_start:.0f} s)",
                file=sys.stderr,
            )

    print()
    print(
        f"untouched articles flagged spun (false alarms): {false_alarm:.2%} "
        f"({round(false_alarm * len(texts))}/{len(texts)}); highest untouched spun_score {max(neg_scores):.1f}"
    )
    print(
        f"context model load (first spun() call): {load_s:.2f} s, +{load_mb:.0f} MB resident"
    )
    print(
        f"context density (spun_context) of untouched articles: median {ctx_median:.1f} "
        f"(CONTEXT_BASELINE), 99th percentile {ctx_p99:.1f}"
    )
    print(
        f"spun() throughput, one core: {rate_per_s:,.0f} articles/s by CPU time, {rate_wall:,.0f} by wall time "
        f"(mean {n_words:.0f} words, best of {args.repeats}); lexicon only (context=False): "
        f"{rate_lexicon:,.0f} articles/s by CPU time"
    )
    print(
        f"linking: {len(sample_idx)} spun copies among {len(articles)} originals "
        f"({n_families} families); false links = copies clustered with another family"
    )
    print()
    head = (
        "| spinner | rate asked | reached (eligible / all words) | AUC | AUC even / odd half | "
        "AUC lexicon only | AUC context only | flagged spun | "
        "linked, newsqa | as spun_copy | false links | linked, spun off | linked, MinHash 0.8 | MinHash false |"
    )
    print(head)
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in results["runs"]:
        print(
            f"| {r['variant']} | {r['rate']:.0%} | {r['achieved_rate']:.1%} / {r['share_of_all_words']:.1%} | "
            f"{r['auc']:.3f} | {r['auc_even_half']:.3f} / {r['auc_odd_half']:.3f} | {r['auc_lexicon_only']:.3f} | "
            f"{r['auc_context_only']:.3f} | {r['flagged_spun']:.1%} | {r['link']['recall']:.1%} | {r['link']['as_spun_copy']} | "
            f"{r['link']['false_links']} | {r['link_spun_off']['recall']:.1%} | {r['minhash']['recall']:.1%} | "
            f"{r['minhash']['false_links']} |"
        )
    print(f"\ntotal {time.perf_counter() - t_start:.0f} s")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(results, fh, indent=2)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
