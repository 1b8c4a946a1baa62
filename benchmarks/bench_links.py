"""Link farms vs citation lists: recall on farms, false alarms on citations.

    python benchmarks/bench_links.py [--n 2000] [--seed 13]

Generates articles (paragraphs of news prose from :data:`SENTENCES`) with
either a **link farm** or a **citation list** inserted, and runs
``spam_links`` on each:

* **Farms**: 4-12 junk-looking domains (two or three junk words joined,
  sometimes with digits, hyphens or a look-alike twin, on cheap suffixes),
  one per line, behind bullets or emoji or nothing, with ``www.``,
  ``https://`` or no prefix, with or without a call to action
  ("👇Follow more👇", "Check out"), mid-article or at the end. A farm is
  found when exactly one flag covers it and its domains are the farm's.
* **Citations**: deep article links on news outlets (known ones and
  invented local ones) after "Sources:", "References", "Quellen:",
  "Fuentes:" or no header; numbered references (``[1] https://…``,
  ``1. https://…``); and ``Sources include: WSJ.com, Bloomberg.com, …``
  (one line or one outlet a line) with the outlets named in the text. A
  citation list is a false alarm when any ``spam_links`` flag is raised.

The generator is deterministic for a seed; ``tests/signals/test_spam_links.py``
runs it on a few hundred articles.
"""

from __future__ import annotations

import argparse
import random
import sys
from dataclasses import dataclass

SENTENCES = (
    "The council voted on Tuesday to extend the bike lanes along the river for another two miles.",
    "Officials said the work would begin in the spring and cost about $4 million.",
    "Residents who spoke at the meeting were divided over the plan.",
    "North Korean leader Kim Jong Un met Russia's defence minister in Pyongyang on Wednesday.",
    "The two sides discussed military cooperation and regional security, state media reported.",
    "Analysts said the visit signalled closer ties between the two countries.",
    "The central bank left interest rates unchanged for the third meeting in a row.",
    "Inflation slowed to 3.2 percent in October, the statistics office said on Friday.",
    "Markets had expected the decision, and shares rose slightly after the announcement.",
    "Heavy rain flooded several villages in the north of the country overnight.",
    "Emergency services evacuated more than 2,000 people, according to local authorities.",
    "Forecasters expect the storm to move east by the weekend.",
    "The company reported a quarterly profit of $1.3 billion, beating analysts' estimates.",
    "Its chief executive said demand for its cloud services remained strong.",
    "The union said its members would strike next month if talks fail.",
    "A spokesperson for the ministry declined to comment on the report.",
    "The study, published in a peer-reviewed journal, followed 12,000 patients for ten years.",
    "Researchers found that the treatment cut the risk of a second heart attack by a fifth.",
    "The findings have not yet been replicated in other countries.",
    "Police said they had arrested two men in connection with the robbery.",
    "The museum will reopen to the public in June after a two-year renovation.",
    "Ticket prices will rise by 10 percent, the operator said.",
    "The team won its fourth match in a row and moved to the top of the table.",
    "Its coach praised the players' discipline but warned against complacency.",
)
OUTLETS_KNOWN = (
    ("Reuters", "reuters.com"), ("Bloomberg", "bloomberg.com"), ("The Wall Street Journal", "wsj.com"),
    ("the BBC", "bbc.co.uk"), ("The Guardian", "theguardian.com"), ("the Associated Press", "apnews.com"),
    ("CNBC", "cnbc.com"), ("The New York Times", "nytimes.com"), ("Der Spiegel", "spiegel.de"),
    ("El País", "elpais.com"), ("NK News", "nknews.org"), ("Yonhap", "yna.co.kr"), ("Nature", "nature.com"),
    ("Politico", "politico.com"), ("the Financial Times", "ft.com"), ("Al Jazeera", "aljazeera.com"),
)
OUTLETS_LOCAL = (
    ("the Riverside Courier", "riversidecourier.com"), ("Citypaper", "citypaper.net"),
    ("the Valley Times", "valley-times.org"), ("Harbour Daily", "harbourdaily.co.uk"),
    ("the Lakeside Herald", "lakesideherald.com"), ("Nordkurier", "nordkurier.de"),
    ("the Policy Institute", "policyinstitute.org"), ("Energy Monitor", "energymonitor.ai"),
)
JUNK_WORDS = (
    "best", "cheap", "top", "casino", "loan", "bd", "forex", "ultra", "sim", "phone", "online", "deal", "shop",
    "pharma", "crypto", "bet", "win", "fx", "fund", "seo", "hub", "link", "traffic", "viral", "trend", "click",
    "dhaka", "promo", "bonus", "slot", "vape", "keto", "pills", "referral", "training", "activation", "food",
    "assist", "money", "earn", "fast", "smm", "likes", "follower", "apk", "mod", "free", "gift", "cash",
)
JUNK_SUFFIXES = ("com", "com", "com", "net", "info", "xyz", "online", "top", "site", "biz", "club", "shop", "in",
                 "co", "org", "com.bd", "live")
BULLETS = ("", "", "👉 ", "✅ ", "🔥", "➡️ ", "• ", "- ", "* ", "★ ", "→ ", "{n}. ", "({n}) ")
FARM_TRIGGERS = ("👇Follow more👇", "👇Comply with extra 👇", "Follow us", "Check out", "Visit:", "Useful links",
                 "Our partners", "👉 Click here 👇", "Sponsored links", "Síguenos", "Folgen Sie uns")
CITATION_HEADERS = ("Sources:", "Sources", "References", "References:", "Quellen:", "Fuentes:", "Further reading:",
                    "Source:", "Einzelnachweise", "Références :", "")
SLUG_WORDS = ("kim", "putin", "summit", "talks", "rates", "inflation", "flood", "storm", "profit", "cloud",
              "strike", "union", "study", "heart", "police", "robbery", "museum", "reopen", "ticket", "league",
              "election", "budget", "ministry", "report", "climate", "energy", "prices")


@dataclass(frozen=True)
class Case:
    text: str
    kind: str  # "farm" | "citation"
    span: tuple[int, int]  # the inserted block
    domains: tuple[str, ...]  # registered domains of a farm


def _article(rng: random.Random, named: tuple[str, ...] = ()) -> list[str]:
    paragraphs = []
    for _ in range(rng.randint(4, 8)):
        paragraphs.append(" ".join(rng.sample(SENTENCES, rng.randint(1, 3))))
    for name in named:
        i = rng.randrange(len(paragraphs))
        paragraphs[i] += f" {rng.choice(('According to', 'As reported by', 'Data from'))} {name}, the figures were revised."
    if rng.random() < 0.3:
        paragraphs.insert(0, "Kim and Putin pledge closer ties")
    return paragraphs


def _junk_domain(rng: random.Random) -> str:
    words = rng.sample(JUNK_WORDS, rng.randint(1, 3))
    sep = "-" if rng.random() < 0.25 else ""
    label = sep.join(words)
    if rng.random() < 0.3:
        label += str(rng.randint(1, 999))
    if len(label) < 5:
        label += rng.choice(JUNK_WORDS)
    return f"{label}.{rng.choice(JUNK_SUFFIXES)}"


def _insert(rng: random.Random, paragraphs: list[str], block: str, at_end: bool) -> tuple[str, tuple[int, int]]:
    k = len(paragraphs) if at_end else rng.randint(1, len(paragraphs) - 1)
    sep = "\n\n" if rng.random() < 0.5 else "\n"
    before = sep.join(paragraphs[:k]) + sep
    after = (sep + sep.join(paragraphs[k:])) if paragraphs[k:] else ""
    return before + block + after, (len(before), len(before) + len(block))


def farm(rng: random.Random) -> Case:
    n = rng.randint(4, 12)
    domains: list[str] = []
    while len(domains) < n:
        d = _junk_domain(rng)
        if rng.random() < 0.2 and domains:  # a look-alike twin
            base = rng.choice(domains)
            label, _, suffix = base.partition(".")
            d = f"{label}{rng.choice(('online', 'bd', 'pro', '24'))}.{suffix}"
        if d not in domains:
            domains.append(d)
    bullet = rng.choice(BULLETS)
    prefix = rng.choice(("", "", "www.", "https://", "http://www.", "https://www."))
    lines = []
    for i, d in enumerate(domains):
        p = prefix if rng.random() < 0.8 else rng.choice(("", "www.", "https://"))
        slash = "/" if p.startswith("http") and rng.random() < 0.3 else ""
        lines.append(bullet.replace("{n}", str(i + 1)) + p + d + slash)
    blank = rng.random() < 0.15
    block = ("\n\n" if blank else "\n").join(lines)
    if rng.random() < 0.6:
        block = rng.choice(FARM_TRIGGERS) + "\n" + block
    text, span = _insert(rng, _article(rng), block, at_end=rng.random() < 0.6)
    return Case(text, "farm", span, tuple(domains))


def _deep_path(rng: random.Random) -> str:
    slug = "-".join(rng.sample(SLUG_WORDS, rng.randint(2, 5)))
    form = rng.randrange(5)
    if form == 0:
        return f"/{rng.randint(2015, 2024)}/{rng.randint(1, 12):02d}/{rng.randint(1, 28):02d}/{slug}/"
    if form == 1:
        return f"/news/world-{rng.choice(('asia', 'europe', 'us'))}-{rng.randint(10_000_000, 99_999_999)}"
    if form == 2:
        return f"/article/{slug}-{rng.getrandbits(40):010x}"
    if form == 3:
        return f"/{rng.choice(('business', 'world', 'politik', 'internacional'))}/{slug}.html"
    return f"/{slug}"


def citation(rng: random.Random) -> Case:
    pool = list(OUTLETS_KNOWN) + list(OUTLETS_LOCAL)
    style = rng.randrange(3)
    k = rng.randint(2, 8)
    chosen = [rng.choice(pool) for _ in range(k)]
    named: tuple[str, ...] = ()
    if style == 0:  # URL list of deep links, maybe under a header
        header = rng.choice(CITATION_HEADERS)
        bullet = rng.choice(("", "", "- ", "• ", "* "))
        prefix = rng.choice(("https://", "https://www.", "http://", "www.", ""))
        lines = [f"{bullet}{prefix}{d}{_deep_path(rng)}" for _, d in chosen]
        if len(lines) < 3 and not header:
            header = "Sources:"
        block = (header + "\n" if header else "") + "\n".join(lines)
    elif style == 1:  # numbered references
        k = max(k, 3)
        chosen = [rng.choice(pool) for _ in range(k)]
        fmt = rng.choice(("[{i}] ", "{i}. ", "({i}) ", "^ "))
        prefix = rng.choice(("https://", "https://www."))
        lines = []
        for i, (name, d) in enumerate(chosen, 1):
            title = rng.choice(("", f"{name.removeprefix('the ').title()}: ", "Report, "))
            lines.append(fmt.format(i=i) + title + prefix + d + _deep_path(rng))
        header = rng.choice(("References", "References:", "Notes", "Quellen", "Fuentes", ""))
        block = (header + "\n" if header else "") + "\n".join(lines)
    else:  # outlets named by domain
        known = rng.sample(OUTLETS_KNOWN, rng.randint(2, 6))
        named = tuple(name for name, _ in known[: rng.randint(0, len(known))])
        written = [d.split(".")[0].upper() + "." + d.split(".", 1)[1] if rng.random() < 0.3 else
                   d.split(".")[0].capitalize() + "." + d.split(".", 1)[1] for _, d in known]
        intro = rng.choice(("Sources include:", "Sources:", "Quellen:", "Fuentes:", "Source:"))
        if rng.random() < 0.5:
            block = f"{intro} " + ", ".join(written)
        else:
            block = intro + "\n" + "\n".join(written)
    text, span = _insert(rng, _article(rng, named), block, at_end=rng.random() < 0.85)
    return Case(text, "citation", span, ())


def generate(n: int, seed: int = 13) -> tuple[list[Case], list[Case]]:
    """``n`` farms and ``n`` citation lists, deterministic for ``seed``."""
    rng = random.Random(seed)
    return [farm(rng) for _ in range(n)], [citation(rng) for _ in range(n)]


def farm_found(case: Case, flags: tuple) -> bool:
    """Exactly one flag covering the farm, with the farm's domains."""
    s, e = case.span
    hits = [f for f in flags if f.start < e and f.end > s]
    if len(hits) != 1 or len(flags) != 1:
        return False
    (f,) = hits
    want = {d.lower() for d in case.domains}
    got = {h.removeprefix("www.") for h in f.extra["domains"]}
    return got == want and s <= f.start and f.end <= e


def rates(n: int, seed: int = 13) -> tuple[float, float, list[Case], list[Case]]:
    """(farm recall, citation false-alarm rate, missed farms, false alarms)."""
    from newsqa.signals.spam_links import spam_links

    farms, cites = generate(n, seed)
    missed = [c for c in farms if not farm_found(c, spam_links(c.text).flags)]
    alarms = [c for c in cites if spam_links(c.text).flags]
    return 1 - len(missed) / n, len(alarms) / n, missed, alarms


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--show", type=int, default=3, help="print this many misses and false alarms")
    args = ap.parse_args(argv)
    recall, false_alarms, missed, alarms = rates(args.n, args.seed)
    print(f"link farms: recall {recall:.4f} ({args.n - len(missed)}/{args.n})")
    print(f"citation lists: false alarms {false_alarms:.4f} ({len(alarms)}/{args.n})")
    for c in missed[: args.show]:
        print("--- missed farm:\n" + c.text[c.span[0] : c.span[1]])
    for c in alarms[: args.show]:
        print("--- false alarm:\n" + c.text[c.span[0] : c.span[1]])
    return 0


if __name__ == "__main__":
    sys.exit(main())
