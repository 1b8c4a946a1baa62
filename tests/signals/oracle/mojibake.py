# Frozen copy of newsqa.signals.mojibake before the r2-3 speed work: the oracle of test_r2m_mojibake.py.
"""Mojibake: UTF-8 text that was decoded with the wrong code page.

When the bytes of UTF-8 text are read as a single-byte code page, every
non-ASCII character turns into two to four characters of that code page:
``’`` (bytes ``E2 80 99``) becomes ``â€™`` in Windows-1252, ``‚Äô`` in Mac
Roman, ``вЂ™`` in Windows-1251 and ``β€™`` in Windows-1253. When the code
page has no character for some of the bytes (undefined bytes, or C1 control
characters that a later step strips), those bytes vanish and the damage
becomes *lossy*: ``Korea’s`` read as ISO-8859-7 with C1 controls stripped is
``Koreaβs``, and an emoji (``F0 9F A4 94``) is a lone ``π``. ftfy sees
neither, since the remains are ordinary Greek letters.

:func:`mojibake` flags the damaged spans (``kind="mojibake"``) with one of
these reasons:

* ``encoding_mixup``: complete UTF-8 sequences read as a code page
  (``â€™``, ``Ã©``, ``Гј``); ``extra["original"]`` is the decoded text,
  ``extra["encoding"]`` the code page it was read with.
* ``lost_bytes``: a sequence missing bytes the code page could not show
  (``â€`` for ``”``, ``β€`` for ``“``, a stray ``Â`` before a space);
  ``original`` is given when only one common character fits.
* ``lost_emoji``: the remains of a four-byte sequence (an emoji): ``π``,
  ``π€``, ``ðŸ‘``; ``original`` when only one emoji fits (``π€¨`` → 🤨).
* ``foreign_letter_in_word``: a Greek or Cyrillic letter that is the lead
  byte of a UTF-8 sequence, alone between Latin letters (``Koreaβs``);
  ``original`` is ``’`` for the lead byte of punctuation (``E2``).

How a span is judged (the code-page tables are derived from Python's
codecs at import time, not written by hand; ``docs/signals.md`` ("Mojibake")
has the whole rule and the benchmark):

* **Candidates.** For each code page (Windows-1250/1251/1252/1253/1254,
  ISO-8859-2/5/7, Mac Roman), the characters its bytes ``C2``-``DF``,
  ``E0``-``EF`` and ``F0``-``F4`` decode to can start a UTF-8 sequence and
  those of bytes ``80``-``BF`` can continue one; a regular expression per
  code page finds runs of complete sequences, another finds sequences cut
  short.
* **Context.** A line counts as Latin text when it has more ASCII letters
  than Greek and Cyrillic letters. Real Greek and Cyrillic lines only get
  flags for runs of two sequences or more that hold a character their own
  text does not use (``Ђ``, ``њ``, ``™``, ``¬``, C1 controls ...).
* **Plausibility.** The decoded character must be assigned, not a control,
  private-use or surrogate code point. Two-byte sequences count only for
  the common lead bytes (Latin-1; Latin Extended-A before a symbol; for
  Windows-1252 also Greek, Cyrillic, Hebrew and Arabic words), not for a
  letter before a quote (``CAFÉ’S``, Romanian ``SCRISĂ“``). Cut-short
  sequences count only in Latin lines and only when a common character can
  complete them (punctuation and symbols ``U+2000``-``U+2BFF``, emoji).
* **Corroboration.** Weak evidence (a lone ``π`` or ``β`` between spaces, a
  lone ``β`` where a quote stood, ``â`` in ``donât``) is flagged only when
  the text also has strong evidence for a code page of the same script, or
  enough such spots (:data:`MIN_QUOTE_SPOTS`, :data:`MIN_EMOJI_SPOTS`,
  :data:`MIN_QUOTE_AND_DASH_SPOTS`). A lone letter next to digits,
  operators, superscripts or a one-letter variable (``2π``, ``π r²``), or
  after a determiner (``the β cells``), is never flagged.
* **Backstop.** Lines holding characters only CP437 or Windows-1257
  produce go to ftfy; what :func:`ftfy.fix_encoding_and_explain` fixes by
  re-encoding in one of those pages is flagged ``encoding_mixup``.

Work is linear in the text's length: ASCII texts return at once; otherwise
three scans for candidate characters decide whether anything more runs,
the regular expressions have no nested quantifiers, repeated runs are
judged once per call, and line contexts are computed once per line.

>>> out = mojibake("It\\u00e2\\u20ac\\u2122s North Korea\\u03b2s day.")
>>> [(f.reason, f.extra.get("original")) for f in out.flags]
[('encoding_mixup', '’'), ('foreign_letter_in_word', '’')]
>>> repair("It\\u00e2\\u20ac\\u2122s North Korea\\u03b2s day.")
'It’s North Korea’s day.'
>>> mojibake("Η Ελλάδα είναι χώρα της Ευρώπης.").flags
()
"""

from __future__ import annotations

import bisect
import itertools
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, NamedTuple

from newsqa.model import Flag
from newsqa.signals import Signal, SignalOutput

__all__ = ["mojibake", "repair"]

KIND = "mojibake"

# ---------------------------------------------------------------------------
# Scores. Ranks, not probabilities: strong evidence near 1, weak evidence that
# needed corroboration lower. The per-text ``mojibake_score`` combines them as
# 1 - prod(1 - score).
# ---------------------------------------------------------------------------
SCORE_MULTIBYTE = 1.0  # a complete 3- or 4-byte sequence (â€™, ðŸ˜€)
SCORE_TWO_BYTE = 0.9  # a complete 2-byte sequence (Ã©)
SCORE_LOST_BYTES = 0.8  # a sequence cut short (â€, β€, π€)
SCORE_FOREIGN_PUNCT = 0.9  # β / в / т (lead byte E2) inside a Latin word
SCORE_FOREIGN_OTHER = 0.7  # another lead letter (Γ, Δ, Г ...) inside a Latin word
SCORE_WEAK = 0.5  # corroborated lone letters (π, β between spaces, donât)

# Corroboration of weak spots. A lone β or â where a quote stood counts once
# the text has two of them (one quoted phrase: an opening and a closing
# quote); a lone π where an emoji stood counts once the text has two at a
# line's start or end or after a sentence ("π TL:DR; π" in seed 001).
MIN_QUOTE_SPOTS = 2
# A lone β between spaces is also a Greek letter used as a name ("the β
# cells"); quote and dash spots together need three.
MIN_QUOTE_AND_DASH_SPOTS = 3
MIN_EMOJI_SPOTS = 2

# Double (or triple) mojibake is decoded up to this many times: "Ã¢â‚¬â„¢"
# -> "â€™" -> "’". Three rounds cover every case seen in the wild by ftfy's
# test suite (its deepest case is triple).
MAX_DECODE_ROUNDS = 3

# repair() re-scans its own output at most this many times (each pass can
# uncover mojibake inside what the previous pass decoded).
MAX_REPAIR_PASSES = 3


# ---------------------------------------------------------------------------
# Code pages
# ---------------------------------------------------------------------------
# (Python codec, label reported in extra["encoding"], script of the high half)
# The Latin ones are those ftfy's CHARMAP_ENCODINGS also try (minus CP437 and
# Windows-1257, left to the ftfy backstop); the Greek and Cyrillic ones are the
# Windows code pages and the ISO-8859 pages whose C1 range (0x80-0x9F)
# decodes to controls that sanitisers strip: the lossy kind in seed 001.
_CODEPAGES = (
    ("cp1252", "windows-1252", "latin"),
    ("cp1250", "windows-1250", "latin"),
    ("cp1254", "windows-1254", "latin"),
    ("iso8859_2", "iso-8859-2", "latin"),
    ("mac_roman", "macintosh", "latin"),
    ("cp1251", "windows-1251", "cyrillic"),
    ("iso8859_5", "iso-8859-5", "cyrillic"),
    ("cp1253", "windows-1253", "greek"),
    ("iso8859_7", "iso-8859-7", "greek"),
)

# Characters that look like Latin letters (Unicode confusables.txt): inside a
# Latin word they are homoglyph spoofing, not mojibake, so the
# foreign-letter rule skips them.
_HOMOGLYPHS = frozenset("ΑΒΕΖΗΙΚΜΝΟΡΤΥΧοναАВЕКМНОРСТУХаеорсухіјѕԁ")

# Punctuation that follows a word in real text; a two-byte sequence whose
# second character is one of these (CAFÉ’S, PÅ”) is too likely to be real.
_QUOTE_LIKE = frozenset("’‘“”„‚–—…«»•·\u00a0\u00ad")

# Characters real Greek or Cyrillic text uses next to its letters: a Greek or
# Cyrillic line needs a character outside these (and outside its letters) in
# a run before the run counts as mojibake.
_NATURAL_PUNCT = frozenset("’‘“”„–—…«»·•\u00a0\u00ad°§№")

# Letters in Russian, Ukrainian and Belarusian text; the rest of Windows-1251's
# high half (Ђ Љ Њ Ћ Џ ђ љ ...) is Serbian/Macedonian, rare next to these.
_EAST_SLAVIC = frozenset("ЁёЄєІіЇїҐґЎў")


@dataclass(frozen=True, slots=True)
class _CodePage:
    codec: str
    label: str
    script: str
    to_byte: Mapping[str, int]  # character -> byte, for bytes 0x80-0xFF
    lost: frozenset[int]  # continuation bytes (0x80-0xBF) that can vanish
    foreign: frozenset[str]  # continuation characters real text of `script` does not use
    intact: re.Pattern[str]  # runs of complete sequences
    partial: re.Pattern[str]  # a 3/4-byte lead with too few continuations


def _char_class(chars: Iterable[str]) -> str:
    return "".join(re.escape(c) for c in sorted(set(chars)))


def _build_codepage(codec: str, label: str, script: str) -> _CodePage:
    to_byte: dict[str, int] = {}
    lost: set[int] = set()
    for b in range(0x80, 0x100):
        try:
            ch = bytes([b]).decode(codec)
        except UnicodeDecodeError:
            lost.add(b)  # undefined: dropped by errors="ignore"
            continue
        if "\x80" <= ch <= "\x9f":
            lost.add(b)  # a C1 control: stripped by many sanitisers
        to_byte.setdefault(ch, b)
    # Text read "sloppily" (as browsers and ftfy do) keeps an undefined byte b
    # as the C1 control chr(b); Windows-1252 also stands for Latin-1, which
    # reads every byte 0x80-0x9F so.
    for b in range(0x80, 0xA0):
        if b in lost or codec == "cp1252":
            to_byte.setdefault(chr(b), b)
    by_byte: dict[int, list[str]] = {}
    for ch, b in to_byte.items():
        by_byte.setdefault(b, []).append(ch)

    def chars(lo: int, hi: int) -> str:
        return "".join(c for b in range(lo, hi + 1) for c in by_byte.get(b, ()))

    lead2, lead3, lead4, cont = chars(0xC2, 0xDF), chars(0xE0, 0xEF), chars(0xF0, 0xF4), chars(0x80, 0xBF)
    l2, l3, l4, k = (_char_class(s) for s in (lead2, lead3, lead4, cont))
    intact = re.compile(f"(?:[{l2}][{k}]|[{l3}][{k}]{{2}}|[{l4}][{k}]{{3}})+")
    partial = re.compile(f"(?:[{l3}][{k}]|[{l4}][{k}]{{1,2}})(?![{k}])")
    if script == "latin":
        foreign: frozenset[str] = frozenset()
    else:
        own = (
            (lambda c: _script_of(c) == "greek")
            if script == "greek"
            else (lambda c: "А" <= c <= "я" or c in _EAST_SLAVIC)
        )
        foreign = frozenset(c for c in cont if not own(c) and c not in _NATURAL_PUNCT)
    return _CodePage(codec, label, script, MappingProxyType(to_byte), frozenset(lost), foreign, intact, partial)


def _script_of(ch: str) -> str:
    """``"greek"``, ``"cyrillic"``, ``"latin"`` or ``"other"`` for one character."""
    o = ord(ch)
    if 0x0370 <= o <= 0x03FF or 0x1F00 <= o <= 0x1FFF:
        return "greek"
    if 0x0400 <= o <= 0x052F:
        return "cyrillic"
    if ch.isascii() and ch.isalpha() or 0x00C0 <= o <= 0x024F and ch.isalpha():
        return "latin"
    return "other"


_CODES = tuple(_build_codepage(*spec) for spec in _CODEPAGES)
_BY_LABEL = {cp.label: cp for cp in _CODES}

# Lead characters of every code page: used for the quick "any candidate?" test.
_ANY_LEAD = frozenset(c for cp in _CODES for c, b in cp.to_byte.items() if 0xC2 <= b <= 0xF4)
_ANY_CONT = frozenset(c for cp in _CODES for c, b in cp.to_byte.items() if 0x80 <= b <= 0xBF)
_PAIR_RE = re.compile(f"[{_char_class(_ANY_LEAD)}][{_char_class(_ANY_CONT)}]")


# Lead bytes of the characters mojibake of English news mostly comes from:
# C3 (é ü ñ), C4/C5 (ć ğ š ž œ), E2 (’ “ ” — … €), F0 (emoji).
_WORD_LEADS = (0xC3, 0xC4, 0xC5, 0xE2, 0xF0)


def _foreign_in_word_table() -> dict[str, tuple[str, str | None]]:
    """Greek/Cyrillic letters that can be a lone lead byte: char -> (code page, original).

    A letter qualifies in a code page when that page can lose all of the
    sequence's continuation bytes. Of several pages, the one in which an
    ``E2`` lead can be a lost ``’`` (the usual apostrophe) wins.
    """
    out: dict[str, tuple[str, str | None]] = {}
    for cp in _CODES:
        if cp.script == "latin":
            continue
        for ch, b in cp.to_byte.items():
            if b not in _WORD_LEADS or not ch.isalpha() or ch in _HOMOGLYPHS:
                continue
            options = _completions(ch, cp)
            if not options:
                continue
            original = "’" if b == 0xE2 and "’" in options else None
            if ch not in out or (original is not None and out[ch][1] is None):
                out[ch] = (cp.label, original)
    return out


# A stray Â or Ã before a space: "Â\xa0" or "Ã\xa0" whose no-break space became a
# plain space (ftfy's restore_byte_a0 case). Not after a capital (Portuguese IRMÃ).
# Every pattern of the lone-letter scan opens with the letter and checks the
# character before it with a two-character look-behind that ends after the
# letter: the regex engine then scans for the letter's class alone instead of
# trying a look-behind at every position (3-10x faster, same matches:
# tests/signals/test_mojibake.py keeps the look-behind-first forms).
_STRAY_A_RE = re.compile("[\u00c2\u00c3](?<![A-Z\u00c0-\u00de][\u00c2\u00c3])(?= )")
# Latin-1 with C1 stripped: ’ leaves a lone â in a contraction (donât, itâs).
_CONTRACTION_RE = re.compile(
    "\u00e2(?:(?<=[A-Za-z]\u00e2)(?=(?:s|re|ve|ll|d|m)(?![A-Za-z]))|(?<=n\u00e2)(?=t(?![A-Za-z]))"
    "|(?<=\\b[OD]\u00e2)(?=[A-Z][a-z]))"
)
_LATIN = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f"
_NONASCII_RUN_RE = re.compile("[^\x00-\x7f]{2,}")
_MATH_TOKEN_RE = re.compile("[0-9=+*/^<>×÷·±≈≠≤≥√²³¹⁰-⁹₀-₉]")
# a number (2016, 3.14, 1/2, -5%) or a token with an operator or superscript (r², x=2)
_NUMBERISH_RE = re.compile("[-+\u2212]?[0-9][0-9.,:/%]*")
_OPERATOR_RE = re.compile("[=+^<>×÷·±≈≠≤≥√²³¹⁰-⁹₀-₉\u2212]|^-$")  # not / or *: URLs, emphasis
# ftfy's badness regex needs a character outside ASCII and the everyday
# punctuation of English text (every one of its alternatives names one; a
# test checks it on random text): texts without one skip the call, which
# costs as much as the rest of the signal.
_ACCENTED_RE = re.compile("[\u00c0\u00c1\u00c6-\u00d6\u00d8-\u00e1\u00e3-\u00ef\u00f1-\u00f6\u00f8-\u024f]")
_NEWLINE_RE = re.compile("\n")
_GRCY_RE = re.compile("[\u0370-\u03ff\u0400-\u04ff]")
_ASCII_LETTERS = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

# Code points a cut-short sequence may stand for in Latin text: Latin-1 and
# Latin Extended (2-byte), general punctuation, currency, letterlike
# symbols, arrows, maths, technical, box, shapes, dingbats (U+2000-U+2BFF),
# BOM, emoji and pictographs (U+1F000-U+1FAFF).
_PARTIAL_RANGES = ((0x00A0, 0x024F), (0x2000, 0x2BFF), (0xFEFF, 0xFEFF), (0x1F000, 0x1FAFF))
# The most frequent non-ASCII characters of English news (counted on the
# clean articles of buzzfeed-webis-2016: ’ “ ” — … ‘ – make up 92% of them,
# 99% with the no-break space), plus a few common symbols: when
# several characters fit a cut-short sequence and exactly one is common, it
# is the likely original.
_COMMON = frozenset("’“”—…‘–•€£©®°™\u00a0é")
# Emoji proper (pictographs, emoticons, transport, supplemental symbols);
# the blocks before U+1F300 (mahjong, dominoes, cards, enclosed letters) are rare.
_COMMON_EMOJI = (0x1F300, 0x1FAFF)


class _Cand(NamedTuple):
    start: int
    end: int
    reason: str
    score: float
    original: str | None
    encoding: str
    strong: bool
    script: str


# ---------------------------------------------------------------------------
# Decoding helpers
# ---------------------------------------------------------------------------
def _plausible(ch: str) -> bool:
    return unicodedata.category(ch) not in ("Cn", "Co", "Cs", "Cc")


def _decode_deep(s: str, cp: _CodePage) -> str | None:
    """Decode ``s`` (complete sequences in code page ``cp``), repeatedly for double mojibake."""
    try:
        out = bytes(cp.to_byte[c] for c in s).decode("utf-8")
    except (KeyError, UnicodeDecodeError):
        return None
    for _ in range(MAX_DECODE_ROUNDS - 1):
        if not cp.intact.fullmatch(out):
            break
        try:
            out = bytes(cp.to_byte[c] for c in out).decode("utf-8")
        except (KeyError, UnicodeDecodeError):
            break
    return out


def _split_sequences(s: str, cp: _CodePage) -> list[tuple[int, int]]:
    """(offset, length) of each UTF-8 sequence in an ``intact`` match."""
    out = []
    i = 0
    while i < len(s):
        b = cp.to_byte[s[i]]
        n = 2 if b < 0xE0 else 3 if b < 0xF0 else 4
        out.append((i, n))
        i += n
    return out


def _convincing(seq: str, dec: str, cp: _CodePage, latin_line: bool, n_seqs: int, multi: bool) -> bool:
    """Is one complete sequence ``seq`` (decoding to ``dec``) evidence of mojibake?

    ``n_seqs``: sequences in the run; ``multi``: it holds two or more
    three-byte sequences.
    """
    if not dec or not all(_plausible(c) for c in dec):
        return False
    if any("\x80" <= c <= "\x9f" and (cp.label == "windows-1252" or ord(c) in cp.lost) for c in seq):
        return True  # C1 controls never belong in text (Latin-1 reads are modelled by windows-1252)
    lead = cp.to_byte[seq[0]]
    n = len(seq)
    if not latin_line and cp.script != "latin":
        return False  # judged per run in _judge_run_string (needs foreign characters)
    if n == 2:
        if lead in (0xC2, 0xC3):
            # Ã‘ is Ñ, but Romanian SCRISĂ“ (Windows-1250 C3 = Ă) is a word and a quote
            return cp.script != "latin" or not (seq[1] in _QUOTE_LIKE and seq[0].isalpha() and seq[0] not in "ÂÃ")
        # Latin Extended-A (Ä‡ ć, Å¡ š, ÄŸ ğ) when the second character is a
        # symbol: a letter there is a word (Slovak DĹŽKA in Windows-1250);
        # Ÿ follows no letter in real text (ÅŸ ş, ÄŸ ğ)
        cont = seq[1]
        symbol = cont not in _QUOTE_LIKE and (not cont.isalpha() or cont == "Ÿ")
        if lead in (0xC4, 0xC5):
            return symbol
        # Greek, Cyrillic, Hebrew, Arabic UTF-8 read as Windows-1252 (Ð¼Ð¾,
        # Ø§Ù): words, so two sequences or more (Czech SLÚŽILI is Ú Ž)
        if cp.label == "windows-1252" and lead in (0xCE, 0xCF, 0xD0, 0xD1, 0xD7, 0xD8, 0xD9):
            return n_seqs >= 2 and cont not in _QUOTE_LIKE
        return False
    if n == 3:
        if lead == 0xE2:
            return True
        if lead == 0xEF:
            return ord(dec[0]) >= 0xFE00  # BOM, fullwidth forms, U+FFFD
        # CJK, Hangul, Indic ... from a Latin page only: two such sequences
        # in a row (ä¸­å›½), or one whose continuations are symbols, neither
        # letters (Czech rovněž» is ě ž ») nor quotes (café’”)
        if cp.script != "latin":
            return False
        return multi or not any(c.isalpha() or c in _QUOTE_LIKE for c in seq[1:])
    return lead == 0xF0


# ---------------------------------------------------------------------------
# The scan
# ---------------------------------------------------------------------------
class _Lines:
    """Per-line script context, computed once per line that holds a candidate.

    Line breaks are found once (on first use) and looked up by bisection, so
    many candidates on one long line cost no rescans.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.breaks: list[int] | None = None
        self.cache: dict[int, bool] = {}
        self.accent_cache: dict[int, bool] = {}

    def bounds(self, pos: int) -> tuple[int, int]:
        """``(start, end)`` of the line holding ``pos`` (``end`` excludes the line break)."""
        if self.breaks is None:
            self.breaks = [m.start() for m in _NEWLINE_RE.finditer(self.text)]
        i = bisect.bisect_left(self.breaks, pos)
        start = self.breaks[i - 1] + 1 if i > 0 else 0
        end = self.breaks[i] if i < len(self.breaks) else len(self.text)
        return start, end

    def latin(self, pos: int) -> bool:
        """Does the line holding ``pos`` have more ASCII letters than Greek and Cyrillic ones?"""
        start, end = self.bounds(pos)
        hit = self.cache.get(start)
        if hit is not None:
            return hit
        line = self.text[start:end]
        raw = line.encode("ascii", "ignore")
        ascii_letters = len(raw) - len(raw.translate(None, _ASCII_LETTERS))
        foreign = len(_GRCY_RE.findall(line)) if not line.isascii() else 0
        result = ascii_letters > foreign
        self.cache[start] = result
        return result

    def accented(self, pos: int) -> bool:
        """Does the line hold a non-ASCII Latin letter other than â, Â, Ã (French, Romanian ...)?"""
        start, end = self.bounds(pos)
        hit = self.accent_cache.get(start)
        if hit is None:
            hit = self.accent_cache[start] = bool(_ACCENTED_RE.search(self.text, start, end))
        return hit


def _judge_nonascii_run(run: str, latin_line: bool, memo: dict) -> list[_Cand]:
    """Candidates in one run of non-ASCII characters, with offsets into ``run``."""
    out: list[_Cand] = []
    if not _PAIR_RE.search(run):
        return out
    for cp in _CODES:
        for m in cp.intact.finditer(run):
            for a, b, score, orig in _judge_run_string(m.group(), cp, latin_line):
                out.append(
                    _Cand(m.start() + a, m.start() + b, "encoding_mixup", score, orig, cp.label, True, cp.script)
                )
        if latin_line:
            for m in cp.partial.finditer(run):
                c = _judge_partial(run, m.start(), m.end(), cp, memo)
                if c is not None:
                    out.append(c)
    return out


def _judge_run_string(s: str, cp: _CodePage, latin_line: bool) -> list[tuple[int, int, float, str]]:
    seqs = _split_sequences(s, cp)
    decoded = [_decode_deep(s[a : a + n], cp) for a, n in seqs]
    if not latin_line and cp.script != "latin":
        # A Greek or Cyrillic line: real text can look like one sequence
        # (дії, Пі); mojibake of it spans several and uses foreign characters.
        if (
            len(seqs) < 2
            or any(d is None or not all(_plausible(c) for c in d) for d in decoded)
            or not any(c in cp.foreign for c in s)
        ):
            return []
        orig = _decode_deep(s, cp)
        if orig is None:
            return []
        return [(0, len(s), SCORE_MULTIBYTE, orig)]
    multi = sum(1 for _, n in seqs if n == 3) >= 2
    ok = [
        d is not None and _convincing(s[a : a + n], d, cp, latin_line, len(seqs), multi)
        for (a, n), d in zip(seqs, decoded)
    ]
    # a plausible sequence next to a convincing one joins it (Ã©Å‚)
    near = [
        d is not None
        and all(_plausible(c) for c in d)
        and (ok[i] or (i > 0 and ok[i - 1]) or (i + 1 < len(ok) and ok[i + 1]))
        for i, d in enumerate(decoded)
    ]
    out: list[tuple[int, int, float, str]] = []
    i = 0
    while i < len(seqs):
        if not near[i]:
            i += 1
            continue
        j = i
        while j + 1 < len(seqs) and near[j + 1]:
            j += 1
        if any(ok[i : j + 1]):
            a = seqs[i][0]
            b = seqs[j][0] + seqs[j][1]
            # decode the group as a whole, so that double mojibake unwinds
            orig = _decode_deep(s[a:b], cp) or "".join(d for d in decoded[i : j + 1] if d is not None)
            score = SCORE_MULTIBYTE if (b - a > 2 or any(n > 2 for _, n in seqs[i : j + 1])) else SCORE_TWO_BYTE
            out.append((a, b, score, orig))
        i = j + 1
    return out


def _completions(s: str, cp: _CodePage) -> set[str]:
    """Characters a cut-short sequence ``s`` (lead + some continuations) can stand for.

    Missing continuation bytes must be bytes that ``cp`` loses; four-byte
    sequences are only completed as emoji (second byte 0x9F), which keeps
    the enumeration small.
    """
    lead = cp.to_byte[s[0]]
    seen = [cp.to_byte[c] for c in s[1:]]
    need = 1 if lead < 0xE0 else 2 if lead < 0xF0 else 3
    missing = need - len(seen)
    lost = sorted(b for b in cp.lost if 0x80 <= b <= 0xBF)
    out: set[str] = set()
    if missing <= 0 or not lost:
        return out
    # place the seen bytes, in order, in `need` slots; fill the rest from `lost`
    slots_list: list[list[int | None]] = []
    if need == 1:
        slots_list = [[None]]
    elif need == 2:
        slots_list = [[seen[0], None], [None, seen[0]]] if missing == 1 else [[None, None]]
    else:
        for pos in itertools.combinations(range(3), len(seen)):
            slots: list[int | None] = [None, None, None]
            for p, b in zip(pos, seen):
                slots[p] = b
            slots_list.append(slots)
    for slots in slots_list:
        if need == 3:
            first = slots[0]
            if first is None:
                if 0x9F not in cp.lost:
                    continue
                slots = [0x9F, slots[1], slots[2]]
            elif first != 0x9F:
                continue
        choices = [[b] if b is not None else lost for b in slots]
        total = 1
        for c in choices:
            total *= len(c)
        if total > 4096:  # pragma: no cover - bounded by the code pages above
            continue
        for fill in itertools.product(*choices):
            try:
                ch = bytes([lead, *fill]).decode("utf-8")
            except UnicodeDecodeError:
                continue
            o = ord(ch)
            if any(lo <= o <= hi for lo, hi in _PARTIAL_RANGES) and _plausible(ch):
                out.add(ch)
    return out


def _pick_original(options: set[str]) -> str | None:
    """The one option, or the one common option (punctuation, or an emoji from U+1F300 on), else None."""
    if len(options) == 1:
        return next(iter(options))
    common = {c for c in options if c in _COMMON or _COMMON_EMOJI[0] <= ord(c) <= _COMMON_EMOJI[1]}
    if len(common) == 1:
        return next(iter(common))
    return None


# The lead of a 4-byte sequence (an emoji) left alone: π (Greek pages),
# № (ISO-8859-5), ð (Latin-1 with C1 stripped).
_EMOJI_LEADS = {"π": "iso-8859-7", "№": "iso-8859-5", "ð": "windows-1252"}

_FOREIGN_IN_WORD = _foreign_in_word_table()
# The lead of punctuation (E2) alone where a quote or dash stood, in the code
# pages that lose both continuation bytes of ’ “ ” —: β (ISO-8859-7),
# т (ISO-8859-5), and â (Latin-1 with C1 stripped): char -> (label, script).
_QUOTE_LEADS = {ch: (v[0], _BY_LABEL[v[0]].script) for ch, v in _FOREIGN_IN_WORD.items() if v[1] == "’"}
_QUOTE_LEADS["\u00e2"] = ("iso-8859-1", "latin")
_FOREIGN_CLASS = f"[{_char_class(_FOREIGN_IN_WORD.keys())}]"
_FOREIGN_IN_WORD_RE = re.compile(f"{_FOREIGN_CLASS}(?<=[{_LATIN}]{_FOREIGN_CLASS})(?=[{_LATIN}])")
_LONE_CLASS = f"[{_char_class(set(_EMOJI_LEADS) | set(_QUOTE_LEADS))}]"
_LONE_RE = re.compile(f"{_LONE_CLASS}(?<![\\w\u00b2\u00b3\u00b9]{_LONE_CLASS})(?![\\w\u00b2\u00b3\u00b9])")
# English closed-class words (pronouns, determiners, prepositions,
# conjunctions, auxiliaries, a few clause-opening adverbs). After a spaced
# dash in the buzzfeed-webis-2016 corpus, these, -ly/-ing words, names and
# numbers start 87% of the words (measured on that corpus).
_CLOSED_CLASS = frozenset(
    """a about above after again against all almost also although always am among an and another any are around as
    at be because been before being below between both but by can could did do does doing down during each either
    especially even every few for from had has have having he her here hers him his how however i if in including
    into is it its it’s itself just least less many may maybe me might more most much must my neither no nor not now
    of off often on once one only or other our out over own perhaps rather same she should since so some such than
    that that’s the their them then there these they this those though through to too under until up us very was we
    were what when where whether which while who whom whose why will with within without would yet you your""".split()  # noqa: SIM905
)
# Words before a Greek letter used as a symbol: "the β", "α and β", "of β".
_SYMBOL_BEFORE = frozenset(
    """a an and as at by each every for from her his in into its minus my no nor of on or our per plus than that the
    their these this those times to versus vs was were with your is are be""".split()  # noqa: SIM905
)
_CAPS_CONTRACTION_RE = re.compile("(?:S|T|LL|RE|VE|D|M)(?![A-Za-z])")
# A lower-case word of 3+ letters right before a position; but sinβ, cosβ are maths.
_WORD_BEFORE_RE = re.compile("(?<![A-Za-z])[a-z]{3,}$")
_WORD_AFTER_RE = re.compile("[A-Za-z]+(?![A-Za-z])")
_MATH_FUNCTIONS = frozenset(("sin", "cos", "tan", "cot", "sec", "csc", "log", "exp", "lim", "max", "min", "arg", "det"))
_TRIM = "\"'“”‘’()[]{},.;:!?"
_LONE_ANY_RE = re.compile(
    f"[{_char_class(set(_FOREIGN_IN_WORD) | set(_EMOJI_LEADS) | set(_QUOTE_LEADS) | {chr(0xC2), chr(0xC3)})}]"
)
# Two or more in a row between non-letters: "βββ" for "———" (no Greek word has
# a triple letter; Σάββατο's double beta is inside a word).
_QUOTE_CLASS = f"[{_char_class(_QUOTE_LEADS)}]"
_QUOTE_RUN_RE = re.compile(f"({_QUOTE_CLASS})(?<!\\w{_QUOTE_CLASS})\\1+(?!\\w)")
# The same letter glued to one side of a word, where a quote stood: an opening
# quote (after a space or bracket, before a letter) or a closing one (after a
# lower-case letter or sentence punctuation, before a space or punctuation).
# (the first alternative's "after a space or bracket, or at a line start"
# is "not after any other character": \n is a space)
_EDGE_RE = re.compile(
    f"{_QUOTE_CLASS}(?:(?<![^\\s(\\[{{\"']{_QUOTE_CLASS})(?=[{_LATIN}])"
    f"|(?<=[a-z.,!?;:]{_QUOTE_CLASS})(?=[\\s.,!?;:)\\]}}\"']|$))",
    re.MULTILINE,
)


def _mathy(text: str, start: int, end: int) -> bool:
    """A digit, operator or superscript within the neighbouring tokens, or a one-letter token."""
    left_text = text[max(0, start - 24) : start]
    right_text = text[end : end + 24]
    left = left_text[left_text.rfind("\n") + 1 :].split()
    right = right_text.split("\n", 1)[0].split()
    near = left[-1:] + right[:1]
    for tok in near:
        if _NUMBERISH_RE.fullmatch(tok.strip(_TRIM)) or _OPERATOR_RE.search(tok):
            return True
        if len(tok) == 1 and tok.isalpha() and tok not in "aAI":
            return True  # a variable (π r²), not the words a / I
    # a value: "β of 1.2", "π is 3.14"
    if (
        len(right) >= 2
        and right[0].lower() in ("of", "is", "was", "equals", "at")
        and _NUMBERISH_RE.fullmatch(right[1].strip(_TRIM))
    ):
        return True
    # a function: cosβ, sinα
    word = _WORD_BEFORE_RE.search(text, max(0, start - 24), start)
    if word is not None and word.group() in _MATH_FUNCTIONS:
        return True
    # glued to a symbol: (π), π², ±π, β-blocker
    for ch in (text[start - 1] if start > 0 else "", text[end] if end < len(text) else ""):
        if ch and (_MATH_TOKEN_RE.match(ch) or ch in "-\u2212"):
            return True
    return False


def _dash_between_clauses(text: str, start: int, end: int) -> bool:
    """Does a letter between spaces stand where a dash joins two clauses?

    ``polls β all conducted``, ``Aleppo β fully authorized``: the word
    before is no determiner, preposition or conjunction (``the β cells``,
    ``α and β`` are symbols) and the word after starts a clause: a function
    word, an ``-ly`` or ``-ing`` word, a capitalised word, a number or a
    handle (``pancreatic β cells`` is a symbol again).
    """
    left = text[max(0, start - 40) : start].split()
    right = text[end : end + 40].split()
    if not left or not right:
        return False
    before = left[-1].strip(_TRIM).lower()
    after = right[0].strip(_TRIM)
    if not before or not after or before in _SYMBOL_BEFORE or not before[-1].isalnum():
        return False
    if after[0].isupper() or after[0].isdigit() or after[0] in "$@#":
        return True
    low = after.lower()
    return low in _CLOSED_CLASS or low.endswith(("ly", "ing"))


def _emoji_position(text: str, start: int, end: int) -> bool:
    """At a line's start or end, or after a sentence end: where emoji sit."""
    i = start - 1
    while i >= 0 and text[i] in " \t\u00a0":
        i -= 1
    if i < 0 or text[i] in "\n.!?;:…":
        return True
    j = end
    while j < len(text) and text[j] in " \t\u00a0":
        j += 1
    return j >= len(text) or text[j] in "\n\r"


def _scan(text: str) -> list[_Cand]:
    if text.isascii():
        return []
    lines = _Lines(text)
    memo: dict[Any, Any] = {}
    cands: list[_Cand] = []

    # 1. complete and cut-short sequences, inside runs of 2+ non-ASCII
    # characters; a run's verdict depends only on its text and its line's
    # script (the character before a run is ASCII), so repeated runs are
    # judged once
    if _PAIR_RE.search(text):
        for run in _NONASCII_RUN_RE.finditer(text):
            rs = run.start()
            key = (run.group(), lines.latin(rs))
            found = memo.get(key)
            if found is None:
                found = memo[key] = _judge_nonascii_run(key[0], key[1], memo)
            cands.extend(c._replace(start=c.start + rs, end=c.end + rs) for c in found)

    # 2. lone lead letters (their patterns open with look-behinds, which the
    # regex engine tries at every position: a plain scan for the letters first)
    if _LONE_ANY_RE.search(text):
        _scan_lone(text, lines, cands)

    # 3. ftfy backstop, for code pages not modelled here
    cands.extend(_ftfy_backstop(text))
    return _resolve(cands)


def _scan_lone(text: str, lines: _Lines, cands: list[_Cand]) -> None:
    """Append the lone-letter candidates (and the corroborated weak ones) to ``cands``."""
    weak: list[_Cand] = []  # flagged only when corroborated
    quote_spots: dict[str, int] = {}  # script -> quote-like spots (βhelloβ, donât)
    dash_spots: dict[str, int] = {}  # script -> dash-like spots (word β word)
    emoji_spots = 0
    for m in _FOREIGN_IN_WORD_RE.finditer(text):
        s = m.start()
        ch = text[s]
        before, after = text[s - 1], text[s + 1]
        caps = before.isupper() and after.isupper() and not text[s + 2 : s + 3].islower()
        if caps and not _CAPS_CONTRACTION_RE.match(text, s + 1):
            continue  # TGFβR1: a symbol, not a word (but OβBrien, DONβT are words)
        if not lines.latin(s):
            continue
        label, original = _FOREIGN_IN_WORD[ch]
        score = SCORE_FOREIGN_PUNCT if original is not None else SCORE_FOREIGN_OTHER
        cands.append(_Cand(s, s + 1, "foreign_letter_in_word", score, original, label, True, _BY_LABEL[label].script))
    for m in _LONE_RE.finditer(text):
        s, e = m.span()
        ch = text[s]
        if ch in _EMOJI_LEADS:
            label = _EMOJI_LEADS[ch]
            cp = _BY_LABEL[label]
            if e < len(text) and 0x80 <= cp.to_byte.get(text[e], 0) <= 0xBF:
                continue  # has continuations: the partial scan's business
            if _mathy(text, s, e) or not lines.latin(s):
                continue
            if _emoji_position(text, s, e):
                emoji_spots += 1
            weak.append(_Cand(s, e, "lost_emoji", SCORE_WEAK, None, label, False, cp.script))
        else:  # a punctuation lead between spaces: a lost dash
            label, script = _QUOTE_LEADS[ch]
            if text[s - 1 : s] not in (" ", "") or text[e : e + 1] not in (" ", ""):
                continue
            if _mathy(text, s, e) or not lines.latin(s) or (ch == "\u00e2" and lines.accented(s)):
                continue
            weight = MIN_QUOTE_AND_DASH_SPOTS if _dash_between_clauses(text, s, e) else 1
            dash_spots[script] = dash_spots.get(script, 0) + weight
            weak.append(_Cand(s, e, "lost_bytes", SCORE_WEAK, None, label, False, script))
    for m in _QUOTE_RUN_RE.finditer(text):
        s, e = m.span()
        label, script = _QUOTE_LEADS[text[s]]
        if lines.latin(s):
            cands.append(_Cand(s, e, "lost_bytes", SCORE_LOST_BYTES, None, label, True, script))
    for m in _EDGE_RE.finditer(text):
        s = m.start()
        ch = text[s]
        label, script = _QUOTE_LEADS[ch]
        if _mathy(text, s, s + 1) or not lines.latin(s) or (ch == "\u00e2" and lines.accented(s)):
            continue
        # No symbol sits after a lower-case word (statesβ making) or a
        # sentence's end (allegations.β The), or before a function word
        # (βfor almost): such a spot counts as two.
        word = _WORD_BEFORE_RE.search(text, max(0, s - 24), s)
        prev = text[s - 1] if s > 0 else ""
        nxt = _WORD_AFTER_RE.match(text, s + 1)
        sure_spot = (
            (word is not None and word.group() not in _MATH_FUNCTIONS)
            or (prev != "" and prev in ".,!?;:")
            or (nxt is not None and nxt.group().lower() in _CLOSED_CLASS)
        )
        weight = MIN_QUOTE_SPOTS if sure_spot else 1
        quote_spots[script] = quote_spots.get(script, 0) + weight
        weak.append(_Cand(s, s + 1, "lost_bytes", SCORE_WEAK, None, label, False, script))
    for m in _CONTRACTION_RE.finditer(text):
        s = m.start()
        if not lines.latin(s) or lines.accented(s):
            continue
        quote_spots["latin"] = quote_spots.get("latin", 0) + MIN_QUOTE_SPOTS
        weak.append(_Cand(s, s + 1, "lost_bytes", SCORE_WEAK, "’", "iso-8859-1", False, "latin"))
    for m in _STRAY_A_RE.finditer(text):
        s = m.start()
        if lines.latin(s):
            orig = "" if text[s] == "\u00c2" else "\u00e0"
            cands.append(_Cand(s, s + 1, "lost_bytes", SCORE_LOST_BYTES, orig, "windows-1252", True, "latin"))

    # corroboration of the weak spots
    if weak:
        sure = {c.script for c in cands if c.strong}
        sure.update(k for k, n in quote_spots.items() if n >= MIN_QUOTE_SPOTS)
        sure.update(k for k, n in dash_spots.items() if n + quote_spots.get(k, 0) >= MIN_QUOTE_AND_DASH_SPOTS)
        for c in weak:
            if c.script in sure or (
                c.reason == "lost_emoji" and emoji_spots >= MIN_EMOJI_SPOTS and _emoji_position(text, c.start, c.end)
            ):
                cands.append(c)


def _judge_partial(text: str, start: int, end: int, cp: _CodePage, memo: dict) -> _Cand | None:
    """A cut-short sequence text[start:end] (in a Latin line) in code page ``cp``, or None."""
    s = text[start:end]
    lead = cp.to_byte[s[0]]
    if lead not in (0xE2, 0xF0):
        return None
    # not glued to letters of the code page's own script (a Greek word)
    if cp.script != "latin":
        before = text[start - 1] if start > 0 else " "
        if _script_of(before) == cp.script:
            return None
    if cp.script == "latin" and any(c in _QUOTE_LIKE for c in s[1:]):
        return None  # Turkish hâlâ”: a word and a quote
    key = ("p", cp.label, s)
    options = memo.get(key)
    if options is None:
        options = memo[key] = _completions(s, cp)
    if not options:
        return None
    reason = "lost_emoji" if lead == 0xF0 else "lost_bytes"
    return _Cand(start, end, reason, SCORE_LOST_BYTES, _pick_original(options), cp.label, True, cp.script)


# Code pages ftfy tries (chardata.CHARMAP_ENCODINGS) that the tables above do
# not model, and the characters only they produce: a line needs one of these
# before ftfy is asked (its badness check costs as much as this whole signal).
_FTFY_ONLY_PAGES = frozenset({"cp437", "sloppy-windows-1257"})


def _ftfy_only_chars() -> frozenset[str]:
    modelled = {c for cp in _CODES for c in cp.to_byte}
    out = set()
    for codec in ("cp437", "cp1257"):
        for b in range(0x80, 0x100):
            try:
                ch = bytes([b]).decode(codec)
            except UnicodeDecodeError:
                continue
            if ch not in modelled:
                out.add(ch)
    return frozenset(out)


_FTFY_ONLY_RE = re.compile(f"[{_char_class(_ftfy_only_chars())}]")


def _ftfy_backstop(text: str) -> list[_Cand]:
    """Mojibake in code pages this module does not model, found by ftfy.

    Lines that ftfy's badness heuristic calls bad and that
    :func:`ftfy.fix_encoding_and_explain` fixes by re-encoding in one of
    :data:`_FTFY_ONLY_PAGES` (CP437, Windows-1257) are flagged
    over the part of the line the fix changes.
    Fixes in the modelled pages are left out: the rules above already
    judged those spans, with stricter context (ftfy reads Turkish
    ``MİLLÎ“`` as ``Γ``).
    """
    try:
        import ftfy
        from ftfy.badness import is_bad
    except ImportError:  # pragma: no cover - a declared dependency
        return []
    if not _FTFY_ONLY_RE.search(text) or not is_bad(text):
        return []
    out: list[_Cand] = []
    pos = 0
    while pos <= len(text):
        nl = text.find("\n", pos)
        end = len(text) if nl < 0 else nl
        line = text[pos:end]
        if _FTFY_ONLY_RE.search(line) and is_bad(line):
            try:
                fixed, plan = ftfy.fix_encoding_and_explain(line)
            except Exception:  # noqa: BLE001 - a third-party heuristic must not make the signal raise
                fixed, plan = line, []
            pages = [name for step, name in plan or () if step == "encode"]
            if fixed != line and pages and all(p in _FTFY_ONLY_PAGES for p in pages):
                p = 0
                limit = min(len(line), len(fixed))
                while p < limit and line[p] == fixed[p]:
                    p += 1
                q = 0
                while q < limit - p and line[-1 - q] == fixed[-1 - q]:
                    q += 1
                if len(line) - q > p:
                    label = pages[0].removeprefix("sloppy-")
                    orig = fixed[p : len(fixed) - q]
                    out.append(
                        _Cand(
                            pos + p, pos + len(line) - q, "encoding_mixup", SCORE_MULTIBYTE, orig, label, True, "latin"
                        )
                    )
        if nl < 0:
            break
        pos = nl + 1
    return out


def _resolve(cands: list[_Cand]) -> list[_Cand]:
    """Non-overlapping flags, sorted; of overlapping candidates the longer (then stronger) wins.

    The same span read in several code pages (``π€¨`` is 🤨 in ISO-8859-7 and
    🀨 in Windows-1253) takes the page with the most candidates in the text.
    """
    votes: dict[str, int] = {}
    for c in cands:
        if c.strong:
            votes[c.encoding] = votes.get(c.encoding, 0) + 1
    order = {cp.label: i for i, cp in enumerate(_CODES)}
    best: dict[tuple[int, int], _Cand] = {}
    for c in cands:
        key = (c.start, c.end)
        cur = best.get(key)
        if cur is None or (votes.get(c.encoding, 0), c.score, -order.get(c.encoding, 99)) > (
            votes.get(cur.encoding, 0),
            cur.score,
            -order.get(cur.encoding, 99),
        ):
            best[key] = c
    cands = list(best.values())
    cands.sort(key=lambda c: (c.start, -(c.end - c.start), -c.score))
    out: list[_Cand] = []
    for c in cands:
        if out and c.start < out[-1].end:
            last = out[-1]
            if (c.end - c.start, c.score) > (last.end - last.start, last.score):
                out[-1] = c
            continue
        out.append(c)
    # a replacement may now overlap the one before it
    final: list[_Cand] = []
    for c in out:
        if final and c.start < final[-1].end:
            continue
        final.append(c)
    return final


# ---------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------
def mojibake(text: str) -> SignalOutput:
    """Flag text damaged by an encoding mix-up.

    Args:
        text: Any string (never raises, also on lone surrogates).

    Returns:
        Flags ``kind="mojibake"`` over the damaged spans, sorted and not
        overlapping, with ``extra["encoding"]`` (the code page the text was
        misread with, or ``"ftfy"``) and, when it can be known,
        ``extra["original"]``; and the signals ``mojibake_spans``,
        ``mojibake_chars``, ``mojibake_fixable`` (some span has a known
        original), ``mojibake_score`` (``1 - prod(1 - score)``) and
        ``mojibake_encoding`` (the most frequent code page, or ``None``).

    Example:
        >>> out = mojibake("Caf\\u00c3\\u00a9 at noon.\\n\\u03c0 TL:DR; \\u03c0")
        >>> [(f.start, f.end, f.reason, f.extra.get("original")) for f in out.flags]
        [(3, 5, 'encoding_mixup', 'é'), (15, 16, 'lost_emoji', None), (24, 25, 'lost_emoji', None)]
        >>> out.signals["mojibake_spans"], out.signals["mojibake_fixable"], out.signals["mojibake_encoding"]
        (3, True, 'iso-8859-7')
    """
    cands = _scan(text)
    flags = []
    for c in cands:
        extra: dict[str, Any] = {"encoding": c.encoding}
        if c.original is not None:
            extra["original"] = c.original
        flags.append(Flag(KIND, c.start, c.end, c.reason, c.score, MappingProxyType(extra)))
    miss = 1.0
    counts: dict[str, int] = {}
    for c in cands:
        miss *= 1.0 - c.score
        counts[c.encoding] = counts.get(c.encoding, 0) + 1
    encoding = max(sorted(counts), key=lambda k: counts[k]) if counts else None
    signals = {
        "mojibake_spans": len(cands),
        "mojibake_chars": sum(c.end - c.start for c in cands),
        "mojibake_fixable": any(c.original is not None for c in cands),
        "mojibake_score": round(1.0 - miss, 4),
        "mojibake_encoding": encoding,
    }
    return SignalOutput(tuple(flags), MappingProxyType(signals))


def repair(text: str) -> str:
    """``text`` with every flagged span whose original is known replaced by it.

    Only spans :func:`mojibake` flags change, so text without flags comes
    back unchanged; spans with an unknown original (most lost emoji) are
    left as they are.

    Example:
        >>> repair("Don\\u00e2\\u20ac\\u2122t say caf\\u00c3\\u00a9.")
        'Don’t say café.'
        >>> repair("Don’t say café.")
        'Don’t say café.'
    """
    out = text
    for _ in range(MAX_REPAIR_PASSES):
        fixes = [c for c in _scan(out) if c.original is not None]
        if not fixes:
            break
        parts: list[str] = []
        pos = 0
        for c in fixes:
            parts.append(out[pos : c.start])
            parts.append(c.original or "")
            pos = c.end
        parts.append(out[pos:])
        new = "".join(parts)
        if new == out:
            break
        out = new
    return out


SIGNAL = Signal(
    name="mojibake",
    compute=mojibake,
    summary="text decoded with the wrong encoding, the lossy kind too (repaired by clean_text where it can be)",
    emits=("mojibake_spans", "mojibake_chars", "mojibake_fixable", "mojibake_score", "mojibake_encoding"),
    flag_kinds=("mojibake",),
    params={"MAX_DECODE_ROUNDS": MAX_DECODE_ROUNDS},
)
