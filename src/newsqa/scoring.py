"""Explainable per-source quality scores.

Every source gets a ``score`` from 0 to 100, its ``components`` (name ->
points, summing to the score), ``n_articles`` and a ``confidence`` from 0
to 1. The score says how a publisher's pages look *as text*: whether it
publishes its own stories or copies (and spins) others', whether it
attributes and quotes, or addresses, shouts at and sells to its readers,
and how clean its pages are. It cannot say whether what the source reports
is true (see ``docs/scoring.md`` for what text can and cannot speak to).

How a score is made, in three steps:

1. **Per-article statistics** (:func:`article_stats`): integer counts from
   each article's signals and its cluster relation (words, attributions,
   quotes, bait devices, spam blocks, thousandths of an originality or
   spun value...). Integers, so that their sums are exact.
2. **Per-source sums** (:func:`source_stats`, :func:`merge_stats`): the
   statistics of a source's articles added up. A sum does not depend on
   the order of the articles nor on how the corpus is split into parts:
   the Ray engine adds the partial sums of its workers and gets the same
   totals, hence the same scores. ``SourceResult.stats`` holds them.
3. **Scores from sums** (:func:`score_stats`): each component's measured
   value (0 = worst, 1 = best) is shrunk toward a neutral prior as if the
   source had :data:`PRIOR_ARTICLES` more articles of typical value
   (Bayesian shrinkage with pseudo-counts), then multiplied by the
   component's weight (the weights sum to 100). So a source with one
   clean article stays near the prior score and the confidence,
   ``n / (n + PRIOR_ARTICLES)``, is low. Hard findings (a spam link
   block, text spun at full strength, a spun or unattributed copy of
   another source's story) are not a matter of style: they count at face
   value, in proportion to the articles that carry them, and only the rest
   is shrunk (:func:`_value`), so one spun copy ending in a link farm is
   enough for the bottom band.

The components, their weights and why are in :data:`COMPONENTS` and in
``docs/scoring.md``. :func:`explain_source` shows, for one source, each
component's points, its measured value and the evidence behind it.

>>> import newsqa
>>> report = newsqa.analyze([
...     newsqa.Article("a", '"We will respond," the spokesman said on Tuesday, according to Reuters.', "wire.example"),
...     newsqa.Article("b", "You won't BELIEVE this!!! Share if you agree!", "bait.example"),
... ])
>>> [(s.source, s.score > 50, s.confidence) for s in report.sources]
[('bait.example', True, 0.2), ('wire.example', True, 0.2)]
>>> report.sources[1].score > report.sources[0].score
True
>>> round(sum(report.sources[0].components.values()), 2) == report.sources[0].score
True
"""

from __future__ import annotations

import difflib
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from .errors import InputError
from .model import ArticleResult, Cluster, SourceResult
from .results import Report
from .signals.practice import SIGNAL_NAMES as PRACTICE_SIGNALS

__all__ = [
    "COMPONENTS",
    "PRIOR_ARTICLES",
    "Component",
    "ComponentExplanation",
    "SourceExplanation",
    "article_stats",
    "explain_source",
    "merge_stats",
    "prior_score",
    "score_report",
    "score_sources",
    "score_stats",
    "source_stats",
]


@dataclass(frozen=True, slots=True)
class Component:
    """One part of the score.

    Attributes:
        name: The key in ``SourceResult.components``.
        weight: Points at stake (all weights sum to 100).
        prior: The value (0..1) assumed for a source before any of its
            articles is seen: a typical source.
        what: What it measures, in one line; the value is 1 for the best
            case, 0 for the worst.
    """

    name: str
    weight: float
    prior: float
    what: str


#: Articles shorter than this many words are thin: a wire brief runs
#: 150-300 words; below that a page holds a teaser, a caption or an embed.
THIN_WORDS = 150

# Weights. They follow what text can show of NewsGuard's criteria (see
# docs/scoring.md): sourcing and bait speak to "gathers and presents
# information responsibly" (18), "news vs opinion" (12.5) and "deceptive
# headlines" (10) and are measured on every article, so they carry the
# most; copying and spinning are the plagiarism side of "gathers
# responsibly"; spam links are unlabelled advertising (7.5); boilerplate,
# encoding, readability and language are production hygiene, which no
# criterion names, so they carry little. Chosen before looking at any
# labelled data; benchmarks/bench_scoring.py checks them.
#
# Priors: the value of a typical source, what a source is assumed to look
# like before any of its articles is seen. Sourcing and bait are 0.5 by
# construction (their half rates below are typical rates). Hygiene problems
# are the exception (on the development corpus every portal measures 0.97+
# on spam, spun text, thin content, boilerplate and readability), so a
# source we know nothing about is assumed mostly clean, 0.9-0.95, but not
# perfect, so that clean articles still earn something.
COMPONENTS: tuple[Component, ...] = (
    Component(
        "originality",
        12.0,
        0.9,
        "publishes its own stories rather than copies; spun copies worst",
    ),
    Component(
        "sourcing",
        26.0,
        0.5,
        "attributions, attributed quotes, named sources, numbers and dates",
    ),
    Component(
        "bait",
        26.0,
        0.5,
        "absence of first/second person, !, ?, shouting, promos, loaded words",
    ),
    Component("spun_text", 10.0, 0.95, "absence of synonym-spun text, by strength"),
    Component("spam_links", 8.0, 0.95, "share of articles without a spam link block"),
    Component("thin_content", 6.0, 0.9, f"share of articles of {THIN_WORDS}+ words"),
    Component(
        "boilerplate", 4.0, 0.9, "share of page text that is article, not boilerplate"
    ),
    Component("encoding", 4.0, 0.95, "share of articles without mojibake"),
    Component("readability", 2.0, 0.95, "Flesch reading ease within a sane band"),
    Component("language", 2.0, 0.95, "share of articles in the source's main language"),
)
_BY_NAME = {c.name: c for c in COMPONENTS}

#: Pseudo-articles of prior weight: each component's value is
#: ``(n * measured + PRIOR_ARTICLES * prior) / (n + PRIOR_ARTICLES)``. With
#: four, one article moves each component at most a fifth of the way from
#: its prior, so a single article shifts the score by at most about six
#: points up and fourteen down (never to an extreme), and a source's own
#: evidence outweighs the prior from five articles on. The empirical-Bayes
#: value on the development corpus (within-portal over between-portal
#: variance of the article values, benchmarks/bench_scoring.py) is about 1,
#: but its nine portals were picked as extremes (mainstream against
#: hyperpartisan); a general population of sources is less spread, which
#: calls for more shrinkage, not less. Rankings there are the same for any
#: value from 1 to 16.
PRIOR_ARTICLES = 4

# Originality of one article (0..1). An attributed copy ("Source: Ambito",
# a syndicated wire story) is legitimate but adds no reporting; an
# unattributed one passes another's story off as the source's own; a spun
# copy disguises that it is a copy (plagiarism, worst).
ORIGINAL_VALUE = 1.0
ATTRIBUTED_COPY_VALUE = 0.7
UNATTRIBUTED_COPY_VALUE = 0.3
SPUN_COPY_VALUE = 0.0

#: Sourcing items and their half rates, per 1,000 words: the rate at which
#: an item contributes 0.5 (value r / (r + half)). Typical of a wire story:
#: a 500-word report attributes about five statements, quotes two people
#: with attribution, names one person with a role, and gives seven or eight
#: numbers and dates.
SOURCING_HALF: Mapping[str, float] = MappingProxyType(
    {
        "attributions": 10.0,
        "attributed_quotes": 4.0,
        "named_sources": 2.0,
        "specifics": 15.0,
    }
)
#: Bait items and their half rates, per 1,000 words (value half / (r + half)):
#: one first- or second-person address or question per 500 words, one
#: exclamation, shouted word, promo phrase, loaded word or emoji per 1,000.
BAIT_HALF: Mapping[str, float] = MappingProxyType(
    {
        "first_person": 2.0,
        "second_person": 2.0,
        "questions": 2.0,
        "exclamations": 1.0,
        "shouting": 1.0,
        "promo_phrases": 1.0,
        "loaded_words": 1.0,
        "emoji": 1.0,
    }
)
#: Headline bait is counted per article (devices in the first line): half
#: at one device every other headline.
HEADLINE_BAIT_HALF = 0.5

#: Spun text: an article's spun_score (spinner weights per 1,000 tokens)
#: at or above this value counts fully; newsqa calls a text spun at 8
#: (signals/spun.py), seed 003 scores 99. Below it the penalty is
#: proportional ("how strongly").
SPUN_SCORE_FULL = 40.0
#: Boilerplate: a page that is half boilerplate gets 0.
BOILERPLATE_SHARE_ZERO = 0.5
#: Readability: Flesch reading ease from 20 (college graduate) to 80 (easy)
#: covers written news (newspapers aim at 50-70); outside the band the
#: value falls linearly to 0 at READABILITY_FALLOFF points beyond it
#: (lists, run-ons and machine text fall out; a grade-school text as well).
READABILITY_BAND = (20.0, 80.0)
READABILITY_FALLOFF = 20.0

# Decimal places of the reported points, score and confidence.
POINT_DIGITS = 2
CONFIDENCE_DIGITS = 3
_MILLI = 1000

#: The practice signal's counts summed per source: all of them except the
#: word count (the denominator, summed apart as ``words``) and the plain
#: quote count (no component uses it; SOURCING_HALF counts attributed quotes).
_PRACTICE_COUNTS = tuple(name for name in PRACTICE_SIGNALS if name not in ("practice_words", "quotes"))


# --------------------------------------------------------------------------
# 1. per-article statistics


def article_stats(result: ArticleResult, relation: str | None = None) -> dict[str, int]:
    """Integer statistics of one article, to be summed per source.

    Args:
        result: The article's result (its signals and status).
        relation: Its relation in its near-duplicate cluster (``original``,
            ``exact``, ``near_duplicate``, ``containment``, ``spun_copy``,
            ``update``), or ``None`` when it is in no cluster. An update
            of the source's own story costs no originality.

    Returns:
        Counts by name; only non-zero counts are present. ``articles`` is 1
        for every article, ``readable`` for every article that is not an
        error; the ``*_n`` keys count the articles that gave evidence for a
        component; values in thousandths end in ``_milli``.

    Example:
        >>> r = ArticleResult("a", "s", signals={"spam_link_blocks": 1, "mojibake_spans": 0})
        >>> article_stats(r)
        {'articles': 1, 'readable': 1, 'originality_n': 1, 'originality_milli': 1000, 'spam_n': 1, 'spam_hits': 1, 'encoding_n': 1}
    """
    s: dict[str, int] = {"articles": 1}
    if result.status == "error":
        return s
    s["readable"] = 1
    sig = result.signals
    outlet = sig.get("attributed_outlet")
    spun_score = sig.get("spun_score")
    spun_hard = spun_score is not None and float(spun_score) >= SPUN_SCORE_FULL
    if result.status == "ok":
        s["originality_n"] = 1
        hard = False
        if relation is None or relation in ("original", "update"):
            if relation == "original":
                s["originals"] = 1
            elif relation == "update":
                s["updates"] = 1
            value = ORIGINAL_VALUE
            if spun_hard:
                # text spun at full strength: a disguised copy of a story
                # that is not in the corpus
                s["spun_uncopied"] = 1
                value, hard = SPUN_COPY_VALUE, True
            elif outlet:
                s["declared_copies"] = 1
                value = ATTRIBUTED_COPY_VALUE
        else:
            s[f"copies_{relation}"] = 1
            if relation == "spun_copy":
                value, hard = SPUN_COPY_VALUE, True
            elif outlet:
                s["attributed_copies"] = 1
                value = ATTRIBUTED_COPY_VALUE
            else:
                value, hard = UNATTRIBUTED_COPY_VALUE, True
        s["originality_milli"] = _milli(value)
        if hard:
            s["originality_hard"] = 1
            s["originality_hard_milli"] = _milli(value)
    words = sig.get("practice_words")
    if isinstance(words, int):
        s["thin_n"] = 1
        if words < THIN_WORDS or result.status == "empty":
            s["thin_hits"] = 1
        if words > 0:
            s["practice_n"] = 1
            s["words"] = words
            for key in _PRACTICE_COUNTS:
                s[key] = int(sig.get(key) or 0)
            # a citation list (spam_links tells it from a link farm) cites its
            # sources: each listed article counts as an attribution
            s["attributions"] += int(sig.get("reference_links") or 0)
    elif result.status == "empty":
        s["thin_n"] = 1
        s["thin_hits"] = 1
    if spun_score is not None:
        s["spun_n"] = 1
        if sig.get("spun"):
            s["spun_flagged"] = 1
        if spun_hard:
            s["spun_hard"] = 1
        s["spun_milli"] = _milli(1.0 - min(1.0, float(spun_score) / SPUN_SCORE_FULL))
    if sig.get("spam_link_blocks") is not None:
        s["spam_n"] = 1
        if sig["spam_link_blocks"]:
            s["spam_hits"] = 1
    share = sig.get("boilerplate_share")
    if share is not None:
        s["boilerplate_n"] = 1
        s["boilerplate_milli"] = _milli(
            1.0 - min(1.0, float(share) / BOILERPLATE_SHARE_ZERO)
        )
    if sig.get("mojibake_spans") is not None:
        s["encoding_n"] = 1
        if sig["mojibake_spans"]:
            s["encoding_hits"] = 1
    fre = sig.get("flesch_reading_ease")
    if fre is not None:
        s["readability_n"] = 1
        s["readability_milli"] = _milli(_band_value(float(fre)))
    lang = sig.get("language")
    if lang:
        s["language_n"] = 1
        s[f"lang_{lang}"] = 1
    return {k: v for k, v in s.items() if v}


def _milli(value: float) -> int:
    return round(_clip(value) * _MILLI)


def _clip(value: float) -> float:
    if math.isnan(value):
        return 0.0
    return min(1.0, max(0.0, value))


def _band_value(fre: float) -> float:
    lo, hi = READABILITY_BAND
    if fre < lo:
        return 1.0 - (lo - fre) / READABILITY_FALLOFF
    if fre > hi:
        return 1.0 - (fre - hi) / READABILITY_FALLOFF
    return 1.0


# --------------------------------------------------------------------------
# 2. per-source sums


def _relations(clusters: Iterable[Cluster]) -> dict[str, str]:
    out: dict[str, str] = {}
    for c in clusters:
        for m in c.members:
            out[m] = c.relation.get(
                m, "original" if m == c.representative else "near_duplicate"
            )
    return out


def source_stats(
    articles: Iterable[ArticleResult], clusters: Iterable[Cluster] = ()
) -> dict[str, Counter[str]]:
    """Per-source sums of :func:`article_stats`.

    ``clusters`` are the corpus's clusters (they give each article's
    relation); the articles may be any part of the corpus: the sums of the
    parts, added with :func:`merge_stats`, equal the sums of the whole.

    Example:
        >>> rs = [ArticleResult("a", "s", signals={"spam_link_blocks": 1}),
        ...       ArticleResult("b", "s", signals={"spam_link_blocks": 0})]
        >>> source_stats(rs)["s"]["spam_hits"], source_stats(rs)["s"]["spam_n"]
        (1, 2)
    """
    relation = _relations(clusters)
    sums: dict[str, Counter[str]] = defaultdict(Counter)
    for a in articles:
        sums[a.source].update(article_stats(a, relation.get(a.id)))
    return dict(sums)


def merge_stats(*parts: Mapping[str, Mapping[str, int]]) -> dict[str, Counter[str]]:
    """Add per-source sums of several parts of a corpus (e.g. Ray workers).

    Example:
        >>> merge_stats({"s": {"articles": 2}}, {"s": {"articles": 1}, "t": {"articles": 1}})
        {'s': Counter({'articles': 3}), 't': Counter({'articles': 1})}
    """
    out: dict[str, Counter[str]] = defaultdict(Counter)
    for part in parts:
        for source, stats in part.items():
            out[source].update(stats)
    return dict(out)


# --------------------------------------------------------------------------
# 3. scores from sums


@dataclass(frozen=True, slots=True)
class _Measured:
    """A component's measured value (None without evidence), evidence size, detail."""

    value: float | None
    n: int
    detail: str
    hard_n: int = 0  # articles with a hard finding (taken at face value, not shrunk)
    hard_sum: float = 0.0  # the sum of their values


def _ratio(num: float, den: float) -> float | None:
    return num / den if den else None


def _rates(stats: Mapping[str, int]) -> dict[str, float]:
    words = stats.get("words", 0)
    if not words:
        return {}
    rate = {
        k: _MILLI * stats.get(k, 0) / words
        for k in _PRACTICE_COUNTS
        if k != "headline_bait"
    }
    rate["specifics"] = rate["numbers"] + rate["dates"]
    return rate


def _measure(stats: Mapping[str, int]) -> dict[str, _Measured]:
    """Each component's raw value (before shrinkage) from a source's sums."""
    m: dict[str, _Measured] = {}
    get = stats.get
    n = get("originality_n", 0)
    m["originality"] = _Measured(
        _ratio(get("originality_milli", 0), _MILLI * n),
        n,
        f"{get('originals', 0)} cluster originals, {get('updates', 0)} updates of its own stories; "
        f"copies: {get('attributed_copies', 0)} attributed, "
        f"{_unattributed(stats)} unattributed, {get('copies_spun_copy', 0)} spun; "
        f"{get('spun_uncopied', 0)} fully spun texts whose original is not in the corpus; "
        f"{get('declared_copies', 0)} declared copies (attribution line)",
        get("originality_hard", 0),
        get("originality_hard_milli", 0) / _MILLI,
    )
    n = get("practice_n", 0)
    rates = _rates(stats)
    if rates:
        src = [rates[k] / (rates[k] + h) for k, h in SOURCING_HALF.items()]
        headline = get("headline_bait", 0) / n
        bait = [h / (rates[k] + h) for k, h in BAIT_HALF.items()]
        bait.append(HEADLINE_BAIT_HALF / (headline + HEADLINE_BAIT_HALF))
        m["sourcing"] = _Measured(
            sum(src) / len(src),
            n,
            "per 1,000 words: "
            + ", ".join(f"{k.replace('_', ' ')} {rates[k]:.1f}" for k in SOURCING_HALF),
        )
        m["bait"] = _Measured(
            sum(bait) / len(bait),
            n,
            "per 1,000 words: "
            + ", ".join(f"{k.replace('_', ' ')} {rates[k]:.1f}" for k in BAIT_HALF)
            + f"; headline devices per article {headline:.2f}",
        )
    else:
        m["sourcing"] = m["bait"] = _Measured(None, 0, "no words measured")
    n = get("spun_n", 0)
    m["spun_text"] = _Measured(
        _ratio(get("spun_milli", 0), _MILLI * n),
        n,
        f"{get('spun_flagged', 0)} of {n} articles flagged spun, "
        f"{get('spun_hard', 0)} at full strength (spun score {SPUN_SCORE_FULL:g}+)",
        get("spun_hard", 0),
    )
    n = get("spam_n", 0)
    m["spam_links"] = _Measured(
        _ratio(n - get("spam_hits", 0), n),
        n,
        f"{get('spam_hits', 0)} of {n} articles with a spam link block",
        get("spam_hits", 0),
    )
    n = get("thin_n", 0)
    m["thin_content"] = _Measured(
        _ratio(n - get("thin_hits", 0), n),
        n,
        f"{get('thin_hits', 0)} of {n} articles under {THIN_WORDS} words",
    )
    n = get("boilerplate_n", 0)
    m["boilerplate"] = _Measured(
        _ratio(get("boilerplate_milli", 0), _MILLI * n),
        n,
        f"article text share, scaled to 0 at {BOILERPLATE_SHARE_ZERO:.0%} boilerplate",
    )
    n = get("encoding_n", 0)
    m["encoding"] = _Measured(
        _ratio(n - get("encoding_hits", 0), n),
        n,
        f"{get('encoding_hits', 0)} of {n} articles with mojibake",
    )
    n = get("readability_n", 0)
    lo, hi = READABILITY_BAND
    m["readability"] = _Measured(
        _ratio(get("readability_milli", 0), _MILLI * n),
        n,
        f"Flesch reading ease band {lo:g}-{hi:g}",
    )
    n = get("language_n", 0)
    langs = Counter({k[5:]: v for k, v in stats.items() if k.startswith("lang_") and v})
    main = max(sorted(langs.items()), key=lambda kv: kv[1]) if langs else None
    m["language"] = _Measured(
        _ratio(main[1], n) if main else None,
        n,
        ", ".join(
            f"{lang} {c}"
            for lang, c in sorted(langs.items(), key=lambda kv: (-kv[1], kv[0]))
        )
        or "no language detected",
    )
    return m


def _unattributed(stats: Mapping[str, int]) -> int:
    copies = sum(
        stats.get(f"copies_{r}", 0) for r in ("exact", "near_duplicate", "containment")
    )
    return copies - stats.get("attributed_copies", 0)


def _shrink(value: float | None, n: int, prior: float) -> float:
    if value is None or n <= 0:
        return prior
    return (n * _clip(value) + PRIOR_ARTICLES * prior) / (n + PRIOR_ARTICLES)


def _value(m: _Measured, prior: float) -> float:
    """A component's value: hard findings at face value, the rest shrunk.

    With ``h`` of ``n`` articles carrying a hard finding (values ``v_i``)
    and the other ``n - h`` measuring ``s`` on average::

        value = (sum(v_i) + (n - h) * shrink(s, n - h, prior)) / n

    Without hard findings this is the plain shrinkage toward the prior;
    when every article carries one, it is their mean, unshrunk.
    """
    if m.value is None or m.n <= 0:
        return prior
    h = min(max(m.hard_n, 0), m.n)
    if h == 0:
        return _shrink(m.value, m.n, prior)
    soft_n = m.n - h
    soft = 0.0
    if soft_n:
        soft_mean = (_clip(m.value) * m.n - m.hard_sum) / soft_n
        soft = soft_n * _shrink(soft_mean, soft_n, prior)
    return _clip((m.hard_sum + soft) / m.n)


def prior_score() -> float:
    """The score of a source with no evidence: the weighted priors.

    >>> prior_score()
    70.5
    """
    return round(sum(c.weight * c.prior for c in COMPONENTS), POINT_DIGITS)


def _points(values: Mapping[str, float]) -> tuple[dict[str, float], float]:
    """Points per component in hundredths that sum exactly to the rounded score.

    Largest-remainder rounding: the score is rounded once, and the
    components' rounded points are adjusted by one hundredth where their
    rounding lost most, so that they add up to it.
    """
    scale = 10**POINT_DIGITS
    raw = {c.name: c.weight * _clip(values[c.name]) * scale for c in COMPONENTS}
    total = round(math.fsum(raw.values()))
    floors = {k: math.floor(v) for k, v in raw.items()}
    missing = total - sum(floors.values())
    order = sorted(raw, key=lambda k: (-(raw[k] - floors[k]), k))
    for k in order[: max(0, missing)]:
        floors[k] += 1
    return {k: floors[k] / scale for k in raw}, total / scale


def score_stats(source: str, stats: Mapping[str, int]) -> SourceResult:
    """The scored :class:`~newsqa.SourceResult` of one source's summed statistics.

    Example:
        >>> score_stats("nobody.example", {}).score == prior_score()
        True
    """
    measured = _measure(stats)
    values = {c.name: _value(measured[c.name], c.prior) for c in COMPONENTS}
    components, score = _points(values)
    n = stats.get("readable", 0)
    confidence = round(n / (n + PRIOR_ARTICLES), CONFIDENCE_DIGITS) if n > 0 else 0.0
    return SourceResult(
        source=source,
        n_articles=int(stats.get("articles", 0)),
        score=score,
        components=MappingProxyType(components),
        stats=MappingProxyType(
            dict(sorted((k, int(v)) for k, v in stats.items() if v))
        ),
        confidence=confidence,
    )


def score_report(
    articles: Iterable[ArticleResult], clusters: Iterable[Cluster]
) -> tuple[SourceResult, ...]:
    """Scored sources of a set of article results and their clusters, sorted by name."""
    sums = source_stats(articles, clusters)
    return tuple(score_stats(s, sums[s]) for s in sorted(sums))


# --------------------------------------------------------------------------
# explanations


@dataclass(frozen=True, slots=True)
class ComponentExplanation:
    """One component of a source's score, with its evidence.

    Attributes:
        name: Component name (a key of ``SourceResult.components``).
        points: Points contributed to the score.
        weight: Points at stake.
        value: The value used (0..1), after shrinkage toward ``prior``.
        measured: The value measured on the source's articles alone, or
            ``None`` without evidence.
        prior: The value assumed without evidence.
        n: Articles that gave evidence.
        what: What the component measures.
        detail: The measured quantities.
        evidence: Lines naming the articles behind the value.
        hard: Articles with a hard finding (a spam link block, text spun
            at full strength, a spun or unattributed copy of another
            source's story), taken at face value, not shrunk.
        shrinkage: ``value - measured``: how far the prior moved the
            value (0 without evidence or when every article is hard).
    """

    name: str
    points: float
    weight: float
    value: float
    measured: float | None
    prior: float
    n: int
    what: str
    detail: str
    evidence: tuple[str, ...] = ()
    hard: int = 0
    shrinkage: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "points": self.points,
            "weight": self.weight,
            "value": self.value,
            "measured": self.measured,
            "prior": self.prior,
            "shrinkage": self.shrinkage,
            "hard": self.hard,
            "n": self.n,
            "what": self.what,
            "detail": self.detail,
            "evidence": list(self.evidence),
        }


@dataclass(frozen=True, slots=True)
class SourceExplanation:
    """Why a source got its score: each component, its points and evidence.

    ``str(explanation)`` is a readable table.
    """

    source: str
    score: float
    confidence: float
    n_articles: int
    prior_score: float
    components: tuple[ComponentExplanation, ...]
    stats: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "score": self.score,
            "confidence": self.confidence,
            "n_articles": self.n_articles,
            "prior_score": self.prior_score,
            "components": [c.to_dict() for c in self.components],
            "stats": dict(self.stats),
        }

    def __str__(self) -> str:
        n = self.n_articles
        lines = [
            (
                f"source {self.source}: score {self.score:.2f} / 100, confidence {self.confidence:.2f} "
                f"({n} article{'' if n == 1 else 's'}; a source without evidence scores {self.prior_score:.2f})"
            ),
            "",
            f"{'component':<14} {'points':>6} {'weight':>6} {'measured':>8} {'prior':>5} {'shrink':>6} "
            f"{'value':>6} {'n':>4} {'hard':>4}  what",
        ]
        for c in self.components:
            measured = "-" if c.measured is None else f"{c.measured:.3f}"
            lines.append(
                f"{c.name:<14} {c.points:>6.2f} {c.weight:>6.1f} {measured:>8} {c.prior:>5.2f} {c.shrinkage:>+6.3f} "
                f"{c.value:>6.3f} {c.n:>4} {c.hard:>4}  {c.what}"
            )
        lines.append(
            f"{'total':<14} {self.score:>6.2f} {sum(c.weight for c in self.components):>6.1f}"
        )
        lines.append("")
        lines.append(
            f"value = (n * measured + {PRIOR_ARTICLES} * prior) / (n + {PRIOR_ARTICLES}) for soft evidence; "
            "hard findings (spam link blocks, text spun at full strength, spun or unattributed copies "
            "of others) count at face value: value = (sum of hard values + n_soft * shrunk soft value) / n; "
            "points = weight * value; shrink = value - measured"
        )
        for c in self.components:
            lines.append("")
            lines.append(f"{c.name}: {c.detail}")
            lines.extend(f"  - {e}" for e in c.evidence)
        return "\n".join(lines)


#: Evidence lines listed per component before "... and N more".
MAX_EVIDENCE = 8


def explain_source(report: Report, name: str, texts: Any = None) -> SourceExplanation:
    """Explain one source's score: components, points, measured values, evidence.

    Args:
        report: A :class:`~newsqa.Report` (from :func:`newsqa.analyze`, or
            read back with ``Report.from_json``).
        name: The source, exactly as in the report.
        texts: The articles' texts, to quote spans as published: a mapping
            from article id to text, or the :class:`~newsqa.Article`
            objects. Without them (a report alone holds no text) spun
            spans are given by position and the wording they replace.

    Raises:
        InputError: ``name`` is not a source of the report (the message
            suggests the closest names).

    Example:
        >>> import newsqa
        >>> text = ("North Korean leader Kim Jong Un met Russian Defence Minister Sergei Shoigu in "
        ...         "Pyongyang on Wednesday, state media said, as the two countries marked the 70th "
        ...         "anniversary of the armistice that ended the Korean War.")
        >>> report = newsqa.analyze([
        ...     newsqa.Article("a", text, "wire.example", published="2023-07-26"),
        ...     newsqa.Article("b", text + "\\nShare if you agree!", "copy.example", published="2023-07-27"),
        ... ])
        >>> ex = explain_source(report, "copy.example")
        >>> [c.name for c in ex.components][:3]
        ['originality', 'sourcing', 'bait']
        >>> any("copy of a (source wire.example), unattributed" in e for e in ex.components[0].evidence)
        True
        >>> explain_source(report, "copy.exampel")
        Traceback (most recent call last):
        ...
        newsqa.errors.InputError: no source 'copy.exampel' in the report; did you mean 'copy.example'? ...
    """
    sources = sorted({a.source for a in report.articles})
    if name not in sources:
        close = difflib.get_close_matches(name, sources, n=3)
        hint = f"; did you mean {' or '.join(map(repr, close))}?" if close else ""
        listed = ", ".join(map(repr, sources[:10])) + (
            " ..." if len(sources) > 10 else ""
        )
        raise InputError(
            f"no source {name!r} in the report{hint} Sources: {listed or 'none'}"
        )
    mine = [a for a in report.articles if a.source == name]
    stats = source_stats(mine, report.clusters)[name]
    result = score_stats(name, stats)
    measured = _measure(stats)
    evidence = _evidence(report, mine, _texts_by_id(texts))
    comps = []
    for c in COMPONENTS:
        m = measured[c.name]
        value = _value(m, c.prior)
        comps.append(
            ComponentExplanation(
                name=c.name,
                points=result.components[c.name],
                weight=c.weight,
                value=round(value, 4),
                measured=None if m.value is None else round(_clip(m.value), 4),
                prior=c.prior,
                n=m.n,
                what=c.what,
                detail=m.detail,
                evidence=_capped(evidence.get(c.name, [])),
                hard=min(m.hard_n, m.n),
                shrinkage=0.0 if m.value is None or m.n <= 0 else round(value - _clip(m.value), 4),
            )
        )
    return SourceExplanation(
        source=name,
        score=result.score if result.score is not None else prior_score(),
        confidence=result.confidence if result.confidence is not None else 0.0,
        n_articles=result.n_articles,
        prior_score=prior_score(),
        components=tuple(comps),
        stats=result.stats,
    )


def _capped(lines: list[str]) -> tuple[str, ...]:
    if len(lines) <= MAX_EVIDENCE:
        return tuple(lines)
    return (*lines[:MAX_EVIDENCE], f"... and {len(lines) - MAX_EVIDENCE} more")


def _texts_by_id(texts: Any) -> Mapping[str, str]:
    if texts is None:
        return {}
    if isinstance(texts, Mapping):
        return {str(k): v for k, v in texts.items() if isinstance(v, str)}
    out: dict[str, str] = {}
    for a in texts:
        t = getattr(a, "text", None)
        if isinstance(t, str):
            out[str(a.id)] = t
    return out


_HOW_DECIDED = {
    "attribution": "its text credits that source",
    "date": "that article was published first",
    "url": "that article is on its own source's site, this one is not",
    "containment": "this page holds that article inside other text, or is an excerpt of it",
    "spin": "this text is the spun one",
    "length": "nothing else decided: the longer text is taken as the original",
}


def _evidence(
    report: Report, mine: list[ArticleResult], texts: Mapping[str, str] | None = None
) -> dict[str, list[str]]:
    """Evidence lines per component for one source's articles."""
    texts = texts or {}
    source_of = {a.id: a.source for a in report.articles}
    cluster_of = {m: c for c in report.clusters for m in c.members}
    ev: dict[str, list[str]] = defaultdict(list)
    bait_rows: list[tuple[int, str]] = []
    sourcing_rows: list[tuple[int, str]] = []
    for a in mine:
        sig = a.signals
        outlet = sig.get("attributed_outlet")
        c = cluster_of.get(a.id)
        if c is not None:
            rel = c.relation.get(
                a.id, "original" if a.id == c.representative else "near_duplicate"
            )
            rep = c.representative
            by = getattr(c, "original_by", None)
            if rel == "original":
                copiers = [m for m in c.members if m != a.id and c.relation.get(m) != "update"]
                others = sorted({source_of.get(m, "?") for m in copiers})
                n_upd = sum(1 for m in c.members if c.relation.get(m) == "update")
                line = f"article {a.id} is the original of cluster {c.id}"
                if copiers:
                    line += f", copied by {len(copiers)} article(s) from {', '.join(others)}"
                if n_upd:
                    line += f"; {n_upd} later update(s) of its own"
                if by:
                    line += f" (original chosen by {by})"
                ev["originality"].append(line)
            elif rel == "update":
                ev["originality"].append(
                    f"article {a.id} is an update of its own source's story {rep} (not a copy) "
                    f"[similarity {c.similarity.get(a.id, 0.0):.2f}]"
                )
            else:
                how = (
                    "spun"
                    if rel == "spun_copy"
                    else (f"attributed to {outlet!r}" if outlet else "unattributed")
                )
                kind = rel.replace("_", " ")
                decided = f"; original chosen by {by}: {_HOW_DECIDED.get(by, by)}" if by else ""
                ev["originality"].append(
                    f"article {a.id} is a copy of {rep} (source {source_of.get(rep, '?')}), {how} "
                    f"[{kind}, similarity {c.similarity.get(a.id, 0.0):.2f}]{decided}"
                )
        elif (
            a.status == "ok"
            and sig.get("spun_score") is not None
            and float(sig["spun_score"]) >= SPUN_SCORE_FULL
        ):
            ev["originality"].append(
                f"article {a.id} is spun at full strength (spun score {float(sig['spun_score']):.1f}): "
                "a disguised copy of a story that is not in the corpus"
            )
        elif outlet and a.status == "ok":
            ev["originality"].append(
                f"article {a.id} declares itself a copy: attribution line naming {outlet!r}"
            )
        if sig.get("spun_score"):
            spans = [f for f in a.flags if f.kind == "spun"]
            text = texts.get(a.id)
            shown = "; ".join(_spun_span(f, text) for f in spans[:3])
            verdict = "flagged spun" if sig.get("spun") else "below the spun threshold"
            ev["spun_text"].append(
                f"article {a.id}: spun score {sig['spun_score']:.1f} ({verdict}), {len(spans)} spun span(s)"
                + (f", e.g. {shown}" if shown else "")
            )
        if sig.get("spam_link_blocks"):
            domains = list(sig.get("spam_domains") or ())
            shown = ", ".join(domains[:4]) + (" ..." if len(domains) > 4 else "")
            ev["spam_links"].append(
                f"article {a.id}: {sig['spam_link_blocks']} spam link block(s), {len(domains)} domain(s): {shown}"
            )
        if sig.get("mojibake_spans"):
            ev["encoding"].append(
                f"article {a.id}: {sig['mojibake_spans']} mojibake span(s)"
            )
        share = sig.get("boilerplate_share")
        if share:
            reasons = Counter(f.reason for f in a.flags if f.kind == "boilerplate")
            top = ", ".join(f"{r} {k}" for r, k in reasons.most_common(3))
            ev["boilerplate"].append(f"article {a.id}: {share:.0%} boilerplate ({top})")
        words = sig.get("practice_words")
        if a.status == "empty" or (isinstance(words, int) and words < THIN_WORDS):
            ev["thin_content"].append(f"article {a.id}: {words or 0} words")
        fre = sig.get("flesch_reading_ease")
        if fre is not None and _band_value(float(fre)) < 1.0:
            ev["readability"].append(f"article {a.id}: Flesch reading ease {fre:.1f}")
        if isinstance(words, int) and words > 0:
            parts = [
                f"{k.replace('_', ' ')} {sig.get(k)}"
                for k in (
                    "attributions",
                    "attributed_quotes",
                    "named_sources",
                    "numbers",
                    "dates",
                )
                if sig.get(k)
            ]
            good = sum(
                int(sig.get(k) or 0)
                for k in ("attributions", "attributed_quotes", "named_sources")
            )
            sourcing_rows.append(
                (
                    good,
                    f"article {a.id} ({words} words): " + (", ".join(parts) or "none"),
                )
            )
            items = [
                f"{k.replace('_', ' ')} {sig.get(k)}"
                for k in (*BAIT_HALF, "headline_bait")
                if sig.get(k)
            ]
            total = sum(int(sig.get(k) or 0) for k in (*BAIT_HALF, "headline_bait"))
            if total:
                bait_rows.append(
                    (total, f"article {a.id} ({words} words): " + ", ".join(items))
                )
    langs = Counter(
        a.signals.get("language") for a in mine if a.signals.get("language")
    )
    if len(langs) > 1:
        main = langs.most_common(1)[0][0]
        ev["language"].extend(
            f"article {a.id}: {a.signals['language']} (main language {main})"
            for a in mine
            if a.signals.get("language") and a.signals["language"] != main
        )
    sourcing_rows.sort(key=lambda r: (-r[0], r[1]))
    bait_rows.sort(key=lambda r: (-r[0], r[1]))
    ev["sourcing"] = [r for _, r in sourcing_rows]
    ev["bait"] = [r for _, r in bait_rows]
    return ev


def _spun_span(f: Any, text: str | None) -> str:
    """A spun span as published, and the wording it stands for."""
    original = f.extra.get("original", "?")
    if text is not None and 0 <= f.start < f.end <= len(text):
        return f"{text[f.start:f.end]!r} for {original!r}"
    return f"chars {f.start}-{f.end} spun (for {original!r})"


def score_sources(report: Report) -> tuple[SourceResult, ...]:
    """Score every source of a report again, from its articles and clusters.

    :func:`newsqa.analyze` already scores the sources (``report.sources``);
    use this on a report read back with :meth:`newsqa.Report.from_json`, or
    on one whose articles or clusters you changed.

    Args:
        report: A :class:`~newsqa.Report`.

    Returns:
        One :class:`~newsqa.SourceResult` per source, sorted by name, with
        ``score``, ``components``, ``confidence`` and the summed ``stats``.

    Raises:
        InputError: ``report`` is not a Report (analyse articles first:
            ``score_sources(newsqa.analyze(articles))``).

    Example:
        >>> import newsqa
        >>> report = newsqa.analyze(newsqa.read_articles(["seeds"]))
        >>> ranked = sorted(score_sources(report), key=lambda s: -s.score)
        >>> ranked[-1].source
        'unknown-003'
    """
    if not isinstance(report, Report):
        raise InputError(
            f"score_sources takes a newsqa.Report, got {type(report).__name__}; "
            "analyse the articles first: score_sources(newsqa.analyze(articles))"
        )
    return score_report(report.articles, report.clusters)
