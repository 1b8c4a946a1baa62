"""Mojibake: the seeds, classic and lossy mix-ups, look-alikes that are real text, invariants."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsqa.signals import SignalOutput
from newsqa.signals import mojibake as mod
from newsqa.signals.mojibake import mojibake, repair
from tests.strategies import any_text

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def read_seed(stem: str) -> str:
    return (SEEDS / f"{stem}.txt").read_text(encoding="utf-8")


def spans(text: str) -> list[tuple[str, str, str | None]]:
    return [(text[f.start : f.end], f.reason, f.extra.get("original")) for f in mojibake(text).flags]


def assert_well_formed(text: str, out: SignalOutput) -> None:
    prev_end = 0
    for f in out.flags:
        assert f.kind == "mojibake"
        assert 0 <= f.start < f.end <= len(text)
        assert f.start >= prev_end, "flags sorted and not overlapping"
        prev_end = f.end
        assert 0.0 < f.score <= 1.0
        assert f.reason in {"encoding_mixup", "lost_bytes", "lost_emoji", "foreign_letter_in_word"}
        assert isinstance(f.extra["encoding"], str)
        assert f.extra.get("original") is None or isinstance(f.extra["original"], str)
    s = out.signals
    assert s["mojibake_spans"] == len(out.flags)
    assert s["mojibake_chars"] == sum(f.end - f.start for f in out.flags)
    assert s["mojibake_fixable"] == any("original" in f.extra for f in out.flags)
    assert 0.0 <= s["mojibake_score"] <= 1.0
    assert (s["mojibake_encoding"] is None) == (not out.flags)


# ---------------------------------------------------------------------------
# Seeds
# ---------------------------------------------------------------------------
SEED_001 = "001_0232089537fc7084"


def test_seed_001_flags_exactly():
    text = read_seed(SEED_001)
    out = mojibake(text)
    got = [(f.start, f.end, text[f.start : f.end], f.reason, f.extra.get("original")) for f in out.flags]
    assert got == [
        (0, 1, "π", "lost_emoji", None),  # "π TL:DR; π": an emoji (F0 9F ..) read as ISO-8859-7
        (9, 10, "π", "lost_emoji", None),
        (585, 587, "π€", "lost_emoji", None),  # after "the international stage?"
        (599, 600, "β", "foreign_letter_in_word", "’"),  # "North Koreaβs" in the headline
        (3335, 3338, "π€¨", "lost_emoji", "🤨"),  # F0 [9F] A4 A8: only the C1 byte 9F was lost
    ]
    assert {f.extra["encoding"] for f in out.flags} == {"iso-8859-7"}
    assert out.signals["mojibake_spans"] == 5
    assert out.signals["mojibake_fixable"] is True
    assert out.signals["mojibake_encoding"] == "iso-8859-7"
    assert out.signals["mojibake_score"] > 0.99
    assert_well_formed(text, out)


def test_seed_001_every_artefact_is_covered():
    """Every non-ASCII character of seed 001 that is not a correct curly quote lies in a flag."""
    text = read_seed(SEED_001)
    covered = {i for f in mojibake(text).flags for i in range(f.start, f.end)}
    odd = [i for i, c in enumerate(text) if ord(c) > 127 and c not in "’“”"]
    assert odd and all(i in covered for i in odd)


def test_seed_001_repair():
    text = read_seed(SEED_001)
    fixed = repair(text)
    assert "North Korea’s Kim Jong Un Meets" in fixed
    assert "Koreaβs" not in fixed
    assert fixed.endswith("closely? 🤨\nOriginal News Story URL: Read more") or "closely? 🤨\n" in fixed
    # originals that cannot be known stay as they are
    assert fixed.startswith("π TL:DR; π\n")
    assert "stage? π€\n" in fixed
    assert repair(fixed) == fixed


@pytest.mark.parametrize("stem", sorted(p.stem for p in SEEDS.glob("*.txt") if p.stem != SEED_001))
def test_other_seeds_have_no_mojibake(stem):
    """Curly quotes, 👇 👉, … and em dashes, all properly encoded."""
    text = read_seed(stem)
    assert not text.isascii()
    out = mojibake(text)
    assert out.flags == ()
    assert out.signals["mojibake_spans"] == 0
    assert repair(text) == text


# ---------------------------------------------------------------------------
# No false alarms
# ---------------------------------------------------------------------------
REAL_TEXT = [
    # Greek and Cyrillic text, and Greek in English
    "Η Ελλάδα είναι χώρα της Ευρώπης.",
    "Το Σάββατο πήγαμε στην Αθήνα. «Καλά», είπε. Ο Κώστας — και η Ελένη…",
    "Москва — столица России. «Всё хорошо», — сказал он… Ёлка, № 5.",
    "Київ — столиця України. Дії уряду «сьогодні». Її мрії — їхні.",
    "Ђорђе живи у Љубљани и Нишу.",
    "the word ευχαριστώ means thanks",
    "the word «спасибо» means thanks",
    # Greek letters as symbols
    "π r²",
    "A = πr², and 2π radians.",
    "The value of π is about 3.14. π is irrational.",
    "the β-blocker",
    "α-helix",
    "Δ-variant",
    "2π",
    "pancreatic β cells and the β subunit",
    "α and β are angles",
    "emitted β particles",
    "a stock’s β of 1.2",
    "TGFβR1, TGFβ, IL-1β and NF-κB",
    "sinβ + cosβ",
    "The 5μm filter and the 10kΩ resistor; 5 µg, 20 °C, ±5%.",
    # emoji, properly encoded
    "👇Comply with extra 👇\n👉 example.com\n😀 🤨 🤔",
    # accented capitals next to quotes and dashes (Latin code pages read these as lead bytes)
    "CAFÉ’S menu, PELÉ’S goals, Beyoncé’s café’s “crème brûlée”.",
    "„Öl“ und „SPÖ“ — „MÄRZ“.",
    "PEÑA” and “ESPAÑA”.",
    "SÃO PAULO, IRMÃ, “NÃO”.",
    "„SCRISĂ” și ROMÂNIA.",
    "DĹŽKA, rovněž» a opäť» SLÚŽILI.",
    "“hâlâ” ve „MİLLÎ“ olarak.",
    "Le château, l’âge et l’âme; voilà, à Paris.",
    "Nguyễn Tấn Dũng và Hà Nội.",
    "Erdoğan, Kraków, Ørsted, Þór, Mañana.",
    "Ω·m and ×½ and ×²",
    # empty and blank
    "",
    "   \n\t ",
]


@pytest.mark.parametrize("text", REAL_TEXT)
def test_real_text_is_not_flagged(text):
    out = mojibake(text)
    assert out.flags == (), spans(text)
    assert repair(text) == text


def test_stop_word_salads_are_not_flagged():
    """Real words of 28 languages (the repo's stop-word lists) in quote, dash and caps contexts."""
    root = Path(mod.__file__).resolve().parents[1] / "data" / "stopwords"
    for path in sorted(root.glob("*.txt")):
        words = [w.strip() for w in path.read_text(encoding="utf-8").splitlines() if w.strip()]
        for i in range(0, len(words), 8):
            ws = words[i : i + 8]
            for text in (
                " ".join(ws),
                " ".join(w.upper() for w in ws),
                " ".join(f"«{w}»" for w in ws),
                " ".join(f"“{w}”, {w}’s {w}— {w}…" for w in ws),
                " ".join(f"„{w.upper()}“" for w in ws),
            ):
                assert mojibake(text).flags == (), (path.name, text, spans(text))


# ---------------------------------------------------------------------------
# Classic mojibake (complete UTF-8 sequences)
# ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "bad", "original", "encoding"),
    [
        ("It\u00e2\u20ac\u2122s", "\u00e2\u20ac\u2122", "’", "windows-1252"),
        ("caf\u00c3\u00a9 au lait", "\u00c3\u00a9", "é", "windows-1252"),
        ("It\u00e2\x80\x99s", "\u00e2\x80\x99", "’", "windows-1252"),  # Latin-1, C1 controls kept
        ("It\u201a\u00c4\u00f4s", "\u201a\u00c4\u00f4", "’", "macintosh"),
        ("It\u0432\u0402\u2122s", "\u0432\u0402\u2122", "’", "windows-1251"),
        ("It\u03b2\u20ac\u2122s", "\u03b2\u20ac\u2122", "’", "windows-1253"),
        ("Gr\u0413\u0458nen", "\u0413\u0458", "ü", "windows-1251"),
        (
            "\u00c3\u00a2\u00e2\u201a\u00ac\u00e2\u201e\u00a2",
            "\u00c3\u00a2\u00e2\u201a\u00ac\u00e2\u201e\u00a2",
            "’",
            "windows-1252",
        ),
        ("wow \u00f0\u0178\u02dc\u20ac nice", "\u00f0\u0178\u02dc\u20ac", "😀", "windows-1252"),
        ("Wednesday\u00c2\u00a0and", "\u00c2\u00a0", "\u00a0", "windows-1252"),
        ("\u00ef\u00bb\u00bfHello", "\u00ef\u00bb\u00bf", "\ufeff", "windows-1252"),
    ],
)
def test_classic_mojibake(text, bad, original, encoding):
    out = mojibake(text)
    assert_well_formed(text, out)
    assert len(out.flags) == 1, spans(text)
    f = out.flags[0]
    assert (text[f.start : f.end], f.reason, f.extra.get("original"), f.extra["encoding"]) == (
        bad,
        "encoding_mixup",
        original,
        encoding,
    )
    assert repair(text) == text.replace(bad, original)


def test_whole_texts_in_other_scripts_read_as_a_code_page():
    russian = "Москва — столица России"
    greek = "Η Ελλάδα είναι χώρα"
    for original, codec in ((russian, "cp1251"), (greek, "cp1253"), (russian, "latin-1"), (greek, "latin-1")):
        text = original.encode("utf-8").decode(codec, errors="ignore")
        assert mojibake(text).flags, (codec, text)
    assert repair("РњРѕСЃРєРІР°") == "Москва"
    assert repair("Ξ•Ξ»Ξ»Ξ¬Ξ΄Ξ±") == "Ελλάδα"


@pytest.mark.parametrize("codec", ["cp437", "cp1257"])
def test_ftfy_backstop_for_unmodelled_code_pages(codec):
    import ftfy.bad_codecs  # noqa: F401  # the sloppy-windows-* codecs

    original = "Lietuvos prezidentas sakė, kad „Žalgiris“ laimėjo. It’s a café."
    name = "sloppy-windows-1257" if codec == "cp1257" else codec
    text = original.encode("utf-8").decode(name)
    out = mojibake(text)
    assert_well_formed(text, out)
    assert out.flags
    assert repair(text) == original


# ---------------------------------------------------------------------------
# Lossy mojibake (bytes lost) that ftfy does not see
# ---------------------------------------------------------------------------
def test_lossy_greek_apostrophe_and_emoji():
    from ftfy import fix_encoding
    from ftfy.badness import is_bad

    text = "North Korea\u03b2s leader arrived. What now? \u03c0\u20ac\u00a8\nNext line."
    assert not is_bad("North Korea\u03b2s leader arrived.")  # invisible to ftfy
    assert fix_encoding(text) == text  # and ftfy cannot fix it
    assert spans(text) == [("β", "foreign_letter_in_word", "’"), ("π€¨", "lost_emoji", "🤨")]
    assert repair(text) == "North Korea’s leader arrived. What now? 🤨\nNext line."


def test_double_layer_lost_emoji_in_english_text():
    text = "What could this mean for the world? \u03c0\u20ac\u03b2\u201a\u00ac\u0392\u00a8\nMore text here."
    out = mojibake(text)
    assert_well_formed(text, out)
    start = text.index("π")
    covered = {i for f in out.flags for i in range(f.start, f.end)}
    assert set(range(start, start + 7)) <= covered  # π€ and β‚¬Β¨ (UTF-8 of €¨ read as Windows-1253)


@pytest.mark.parametrize(
    ("text", "bad", "reason", "original"),
    [
        ("He said \u00e2\u20ac\u0153hi\u00e2\u20ac and left.", "\u00e2\u20ac", "lost_bytes", "”"),  # 9D dropped
        ("Korea\u0442s leader", "\u0442", "foreign_letter_in_word", "’"),  # ISO-8859-5, C1 stripped
        ("Don\u00e2t you see, it\u00e2s late.", "\u00e2", "lost_bytes", "’"),  # Latin-1, C1 stripped
        ("He said \u0432\u0402hi there", "\u0432\u0402", "lost_bytes", "‘"),  # Windows-1251, 98 dropped
        ("Nice one \u0440\u045f\u0402 for sure", "\u0440\u045f\u0402", "lost_emoji", "😀"),  # 😀, 98 dropped
        ("voil\u00c3 le travail", "\u00c3", "lost_bytes", "à"),  # "Ã\xa0" with the no-break space turned to a space
    ],
)
def test_lossy_mixups(text, bad, reason, original):
    got = spans(text)
    assert (bad, reason, original) in got, got


def test_weak_spots_need_corroboration():
    # one lone letter between spaces is a symbol ...
    assert mojibake("the β cells divide").flags == ()
    assert mojibake("Happy π day to all").flags == ()
    # ... but a quoted phrase (opening and closing quote) or a dash between clauses is not
    assert [s[0] for s in spans("he said βhello worldβ to us")] == ["β", "β"]
    assert spans("the polls β all conducted before the attacks")[0][:2] == ("β", "lost_bytes")
    assert [s[0] for s in spans("breaking news βββ more")] == ["βββ"]
    # lone π at a line's start and after a sentence: two emoji spots
    assert [s[1] for s in spans("π TL:DR; π\nKim met Putin.")] == ["lost_emoji", "lost_emoji"]
    # once a text has strong evidence, its weak spots count too
    text = "North Koreaβs leader β a dictator β met Putin."
    assert [s[0] for s in spans(text)] == ["β", "β", "β"]


# ---------------------------------------------------------------------------
# The code-page tables come from Python's codecs
# ---------------------------------------------------------------------------
def test_code_page_tables_follow_the_codecs():
    for cp in mod._CODES:
        for ch, b in cp.to_byte.items():
            if not "\x80" <= ch <= "\x9f":
                assert bytes([b]).decode(cp.codec) == ch
    by = {cp.label: cp for cp in mod._CODES}
    # the lead byte of ’ (E2) and of an emoji (F0) in the lossy pages
    assert by["iso-8859-7"].to_byte["β"] == 0xE2 and by["iso-8859-7"].to_byte["π"] == 0xF0
    assert by["windows-1253"].to_byte["β"] == 0xE2
    assert by["windows-1251"].to_byte["в"] == 0xE2 and by["windows-1251"].to_byte["р"] == 0xF0
    assert by["iso-8859-5"].to_byte["т"] == 0xE2
    assert 0x9F in by["iso-8859-7"].lost and 0x9F in by["windows-1253"].lost
    assert by["windows-1251"].lost == {0x98}
    for cp in mod._CODES:  # every undefined byte is lost
        for b in range(0x80, 0x100):
            try:
                codecs.decode(bytes([b]), cp.codec)
            except UnicodeDecodeError:
                assert b in cp.lost


def test_thresholds_are_named():
    assert mod.MIN_QUOTE_SPOTS == 2
    assert mod.MIN_EMOJI_SPOTS == 2
    assert mod.MIN_QUOTE_AND_DASH_SPOTS == 3
    assert 0 < mod.SCORE_WEAK < mod.SCORE_LOST_BYTES < mod.SCORE_MULTIBYTE <= 1


# ---------------------------------------------------------------------------
# repair
# ---------------------------------------------------------------------------
def test_repair_fixes_classic_mojibake():
    assert repair("Don\u00e2\u20ac\u2122t") == "Don’t"
    assert repair("It\u00e2\u20ac\u2122s \u00e2\u20ac\u0153fine\u00e2\u20ac\x9d") == "It’s “fine”"


@given(any_text)
def test_repair_leaves_unflagged_text_alone(text):
    if not mojibake(text).flags:
        assert repair(text) == text


MOJIBAKE_ALPHABET = list("abc XYZ.,;?'\n") + list("ÃÂâ€™œ©¨¦¤ðŸ˜ÐÑ¼βπΓΒΞΟ‚¬РСЃЂвтрџ’“”—…€°±²αμ№")


@given(st.text(alphabet=st.sampled_from(MOJIBAKE_ALPHABET), max_size=300))
def test_repair_is_idempotent(text):
    once = repair(text)
    assert repair(once) == once


def test_function_pickles_by_reference():
    import pickle

    assert pickle.loads(pickle.dumps(mojibake)) is mojibake
    assert pickle.loads(pickle.dumps(repair)) is repair


# ---------------------------------------------------------------------------
# Invariants
# ---------------------------------------------------------------------------
@given(any_text)
def test_never_raises_and_spans_are_well_formed(text):
    assert_well_formed(text, mojibake(text))


@given(st.text(alphabet=st.sampled_from(MOJIBAKE_ALPHABET), max_size=400))
def test_well_formed_on_mojibake_prone_text(text):
    assert_well_formed(text, mojibake(text))


def test_lone_surrogates():
    text = "\ud800It\u00e2\u20ac\u2122s\udfff \u03c0 caf\u00c3\u00a9 \udc80"
    out = mojibake(text)
    assert_well_formed(text, out)
    assert "It’s" in repair(text)


# ---------------------------------------------------------------------------
# Adversarial inputs: linear time (no timing assertions, they must just finish)
# ---------------------------------------------------------------------------
def test_five_megabyte_single_line():
    text = ("Kim’s “talks” — in Pyongyang… " * 200_000)[:5_000_000]
    assert "\n" not in text and len(text) == 5_000_000
    assert mojibake(text).flags == ()
    bad = text[:4_000_000] + "It\u00e2\u20ac\u2122s Korea\u03b2s " * 1000
    assert mojibake(bad).signals["mojibake_spans"] == 2000


def test_hundred_thousand_emoji():
    assert mojibake("😀" * 100_000).flags == ()
    assert mojibake("👉 " * 100_000).flags == ()


def test_hundred_thousand_betas():
    assert mojibake("β" * 100_000).flags == ()
    assert mojibake("a β b " * 20_000).flags == ()
    out = mojibake("Koreaβs " * 100_000)
    assert out.signals["mojibake_spans"] == 100_000


# ---------------------------------------------------------------------------
# Issue 14: the lone-letter patterns open with the letter (a look-behind after
# it) instead of a look-behind; these are the look-behind-first forms they
# replaced, which must match exactly the same spans on any text.

_OLD_LONE_PATTERNS = {
    "_STRAY_A_RE": ("(?<![A-Z\u00c0-\u00de])[\u00c2\u00c3](?= )", 0),
    "_CONTRACTION_RE": (
        ("(?<=[A-Za-z])\u00e2(?=(?:s|re|ve|ll|d|m)(?![A-Za-z]))|(?<=n)\u00e2(?=t(?![A-Za-z]))"
        "|(?<=\\b[OD])\u00e2(?=[A-Z][a-z])"),
        0,
    ),
    "_FOREIGN_IN_WORD_RE": (f"(?<=[{mod._LATIN}]){mod._FOREIGN_CLASS}(?=[{mod._LATIN}])", 0),
    "_LONE_RE": (f"(?<![\\w\u00b2\u00b3\u00b9]){mod._LONE_CLASS}(?![\\w\u00b2\u00b3\u00b9])", 0),
    "_QUOTE_RUN_RE": (f"(?<!\\w)({mod._QUOTE_CLASS})\\1+(?!\\w)", 0),
    "_EDGE_RE": (
        (f"(?:(?<=[\\s(\\[{{\"'])|^){mod._QUOTE_CLASS}(?=[{mod._LATIN}])"
        f"|(?<=[a-z.,!?;:]){mod._QUOTE_CLASS}(?=[\\s.,!?;:)\\]}}\"']|$)"),
        re.MULTILINE,
    ),
}
# The letters of the patterns and what they look at around them.
_LONE_ALPHABET = (
    "\u00c2\u00c3\u00e2\u00f0\u03b2\u03c0\u0442\u2116\u0393\u0394\u0413\u0414\u0424\u0432"
    "aAnODstrvlmdeIT\u00e9\u00c9\u00b2 \n\t.,!?;:()[]{}\"'_1-"
)


@pytest.mark.parametrize("name", sorted(_OLD_LONE_PATTERNS))
@given(text=st.text(alphabet=_LONE_ALPHABET, max_size=40) | any_text)
def test_lone_patterns_match_their_look_behind_first_forms(name: str, text: str) -> None:
    old = re.compile(*_OLD_LONE_PATTERNS[name])
    new = getattr(mod, name)
    assert [m.span() for m in new.finditer(text)] == [m.span() for m in old.finditer(text)]


def test_lone_patterns_match_their_old_forms_on_the_seeds() -> None:
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        for name, (pattern, flags) in _OLD_LONE_PATTERNS.items():
            old = re.compile(pattern, flags)
            assert [m.span() for m in getattr(mod, name).finditer(text)] == [m.span() for m in old.finditer(text)]
