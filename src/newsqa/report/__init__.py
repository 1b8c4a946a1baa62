"""The HTML report: one self-contained page that explains a corpus.

:func:`render` turns a :class:`~newsqa.Report` and its input articles into
one HTML string that works offline: inline CSS, one inline script written
for it (``assets/report.js``), no fonts, images or requests of any kind. A
Content-Security-Policy allows that script only (by its hash), so even a
bug cannot run anything an article smuggles in.

Untrusted values (ids, sources, urls, texts, error messages) reach the
page two ways, both inert: in the HTML through :func:`html.escape`, and in
two ``<script type="application/json">`` islands through
:func:`json_island`, which escapes ``<``, ``>``, ``&``, U+2028 and U+2029 so
that ``</script>`` in a text cannot end the island. The script puts them
into the page with ``textContent`` only. An article url becomes a link only
when it is an ``http`` or ``https`` address.

What the page holds: see ``docs/report-format.md``.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from collections.abc import Iterable, Sequence
from importlib.resources import files
from typing import Any

from ..results import Report
from ._data import KNOWN_KINDS, MAX_EMBED_CHARS, PageData, build, published_of

__all__ = ["render"]

_ASSETS = files(__package__) / "assets"
SCRIPT = _ASSETS.joinpath("report.js").read_text(encoding="utf-8")
CSS = _ASSETS.joinpath("report.css").read_text(encoding="utf-8")
# The only script the page may run: the CSP names it by its SHA-256.
SCRIPT_HASH = "sha256-" + base64.b64encode(
    hashlib.sha256(SCRIPT.encode("utf-8")).digest()
).decode("ascii")
CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; "
    f"script-src '{SCRIPT_HASH}'; img-src data:; base-uri 'none'; form-action 'none'"
)
# Component colours of the source score bars cycle through this many classes
# (report.css: Tableau 10 plus two); scoring has 10 components today.
N_COLOURS = 12
# Score bars are drawn on this many points: newsqa.scoring's component
# weights sum to 100 (a larger total, should one appear, widens the scale).
SCORE_POINTS = 100.0
# Other sources named in a source's "copies of" / "copied by" lists.
MAX_NAMED_SOURCES = 5

_JSON_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}
# Only ever inside JSON strings, so replacing them by escapes keeps the JSON
# valid; lone surrogates would not encode as UTF-8.
_JSON_UNSAFE = re.compile("[<>&\u2028\u2029\ud800-\udfff]")
_HTML_UNSAFE = re.compile("[\x00\ud800-\udfff]")


def json_island(value: Any) -> str:
    """JSON for a ``<script type="application/json">`` element.

    Example:
        >>> json_island({"t": "</script><b>\\u2028"})
        '{"t":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u2028"}'
        >>> json.loads(json_island({"t": "</script>"}))["t"]
        '</script>'
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return _JSON_UNSAFE.sub(
        lambda m: _JSON_ESCAPES.get(m.group()) or f"\\u{ord(m.group()):04x}", text
    )


def _e(value: Any) -> str:
    """Any value as HTML text or a quoted attribute value."""
    text = html.escape("" if value is None else str(value), quote=True)
    return _HTML_UNSAFE.sub("\ufffd", text)


def _kind_class(kind: str) -> str:
    return f"k-{kind}" if kind in KNOWN_KINDS else "k-other"


def _status_class(status: str) -> str:
    return f"st-{status}" if status in ("ok", "empty", "error") else "st-other"


def _pct(part: int, whole: int) -> str:
    if whole <= 0:
        return "0%"
    share = 100.0 * part / whole
    return f"{share:.1f}%" if share >= 0.1 or part == 0 else "<0.1%"


def _num(n: int) -> str:
    return f"{n:,}"


def _score(value: float | None) -> str:
    if value is None:
        return "n/a"
    return f"{value:,.1f}" if abs(value) >= 100 else f"{value:.3g}"


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{_num(n)} {word if n == 1 else (plural or word + 's')}"


def render(report: Report, articles: Iterable[Any] = (), *, text_budget: int | None = None) -> str:
    """Render a report as one self-contained, interactive HTML page.

    Args:
        report: The result of :func:`newsqa.analyze`.
        articles: The input records (``Article``; unreadable records are
            ignored): their texts, urls and dates. Without them the page
            has no texts, clean texts or diffs.
        text_budget: The budget of :class:`newsqa.sinks.HtmlWriter`, named
            on the articles it listed without their texts.

    Returns:
        The page as a string; the same input always gives the same page.

    Example:
        >>> import newsqa
        >>> arts = [newsqa.Article("<b>", "Kim met Putin.</script>", "example.com")]
        >>> page = render(newsqa.analyze(arts), arts)
        >>> "&lt;b&gt;" in page and "<b>" not in page and page.count("</script>") == 3
        True
    """
    records = list(articles)
    data = build(report, records, text_budget)
    published = {a.id: published_of(a) for a in records if hasattr(a, "published")}
    n = data.overview["articles"]
    title = f"newsqa report: {_plural(n, 'article')}, {_plural(data.overview['clusters'], 'cluster')}"
    parts = [
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n',
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
        f'<meta http-equiv="Content-Security-Policy" content="{_e(CSP)}">\n',
        '<meta name="referrer" content="no-referrer">\n',
        '<link rel="icon" href="data:,">\n',
        f"<title>{_e(title)}</title>\n<style>\n{CSS}</style>\n</head>\n<body>\n",
        '<a class="skip" href="#articles">Skip to the articles</a>\n',
        _header(report, data),
        '<main id="main">\n',
        _overview(data),
        _sources(data),
        _filters(data),
        _clusters(data),
        _articles(report, data, published),
        "</main>\n",
        _footer(report),
        f'<script type="application/json" id="newsqa-meta">{json_island(data.meta)}</script>\n',
        f'<script type="application/json" id="newsqa-bodies">{json_island(data.bodies)}</script>\n',
        f"<script>{SCRIPT}</script>\n</body>\n</html>\n",
    ]
    return "".join(parts)



def _header(report: Report, data: PageData) -> str:
    o = data.overview
    sub = (
        f"{_plural(o['articles'], 'article')} from {_plural(o['sources'], 'source')}, "
        f"{_plural(o['clusters'], 'near-duplicate cluster')}; newsqa {report.newsqa_version}"
    )
    return (
        '<header class="top">\n<h1>newsqa report</h1>\n'
        f'<p class="sub">{_e(sub)}</p>\n'
        '<nav aria-label="Sections"><ul>'
        '<li><a href="#overview">Overview</a></li><li><a href="#sources">Sources</a></li>'
        '<li><a href="#clusters">Clusters</a></li><li><a href="#articles">Articles</a></li>'
        "</ul></nav>\n"
        '<noscript><p class="note">Scripts are off: the tables below list everything, '
        "but article texts, diffs and filters need the page's script.</p></noscript>\n"
        "</header>\n"
    )


def _card(label: str, value: str, detail: str = "", link: str = "") -> str:
    inner = (
        f'<span class="label">{_e(label)}</span><span class="value">{_e(value)}</span>'
    )
    if detail:
        inner += f'<span class="detail">{detail}</span>'
    return f'<div class="card">{inner}{link}</div>\n'


def _filter_link(text: str, attr: str, value: Any, target: str = "articles") -> str:
    return f'<a href="#{target}" data-f-{attr}="{_e(value)}">{_e(text)}</a>'


def _overview(data: PageData) -> str:
    o = data.overview
    kinds = data.meta["kinds"]
    status = o["status"]
    status_links = " \u00b7 ".join(
        _filter_link(f"{s} {_num(k)}", "status", s) if k else _e(f"{s} 0")
        for s, k in status.items()
    )
    cards = [
        _card("Articles", _num(o["articles"]), status_links),
        _card("Sources", _num(o["sources"]), '<a href="#sources">ranking</a>'),
        _card(
            "Clusters",
            _num(o["clusters"]),
            _e(
                f"{_plural(o['in_clusters'], 'article')} in clusters, {_plural(o['copies'], 'copy', 'copies')}"
            )
            + (
                " \u00b7 " + _filter_link("show", "cluster", "any")
                if o["clusters"]
                else ""
            ),
        ),
        _card(
            "Boilerplate or spam",
            _pct(o["flagged_chars"], o["chars"]),
            _e(f"of the text: boilerplate {_pct(o['boilerplate_chars'], o['chars'])}, ")
            + _e(f"spam links {_pct(o['spam_chars'], o['chars'])}"),
        ),
    ]
    for kind, label in (("spun", "Spun articles"), ("mojibake", "Mojibake articles")):
        k = o["with_kind"].get(kind, 0)
        link = _filter_link("show", "flag", kinds.index(kind)) if k else ""
        cards.append(_card(label, _num(k), link))
    for s, label in (("error", "Unreadable"), ("empty", "Empty")):
        k = status.get(s, 0)
        cards.append(
            _card(label, _num(k), _filter_link("show", "status", s) if k else "")
        )
    relations = ", ".join(
        f"{_num(v)} {k or 'other'}" for k, v in o["by_relation"].items()
    )
    note = (
        f'<p class="note">Copies by relation to their original: {_e(relations)}.</p>\n'
        if relations
        else ""
    )
    return (
        '<section id="overview" aria-labelledby="h-overview">\n<h2 id="h-overview">Overview</h2>\n'
        f'<div class="cards">\n{"".join(cards)}</div>\n{note}</section>\n'
    )


def _named(pairs: Sequence[tuple[str, int]]) -> str:
    shown = ", ".join(f"{s} ({k})" for s, k in pairs[:MAX_NAMED_SOURCES])
    rest = len(pairs) - MAX_NAMED_SOURCES
    return shown + (f" and {rest} more" if rest > 0 else "")


def _bar(row: dict[str, Any], scale: float) -> str:
    comps = row["components"]
    if not comps:
        return '<span class="muted">no components</span>'
    label = ", ".join(f"{name} {v:g}" for _, name, v in comps)
    segs = []
    for pos, name, v in comps:
        width = 100.0 * abs(v) / scale if scale > 0 else 0.0
        neg = " neg" if v < 0 else ""
        segs.append(
            f'<span class="seg c{pos % N_COLOURS}{neg}" style="width:{width:.2f}%" title="{_e(f"{name}: {v:g}")}"></span>'
        )
    return f'<div class="bar" role="img" aria-label="{_e(label)}">{"".join(segs)}</div>'


def _confidence(row: dict[str, Any]) -> str:
    c = row["confidence"]
    return (
        ""
        if c is None or row["score"] is None
        else f'<span class="detail">confidence {c:.2f}</span>'
    )


def _sources(data: PageData) -> str:
    rows = data.sources
    scored = any(r["score"] is not None for r in rows)
    scale = max(
        [SCORE_POINTS] + [sum(abs(v) for _, _, v in r["components"]) for r in rows]
    )
    note = (
        "Ranked by quality score, 0 to 100 (highest first); sources without a score follow, by number of "
        "articles. Each bar shows the points of the score's components, on a scale of 100."
        if scored
        else "No quality scores in this report (n/a): sources are ranked by number of articles."
    )
    legend = ""
    if data.components:
        items = "".join(
            f'<li><span class="swatch c{i % N_COLOURS}"></span>{_e(name)}</li>'
            for i, name in enumerate(data.components)
        )
        legend = f'<ul class="legend" aria-label="Score components">{items}<li><span class="swatch neg"></span>negative points</li></ul>\n'
    body = []
    for rank, r in enumerate(rows, 1):
        evidence = []
        if r["copies_of"]:
            evidence.append(f"copies of {_named(r['copies_of'])}")
        if r["copied_by"]:
            evidence.append(f"copied by {_named(r['copied_by'])}")
        link = (
            _filter_link(
                f"{_plural(r['n_articles'], 'article')}, {_plural(r['n_clusters'], 'cluster')}",
                "source",
                r["index"],
                "clusters",
            )
            if r["index"] is not None
            else ""
        )
        ev = (
            f'<span class="detail">{_e("; ".join(evidence))}</span>' if evidence else ""
        )
        body.append(
            f'<tr data-s="{_e(r["index"])}"><td class="num">{rank}</td><td class="src">{_e(r["source"])}</td>'
            f'<td class="num score">{_e(_score(r["score"]))}{_confidence(r)}</td><td class="bars">{_bar(r, scale)}</td>'
            f'<td class="num">{_num(r["n_articles"])}</td><td class="num">{_num(r["n_originals"])}</td>'
            f'<td class="num">{_num(r["n_copies"])}</td><td class="evidence">{link}{ev}</td></tr>\n'
        )
    table = (
        '<div class="scroll"><table class="sources">\n<caption class="sr">Sources ranked</caption>\n'
        '<thead><tr><th scope="col">#</th><th scope="col">Source</th><th scope="col">Score</th>'
        '<th scope="col">Score components</th><th scope="col">Articles</th>'
        '<th scope="col" title="clusters whose original is this source\'s">Originals</th>'
        '<th scope="col" title="this source\'s articles that copy another\'s original">Copies</th>'
        '<th scope="col">Evidence</th></tr></thead>\n'
        f"<tbody>\n{''.join(body)}</tbody>\n</table></div>\n"
    )
    return (
        '<section id="sources" aria-labelledby="h-sources">\n<h2 id="h-sources">Sources</h2>\n'
        f'<p class="note">{_e(note)}</p>\n{legend}{table}</section>\n'
    )


def _filters(data: PageData) -> str:
    meta = data.meta
    sources = "".join(
        f'<option value="{i}">{_e(s)}</option>' for i, s in enumerate(meta["sources"])
    )
    kinds = "".join(
        f'<option value="{i}">{_e(k)}</option>' for i, k in enumerate(meta["kinds"])
    )
    clusters = "".join(
        f'<option value="{j}">{_e(c["id"])} ({len(c["members"])})</option>'
        for j, c in enumerate(meta["clusters"])
    )
    return (
        '<section id="explore" class="filters" aria-label="Search and filter">\n'
        '<form role="search" id="filters">\n'
        '<div class="field grow"><label for="f-q">Search</label>'
        '<input id="f-q" type="search" placeholder="id, source, url or cluster" autocomplete="off"></div>\n'
        '<div class="field check"><input id="f-text" type="checkbox"><label for="f-text">also article text</label></div>\n'
        '<div class="field"><label for="f-source">Source</label><select id="f-source">'
        f'<option value="">all sources</option>{sources}</select></div>\n'
        '<div class="field"><label for="f-flag">Flags</label><select id="f-flag">'
        '<option value="">any</option><option value="any">some flag</option><option value="none">no flags</option>'
        f"{kinds}</select></div>\n"
        '<div class="field"><label for="f-cluster">Cluster</label><select id="f-cluster">'
        '<option value="">any</option><option value="any">in a cluster</option><option value="none">in no cluster</option>'
        f"{clusters}</select></div>\n"
        '<div class="field"><label for="f-status">Status</label><select id="f-status">'
        '<option value="">any</option><option value="ok">ok</option><option value="empty">empty</option>'
        '<option value="error">error</option></select></div>\n'
        '<div class="field"><button type="reset" id="f-reset">Clear filters</button></div>\n'
        "</form>\n"
        f'<p id="count" class="count" aria-live="polite">{_plural(len(meta["articles"]), "article")}, '
        f"{_plural(len(meta['clusters']), 'cluster')}</p>\n"
        "</section>\n"
    )


def _clusters(data: PageData) -> str:
    meta = data.meta
    if not meta["clusters"]:
        return (
            '<section id="clusters" aria-labelledby="h-clusters">\n<h2 id="h-clusters">Clusters</h2>\n'
            '<p class="note">No near-duplicate clusters: every article is distinct at this threshold.</p>\n</section>\n'
        )
    rows = []
    for j, c in enumerate(meta["clusters"]):
        rep = next((m for m in c["members"] if m["id"] == c["representative"]), None)
        rep_source = (
            meta["sources"][meta["articles"][rep["article"]]["source"]]
            if rep and rep["article"] is not None
            else ""
        )
        span = c["span"]
        when = (
            "undated"
            if not span
            else (span[0] if span[0] == span[1] else f"{span[0]} \u2192 {span[1]}")
        )
        rows.append(
            f'<tr id="c{j}" data-c="{j}"><td><button type="button" class="open" aria-expanded="false" '
            f'aria-controls="cd{j}" data-open-c="{j}">{_e(c["id"])}</button></td>'
            f'<td><span class="badge rel-{_e(c["kind"]) if c["kind"] in _RELATIONS else "other"}">{_e(c["kind"])}</span></td>'
            f'<td class="num">{_filter_link(str(len(c["members"])), "cluster", j)}</td>'
            f'<td><span class="id">{_e(c["representative"])}</span> <span class="muted">{_e(rep_source)}</span></td>'
            f'<td class="num">{_num(c["n_sources"])}</td><td>{_e(when)}</td></tr>\n'
        )
    return (
        '<section id="clusters" aria-labelledby="h-clusters">\n<h2 id="h-clusters">Clusters</h2>\n'
        '<p class="note">Open a cluster for its members, a timeline of who published when, and a word-level diff '
        "of each copy against the original.</p>\n"
        '<div class="scroll"><table class="clusters" id="cluster-table">\n'
        '<thead><tr><th scope="col">Cluster</th><th scope="col">Kind</th><th scope="col">Members</th>'
        '<th scope="col">Original</th><th scope="col">Sources</th><th scope="col">Published</th></tr></thead>\n'
        f"<tbody>\n{''.join(rows)}</tbody>\n</table></div>\n"
        '<p id="no-clusters" class="note" hidden>No cluster has an article matching the filters.</p>\n'
        "</section>\n"
    )


_RELATIONS = ("original", "exact", "near_duplicate", "containment", "spun_copy")


def _articles(report: Report, data: PageData, published: dict[str, str | None]) -> str:
    meta = data.meta
    rows = []
    for i, (a, m) in enumerate(zip(report.articles, meta["articles"])):
        c = m["cluster"]
        cluster = (
            f'<a href="#c{c}" data-open-cluster="{c}">{_e(meta["clusters"][c]["id"])}</a>'
            if c is not None
            else ""
        )
        chips = "".join(
            f'<span class="chip {_kind_class(meta["kinds"][k])}">{_e(meta["kinds"][k])} {_num(n)}</span>'
            for k, n in m["flags"]
        )
        n_chars = "" if m["n_chars"] is None else _num(m["n_chars"])
        rows.append(
            f'<tr id="a{i}" data-a="{i}"><td><button type="button" class="open" aria-expanded="false" '
            f'aria-controls="ad{i}" data-open-a="{i}">{_e(a.id)}</button></td>'
            f"<td>{_e(a.source)}</td><td>{_e(published.get(a.id) or '')}</td>"
            f'<td><span class="st {_status_class(a.status)}">{_e(a.status)}</span></td>'
            f'<td>{cluster}</td><td class="chips">{chips}</td><td>{_e(m["language"] or "")}</td>'
            f'<td class="num">{n_chars}</td></tr>\n'
        )
    return (
        '<section id="articles" aria-labelledby="h-articles">\n<h2 id="h-articles">Articles</h2>\n'
        '<p class="note">Open an article for its text with flagged spans highlighted (hover or focus a span for '
        f"the reason) beside its clean text. Texts over {_num(MAX_EMBED_CHARS)} characters are cut in this page.</p>\n"
        '<div class="scroll"><table class="articles" id="article-table">\n'
        '<thead><tr><th scope="col">Article</th><th scope="col">Source</th><th scope="col">Published</th>'
        '<th scope="col">Status</th><th scope="col">Cluster</th><th scope="col">Flags</th>'
        '<th scope="col">Language</th><th scope="col">Characters</th></tr></thead>\n'
        f"<tbody>\n{''.join(rows)}</tbody>\n</table></div>\n"
        '<p id="no-articles" class="note" hidden>No article matches the filters.</p>\n'
        "</section>\n"
    )


def _footer(report: Report) -> str:
    config = json.dumps(
        report.to_dict()["config"],
        indent=2,
        sort_keys=True,
        default=str,
        ensure_ascii=False,
    )
    return (
        "<footer>\n<details><summary>Run configuration</summary>\n"
        f"<pre>{_e(config)}</pre></details>\n"
        f"<p>Made by newsqa {_e(report.newsqa_version)}. This page is self-contained and works offline.</p>\n"
        "</footer>\n"
    )
