"""Clusters on the in-repo fixture corpus: correctness, order independence, originals."""

from __future__ import annotations

import random
from collections import defaultdict
from itertools import pairwise

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import newsqa
from newsqa.clusters import cluster_id

from .test_spun_copies import ORIGINAL, _spin, _spin_unknown


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
    source = {a.id: a.source for a in edited_articles}
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
            elif c.relation[m] == "update":  # a later version from a source already in the cluster
                assert any(source[o] == source[m] for o in c.members if o != m)
                assert c.similarity[m] in (pytest.approx(jac, abs=1e-4), pytest.approx(con, abs=1e-4))
            else:
                assert c.relation[m] == "exact" and c.similarity[m] == 1.0


def test_aggregator_page_is_never_the_original_without_dates(edited_records):
    recs = [r for r in edited_records if r["family"] == "distinct-02" and r["variant"] in ("original", "aggregator")]
    arts = [newsqa.Article(r["id"], r["text"], r["source"]) for r in recs]  # no dates
    (c,) = newsqa.find_duplicates(arts)
    assert c.representative == "distinct-02"
    assert c.relation["distinct-02/aggregator"] == "containment"


# -- originals from every kind of evidence (issue 15) -------------------------------

import datetime as _dt  # noqa: E402

from newsqa.clusters import cluster_texts  # noqa: E402
from newsqa.model import Cluster  # noqa: E402
from newsqa.results import Report  # noqa: E402

_STORY = (
    "Farmers across the western half of the state are bracing for the smallest wheat harvest in more than a "
    "decade after a spring with almost no rain. The state agriculture department estimated on Thursday that "
    "winter wheat production will fall by nearly a third compared with last year. In Dawson County, where "
    "fields are usually golden by mid July, many growers have already plowed under crops that never grew "
    "taller than a boot. Grain elevator managers said trucks are arriving half empty and that protein levels "
    "are unusually high, which may soften the blow for some sellers. Extension agent Marcus Bell said the "
    "drought has also drained stock ponds, forcing ranchers to sell cattle early or haul water from town. The "
    "governor asked federal officials to declare a disaster in forty counties, a step that would open low "
    "interest emergency loans. Forecasters expect the dry pattern to continue into August, although a weak "
    "storm system could bring scattered showers next week. Bell said many families who have farmed here for "
    "generations are weighing whether to plant at all next year, and lenders have begun asking for plans."
)
_TEXT = "Drought leaves wheat growers with the smallest harvest in a decade\n" + _STORY
_ORIG = {"id": "o", "text": _TEXT, "source": "plainsledger.com", "url": "https://plainsledger.com/wheat"}
_CHROME_HEAD = ["Daily Feed | Home | World | Politics | Tech | Sports", "Subscribe | Log in | Newsletter"]
_CHROME_FOOT = [
    "Share on Facebook | Share on Twitter | Email",
    "About Us | Contact | Privacy Policy | Terms of Use",
    "© 2024 Daily Feed. All rights reserved.",
]


def _copy(kind):
    if kind == "aggregator":
        return "\n".join(["Daily Feed | Top Stories", _TEXT, *_CHROME_FOOT])
    if kind == "source_line":
        return _TEXT + "\nSource: Plains Ledger"
    if kind == "originally":
        return "Originally published by Plains Ledger\n" + _TEXT
    if kind == "excerpt":
        words = _STORY.split()
        return (
            _TEXT.split("\n")[0]
            + "\n"
            + " ".join(words[: int(0.6 * len(words))])
            + " …\nRead the full story at plainsledger.com"
        )
    if kind == "wrapped":
        teasers = [
            "More stories",
            "Seismologists put the tremor at magnitude 5.8 and said its center lay under the sea …",
            "The pilots union says its members have gone three years without a raise while …",
            "Business owners on the east side said they worry customers will avoid the area …",
        ]
        return "\n".join([*_CHROME_HEAD, _TEXT, *teasers, *_CHROME_FOOT])
    raise ValueError(kind)


def _run(records, order=None):
    recs = [records[i] for i in order] if order is not None else records
    return cluster_texts(
        [r["id"] for r in recs],
        [r["text"] for r in recs],
        [r.get("published") for r in recs],
        sources=[r.get("source") for r in recs],
        urls=[r.get("url") for r in recs],
    )


DAY = _dt.datetime(2024, 7, 18, 9, 0)


@pytest.mark.parametrize(
    ("kind", "orig_date", "copy_date", "decided"),
    [
        ("aggregator", DAY, DAY + _dt.timedelta(days=2), "date"),
        ("aggregator", DAY, DAY + _dt.timedelta(hours=20), "containment"),  # within the tolerance
        ("source_line", None, None, "attribution"),
        ("originally", None, None, "attribution"),
        ("excerpt", None, None, "attribution"),
        ("wrapped", None, None, "containment"),
        ("source_line", DAY, DAY - _dt.timedelta(days=1), "attribution"),  # an earlier scraped date
    ],
)
def test_the_original_is_found_for_every_kind_of_copy(kind, orig_date, copy_date, decided):
    copy = {"id": "c", "text": _copy(kind), "source": "dailyfeed.net", "url": "https://dailyfeed.net/1"}
    records = [dict(_ORIG, published=orig_date), dict(copy, published=copy_date)]
    (c,) = _run(records).clusters
    assert c.representative == "o"
    assert c.original_by == decided
    assert c.relation["c"] in ("near_duplicate", "containment")


def test_wrapped_and_excerpt_copies_without_sources_or_urls():
    for kind in ("wrapped", "excerpt"):
        arts = [newsqa.Article("o", _TEXT, "a"), newsqa.Article("c", _copy(kind), "b")]
        (c,) = newsqa.find_duplicates(arts)
        assert c.representative == "o", kind
        assert c.original_by in ("containment", "attribution")


def test_an_aggregator_page_holding_other_stories_is_not_the_original():
    other = (
        "Seismologists put the tremor at magnitude 5.8 and said its center lay under the sea just off the coast. "
        "More than thirty aftershocks were recorded during the day, the largest of magnitude 4.1. Emergency "
        "services said eleven people were treated for minor injuries, most of them cuts from broken glass. "
        "The pilots union says its members have gone three years without a raise while flying longer schedules."
    )
    page = other + "\n\n" + _TEXT + "\n\n" + other.upper().lower().replace("tremor", "quake")
    (c,) = newsqa.find_duplicates([newsqa.Article("o", _TEXT, "a"), newsqa.Article("page", page, "b")])
    assert c.representative == "o" and c.original_by == "containment"


def test_updates_are_their_source_s_own_story_not_copies():
    upd = {
        "id": "o2",
        "text": _TEXT + " UPDATE: This story has been updated with additional reporting.",
        "source": "plainsledger.com",
        "url": "https://plainsledger.com/wheat-updated",
        "published": DAY + _dt.timedelta(days=1),
    }
    copy = {
        "id": "c",
        "text": _copy("source_line"),
        "source": "dailyfeed.net",
        "url": "https://dailyfeed.net/1",
        "published": DAY + _dt.timedelta(days=2),
    }
    copy2 = dict(copy, id="c2", url="https://dailyfeed.net/2", published=DAY + _dt.timedelta(days=3))
    (c,) = _run([dict(_ORIG, published=DAY), upd, copy, copy2]).clusters
    assert c.representative == "o"
    assert c.relation["o2"] == "update"
    assert c.relation["c"] != "update" and c.relation["c2"] == "update"  # the copier's own republication
    # the same source makes a later version an update; without a source (plain texts, "" or the
    # "unknown" of .txt files without a manifest) nothing is an update
    (c,) = newsqa.find_duplicates(
        [newsqa.Article("o", _TEXT, "s", published=DAY), newsqa.Article("o2", upd["text"], "s")]
    )
    assert c.relation["o2"] == "update"
    for src in ("", "unknown"):
        (c,) = newsqa.find_duplicates(
            [newsqa.Article("o", _TEXT, src, published=DAY), newsqa.Article("o2", upd["text"], src)]
        )
        assert "update" not in c.relation.values()
    (c,) = newsqa.find_duplicates([_TEXT, upd["text"]])
    assert "update" not in c.relation.values()


@settings(max_examples=25, deadline=None)
@given(st.permutations(list(range(7))))
def test_representative_choice_does_not_depend_on_input_order(perm):
    records = [dict(_ORIG, published=None)]
    for i, kind in enumerate(("aggregator", "source_line", "originally", "excerpt", "wrapped")):
        records.append(
            {"id": f"c{i}", "text": _copy(kind), "source": f"copier{i}.net", "url": f"https://copier{i}.net/x"}
        )
    records.append(
        dict(_ORIG, id="o2", text=_TEXT + " Updated with a new paragraph of text.", url="https://plainsledger.com/2")
    )
    base = _run(records)
    again = _run(records, list(perm))
    assert base.clusters == again.clusters
    (c,) = base.clusters
    assert c.representative in ("o", "o2")
    assert c.relation["o2" if c.representative == "o" else "o"] == "update"


def test_cluster_original_by_round_trips_through_json():
    c = Cluster(
        "c_000000000000",
        "near_duplicate",
        ("a", "b"),
        "a",
        {"a": 1.0, "b": 0.9},
        {"a": "original", "b": "update"},
        "attribution",
    )
    d = c.to_dict()
    assert d["original_by"] == "attribution"
    rep = Report((), (c,), (), {}, "test")
    back = Report.from_json(rep.to_json())
    assert back.clusters[0].original_by == "attribution"
    assert dict(back.clusters[0].relation) == {"a": "original", "b": "update"}


def test_a_source_caption_inside_the_original_does_not_make_it_a_copy():
    paras = [p if p.endswith(".") else p + "." for p in _STORY.split(". ")]  # one sentence a paragraph
    mid = len(paras) // 2
    original = "\n".join([*paras[:mid], "Source: State Agriculture Department", *paras[mid:]])
    copy = "\n".join(["Daily Feed | Top Stories", *paras, *_CHROME_FOOT])  # the caption dropped
    arts = [newsqa.Article("o", original, "a"), newsqa.Article("z", copy, "b")]
    (c,) = newsqa.find_duplicates(arts)
    assert c.representative == "o"


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30)), max_size=200), st.integers(1, 5000))
def test_verification_chunks_cover_every_pair_within_the_budgets(pairs, budget):
    import numpy as np

    from newsqa import clusters as C

    rng = np.random.default_rng(len(pairs))
    sizes = rng.integers(0, 3000, 31)
    arr = np.array(pairs, dtype=np.int64).reshape(-1, 2)
    old = C.VERIFY_MAX_SHINGLES, C.VERIFY_CHUNK
    C.VERIFY_MAX_SHINGLES, C.VERIFY_CHUNK = budget, 7
    try:
        chunks = C._pair_chunks(arr, sizes)
    finally:
        C.VERIFY_MAX_SHINGLES, C.VERIFY_CHUNK = old
    assert [x for lo, hi in chunks for x in range(lo, hi)] == list(range(len(pairs)))
    for lo, hi in chunks:
        cost = int(sizes[arr[lo:hi]].sum())
        assert hi - lo <= 7 and (hi - lo == 1 or cost <= budget)


@given(st.dictionaries(st.integers(0, 50), st.text(max_size=5), max_size=20), st.integers(-5, 60))
def test_texts_by_key_is_the_dict_it_stands_for(texts, probe):
    from newsqa.clusters import TextsByKey

    m = TextsByKey.of(texts)
    assert dict(m) == texts and len(m) == len(texts) and list(m) == sorted(texts)
    assert (probe in m) == (probe in texts) and ("a" not in m)
    new_key = np.arange(61) * 2 + 1
    assert dict(m.rekeyed(new_key)) == {int(new_key[k]): t for k, t in texts.items()}


# -- clustering's per-item steps over slices (map_parts) ------------------------------


def groups_corpus(edited_articles):
    """``cluster_texts`` arguments for a corpus with every kind of cluster: the edited copies,
    attributed, wrapped and excerpted copies with sources and URLs, updates, an exact
    copy, a spun copy with its unspun text and one the lexicon misses (linked by
    skeletons)."""
    recs = [{"id": a.id, "text": a.text, "source": a.source, "published": a.published} for a in edited_articles]
    recs += [dict(_ORIG, published=DAY), dict(_ORIG, id="o2", text=_TEXT + " UPDATE: new details.", published=DAY)]
    for i, kind in enumerate(("aggregator", "source_line", "originally", "excerpt", "wrapped")):
        recs.append({"id": f"c{i}", "text": _copy(kind), "source": f"copier{i}.net", "url": f"https://copier{i}.net/x"})
    recs += [
        {"id": "wire", "text": ORIGINAL, "source": "wire.example", "published": DAY},
        {"id": "spun", "text": _spin(ORIGINAL), "source": "spam.example", "published": DAY - _dt.timedelta(days=1)},
        {"id": "spun2", "text": _spin_unknown(ORIGINAL), "source": "spam2.example"},
    ]
    quake = (
        "Seismologists put the tremor at magnitude 5.8 and said its center lay under the sea just off the coast. "
        "More than thirty aftershocks were recorded during the day, the largest of magnitude 4.1."
    )
    recs += [{"id": "quake", "text": quake, "source": "a"}, {"id": "quake2", "text": quake.upper(), "source": "b"}]
    return {
        "ids": [r["id"] for r in recs],
        "texts": [r["text"] for r in recs],
        "published": [r.get("published") for r in recs],
        "sources": [r.get("source") for r in recs],
        "urls": [r.get("url") for r in recs],
        "unspun": {[r["id"] for r in recs].index("spun"): ORIGINAL},
        "spun_scores": [0.9 if r["id"].startswith("spun") else 0.0 for r in recs],
    }


@pytest.fixture(scope="module")
def groups_input(edited_articles):
    return groups_corpus(edited_articles)


@settings(max_examples=15, deadline=None)
@given(
    cuts=st.lists(st.integers(0, 10_000), max_size=12),
    backwards=st.booleans(),
    verify=st.sampled_from(["exact", "signature"]),
)
def test_any_slicing_of_the_steps_gives_the_same_clusters(groups_input, cuts, backwards, verify):
    calls = []

    def map_parts(func, shared, items, weights):
        n = len(items)
        assert isinstance(weights, int) or len(weights) == n
        bounds = list(pairwise(sorted({0, n} | {c % (n + 1) for c in cuts})))
        done = {b: func(shared, list(items[b[0] : b[1]])) for b in (bounds[::-1] if backwards else bounds)}
        calls.append(func.__name__)
        return [c for b in bounds for c in done[b]]

    cfg = newsqa.config.DedupConfig(verify=verify)
    base = cluster_texts(cfg=cfg, **groups_input)
    got = cluster_texts(cfg=cfg, map_parts=map_parts, **groups_input)
    steps = {"_sketch_skeletons", "_clusters_of_groups"} | ({"_overlap_parts"} if verify == "exact" else set())
    assert steps <= set(calls) and len(base.clusters) > 10
    assert {c.kind for c in base.clusters} >= {"exact", "near_duplicate", "containment", "spun_copy"}
    assert got.clusters == base.clusters
    assert list(got.cluster_of.items()) == list(base.cluster_of.items())


def test_a_map_parts_that_loses_groups_is_an_error(groups_input):
    def lossy(func, shared, items, weights):
        return func(shared, items[1:] if func.__name__ == "_clusters_of_groups" else items)

    with pytest.raises(RuntimeError, match="map_parts returned"):
        cluster_texts(map_parts=lossy, **groups_input)


@pytest.mark.parametrize("batch", [1, 3, 10**9])
def test_containment_candidates_in_batches_give_the_same_clusters(groups_input, monkeypatch, batch):
    from newsqa import clusters

    base = cluster_texts(**groups_input)
    monkeypatch.setattr(clusters, "CONTAINMENT_BATCH", batch)
    got = cluster_texts(**groups_input)
    assert any(c.kind == "containment" for c in base.clusters)
    assert got.clusters == base.clusters
