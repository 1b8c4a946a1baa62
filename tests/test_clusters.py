"""Clusters on the in-repo fixture corpus: correctness, order independence, originals."""

from __future__ import annotations

import random
from collections import defaultdict

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import newsqa
from newsqa.clusters import cluster_id


def _shingle_set(text):
    return set(newsqa.text.shingles(text))


def _jaccard(a, b):
    return len(a & b) / max(len(a | b), 1)


def _truth_components(records, threshold=0.8):
    sets = [_shingle_set(r["text"]) for r in records]
    parent = list(range(len(records)))

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i in range(len(records)):
        for j in range(i + 1, len(records)):
            if _jaccard(sets[i], sets[j]) >= threshold:
                parent[find(i)] = find(j)
    groups = defaultdict(set)
    for i, r in enumerate(records):
        groups[find(i)].add(r["id"])
    return [g for g in groups.values() if len(g) > 1]


def _pairs(groups):
    out = set()
    for g in groups:
        g = sorted(g)
        out.update((a, b) for i, a in enumerate(g) for b in g[i + 1 :])
    return out


def _plain(edited_records, edited_articles):
    plain = [r for r in edited_records if r["variant"] != "aggregator"]
    arts = [a for a in edited_articles if not a.id.endswith("/aggregator")]
    return plain, arts


def test_exact_verification_matches_exact_jaccard_truth(edited_records, edited_articles):
    plain, arts = _plain(edited_records, edited_articles)
    truth = _pairs(_truth_components(plain))
    clusters = newsqa.find_duplicates(arts, containment=False, verify="exact")
    assert _pairs([set(c.members) for c in clusters]) == truth


def test_signature_verification_is_within_estimate_noise(edited_records, edited_articles):
    # The estimate has a standard error of 0.035 at J = 0.8: pairs well above
    # the threshold are always found, pairs well below never are.
    plain, arts = _plain(edited_records, edited_articles)
    got = _pairs([set(c.members) for c in newsqa.find_duplicates(arts, containment=False, verify="signature")])
    assert _pairs(_truth_components(plain, 0.92)) <= got <= _pairs(_truth_components(plain, 0.65))


def test_families_cluster_and_distinct_stories_stay_apart(edited_records, edited_articles):
    family = {r["id"]: r["family"] for r in edited_records}
    clusters = newsqa.find_duplicates(edited_articles)
    for c in clusters:
        assert len({family[m] for m in c.members}) == 1, c.members
    by_family = defaultdict(set)
    for r in edited_records:
        by_family[r["family"]].add(r["id"])
    clustered = {frozenset(c.members) for c in clusters}
    for fam, ids in by_family.items():
        assert frozenset(ids) in clustered, fam


def test_aggregator_pages_join_by_containment(edited_records, edited_articles):
    pages = [r["id"] for r in edited_records if r["variant"] == "aggregator"]
    assert pages
    clusters = newsqa.find_duplicates(edited_articles)
    rel = {m: c.relation[m] for c in clusters for m in c.members}
    for p in pages:
        assert rel.get(p) == "containment"
    for c in clusters:
        if any(c.relation[m] == "containment" for m in c.members):
            assert c.kind == "containment"
            assert c.relation[c.representative] == "original"
    # without containment the pages stand alone
    plain = newsqa.find_duplicates(edited_articles, containment=False)
    assert not any(p in c.members for c in plain for p in pages)


def test_page_holding_two_stories_does_not_merge_them(edited_records):
    originals = [r for r in edited_records if r["variant"] == "original"][:2]
    page = originals[0]["text"] + "\n" + originals[1]["text"]
    arts = [newsqa.Article(r["id"], r["text"], "s") for r in originals] + [newsqa.Article("page", page, "agg")]
    clusters = newsqa.find_duplicates(arts)
    assert len(clusters) == 1
    assert set(clusters[0].members) in ({originals[0]["id"], "page"}, {originals[1]["id"], "page"})


@settings(max_examples=15)
@given(st.randoms(use_true_random=False))
def test_order_does_not_change_clusters(edited_articles, rnd):
    shuffled = list(edited_articles)
    rnd.shuffle(shuffled)
    a = newsqa.find_duplicates(edited_articles)
    b = newsqa.find_duplicates(shuffled)
    assert a == b


def test_representative_is_earliest_then_longest():
    text = " ".join(f"word{i}" for i in range(300))
    arts = [
        newsqa.Article("late", text, "a", published="2024-01-03"),
        newsqa.Article("early", text + " extra", "b", published="2024-01-01T10:00:00+02:00"),
        newsqa.Article("undated-long", text + " extra words here", "c"),
    ]
    (c,) = newsqa.find_duplicates(arts)
    assert c.representative == "early"
    assert c.id == cluster_id("early")
    assert c.members[0] == "early" and list(c.members[1:]) == sorted(c.members[1:])
    undated = [newsqa.Article("short", text, "a"), newsqa.Article("long", text + " more", "b")]
    assert newsqa.find_duplicates(undated)[0].representative == "long"


def test_exact_cluster_kind_and_similarity():
    text = "The two men shook hands and hugged while a woman presented Putin with roses. " * 5
    clusters = newsqa.find_duplicates([text, text.upper(), "  " + text.replace(" ", "\n")])
    (c,) = clusters
    assert c.kind == "exact"
    assert set(c.similarity.values()) == {1.0}


def test_near_duplicate_similarity_is_exact_jaccard(edited_records, edited_articles):
    text = {r["id"]: r["text"] for r in edited_records}
    for c in newsqa.find_duplicates(edited_articles, containment=False):
        rep = _shingle_set(text[c.representative])
        for m in c.members[1:]:
            if c.relation[m] == "near_duplicate":
                assert c.similarity[m] == pytest.approx(_jaccard(rep, _shingle_set(text[m])), abs=1e-4)


def test_short_texts_are_not_contained_everywhere():
    snippet = "Read more at our website for the latest news."
    long = " ".join(f"story{i}" for i in range(400))
    arts = [newsqa.Article("snippet", snippet, "a"), newsqa.Article("page", long + " " + snippet, "b")]
    assert newsqa.find_duplicates(arts) == []


def test_random_unrelated_texts_form_no_clusters():
    rng = random.Random(5)
    texts = [" ".join(f"w{rng.randrange(5000)}" for _ in range(200)) for _ in range(300)]
    assert newsqa.find_duplicates(texts) == []


def test_representative_is_earliest_member_and_labels_match_overlap(edited_records, edited_articles):
    text = {r["id"]: r["text"] for r in edited_records}
    published = {a.id: a.published for a in edited_articles}
    for c in newsqa.find_duplicates(edited_articles):
        dated = [published[m] for m in c.members if published[m] is not None]
        if dated:
            assert published[c.representative] == min(dated)
        rep = _shingle_set(text[c.representative])
        for m in c.members[1:]:
            other = _shingle_set(text[m])
            jac = _jaccard(rep, other)
            con = len(rep & other) / max(min(len(rep), len(other)), 1)
            if c.relation[m] == "containment":
                assert jac < 0.8 and c.similarity[m] == pytest.approx(con, abs=1e-4) and con >= 0.8
            elif c.relation[m] == "near_duplicate":
                assert c.similarity[m] == pytest.approx(jac, abs=1e-4)
            else:
                assert c.relation[m] == "exact" and c.similarity[m] == 1.0


def test_aggregator_page_is_never_the_original_without_dates(edited_records):
    recs = [r for r in edited_records if r["family"] == "distinct-02" and r["variant"] in ("original", "aggregator")]
    arts = [newsqa.Article(r["id"], r["text"], r["source"]) for r in recs]  # no dates
    (c,) = newsqa.find_duplicates(arts)
    assert c.representative == "distinct-02"
    assert c.relation["distinct-02/aggregator"] == "containment"
