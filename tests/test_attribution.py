"""Attribution statements and outlet-name matching (newsqa.attribution)."""

from __future__ import annotations

import pytest
from hypothesis import given

from newsqa.attribution import (
    attributions,
    corpus_aliases,
    host_keys,
    names_match,
    outlet_keys,
)

from .strategies import any_text

STORY = "Officials said on Tuesday that the council approved the budget by a vote of 7 to 2."


@pytest.mark.parametrize(
    ("line", "kind", "outlet"),
    [
        # en
        ("Source: Ambito", "source", "Ambito"),
        ("SOURCE - The Guardian", "source", "The Guardian"),
        ("Via Politico", None, None),  # no separator: prose, not a line of attribution
        ("Via: Politico", "source", "Politico"),
        ("Originally published by Politico.", "republished", "Politico"),
        ("This article was originally published on The Conversation.", "republished", "The Conversation"),
        ("This article first appeared on Reuters.com", "republished", "Reuters.com"),
        ("Republished with permission from Eagle Rising", "republished", "Eagle Rising"),
        ("Read the full story at www.apnews.com", "full_story", "www.apnews.com"),
        ("Read the full article on CNN", "full_story", "CNN"),
        # de
        ("Quelle: Spiegel Online", "source", "Spiegel Online"),
        ("Dieser Artikel erschien zuerst bei Zeit Online.", "republished", "Zeit Online"),
        ("Zuerst erschienen auf tagesschau.de", "republished", "tagesschau.de"),
        ("Den vollständigen Artikel lesen Sie auf faz.net", "full_story", "faz.net"),
        # fr
        ("Source : Le Monde", "source", "Le Monde"),
        ("Cet article a été initialement publié sur Le Figaro.", "republished", "Le Figaro"),
        ("Lire la suite sur lemonde.fr", "full_story", "lemonde.fr"),
        # es
        ("Fuente: El País", "source", "El País"),
        ("Publicado originalmente en El Mundo", "republished", "El Mundo"),
        ("Lee la nota completa en clarin.com", "full_story", "clarin.com"),
        # it
        ("Fonte: ANSA", "source", "ANSA"),
        ("Questo articolo è apparso per la prima volta su Il Post", "republished", "Il Post"),
        ("Leggi l'articolo completo su corriere.it", "full_story", "corriere.it"),
        # pt
        ("Fonte: Folha de S.Paulo", "source", "Folha de S.Paulo"),
        ("Este artigo foi publicado originalmente no Público", "republished", "Público"),
        ("Leia a matéria completa no g1.globo.com", "full_story", "g1.globo.com"),
        # nl
        ("Bron: NOS", "source", "NOS"),
        ("Dit artikel verscheen eerder op nu.nl", "republished", "nu.nl"),
        ("Lees het volledige artikel op nos.nl", "full_story", "nos.nl"),
    ],
)
def test_attribution_lines_in_seven_languages(line, kind, outlet):
    text = f"{STORY}\n{line}"
    found = attributions(text)
    if kind is None:
        assert found == ()
        return
    assert [(a.kind, a.outlet) for a in found] == [(kind, outlet)]
    (a,) = found
    assert text[a.start : a.end] == line


@pytest.mark.parametrize(
    ("text", "outlet"),
    [
        ("SEOUL (Reuters) - North Korea fired a missile on Sunday.", "Reuters"),
        ("WASHINGTON (AP) — The Senate voted on Tuesday.", "AP"),
        ("Headline here\nPARIS, France (AFP) - Talks resumed.", "AFP"),
        ("(Reuters) - Shares fell.", "Reuters"),
    ],
)
def test_wire_datelines(text, outlet):
    (a,) = attributions(text)
    assert (a.kind, a.outlet) == ("dateline", outlet)
    assert not a.declares_copy


def test_prose_mentioning_sources_is_not_attribution():
    for text in (
        "The source of the leak said on Monday that talks had stalled.",
        "Sources: the ministry said it would not comment on the report that was published by the paper on Monday "
        "and that had been read the full story at length by many, according to officials familiar with it. " * 3,
        "He read the full story at the kitchen table.\n" * 0,
        "",
        "   \n\n ",
    ):
        assert attributions(text) == ()


@given(any_text)
def test_attributions_never_fail_and_spans_are_in_the_text(text):
    for a in attributions(text):
        assert 0 <= a.start < a.end <= len(text)
        assert a.outlet and a.outlet.strip() == a.outlet


def test_large_input():
    text = (STORY + "\n") * 60_000 + "Source: Politico"
    found = attributions(text)
    assert [(a.kind, a.outlet) for a in found] == [("source", "Politico")]


@pytest.mark.parametrize(
    ("outlet", "name", "expected"),
    [
        ("Politico", "politico.com", True),
        ("POLITICO", "https://www.politico.com/story/2016/09/x", True),
        ("The New York Times", "nytimes.com", True),
        ("ABC News", "abcnews.go.com", True),
        ("Eagle Rising", "eaglerising.com", True),
        ("The Other 98%", "theother98.com", True),
        ("BBC", "http://www.bbc.co.uk/news/world", True),
        ("Reuters", "politico.com", False),
        ("The Associated Press", "apnews.com", False),  # only where the corpus shows it
        ("Le Monde", "lemonde.fr", True),
        ("El País", "elpais.com", True),
        ("", "politico.com", False),
    ],
)
def test_names_match_by_normalisation(outlet, name, expected):
    assert names_match(outlet, name) is expected


def test_corpus_aliases_join_a_source_and_its_host():
    aliases = corpus_aliases(
        [("The Associated Press", "https://apnews.com/article/1"), ("politico.com", None), (None, "https://x.org")]
    )
    assert names_match("The Associated Press", "apnews.com", aliases=aliases)
    assert names_match("apnews.com", "The Associated Press", aliases=aliases)
    assert not names_match("Reuters", "apnews.com", aliases=aliases)


def test_keys():
    assert "nytimes" in outlet_keys("The New York Times")
    assert host_keys("https://www.bbc.co.uk/news") == frozenset({"bbc"})
    assert host_keys("") == frozenset() and outlet_keys("   ") == frozenset()
