"""Language: langdetect's answer, replayed deterministically and offline."""

from __future__ import annotations

import json
import os
import random
import socket
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsqa.signals import SignalOutput
from newsqa.signals import language as mod
from newsqa.signals.language import SAMPLE_CHARS, language, sample

from ..helpers import run_fresh
from ..strategies import any_text

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
SEED_TEXTS = {
    p.stem: p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))
}

# Short news paragraphs written for these tests.
SAMPLES = {
    "en": "North Korean leader Kim Jong Un met Russia's defence minister in Pyongyang on Wednesday. "
    "The two men discussed regional security, state media reported.",
    "de": "Der nordkoreanische Machthaber Kim Jong Un hat am Mittwoch den russischen "
    "Verteidigungsminister in Pjöngjang empfangen. Die beiden sprachen nach Angaben der "
    "Staatsmedien über die Sicherheit in der Region.",
    "es": "El líder norcoreano Kim Jong Un recibió el miércoles al ministro de Defensa ruso en "
    "Pyongyang. Ambos hablaron sobre la seguridad regional, según los medios estatales.",
    "fr": "Le dirigeant nord-coréen Kim Jong Un a reçu mercredi le ministre russe de la Défense à "
    "Pyongyang. Les deux hommes ont discuté de la sécurité régionale, selon les médias d'État.",
    "pl": "Przywódca Korei Północnej Kim Dzong Un przyjął w środę w Pjongjangu rosyjskiego "
    "ministra obrony. Według mediów państwowych rozmawiali o bezpieczeństwie w regionie.",
}


def _reference_factory():
    """langdetect's own Detector machinery: a private factory, profiles in sorted order, seed 0."""
    from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

    factory = DetectorFactory()
    names = sorted(n for n in os.listdir(PROFILES_DIRECTORY) if not n.startswith("."))
    profiles = []
    for name in names:
        with open(os.path.join(PROFILES_DIRECTORY, name), encoding="utf-8") as fh:
            profiles.append(fh.read())
    factory.load_json_profile(profiles)
    factory.seed = mod.SEED
    return factory


@pytest.fixture(scope="module")
def reference():
    from langdetect.lang_detect_exception import LangDetectException

    factory = _reference_factory()

    def detect(text: str) -> list[tuple[str, float]]:
        detector = factory.create()
        detector.append(text)
        try:
            return [(lang.lang, lang.prob) for lang in detector.get_probabilities()]
        except LangDetectException:
            return []

    return detect


@pytest.mark.parametrize("code", sorted(SAMPLES))
def test_detects_the_sample_languages(code):
    out = language(SAMPLES[code])
    assert isinstance(out, SignalOutput) and out.flags == ()
    assert out.signals["language"] == code
    assert out.signals["language_prob"] > 0.9


def test_seed_articles_are_english():
    for name, text in SEED_TEXTS.items():
        assert language(text).signals["language"] == "en", name


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "\n\t\u3000",
        "12345 67.89",
        "!!! ??? ...",
        "😀" * 50,
        "https://example.com/a/b",
    ],
)
def test_nothing_to_go_on(text):
    assert language(text).signals == {"language": None, "language_prob": 0.0}


def test_bit_for_bit_equal_to_langdetect(reference):
    texts = [*SAMPLES.values(), *SEED_TEXTS.values()]
    texts += [
        "北京大学是中国的一所大学。",
        "ПРИВЕТ мир, как дела? NASA и FBI.",
        "Tiếng Việt có dấu: Hà Nội, Việt Nam.",
        "مرحبا بالعالم ی",
        "NATO USA FBI CIA KCNA",
        "a",
        "mail me at someone@example.com or see http://example.com",
        "Mixed English und Deutsch et un peu de français.",
    ]
    for text in texts:
        s = sample(text)
        assert mod.detect_sample(s) == reference(s), text[:60]


@given(any_text)
def test_bit_for_bit_equal_to_langdetect_on_any_text(reference, text):
    s = sample(text)
    assert mod.detect_sample(s) == reference(s)


def test_leaves_global_state_alone():
    import langdetect.detector_factory as df
    from langdetect.detector_factory import DetectorFactory

    seed_before = DetectorFactory.seed
    shared_before = df._factory
    random_before = random.getstate()
    language(SAMPLES["de"])
    assert DetectorFactory.seed is seed_before
    assert df._factory is shared_before
    assert random.getstate() == random_before


def test_works_offline(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    mod._model.cache_clear()
    try:
        assert language(SAMPLES["fr"]).signals["language"] == "fr"
    finally:
        mod._model.cache_clear()


def test_reads_a_bounded_sample():
    head = SAMPLES["es"] * 20
    assert len(head) > SAMPLE_CHARS
    assert language(head) == language(head + SAMPLES["pl"] * 1000)
    assert len(sample("x" * 10_000_000)) == SAMPLE_CHARS


def test_sample_drops_urls():
    assert (
        sample("see https://example.com/x?y=1 and www.example.org now") == "see and now"
    )
    assert sample("  \n\n a\t\tb  ") == "a b "
    text = (
        " ".join(f"http://spam{i}.example.com/" for i in range(1000))
        + " "
        + SAMPLES["de"]
    )
    assert "spam" not in sample(text)
    assert language(text).signals["language"] == "de"


@given(any_text)
def test_never_raises_and_is_well_typed(text):
    s = language(text).signals
    assert set(s) == {"language", "language_prob"}
    if s["language"] is None:
        assert s["language_prob"] == 0.0
    else:
        assert isinstance(s["language"], str)
        assert 0.1 < s["language_prob"] <= 1.0


@given(
    st.text(
        alphabet=st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF),
        min_size=1,
        max_size=20,
    )
)
def test_lone_surrogates(text):
    language(text + " bonjour le monde " + text)


@given(any_text)
def test_deterministic(text):
    assert language(text) == language(text)


def test_same_in_a_subprocess():
    texts = [*SAMPLES.values(), *SEED_TEXTS.values(), "ok", "Kim"]
    here = [language(t).signals for t in texts]
    for hash_seed in ("0", "4242"):
        there = run_fresh(
            "from newsqa.signals.language import language",
            "language(t).signals",
            texts,
            hash_seed,
        )
        assert there == json.loads(json.dumps(here))


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("word " * 1_000_000, id="5MB-single-line"),
        pytest.param("x" * 5_000_000, id="5MB-one-token"),
        pytest.param("😀" * 100_000, id="100k-emoji"),
        pytest.param(
            " ".join(f"https://example{i}.com/path?q={i}" for i in range(50_000)),
            id="50k-urls",
        ),
        pytest.param("https://" + "a" * 5_000_000, id="5MB-url"),
        pytest.param("@" * 5_000_000, id="5MB-at-signs"),
    ],
)
def test_adversarial_inputs_finish(text):
    language(text)
