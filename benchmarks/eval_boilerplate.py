"""Evaluation gate: content-line F1 of ``boilerplate()`` on the held-back sites of boilerplate-dev.

    python benchmarks/eval_boilerplate.py [PAGES_JSONL] [--floor 0.80]

PAGES_JSONL defaults to ``../shared/corpora/boilerplate-dev/pages.jsonl``
(relative to the repository root). The corpus is not shipped (research-use
licences); CI has it, users need not.

The held-back part is every site whose group key hashes into bucket 0 of
:data:`HOLDOUT_BUCKETS` (blake2b of the key, stable across machines and
Python versions); ``scripts/build_boilerplate_model.py`` never trains on
it. A site's group key is its domain; pages without a domain (the L3S set
has no URLs) are joined into one group when they share their first or their
last line (a site's header or footer), by union-find within their dataset.

Scoring: content = positive class, on the labelled lines only, pooled
within each dataset (the corpus README's convention). A line is predicted
content when ``boilerplate(text)`` does not flag it. The script exits with
status 1 when the held-back content-line F1 falls below ``--floor``
(:data:`FLOOR`, pinned a little below the figure measured when the model
was built, see docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_PAGES = REPO / ".." / "shared" / "corpora" / "boilerplate-dev" / "pages.jsonl"
# One site in HOLDOUT_BUCKETS is held back (about 10% of the sites).
HOLDOUT_BUCKETS = 10
# The gate: held-back content-line F1 measured 2026-12-04 minus a margin
# for harmless changes (see docs/benchmarks.md, "Boilerplate").
FLOOR = 0.80


@dataclass
class Page:
    id: str
    dataset: str
    group: str
    text: str
    labels: list[tuple[int, int, bool]]  # (start, end, is_content)
    lang: str = ""


def _norm(line: str) -> str:
    return " ".join("".join("0" if c.isdigit() else c for c in line.casefold()).split())


def load_pages(path: Path) -> list[Page]:
    """All pages of the corpus with their site group keys."""
    pages: list[Page] = []
    with open(path, encoding="utf-8") as f:
        for raw in f:
            d = json.loads(raw)
            labels = [(int(s), int(e), lab == "content") for s, e, lab in d["labels"]]
            group = f"domain:{d['domain']}" if d.get("domain") else ""
            pages.append(Page(d["id"], d["dataset"], group, d["text"], labels))
    _group_without_domain(pages)
    return pages


def _group_without_domain(pages: list[Page]) -> None:
    parent: dict[int, int] = {}

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[tuple[str, str], int] = {}
    todo = [i for i, p in enumerate(pages) if not p.group]
    for i in todo:
        parent[i] = i
    for i in todo:
        lines = [ln for ln in pages[i].text.split("\n") if ln.strip()]
        if not lines:
            continue
        for key in ((pages[i].dataset, "first:" + _norm(lines[0])), (pages[i].dataset, "last:" + _norm(lines[-1]))):
            if key in owner:
                a, b = find(i), find(owner[key])
                if a != b:
                    parent[max(a, b)] = min(a, b)
            else:
                owner[key] = i
    for i in todo:
        pages[i].group = f"site:{pages[i].dataset}:{pages[find(i)].id}"


def bucket(group: str, buckets: int = HOLDOUT_BUCKETS) -> int:
    """Stable bucket of a group key."""
    return int.from_bytes(hashlib.blake2b(group.encode("utf-8"), digest_size=8).digest(), "little") % buckets


def is_holdout(page: Page) -> bool:
    return bucket(page.group) == 0


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, truth: bool, pred: bool) -> None:
        if truth and pred:
            self.tp += 1
        elif pred:
            self.fp += 1
        elif truth:
            self.fn += 1
        else:
            self.tn += 1

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def lines(self) -> int:
        return self.tp + self.fp + self.fn + self.tn


@dataclass
class Table:
    """Counts by dataset and by language, plus the total."""

    by: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))

    def add(self, page: Page, truth: bool, pred: bool) -> None:
        for key in ("all", f"dataset:{page.dataset}", f"lang:{page.lang or '?'}"):
            self.by[key].add(truth, pred)

    def rows(self) -> Iterator[tuple[str, Counts]]:
        yield from sorted(self.by.items(), key=lambda kv: (kv[0] != "all", kv[0]))

    def render(self, title: str) -> str:
        out = [title, f"  {'part':34} {'lines':>7} {'F1':>6} {'P':>6} {'R':>6}"]
        for key, c in self.rows():
            out.append(f"  {key:34} {c.lines:7d} {c.f1:6.3f} {c.precision:6.3f} {c.recall:6.3f}")
        return "\n".join(out)


def language(text: str) -> str:
    """The language ``boilerplate()`` picks for the page (by stop words of its first 300 words)."""
    import re

    try:
        from newsqa.signals.boilerplate import pick_language
    except ImportError:  # an older newsqa, for before/after figures
        return "?"
    return pick_language(re.findall(r"\w+(?:[-'’]\w+)*", text[:20_000].casefold())[:300]) or "?"


def predictions(page: Page) -> dict[int, bool]:
    """Line start -> predicted content, from the installed ``boilerplate()``."""
    from newsqa.signals.boilerplate import boilerplate

    flagged = {f.start for f in boilerplate(page.text).flags}
    return {s: s not in flagged for s, _, _ in page.labels}


C4_ENDINGS = (".", "!", "?", '"', "”", "'")


def c4_rule(page: Page) -> dict[int, bool]:
    """C4's line rule as the corpus README states it: a sentence end and at least 3 words."""
    out = {}
    for s, e, _ in page.labels:
        line = page.text[s:e].rstrip()
        out[s] = line.endswith(C4_ENDINGS) and len(line.split()) >= 3
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("pages", nargs="?", type=Path, default=DEFAULT_PAGES)
    ap.add_argument("--floor", type=float, default=FLOOR)
    ap.add_argument("--all", action="store_true", help="score every page, not only the held-back sites")
    ap.add_argument("--baselines", action="store_true", help="also print keep-all and the C4 rule")
    args = ap.parse_args(argv)
    pages = [p for p in load_pages(args.pages) if args.all or is_holdout(p)]
    table, keep_all, c4 = Table(), Table(), Table()
    for page in pages:
        page.lang = language(page.text)
        pred = predictions(page)
        rule = c4_rule(page)
        for s, _, truth in page.labels:
            table.add(page, truth, pred[s])
            keep_all.add(page, truth, True)
            c4.add(page, truth, rule[s])
    sites = len({p.group for p in pages})
    where = "all" if args.all else "held-back"
    if args.baselines:
        print(keep_all.render(f"keep-all on {len(pages)} pages from {sites} {where} sites"))
        print(c4.render(f"C4 rule on {len(pages)} pages from {sites} {where} sites"))
    print(table.render(f"boilerplate() on {len(pages)} pages from {sites} {where} sites"))
    f1 = table.by["all"].f1
    if f1 < args.floor:
        print(f"FAIL: content-line F1 {f1:.3f} < floor {args.floor:.3f}", file=sys.stderr)
        return 1
    print(f"ok: content-line F1 {f1:.3f} >= floor {args.floor:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
