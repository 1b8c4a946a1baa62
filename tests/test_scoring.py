"""Per-source quality scores: sums, shrinkage, points, explanations."""

from __future__ import annotations

import itertools
import json
import math
from types import MappingProxyType

import pytest
from hypothesis import given
from hypothesis import strategies as st

import newsqa
from newsqa import scoring
from newsqa.errors import InputError
from newsqa.model import ArticleResult, Cluster
from newsqa.results import Report
from newsqa.scoring import (
    COMPONENTS,
    PRIOR_ARTICLES,
    SPUN_SCORE_FULL,
    article_stats,
    explain_source,
    merge_stats,
    prior_score,
    score_report,
    score_stats,
    source_stats,
)

from .conftest import SEEDS
from .strategies import any_text

WEIGHTS = {c.name: c.weight for c in COMPONENTS}
# The most one article can move the score from the prior, either way.
MAX_UP = sum(c.weight * (1 - c.prior) for c in COMPONENTS) / (1 + PRIOR_ARTICLES)
MAX_DOWN = sum(c.weight * c.prior for c in COMPONENTS) / (1 + PRIOR_ARTICLES)

REPORTING = (
    "Officials said on Tuesday that the council approved the budget by a vote of 7 to 2. "
    "\u201cThis plan protects the services people rely on,\u201d Mayor Ana Ruiz told reporters at City Hall. "
    "According to the finance office, spending will rise 3.5% to $412 million in 2025, the first increase "
    "since March 2021. Council member Tom Hale, a longtime critic, said he voted against it. "
)
BAITING = (
    "You won't believe what they did now! I am SO angry. Why would anyone vote for this idiot? "
    "The mainstream media will never tell you the truth!!! Share if you agree! "
)


def _signals(text: str) -> dict:
    from newsqa.signals.registry import run_signals

    return run_signals(text, newsqa.config.ALL_SIGNALS)[1]


def _result(aid: str, source: str, text: str) -> ArticleResult:
    return ArticleResult(
        aid, source, signals=MappingProxyType({"n_chars": len(text), **_signals(text)})
    )


# --- synthetic article results -------------------------------------------------------

_counts = st.integers(0, 40)
signal_dicts = st.fixed_dictionaries(
    {},
    optional={
        "practice_words": st.integers(0, 3000),
        "attributions": _counts,
        "attributed_quotes": _counts,
        "named_sources": _counts,
        "numbers": _counts,
        "dates": _counts,
        "first_person": _counts,
        "second_person": _counts,
        "questions": _counts,
        "exclamations": _counts,
        "shouting": _counts,
        "promo_phrases": _counts,
        "loaded_words": _counts,
        "emoji": _counts,
        "headline_bait": st.integers(0, 5),
        "spun_score": st.floats(0, 500, allow_nan=False),
        "spun": st.booleans(),
        "spam_link_blocks": st.integers(0, 3),
        "boilerplate_share": st.floats(0, 1, allow_nan=False),
        "mojibake_spans": st.integers(0, 5),
        "flesch_reading_ease": st.none() | st.floats(-300, 200, allow_nan=False),
        "language": st.sampled_from([None, "en", "de", "fr"]),
        "attributed_outlet": st.none() | st.just("Ambito"),
    },
)


@st.composite
def corpora(draw):
    """Article results of a few sources, and clusters over them."""
    n = draw(st.integers(1, 25))
    results = [
        ArticleResult(
            f"a{i}",
            draw(st.sampled_from(["s1", "s2", "s3"])),
            status=draw(st.sampled_from(["ok", "ok", "ok", "empty", "error"])),
            signals=draw(signal_dicts),
        )
        for i in range(n)
    ]
    ids = [r.id for r in results]
    clusters = []
    pool = draw(st.permutations(ids))
    pos = 0
    for c in range(draw(st.integers(0, 3))):
        size = draw(st.integers(2, 4))
        members = pool[pos : pos + size]
        pos += size
        if len(members) < 2:
            break
        rels = {members[0]: "original"}
        for m in members[1:]:
            rels[m] = draw(
                st.sampled_from(["exact", "near_duplicate", "containment", "spun_copy"])
            )
        clusters.append(
            Cluster(
                f"c{c}",
                "near_duplicate",
                tuple(members),
                members[0],
                {m: 0.9 for m in members},
                rels,
            )
        )
    return results, tuple(clusters)


def _check_points(s) -> None:
    assert 0.0 <= s.score <= 100.0
    assert set(s.components) == set(WEIGHTS)
    assert round(sum(s.components.values()) * 100) == round(s.score * 100)
    assert math.isclose(sum(s.components.values()), s.score, abs_tol=1e-9)
    for name, points in s.components.items():
        assert 0.0 <= points <= WEIGHTS[name] + 1e-9
    assert 0.0 <= s.confidence < 1.0


@given(corpora())
def test_components_sum_to_a_score_in_range(corpus):
    results, clusters = corpus
    for s in score_report(results, clusters):
        _check_points(s)
        assert s.n_articles == sum(r.source == s.source for r in results)


@given(corpora(), st.randoms(use_true_random=False))
def test_order_independence(corpus, rnd):
    results, clusters = corpus
    shuffled = list(results)
    rnd.shuffle(shuffled)
    assert score_report(shuffled, clusters[::-1]) == score_report(results, clusters)


@given(corpora(), st.lists(st.integers(0, 30), max_size=4))
def test_split_independence(corpus, cuts):
    results, clusters = corpus
    bounds = sorted({0, len(results), *(c % (len(results) + 1) for c in cuts)})
    parts = [
        source_stats(results[a:b], clusters) for a, b in itertools.pairwise(bounds)
    ]
    whole = source_stats(results, clusters)
    assert merge_stats(*parts) == whole
    assert {s: score_stats(s, v) for s, v in merge_stats(*parts).items()} == {
        s: score_stats(s, v) for s, v in whole.items()
    }


HARD_KEYS = ("spam_hits", "spun_hard", "originality_hard")


@given(any_text)
def test_one_article_without_hard_findings_never_yields_an_extreme_score(text):
    (s,) = newsqa.analyze([newsqa.Article("a", text, "solo.example")]).sources
    assert s.confidence == round(1 / (1 + PRIOR_ARTICLES), 3)
    if any(s.stats.get(k) for k in HARD_KEYS):
        assert 0.0 <= s.score < prior_score()
        return
    assert prior_score() - MAX_DOWN - 0.01 <= s.score <= prior_score() + MAX_UP + 0.01
    assert 50 < s.score < 80


def test_one_article_band_holds_at_the_extremes():
    best = ArticleResult(
        "b",
        "s",
        signals={
            "practice_words": 500,
            "attributions": 500,
            "attributed_quotes": 500,
            "named_sources": 500,
            "numbers": 500,
            "dates": 500,
            "spun_score": 0.0,
            "spam_link_blocks": 0,
            "boilerplate_share": 0.0,
            "mojibake_spans": 0,
            "flesch_reading_ease": 50.0,
            "language": "en",
        },
    )
    worst = ArticleResult(
        "w",
        "s",
        signals={
            "practice_words": 1,
            **{k: 500 for k in scoring.BAIT_HALF},
            "headline_bait": 5,
            "spun_score": 500.0,
            "spun": True,
            "spam_link_blocks": 2,
            "boilerplate_share": 1.0,
            "mojibake_spans": 9,
            "flesch_reading_ease": -200.0,
        },
    )
    # the same article without its hard findings: only soft evidence, shrunk
    soft_worst = ArticleResult(
        "w2",
        "s",
        signals={**worst.signals, "spun_score": SPUN_SCORE_FULL - 1, "spun": True, "spam_link_blocks": 0},
    )
    top = score_report([best], ())[0].score
    bottom = score_report([soft_worst], ())[0].score
    hard_bottom = score_report([worst], ())[0].score
    assert prior_score() < top <= prior_score() + MAX_UP + 0.01
    assert prior_score() - MAX_DOWN - 0.01 <= bottom < prior_score()
    # hard findings take their points directly: one such article is enough
    # for the bottom band
    assert hard_bottom < 50 and hard_bottom < bottom - 15
    # many such articles reach far further: the shrinkage, not the scale, held them back
    assert score_report([best] * 200, ())[0].score > top + 10
    assert score_report([soft_worst] * 200, ())[0].score < bottom - 30
    assert score_report([worst] * 200, ())[0].score < hard_bottom


def test_hard_findings_are_not_shrunk_and_soft_ones_are():
    clean = ArticleResult("c", "s", signals={"practice_words": 400, "spam_link_blocks": 0, "spun_score": 0.0})
    spam = ArticleResult("x", "s", signals={"practice_words": 400, "spam_link_blocks": 1, "spun_score": 0.0})
    spun = ArticleResult("y", "s", signals={"practice_words": 400, "spam_link_blocks": 0, "spun_score": 99.0})
    one_spam = score_report([spam], ())[0]
    assert one_spam.components["spam_links"] == 0.0
    # half the articles carry a link farm: half the clean value, not the prior's pull
    half = score_report([spam, clean], ())[0]
    w = WEIGHTS["spam_links"]
    clean_value = (1 * 1.0 + PRIOR_ARTICLES * 0.95) / (1 + PRIOR_ARTICLES)
    assert half.components["spam_links"] == pytest.approx(w * clean_value / 2, abs=0.011)
    assert score_report([spun], ())[0].components["spun_text"] == 0.0
    assert score_report([spun], ())[0].components["originality"] == 0.0
    # a soft, just-below-full spin score is shrunk toward the prior
    weak = ArticleResult("z", "s", signals={"practice_words": 400, "spun_score": SPUN_SCORE_FULL - 1})
    assert score_report([weak], ())[0].components["spun_text"] > 0.7 * WEIGHTS["spun_text"]
    # a single clean article stays near the middle, with low confidence
    solo = score_report([clean], ())[0]
    assert abs(solo.score - prior_score()) < 10 and solo.confidence == 0.2


def test_seeds_hard_evidence_bars():
    report = newsqa.analyze(newsqa.read_articles([SEEDS]))
    by = {s.source: s.score for s in report.sources}
    assert by["unknown-003"] <= 50
    assert by["unknown-000"] - by["unknown-003"] >= 20
    assert by["unknown-001"] < by["unknown-000"]


def test_no_evidence_is_the_prior_with_zero_confidence():
    s = score_stats("nobody", {})
    assert s.score == prior_score() and s.confidence == 0.0 and s.n_articles == 0
    err = score_report(
        [ArticleResult("x", "s", status="error", error="unreadable")], ()
    )[0]
    assert err.score == prior_score() and err.confidence == 0.0 and err.n_articles == 1


def test_confidence_grows_with_evidence():
    r = ArticleResult("a", "s", signals={"practice_words": 300, "spam_link_blocks": 0})
    confs = [score_report([r] * n, ())[0].confidence for n in (1, 2, 5, 20, 100)]
    assert confs == sorted(confs) and confs[0] == 0.2 and confs[-1] > 0.95


# --- originality ---------------------------------------------------------------------


def _copy_corpus(
    n_copies: int, n_own: int = 6, *, outlet=None, relation="near_duplicate"
):
    results = [ArticleResult(f"w{i}", "wire", signals={}) for i in range(n_copies)]
    results += [
        ArticleResult(f"own{i}", "copier", signals={}) for i in range(n_own - n_copies)
    ]
    copy_signals = {"attributed_outlet": outlet} if outlet else {}
    results += [
        ArticleResult(f"c{i}", "copier", signals=copy_signals) for i in range(n_copies)
    ]
    clusters = tuple(
        Cluster(
            f"k{i}",
            "near_duplicate",
            (f"w{i}", f"c{i}"),
            f"w{i}",
            {f"w{i}": 1.0, f"c{i}": 0.9},
            {f"w{i}": "original", f"c{i}": relation},
        )
        for i in range(n_copies)
    )
    return {s.source: s for s in score_report(results, clusters)}


def test_more_copies_lower_originality():
    points = [_copy_corpus(k)["copier"].components["originality"] for k in range(7)]
    assert points == sorted(points, reverse=True) and len(set(points)) == 7
    # the copied source keeps full marks for being copied
    assert (
        _copy_corpus(6)["wire"].components["originality"]
        == _copy_corpus(0)["copier"].components["originality"]
    )


def test_attributed_copies_weigh_less_than_unattributed_and_spun_copies_most():
    attributed = _copy_corpus(4, outlet="Wire Service")["copier"].components[
        "originality"
    ]
    unattributed = _copy_corpus(4)["copier"].components["originality"]
    spun = _copy_corpus(4, outlet="Wire Service", relation="spun_copy")[
        "copier"
    ].components["originality"]
    assert attributed > unattributed > spun


def test_stats_keep_cluster_counts():
    stats = _copy_corpus(2)["copier"].stats
    assert stats["copies_near_duplicate"] == 2 and "originals" not in stats
    assert _copy_corpus(2)["wire"].stats["originals"] == 2


# --- real text -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def text_report():
    clean = [
        newsqa.Article(
            f"clean{i}", f"Budget vote {i}\n" + REPORTING * 2, "clean.example"
        )
        for i in range(4)
    ]
    spam_tail = "\n\ud83d\udc47Follow more\ud83d\udc47\n" + "\n".join(
        f"\ud83d\udc49 spam{i}site.com" for i in range(8)
    )
    spam = [
        newsqa.Article(
            f"spam{i}", f"Budget vote {i}\n" + REPORTING * 2 + spam_tail, "spam.example"
        )
        for i in range(4)
    ]
    spun_text = (
        "The 2 international locations' leaders met. Putin's go to marked a brand new period, in keeping with "
        "state media. The 2 males shook fingers in Kim Il Sung Sq. after World Warfare II commemorations. "
    )
    spun = [
        newsqa.Article(
            f"spun{i}",
            f"Leaders meet {i}\n" + spun_text * 3 + REPORTING,
            "spun.example",
        )
        for i in range(4)
    ]
    bait = [
        newsqa.Article(
            f"bait{i}", f"You Won't Believe This {i}!\n" + BAITING * 4, "bait.example"
        )
        for i in range(4)
    ]
    return newsqa.analyze(clean + spam + spun + bait)


def test_spam_spun_and_bait_sources_score_lower_than_clean(text_report):
    by = {s.source: s for s in text_report.sources}
    clean = by["clean.example"]
    assert by["spam.example"].components["spam_links"] < clean.components["spam_links"]
    assert by["spun.example"].components["spun_text"] < clean.components["spun_text"]
    assert by["bait.example"].components["bait"] < clean.components["bait"]
    assert by["bait.example"].components["sourcing"] < clean.components["sourcing"]
    for other in ("spam.example", "spun.example", "bait.example"):
        assert by[other].score < clean.score, other


def test_seeds_003_last_and_000_in_the_top_two():
    report = newsqa.analyze(newsqa.read_articles([SEEDS]))
    ranked = [s.source for s in sorted(report.sources, key=lambda s: -s.score)]
    source_of = {a.id: a.source for a in report.articles}
    assert ranked[-1] == source_of["003_0d86604bd71b6e9d"]
    assert source_of["000_a431440b9d50f282"] in ranked[:2]
    for s in report.sources:
        _check_points(s)


def test_score_sources_rescores_a_report():
    arts = newsqa.read_articles([SEEDS])
    report = newsqa.analyze(arts)
    assert newsqa.score_sources(report) == report.sources
    assert newsqa.score_sources(newsqa.analyze(arts, signals="practice")) != report.sources
    with pytest.raises(newsqa.InputError, match="analyse the articles first"):
        newsqa.score_sources(arts)


def test_report_json_carries_scores_and_reads_back(text_report, tmp_path):
    path = tmp_path / "report.json"
    text_report.to_json(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    for s in data["sources"]:
        assert set(s) >= {
            "source",
            "n_articles",
            "score",
            "confidence",
            "components",
            "stats",
        }
    back = Report.from_json(path)
    assert back.sources == text_report.sources
    assert newsqa.score_sources(back) == text_report.sources
    assert str(explain_source(back, "spam.example")) == str(
        explain_source(text_report, "spam.example")
    )


def test_report_from_json_rejects_other_json(tmp_path):
    with pytest.raises(InputError, match="not a newsqa report"):
        Report.from_json('{"articles": []}')
    with pytest.raises(InputError, match="cannot read report"):
        Report.from_json(tmp_path / "missing.json")


# --- explanations --------------------------------------------------------------------


WIRE_STORY = (
    "North Korean leader Kim Jong Un met Russian Defence Minister Sergei Shoigu in Pyongyang on Wednesday, "
    "state media said, as the two countries marked the 70th anniversary of the armistice that ended the "
    "Korean War. Shoigu delivered a letter from President Vladimir Putin, the official KCNA agency reported."
)


@pytest.fixture(scope="module")
def copy_report():
    return newsqa.analyze(
        [
            newsqa.Article("orig", WIRE_STORY, "wire.example", published="2023-07-26"),
            newsqa.Article(
                "plain",
                WIRE_STORY + "\nShare this story",
                "copier.example",
                published="2023-07-27",
            ),
            newsqa.Article(
                "credit",
                WIRE_STORY + "\nSource: Wire Example",
                "copier.example",
                published="2023-07-28",
            ),
        ]
    )


def test_explain_source_names_the_copy_relations(copy_report):
    ex = explain_source(copy_report, "copier.example")
    orig = next(c for c in ex.components if c.name == "originality")
    text = "\n".join(orig.evidence)
    assert "article plain is a copy of orig (source wire.example), unattributed" in text
    # the copier's second posting of the story, a day later, is its own republication
    assert "article credit is an update of its own source's story" in text
    wire = explain_source(copy_report, "wire.example")
    assert any(
        "original of cluster" in e and "copier.example" in e
        for e in wire.components[0].evidence
    )
    assert wire.score > ex.score


def test_explanation_adds_up_and_prints_a_table(copy_report):
    ex = explain_source(copy_report, "copier.example")
    by = {s.source: s for s in copy_report.sources}
    assert ex.score == by["copier.example"].score
    assert [c.name for c in ex.components] == [c.name for c in COMPONENTS]
    assert math.isclose(sum(c.points for c in ex.components), ex.score, abs_tol=1e-9)
    for c in ex.components:
        assert c.points == by["copier.example"].components[c.name]
        assert math.isclose(c.points, c.weight * c.value, abs_tol=0.011)
    out = str(ex)
    assert out.splitlines()[0].startswith("source copier.example: score ")
    for c in COMPONENTS:
        assert c.name in out
    assert "copy of orig" in out
    assert json.loads(json.dumps(ex.to_dict()))["source"] == "copier.example"


def test_unknown_source_says_did_you_mean(copy_report):
    with pytest.raises(
        InputError, match=r"no source 'copier\.exampel'.*did you mean 'copier\.example'"
    ):
        explain_source(copy_report, "copier.exampel")
    with pytest.raises(InputError, match="no source 'zzz'"):
        explain_source(copy_report, "zzz")


def test_evidence_lists_are_capped():
    results = [
        ArticleResult(f"a{i}", "s", signals={"practice_words": 50}) for i in range(30)
    ]
    rep = Report(tuple(results), (), score_report(results, ()), {}, "test")
    thin = next(
        c for c in explain_source(rep, "s").components if c.name == "thin_content"
    )
    assert (
        len(thin.evidence) == scoring.MAX_EVIDENCE + 1
        and thin.evidence[-1] == "... and 22 more"
    )


def test_article_stats_are_integers():
    r = ArticleResult("a", "s", signals=_signals(REPORTING + BAITING))
    stats = article_stats(r, "near_duplicate")
    assert all(isinstance(v, int) and v > 0 for v in stats.values())
    assert stats["copies_near_duplicate"] == 1 and stats["originality_milli"] == 300


def test_confidence_counts_readable_articles_even_without_signals():
    results = [
        ArticleResult("a", "s"),
        ArticleResult("b", "s", status="empty"),
        ArticleResult("c", "s", status="error", error="unreadable"),
    ]
    (s,) = score_report(results, ())
    assert s.n_articles == 3 and s.stats["readable"] == 2
    assert s.confidence == round(2 / (2 + PRIOR_ARTICLES), 3)
    seeds = newsqa.score_sources(newsqa.analyze(newsqa.read_articles([SEEDS]), signals=()))
    assert all(x.confidence == 0.2 for x in seeds)


def test_explanation_quotes_spun_spans_as_published_and_shows_shrinkage():
    arts = newsqa.read_articles([SEEDS])
    report = newsqa.analyze(arts)
    ex = explain_source(report, "unknown-003", arts)
    spun = next(c for c in ex.components if c.name == "spun_text")
    line = "\n".join(spun.evidence)
    text = next(a.text for a in arts if a.source == "unknown-003")
    # every quoted span is text as published, followed by the wording it stands for
    import re

    quoted = re.findall(r"'([^']+)' for '", line)
    assert quoted and all(q in text for q in quoted)
    assert spun.hard == 1 and spun.points == 0.0 and spun.shrinkage == 0.0
    bait = next(c for c in ex.components if c.name == "bait")
    assert bait.hard == 0 and bait.shrinkage == pytest.approx(bait.value - bait.measured, abs=1e-3)
    assert "shrink" in str(ex) and "hard" in str(ex)
    # without the texts the spans are given by position
    bare = explain_source(report, "unknown-003")
    assert "chars " in "\n".join(next(c for c in bare.components if c.name == "spun_text").evidence)
    d = ex.to_dict()
    assert {"prior", "shrinkage", "hard", "measured", "points"} <= set(d["components"][0])


def test_explanation_names_whose_story_a_copy_took_and_how_that_was_decided():
    from newsqa.clusters import cluster_texts

    story = (
        "Officials said on Tuesday that the council approved the budget by a vote of 7 to 2 after a long "
        "debate. Mayor Ana Ruiz told reporters at City Hall that the plan protects the services people rely "
        "on. According to the finance office, spending will rise 3.5% to $412 million in 2025, the first "
        "increase since March 2021. Council member Tom Hale, a longtime critic, said he voted against it."
    )
    arts = [
        newsqa.Article("orig", story, "wire.example", published="2024-05-07T10:00"),
        newsqa.Article("copy", story + "\nSource: Wire Example", "copier.example"),
        newsqa.Article("upd", story + " The vote was confirmed on Wednesday.", "wire.example", published="2024-05-07T18:00"),
    ]
    report = newsqa.analyze(arts)
    res = cluster_texts(
        [a.id for a in arts], [a.text for a in arts], [a.published for a in arts], sources=[a.source for a in arts]
    )
    report = Report(report.articles, res.clusters, score_report(report.articles, res.clusters), {}, "test")
    (c,) = report.clusters
    assert c.representative == "orig" and c.original_by == "attribution"
    assert c.relation["upd"] == "update"
    ex = explain_source(report, "copier.example")
    line = "\n".join(next(x for x in ex.components if x.name == "originality").evidence)
    assert "is a copy of orig (source wire.example)" in line
    assert "original chosen by attribution" in line
    wire = explain_source(report, "wire.example")
    text = "\n".join(next(x for x in wire.components if x.name == "originality").evidence)
    assert "is an update of its own source's story orig" in text
    by = {s.source: s for s in report.sources}
    assert by["wire.example"].stats.get("updates") == 1
    assert "originality_hard" not in by["wire.example"].stats


def test_a_citation_list_counts_for_sourcing_not_against_spam():
    body = (
        "The city council approved the budget on Tuesday after a long debate about transport, "
        "schools and the new harbour, officials said in a statement to reporters.\n"
    ) * 6
    refs = (
        "Sources:\n"
        "https://www.reuters.com/world/europe/council-approves-budget-2024-03-05/\n"
        "https://apnews.com/article/harbour-budget-vote-3f2a9c1d\n"
        "https://www.bbc.com/news/world-europe-68476543\n"
    )
    plain, cited = newsqa.analyze(
        [newsqa.Article("plain", body, "a.example"), newsqa.Article("cited", body + refs, "b.example")],
        threshold=0.99,
    ).articles
    assert cited.signals["reference_links"] == 3 and cited.signals["spam_link_blocks"] == 0
    assert not [f for f in cited.flags if f.kind == "spam_links"]
    sa = article_stats(plain)
    sb = article_stats(cited)
    assert sb["attributions"] == sa["attributions"] + 3
    assert sb.get("spam_hits", 0) == 0
