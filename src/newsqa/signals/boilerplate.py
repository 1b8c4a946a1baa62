"""Boilerplate: the lines of a text that are not the article.

Four kinds of evidence, strongest first:

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
4. **Line features with context** in the spirit of C4 and jusText: the
   number of words, terminal punctuation and the share of stop words (from
   jusText's lists for 29 languages, the text's language picked by stop-word
   hits) sort lines into good, bad and short; short lines take the class of
   their surroundings, so a short real line between content lines stays
   content, and the first title-like line is the headline.

Works on a single text with no history; with templates it also catches the
site-specific lines no pattern names.

>>> text = "Kim met Putin.\\nThe two leaders talked for hours in Pyongyang on Wednesday.\\nSource: Ambito"
>>> out = boilerplate(text)
>>> [(text[f.start:f.end], f.reason) for f in out.flags]
[('Source: Ambito', 'attribution')]
>>> out.signals["attributed_outlet"]
'Ambito'
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from ..model import Flag
from . import Signal, SignalOutput

# Confidence of a line flagged by features alone (no pattern, no template).
LOW_CONTENT_SCORE = 0.6
# Words read to pick the stop-word list: a few hundred words tell the
# language apart reliably (langdetect samples about 1,000 characters).
LANGUAGE_SAMPLE_WORDS = 300
# Lines longer than this are never matched against the pattern lexicon:
# patterns describe short lines (the longest lexicon pattern spans about
# 250 characters), and the cap bounds matching time on a 5 MB single line.
MAX_PATTERN_LINE = 300
# A good line (jusText's "good" class, tuned on the seeds): at least this
# many words and this share of stop words. jusText uses 0.30 on paragraphs
# of 70+ characters; news sentences with many names run lower (seed 003's
# "Putin and Kim final met in japanese Russia in September 2023." has 0.27),
# so 0.15 with terminal punctuation and 0.25 without.
GOOD_MIN_WORDS = 5
GOOD_STOP_DENSITY_PUNCT = 0.15
GOOD_STOP_DENSITY_NOPUNCT = 0.25
GOOD_MIN_WORDS_NOPUNCT = 12
# A bad line: at most this many words and no terminal punctuation (menus,
# labels, share bars; C4 drops lines under 3 words), or a longer line
# without punctuation whose stop-word share is under BAD_STOP_DENSITY
# (lists of tags and sections).
BAD_MAX_WORDS = 3
BAD_STOP_DENSITY = 0.05
# A title-like line: the headline of the article when it comes first.
TITLE_MIN_WORDS = 3
TITLE_MAX_WORDS = 25
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

TERMINAL = frozenset(".!?…\"”’»)]:;")
ELLIPSIS_ENDINGS = ("…", "...")
_WORD = re.compile(r"\w+(?:[-'’]\w+)*")
_SPACE = re.compile(r"\s+")
_DIGITS = re.compile(r"\d+")
_SEPARATOR = re.compile(r"\s[|•·»›/]\s|\s[|]|[|]\s")
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")

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
    cls: str = "short"  # good | bad | short


def split_lines(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of every non-blank line, ``end`` before the line break and trailing blanks."""
    out: list[tuple[int, int]] = []
    pos = 0
    n = len(text)
    while pos < n:
        nl = _next_break(text, pos)
        line_end = nl
        s, e = pos, line_end
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
        if nl >= n:
            break
        pos = nl + (2 if text.startswith("\r\n", nl) else 1)
    return out


def _next_break(text: str, pos: int) -> int:
    a = text.find("\n", pos)
    b = text.find("\r", pos)
    if a < 0:
        a = len(text)
    if b < 0:
        b = len(text)
    return min(a, b)


def normalize_line(line: str) -> str:
    """The key of a line for template matching: NFKC, case-folded, digits as 0, single spaces."""
    line = unicodedata.normalize("NFKC", line).casefold()
    line = _DIGITS.sub("0", line)
    return _SPACE.sub(" ", line).strip()


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


def _pick_language(lines: Sequence[_Line], lex: _Lexicon) -> str | None:
    sample: list[str] = []
    for ln in lines:
        sample.extend(ln.words[: LANGUAGE_SAMPLE_WORDS - len(sample)])
        if len(sample) >= LANGUAGE_SAMPLE_WORDS:
            break
    hits: Counter[str] = Counter()
    for w, c in Counter(sample).items():
        for lang in lex.stop_langs.get(w, ()):
            hits[lang] += c
    if not hits:
        return None
    return max(hits.items(), key=lambda kv: (kv[1], kv[0] == "en", kv[0]))[0]


def _is_share_line(words: list[str], raw: str, lex: _Lexicon) -> bool:
    if not words or len(words) > 12:
        return False
    icons = 0
    for w in words:
        if w.startswith("icon-") or w.startswith("icon_"):
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


def _pattern_reason(line: str) -> str | None:
    if len(line) > MAX_PATTERN_LINE:
        return None
    for reason, pat in _lexicon().patterns:
        if pat.fullmatch(line):
            return reason
    return None


def boilerplate(
    text: str,
    *,
    templates: frozenset[str] = frozenset(),
    skip: Sequence[tuple[int, int]] = (),
    language: str | None = None,
) -> SignalOutput:
    """Flag the boilerplate lines of ``text``.

    Args:
        text: The article text.
        templates: Normalised template lines of the article's source
            (:func:`source_templates`).
        skip: Character spans already explained by another signal (spam
            link blocks); their lines are neither flagged nor used as context.
        language: ISO code of the text's language if known; otherwise it is
            picked by stop-word hits.

    Returns:
        Flags of kind ``boilerplate`` (one per line) and signals
        ``boilerplate_lines``, ``boilerplate_chars``, ``boilerplate_share``
        and ``attributed_outlet`` (the outlet an attribution line names, or
        ``None``).
    """
    lex = _lexicon()
    spans = [
        (s, e) for s, e in split_lines(text) if not any(a <= s < b or a < e <= b for a, b in skip)
    ]
    lines = [_Line(s, e, text[s:e], [w.casefold() for w in _WORD.findall(text[s:e])]) for s, e in spans]
    if not lines:
        return SignalOutput(signals={"boilerplate_lines": 0, "boilerplate_chars": 0, "boilerplate_share": 0.0,
                                     "attributed_outlet": None})
    lang = language if language in lex.stopwords else _pick_language(lines, lex)
    stops = lex.stopwords.get(lang or "en", frozenset())
    outlet: str | None = None

    # 1-3: templates, lexicon and line shapes
    for ln in lines:
        raw = ln.text
        if templates and normalize_line(raw) in templates:
            ln.reason = "source_template"
        elif _is_share_line(ln.words, raw, lex):
            ln.reason = "share_buttons"
        else:
            reason = _pattern_reason(raw)
            if reason is None and len(raw) <= MAX_PATTERN_LINE and _DATELINE.fullmatch(raw):
                reason = "dateline"
            if reason is None and len(ln.words) <= HEADER_MAX_WORDS and len(_SEPARATOR.findall(raw)) >= HEADER_MIN_SEPARATORS:
                reason = "site_header"
            if reason is None and len(ln.words) <= 30 and _is_tagline(raw, ln.words, stops):
                reason = "site_tagline"
            ln.reason = reason
        if ln.reason == "attribution" and outlet is None:
            outlet = _attributed_outlet(raw)
        if ln.reason is not None:
            ln.cls = "bad"

    # 3b: teaser runs (short promos ending in an ellipsis)
    i = 0
    while i < len(lines):
        j = i
        while (
            j < len(lines)
            and lines[j].reason in (None, "advertisement")
            and lines[j].text.endswith(ELLIPSIS_ENDINGS)
            and len(lines[j].words) <= TEASER_MAX_WORDS
        ):
            j += 1
        at_end = j == len(lines) or all(ln.reason is not None for ln in lines[j:])
        if j - i >= TEASER_MIN_RUN and (at_end or j - i >= TEASER_MIN_RUN + 1):
            for ln in lines[i:j]:
                ln.reason, ln.cls = "teaser", "bad"
        i = max(j, i + 1)

    # 4: line features
    for ln in lines:
        if ln.reason is not None:
            continue
        n = len(ln.words)
        density = sum(1 for w in ln.words if w in stops) / n if n else 0.0
        punct = ln.text[-1] in TERMINAL
        if n >= GOOD_MIN_WORDS and (
            (punct and density >= GOOD_STOP_DENSITY_PUNCT)
            or (n >= GOOD_MIN_WORDS_NOPUNCT and density >= GOOD_STOP_DENSITY_NOPUNCT)
        ):
            ln.cls = "good"
        elif not punct and (n <= BAD_MAX_WORDS or (density < BAD_STOP_DENSITY and n > BAD_MAX_WORDS)):
            ln.cls = "bad"
        else:
            ln.cls = "short"
    _smooth(lines)

    flags = tuple(
        Flag("boilerplate", ln.start, ln.end, ln.reason, round(ln.score, 3)) for ln in lines if ln.reason
    )
    chars = sum(f.end - f.start for f in flags)
    total = sum(ln.end - ln.start for ln in lines)
    return SignalOutput(
        flags=flags,
        signals={
            "boilerplate_lines": len(flags),
            "boilerplate_chars": chars,
            "boilerplate_share": round(chars / total, 4) if total else 0.0,
            "attributed_outlet": outlet,
        },
    )


def _smooth(lines: list[_Line]) -> None:
    """Resolve short lines by their neighbours; flag bad lines without a reason.

    The first title-like line before any good line is the headline. A short
    line takes content when the nearest classified line on either side is
    good; it is boilerplate when both nearest sides are bad or the edge.
    """
    n = len(lines)
    first_good = next((i for i, ln in enumerate(lines) if ln.cls == "good"), n)
    for i, ln in enumerate(lines[:first_good]):
        if ln.reason is None and ln.cls != "good" and TITLE_MIN_WORDS <= len(ln.words) <= TITLE_MAX_WORDS:
            if all(x.reason is not None for x in lines[:i]):
                ln.cls = "good"  # the headline
            break
    prev_cls = ["edge"] * n
    next_cls = ["edge"] * n
    last = "edge"
    for i, ln in enumerate(lines):
        prev_cls[i] = last
        if ln.cls != "short":
            last = ln.cls
    last = "edge"
    for i in range(n - 1, -1, -1):
        next_cls[i] = last
        if lines[i].cls != "short":
            last = lines[i].cls
    for i, ln in enumerate(lines):
        if ln.reason is not None:
            continue
        around = (prev_cls[i], next_cls[i])
        if ln.cls == "short":
            ln.cls = "good" if "good" in around else "bad"
        elif ln.cls == "bad" and around == ("good", "good"):
            ln.cls = "good"  # a short real line inside the body
        if ln.cls == "bad":
            ln.reason = "low_content"
            ln.score = LOW_CONTENT_SCORE


SIGNAL = Signal(
    name="boilerplate",
    compute=boilerplate,
    summary="lines that are not the article: share bars, headers, teasers, attribution lines, source templates",
    emits=("boilerplate_lines", "boilerplate_chars", "boilerplate_share", "attributed_outlet"),
    flag_kinds=("boilerplate",),
    needs=("templates", "skip"),
    after=("spam_links",),
    removes_lines=True,
    params={"TEMPLATE_MIN_STORIES": TEMPLATE_MIN_STORIES, "TEMPLATE_MIN_SHARE": TEMPLATE_MIN_SHARE},
)
