"""What the HTML report shows, computed once in Python as JSON-ready values.

The page's script only lays these values out: every number, diff, clean
text and highlight boundary is decided here, where it can be tested.
Character offsets handed to the page are UTF-16 code units, the unit of
JavaScript strings (an emoji is one Python character but two units).
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from heapq import heappop, heappush
from itertools import pairwise
from typing import Any

from ..clean import strip_flagged
from ..model import Article, ArticleResult, Cluster, Flag, SourceResult
from ..results import Report
from ..signals.registry import FLAG_KINDS, REMOVED_KINDS
from ._diff import DIFF_MAX_WORDS, diff_words

# Flag kinds the page knows, in legend order: those the signals declare
# (others are shown as "other").
KNOWN_KINDS = FLAG_KINDS
# Statuses of ArticleResult, in overview order.
STATUSES = ("ok", "empty", "error")
# Characters of one article's text embedded in the page; the rest is cut
# and the page says so. 3x the longest article (33,702 characters) of
# BuzzFeed-Webis 2016, so real articles are never cut; a 5 MB page dump is.
MAX_EMBED_CHARS = 100_000
# Members of one cluster diffed against its original. A wire story copied
# by thousands of sites would otherwise put thousands of diffs in the page;
# the first ones (by id) show its variants, the page counts the rest.
MAX_DIFFS_PER_CLUSTER = 100
# Characters of one flag's tooltip (a spam block's domain list can be long).
MAX_TIP_CHARS = 300
# Members listed in a cluster's timeline before "N more".
MAX_TIMELINE_ROWS = 60

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


@dataclass(frozen=True, slots=True)
class PageData:
    """Everything the page shows.

    ``meta`` is parsed when the page opens (small: ids, sources, filters);
    ``bodies`` only when an article or cluster is opened (texts, highlights,
    clean texts, diffs). Both are JSON-ready.
    """

    meta: dict[str, Any]
    bodies: dict[str, Any]
    overview: dict[str, Any]
    sources: list[dict[str, Any]] = field(default_factory=list)
    components: list[str] = field(default_factory=list)


def build(report: Report, records: Iterable[Any] = (), text_budget: int | None = None) -> PageData:
    """The page's data for ``report`` and its input ``records``.

    Args:
        report: The result of :func:`newsqa.analyze`.
        records: The input articles (``Article``, or records with ``id``,
            ``url``, ``published`` and ``text``, which is ``None`` for an
            article listed without its text); ``Unreadable`` records are
            ignored. Without them the page has no texts.
        text_budget: Characters of text the page embeds in all, shown on
            the articles listed without their text.

    Example:
        >>> from newsqa.model import ArticleResult
        >>> from newsqa.results import Report
        >>> data = build(Report((ArticleResult("a", "s"),), (), (), {}, "0"))
        >>> data.meta["articles"][0]["id"], data.overview["articles"]
        ('a', 1)
    """
    texts: dict[str, Article] = {}
    dated: dict[str, Any] = {}
    for r in records:
        if isinstance(getattr(r, "id", None), str) and hasattr(r, "published"):
            dated[r.id] = r
            if isinstance(getattr(r, "text", None), str):
                texts[r.id] = r
    index = {a.id: i for i, a in enumerate(report.articles)}
    source_names = sorted(
        {a.source for a in report.articles} | {s.source for s in report.sources}
    )
    source_index = {s: i for i, s in enumerate(source_names)}
    cluster_index = {c.id: i for i, c in enumerate(report.clusters)}
    kinds = list(KNOWN_KINDS) + sorted(
        {f.kind for a in report.articles for f in a.flags} - set(KNOWN_KINDS)
    )
    kind_index = {k: i for i, k in enumerate(kinds)}

    meta_articles = []
    body_articles = []
    for a in report.articles:
        art = texts.get(a.id)
        meta_articles.append(
            _article_meta(a, dated.get(a.id), source_index, cluster_index, kind_index)
        )
        body = _article_body(a, art, kind_index)
        if art is None and a.id in dated:  # listed without its text: the page's budget was spent
            body["why"] = "budget"
        body_articles.append(body)

    meta_clusters = []
    body_diffs = []
    for c in report.clusters:
        meta_clusters.append(_cluster_meta(c, index, texts, report))
        body_diffs.append(_cluster_diffs(c, texts))

    meta = {
        "version": str(report.newsqa_version),
        "kinds": kinds,
        "sources": source_names,
        "articles": meta_articles,
        "clusters": meta_clusters,
        "max_embed_chars": MAX_EMBED_CHARS,
        "text_budget": text_budget,
    }
    bodies = {"articles": body_articles, "diffs": body_diffs}
    sources, components = _sources(report, source_index, cluster_index)
    return PageData(
        meta=meta,
        bodies=bodies,
        overview=_overview(report, texts, kinds),
        sources=sources,
        components=components,
    )


# --- articles ----------------------------------------------------------------------


def published_of(art: Article | None) -> str | None:
    """The ISO date (and time, when it has one) an article was published."""
    if art is None or art.published is None:
        return None
    p = art.published
    if (p.hour, p.minute, p.second, p.microsecond) == (0, 0, 0, 0) and p.tzinfo is None:
        return p.date().isoformat()
    return p.isoformat()


def _article_meta(
    a: ArticleResult,
    art: Article | None,
    source_index: Mapping[str, int],
    cluster_index: Mapping[str, int],
    kind_index: Mapping[str, int],
) -> dict[str, Any]:
    counts = Counter(kind_index[f.kind] for f in a.flags)
    signals = a.signals if isinstance(a.signals, Mapping) else {}
    language = signals.get("language")
    return {
        "id": a.id,
        "source": source_index[a.source],
        "status": a.status,
        "cluster": cluster_index.get(a.cluster) if a.cluster is not None else None,
        "published": published_of(art),
        "url": art.url if art is not None else None,
        "flags": [[k, counts[k]] for k in sorted(counts)],
        "language": language if isinstance(language, str) else None,
        "n_chars": _total_chars(art) if art is not None else _int(signals.get("n_chars")),
        "error": a.error,
    }


def _total_chars(art: Any) -> int | None:
    """Characters of the article's whole text (a record may carry only the part the page shows)."""
    total = getattr(art, "total_chars", None)
    if isinstance(total, int):
        return total
    text = getattr(art, "text", None)
    return len(text) if isinstance(text, str) else None


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _clipped_flags(flags: Sequence[Flag], n: int) -> list[tuple[int, int, int, Flag]]:
    """(start, end, position, flag) for flags inside ``[0, n)``, clipped."""
    out = []
    for pos, f in enumerate(flags):
        if not isinstance(f.start, int) or not isinstance(f.end, int):
            continue
        start, end = max(f.start, 0), min(f.end, n)
        if start < end:
            out.append((start, end, pos, f))
    return out


def _tip(f: Flag) -> str:
    """The tooltip of a flag: kind, reason and what the kind adds."""
    parts = [f"{f.kind}: {f.reason}"]
    extra = f.extra if isinstance(f.extra, Mapping) else {}
    original = extra.get("original")
    if isinstance(original, str) and original:
        parts.append(
            f"original: \u201c{original}\u201d"
            if f.kind == "spun"
            else f"likely original: {original}"
        )
    domains = extra.get("domains")
    if isinstance(domains, (list, tuple)) and domains:
        parts.append("domains: " + ", ".join(str(d) for d in domains))
    encoding = extra.get("encoding")
    if isinstance(encoding, str) and encoding:
        parts.append(f"decoded as {encoding}")
    if isinstance(f.score, (int, float)) and f.score != 1.0 and math.isfinite(f.score):
        parts.append(f"score {f.score:.2f}")
    tip = "; ".join(parts)
    return tip if len(tip) <= MAX_TIP_CHARS else tip[: MAX_TIP_CHARS - 1] + "\u2026"


def _utf16(text: str) -> Any:
    """A function from character offsets in ``text`` to UTF-16 offsets."""
    astral = [m.start() for m in _ASTRAL.finditer(text)]
    if not astral:
        return lambda i: i
    return lambda i: i + bisect_left(astral, i)


def highlight_segments(
    flags: Sequence[tuple[int, int, int, Flag]],
) -> list[tuple[int, int, int, int]]:
    """Covered stretches ``(start, end, flag, n_covering)`` of a text.

    ``flag`` is the position (in ``flags``) of the shortest flag covering
    the stretch, the most specific one; ``n_covering`` counts all of them.
    A sweep over the boundaries with a heap: ``O(n log n)`` in the flags.

    Example:
        >>> from newsqa.model import Flag
        >>> outer, inner = Flag("boilerplate", 0, 10, "x"), Flag("spun", 2, 4, "y")
        >>> highlight_segments([(0, 10, 0, outer), (2, 4, 1, inner)])
        [(0, 2, 0, 1), (2, 4, 1, 2), (4, 10, 0, 1)]
    """
    if not flags:
        return []
    starts = sorted(range(len(flags)), key=lambda k: (flags[k][0], k))
    bounds = sorted({b for s, e, _, _ in flags for b in (s, e)})
    heap: list[tuple[int, int, int]] = []  # (length, k, end)
    active = 0
    ends: Counter[int] = Counter()
    segs: list[tuple[int, int, int, int]] = []
    nxt = 0
    for x, y in pairwise(bounds):
        active -= ends.pop(x, 0)
        while nxt < len(starts) and flags[starts[nxt]][0] <= x:
            k = starts[nxt]
            s, e = flags[k][0], flags[k][1]
            heappush(heap, (e - s, k, e))
            ends[e] += 1
            active += 1
            nxt += 1
        while heap and heap[0][2] <= x:
            heappop(heap)
        if not heap:
            continue
        k = heap[0][1]
        if segs and segs[-1][1] == x and segs[-1][2] == k and segs[-1][3] == active:
            segs[-1] = (segs[-1][0], y, k, active)
        else:
            segs.append((x, y, k, active))
    return segs


def kept_ranges(text: str, flags: Sequence[Flag]) -> list[tuple[int, int]]:
    """Stretches of ``text`` that :func:`newsqa.clean.strip_flagged` keeps,
    before its mojibake repair: whole lines of boilerplate and spam go.

    Example:
        >>> from newsqa.model import Flag
        >>> t = "Story.\\nRead more\\nEnd."
        >>> [t[a:b] for a, b in kept_ranges(t, [Flag("boilerplate", 7, 16, "read_more")])]
        ['Story.\\n', 'End.']
    """
    breaks = [m.start() for m in re.finditer("\n", text)]
    spans = sorted((f.start, f.end) for f in flags if f.kind in REMOVED_KINDS)
    kept: list[tuple[int, int]] = []
    pos = 0
    for start, end in spans:
        start = max(start, pos)
        if end <= start:
            continue
        k = bisect_left(breaks, start) - 1  # last break before start
        line_start = max(breaks[k] + 1 if k >= 0 else 0, pos)
        k = bisect_left(breaks, end)  # first break at or after end
        line_end = breaks[k] + 1 if k < len(breaks) else len(text)
        if line_start > pos:
            kept.append((pos, line_start))
        pos = max(pos, line_end)
    if pos < len(text):
        kept.append((pos, len(text)))
    if not text.endswith("\n"):
        while kept:
            a, b = kept[-1]
            while b > a and text[b - 1] == "\n":
                b -= 1
            if b > a:
                kept[-1] = (a, b)
                break
            kept.pop()
    return kept


def _article_body(
    a: ArticleResult, art: Article | None, kind_index: Mapping[str, int]
) -> dict[str, Any]:
    if art is None:
        return {"text": None}
    full = art.text
    text = full[:MAX_EMBED_CHARS]
    n = len(text)
    total = _total_chars(art) or len(full)
    to16 = _utf16(text)
    clipped = _clipped_flags(a.flags, n)
    flags = [
        [kind_index[f.kind], f.reason, _tip(f), to16(s), to16(e)]
        for s, e, _, f in clipped
    ]
    segments = [[to16(s), to16(e), k, c] for s, e, k, c in highlight_segments(clipped)]
    body: dict[str, Any] = {
        "text": text,
        "total_chars": total,
        "flags": flags,
        "segments": segments,
        "n_flags_outside": len(a.flags) - len(clipped),
    }
    whole = [
        Flag(f.kind, s, e, f.reason)
        for s, e, _, f in _clipped_flags(a.flags, len(full))
    ]
    clean = strip_flagged(full, whole)
    ranges = kept_ranges(full, whole)
    if "".join(full[x:y] for x, y in ranges) == clean:
        body["clean_ranges"] = [[to16(x), to16(min(y, n))] for x, y in ranges if x < n]
    else:
        body["clean_text"] = clean[:MAX_EMBED_CHARS]
    return body


# --- clusters ----------------------------------------------------------------------


def _timestamp(value: _dt.datetime) -> float:
    if value.tzinfo is None:
        value = value.replace(tzinfo=_dt.timezone.utc)
    return value.timestamp()


def _cluster_meta(
    c: Cluster, index: Mapping[str, int], texts: Mapping[str, Article], report: Report
) -> dict[str, Any]:
    members = []
    sim = c.similarity if isinstance(c.similarity, Mapping) else {}
    rel = c.relation if isinstance(c.relation, Mapping) else {}
    for m in c.members:
        s = sim.get(m)
        relation = rel.get(m) or (
            "original" if m == c.representative else "near_duplicate"
        )
        members.append(
            {
                "id": m,
                "article": index.get(m),
                "similarity": s
                if isinstance(s, (int, float)) and math.isfinite(s)
                else None,
                "relation": relation,
            }
        )
    dated = [
        (texts[m].published, m)
        for m in c.members
        if m in texts and texts[m].published is not None
    ]
    timeline: list[dict[str, Any]] = []
    span = None
    if dated:
        stamps = sorted(
            ((_timestamp(p), m, published_of(texts[m])) for p, m in dated),
            key=lambda x: (x[0], x[1]),
        )
        lo, hi = stamps[0][0], stamps[-1][0]
        for t, m, iso in stamps[:MAX_TIMELINE_ROWS]:
            pos = 50.0 if hi == lo else round(100.0 * (t - lo) / (hi - lo), 2)
            timeline.append(
                {"id": m, "article": index.get(m), "published": iso, "pos": pos}
            )
        span = [stamps[0][2], stamps[-1][2]]
    sources = {report.articles[index[m]].source for m in c.members if m in index}
    return {
        "id": c.id,
        "kind": c.kind,
        "representative": c.representative,
        "original_by": getattr(c, "original_by", None),
        "members": members,
        "timeline": timeline,
        "n_dated": len(dated),
        "span": span,
        "n_sources": len(sources),
    }


def _cluster_diffs(c: Cluster, texts: Mapping[str, Article]) -> list[Any]:
    """One entry per member: ``None`` for the original, else ``{"segments"}``
    or ``{"note"}`` saying why there is no diff."""
    original = texts.get(c.representative)
    n_original = len(original.text.split()) if original is not None else 0
    out: list[Any] = []
    diffed = 0
    for m in c.members:
        if m == c.representative:
            out.append(None)
            continue
        member = texts.get(m)
        if original is None or member is None:
            out.append({"note": "no diff: the text is not in this report"})
        elif diffed >= MAX_DIFFS_PER_CLUSTER:
            out.append(
                {
                    "note": f"no diff: only the first {MAX_DIFFS_PER_CLUSTER} members of a cluster are diffed"
                }
            )
        elif n_original > DIFF_MAX_WORDS or len(member.text.split()) > DIFF_MAX_WORDS:
            out.append({"note": f"no diff: over {DIFF_MAX_WORDS:,} words"})
        else:
            diffed += 1
            out.append({"segments": diff_words(original.text, member.text)})
    return out


# --- sources -----------------------------------------------------------------------


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if math.isfinite(value) else None


def rank_sources(sources: Iterable[SourceResult]) -> list[SourceResult]:
    """Scored sources by score (highest first), then unscored ones by
    article count; ties by name.

    Example:
        >>> from newsqa.model import SourceResult
        >>> ranked = rank_sources([SourceResult("a", 5), SourceResult("b", 1, 0.9), SourceResult("c", 9)])
        >>> [s.source for s in ranked]
        ['b', 'c', 'a']
    """

    def key(s: SourceResult) -> tuple[Any, ...]:
        score = _number(s.score)
        return (score is None, -(score or 0.0), -s.n_articles, s.source)

    return sorted(sources, key=key)


def _sources(
    report: Report, source_index: Mapping[str, int], cluster_index: Mapping[str, int]
) -> tuple[list[dict[str, Any]], list[str]]:
    source_of = {a.id: a.source for a in report.articles}
    copies_of: dict[str, Counter[str]] = {}
    copied_by: dict[str, Counter[str]] = {}
    clusters_of: dict[str, set[int]] = {}
    for c in report.clusters:
        rep_source = source_of.get(c.representative)
        for m in c.members:
            s = source_of.get(m)
            if s is None:
                continue
            clusters_of.setdefault(s, set()).add(cluster_index[c.id])
            if m == c.representative or rep_source is None or c.relation.get(m) == "update":
                continue  # an update is its source's own story, not a copy
            copies_of.setdefault(s, Counter())[rep_source] += 1
            copied_by.setdefault(rep_source, Counter())[s] += 1
    originals = Counter(
        source_of.get(c.representative) for c in report.clusters if len(c.members) > 1
    )
    listed = {s.source for s in report.sources}
    counts = Counter(a.source for a in report.articles)
    rows = list(report.sources) + [
        SourceResult(s, counts[s]) for s in sorted(set(counts) - listed)
    ]
    names = sorted(
        {
            str(k)
            for s in rows
            if isinstance(s.components, Mapping)
            for k in s.components
        }
    )
    out = []
    for s in rank_sources(rows):
        comps = s.components if isinstance(s.components, Mapping) else {}
        parts = [(name, _number(comps.get(name))) for name in names if name in comps]
        out.append(
            {
                "source": s.source,
                "index": source_index.get(s.source),
                "n_articles": s.n_articles,
                "score": _number(s.score),
                "confidence": _number(getattr(s, "confidence", None)),
                "components": [
                    (names.index(n), n, v) for n, v in parts if v is not None
                ],
                "copies_of": _top(copies_of.get(s.source)),
                "copied_by": _top(copied_by.get(s.source)),
                "n_clusters": len(clusters_of.get(s.source, ())),
                "n_originals": originals.get(s.source, 0),
                "n_copies": sum((copies_of.get(s.source) or Counter()).values()),
            }
        )
    return out, names


def _top(counter: Counter[str] | None) -> list[tuple[str, int]]:
    if not counter:
        return []
    return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))


# --- overview ----------------------------------------------------------------------


def _union_length(spans: Iterable[tuple[int, int]]) -> int:
    total = 0
    end = -1
    for s, e in sorted(spans):
        if e <= end:
            continue
        total += e - max(s, end)
        end = e
    return total


def _overview(
    report: Report, texts: Mapping[str, Article], kinds: Sequence[str]
) -> dict[str, Any]:
    status = Counter(a.status for a in report.articles)
    total = boiler = spam = either = 0
    with_kind: Counter[str] = Counter()
    for a in report.articles:
        art = texts.get(a.id)
        signals = a.signals if isinstance(a.signals, Mapping) else {}
        n = (_total_chars(art) or 0) if art is not None else (_int(signals.get("n_chars")) or 0)
        total += n
        spans = [
            (max(f.start, 0), min(f.end, n))
            for f in a.flags
            if isinstance(f.start, int) and isinstance(f.end, int)
        ]
        kinds_here = [f.kind for f in a.flags]
        boiler += _union_length(
            s for s, k in zip(spans, kinds_here) if k == "boilerplate"
        )
        spam += _union_length(s for s, k in zip(spans, kinds_here) if k == "spam_links")
        either += _union_length(
            s for s, k in zip(spans, kinds_here) if k in ("boilerplate", "spam_links")
        )
        for k in set(kinds_here):
            with_kind[k] += 1
    in_clusters = {m for c in report.clusters for m in c.members}
    copies = sum(
        1 for c in report.clusters for m in c.members if m != c.representative and c.relation.get(m) != "update"
    )
    return {
        "articles": len(report.articles),
        "status": {
            s: status.get(s, 0)
            for s in (*STATUSES, *sorted(set(status) - set(STATUSES)))
        },
        "sources": len(
            {a.source for a in report.articles} | {s.source for s in report.sources}
        ),
        "clusters": len(report.clusters),
        "in_clusters": len(in_clusters),
        "copies": copies,
        "chars": total,
        "boilerplate_chars": boiler,
        "spam_chars": spam,
        "flagged_chars": either,
        "with_kind": {k: with_kind.get(k, 0) for k in kinds},
        "by_relation": dict(
            sorted(
                Counter(
                    c.relation.get(m, "")
                    for c in report.clusters
                    for m in c.members
                    if m != c.representative
                ).items()
            )
        ),
    }
