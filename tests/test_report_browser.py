"""The HTML report in a real browser: Debian's chromium, headless, driven by
playwright (never a downloaded browser build).

The page must load offline with no console errors, show what the report
holds, filter, open articles and clusters, and execute nothing that an
article smuggles in. Without chromium or playwright these tests skip on a
developer machine and fail under CI (``CI`` set), where .ci/run installs both.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import newsqa
from newsqa.io import Unreadable
from newsqa.model import ArticleResult
from newsqa.report import render
from newsqa.report._data import MAX_EMBED_CHARS, rank_sources
from newsqa.results import Report

from .conftest import ROOT, SEEDS

CHROMIUM = os.environ.get("NEWSQA_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(os.environ.get("NEWSQA_ARTIFACTS") or ROOT / "tests" / "artifacts")
PWNED = "document.title='pwned'"
VISIBLE_ARTICLES = "#article-table tbody tr[data-a]:not([hidden])"


def _missing() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -e '.[test]')"
    if not os.access(CHROMIUM, os.X_OK):
        return f"no browser at {CHROMIUM} (apt-get install chromium)"
    return None


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    reason = _missing()
    if reason is not None:
        if os.environ.get("CI"):
            pytest.fail(f"{reason}: CI must run the browser tests")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True)
        yield b
        b.close()


class Opened:
    """A page and everything it reported: console errors, uncaught
    exceptions, dialogs, and requests other than the page itself."""

    def __init__(self, browser: Any, path: Path, width: int = 1280) -> None:
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.requests: list[str] = []
        self.context = browser.new_context(viewport={"width": width, "height": 900})
        page = self.context.new_page()
        page.on(
            "console",
            lambda m: (
                self.errors.append(m.text) if m.type in ("error", "warning") else None
            ),
        )
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        page.on(
            "request",
            lambda r: None if r.url == path.as_uri() else self.requests.append(r.url),
        )
        page.goto(path.as_uri())
        page.wait_for_load_state("load")
        self.page = page

    def clean(self) -> None:
        assert self.errors == [] and self.dialogs == [] and self.requests == []

    def visible_rows(self, table: str) -> list[str]:
        return self.page.eval_on_selector_all(
            f"#{table} tbody tr[data-a]:not([hidden]), #{table} tbody tr[data-c]:not([hidden])",
            "rows => rows.map(r => r.querySelector('button.open').textContent)",
        )

    def close(self) -> None:
        self.context.close()


@pytest.fixture(scope="module")
def seeds_page(tmp_path_factory) -> tuple[Path, Report, list]:
    records = newsqa.read_articles(SEEDS)
    report = newsqa.analyze(records)
    path = tmp_path_factory.mktemp("seeds") / "report.html"
    path.write_text(render(report, records), encoding="utf-8")
    return path, report, records


@pytest.fixture
def opened(browser) -> Iterator[Any]:
    pages: list[Opened] = []

    def open_(path: Path, width: int = 1280) -> Opened:
        pages.append(Opened(browser, path, width))
        return pages[-1]

    yield open_
    for p in pages:
        p.close()


def test_seeds_page_loads_offline_and_shows_the_corpus(opened, seeds_page):
    path, report, _ = seeds_page
    view = opened(path)
    page = view.page
    assert page.title() == "newsqa report: 5 articles, 0 clusters"
    assert len(view.visible_rows("article-table")) == 5
    assert page.text_content("#count").startswith("5 articles")
    cards = page.inner_text("#overview")
    assert (
        "Articles\n5" in cards
        and "Spun articles\n1" in cards
        and "Mojibake articles\n1" in cards
    )
    ranked = [s.source for s in rank_sources(report.sources)]
    assert (
        page.eval_on_selector_all(
            "table.sources tbody td.src", "cells => cells.map(c => c.textContent)"
        )
        == ranked
    )
    scores = page.eval_on_selector_all(
        "table.sources tbody td.score",
        "cells => cells.map(c => c.firstChild.textContent)",
    )
    expected = [
        "n/a" if s.score is None else None for s in rank_sources(report.sources)
    ]
    assert len(scores) == 5 and all(
        e is None or s == e for s, e in zip(scores, expected)
    )
    assert (
        page.locator("table.sources .bar").count()
        + page.locator("table.sources td.bars .muted").count()
        == 5
    )
    view.clean()


def test_seed_003_shows_spun_and_spam_highlights_with_reasons(opened, seeds_page):
    path, report, records = seeds_page
    view = opened(path)
    page = view.page
    i = next(k for k, a in enumerate(report.articles) if a.id.startswith("003"))
    page.click(f"#a{i} button.open")
    page.wait_for_selector(f"#ad{i}", state="visible")
    detail = page.locator(f"#ad{i}")
    assert page.get_attribute(f"#a{i} button.open", "aria-expanded") == "true"
    spun = detail.locator("mark[data-kind='spun']")
    spam = detail.locator("mark[data-kind='spam_links']")
    assert spun.count() >= 10 and spam.count() >= 1
    text = records[i].text
    flag = next(
        f
        for f in report.articles[i].flags
        if f.kind == "spun" and f.extra.get("original") == "countries"
    )
    marks = spun.evaluate_all(
        "ms => ms.map(m => [m.textContent, m.getAttribute('data-tip')])"
    )
    assert [
        text[flag.start : flag.end],
        f"spun: {flag.reason}; original: \u201ccountries\u201d",
    ] in [[t, tip.split(" (+")[0]] for t, tip in marks]
    # the reason shows on keyboard focus too, not only on hover
    first = spun.first
    first.focus()
    shown = first.evaluate("m => getComputedStyle(m, '::after').content")
    assert "original" in shown and "spun" in shown
    # the clean text drops the spam block the highlighted text shows
    assert "bdphone.com" in detail.locator(".text").first.text_content()
    assert "bdphone.com" not in detail.locator(".text.clean").text_content()
    view.clean()


def test_filters_by_source_flag_kind_search_and_status(opened, seeds_page):
    from playwright.sync_api import expect

    path, report, _ = seeds_page
    view = opened(path)
    page = view.page
    page.select_option("#f-source", label="unknown-003")
    assert view.visible_rows("article-table") == ["003_0d86604bd71b6e9d"]
    page.select_option("#f-source", label="all sources")
    page.select_option("#f-flag", label="mojibake")
    assert view.visible_rows("article-table") == [
        a.id for a in report.articles if any(f.kind == "mojibake" for f in a.flags)
    ]
    page.select_option("#f-flag", label="spun")
    assert view.visible_rows("article-table") == ["003_0d86604bd71b6e9d"]
    assert "Showing 1 of 5 articles" in page.text_content("#count")
    page.click("#f-reset")
    assert len(view.visible_rows("article-table")) == 5
    page.fill("#f-q", "euroglobal")
    expect(page.locator(VISIBLE_ARTICLES)).to_have_count(
        1
    )  # after the search box's debounce
    assert view.visible_rows("article-table") == ["004_4f5cf9240b2c00f6"]
    page.fill("#f-q", "hanbok")  # a word of seed 003's text only
    page.check("#f-text")
    expect(page.locator(VISIBLE_ARTICLES)).to_have_count(1)
    expect(page.locator("#a4")).to_be_hidden()
    assert view.visible_rows("article-table") == ["003_0d86604bd71b6e9d"]
    page.click("#f-reset")
    page.select_option("#f-status", "error")
    assert view.visible_rows("article-table") == [] and page.is_visible("#no-articles")
    # a source's evidence link filters to that source
    page.click("table.sources tr:has(td.src:text-is('euroglobalpost')) td.evidence a")
    assert view.visible_rows("article-table") == ["004_4f5cf9240b2c00f6"]
    assert page.input_value("#f-source") != ""
    view.clean()


def test_keyboard_opens_an_article(opened, seeds_page):
    path, _, _ = seeds_page
    view = opened(path)
    page = view.page
    page.focus("#a0 button.open")
    page.keyboard.press("Enter")
    assert page.get_attribute("#a0 button.open", "aria-expanded") == "true"
    assert page.is_visible("#ad0 .text")
    page.keyboard.press("Enter")
    assert page.get_attribute(
        "#a0 button.open", "aria-expanded"
    ) == "false" and not page.is_visible("#ad0")
    view.clean()


def test_phone_width_has_no_page_wide_scrolling(opened, seeds_page):
    path, _, _ = seeds_page
    view = opened(path, width=390)
    page = view.page
    page.click("#a3 button.open")
    page.wait_for_selector("#ad3", state="visible")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    box = page.locator("#ad3 .text.clean").bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    view.clean()


def test_screenshot_of_the_seeds_report(opened, seeds_page):
    path, report, _ = seeds_page
    view = opened(path)
    i = next(k for k, a in enumerate(report.articles) if a.id.startswith("003"))
    view.page.click(f"#a{i} button.open")
    view.page.wait_for_selector(f"#ad{i}", state="visible")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / "report-seeds.png"
    view.page.screenshot(path=str(shot), full_page=True)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    view.clean()


def test_clusters_show_members_timeline_and_diffs(opened, edited_articles, tmp_path):
    # every check after a click waits for what it asserts (expect), so a
    # loaded machine cannot make the test race the page's script
    from playwright.sync_api import expect

    report = newsqa.analyze(edited_articles)
    path = tmp_path / "report.html"
    path.write_text(render(report, edited_articles), encoding="utf-8")
    view = opened(path)
    page = view.page
    j, cluster = next(
        (j, c) for j, c in enumerate(report.clusters) if c.kind == "containment"
    )
    page.click(f"#c{j} button.open")
    page.wait_for_selector(f"#cd{j}", state="visible")
    detail = page.locator(f"#cd{j}")
    rows = detail.locator("table.members tbody tr")
    expect(rows).to_have_count(len(cluster.members))
    expect(rows.first.locator("button")).to_have_text(cluster.representative)
    expect(rows.first.locator(".badge")).to_have_text("original")
    expect(detail.locator(".timeline li")).to_have_count(len(cluster.members))
    diffs = detail.locator("details.diff")
    expect(diffs).to_have_count(len(cluster.members) - 1)
    containment = next(
        m for m in cluster.members if cluster.relation[m] == "containment"
    )
    d = diffs.filter(has_text=containment).first
    d.locator("summary").click()
    expect(d.locator("ins").first).to_be_visible()  # the page around the embedded story
    replaced = next(m for m in cluster.members if m.endswith("replaced_words"))
    d = diffs.filter(has_text=replaced).first
    d.locator("summary").click()
    expect(d.locator(".sub del").first).to_be_attached()
    expect(d.locator(".sub ins").first).to_be_attached()
    # members link to their articles; the cluster filter shows only them
    page.select_option("#f-cluster", str(j))
    expect(page.locator(VISIBLE_ARTICLES)).to_have_count(len(cluster.members))
    assert sorted(view.visible_rows("article-table")) == sorted(cluster.members)
    assert view.visible_rows("cluster-table") == [cluster.id]
    view.clean()


def test_the_cli_page_shows_every_text_with_its_highlights(opened, tmp_path):
    """The report.html of `newsqa analyze --format html` (the README's first
    command) embeds the texts: highlighted spans, clean texts."""
    from playwright.sync_api import expect

    from newsqa.cli import main

    out = tmp_path / "o"
    assert main(["analyze", str(SEEDS), "--out", str(out), "--format", "json,html", "--quiet"]) == 0
    report = newsqa.Report.from_json(out / "report.json")
    view = opened(out / "report.html")
    page = view.page
    for i, a in enumerate(report.articles):
        page.click(f"#a{i} button.open")
        page.wait_for_selector(f"#ad{i}", state="visible")
        detail = page.locator(f"#ad{i}")
        expect(detail.locator(".text").first).to_be_visible()
        assert "No text" not in detail.inner_text()
        if a.id.startswith("003"):
            expect(detail.locator("mark[data-kind='spam_links']", has_text="bdphone.com").first).to_be_visible()
            expect(detail.locator(".text").first).to_contain_text("Kim Il Sung Sq.")
            sq = detail.locator("mark[data-kind='spun'][data-tip*='square']", has_text="Sq.")
            expect(sq.first).to_be_visible()
            expect(detail.locator(".text.clean")).not_to_contain_text("bdphone.com")
        if a.id.startswith("004"):
            expect(detail.locator("mark[data-kind='boilerplate']", has_text="Euro Global Post").first).to_be_visible()
    view.clean()


def _hostile_articles() -> list[Any]:
    story = (
        "North Korea held a paramilitary parade today to celebrate the 75th anniversary of the country's "
        "founding, attended by leader Kim Jong-un and delegations from China and Russia. "
    ) * 3
    return [
        newsqa.Article(
            f"<script>{PWNED}</script>",
            story + f"<script>{PWNED}</script>",
            f'<img src=x onerror="{PWNED}">',
            url=f"javascript:{PWNED}",
        ),
        newsqa.Article(
            "evil</script><script>alert(1)</script>",
            f"</script><script>{PWNED}</script> {story} <!-- <b>broken <i>html \u2028line\u2029sep</p></div><a href='javascript:alert(1)'>x",
            "</script>",
            url="https://example.com/a?<b>",
        ),
        newsqa.Article(
            "line\u2028sep",
            story + "\nRead more\nicon-facebook icon-twitter\n",
            "javascript:alert(1)",
            url=" JaVaScRiPt:alert(1)",
        ),
        Unreadable(
            "<img src=x onerror=alert(1)>",
            "<b>src</b>",
            "could not decode <script>alert(1)</script>",
        ),
    ]


def test_hostile_articles_execute_nothing_and_show_as_text(opened, tmp_path):
    articles = _hostile_articles()
    report = newsqa.analyze(articles)
    path = tmp_path / "report.html"
    path.write_text(render(report, articles), encoding="utf-8")
    view = opened(path)
    page = view.page
    title = page.title()
    assert title.startswith("newsqa report")
    for i in range(len(articles)):
        page.click(f"#a{i} button.open")
        page.wait_for_selector(f"#ad{i}", state="visible")
    for j in range(len(report.clusters)):
        page.click(f"#c{j} button.open")
        page.wait_for_selector(f"#cd{j}", state="visible")
    page.eval_on_selector_all("details", "ds => ds.forEach(d => { d.open = true; })")
    page.wait_for_timeout(100)
    assert page.title() == title
    assert (
        page.evaluate(
            "document.querySelectorAll('img, iframe, object, embed, svg').length"
        )
        == 0
    )
    assert page.evaluate("document.scripts.length") == 3
    assert (
        page.evaluate(
            "[...document.querySelectorAll('*')].flatMap(e => [...e.attributes].map(a => a.name)).filter(n => n.startsWith('on'))"
        )
        == []
    )
    hrefs = page.eval_on_selector_all(
        "a[href]", "as => as.map(a => a.getAttribute('href'))"
    )
    assert [h for h in hrefs if not h.startswith("#")] == [
        "https://example.com/a?%3Cb%3E"
    ]
    shown = page.inner_text("body")
    for s in (f"<script>{PWNED}</script>", f"<img src=x onerror=\"{PWNED}\">", f"javascript:{PWNED}",
              "evil</script><script>alert(1)</script>", "<!-- <b>broken <i>html", "JaVaScRiPt:alert(1)",
              "could not decode <script>alert(1)</script>"):  # fmt: skip
        assert s in shown, s
    view.clean()


def test_thousands_of_articles_and_a_huge_one(opened, tmp_path):
    n = 3000
    articles = [
        newsqa.Article(
            f"art-{i:05d}",
            f"Story {i} about the harbour ferry timetable.",
            f"site{i % 40}.example",
        )
        for i in range(n)
    ]
    articles.append(
        newsqa.Article(
            "huge", "Kim met Putin. " * (MAX_EMBED_CHARS // 10), "big.example"
        )
    )
    results = tuple(
        ArticleResult(a.id, a.source, signals={"n_chars": len(a.text)})
        for a in articles
    )
    path = tmp_path / "report.html"
    path.write_text(
        render(Report(results, (), (), {}, "0"), articles), encoding="utf-8"
    )
    view = opened(path)
    page = view.page
    assert page.locator("#article-table tbody tr[data-a]").count() == n + 1
    page.select_option("#f-source", label="site7.example")
    assert len(view.visible_rows("article-table")) == n // 40
    page.click("#f-reset")
    page.click(f"#a{n} button.open")
    page.wait_for_selector(f"#ad{n}", state="visible")
    assert (
        f"first {MAX_EMBED_CHARS:,} of {len(articles[-1].text):,} characters"
        in page.text_content(f"#ad{n}")
    )
    view.clean()
