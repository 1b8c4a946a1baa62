"""The HTML report page (newsqa.report.render), without a browser: escaping,
the JSON islands, completeness, determinism and the Content-Security-Policy.
The page's behaviour in a real browser is tests/test_report_browser.py."""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st

import newsqa
from newsqa.io import Unreadable
from newsqa.model import ArticleResult, Cluster, Flag, SourceResult
from newsqa.report import CSP, CSS, SCRIPT, json_island, render
from newsqa.report._data import build
from newsqa.results import Report

from .conftest import SEEDS
from .helpers import run_fresh
from .strategies import any_text

# Every element the page itself writes; anything else would be injected markup.
PAGE_TAGS = {
    "html", "head", "meta", "link", "title", "style", "body", "a", "header", "h1", "h2", "h3", "p", "nav", "ul",
    "li", "noscript", "main", "section", "div", "span", "table", "caption", "thead", "tbody", "tr", "th", "td",
    "button", "form", "label", "input", "select", "option", "details", "summary", "pre", "footer", "script",
}  # fmt: skip
_TAG_START = re.compile(r"<(?:!DOCTYPE html>|/?([a-z0-9]+)[\s>])")

hostile = st.one_of(
    any_text,
    st.sampled_from(
        [
            "<script>document.title='pwned'</script>",
            "</script><script>alert(1)</script>",
            "<img src=x onerror=\"document.title='pwned'\">",
            "javascript:alert(1)",
            "<!--",
            "<![CDATA[",
            "\u2028\u2029",
            '" onmouseover="alert(1)',
            "'><svg onload=alert(1)>",
            "&lt;escaped&gt; &amp;",
            "\ud800 lone surrogate",
            "\x00nul",
        ]
    ),
    st.lists(
        st.sampled_from(
            ["<", ">", "&", "'", '"', "/", "script", "</", "\u2028", "a", " "]
        ),
        max_size=30,
    ).map("".join),
)
clean_ids = hostile.map(lambda s: re.sub("[\ud800-\udfff]", "?", s) or "x")


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def assert_inert(page: str) -> None:
    """Only the page's own markup: every ``<`` outside its script opens one of
    its tags, no event-handler attributes, and exactly its three scripts."""
    assert page.count(SCRIPT) == 1
    rest = page.replace(SCRIPT, "")
    for m in re.finditer("<", rest):
        tag = _TAG_START.match(rest, m.start())
        assert tag is not None, rest[m.start() - 40 : m.start() + 40]
        assert tag.group(1) is None or tag.group(1) in PAGE_TAGS, tag.group(0)
    parser = _Tags()
    parser.feed(page)
    scripts = [attrs for tag, attrs in parser.tags if tag == "script"]
    assert [a.get("type") for a in scripts] == [
        "application/json",
        "application/json",
        None,
    ]
    for tag, attrs in parser.tags:
        assert tag in PAGE_TAGS
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        for name in ("href", "src", "action", "formaction"):
            value = attrs.get(name)
            assert value is None or value.startswith("#") or value == "data:,", (
                tag,
                name,
                value,
            )


def islands(page: str) -> tuple[object, object]:
    found = dict(
        re.findall(
            r'<script type="application/json" id="newsqa-(\w+)">(.*?)</script>',
            page,
            re.DOTALL,
        )
    )
    return json.loads(found["meta"]), json.loads(found["bodies"])


def _jsonish(value):
    return json.loads(json.dumps(value))


@st.composite
def hostile_reports(draw):
    n = draw(st.integers(1, 4))
    ids = draw(st.lists(hostile, min_size=n, max_size=n, unique=True))
    results = []
    for i in ids:
        flags = tuple(
            Flag(
                draw(
                    st.sampled_from(
                        ["boilerplate", "spam_links", "mojibake", "spun", "<b>new</b>"]
                    )
                ),
                draw(st.integers(-3, 40)),
                draw(st.integers(-3, 40)),
                draw(hostile),
                draw(st.floats(allow_nan=True)),
                {"original": draw(hostile), "domains": [draw(hostile)]},
            )
            for _ in range(draw(st.integers(0, 3)))
        )
        results.append(
            ArticleResult(
                i,
                draw(hostile),
                draw(st.sampled_from(["ok", "empty", "error", "<i>odd</i>"])),
                cluster=draw(st.sampled_from([None, "c<1>"])),
                flags=flags,
                signals={
                    "language": draw(hostile),
                    "n_chars": draw(st.integers(0, 50)),
                },
                error=draw(st.none() | hostile),
            )
        )
    members = tuple(r.id for r in results if r.cluster)
    clusters = ()
    if members:
        clusters = (
            Cluster(
                "c<1>",
                "near_duplicate",
                members,
                members[0],
                {m: 0.9 for m in members},
                {m: "x<y>" for m in members},
            ),
        )
    sources = tuple(
        SourceResult(
            draw(hostile),
            draw(st.integers(0, 9)),
            draw(st.none() | st.floats(allow_nan=True, allow_infinity=True)),
            {
                draw(hostile): draw(st.floats(-50, 50))
                for _ in range(draw(st.integers(0, 3)))
            },
        )
        for _ in range(draw(st.integers(0, 2)))
    )
    config = {"dedup": {"threshold": draw(hostile)}}
    return Report(tuple(results), clusters, sources, config, draw(hostile))


@given(hostile_reports())
def test_any_string_in_any_result_field_stays_text(report):
    page = render(report)
    assert_inert(page)
    meta, _ = islands(page)
    assert [a["id"] for a in meta["articles"]] == [a.id for a in report.articles]
    page.encode("utf-8")  # lone surrogates never reach the page


@settings(max_examples=25)
@given(
    st.lists(
        st.tuples(clean_ids, hostile, clean_ids, st.none() | clean_ids),
        min_size=1,
        max_size=4,
    )
)
def test_any_string_in_any_input_field_stays_text(rows):
    articles, seen = [], set()
    for aid, text, source, url in rows:
        if aid in seen:
            continue
        seen.add(aid)
        articles.append(newsqa.Article(aid, text, source, url=url))
    articles.append(
        Unreadable(
            "bad</script>", "<b>src</b>", "could not decode <script>alert(1)</script>"
        )
    )
    report = newsqa.analyze(articles)
    page = render(report, articles)
    assert_inert(page)
    meta, bodies = islands(page)
    data = build(report, articles)
    assert meta == _jsonish(data.meta) and bodies == _jsonish(data.bodies)
    for a, b in zip(articles, bodies["articles"]):
        assert b["text"] == (a.text if isinstance(a, newsqa.Article) else None)
    for a in report.articles:
        assert html.escape(a.id).replace("\x00", "\ufffd") in page


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | hostile,
        lambda c: st.lists(c) | st.dictionaries(hostile, c),
    )
)
def test_json_island_round_trips_and_has_no_markup(value):
    text = json_island(value)
    assert not set(text) & {"<", ">", "&", "\u2028", "\u2029"}
    text.encode("utf-8")
    assert json.loads(text) == value


def test_seeds_page_holds_every_article_and_flag():
    records = newsqa.read_articles(SEEDS)
    report = newsqa.analyze(records)
    page = render(report, records)
    assert_inert(page)
    meta, bodies = islands(page)
    assert [a["id"] for a in meta["articles"]] == [
        p.stem for p in sorted(SEEDS.glob("*.txt"))
    ]
    for a in report.articles:
        assert f'data-open-a="{report.articles.index(a)}">{a.id}</button>' in page
    seed3 = next(
        b for a, b in zip(report.articles, bodies["articles"]) if a.id.startswith("003")
    )
    kinds = {meta["kinds"][f[0]] for f in seed3["flags"]}
    assert {"spun", "spam_links", "boilerplate"} <= kinds
    tips = [f[2] for f in seed3["flags"] if meta["kinds"][f[0]] == "spun"]
    assert any("original: \u201ccountries\u201d" in t for t in tips)


def test_render_is_deterministic_across_processes():
    records = newsqa.read_articles(SEEDS)
    page = render(newsqa.analyze(records), records)
    digest = hashlib.sha256(page.encode("utf-8")).hexdigest()
    assert render(newsqa.analyze(records), records) == page
    imports = "import hashlib, newsqa\nfrom newsqa.report import render"
    expr = "hashlib.sha256(render(newsqa.analyze(newsqa.read_articles(t)), newsqa.read_articles(t)).encode()).hexdigest()"
    assert run_fresh(imports, expr, [str(SEEDS)], hash_seed="123") == [digest]


def test_csp_allows_exactly_the_inline_script():
    page = render(Report((ArticleResult("a", "s"),), (), (), {}, "0"))
    csp = re.search(
        r'http-equiv="Content-Security-Policy" content="([^"]*)"', page
    ).group(1)
    assert html.unescape(csp) == CSP
    script = re.search(r"<script>(.*?)</script>", page, re.DOTALL).group(1)
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in CSP
    assert (
        "default-src 'none'" in CSP
        and "img-src data:" in CSP
        and "unsafe-eval" not in CSP
    )


def test_script_never_writes_markup():
    for banned in (
        "innerHTML",
        "outerHTML",
        "insertAdjacentHTML",
        "document.write",
        "eval(",
        "Function(",
        "</script",
    ):
        assert banned not in SCRIPT, banned
    assert "<!--" not in SCRIPT and "</style" not in CSS and "<" not in CSS
    assert (
        "http:" not in SCRIPT.replace('"http:"', "") and "url(" not in CSS
    )  # nothing fetched


def test_page_without_input_articles_still_lists_everything():
    results = (
        ArticleResult("a1", "s1", flags=(Flag("spun", 0, 3, "lexicon"),)),
        ArticleResult("a2", "s2", "error", error="bad"),
    )
    page = render(Report(results, (), (), {}, "0"))
    meta, bodies = islands(page)
    assert [a["id"] for a in meta["articles"]] == ["a1", "a2"]
    assert bodies["articles"] == [{"text": None}, {"text": None}]
    assert "No near-duplicate clusters" in page
