"""Spun copies join their original's cluster through their unspun text."""

from __future__ import annotations

import newsqa

ORIGINAL = (
    "Russian President Vladimir Putin said on Wednesday that the two countries would deepen military ties, "
    "according to state media. The two leaders shook hands in Pyongyang, where officials said the visit was a "
    "historic event. In recent months the two countries have signed a security agreement, and last year officials "
    "said the policy would continue. Putin said the visit showed the strength of the relationship between the two "
    "countries, according to the state news agency. The officials said the talks got under way before dawn and that "
    "the two leaders discussed military cooperation, security and economic ties."
)
# A spinner's word-by-word substitutions (the kinds seed 003 shows).
SUBSTITUTIONS = [
    ("said", "mentioned"), ("the two countries", "the 2 international locations"), ("military", "navy"),
    ("according to", "in keeping with"), ("shook hands", "shook fingers"), ("officials", "officers"),
    ("recent months", "latest months"), ("security", "safety"), ("agreement", "settlement"),
    ("last year", "final 12 months"), ("policy", "coverage"), ("got under way", "acquired beneath method"),
    ("before dawn", "earlier than daybreak"), ("economic", "financial"), ("the visit", "the go to"),
]


def _spin(text: str) -> str:
    for a, b in SUBSTITUTIONS:
        text = text.replace(a, b)
    return text


def _jaccard(a: str, b: str) -> float:
    sa, sb = set(newsqa.text.shingles(a)), set(newsqa.text.shingles(b))
    return len(sa & sb) / len(sa | sb)


def test_spun_copy_joins_its_original():
    spun = _spin(ORIGINAL)
    assert _jaccard(ORIGINAL, spun) < 0.2  # plain MinHash at 0.8 cannot link these
    arts = [
        newsqa.Article("wire", ORIGINAL, "wire.example", published="2024-06-19"),
        newsqa.Article("copy", spun, "spam.example", published="2024-06-18"),  # dated earlier
        newsqa.Article("other", "Heavy rain is expected across the region this weekend, the weather service said.", "w"),
    ]
    (c,) = newsqa.analyze(arts).clusters
    assert c.kind == "spun_copy"
    assert c.representative == "wire"  # a spun copy is never the original
    assert c.relation == {"wire": "original", "copy": "spun_copy"}
    assert c.similarity["copy"] >= 0.8
    # order does not matter
    assert newsqa.analyze(arts[::-1]).clusters == (c,)


def test_without_the_spun_signal_or_skeletons_no_link():
    arts = [newsqa.Article("wire", ORIGINAL, "a"), newsqa.Article("copy", _spin(ORIGINAL), "b")]
    assert newsqa.analyze(arts, signals=("boilerplate",), spin_links=False).clusters == ()


# Substitutions no lexicon entry knows: rare thesaurus synonyms, checked
# below to leave the spun-text signal silent.
UNKNOWN_SUBSTITUTIONS = [
    ("said", "asserted"), ("countries", "realms"), ("deepen", "intensify"), ("military", "martial"),
    ("ties", "bonds"), ("leaders", "headmen"), ("historic", "momentous"), ("event", "occurrence"),
    ("signed", "inked"), ("agreement", "covenant"), ("policy", "stratagem"), ("continue", "persist"),
    ("showed", "evinced"), ("strength", "potency"), ("relationship", "rapport"), ("talks", "parleys"),
    ("discussed", "debated"), ("cooperation", "collaboration"), ("economic", "pecuniary"), ("visit", "sojourn"),
]


def _spin_unknown(text: str) -> str:
    import re

    table = dict(UNKNOWN_SUBSTITUTIONS)
    return re.sub(r"[a-z]+", lambda m: table.get(m.group(), m.group()), text)


def test_skeleton_links_a_spun_copy_the_lexicon_does_not_know():
    spun = _spin_unknown(ORIGINAL)
    assert _jaccard(ORIGINAL, spun) < 0.3
    assert not newsqa.analyze([newsqa.Article("x", spun, "s")]).articles[0].flags  # the lexicon sees nothing
    arts = [
        newsqa.Article("copy", spun, "spam.example"),  # no dates: word rarity decides the original
        newsqa.Article("wire", ORIGINAL, "wire.example"),
        newsqa.Article("other", "Heavy rain is expected across the region this weekend, the weather service said.", "w"),
    ]
    (c,) = newsqa.analyze(arts).clusters
    assert c.kind == "spun_copy"
    assert c.representative == "wire"
    assert c.relation == {"wire": "original", "copy": "spun_copy"}
    assert c.similarity["copy"] >= 0.5  # skeleton Jaccard
    assert newsqa.analyze(arts[::-1]).clusters == (c,)
    assert newsqa.analyze(arts, spin_links=False).clusters == ()


def test_two_unrelated_spun_articles_stay_apart():
    other = (
        "The city council said on Tuesday that officials would review the policy on bike lanes after recent months "
        "of complaints, according to the mayor. Last year the council signed an agreement with the transport agency "
        "on security cameras and said the work would start before dawn on weekends to limit traffic in the centre."
    )
    arts = [newsqa.Article("a", _spin(ORIGINAL), "s1"), newsqa.Article("b", _spin(other), "s2")]
    assert newsqa.analyze(arts).clusters == ()
