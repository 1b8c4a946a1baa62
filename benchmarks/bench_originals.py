"""Who published first: the cluster representative against the true original.

    python benchmarks/bench_originals.py [--corpus PATH/articles.csv] [--per-kind 50] [--updates 50]
                                         [--no-sources] [--no-attribution]

Real articles from the BuzzFeed-Webis corpus (each its ``title`` line and
its ``mainText``; the source is the host of its own URL, the outlet name
the portal's name, or the bare host for articles on other sites) each get
one copy of one of five kinds, all mixed in one run with the rest of the
corpus as distractors:

``aggregator``
    an aggregator's copy with its own header and footer, published 1-3
    days after the original;
``attributed``
    both undated; the copy ends ``Source: <outlet>``, ``This article first
    appeared on <outlet>.`` or ``Quelle: <outlet>``, or opens
    ``Originally published by <outlet>`` (the outlet as its name, in
    capitals, or its bare host);
``excerpt``
    both undated; the copy is the title and the first 50-70% of the
    article followed by ``Read the full story at <host or URL>``;
``wrapped``
    both undated; the copy is the article inside another site's menu,
    teasers of other stories (after it, or before it as a "Trending"
    block) and footer;
``early_scrape``
    the copy, in an aggregator's header and footer, carries a scraped
    date one day *earlier* than the original but says ``Source: <outlet>``.

Plus ``updates``: articles republished by their own source a day later
with an update line (relation ``update`` expected, never a copy).

Prints, per kind and for the development half (even article index) and
the held-out half (odd index): the share of pairs whose representative is
the true original, and how the clusters decided (``original_by``); and the
number of "copies" charged to the self-republishing sources.

The clustering is :func:`newsqa.clusters.cluster_texts` with ``sources``
and ``urls`` (what ``newsqa.analyze`` passes once wired).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import random
import sys
import time
from collections import Counter, defaultdict
from urllib.parse import urlsplit

try:
    import newsqa  # noqa: F401
except ImportError:  # a checkout without an installed package
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src"))

from newsqa.clusters import cluster_texts

DEFAULT_CORPUS = "/work/shared/corpora/buzzfeed-webis-2016/articles.csv"
KINDS = ("aggregator", "attributed", "excerpt", "wrapped", "early_scrape")
# How the copies name the portals (as a Source: line in the wild would).
PORTAL_NAMES = {
    "abc": "ABC News",
    "cnn": "CNN",
    "politico": "Politico",
    "eagle-rising": "Eagle Rising",
    "addicting-info": "Addicting Info",
    "freedom-daily": "Freedom Daily",
    "occupy-democrats": "Occupy Democrats",
    "right-wing-news": "Right Wing News",
    "the-other-98": "The Other 98%",
}
PORTAL_DOMAINS = {
    "abc": "abcnews.go.com",
    "cnn": "cnn.com",
    "politico": "politico.com",
    "eagle-rising": "eaglerising.com",
    "addicting-info": "addictinginfo.org",
    "freedom-daily": "freedomdaily.com",
    "occupy-democrats": "occupydemocrats.com",
    "right-wing-news": "rightwingnews.com",
    "the-other-98": "theother98.com",
}
AGGREGATORS = (
    ("newsnowdaily.com", "News Now Daily"),
    ("topfeed24.net", "TopFeed24"),
    ("dailybuzzhub.com", "Daily Buzz Hub"),
    ("worldnewsdigest.org", "World News Digest"),
    ("frontpagewire.com", "Front Page Wire"),
    ("headlinepulse.net", "Headline Pulse"),
)
BASE = dt.datetime(2016, 9, 19, 8, 0)


def load(path: str) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    out = []
    for i, r in enumerate(rows):
        body = (r.get("mainText") or "").strip()
        if len(body.split()) < 150:
            continue
        host = (urlsplit(r["uri"]).hostname or "").lower()
        if not host:
            continue
        bare = host[4:] if host.startswith("www.") else host
        portal = r["portal"]
        name = PORTAL_NAMES[portal] if bare.endswith(PORTAL_DOMAINS.get(portal, "-")) else bare
        out.append(
            {
                "index": i,
                "id": f"bf{i:04d}",
                "text": f"{r['title'].strip()}\n{body}",
                "title": r["title"].strip(),
                "body": body,
                "source": host,
                "url": r["uri"],
                "outlet": name,
            }
        )
    return out


def _menu(name: str, rng: random.Random) -> list[str]:
    sections = rng.sample(["Home", "World", "Politics", "Business", "Tech", "Sports", "Opinion", "Video", "Health"], 6)
    return [f"{name} | " + " | ".join(sections), "Subscribe | Log in | Newsletter"]


def _footer(name: str, rng: random.Random) -> list[str]:
    return [
        "Share on Facebook | Share on Twitter | Email",
        "About Us | Contact | Privacy Policy | Terms of Use",
        f"© 2016 {name}. All rights reserved.",
    ]


def _teasers(others: list[dict], rng: random.Random) -> list[str]:
    picks = rng.sample(others, 3)
    return ["More stories"] + [" ".join(p["body"].split()[:12]) + " …" for p in picks]


def _outlet_as_written(a: dict, rng: random.Random) -> str:
    """The outlet as a copy names it: its name, in capitals, or its bare host."""
    return rng.choice([a["outlet"], a["outlet"].upper(), a["source"].removeprefix("www.")])


def make_copy(kind: str, a: dict, others: list[dict], rng: random.Random) -> tuple[dict, dict]:
    """The original (its date possibly set) and its copy, as records."""
    host, agg = AGGREGATORS[rng.randrange(len(AGGREGATORS))]
    copy = {"id": f"{a['id']}/{kind}", "source": host, "url": f"https://{host}/{a['id']}-{kind}", "published": None}
    orig = dict(a, published=None)
    when = BASE + dt.timedelta(hours=rng.randrange(0, 24 * 7))
    if kind == "aggregator":
        orig["published"] = when
        copy["published"] = when + dt.timedelta(days=rng.randint(1, 3), hours=rng.randrange(0, 12))
        lines = [f"{agg} | Top Stories", f"Posted by {agg} staff", a["text"], *_footer(agg, rng)]
    elif kind == "attributed":
        outlet = _outlet_as_written(a, rng)
        form = rng.randrange(4)
        if form == 0:
            lines = [a["text"], f"Source: {outlet}"]
        elif form == 1:
            lines = [f"Originally published by {outlet}", a["text"]]
        elif form == 2:
            lines = [a["text"], f"This article first appeared on {outlet}."]
        else:
            lines = [a["text"], f"Quelle: {outlet}"]
    elif kind == "excerpt":
        words = a["body"].split()
        shown = rng.choice([a["source"], a["source"].removeprefix("www."), a["url"]])
        cut = rng.uniform(0.5, 0.7)
        lines = [a["title"], " ".join(words[: int(cut * len(words))]) + " …", f"Read the full story at {shown}"]
    elif kind == "wrapped":
        teasers = _teasers(others, rng)
        if rng.random() < 0.5:
            lines = [*_menu(agg, rng), a["text"], *teasers, *_footer(agg, rng)]
        else:
            lines = [*_menu(agg, rng), "Trending", *teasers[1:], a["text"], *_footer(agg, rng)]
    elif kind == "early_scrape":
        orig["published"] = when
        copy["published"] = when - dt.timedelta(days=1)
        lines = [f"{agg} | Top Stories", a["text"], f"Source: {_outlet_as_written(a, rng)}", *_footer(agg, rng)]
    else:
        raise ValueError(kind)
    copy["text"] = "\n".join(lines)
    return orig, copy


def make_update(a: dict, rng: random.Random) -> tuple[dict, dict]:
    when = BASE + dt.timedelta(hours=rng.randrange(0, 24 * 7))
    orig = dict(a, published=when)
    upd = {
        "id": f"{a['id']}/update",
        "source": a["source"],
        "url": a["url"].split("?")[0] + "?updated=1",
        "published": when + dt.timedelta(days=1),
        "text": a["text"] + " UPDATE: This story has been updated with additional reporting.",
    }
    return orig, upd


def build(arts: list[dict], per_kind: int, n_updates: int, seed: int = 15) -> tuple[list[dict], dict, set[str]]:
    rng = random.Random(seed)
    # articles that already have a near duplicate in the corpus (a portal
    # posting one story twice) have no single true original: distractors only
    plain = sorted(arts, key=lambda a: a["id"])
    dup = set(cluster_texts([a["id"] for a in plain], [a["text"] for a in plain]).cluster_of)
    pool = sorted((a for a in arts if a["id"] not in dup), key=lambda a: a["index"])
    others = [a for a in arts if a["id"] in dup]
    rng.shuffle(pool)
    need = per_kind * len(KINDS) + n_updates
    chosen, rest = pool[:need], pool[need:]
    rest = rest + others
    records: dict[str, dict] = {a["id"]: dict(a, published=None) for a in rest}
    pairs: dict[str, tuple[str, str, str, int]] = {}  # copy id -> (kind, original id, copy id, index)
    updaters: set[str] = set()
    for j, a in enumerate(chosen):
        if j < per_kind * len(KINDS):
            kind = KINDS[j % len(KINDS)]
            orig, copy = make_copy(kind, a, rest, rng)
        else:
            kind = "updates"
            orig, copy = make_update(a, rng)
            updaters.add(orig["source"])
        records[orig["id"]] = orig
        records[copy["id"]] = copy
        pairs[copy["id"]] = (kind, orig["id"], copy["id"], a["index"])
    return list(records.values()), pairs, updaters


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", default=DEFAULT_CORPUS)
    ap.add_argument("--per-kind", type=int, default=50)
    ap.add_argument("--updates", type=int, default=50)
    ap.add_argument("--seed", type=int, default=15)
    ap.add_argument(
        "--no-attribution",
        action="store_true",
        help="drop the attribution lines from the copies (what the other evidence alone decides)",
    )
    ap.add_argument(
        "--no-sources",
        action="store_true",
        help="cluster without the articles' sources and URLs (what analyze does until it passes them)",
    )
    args = ap.parse_args()
    arts = load(args.corpus)
    records, pairs, updaters = build(arts, args.per_kind, args.updates, args.seed)
    if args.no_attribution:
        from newsqa.attribution import attributions

        for r in records:
            if r["id"] in pairs:
                drop = {(a.start, a.end) for a in attributions(r["text"]) if a.declares_copy}
                pos, kept = 0, []
                for line in r["text"].split("\n"):
                    if (pos, pos + len(line)) not in drop:
                        kept.append(line)
                    pos += len(line) + 1
                r["text"] = "\n".join(kept)
    records.sort(key=lambda r: r["id"])
    t0 = time.perf_counter()
    args3 = ([r["id"] for r in records], [r["text"] for r in records], [r["published"] for r in records])
    if args.no_sources:
        res = cluster_texts(*args3)
    else:
        try:
            res = cluster_texts(*args3, sources=[r["source"] for r in records], urls=[r["url"] for r in records])
        except TypeError:  # a newsqa before sources and urls were passed (for the "before" figures)
            res = cluster_texts(*args3)
    elapsed = time.perf_counter() - t0
    by_id = {c.id: c for c in res.clusters}
    source = {r["id"]: r["source"] for r in records}
    hits: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    how: dict[str, Counter] = defaultdict(Counter)
    misses: list[str] = []
    for copy_id, (kind, orig_id, _, index) in sorted(pairs.items()):
        half = "dev" if index % 2 == 0 else "held-out"
        cid = res.cluster_of.get(orig_id)
        c = by_id.get(cid) if cid is not None else None
        ok = c is not None and c.representative == orig_id and copy_id in c.members
        if kind == "updates":
            ok = ok and c is not None and c.relation.get(copy_id) == "update"
        hits[(kind, half)][0] += ok
        hits[(kind, half)][1] += 1
        how[kind][getattr(c, "original_by", None) if c is not None else "not clustered"] += 1
        if not ok:
            misses.append(f"{kind} {orig_id}: rep {c.representative if c else '-'} by {getattr(c, 'original_by', '-')}")
    # copies charged to sources that only republish their own stories
    charged = 0
    for c in res.clusters:
        for m in c.members:
            if source[m] in updaters and c.relation.get(m) not in ("original", "update", None):
                if source[c.representative] == source[m]:
                    charged += 1
    print(f"{len(records)} articles ({len(pairs)} pairs), {len(res.clusters)} clusters, clustering {elapsed:.1f} s")
    print()
    print(f"{'kind':<14} {'dev':>10} {'held-out':>10}  decided by")
    tot = {"dev": [0, 0], "held-out": [0, 0]}
    for kind in (*KINDS, "updates"):
        row = []
        for half in ("dev", "held-out"):
            h, n = hits[(kind, half)]
            tot[half][0] += h
            tot[half][1] += n
            row.append(f"{h}/{n}")
        print(f"{kind:<14} {row[0]:>10} {row[1]:>10}  {dict(how[kind])}")
    print(
        f"{'all':<14} {tot['dev'][0]}/{tot['dev'][1]} ({tot['dev'][0] / max(tot['dev'][1], 1):.1%})"
        f"  {tot['held-out'][0]}/{tot['held-out'][1]} ({tot['held-out'][0] / max(tot['held-out'][1], 1):.1%})"
    )
    print(f"copies charged to self-republishing sources (same source as the original): {charged}")
    if misses:
        print("\nmisses:")
        for m in misses[:30]:
            print("  " + m)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
