"""Boilerplate: the seeds exactly, other languages, templates, robustness."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import newsqa
from newsqa.signals.boilerplate import (
    boilerplate,
    normalize_line,
    source_templates,
    split_lines,
)

from ..conftest import SEEDS

# What the seeds' own texts show (seeds/README.md): every line of these is
# boilerplate, and every other line of the seed is article text.
EXPECTED = {
    "000_a431440b9d50f282": {"Source: Ambito": "attribution"},
    "001_0232089537fc7084": {"Original News Story URL: Read more": "attribution"},
    "002_80eacc2ad29eea72": {
        "Wed Jul 26 2023": "dateline",
        "icon-facebook icon-twitter icon-whatsapp": "share_buttons",
    },
    "004_4f5cf9240b2c00f6": {
        "April 13, 2024": "dateline",
        "Euro Global Post- Latest News and Analysis | UK News | Business News": "site_header",
        "European news, UK news, political news, breaking news, lifestyle and entertainment news.": "site_tagline",
    },
}
SEED_003_TEASERS = 6


@pytest.fixture(scope="module")
def seeds():
    return {a.id: a for a in newsqa.read_articles([SEEDS])}


@pytest.mark.parametrize("seed_id", sorted(EXPECTED))
def test_seed_boilerplate_exactly(seeds, seed_id):
    text = seeds[seed_id].text
    flagged = {text[f.start : f.end]: f.reason for f in boilerplate(text).flags}
    assert flagged == EXPECTED[seed_id]


def test_seed_000_records_the_attributed_outlet(seeds):
    assert (
        boilerplate(seeds["000_a431440b9d50f282"].text).signals["attributed_outlet"]
        == "Ambito"
    )
    assert (
        boilerplate(seeds["001_0232089537fc7084"].text).signals["attributed_outlet"]
        is None
    )


def test_seed_003_teasers_and_no_body_line(seeds):
    text = seeds["003_0d86604bd71b6e9d"].text
    block_start = text.index("👇Comply")
    block_end = text.index("bdphoneonline.com") + len("bdphoneonline.com")
    out = boilerplate(text, skip=[(block_start, block_end)])
    teasers = [f for f in out.flags if f.reason == "teaser"]
    assert len(teasers) == SEED_003_TEASERS
    assert all(text[f.start : f.end].endswith("…") for f in teasers)
    assert all(f.start > block_end for f in out.flags)  # nothing in the body


def test_no_body_sentence_of_any_seed_is_flagged(seeds):
    for a in seeds.values():
        flagged = {(f.start, f.end) for f in boilerplate(a.text).flags}
        for s, e in split_lines(a.text):
            line = a.text[s:e]
            if line.endswith(".") and len(line.split()) >= 12 and "news," not in line:
                assert (s, e) not in flagged, line


def test_german_page():
    text = (
        "Startseite | Politik | Wirtschaft | Sport\n"
        "Kanzler trifft Gewerkschaften\n"
        "Der Bundeskanzler hat sich am Montag mit den Vorsitzenden der großen Gewerkschaften getroffen.\n"
        "Dabei ging es nach Angaben eines Sprechers vor allem um die Lage der Industrie und die Energiepreise.\n"
        "Ein Ergebnis wurde nicht bekannt.\n"
        "Quelle: dpa\n"
        "Weiterlesen\n"
        "Teilen\n"
    )
    flagged = {text[f.start : f.end]: f.reason for f in boilerplate(text).flags}
    assert flagged == {
        "Startseite | Politik | Wirtschaft | Sport": "site_header",
        "Quelle: dpa": "attribution",
        "Weiterlesen": "read_more",
        "Teilen": "share_buttons",
    }
    assert boilerplate(text).signals["attributed_outlet"] == "dpa"


@pytest.mark.parametrize(
    "line, reason",
    [
        ("Leer más", "read_more"),
        ("Lire la suite", "read_more"),
        ("Czytaj więcej", "read_more"),
        ("Fuente: EFE", "attribution"),
        ("Źródło: PAP", "attribution"),
        ("© 2024 Example Media. All rights reserved.", "copyright"),
        ("Subscribe to our newsletter", "subscribe"),
        ("We use cookies to improve your experience.", "cookie"),
        ("ADVERTISEMENT", "advertisement"),
        ("Share on Facebook", "share_buttons"),
        ("Updated: March 3, 2024 10:15 am EST", "dateline"),
        ("12 de marzo de 2024", "dateline"),
        ("By Jane Smith and John Doe", "byline"),
    ],
)
def test_lexicon_lines_in_context(line, reason):
    body = "The minister said on Tuesday that the talks would continue next week in the capital."
    text = f"{body}\n{line}\n{body}"
    flags = boilerplate(text).flags
    assert [(text[f.start : f.end], f.reason) for f in flags] == [(line, reason)]


def test_short_real_line_between_content_stays():
    text = (
        "The council voted on Tuesday to extend the bike lanes along the river for another two miles.\n"
        "Nobody objected.\n"
        "The work will start in the spring and should be finished before the end of the year.\n"
    )
    assert boilerplate(text).flags == ()


def test_templates_from_a_source():
    a = "Daily Planet — Your trusted city news\nThe mayor opened the new bridge on Monday morning.\nFollow the Daily Planet"
    b = "Daily Planet — Your trusted city news\nRain is expected across the region this weekend.\nFollow the Daily Planet"
    tpl = source_templates([("s1", a), ("s2", b)])
    assert normalize_line("Daily Planet — Your trusted city news") in tpl
    flags = boilerplate(a, templates=tpl).flags
    assert {a[f.start : f.end] for f in flags} == {
        "Daily Planet — Your trusted city news",
        "Follow the Daily Planet",
    }
    # the same story twice (one cluster) makes no template
    assert source_templates([("s1", a), ("s1", a)]) == frozenset()


@given(st.text(max_size=500))
def test_never_raises_and_spans_are_lines(text):
    out = boilerplate(text)
    for f in out.flags:
        assert 0 <= f.start < f.end <= len(text)
        assert text[f.start : f.end].strip() == text[f.start : f.end]
        assert "\n" not in text[f.start : f.end] and "\r" not in text[f.start : f.end]
    starts = [f.start for f in out.flags]
    assert starts == sorted(starts)
    assert 0.0 <= out.signals["boilerplate_share"] <= 1.0


def test_adversarial_inputs_finish():
    boilerplate("word " * 1_000_000)
    boilerplate("😀" * 100_000)
    boilerplate("\n".join(f"https://spam{i}.example.com" for i in range(50_000)))
    boilerplate("Read more " * 100_000)
    boilerplate("a|" * 500_000)
    boilerplate(", news" * 200_000)


# --- The line classifier -----------------------------------------------------


def test_model_file_says_where_it_came_from_and_matches_the_features():
    import json
    from importlib import resources

    from newsqa.signals._line_features import FEATURES
    from newsqa.signals.boilerplate import MODEL_FILE

    raw = json.loads(
        (resources.files("newsqa") / "data" / MODEL_FILE).read_text(encoding="utf-8")
    )
    assert "boilerplate-dev" in raw["_source"]
    assert "scripts/build_boilerplate_model.py" in raw["_rebuild"]
    assert tuple(raw["features"]) == FEATURES


def test_navigation_and_footer_around_an_article_are_flagged_and_the_article_kept():
    body = [
        "Council extends bike lanes",
        "The council voted on Tuesday to extend the bike lanes along the river for another two miles.",
        "Officials said the work would begin in the spring and cost about four million dollars in total.",
        "Residents who spoke at the meeting were divided over the plan, which has been debated for years.",
        "A final decision on the route through the old town is expected before the end of the summer.",
    ]
    nav = [
        "Home",
        "News",
        "World",
        "Business",
        "Sport",
        "Weather",
        "Culture",
        "Travel",
        "Sign in",
    ]
    foot = ["Privacy policy", "Terms of use", "About us", "Advertise with us"]
    text = "\n".join(nav + body + foot)
    out = boilerplate(text)
    flagged = {text[f.start : f.end] for f in out.flags}
    assert not flagged & set(body)
    assert len(flagged & set(nav + foot)) >= len(nav + foot) - 3
    for f in out.flags:
        assert f.kind == "boilerplate" and f.reason and 0.0 < f.score <= 1.0


def test_smooth_keeps_a_short_line_inside_content_and_drops_an_isolated_one():
    from newsqa.signals.boilerplate import smooth

    assert smooth([], 1.0) == []
    assert smooth([2.0, -0.5, 2.0], 1.0) == [True, True, True]
    assert smooth([-2.0, -2.0, 0.5, -2.0, -2.0], 1.0) == [False] * 5
    assert smooth([0.5], 1.0) == [True]


@given(st.text(max_size=300))
def test_deterministic(text):
    assert boilerplate(text) == boilerplate(text)


@given(
    st.lists(
        st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40),
        max_size=30,
    )
)
def test_lines_of_any_text_never_raise(lines):
    text = "\n".join(lines)
    out = boilerplate(text)
    assert {f.start for f in out.flags} <= {s for s, _ in split_lines(text)}


def test_skip_spans_are_neither_flagged_nor_read():
    text = (
        "Home\nNews\n"
        + "The minister said the talks would continue next week in the capital city.\n"
        * 3
    )
    skip = [(0, 4)]
    out = boilerplate(text, skip=skip)
    assert all(f.start >= 4 for f in out.flags)


def test_split_lines_handles_every_break():
    text = "a\r\nb\rc\n\n d \r\r\n"
    assert [text[s:e] for s, e in split_lines(text)] == ["a", "b", "c", "d"]


def test_large_inputs_finish_with_sane_results():
    # Linear time: each of these once took minutes (no timed assertion; a
    # quadratic regression shows as a stalled suite).
    text = "\n".join(["Read more"] * 80_000)
    assert newsqa.clean_text(text).strip() == ""
    text = "\n".join(f"Short line {i}" for i in range(200_000))
    assert boilerplate(text).signals["boilerplate_lines"] <= 200_000
    text = ("All work and no play makes a dull story. " * 130_000)[: 5 * 1024 * 1024]
    out = boilerplate(text)
    assert len(out.flags) <= 1
    text = "\n".join(f"https://spam{i}.example.com/p/{i}" for i in range(50_000))
    assert boilerplate(text).signals["boilerplate_lines"] <= 50_000
    for text in ("😀" * 100_000, "😀\n" * 100_000):
        out = boilerplate(text)
        assert all(0 <= f.start < f.end <= len(text) for f in out.flags)


@given(
    st.lists(st.tuples(st.integers(0, 3), st.integers(1, 5)), max_size=8),
    st.lists(st.tuples(st.integers(0, 40), st.integers(0, 9)), max_size=5),
)
def test_skip_filter_matches_the_pairwise_rule(gaps, skip_raw):
    from newsqa.signals.boilerplate import _skip_filter

    spans, pos = [], 0
    for gap, length in gaps:
        start = pos + gap
        spans.append((start, start + length))
        pos = start + length + 1
    skip = [(a, a + n) for a, n in skip_raw]
    expected = [
        (s, e) for s, e in spans if not any(a <= s < b or a < e <= b for a, b in skip)
    ]
    assert _skip_filter(spans, skip) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "\n\r\n",
        "\u2028",
        "\ud800",
        "a\udc00b.\n\ud83d",
        "\ud800\n" * 50 + "The minister said so.",
        "\x00\n\x00",
    ],
)
def test_edge_texts_from_the_compiled_passes(text):
    out = boilerplate(text)
    assert [(f.start, f.end) for f in out.flags] == sorted(
        (f.start, f.end) for f in out.flags
    )
    assert {f.start for f in out.flags} <= {s for s, _ in split_lines(text)}
