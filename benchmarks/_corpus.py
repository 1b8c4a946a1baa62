"""Corpus helpers shared by the benchmarks (and the test-fixture generator).

Two synthetic corpora are built, deterministically (a seeded
``random.Random``), from real news articles:

* the **edited-copies corpus**: every original article plus, per original,
  the variants listed in :data:`VARIANTS` (an exact copy, a copy with a
  header and footer, a copy missing a sentence or paragraph, a copy with 1%
  of its words replaced, a copy truncated to about 90%, and a copy with
  changed case and whitespace);
* the **containment corpus**: the original articles plus, for some of them,
  an aggregator page that holds the whole article among 40-60% (by words)
  unrelated sentences taken from *other* real articles (a donor pool that is
  not itself part of the corpus), placed before and after it.

Records are dicts ``{"id", "text", "source", "published", "family",
"variant"}`` (copies and pages are dated 1-3 days after their original); ``family`` names the original a record derives from (the
original's own id).  :func:`edited_copies_corpus` and
:func:`containment_corpus` also return the ids of the *distinct* originals,
so that false links between distinct articles can be counted.

Nothing here depends on newsqa: the edit functions work on raw text.  The
exact-Jaccard helpers (:func:`exact_similar_pairs`) take shingle sets built
by the caller.

The real corpus (``/work/shared/corpora/buzzfeed-webis-2016/articles.csv``
by default) is only read by the benchmarks; tests never read it.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

DEFAULT_CORPUS = "/work/shared/corpora/buzzfeed-webis-2016/articles.csv"

VARIANTS = (
    "exact_copy",
    "header_footer",
    "dropped_sentence",
    "replaced_words",
    "truncated",
    "case_whitespace",
)

_WORD_RE = re.compile(r"\S+")
_SENTENCE_SPLIT_RE = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"'\u201d\u2019)]))\s+(?=\S)")
_SIMPLE_TOKEN_RE = re.compile(r"\w+")

_SITES = (
    "The Daily Ledger",
    "NewsWire Now",
    "Capitol Report",
    "Morning Dispatch",
    "Heartland Times",
    "Global Briefing",
    "Metro Post Online",
    "The Civic Herald",
)
_SECTIONS = ("Politics", "World", "US News", "Opinion", "Elections 2016", "Top Stories")
_FOOTERS = (
    "Share this article",
    "Share on Facebook | Share on Twitter | Email",
    "Read more at {domain}",
    "Follow us on Twitter @{handle}",
    "\u00a9 2016 {site}. All rights reserved.",
    "Like this story? Sign up for our daily newsletter.",
    "Comments are closed.",
)


# --------------------------------------------------------------------------
# Loading


@dataclass(frozen=True)
class Article:
    id: str
    text: str
    source: str
    published: str


def load_articles(path: str = DEFAULT_CORPUS, *, include_empty: bool = False) -> list[Article]:
    """Read the BuzzFeed-Webis corpus CSV (``mainText`` column).

    ``keep_default_na=False`` keeps empty texts as ``""``; they are dropped
    unless ``include_empty``.
    """
    import pandas as pd  # local import: the fixture script does not need pandas

    df = pd.read_csv(path, keep_default_na=False)
    out = []
    for i, row in enumerate(df.itertuples(index=False)):
        text = str(row.mainText)
        if not include_empty and not text.strip():
            continue
        ident = str(getattr(row, "xml", "") or i).removesuffix(".xml")
        out.append(Article(id=f"a{ident}", text=text, source=str(getattr(row, "portal", "")),
                           published=_date_for(i)))
    return out


def load_texts(path: str = DEFAULT_CORPUS) -> list[str]:
    """Non-empty article texts, in corpus order."""
    return [a.text for a in load_articles(path)]


def _date_for(i: int) -> str:
    # The corpus covers 19-27 September 2016; dates only need to be plausible.
    return f"2016-09-{19 + i % 9:02d}"


def _norm_key(text: str) -> str:
    return " ".join(_SIMPLE_TOKEN_RE.findall(text.casefold()))


def distinct_articles(articles: Sequence[Article], *, min_words: int = 50) -> list[Article]:
    """Originals usable for the synthetic corpora.

    Drops articles shorter than ``min_words`` whitespace words (a 5-word
    teaser has one 5-gram; any edit makes it a different document) and
    exact duplicates after case/punctuation/whitespace normalisation (the
    real corpus holds 47 duplicated texts).  Near-duplicates *among* real
    articles are kept; the benchmarks account for them with exact Jaccard.
    """
    seen: set[str] = set()
    out = []
    for a in articles:
        if len(a.text.split()) < min_words:
            continue
        key = _norm_key(a.text)
        if key in seen:
            continue
        seen.add(key)
        out.append(a)
    return out


# --------------------------------------------------------------------------
# Edit functions (raw text in, raw text out)


def split_sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE_SPLIT_RE.split(text.strip()) if s]


def split_paragraphs(text: str) -> list[str]:
    return [p for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]


def add_header_footer(text: str, rng: random.Random) -> str:
    """A site/section header line and 2-3 footer lines."""
    site = rng.choice(_SITES)
    domain = re.sub(r"[^a-z]", "", site.lower()) + ".com"
    handle = re.sub(r"[^A-Za-z]", "", site)
    header = f"{site} | {rng.choice(_SECTIONS)}"
    footers = rng.sample(_FOOTERS, rng.randint(2, 3))
    footer = "\n".join(f.format(site=site, domain=domain, handle=handle) for f in footers)
    return f"{header}\n\n{text.strip()}\n\n{footer}\n"


def drop_sentence(text: str, rng: random.Random, which: str = "random") -> str:
    """Drop one paragraph (if the text has >= 4) or else one sentence.

    The first unit is never dropped (it is the lede a copier keeps).
    ``which="random"`` picks the unit at random, ``"shortest"`` drops the
    shortest one (keeps short fixture texts clearly above a 0.8 Jaccard).
    """
    def pick(units):
        if which == "shortest":
            return min(range(1, len(units)), key=lambda k: (len(units[k].split()), k))
        return rng.randrange(1, len(units))

    paras = split_paragraphs(text)
    if len(paras) >= 4:
        k = pick(paras)
        return "\n\n".join(paras[:k] + paras[k + 1 :])
    sents = split_sentences(text)
    if len(sents) < 2:
        # One long sentence: drop its last tenth of words instead.
        words = text.split()
        return " ".join(words[: max(1, len(words) - max(1, len(words) // 10))])
    k = pick(sents)
    return " ".join(sents[:k] + sents[k + 1 :])


def replace_words(text: str, rng: random.Random, vocabulary: Sequence[str], rate: float = 0.01) -> str:
    """Replace ``rate`` of the words (at least one) by random corpus words."""
    spans = [m.span() for m in _WORD_RE.finditer(text)]
    if not spans:
        return text
    n = max(1, round(rate * len(spans)))
    chosen = sorted(rng.sample(range(len(spans)), min(n, len(spans))))
    out, last = [], 0
    for k in chosen:
        s, e = spans[k]
        old = text[s:e]
        new = rng.choice(vocabulary)
        for _ in range(10):  # make sure the word really changes
            if new.casefold() != old.casefold():
                break
            new = rng.choice(vocabulary)
        out.append(text[last:s])
        out.append(new)
        last = e
    out.append(text[last:])
    return "".join(out)


def truncate(text: str, rng: random.Random, fraction: float = 0.9) -> str:
    """Keep the first ~``fraction`` of the words (jittered by +-2 points)."""
    spans = [m.span() for m in _WORD_RE.finditer(text)]
    if not spans:
        return text
    f = fraction + rng.uniform(-0.02, 0.02)
    keep = max(1, min(len(spans), round(f * len(spans))))
    return text[: spans[keep - 1][1]]


def change_case_whitespace(text: str, rng: random.Random) -> str:
    """Case and whitespace changes that leave the normalised tokens alone.

    One of: all upper case, Title Case, or ~10% of words upper-cased; then
    whitespace: sentences on their own lines, doubled spaces, tabs and
    no-break spaces (NFKC maps U+00A0 to a space), leading/trailing blanks.
    """
    mode = rng.choice(("upper", "title", "some_upper"))
    if mode == "upper":
        text = text.upper()
    elif mode == "title":
        text = " ".join(w[:1].upper() + w[1:].lower() for w in text.split(" "))
    else:
        text = _WORD_RE.sub(lambda m: m.group(0).upper() if rng.random() < 0.1 else m.group(0), text)
    sents = split_sentences(text)
    seps = ("\n", "  ", "\n\n", " \t", "\u00a0 ", " ")
    pieces = [sents[0]] if sents else [text]
    for s in sents[1:]:
        pieces.append(rng.choice(seps))
        s = re.sub(r" ", lambda m: rng.choice((" ", " ", " ", "  ", "\u00a0")), s)
        pieces.append(s)
    return "  \n" + "".join(pieces) + " \n\t"


def make_variant(kind: str, text: str, rng: random.Random, vocabulary: Sequence[str], *,
                 drop: str = "random") -> str:
    if kind == "exact_copy":
        return text
    if kind == "header_footer":
        return add_header_footer(text, rng)
    if kind == "dropped_sentence":
        return drop_sentence(text, rng, drop)
    if kind == "replaced_words":
        return replace_words(text, rng, vocabulary)
    if kind == "truncated":
        return truncate(text, rng)
    if kind == "case_whitespace":
        return change_case_whitespace(text, rng)
    raise ValueError(f"unknown variant {kind!r}")


def build_vocabulary(texts: Iterable[str], *, max_words: int = 50_000, min_len: int = 3) -> list[str]:
    """Distinct alphabetic corpus words (deterministic order)."""
    vocab: dict[str, None] = {}
    for t in texts:
        for w in _WORD_RE.findall(t):
            if len(w) >= min_len and w.isalpha():
                vocab.setdefault(w, None)
                if len(vocab) >= max_words:
                    return list(vocab)
    return list(vocab)


def later_date(published: str, rng: random.Random, max_days: int = 3) -> str:
    """An ISO date 1..``max_days`` days after ``published`` (copies appear later)."""
    import datetime as _dt

    return (_dt.date.fromisoformat(published[:10]) + _dt.timedelta(days=rng.randint(1, max_days))).isoformat()


def _copy_source(rng: random.Random) -> str:
    return re.sub(r"[^a-z]", "", rng.choice(_SITES).lower())


# --------------------------------------------------------------------------
# Corpora


def edited_copies_corpus(
    originals: Sequence[Article],
    *,
    n: int | None = None,
    seed: int = 2016,
    variants: Sequence[str] = VARIANTS,
    vocabulary: Sequence[str] | None = None,
    drop: str = "random",
) -> tuple[list[dict], list[str]]:
    """Originals plus edited copies.

    Returns ``(records, distinct_ids)``: records of the first ``n`` originals
    (all if ``None``) each followed by its variants, and the ids of the
    originals (the distinct articles).
    """
    rng = random.Random(seed)
    originals = list(originals)[: n if n is not None else len(originals)]
    if vocabulary is None:
        vocabulary = build_vocabulary(a.text for a in originals)
    records: list[dict] = []
    for a in originals:
        records.append(dict(id=a.id, text=a.text, source=a.source, published=a.published,
                            family=a.id, variant="original"))
        for kind in variants:
            records.append(dict(
                id=f"{a.id}/{kind}",
                text=make_variant(kind, a.text, rng, vocabulary, drop=drop),
                source=_copy_source(rng),
                published=later_date(a.published, rng),
                family=a.id,
                variant=kind,
            ))
    return records, [a.id for a in originals]


def aggregator_page(
    article_text: str,
    filler_sentences: Sequence[str],
    rng: random.Random,
    *,
    filler_share: tuple[float, float] = (0.4, 0.6),
) -> str:
    """The whole article among unrelated sentences, before and after it.

    ``filler_share`` is the share of the page's words that is filler.
    """
    art_words = len(article_text.split())
    share = rng.uniform(*filler_share)
    target = round(art_words * share / (1.0 - share))
    filler: list[str] = []
    got = 0
    while got < target:
        words = rng.choice(filler_sentences).split()
        if got + len(words) > target:  # trim the last sentence to keep the share exact
            words = words[: target - got]
        filler.append(" ".join(words))
        got += len(words)
    cut = rng.randint(1, max(1, len(filler) - 1)) if len(filler) > 1 else rng.randint(0, 1)
    before, after = filler[:cut], filler[cut:]
    parts = []
    if before:
        parts.append(" ".join(before))
    parts.append(article_text.strip())
    if after:
        parts.append(" ".join(after))
    return "\n\n".join(parts)


def containment_corpus(
    originals: Sequence[Article],
    *,
    n_pages: int | None = None,
    donor_fraction: float = 0.25,
    seed: int = 4242,
    filler_share: tuple[float, float] = (0.4, 0.6),
) -> tuple[list[dict], list[str], dict]:
    """Originals plus aggregator pages.

    The originals are split (seeded shuffle) into a donor pool
    (``donor_fraction``), whose sentences are the filler and which is *not*
    part of the corpus, and the corpus articles.  One aggregator page is
    made for each of the first ``n_pages`` corpus articles (all if None).

    Returns ``(records, distinct_ids, info)``; pages have
    ``variant == "aggregator"`` and ``family`` = their original's id.
    """
    rng = random.Random(seed)
    order = list(originals)
    rng.shuffle(order)
    n_donor = max(1, round(donor_fraction * len(order)))
    donors, corpus = order[:n_donor], order[n_donor:]
    filler = [s for a in donors for s in split_sentences(a.text) if len(s.split()) >= 4]
    records = [dict(id=a.id, text=a.text, source=a.source, published=a.published,
                    family=a.id, variant="original") for a in corpus]
    targets = corpus if n_pages is None else corpus[:n_pages]
    shares = []
    for a in targets:
        page = aggregator_page(a.text, filler, rng, filler_share=filler_share)
        shares.append(1.0 - len(a.text.split()) / len(page.split()))
        records.append(dict(id=f"{a.id}/aggregator", text=page, source=_copy_source(rng),
                            published=later_date(a.published, rng), family=a.id, variant="aggregator"))
    info = dict(n_donors=len(donors), n_filler_sentences=len(filler),
                filler_share_min=min(shares, default=0.0), filler_share_max=max(shares, default=0.0),
                filler_share_mean=sum(shares) / len(shares) if shares else 0.0)
    return records, [a.id for a in corpus], info


# --------------------------------------------------------------------------
# Exact similarity helpers


class UnionFind:
    def __init__(self, n: int):
        self.parent = list(range(n))

    def find(self, x: int) -> int:
        p = self.parent
        while p[x] != x:
            p[x] = p[p[x]]
            x = p[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)

    def labels(self) -> list[int]:
        return [self.find(i) for i in range(len(self.parent))]


def _incidence(sets: Sequence[set]):
    import numpy as np
    import scipy.sparse as sp

    ids: dict = {}
    rows, cols = [], []
    for i, s in enumerate(sets):
        for x in s:
            rows.append(i)
            cols.append(ids.setdefault(x, len(ids)))
    data = np.ones(len(rows), dtype=np.int32)
    return sp.csr_matrix((data, (rows, cols)), shape=(len(sets), max(1, len(ids))), dtype=np.int32)


def exact_similar_pairs(
    sets: Sequence[set],
    *,
    jaccard: float | None = 0.8,
    containment: float | None = None,
    min_size: int = 1,
    chunk: int = 2000,
) -> dict[tuple[int, int], tuple[float, float]]:
    """All pairs ``i < j`` with exact Jaccard >= ``jaccard`` or containment
    (``|A & B| / min(|A|, |B|)``) >= ``containment``.

    Sparse incidence-matrix product (scipy), chunked by rows; exact.
    Returns ``{(i, j): (jaccard, containment)}``.  Sets smaller than
    ``min_size`` are ignored.
    """
    import numpy as np

    m = _incidence(sets)
    size = np.asarray(m.sum(axis=1)).ravel()
    mt = m.T.tocsr()
    out: dict[tuple[int, int], tuple[float, float]] = {}
    for start in range(0, m.shape[0], chunk):
        prod = (m[start : start + chunk] @ mt).tocoo()
        r = prod.row + start
        c = prod.col
        inter = prod.data.astype(np.float64)
        keep = (r < c) & (size[r] >= min_size) & (size[c] >= min_size)
        r, c, inter = r[keep], c[keep], inter[keep]
        jac = inter / (size[r] + size[c] - inter)
        con = inter / np.minimum(size[r], size[c])
        sel = np.zeros(len(r), dtype=bool)
        if jaccard is not None:
            sel |= jac >= jaccard
        if containment is not None:
            sel |= con >= containment
        for i, j, a, b in zip(r[sel].tolist(), c[sel].tolist(), jac[sel].tolist(), con[sel].tolist()):
            out[(i, j)] = (a, b)
    return out


def jaccard(a: set, b: set) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def components(n: int, pairs: Iterable[tuple[int, int]]) -> list[int]:
    uf = UnionFind(n)
    for i, j in pairs:
        uf.union(i, j)
    return uf.labels()


def co_cluster_pairs(labels: Sequence) -> set[tuple[int, int]]:
    """Pairs ``i < j`` with the same label (label ``None`` = unclustered)."""
    groups: dict = {}
    for i, lab in enumerate(labels):
        if lab is not None:
            groups.setdefault(lab, []).append(i)
    out = set()
    for members in groups.values():
        members.sort()
        for x in range(len(members)):
            for y in range(x + 1, len(members)):
                out.add((members[x], members[y]))
    return out
