"""Boilerplate: the lines of a text that are not the article.

Rules first, then a learned line classifier:

1. **Source templates.** Normalised lines that recur across *different
   stories* of one source (:func:`source_templates`) are its template:
   headers, taglines, footers, share bars. Reason ``source_template``.
2. **Pattern lexicon.** Whole-line patterns kept in
   ``data/boilerplate_patterns.json`` by reason and language ("Read more",
   "Source: Ambito", "Subscribe to our newsletter", "© 2024", share-button
   residue such as ``icon-facebook icon-twitter``...).
3. **Line shapes.** Datelines (a line that is only a date), site headers
   (``Site - Tagline | Section | Section``), taglines (a list of short
   phrases repeating one word: ``European news, UK news, political
   news...``) and teaser runs (two or more short promos ending in "…"
   after the article).
4. **The line classifier** for every line the rules leave open: per-line
   features of the line, its neighbours and its place relative to the
   page's densest run of prose (:mod:`newsqa.signals._line_features`), a
   small model of gradient-boosted trees whose parameters ship in
   ``data/boilerplate_model.json`` (learned from the boilerplate-dev corpus
   by ``scripts/build_boilerplate_model.py``), then a two-state Viterbi
   pass (:func:`smooth`) so that a short real line between content lines
   stays content and an isolated long line in a footer does not. Reasons
   ``navigation``, ``teaser``, ``header``, ``footer``, ``links``,
   ``copyright`` or ``low_content`` say which feature group decided.

Works on a single page with no history; with templates it also catches the
site-specific lines no pattern names. Linear in the text's length.

>>> text = "Kim met Putin.\\nThe two leaders talked for hours in Pyongyang on Wednesday.\\nSource: Ambito"
>>> out = boilerplate(text)
>>> [(text[f.start:f.end], f.reason) for f in out.flags]
[('Source: Ambito', 'attribution')]
>>> out.signals["attributed_outlet"]
'Ambito'
"""

from __future__ import annotations

import gc
import json
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import numpy as np

from ..model import Flag
from . import Signal, SignalOutput
from . import _bp_kernels as _bp
from . import _line_kernels as _kernels
from ._counts import _UTF32, char_classes, codes
from ._line_features import FEATURES, OWN, PageShape, page_features

_F = {name: i for i, name in enumerate(OWN)}
# A flag's default ``extra`` (one shared empty mapping), passed explicitly: the
# same object, without the default factory's call per flag.
_NO_EXTRA = Flag("boilerplate", 0, 0, "").extra

# The line classifier's parameters: learned by
# scripts/build_boilerplate_model.py from the boilerplate-dev corpus.
MODEL_FILE = "boilerplate_model.json"
# Rows of the feature matrix run through the trees at a time (a 2048 x 150
# work array of leaf values is 2.4 MB, about an L2 cache).
GBT_CHUNK = 2048
# Pages with more lines than this are classified column-wise (compiled
# smoothing, reasons by numpy columns); shorter ones line by line, where
# numpy's per-call cost would outweigh the work.
CLASSIFY_ARRAY_LINES = 64
# Pages with more lines than this make their flags with the garbage
# collector's automatic passes paused (see _flags).
GC_PAUSE_LINES = 10_000
# Lowest confidence reported on a line the model flagged.
MODEL_MIN_SCORE = 0.5
# Words of a line that key its repetition within the page.
REPEAT_KEY_WORDS = 8
# Reason codes of model flags: "navigation" for lines of at most
# e^NAV_MAX_LOG_WORDS - 1 = 3 words or with NAV_MIN_SEPARATORS separators.
NAV_MAX_LOG_WORDS = math.log1p(3) + 1e-9
NAV_MIN_SEPARATORS = 2
# Words read to pick the stop-word list: a few hundred words tell the
# language apart reliably (langdetect samples about 1,000 characters).
LANGUAGE_SAMPLE_WORDS = 300
# Lines longer than this are never matched against the pattern lexicon:
# patterns describe short lines (the longest lexicon pattern spans about
# 250 characters), and the cap bounds matching time on a 5 MB single line.
MAX_PATTERN_LINE = 300
# Site headers: two or more separators in a line of at most this many words.
HEADER_MAX_WORDS = 25
HEADER_MIN_SEPARATORS = 2
# Taglines: at least 3 comma-separated items of at most 4 words, one word
# repeated at least 3 times ("news" five times in seed 004's tagline).
TAGLINE_MIN_ITEMS = 3
TAGLINE_MAX_ITEM_WORDS = 4
TAGLINE_MIN_REPEAT = 3
# Teasers: runs of at least this many lines ending in an ellipsis, each at
# most TEASER_MAX_WORDS words (seed 003 ends with six such promos).
TEASER_MIN_RUN = 2
TEASER_MAX_WORDS = 40
# Source templates: a normalised line is template text when it recurs in
# at least this many different stories of a source (stories = clusters, so
# a wire story a source ran twice does not make its sentences a template)
# and in at least TEMPLATE_MIN_SHARE of them when the source has many.
TEMPLATE_MIN_STORIES = 2
TEMPLATE_MIN_SHARE = 0.05
# Template lines shorter than this are ignored (single words like "News"
# recur by chance).
TEMPLATE_MIN_CHARS = 8

TERMINAL = frozenset('.!?…"”’»)]:;')
ELLIPSIS_ENDINGS = ("…", "...")
_WORD = re.compile(r"\w+(?:[-'’]\w+)*")
_SPACE = re.compile(r"\s+")
_DIGITS = re.compile(r"\d+")
_SEPARATOR = re.compile(r"\s[|•·»›/]\s|\s[|]|[|]\s")

_MONTHS = (
    "jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|june|july|august|"
    "september|october|november|december|januar|februar|märz|mai|juni|juli|oktober|dezember|enero|febrero|"
    "marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre|janvier|février|mars|avril|"
    "juin|juillet|août|septembre|octobre|novembre|décembre|stycznia|lutego|marca|kwietnia|maja|czerwca|lipca|"
    "sierpnia|września|października|listopada|grudnia|gennaio|febbraio|aprile|maggio|giugno|luglio|settembre|"
    "ottobre|dicembre|janeiro|fevereiro|março|maio|junho|julho|setembro|outubro|novembro|dezembro"
)
_DAYS = (
    "mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun|monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    "montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|lunes|martes|miércoles|jueves|viernes|sábado|"
    "domingo|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|poniedziałek|wtorek|środa|czwartek|piątek|"
    "sobota|niedziela"
)
_DATE_CORE = (
    rf"(?:(?:{_DAYS})\.?,?\s+)?"
    rf"(?:(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\.?\s+(?:de\s+)?(?:{_MONTHS})\.?,?\s+(?:de\s+)?\d{{4}}"
    rf"|\d{{4}}-\d{{2}}-\d{{2}}(?:t\d{{2}}:\d{{2}}(?::\d{{2}})?z?)?"
    rf"|\d{{1,2}}[./]\d{{1,2}}[./]\d{{2,4}})"
)
_DATELINE = re.compile(
    rf"[\W_]{{0,4}}(?:(?:updated|published|posted|last updated|aktualisiert|veröffentlicht|publicado|"
    rf"actualizado|publié|mis à jour|opublikowano|aktualizacja|pubblicato|aggiornato)\s*(?:on|at|am|el|le)?\s*:?\s*)?"
    rf"{_DATE_CORE}(?:\s*(?:,|\||-|–|—|at|um|à|a las)?\s*\d{{1,2}}[:.]\d{{2}}(?::\d{{2}})?\s*(?:[ap]\.?m\.?)?"
    rf"(?:\s*[a-z]{{2,5}}(?:[+-]\d{{1,2}})?)?)?[\W_]{{0,4}}",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class _Lexicon:
    patterns: tuple[tuple[str, re.Pattern[str]], ...]
    combined: re.Pattern[str]  # all patterns in one alternation, a named group per reason
    share_tokens: frozenset[str]
    stopwords: dict[str, frozenset[str]]
    stop_langs: dict[str, tuple[str, ...]]


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    data_dir = resources.files("newsqa") / "data"
    raw = json.loads((data_dir / "boilerplate_patterns.json").read_text(encoding="utf-8"))
    patterns: list[tuple[str, re.Pattern[str]]] = []
    for reason, by_lang in raw.items():
        if reason.startswith("_") or not isinstance(by_lang, dict):
            continue
        alts = [p for lang, pats in by_lang.items() if not lang.startswith("_") for p in pats]
        if not alts:
            continue
        flags = 0 if reason == "byline" else re.IGNORECASE
        patterns.append((reason, re.compile("(?:" + "|".join(alts) + ")", flags)))
    combined = re.compile(
        "|".join(f"(?P<{reason}>(?{'' if reason == 'byline' else 'i'}:{pat.pattern}))" for reason, pat in patterns)
    )
    stopwords: dict[str, frozenset[str]] = {}
    stop_langs: dict[str, list[str]] = {}
    for entry in (data_dir / "stopwords").iterdir():
        if not entry.name.endswith(".txt"):
            continue
        lang = entry.name[:-4]
        words = frozenset(w.strip().casefold() for w in entry.read_text(encoding="utf-8").splitlines() if w.strip())
        stopwords[lang] = words
        for w in words:
            stop_langs.setdefault(w, []).append(lang)
    return _Lexicon(
        patterns=tuple(patterns),
        combined=combined,
        share_tokens=frozenset(raw["share_tokens"]),
        stopwords=stopwords,
        stop_langs={w: tuple(v) for w, v in stop_langs.items()},
    )


@dataclass(slots=True)
class _Line:
    start: int
    end: int  # end of the visible text (no line break)
    text: str
    words: list[str]
    reason: str | None = None
    score: float = 1.0


def split_lines(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of every non-blank line, ``end`` before the line break and trailing blanks.

    Lines end at ``\\n``, ``\\r\\n`` or ``\\r``; blanks are ``\\s`` (what
    ``str.strip`` strips). One compiled scan: linear in the text's length
    however many lines or breaks it has.

    >>> split_lines("a\\r\\n\\n  b  \\rc")
    [(0, 1), (6, 7), (10, 11)]
    """
    starts, ends = _kernels.line_spans(codes(text), char_classes())
    return list(zip(starts.tolist(), ends.tolist()))


def normalize_line(line: str) -> str:
    """The key of a line for template matching: NFKC, case-folded, digits as 0, single spaces.

    (An ASCII line is its own NFKC form and case-folds as it lower-cases; ``\\s`` and ``str.split``
    / ``str.strip`` are the same white space, so runs of it become one space by a split and a join.)
    """
    if line.isascii():
        line = line.lower()
    else:
        line = unicodedata.normalize("NFKC", line).casefold()
    return " ".join(_DIGITS.sub("0", line).split())


def line_hash(key: str) -> int:
    """The 64-bit hash of a line key (:func:`normalize_line`), the same in every process and machine.

    >>> line_hash("site news | world") == int(line_key_hashes("Site  News | WORLD")[0])
    True
    """
    return int(_kernels.key_hash(codes(key)))


def line_key_hashes(
    text: str,
    points: np.ndarray | None = None,
    starts: np.ndarray | None = None,
    ends: np.ndarray | None = None,
) -> np.ndarray:
    """``uint64``: :func:`line_hash` of :func:`normalize_line` of each line of ``text``.

    The lines are ``text[starts[k]:ends[k]]`` (default: :func:`split_lines`;
    ``points`` are ``codes(text)`` when the caller has them). One compiled
    pass hashes each line's key without building it; lines with a code point
    its table does not fold (combining marks, most scripts past Cyrillic)
    are normalised by :func:`normalize_line` and hashed.
    """
    if points is None:
        points = codes(text)
    if starts is None or ends is None:
        starts, ends = _kernels.line_spans(points, char_classes())
    length, offset, folded = _kernels.key_fold_table()
    hashes, ok = _kernels.line_key_hashes(points, starts, ends, char_classes(), length, offset, folded)
    if not ok.all():
        for k in np.flatnonzero(~ok).tolist():
            hashes[k] = line_hash(normalize_line(text[int(starts[k]) : int(ends[k])]))
    return hashes


def _keyed_lines(
    text: str, wanted: frozenset[int] | set[int], points: np.ndarray, starts: np.ndarray, ends: np.ndarray
) -> list[tuple[int, str]]:
    """``(index, key)`` of the lines whose key's hash is in ``wanted`` (only those keys are built)."""
    hashes = line_key_hashes(text, points, starts, ends).tolist()
    return [(k, normalize_line(text[int(starts[k]) : int(ends[k])])) for k, h in enumerate(hashes) if h in wanted]


def template_lines(
    text: str, templates: frozenset[str], starts: np.ndarray, ends: np.ndarray, points: np.ndarray
) -> np.ndarray:
    """``bool``: whether each line's key is in ``templates``. Lines whose key hash is not among
    the templates' hashes are not (the hash is a function of the key); the others are asked."""
    found = np.zeros(len(starts), dtype=bool)
    if not templates or not len(starts):
        return found
    for k, key in _keyed_lines(text, {line_hash(t) for t in templates}, points, starts, ends):
        found[k] = key in templates
    return found


def template_line_hashes(text: str) -> list[int]:
    """Hashes (:func:`line_hash`) of the distinct normalised lines of ``text`` that may be
    template lines: the lines :func:`source_templates` counts.

    >>> template_line_hashes("Site News | World\\nKim.") == [line_hash("site news | world")]
    True
    """
    points = codes(text)
    starts, ends = _kernels.line_spans(points, char_classes())
    long = (ends - starts) >= TEMPLATE_MIN_CHARS
    return sorted(set(line_key_hashes(text, points, starts[long], ends[long]).tolist()))


def templates_for(text: str, hashes: frozenset[int] | set[int]) -> frozenset[str]:
    """The template lines of a source (given by :func:`line_hash`) that occur in ``text``.

    Boilerplate only asks whether a line of the text is a template line, so
    this subset flags exactly what the source's whole template set flags.
    """
    if not hashes:
        return frozenset()
    points = codes(text)
    starts, ends = _kernels.line_spans(points, char_classes())
    return frozenset(key for _, key in _keyed_lines(text, hashes, points, starts, ends))


def source_templates(texts: Iterable[tuple[str, str]]) -> frozenset[str]:
    """Template lines of one source from ``(story_key, text)`` pairs.

    ``story_key`` groups copies of one story (e.g. the cluster id, else the
    article id), so that a story the source ran twice does not turn its
    sentences into template lines.

    >>> source_templates([("a", "Site News | World\\nKim met Putin."), ("b", "Site News | World\\nRain in Lisbon.")])
    frozenset({'site news | world'})
    """
    stories: dict[str, set[str]] = {}
    for key, text in texts:
        lines = stories.setdefault(key, set())
        for s, e in split_lines(text):
            if e - s >= TEMPLATE_MIN_CHARS:
                lines.add(normalize_line(text[s:e]))
    counts: Counter[str] = Counter()
    for lines in stories.values():
        counts.update(lines)
    need = max(TEMPLATE_MIN_STORIES, int(TEMPLATE_MIN_SHARE * len(stories) + 0.999))
    return frozenset(line for line, c in counts.items() if c >= need)


@dataclass(frozen=True, slots=True)
class _Stops:
    """Every stop word of every language, for the compiled lookup: ``masks[id]`` has bit ``i`` set
    when the word is a stop word of ``langs[i]``; ``norm[i]`` is ``log(len(list) + 2)``."""

    langs: tuple[str, ...]
    norm: np.ndarray
    masks: np.ndarray
    table: np.ndarray
    vcodes: np.ndarray
    voff: np.ndarray


@lru_cache(maxsize=1)
def _stops() -> _Stops:
    lex = _lexicon()
    langs = tuple(lex.stopwords)
    if len(langs) > 64:  # pragma: no cover - one bit per language
        raise RuntimeError("more than 64 stop-word lists")
    bit = {lang: i for i, lang in enumerate(langs)}
    vocab = list(lex.stop_langs)
    masks = np.array(
        [sum(1 << bit[lang] for lang in lex.stop_langs[w]) for w in vocab],
        dtype=np.uint64,
    )
    table, vcodes, voff = _kernels.stop_table(vocab)
    norm = np.array([math.log(len(lex.stopwords[lang]) + 2) for lang in langs], dtype=np.float64)
    return _Stops(langs, norm, masks, table, vcodes, voff)


def _stop_ids(points: np.ndarray, word_starts: np.ndarray, word_ends: np.ndarray) -> np.ndarray:
    st = _stops()
    return _kernels.word_ids(points, word_starts, word_ends, st.table, st.vcodes, st.voff)


def _best_language(ids: np.ndarray, lengths: np.ndarray) -> str | None:
    st = _stops()
    hits = _kernels.language_hits(ids, lengths, st.masks, len(st.langs))
    found = np.flatnonzero(hits)
    if not len(found):
        return None
    # the highest hits / log(size + 2); on a tie English, else the last name
    scores = hits[found] / st.norm[found]
    tied = [st.langs[i] for i in found[scores == scores.max()].tolist()]
    return "en" if "en" in tied else max(tied)


def pick_language(words: Iterable[str]) -> str | None:
    """The stop-word list that ``words`` (case-folded) hit most, or ``None``.

    Hits of words of at least two letters count, divided by the log of the
    list's size: jusText's lists run from 227 words (Catalan) to 7,317
    (Finnish, which holds "video", "entertainment", "hot", "star"), and
    raw counts picked Finnish for one English page in ten of the
    boilerplate-dev corpus. (Words are looked up by a compiled hash of
    their code points, compared in full on a hit.)

    >>> pick_language("the minister said that the talks would go on".split())
    'en'
    """
    words = list(words)
    lengths = np.array([len(w) for w in words], dtype=np.int64)
    ends = np.cumsum(lengths)
    return _best_language(_stop_ids(codes("".join(words)), ends - lengths, ends), lengths)


def _is_share_line(words: list[str], raw: str, lex: _Lexicon) -> bool:
    if not words or len(words) > 12:
        return False
    icons = 0
    for w in words:
        if w.startswith(("icon-", "icon_")):
            icons += 1
            continue
        if w not in lex.share_tokens:
            return False
    plain = sum(1 for w in words if w in {"on", "via", "this", "article", "the", "story"})
    return icons > 0 or len(words) - plain >= 1 and len(words) <= 8 and not any(ch in raw for ch in ".!?")


def _is_tagline(raw: str, words: list[str], stops: frozenset[str]) -> bool:
    items = [i.strip() for i in raw.replace(";", ",").split(",") if i.strip()]
    if len(items) < TAGLINE_MIN_ITEMS:
        return False
    if any(len(_WORD.findall(i)) > TAGLINE_MAX_ITEM_WORDS for i in items):
        return False
    content = Counter(w for w in words if w not in stops)
    return bool(content) and content.most_common(1)[0][1] >= TAGLINE_MIN_REPEAT


_ATTRIBUTION_VALUE = re.compile(
    r"^(?:source|sources|via|credit|courtesy of|quelle|quellen|fuente|fuentes|źródło|źródła|fonte|fontes|bron|bronnen)"
    r"\s*[:\-–—]?\s*(.{1,80})$",
    re.IGNORECASE,
)


def _attributed_outlet(line: str) -> str | None:
    m = _ATTRIBUTION_VALUE.match(line)
    if not m:
        return None
    value = m.group(1).strip(" .")
    if not value or _pattern_reason(value) == "read_more" or "://" in value:
        return None
    return value


@lru_cache(maxsize=1)
def _lexicon_filter() -> _kernels.LiteralFilter | None:
    """A necessary condition for a lexicon match: the line holds one of the strings that every match
    of the combined pattern holds (read from the pattern itself), or ``None`` when it has none."""
    need = _kernels.required_literals(_lexicon().combined)
    return _kernels.LiteralFilter(need) if need else None


def _pattern_reason(line: str) -> str | None:
    if len(line) > MAX_PATTERN_LINE:
        return None
    m = _lexicon().combined.fullmatch(line)
    return m.lastgroup if m is not None else None


@dataclass(frozen=True, slots=True)
class _Model:
    """The line classifier's parameters (``data/boilerplate_model.json``).

    ``kind`` is ``gbt`` (gradient-boosted trees of fixed depth: complete
    binary trees in heap order, ``split_feature``/``split_value`` per inner
    node, a line goes right when its feature is greater, ``leaf`` values
    summed over the trees plus ``base``) or ``logistic`` (``weights`` on
    features standardised by ``mean`` and ``scale``, plus ``base``).
    """

    kind: str
    base: float
    threshold: float
    switch_cost: float
    depth: int = 0
    split_feature: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.intp))
    split_value: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    leaf: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    mean: np.ndarray = field(default_factory=lambda: np.zeros(0))
    scale: np.ndarray = field(default_factory=lambda: np.ones(0))
    weights: np.ndarray = field(default_factory=lambda: np.zeros(0))


@lru_cache(maxsize=1)
def _model() -> _Model:
    raw = json.loads((resources.files("newsqa") / "data" / MODEL_FILE).read_text(encoding="utf-8"))
    if tuple(raw["features"]) != FEATURES:
        raise RuntimeError(
            f"{MODEL_FILE} was built for other features; rebuild it with scripts/build_boilerplate_model.py"
        )
    common = {
        "kind": raw["kind"],
        "base": float(raw["base"]),
        "threshold": float(raw["threshold"]),
        "switch_cost": float(raw["switch_cost"]),
    }
    if raw["kind"] == "gbt":
        values = [[math.inf if v is None else float(v) for v in row] for row in raw["split_value"]]
        return _Model(
            **common,
            depth=int(raw["depth"]),
            split_feature=np.asarray(raw["split_feature"], dtype=np.intp),
            split_value=np.asarray(values, dtype=np.float64),
            leaf=np.asarray(raw["leaf"], dtype=np.float64),
        )
    return _Model(
        **common,
        mean=np.asarray(raw["mean"], dtype=np.float64),
        scale=np.asarray(raw["scale"], dtype=np.float64),
        weights=np.asarray(raw["weights"], dtype=np.float64),
    )


def gbt_logits(
    x: np.ndarray,
    feature: np.ndarray,
    value: np.ndarray,
    leaf: np.ndarray,
    depth: int,
    base: float,
) -> np.ndarray:
    """Sum of the trees' leaves for each row of ``x``.

    A compiled walk finds each tree's leaf, :data:`GBT_CHUNK` rows at a
    time; numpy sums each row's leaves (its pairwise sum, as before).
    """
    n, trees = len(x), len(feature)
    if n == 0 or trees == 0:
        return np.full(n, base)
    x = np.ascontiguousarray(x, dtype=np.float64)
    feature = np.ascontiguousarray(feature, dtype=np.intp)
    value = np.ascontiguousarray(value, dtype=np.float64)
    leaf = np.ascontiguousarray(leaf, dtype=np.float64)
    out = np.empty(n)
    buf = np.empty((min(n, GBT_CHUNK), trees))
    for lo in range(0, n, GBT_CHUNK):
        hi = min(n, lo + GBT_CHUNK)
        part = buf[: hi - lo]
        _kernels.gbt_leaves(x, lo, hi, feature, value, leaf, depth, part)
        out[lo:hi] = part.sum(axis=1)
    return out + base


@dataclass(slots=True)
class _Page:
    """A page's lines after the rule stage, with their features."""

    lines: list[_Line]
    lang: str | None
    outlet: str | None
    features: np.ndarray
    shape: PageShape


def _skip_filter(spans: list[tuple[int, int]], skip: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """``spans`` without those starting or ending inside a ``skip`` span (linear after sorting)."""
    if not skip:
        return spans
    ordered = sorted((a, b) for a, b in skip if b > a)
    out: list[tuple[int, int]] = []
    j = 0
    reach = -1  # the furthest end among skip spans starting at or before s
    for s, e in spans:
        while j < len(ordered) and ordered[j][0] <= s:
            reach = max(reach, ordered[j][1])
            j += 1
        if s < reach:
            continue  # starts inside a skip span
        # ends inside a span that starts after s: s < a < e <= b (spans
        # starting inside this line are read again only for this line)
        k = j
        inside = False
        while k < len(ordered) and ordered[k][0] < e:
            if ordered[k][1] >= e:
                inside = True
                break
            k += 1
        if not inside:
            out.append((s, e))
    return out


@lru_cache(maxsize=1)
def _share_table() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The share-bar tokens' lookup table for :func:`~newsqa.signals._bp_kernels.rule_shapes`."""
    return _kernels.stop_table(sorted(_lexicon().share_tokens))


@lru_cache(maxsize=1)
def _dateline_filter() -> _kernels.LiteralFilter | None:
    """Month names, case-insensitively: a match of :data:`_DATELINE` holds one, or a ``\\d`` then ``-``,
    ``.`` or ``/`` then a ``\\d`` (:data:`~newsqa.signals._bp_kernels.DIGIT_SEP_DIGIT`)."""
    return _kernels.LiteralFilter(frozenset(_MONTHS.split("|")))


def _words(wordline: str) -> list[str]:
    return wordline.split(" ") if wordline else []


def _rules(
    points: np.ndarray,
    starts: np.ndarray,
    ends: np.ndarray,
    texts: list[str],
    wordlines: list[str],
    fpoints: np.ndarray,
    nwords: np.ndarray,
    template: np.ndarray,
    stops: frozenset[str],
    lex: _Lexicon,
) -> tuple[list[str | None], str | None]:
    """Stages 1-3: templates, lexicon and line shapes, teaser runs. Returns each line's reason and
    the attributed outlet.

    ``texts``: the lines; ``wordlines``: their case-folded words joined by a space (``fpoints``: all
    of them as code points, lines joined by ``\\n``); ``nwords``: how many words each has;
    ``template``: whether each line is a source template line (:func:`template_lines`). A
    compiled pass (:func:`~newsqa.signals._bp_kernels.rule_shapes`, :func:`_lexicon_filter`,
    :func:`_dateline_filter`) finds the lines each question may say yes to; Python asks the exact
    question of those lines only (the answers are functions of the line's text, so a line no
    question may flag keeps ``None``).
    """
    n = len(texts)
    table, vcodes, voff = _share_table()
    shapes = _bp.rule_shapes(points, starts, ends, char_classes(), fpoints, table, vcodes, voff, MAX_PATTERN_LINE)
    lexicon_filter = _lexicon_filter()
    dateline_filter = _dateline_filter()
    if lexicon_filter is None or dateline_filter is None:  # pragma: no cover - patterns the reading cannot read
        short = (ends - starts) <= MAX_PATTERN_LINE
    asks, some = _bp.rule_asks(
        shapes,
        starts,
        ends,
        nwords,
        short if lexicon_filter is None else lexicon_filter.lines(points, starts, ends, MAX_PATTERN_LINE),
        short if dateline_filter is None else dateline_filter.lines(points, starts, ends, MAX_PATTERN_LINE),
        MAX_PATTERN_LINE,
        HEADER_MAX_WORDS,
        30,
        TEASER_MAX_WORDS,
    )
    reasons: list[str | None] = [None] * n
    outlet: str | None = None
    memo: dict[str, str | None] = {}
    asks_l = asks.tolist()
    if some or template.any():
        ask: Iterable[int] = np.flatnonzero((asks & ~np.uint8(_bp.ASK_TEASER)).astype(bool) | template).tolist()
    else:
        ask = ()
    for k in ask:
        raw = texts[k]
        a = asks_l[k]
        if template[k]:
            reason: str | None = "source_template"
        elif a & _bp.ASK_SHARE and _is_share_line(_words(wordlines[k]), raw, lex):
            reason = "share_buttons"
        elif raw in memo:
            reason = memo[raw]  # a line seen before on this page
        else:
            reason = _pattern_reason(raw) if a & _bp.ASK_LEXICON else None
            # every date form has a digit and a month name or one of - . /
            if reason is None and a & _bp.ASK_DATELINE and _DATELINE.fullmatch(raw):
                reason = "dateline"
            if reason is None and a & 4 and len(_SEPARATOR.findall(raw[:MAX_PATTERN_LINE])) >= HEADER_MIN_SEPARATORS:
                reason = "site_header"
            if reason is None and a & _bp.ASK_TAGLINE and _is_tagline(raw, _words(wordlines[k]), stops):
                reason = "site_tagline"
            memo[raw] = reason
        reasons[k] = reason
        if reason == "attribution" and outlet is None:
            outlet = _attributed_outlet(raw)

    # Teaser runs: maximal runs of short promos ending in an ellipsis (and
    # free or advertisement), of TEASER_MIN_RUN lines when every line after
    # the run already has a reason, else of one more.
    ellipsis = [k for k, a in enumerate(asks_l) if a & _bp.ASK_TEASER] if n > 1 else []
    if len(ellipsis) >= TEASER_MIN_RUN:
        last_free = n - 1
        while last_free >= 0 and reasons[last_free] is not None:
            last_free -= 1
        runs: list[list[int]] = []
        run: list[int] = []
        for k in ellipsis:
            if reasons[k] is not None and reasons[k] != "advertisement":
                if run:
                    runs.append(run)
                    run = []
                continue
            if run and run[-1] != k - 1:
                runs.append(run)
                run = []
            run.append(k)
        if run:
            runs.append(run)
        for run in runs:
            if len(run) >= TEASER_MIN_RUN and (run[-1] + 1 > last_free or len(run) >= TEASER_MIN_RUN + 1):
                for k in run:
                    reasons[k] = "teaser"
    return reasons, outlet


@dataclass(slots=True)
class _Columns:
    """A page's lines after the rule stage, by columns (what :func:`boilerplate` reads)."""

    starts: list[int]
    ends: list[int]
    texts: list[str]
    wordlines: list[str]  # case-folded words joined by a space
    reasons: list[str | None]
    rule: np.ndarray  # whether a rule flagged the line
    lang: str | None
    outlet: str | None
    features: np.ndarray
    shape: PageShape


def _columns(text: str, templates: frozenset[str], skip: Sequence[tuple[int, int]]) -> _Columns | None:
    """Lines, rule reasons and features of ``text``; ``None`` when it has no line."""
    lex = _lexicon()
    cls = char_classes()
    points = codes(text)
    starts, ends = _kernels.line_spans(points, cls)
    if skip and len(starts):
        kept = _skip_filter(list(zip(starts.tolist(), ends.tolist())), skip)
        starts = np.array([s for s, _ in kept], dtype=np.int64)
        ends = np.array([e for _, e in kept], dtype=np.int64)
    if not len(starts):
        return None
    # The words of every line, case-folded in one call: words hold no
    # space or line break, and case folding adds none.
    # (By a table of the code points that fold to one, else by str.casefold.)
    joined = _kernels.joined_words(points, starts, ends, cls)
    fpoints, one_to_one = _bp.fold_codes(joined, _bp.fold_one())
    if one_to_one:
        folded = fpoints.tobytes().decode(_UTF32, "surrogatepass")
    else:
        folded = joined.tobytes().decode(_UTF32, "surrogatepass").casefold()
        fpoints = codes(folded)
    wordlines = folded.split("\n")
    starts_l, ends_l = starts.tolist(), ends.tolist()
    texts = [text[s:e] for s, e in zip(starts_l, ends_l)]
    st = _stops()
    ids, lengths, nwords = _kernels.page_words(fpoints, len(texts), st.table, st.vcodes, st.voff)
    sample = min(LANGUAGE_SAMPLE_WORDS, len(ids))
    lang = _best_language(ids[:sample], lengths[:sample])
    page_lang = lang or "en"
    stops = lex.stopwords.get(page_lang, frozenset())
    template = template_lines(text, templates, starts, ends, points)
    reasons, outlet = _rules(points, starts, ends, texts, wordlines, fpoints, nwords, template, stops, lex)
    if page_lang in st.langs:
        nstop, word_chars = _kernels.line_word_stats(ids, lengths, nwords, st.masks, st.langs.index(page_lang))
    else:  # pragma: no cover - no English list: no stop words
        nstop, word_chars = _kernels.line_word_stats(
            np.full(len(ids), -1, dtype=np.int32), lengths, nwords, st.masks, 0
        )
    # Repetition keys: the first REPEAT_KEY_WORDS words (the whole word line when it has no more).
    keys = [
        w if c <= REPEAT_KEY_WORDS else " ".join(w.split(" ", REPEAT_KEY_WORDS)[:REPEAT_KEY_WORDS])
        for w, c in zip(wordlines, nwords.tolist())
    ]
    rule = np.fromiter((r is not None for r in reasons), dtype=bool, count=len(reasons))
    features, shape = page_features(
        points,
        starts,
        ends,
        nwords,
        nstop,
        word_chars,
        texts,
        [r == "source_template" for r in reasons] if templates else np.zeros(len(reasons), dtype=bool),
        rule,
        keys,
    )
    return _Columns(starts_l, ends_l, texts, wordlines, reasons, rule, lang, outlet, features, shape)


def _page(text: str, templates: frozenset[str], skip: Sequence[tuple[int, int]]) -> _Page | None:
    """:func:`_columns` as line objects (``scripts/build_boilerplate_model.py`` reads them)."""
    cols = _columns(text, templates, skip)
    if cols is None:
        return None
    lines = [
        _Line(s, e, t, _words(w), r)
        for s, e, t, w, r in zip(cols.starts, cols.ends, cols.texts, cols.wordlines, cols.reasons)
    ]
    return _Page(lines, cols.lang, cols.outlet, cols.features, cols.shape)


def _repeat_key(words: list[str]) -> str:
    # Repetition within a page: the first words of a line (a menu item, a
    # "Reply" link, a teaser repeated in two boxes).
    return " ".join(words[:REPEAT_KEY_WORDS])


def content_logits(features: np.ndarray) -> np.ndarray:
    """The model's content log-odds of each row of a :func:`page_features` matrix."""
    m = _model()
    if m.kind == "gbt":
        return gbt_logits(features, m.split_feature, m.split_value, m.leaf, m.depth, m.base)
    return ((features - m.mean) / m.scale) @ m.weights + m.base


def smooth(scores: Sequence[float], switch_cost: float) -> list[bool]:
    """Content or not for each line: the labelling that maximises the summed
    scores of its content lines minus ``switch_cost`` per change of class
    (a two-state Viterbi pass, linear).

    >>> smooth([3.0, -0.5, 3.0, -3.0, -3.0], 1.0)
    [True, True, True, False, False]
    """
    n = len(scores)
    if n == 0:
        return []
    # best[c]: best total of a labelling of lines[:i+1] ending in class c
    back: list[tuple[int, int]] = []
    b0, b1 = 0.0, scores[0]
    for i in range(1, n):
        s = scores[i]
        # to 0 (boilerplate): from 0 or switch from 1
        if b0 >= b1 - switch_cost:
            n0, p0 = b0, 0
        else:
            n0, p0 = b1 - switch_cost, 1
        if b1 >= b0 - switch_cost:
            n1, p1 = b1 + s, 1
        else:
            n1, p1 = b0 - switch_cost + s, 0
        back.append((p0, p1))
        b0, b1 = n0, n1
    state = 1 if b1 >= b0 else 0
    out = [False] * n
    for i in range(n - 1, -1, -1):
        out[i] = state == 1
        if i > 0:
            state = back[i - 1][state]
    return out


def _model_reason(row: np.ndarray, i: int, shape: PageShape) -> str:
    """Which feature group decided a line the model flagged."""
    if row[_F["has_url"]] or row[_F["has_email"]] or row[_F["has_handle"]]:
        return "links"
    if row[_F["copyright"]]:
        return "copyright"
    if row[_F["separators"]] >= NAV_MIN_SEPARATORS / 6.0 or row[_F["log_words"]] <= NAV_MAX_LOG_WORDS:
        return "navigation"
    if row[_F["ends_ellipsis"]] or row[_F["title_like"]]:
        return "teaser"
    if i < shape.run_start:
        return "header"
    if i >= shape.run_end:
        return "footer"
    return "low_content"


def _model_reasons(rows: np.ndarray, index: np.ndarray, shape: PageShape) -> list[str]:
    """:func:`_model_reason` of many lines at once (``rows``: their features, ``index``: their positions)."""
    conditions = [
        (rows[:, _F["has_url"]] != 0) | (rows[:, _F["has_email"]] != 0) | (rows[:, _F["has_handle"]] != 0),
        rows[:, _F["copyright"]] != 0,
        (rows[:, _F["separators"]] >= NAV_MIN_SEPARATORS / 6.0) | (rows[:, _F["log_words"]] <= NAV_MAX_LOG_WORDS),
        (rows[:, _F["ends_ellipsis"]] != 0) | (rows[:, _F["title_like"]] != 0),
        index < shape.run_start,
        index >= shape.run_end,
    ]
    codes_ = np.select(conditions, np.arange(len(conditions)), len(conditions))
    names = (
        "links",
        "copyright",
        "navigation",
        "teaser",
        "header",
        "footer",
        "low_content",
    )
    return [names[c] for c in codes_.tolist()]


def classify(page: _Page) -> list[bool]:
    """Model and smoothing: whether each line of ``page`` is content (rule lines excluded from smoothing)."""
    m = _model()
    lines = page.lines
    logits = content_logits(page.features)
    if len(lines) > CLASSIFY_ARRAY_LINES:
        return _classify_arrays(page, logits, m)
    free = [i for i, ln in enumerate(lines) if ln.reason is None]
    scores = [float(logits[i]) - m.threshold for i in free]
    content = [False] * len(lines)
    for i, keep in zip(free, smooth(scores, m.switch_cost)):
        content[i] = keep
    for i, ln in enumerate(lines):
        if ln.reason is None and not content[i]:
            p = 1.0 / (1.0 + math.exp(min(max(float(logits[i]), -50.0), 50.0)))
            ln.reason = _model_reason(page.features[i], i, page.shape)
            ln.score = max(p, MODEL_MIN_SCORE)
    return content


def _classify_arrays(page: _Page, logits: np.ndarray, m: _Model) -> list[bool]:
    """:func:`classify` of a long page: compiled smoothing, reasons by columns (the same results)."""
    lines = page.lines
    free = np.flatnonzero(np.fromiter((ln.reason is None for ln in lines), dtype=bool, count=len(lines)))
    keep = _kernels.smooth_states(logits[free] - m.threshold, m.switch_cost)
    content = np.zeros(len(lines), dtype=bool)
    content[free] = keep
    drop = free[~keep]
    reasons = _model_reasons(page.features[drop], drop, page.shape)
    for i, reason, logit in zip(drop.tolist(), reasons, logits[drop].tolist()):
        ln = lines[i]
        p = 1.0 / (1.0 + math.exp(min(max(logit, -50.0), 50.0)))
        ln.reason = reason
        ln.score = max(p, MODEL_MIN_SCORE)
    return content.tolist()


def boilerplate(
    text: str,
    *,
    templates: frozenset[str] = frozenset(),
    skip: Sequence[tuple[int, int]] = (),
) -> SignalOutput:
    """Flag the boilerplate lines of ``text``.

    Args:
        text: The article text.
        templates: Normalised template lines of the article's source
            (:func:`source_templates`).
        skip: Character spans already explained by another signal (spam
            link blocks); their lines are neither flagged nor used as context.

    Returns:
        Flags of kind ``boilerplate`` (one per line) and signals
        ``boilerplate_lines``, ``boilerplate_chars``, ``boilerplate_share``
        and ``attributed_outlet`` (the outlet an attribution line names, or
        ``None``).
    """
    cols = _columns(text, templates, skip)
    if cols is None:
        return SignalOutput(
            signals={
                "boilerplate_lines": 0,
                "boilerplate_chars": 0,
                "boilerplate_share": 0.0,
                "attributed_outlet": None,
            }
        )
    reasons = cols.reasons
    scores = _classify_columns(cols)
    flags = _flags(cols.starts, cols.ends, reasons, scores)
    chars = sum(f.end - f.start for f in flags)
    total = sum(cols.ends) - sum(cols.starts)
    return SignalOutput(
        flags=flags,
        signals={
            "boilerplate_lines": len(flags),
            "boilerplate_chars": chars,
            "boilerplate_share": round(chars / total, 4) if total else 0.0,
            "attributed_outlet": cols.outlet,
        },
    )


def _flags(
    starts: list[int], ends: list[int], reasons: list[str | None], scores: list[float | None]
) -> tuple[Flag, ...]:
    """A flag per line with a reason. On pages of more than :data:`GC_PAUSE_LINES` lines the cyclic
    garbage collector's automatic passes are paused while the flags are made (each flag is a
    tracked object: 200,000 of them set off full collections over the whole heap; none of them
    can be part of a cycle) and resumed after, if they were on."""

    def make() -> tuple[Flag, ...]:
        return tuple(
            Flag("boilerplate", s, e, r, 1.0 if sc is None else sc, _NO_EXTRA)
            for s, e, r, sc in zip(starts, ends, reasons, scores)
            if r
        )

    if len(starts) <= GC_PAUSE_LINES or not gc.isenabled():
        return make()
    gc.disable()
    try:
        return make()
    finally:
        gc.enable()


def _model_score(logit: float) -> float:
    """The reported confidence of a line the model flagged (rounded as flags carry it)."""
    p = 1.0 / (1.0 + math.exp(min(max(logit, -50.0), 50.0)))
    return round(max(p, MODEL_MIN_SCORE), 3)


def _classify_columns(cols: _Columns) -> list[float | None]:
    """:func:`classify` of a page's columns: sets the reason of each line the model flags in
    ``cols.reasons`` and returns each line's score (``None``: 1.0, a rule line or content)."""
    m = _model()
    reasons = cols.reasons
    n = len(reasons)
    logits = content_logits(cols.features)
    scores: list[float | None] = [None] * n
    if n > CLASSIFY_ARRAY_LINES:
        free = np.flatnonzero(~cols.rule)
        keep = _kernels.smooth_states(logits[free] - m.threshold, m.switch_cost)
        drop = free[~keep]
        named = _model_reasons(cols.features[drop], drop, cols.shape)
        exp = math.exp
        for i, reason, logit in zip(drop.tolist(), named, logits[drop].tolist()):
            reasons[i] = reason
            # _model_score, inlined
            scores[i] = round(max(1.0 / (1.0 + exp(min(max(logit, -50.0), 50.0))), MODEL_MIN_SCORE), 3)
        return scores
    free = [i for i, r in enumerate(reasons) if r is None]
    smoothed = smooth([float(logits[i]) - m.threshold for i in free], m.switch_cost)
    for i, keep_ in zip(free, smoothed):
        if not keep_:
            reasons[i] = _model_reason(cols.features[i], i, cols.shape)
            scores[i] = _model_score(float(logits[i]))
    return scores


SIGNAL = Signal(
    name="boilerplate",
    compute=boilerplate,
    summary="lines that are not the article: navigation, headers, footers, teasers, share bars, source templates "
    "(rules, then a line classifier learnt from real pages)",
    emits=(
        "boilerplate_lines",
        "boilerplate_chars",
        "boilerplate_share",
        "attributed_outlet",
    ),
    flag_kinds=("boilerplate",),
    needs=("templates", "skip"),
    after=("spam_links",),
    removes_lines=True,
    params={
        "TEMPLATE_MIN_STORIES": TEMPLATE_MIN_STORIES,
        "TEMPLATE_MIN_SHARE": TEMPLATE_MIN_SHARE,
        "MODEL_FILE": MODEL_FILE,
        "MODEL_MIN_SCORE": MODEL_MIN_SCORE,
    },
)
