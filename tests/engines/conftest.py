"""A small corpus that exercises every stage of a streamed run.

The seeds, the edited-copies fixture and about two hundred generated
articles: several sources with template header and footer lines (so
templates are learnt), exact copies, light edits, a page embedding a whole
article (containment), a spun copy (spun linking), an empty text and
unreadable records, in a shuffled order.
"""

from __future__ import annotations

import random

import pytest

import newsqa
from newsqa.io import Unreadable

from ..conftest import SEEDS
from ..test_spun_copies import ORIGINAL, _spin

_WORDS = [
    "council",
    "vote",
    "budget",
    "river",
    "bridge",
    "school",
    "teachers",
    "union",
    "strike",
    "market",
    "prices",
    "farmers",
    "harvest",
    "storm",
    "coast",
    "police",
    "report",
    "court",
    "judge",
    "ruling",
    "minister",
    "election",
    "campaign",
    "voters",
    "hospital",
    "doctors",
    "patients",
    "museum",
    "exhibit",
    "artist",
    "festival",
    "music",
    "stadium",
    "team",
    "coach",
    "season",
    "match",
    "goal",
    "airport",
    "flights",
    "delay",
    "railway",
    "station",
    "commuters",
    "energy",
    "plant",
    "workers",
    "factory",
    "wages",
    "housing",
    "rent",
    "tenants",
    "mayor",
    "plan",
    "city",
    "village",
    "road",
    "repairs",
    "weather",
    "forecast",
    "rain",
    "wind",
    "snow",
    "summer",
    "winter",
    "data",
    "study",
    "scientists",
    "research",
]
_SOURCES = ("dailyledger", "metropost", "civicherald", "wirenews", "aggregator")


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(_WORDS) for _ in range(rng.randint(8, 16))]
    return " ".join(words).capitalize() + "."


def _body(rng: random.Random, n_sentences: int) -> str:
    paras = []
    for _ in range(max(1, n_sentences // 4)):
        paras.append(" ".join(_sentence(rng) for _ in range(4)))
    return "\n".join(paras)


def generated_articles(
    seed: int = 7, n_stories: int = 120
) -> list[newsqa.Article | Unreadable]:
    rng = random.Random(seed)
    out: list[newsqa.Article | Unreadable] = []
    stories = []
    for i in range(n_stories):
        src = _SOURCES[i % 4]
        body = _body(rng, rng.randint(8, 16))
        header = f"{src.upper()} | News | World | Local"
        footer = (
            f"Copyright {src} all rights reserved. Subscribe to the {src} newsletter."
        )
        text = f"{header}\n{body}\n{footer}"
        day = 1 + i % 27
        out.append(
            newsqa.Article(f"g{i:03d}", text, src, published=f"2024-03-{day:02d}")
        )
        stories.append((body, day))
    for j in range(40):  # copies of earlier stories on other sources
        body, day = stories[rng.randrange(len(stories))]
        kind = j % 4
        if kind == 0:
            text = body
        elif kind == 1:
            text = body.replace(" the ", " a ", 1) + " " + _sentence(rng)
        elif kind == 2:
            text = (
                _body(rng, 8) + "\n" + body + "\n" + _body(rng, 4)
            )  # an aggregator page
        else:
            text = body.upper()
        out.append(
            newsqa.Article(
                f"copy{j:02d}",
                text,
                _SOURCES[4 if kind == 2 else j % 4],
                published=f"2024-04-{1 + day % 27:02d}",
            )
        )
    out.append(
        newsqa.Article("spun-orig", ORIGINAL, "wirenews", published="2024-06-19")
    )
    out.append(
        newsqa.Article(
            "spun-copy", _spin(ORIGINAL), "metropost", published="2024-06-18"
        )
    )
    out.append(newsqa.Article("empty", "", "metropost"))
    out.append(newsqa.Article("blank", " \n\t 😀 …", "dailyledger"))
    out.append(Unreadable("broken-1", "civicherald", "not valid UTF-8 at byte 3"))
    out.append(Unreadable("broken-2", "nowhere", "not valid UTF-8 at byte 9"))
    rng.shuffle(out)
    return out


@pytest.fixture(scope="session")
def mixed_corpus(edited_articles) -> list[newsqa.Article | Unreadable]:
    return newsqa.read_articles([SEEDS]) + list(edited_articles) + generated_articles()


@pytest.fixture(scope="session")
def reference_report(mixed_corpus) -> newsqa.Report:
    """The in-memory report every engine must reproduce."""
    return newsqa.analyze(mixed_corpus)


def comparable(report: newsqa.Report) -> dict:
    """The report without its config (which names the engine and chunk size)."""
    data = report.to_dict()
    data.pop("config")
    return data
