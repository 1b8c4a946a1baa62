"""Spam link blocks: runs of lines made of bare domains or URLs.

Spam networks and scraped "news" pages append lists of domains to the
article, one per line, often behind an emoji or bullet and after a call to
action ("Follow more", which spinners rewrite as "Comply with extra")::

    👇Comply with extra 👇
    👉 bdphone.com
    👉 www.forexdhaka.com
    👉 ultra-sim.com

:func:`spam_links` finds such blocks and returns one flag per block
(``kind="spam_links"``, ``reason="link_block"``), covering the trigger line
(when there is one) and the whole run, with the hosts in ``extra``.

Citation and reference lists look alike ("Sources:" and article URLs,
``[1] https://…``, "Sources include: WSJ.com, Bloomberg.com") but are the
opposite of spam: they get no flag and are counted in the signals
``reference_blocks`` and ``reference_links`` instead (step 7 below).

The rule, with the constants below (see ``docs/signals.md``, "Spam link blocks"):

* A **link** is a whitespace-separated token, stripped of leading and
  trailing non-alphanumeric characters, that is a URL (``http://``,
  ``https://``), starts with ``www.``, or is a bare host name
  (``label.label``, each label letters, digits and inner hyphens, at most
  :data:`MAX_LABEL_CHARS` characters, the whole at most
  :data:`MAX_HOST_CHARS`) whose last label is letters only and not
  Title-case (``example.com`` or ``EXAMPLE.COM``, not ``Putin.In``), with an
  optional path. E-mail addresses are not links.
* A link is **listed** when its host ends in a public suffix of the bundled
  Public Suffix List (read with tldextract, offline, private suffixes
  included) or has a scheme or ``www.``; otherwise it is **unlisted**
  (``bangladeshi.assist``: ``.assist`` is no public suffix, it is the spun
  form of ``.help``).
* A **link line** has at least one link, and links make up at least
  :data:`LINK_LINE_MIN_SHARE` of its words; decoration (tokens without a
  letter or digit: emoji, bullets, dashes, pipes) and a leading list number
  (``1.``, ``(2)``, ``[3]``) are not words.
* A **run** is a maximal sequence of link lines separated only by blank
  lines. A **trigger** is the nearest non-blank line before the run when it
  has at most :data:`MAX_TRIGGER_WORDS` words and starts with a phrase from
  ``data/spam_triggers.json``.
* A run is a **candidate** when it has at least :data:`MIN_RUN_LINES` link
  lines, or a trigger (or a citation header) and at least
  :data:`MIN_TRIGGERED_LINKS` links; and at least :data:`MIN_LISTED_SHARE` of
  its links are listed (a list of file names such as ``notes.txt`` is not a
  block).
* A candidate is a **citation list** when its citation score (a citation
  header such as "Sources:"/"Quellen"/"Fuentes" from
  ``data/citation_headers.json``, deep article links, known outlets from
  ``data/news_outlets.txt``, domains the text names, numbered lines; see
  :data:`CITATION_WEIGHTS`) reaches :data:`CITATION_MIN_SCORE` and beats its
  farm score (a trigger, emoji bullets, look-alike names, bare homepages;
  :data:`FARM_WEIGHTS`). Otherwise it is a **block** (a link farm).

Work is linear in the text's length: a regular-expression scan for
"x.ab" (no nested quantifiers) and a substring scan for "://" find the few
lines that can hold a link, and only those lines are split into tokens;
texts without a candidate (most articles) return after those two scans.

>>> out = spam_links("Intro.\\nFollow us\\n- a-news.com\\n- b-news.net\\nEnd.")
>>> out.signals["spam_link_blocks"], list(out.signals["spam_domains"])
(1, ['a-news.com', 'b-news.net'])
>>> f = out.flags[0]
>>> "Intro.\\nFollow us\\n- a-news.com\\n- b-news.net\\nEnd."[f.start:f.end]
'Follow us\\n- a-news.com\\n- b-news.net'
>>> spam_links("Read the report at https://example.org/report.").flags
()
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Mapping
from importlib import resources
from types import MappingProxyType
from typing import Any, NamedTuple

from ..model import Flag
from . import Signal, SignalOutput

__all__ = [
    "CITATION_MIN_SCORE",
    "CITATION_WEIGHTS",
    "FARM_WEIGHTS",
    "LINK_LINE_MIN_SHARE",
    "MAX_HOST_CHARS",
    "MAX_LABEL_CHARS",
    "MAX_TRIGGER_CHARS",
    "MAX_TRIGGER_WORDS",
    "MIN_LISTED_SHARE",
    "MIN_RUN_LINES",
    "MIN_TRIGGERED_LINKS",
    "UNTRIGGERED_SCORE_FLOOR",
    "spam_links",
]

# --- The block rule -------------------------------------------------------

#: Link lines a run needs without a trigger line. Two domain lines occur in
#: ordinary pages (a "Sources:" list, a site's own web and shop address);
#: the spam blocks seen (seed 003: 12 lines) are far longer. 3 is the
#: smallest run that is already a list rather than a pair of references.
MIN_RUN_LINES = 3

#: Links a run needs after a trigger line ("Follow us", "Comply with
#: extra"): the call to action is itself evidence, so a pair of links
#: ("Follow us" + two social-media addresses) is enough.
MIN_TRIGGERED_LINKS = 2

#: Share of a line's words that must be links. 0.5 keeps "Website:
#: example.com" (1 of 2) and every seed block line (1 of 1) while leaving
#: out sentences that cite a URL, which have at least four other words
#: ("Read the report at https://…": 1 of 5).
LINK_LINE_MIN_SHARE = 0.5

#: Share of a run's links whose host has a public suffix (or a scheme or
#: ``www.``). Seed 003 has 11 of 12; a list of file names (``notes.txt``,
#: ``setup.cfg``) has none. Half lets a spun or invented suffix
#: (``bangladeshi.assist``) ride along in a real block without letting a
#: run of such tokens form one on its own.
MIN_LISTED_SHARE = 0.5

#: A trigger line is short: the longest phrase in the trigger file has 4
#: words, and decorated forms ("👇 Follow us on social media 👇") stay
#: under 8. A longer line is prose, not a call to action.
MAX_TRIGGER_WORDS = 8

#: Lines longer than this are never read as triggers (bounds the work spent
#: on the one line before each run).
MAX_TRIGGER_CHARS = 200

#: RFC 1035 limits: a host name has at most 253 characters, a label 63.
MAX_HOST_CHARS = 253
MAX_LABEL_CHARS = 63

#: Score of an untriggered block whose links are all full URLs with paths
#: (the form a reference list takes); it rises linearly to 1.0 as the share
#: of bare hosts (``bdphone.com``, the form of spam lists) rises to 1. A
#: triggered block scores 1.0.
UNTRIGGERED_SCORE_FLOOR = 0.5

# --- Link farms vs citation lists ----------------------------------------

#: A run is a citation list (no flag; counted in ``reference_links``) when
#: its citation score reaches this and beats its farm score. Each weight
#: multiplies a share in [0, 1] (or a yes/no): an introducing header
#: ("Sources:", "Quellen", "Sources include:") or deep article links alone
#: reach it; known outlets alone (1.5) or domains the text names (1.0) need
#: each other or a header. Hand-set on the generated lists of
#: ``benchmarks/bench_links.py`` (docs/signals.md has the figures).
CITATION_MIN_SCORE = 1.5
CITATION_WEIGHTS = MappingProxyType({"intro": 2.0, "deep": 2.0, "outlet": 1.5, "named": 1.0, "numbered": 0.5})
#: Farm evidence: a call to action before the run (a trigger line), emoji
#: bullets, look-alike names (``bdphone.com``/``bdphoneonline.com``) and
#: bare homepages.
FARM_WEIGHTS = MappingProxyType({"trigger": 2.0, "emoji": 1.0, "alike": 1.0, "bare": 0.5})
#: Lines led by a character at or above U+2190 (arrows, symbols, emoji) are
#: decorated; "•" (U+2022) and "-" are plain bullets, used by both kinds.
EMOJI_MIN_CODEPOINT = 0x2190
#: Look-alike names are compared among a run's first this many distinct
#: labels (the comparison is quadratic in them).
MAX_ALIKE_LABELS = 40
#: Path characters read to judge a link deep.
MAX_PATH_CHARS = 300

# --- Scanning -------------------------------------------------------------

# A line can hold a link only if it has a letter or digit, a dot and two
# letters ("a.co", "w.fo"), or a scheme separator "://". The pattern starts
# with a literal so the engine skips ahead with a fast scan (a leading
# character class makes it ~40x slower on prose); the letter or digit before
# the dot is checked after a match. No nested quantifiers: matching is
# linear. Matches never contain "\n".
_DOT_CANDIDATE = re.compile(r"\.[^\W\d_]{2}")
_ALNUM = re.compile(r"[^\W_]")
_NON_ALNUM_RUN = re.compile(r"[\W_]+")
_NUMBERING = re.compile(r"[(\[#]?\d{1,3}[.):\]]?")
_SCHEMES = ("http://", "https://")
# Slug words ("kim-meets-shoigu") and article ids or dates in a path segment.
_SLUG = re.compile(r"[^\W_]{2,}[-_][^\W_]{2,}")
_ARTICLE_ID = re.compile(r"\d{5,}|(?:19|20)\d\d[-_]?[01]\d")
_WORDS = re.compile(r"[^\W_]+")


class _Link(NamedTuple):
    host: str  # lower-cased host as written (with "www." if present)
    registered: str  # registered domain; the host without "www." if unlisted
    listed: bool  # public suffix, scheme or "www."
    bare: bool  # no scheme and no path
    deep: bool  # a path that names one page: two segments, a slug, a date or an article id


# --- The suffix list ------------------------------------------------------

_EXTRACTOR: Any = None


def _extractor() -> Any:
    """The tldextract extractor, built once per process on first use.

    Built from the suffix list bundled with tldextract: no URL to fetch
    (``suffix_list_urls=()``) and no disk cache (``cache_dir=None``), so it
    never touches the network or the file system. Only this module global
    holds it; functions that use it pickle by reference, so each Ray or
    multiprocessing worker builds its own on first use.
    """
    global _EXTRACTOR
    if _EXTRACTOR is None:
        try:
            import tldextract
        except ImportError as exc:  # pragma: no cover - a declared dependency
            raise ImportError("newsqa's spam_links signal needs tldextract: pip install 'tldextract>=5.1'") from exc
        _EXTRACTOR = tldextract.TLDExtract(
            suffix_list_urls=(),
            cache_dir=None,
            fallback_to_snapshot=True,
            include_psl_private_domains=True,
        )
    return _EXTRACTOR


def _registered_domain(host: str) -> str:
    """The host's registered domain under the Public Suffix List, or ``""``."""
    try:
        result = _extractor().extract_str(host)
    except (ValueError, UnicodeError):  # pragma: no cover - defensive
        return ""
    # top_domain_under_public_suffix is tldextract >= 5.3; older versions
    # call it registered_domain (deprecated since).
    reg = getattr(result, "top_domain_under_public_suffix", None)
    if reg is None:  # pragma: no cover - tldextract < 5.3
        reg = result.registered_domain
    return str(reg)


# --- The trigger phrases --------------------------------------------------

_TRIGGERS: frozenset[str] | None = None


def _norm_phrase(s: str) -> str:
    return " ".join(_NON_ALNUM_RUN.sub(" ", s.casefold()).split())


def _triggers() -> frozenset[str]:
    global _TRIGGERS
    if _TRIGGERS is None:
        raw = resources.files("newsqa.data").joinpath("spam_triggers.json").read_text(encoding="utf-8")
        data = json.loads(raw)
        phrases = {_norm_phrase(p) for lang, items in data.items() if not lang.startswith("_") for p in items}
        phrases.discard("")
        _TRIGGERS = frozenset(phrases)
    return _TRIGGERS


def _trigger_phrase(line: str) -> str | None:
    """The trigger phrase ``line`` starts with, or ``None``."""
    if len(line) > MAX_TRIGGER_CHARS:
        return None
    words = _norm_phrase(line).split()
    if not words or len(words) > MAX_TRIGGER_WORDS:
        return None
    triggers = _triggers()
    # Longest prefix first, so "follow us" wins over "follow".
    for n in range(len(words), 0, -1):
        phrase = " ".join(words[:n])
        if phrase in triggers:
            return phrase
    return None


_HEADERS: frozenset[str] | None = None
_OUTLETS: frozenset[str] | None = None


def _headers() -> frozenset[str]:
    global _HEADERS
    if _HEADERS is None:
        raw = resources.files("newsqa.data").joinpath("citation_headers.json").read_text(encoding="utf-8")
        data = json.loads(raw)
        phrases = {_norm_phrase(p) for lang, items in data.items() if not lang.startswith("_") for p in items}
        phrases.discard("")
        _HEADERS = frozenset(phrases)
    return _HEADERS


def _outlets() -> frozenset[str]:
    global _OUTLETS
    if _OUTLETS is None:
        raw = resources.files("newsqa.data").joinpath("news_outlets.txt").read_text(encoding="utf-8")
        _OUTLETS = frozenset(
            ln.strip().lower() for ln in raw.splitlines() if ln.strip() and not ln.lstrip().startswith("#")
        )
    return _OUTLETS


def _is_citation_header(line: str) -> bool:
    """Whether ``line`` starts with a citation header phrase ("Sources:", "Quellen")."""
    if len(line) > MAX_TRIGGER_CHARS:
        return False
    words = _norm_phrase(line).split()
    if not words or len(words) > MAX_TRIGGER_WORDS:
        return False
    headers = _headers()
    return any(" ".join(words[:n]) in headers for n in range(min(len(words), 4), 0, -1))


# --- Tokens and lines -----------------------------------------------------


def _valid_label(label: str) -> bool:
    return (
        0 < len(label) <= MAX_LABEL_CHARS and label[0] != "-" and label[-1] != "-" and label.replace("-", "").isalnum()
    )


def _parse_link(token: str, cache: dict[str, _Link | None]) -> _Link | None:
    """The link ``token`` is (edges already stripped), or ``None``."""
    if token in cache:
        return cache[token]
    link = _parse_link_uncached(token)
    cache[token] = link
    return link


def _parse_link_uncached(token: str) -> _Link | None:
    head = token[:8].lower()
    scheme = head.startswith(_SCHEMES)
    if scheme:
        rest = token[token.index("://") + 3 :]
    else:
        if "@" in token or ":" in token.split("/", 1)[0]:
            return None  # e-mail address, mailto:, "host:port" without a scheme
        rest = token
    cut = len(rest)
    for sep in "/?#":
        i = rest.find(sep, 0, cut)
        if i != -1:
            cut = i
    host, has_path = rest[:cut], cut < len(rest) - 1
    deep = has_path and _is_deep(rest[cut:])
    if scheme:
        host = host.rpartition("@")[2]  # user:password@
        host = host.partition(":")[0]  # :port
    if not host or len(host) > MAX_HOST_CHARS:
        return None
    labels = host.split(".")
    if len(labels) < 2 or not all(_valid_label(label) for label in labels):
        return None
    www = labels[0].lower() == "www" and len(labels) > 2
    if not scheme:
        tld = labels[-1]
        if not (tld[:4].lower() == "xn--" or (len(tld) >= 2 and tld.isalpha() and (tld.islower() or tld.isupper()))):
            return None
    lowered = host.lower()
    registered = _registered_domain(lowered)
    listed = bool(registered) or scheme or www
    if not registered:
        registered = lowered[4:] if www else lowered
    return _Link(lowered, registered.lower(), listed, not scheme and not has_path, deep)


def _is_deep(path: str) -> bool:
    """Whether a URL path (from its first ``/``, ``?`` or ``#``) points at one article."""
    path = path[:MAX_PATH_CHARS]
    segments = [seg for seg in path.partition("?")[0].partition("#")[0].split("/") if seg]
    if len(segments) >= 2:
        return True
    return bool(segments) and (_SLUG.search(segments[0]) is not None or _ARTICLE_ID.search(segments[0]) is not None)


def _line_links(line: str, cache: dict[str, _Link | None]) -> list[_Link] | None:
    """The links of ``line`` if it is a link line, else ``None``."""
    links: list[_Link] = []
    words = 0
    first = True
    for raw in line.split():
        if raw.isalpha():  # fast path for plain words, most of a prose line
            words += 1
            first = False
            continue
        m = _ALNUM.search(raw)
        if m is None:
            continue  # decoration: emoji, bullet, dash, pipe
        if first:
            first = False
            if _NUMBERING.fullmatch(raw):
                continue  # "1.", "(2)", "[3]"
        words += 1
        if "." not in raw:
            continue  # every link has a dot
        # Strip non-alphanumeric edges: "(bdphone.com)," -> "bdphone.com".
        end = len(raw) - _ALNUM.search(raw[::-1]).start()  # type: ignore[union-attr]
        token = raw[m.start() : end]
        link = _parse_link(token, cache)
        if link is not None:
            links.append(link)
    if links and len(links) >= LINK_LINE_MIN_SHARE * words:
        return links
    return None


class _Run:
    __slots__ = ("decorated", "first_end", "first_start", "last_end", "lines", "links", "numbered")

    def __init__(self, start: int, end: int) -> None:
        self.first_start = start
        self.first_end = end
        self.last_end = end
        self.lines = 0
        self.links: list[_Link] = []
        self.decorated = 0  # lines led by an emoji or symbol
        self.numbered = 0  # lines led by a list number ("[1]", "2.")

    def add(self, start: int, end: int, links: list[_Link], line: str) -> None:
        self.last_end = end
        self.lines += 1
        self.links.extend(links)
        head = line.lstrip()[:1]
        if head and not head.isalnum() and ord(head) >= EMOJI_MIN_CODEPOINT:
            self.decorated += 1
        elif head and _NUMBERING.match(line.lstrip()) is not None and (head in "([#" or head.isdigit()):
            self.numbered += 1


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    line = text[start:end]
    return start + (len(line) - len(line.lstrip())), start + len(line.rstrip())


def _previous_line(text: str, start: int) -> tuple[int, int] | None:
    """Bounds of the nearest non-blank line before offset ``start`` (a line start)."""
    i = start - 1
    while i >= 0 and text[i].isspace():
        i -= 1
    if i < 0:
        return None
    # Look back at most MAX_TRIGGER_CHARS: a longer line is no trigger anyway.
    lo = max(0, i - MAX_TRIGGER_CHARS - 1)
    k = text.rfind("\n", lo, i)
    if k == -1 and lo > 0:
        return None
    return k + 1, i + 1


class _Context:
    """What the text around the runs says, computed once per text on first need."""

    __slots__ = ("_words", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self._words: Counter[str] | None = None

    def words(self) -> Counter[str]:
        if self._words is None:
            self._words = Counter(w.casefold() for w in _WORDS.findall(self.text))
        return self._words


def _citation_evidence(ctx: _Context, run: _Run, intro: bool) -> tuple[float, float]:
    """(citation score, farm score) of a run; see the module docstring."""
    links = run.links
    n = len(links)
    outlets = _outlets()
    deep = sum(link.deep for link in links) / n
    outlet = sum(link.registered in outlets for link in links) / n
    # Domains named in the text: the domain's first label ("bloomberg" of
    # bloomberg.com) occurs as a word outside the run.
    block_words = Counter(w.casefold() for w in _WORDS.findall(ctx.text[run.first_start : run.last_end]))
    words = ctx.words()
    labels = [link.registered.split(".", 1)[0] for link in links]
    named = sum(1 for lab in labels if len(lab) >= 2 and words.get(lab, 0) > block_words.get(lab, 0)) / n
    lines = max(run.lines, 1)
    citation = (
        CITATION_WEIGHTS["intro"] * intro
        + CITATION_WEIGHTS["deep"] * deep
        + CITATION_WEIGHTS["outlet"] * outlet
        + CITATION_WEIGHTS["named"] * named
        + CITATION_WEIGHTS["numbered"] * min(run.numbered / lines, 1.0)
    )
    bare = sum(link.bare for link in links) / n
    farm = (
        FARM_WEIGHTS["emoji"] * min(run.decorated / lines, 1.0)
        + FARM_WEIGHTS["alike"] * _alike_share(labels)
        + FARM_WEIGHTS["bare"] * bare
    )
    return citation, farm


def _alike_share(labels: list[str]) -> float:
    """Share of a run's distinct domain labels with a look-alike in the run
    (one contains the other, or they share a 5-letter start):
    ``bdphone``/``bdphoneonline``, ``ultraactivation``/``ultractivation``."""
    uniq = sorted(set(labels))[:MAX_ALIKE_LABELS]
    if len(uniq) < 2:
        return 0.0
    alike = 0
    for a in uniq:
        for b in uniq:
            if a != b and (
                (len(a) >= 4 and a in b) or (len(b) >= 4 and b in a) or (len(a) >= 5 and a[:5] == b[:5])
            ):
                alike += 1
                break
    return alike / len(uniq)


def _block(text: str, run: _Run, ctx: _Context) -> tuple[Flag | None, int]:
    """The run's flag if it is a link farm, and its link count if it is a citation list."""
    trigger: str | None = None
    start = run.first_start
    prev = _previous_line(text, run.first_start)
    intro = False
    if prev is not None:
        prev_line = text[prev[0] : prev[1]]
        trigger = _trigger_phrase(prev_line)
        if trigger is not None:
            start = prev[0]
        intro = _is_citation_header(prev_line)
    n = len(run.links)
    first_words = text[run.first_start : run.first_end]
    if not intro and run.links:
        # "Sources include: WSJ.com, Bloomberg.com": the header opens the line
        cut = first_words.casefold().find(run.links[0].host)
        intro = cut > 0 and _is_citation_header(first_words[:cut])
    if not (
        run.lines >= MIN_RUN_LINES
        or (trigger is not None and n >= MIN_TRIGGERED_LINKS)
        or (intro and n >= MIN_TRIGGERED_LINKS)
    ):
        return None, 0
    if sum(link.listed for link in run.links) < MIN_LISTED_SHARE * n:
        return None, 0
    citation, farm = _citation_evidence(ctx, run, intro)
    if trigger is not None:
        farm += FARM_WEIGHTS["trigger"]
    if citation >= CITATION_MIN_SCORE and citation > farm:
        return None, n
    if run.lines < MIN_RUN_LINES and trigger is None:
        return None, 0  # two links after a citation header that are not citations: no evidence either way
    if trigger is not None:
        score = 1.0
    else:
        bare = sum(link.bare for link in run.links) / n
        score = UNTRIGGERED_SCORE_FLOOR + (1.0 - UNTRIGGERED_SCORE_FLOOR) * bare
    span_start, _ = _trimmed(text, start, run.last_end)
    _, span_end = _trimmed(text, run.first_start, run.last_end)
    hosts = tuple(dict.fromkeys(link.host for link in run.links))
    registered = tuple(dict.fromkeys(link.registered for link in run.links))
    unlisted = tuple(dict.fromkeys(link.host for link in run.links if not link.listed))
    extra: Mapping[str, Any] = MappingProxyType(
        {
            "domains": hosts,
            "registered_domains": registered,
            "unlisted_domains": unlisted,
            "n_links": n,
            "trigger": trigger,
        }
    )
    return Flag("spam_links", span_start, span_end, "link_block", round(score, 4), extra), 0


def _next_dot(text: str, pos: int) -> int:
    """Offset of the next "x.ab" candidate's dot at or after ``pos``, or -1."""
    search, alnum = _DOT_CANDIDATE.search, _ALNUM.match
    while True:
        m = search(text, pos)
        if m is None:
            return -1
        i = m.start()
        if i > 0 and alnum(text, i - 1):
            return i
        pos = i + 1


def _candidate_lines(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each line that can hold a link, in order."""
    out: list[tuple[int, int]] = []
    n = len(text)
    pos = 0
    dot = _next_dot(text, 0)
    scheme = text.find("://")
    while dot != -1 or scheme != -1:
        hit = dot if scheme == -1 or (dot != -1 and dot < scheme) else scheme
        k = text.rfind("\n", pos, hit)
        start = k + 1 if k != -1 else pos  # pos is always a line start
        end = text.find("\n", hit)
        if end == -1:
            end = n
        out.append((start, end))
        pos = end + 1
        if dot != -1 and dot < pos:
            dot = _next_dot(text, pos)
        if scheme != -1 and scheme < pos:
            scheme = text.find("://", pos)
    return out


def _is_blank(text: str, start: int, end: int) -> bool:
    return start >= end or text[start:end].isspace()


def spam_links(text: str) -> SignalOutput:
    """Find spam link blocks in ``text``.

    Args:
        text: Article text (any ``str``, lone surrogates included).

    Returns:
        One ``Flag(kind="spam_links", reason="link_block")`` per block, in
        text order, spanning the trigger line (if any) through the last link
        line, with ``extra`` holding ``domains`` (hosts as listed,
        lower-cased, deduplicated), ``registered_domains``,
        ``unlisted_domains`` (hosts without a public suffix), ``n_links``
        and ``trigger`` (the matched phrase or ``None``); and the signals
        ``spam_link_blocks`` (count), ``spam_domains`` (registered
        domains of all blocks, in order, deduplicated), and
        ``reference_blocks`` / ``reference_links`` (citation lists found and
        the links in them; not flagged).

    Example:
        >>> out = spam_links("Visit\\n👉 shop-a.com\\n👉 www.shop-b.co.uk")
        >>> out.flags[0].extra["domains"]
        ('shop-a.com', 'www.shop-b.co.uk')
        >>> out.signals["spam_domains"]
        ('shop-a.com', 'shop-b.co.uk')
    """
    flags: list[Flag] = []
    references = 0
    reference_blocks = 0
    candidates = _candidate_lines(text)  # most articles: none, after two fast scans
    if candidates:
        cache: dict[str, _Link | None] = {}
        ctx = _Context(text)
        run: _Run | None = None

        def close(r: _Run) -> None:
            nonlocal references, reference_blocks
            flag, refs = _block(text, r, ctx)
            if flag is not None:
                flags.append(flag)
            if refs:
                references += refs
                reference_blocks += 1

        for start, end in candidates:
            line = text[start:end]
            links = _line_links(line, cache)
            if links is None:
                if run is not None:
                    close(run)
                    run = None
                continue
            if run is not None and _is_blank(text, run.last_end, start):
                run.add(start, end, links, line)
                continue
            if run is not None:
                close(run)
            run = _Run(start, end)
            run.add(start, end, links, line)
        if run is not None:
            close(run)
    domains = tuple(dict.fromkeys(d for f in flags for d in f.extra["registered_domains"]))
    return SignalOutput(
        flags=tuple(flags),
        signals=MappingProxyType(
            {
                "spam_link_blocks": len(flags),
                "spam_domains": domains,
                "reference_blocks": reference_blocks,
                "reference_links": references,
            }
        ),
    )


SIGNAL = Signal(
    name="spam_links",
    compute=spam_links,
    summary="link farms: blocks of links to unrelated sites (one flag per block, with its domains); "
    "citation lists are counted, not flagged",
    emits=("spam_link_blocks", "spam_domains", "reference_blocks", "reference_links"),
    flag_kinds=("spam_links",),
    removes_lines=True,
    params={"MIN_RUN_LINES": MIN_RUN_LINES, "MIN_TRIGGERED_LINKS": MIN_TRIGGERED_LINKS},
)
