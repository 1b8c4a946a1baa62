"""Source scores on the BuzzFeed-Webis corpus: ranking, agreement with fact checks, stability.

    python benchmarks/bench_scoring.py [--corpus PATH/articles.csv] [--repeats 300] [--k 20]

The corpus: 9 Facebook-verified portals in the week before the 2016 US
election, 3 mainstream and 6 hyperpartisan, every article fact-checked by
BuzzFeed journalists (``portals.csv`` beside ``articles.csv`` gives each
portal's share of articles rated "mostly true"). Each article is its
``title`` as a first line (real pages carry their headline) and its
``mainText``; the corpus has no dates, so clusters pick originals by length.

Prints:

1. the portal ranking: score, confidence, components, share mostly true;
   Spearman correlation of score and share mostly true; publisher AUC of
   mainstream (abc, cnn, politico) against hyperpartisan;
2. article subsamples: ``--repeats`` times, ``--k`` random articles per
   portal are scored as if they were the whole portal; AUC of portals with
   a high mostly-true share (>= 0.8: abc, cnn, politico, the-other-98)
   against the others, and of mainstream against hyperpartisan;
3. single features at the article level (AUC of mostly-true articles
   against the rest), for comparison with the composite;
4. sensitivity: the half rates halved and doubled, the sourcing/bait
   split, the prior strength, and a leave-one-portal-out choice of the
   sourcing/bait split (the one weight one might be tempted to tune);
5. the empirical-Bayes check of PRIOR_ARTICLES (within-portal over
   between-portal variance of the article values).

Nothing here is used by the tests; the weights in newsqa.scoring were set
before these figures were taken (see docs/scoring.md).
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import statistics
import sys
import time
from collections import Counter
from contextlib import contextmanager
from types import MappingProxyType

try:
    import newsqa
except ImportError:  # a checkout without an installed package
    sys.path.insert(
        0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src")
    )
    import newsqa

from newsqa import scoring

DEFAULT_CORPUS = "/work/shared/corpora/buzzfeed-webis-2016/articles.csv"
MAINSTREAM = ("abc", "cnn", "politico")
HIGH_TRUE = 0.8


def auc(pos: list[float], neg: list[float]) -> float:
    """ROC AUC: P(score of a positive > score of a negative), ties count half."""
    if not pos or not neg:
        return float("nan")
    wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
    return wins / (len(pos) * len(neg))


def ranks(xs: list[float]) -> list[float]:
    order = sorted(range(len(xs)), key=lambda i: xs[i])
    out = [0.0] * len(xs)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and xs[order[j + 1]] == xs[order[i]]:
            j += 1
        for t in range(i, j + 1):
            out[order[t]] = (i + j) / 2 + 1
        i = j + 1
    return out


def spearman(a: list[float], b: list[float]) -> float:
    ra, rb = ranks(a), ranks(b)
    ma, mb = statistics.fmean(ra), statistics.fmean(rb)
    cov = sum((x - ma) * (y - mb) for x, y in zip(ra, rb))
    var = (sum((x - ma) ** 2 for x in ra) * sum((y - mb) ** 2 for y in rb)) ** 0.5
    return cov / var if var else float("nan")


def load(path: str) -> tuple[list[newsqa.Article], dict[str, str], dict[str, dict]]:
    arts, veracity = [], {}
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            body = row["mainText"].strip()
            if not body:
                continue
            title = row["title"].strip()
            aid = row["xml"].removesuffix(".xml")
            arts.append(
                newsqa.Article(
                    aid, f"{title}\n{body}" if title else body, row["portal"]
                )
            )
            veracity[aid] = row["veracity"]
    portals = {}
    with open(
        os.path.join(os.path.dirname(path), "portals.csv"), encoding="utf-8", newline=""
    ) as fh:
        for row in csv.DictReader(fh):
            portals[row["portal"]] = {
                "orientation": row["orientation"],
                "true": float(row["share_mostly_true"]),
            }
    return arts, veracity, portals


def with_updates(report, arts, keep: bool):
    """The report with clusters made knowing the articles' sources.

    A portal that posts one story twice republishes its own story: an
    ``update``, not a copy (issue 15). ``newsqa.clusters.cluster_texts``
    tells updates only when given ``sources=``; where ``analyze`` does not
    pass them yet, the clusters are recomputed here with them and the
    sources re-scored (the same clusters otherwise: BuzzFeed-Webis has no
    dates and no spun copies).
    """
    if keep or any("update" in c.relation.values() for c in report.clusters):
        return report
    from dataclasses import replace

    from newsqa.clusters import cluster_texts

    res = cluster_texts(
        [a.id for a in arts],
        [a.text for a in arts],
        [a.published for a in arts],
        sources=[a.source for a in arts],
        urls=[a.url for a in arts],
    )
    n = sum(1 for c in res.clusters for r in c.relation.values() if r == "update")
    if not n:
        return report
    print(f"(clusters recomputed with the articles' sources: {n} republications are updates, not copies)")
    return replace(
        report,
        clusters=res.clusters,
        sources=scoring.score_report(report.articles, res.clusters),
    )


@contextmanager
def patched(**values):
    old = {k: getattr(scoring, k) for k in values}
    try:
        for k, v in values.items():
            setattr(scoring, k, v)
        yield
    finally:
        for k, v in old.items():
            setattr(scoring, k, v)


def scores_of(stats_by_portal: dict) -> dict[str, float]:
    return {p: scoring.score_stats(p, s).score for p, s in stats_by_portal.items()}


def evaluate(stats_by_portal: dict, portals: dict) -> tuple[float, float, float]:
    sc = scores_of(stats_by_portal)
    names = sorted(sc)
    rho = spearman([sc[p] for p in names], [portals[p]["true"] for p in names])
    a_main = auc(
        [sc[p] for p in names if p in MAINSTREAM],
        [sc[p] for p in names if p not in MAINSTREAM],
    )
    a_true = auc(
        [sc[p] for p in names if portals[p]["true"] >= HIGH_TRUE],
        [sc[p] for p in names if portals[p]["true"] < HIGH_TRUE],
    )
    return rho, a_main, a_true


def with_split(share: float):
    total = scoring._BY_NAME["sourcing"].weight + scoring._BY_NAME["bait"].weight
    comps = tuple(
        scoring.Component(c.name, total * share, c.prior, c.what)
        if c.name == "sourcing"
        else scoring.Component(c.name, total * (1 - share), c.prior, c.what)
        if c.name == "bait"
        else c
        for c in scoring.COMPONENTS
    )
    return patched(COMPONENTS=comps)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=DEFAULT_CORPUS)
    ap.add_argument("--repeats", type=int, default=300)
    ap.add_argument("--k", type=int, default=20)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument(
        "--no-sources",
        action="store_true",
        help="keep analyze's clusters as they are, even where they were made without the articles' sources",
    )
    args = ap.parse_args()

    arts, veracity, portals = load(args.corpus)
    t0 = time.perf_counter()
    report = newsqa.analyze(arts)
    elapsed = time.perf_counter() - t0
    print(
        f"{len(arts)} articles, {len(report.clusters)} clusters, analyze {elapsed:.1f} s"
    )
    report = with_updates(report, arts, args.no_sources)

    # 1. ranking
    ranked = sorted(report.sources, key=lambda s: -s.score)
    names = [c.name for c in scoring.COMPONENTS]
    short = {n: n[:6] for n in names}
    print("\n## Portal ranking")
    print(
        f"{'portal':18s} {'orient.':10s} {'true':>5s} {'score':>6s} {'conf':>5s} "
        + " ".join(f"{short[n]:>6s}" for n in names)
    )
    for s in ranked:
        p = portals[s.source]
        print(
            f"{s.source:18s} {p['orientation']:10s} {p['true']:5.2f} {s.score:6.2f} {s.confidence:5.2f} "
            + " ".join(f"{s.components[n]:6.2f}" for n in names)
        )
    stats = {s.source: dict(s.stats) for s in report.sources}
    rho, a_main, a_true = evaluate(stats, portals)
    print(f"Spearman(score, share mostly true) = {rho:.3f}")
    print(
        f"publisher AUC mainstream vs hyperpartisan = {a_main:.3f}; high (>= {HIGH_TRUE}) vs low mostly-true = {a_true:.3f}"
    )

    # 2. article subsamples
    rng = random.Random(args.seed)
    by_portal: dict[str, list] = {}
    for a in report.articles:
        by_portal.setdefault(a.source, []).append(a)
    relation = scoring._relations(report.clusters)
    per_article = {
        a.id: Counter(scoring.article_stats(a, relation.get(a.id)))
        for a in report.articles
    }
    print(f"\n## Article subsamples ({args.repeats} repeats)")
    for k in sorted({1, 5, args.k}):
        res_main, res_true = [], []
        for _ in range(args.repeats):
            sub = {}
            for p, lst in by_portal.items():
                pick = rng.sample(lst, min(k, len(lst)))
                total: Counter = Counter()
                for a in pick:
                    total.update(per_article[a.id])
                sub[p] = total
            _, m, t = evaluate(sub, portals)
            res_main.append(m)
            res_true.append(t)
        q = statistics.quantiles(res_true, n=20)
        print(
            f"k={k:3d}: AUC high vs low mostly-true mean {statistics.fmean(res_true):.3f} "
            f"(5th pct {q[0]:.3f}); mainstream vs hyperpartisan mean {statistics.fmean(res_main):.3f}"
        )

    # 3. single features, article level (mostly true vs the rest)
    print("\n## Article level: AUC of mostly-true articles against the rest")
    ids = [a.id for a in report.articles if a.signals.get("practice_words")]
    y = {i: veracity[i] == "mostly true" for i in ids}

    def art_auc(values: dict[str, float]) -> float:
        return auc(
            [values[i] for i in ids if y[i]], [values[i] for i in ids if not y[i]]
        )

    sig = {a.id: a.signals for a in report.articles}
    rows = []
    for key in (*scoring.SOURCING_HALF, *scoring.BAIT_HALF, "headline_bait"):
        if key == "specifics":
            vals = {
                i: (sig[i]["numbers"] + sig[i]["dates"]) / sig[i]["practice_words"]
                for i in ids
            }
        elif key == "headline_bait":
            vals = {i: -sig[i][key] for i in ids}
        else:
            sign = 1 if key in scoring.SOURCING_HALF else -1
            vals = {i: sign * sig[i][key] / sig[i]["practice_words"] for i in ids}
        rows.append((key, art_auc(vals)))
    rows.append(("words (length)", art_auc({i: sig[i]["practice_words"] for i in ids})))
    rows.append(
        (
            "flesch_reading_ease (lower)",
            art_auc({i: -(sig[i].get("flesch_reading_ease") or 0) for i in ids}),
        )
    )
    single = {i: scoring.score_stats("x", per_article[i]).score for i in ids}
    rows.append(("newsqa score of the article alone", art_auc(single)))
    for key, v in rows:
        print(f"  {key:34s} {v:.3f}")

    # 3b. hard findings at face value against the old rule (everything shrunk)
    print(
        "\n## Hard findings at face value vs shrunk like soft evidence "
        f"(k=1 and k=5 subsamples, {args.repeats} repeats, same draws)"
    )
    soft_only = lambda m, prior: scoring._shrink(m.value, m.n, prior)  # noqa: E731
    for label, patch in (("face value (shipped)", {}), ("shrunk (old rule)", {"_value": soft_only})):
        for k in (1, 5):
            rng2 = random.Random(args.seed + 1)
            res_main, res_true = [], []
            with patched(**patch):
                for _ in range(args.repeats):
                    sub = {}
                    for p, lst in by_portal.items():
                        total: Counter = Counter()
                        for a in rng2.sample(lst, min(k, len(lst))):
                            total.update(per_article[a.id])
                        sub[p] = total
                    _, m, t = evaluate(sub, portals)
                    res_main.append(m)
                    res_true.append(t)
            print(
                f"  {label:22s} k={k}: AUC mainstream vs hyperpartisan {statistics.fmean(res_main):.3f}, "
                f"high vs low mostly-true {statistics.fmean(res_true):.3f}"
            )

    # 4. sensitivity
    print("\n## Sensitivity (Spearman, AUC mainstream, AUC high-vs-low true)")
    base = evaluate(stats, portals)
    print(
        f"  as shipped                          {base[0]:.3f} {base[1]:.3f} {base[2]:.3f}"
    )
    for f in (0.5, 2.0):
        with patched(
            SOURCING_HALF=MappingProxyType(
                {k: v * f for k, v in scoring.SOURCING_HALF.items()}
            ),
            BAIT_HALF=MappingProxyType(
                {k: v * f for k, v in scoring.BAIT_HALF.items()}
            ),
            HEADLINE_BAIT_HALF=scoring.HEADLINE_BAIT_HALF * f,
        ):
            r = evaluate(stats, portals)
        print(
            f"  all half rates x{f:<4g}                {r[0]:.3f} {r[1]:.3f} {r[2]:.3f}"
        )
    for share in (0.3, 0.4, 0.5, 0.6, 0.7):
        with with_split(share):
            r = evaluate(stats, portals)
        print(
            f"  sourcing share of 52 points {share:.1f}     {r[0]:.3f} {r[1]:.3f} {r[2]:.3f}"
        )
    with patched(_value=lambda m, prior: scoring._shrink(m.value, m.n, prior)):
        r = evaluate(stats, portals)
    print(f"  hard findings shrunk (old rule)      {r[0]:.3f} {r[1]:.3f} {r[2]:.3f}")
    for m in (1, 2, 8, 16):
        with patched(PRIOR_ARTICLES=m):
            r = evaluate(stats, portals)
        print(
            f"  PRIOR_ARTICLES={m:<3d}                   {r[0]:.3f} {r[1]:.3f} {r[2]:.3f}"
        )

    print(
        "\n## Leave one portal out: the sourcing/bait split that maximises Spearman on the other 8"
    )
    grid = [i / 10 for i in range(1, 10)]
    for out in sorted(stats):
        rest = {p: s for p, s in stats.items() if p != out}
        best = None
        for share in grid:
            with with_split(share):
                sc = scores_of(rest)
                names8 = sorted(sc)
                rho8 = spearman(
                    [sc[p] for p in names8], [portals[p]["true"] for p in names8]
                )
            if best is None or rho8 > best[1] + 1e-12:
                best = (share, rho8)
        with with_split(best[0]):
            full = scores_of(stats)
        rank_fit = sorted(full, key=lambda p: -full[p]).index(out) + 1
        rank_true = sorted(stats, key=lambda p: -portals[p]["true"]).index(out) + 1
        print(
            f"  without {out:18s} best split {best[0]:.1f} (rho {best[1]:.3f}); {out} then ranks {rank_fit} (by truth {rank_true})"
        )

    # 5. empirical Bayes check of PRIOR_ARTICLES
    within, means = [], []
    for p, lst in by_portal.items():
        vals = []
        for a in lst:
            m = scoring._measure(per_article[a.id])
            if m["sourcing"].value is not None:
                vals.append((m["sourcing"].value + m["bait"].value) / 2)
        within.append(statistics.pvariance(vals))
        means.append((statistics.fmean(vals), len(vals)))
    w = statistics.fmean(within)
    between = statistics.pvariance([m for m, _ in means]) - w / statistics.fmean(
        [n for _, n in means]
    )
    print(
        f"\n## Prior strength: within-portal variance {w:.4f}, between-portal variance {between:.4f}, "
        f"ratio {w / between:.1f} pseudo-articles (PRIOR_ARTICLES = {scoring.PRIOR_ARTICLES})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
