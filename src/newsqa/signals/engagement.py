"""Engagement bait: rhetorical questions, emoji, exclamations, shouting, TL;DR promos.

Rewritten and AI-spun news often wraps a story in engagement devices that
the original did not have: a "TL;DR" teaser on top and a string of
rhetorical questions to the reader at the end ("What could this meeting
signify for the international community? How might it impact ...? And
what does it mean for ...?"). This signal counts those devices; it does
not judge the story.

Signals:

* ``question_bait``: sentences ending in ``?``, not inside quotation marks,
  that open with an interrogative (optionally after "And"/"But"/"So"/...)
  and, after it, hold a speculative or reader-facing cue (*could, might,
  may, would, will, mean, signify, implications, impact, affect, future,
  you, your, we, our*). A plain factual question ("Did the police act
  lawfully?") or a quoted one (``"What now?" he asked``) does not count;
* ``emoji_density``: emoji per 1,000 characters (a skin-tone, variation
  selector or zero-width-joiner sequence counts once);
* ``exclamation_rate``: ``!`` per sentence, outside quotation marks;
* ``caps_rate``: share of words (runs of letters) written in capitals and
  longer than :data:`ACRONYM_MAX_LETTERS`, so NATO, KCNA, US or DPRK do not
  count but BREAKING or SHOCKING do;
* ``promo_tldr``: lines that open with "TL;DR", "TL:DR", "TLDR" or
  "TL DR" (within :data:`TLDR_MAX_LEAD` characters of the line start).

Rates are ``None`` when undefined (no characters, sentences or words).
Flags (kind ``engagement``): ``question_bait`` on each bait question when
the text has at least :data:`QUESTION_BAIT_FLAG_MIN` of them, and
``tldr_promo`` on each TL;DR line.

Quotation marks are tracked within a line (``"``, ``“ ”``, ``„ “``,
``« »``); a quote left open ends at the line's end, as multi-paragraph
quotes in news reopen on each paragraph. Single quotes are ignored (they
double as apostrophes). All patterns are linear: character classes and
bounded repeats, no nested quantifiers.

>>> out = engagement("Kim met Shoigu. What could this mean for the world? And how might it affect you?")
>>> out.signals["question_bait"], [f.reason for f in out.flags]
(2, ['question_bait', 'question_bait'])
>>> engagement('"What now?" he asked.').signals["question_bait"]
0
"""

from __future__ import annotations

import bisect
import re

from numba import njit

from ..model import Flag
from . import Signal, SignalOutput
from ._counts import (
    char_classes,
    codes,
    emoji_count,
    letter_runs,
    quoted_spans,
    terminated_sentences,
    tldr_lines,
)

__all__ = ["engagement"]

KIND = "engagement"
# Acronyms of up to four capitals (NATO, KCNA, DPRK, UNSC) are ordinary in
# news; five or more capitals in a row is shouting far more often than not.
# (Chosen on the seed articles, whose only capitals runs are 2-4-letter
# acronyms; acronyms of five or more letters such as UNESCO are the known
# false positives.)
ACRONYM_MAX_LETTERS = 4
# A single rhetorical question is ordinary journalism (a lede or a column's
# close); the AI-rewrite pattern in seed 001 strings three or more together
# (plus one after its TL;DR). Two is the least that is more than one; the
# count itself is always reported.
QUESTION_BAIT_FLAG_MIN = 2
# "π TL:DR; π" in seed 001: the marker follows a few characters of
# (mis-decoded) emoji. Eight characters leave room for an emoji sequence,
# a bullet and spaces, but not for a sentence that merely mentions "tl;dr".
TLDR_MAX_LEAD = 8
# Decimal places of the reported rates.
ROUND_DIGITS = 4

# A sentence: a run without terminators or line breaks, then its
# terminators (two disjoint classes: linear). These two and _LETTERS_RE
# define what the compiled passes of newsqa.signals._counts find
# (terminated_sentences, letter_runs); the tests compare them on any text.
_SENTENCE_RE = re.compile(r"[^.!?\n]+[.!?]*")
_HAS_WORD_RE = re.compile(r"\w")
# Quotation marks that open ("  “  „  «) and what ends a quote.
_OPENER_RE = re.compile('["\u201c\u201e\u00ab]')
_CLOSER_RE = re.compile('["\u201d\u00bb\n]')
_CLOSE_GERMAN_RE = re.compile('["\u201c\u201d\u00bb\n]')
_INTERROGATIVE_RE = re.compile(
    r"[\W_]*(?:(?:and|but|so|now|then|yet|or)\s+)?"
    r"(?:what|how|why|where|who|which|when|will|would|could|can|might|may|should|shall"
    r"|does|do|did|is|are|was|were|has|have)\b",
    re.IGNORECASE,
)
_CUE_RE = re.compile(
    r"\b(?:could|might|may|would|will|mean|means|signify|signal|signals|implications?"
    r"|impact|affect|future|you|your|we|our)\b",
    re.IGNORECASE,
)
# Pictographs (Misc Symbols and Pictographs .. Symbols and Pictographs
# Extended-A, Misc Symbols, Dingbats, Misc Technical, arrows and stars in
# U+2B00-2BFF, regional indicators), then any skin-tone modifiers,
# variation selector 16, or ZWJ + pictograph. Each alternative of the
# repeated group starts with a different character: no ambiguity.
_PICTO = "\U0001f000-\U0001faff\u2600-\u27bf\u2300-\u23ff\u2b00-\u2bff"
_EMOJI_RE = re.compile(f"[{_PICTO}](?:[\U0001f3fb-\U0001f3ff\ufe0f]|\u200d[{_PICTO}])*")
_LETTERS_RE = re.compile(r"[^\W\d_]+")
_TLDR_RE = re.compile(
    rf"^[^\n]{{0,{TLDR_MAX_LEAD}}}?\bTL ?[;:]? ?DR\b[^\n]*",
    re.IGNORECASE | re.MULTILINE,
)


def _quoted_spans(text: str) -> tuple[list[int], list[int]]:
    """Starts and ends (sorted, disjoint) of the quoted stretches of ``text``.

    Outside a quote only quotation marks are looked for, inside one only
    what can end it, so line breaks cost nothing outside quotes.
    """
    starts: list[int] = []
    ends: list[int] = []
    pos = 0
    while True:
        match = _OPENER_RE.search(text, pos)
        if match is None:
            return starts, ends
        opener = match.group()
        starts.append(match.start())
        # ", ” and » close; “ closes a „ (German); a line break ends the quote
        closer = (_CLOSE_GERMAN_RE if opener == "\u201e" else _CLOSER_RE).search(text, match.end())
        if closer is None:
            ends.append(len(text))
            return starts, ends
        ends.append(closer.start() if closer.group() == "\n" else closer.end())
        pos = closer.end()


def _inside(pos: int, starts: list[int], ends: list[int]) -> bool:
    i = bisect.bisect_right(starts, pos) - 1
    return i >= 0 and pos < ends[i]


def _round(x: float) -> float:
    return round(x, ROUND_DIGITS)


@njit(cache=True)
def _passes(points, classes, with_emoji, tldr_max_lead, min_caps):  # type: ignore[no-untyped-def]
    """All the compiled passes of :func:`engagement`, in one call (one dispatch instead of five)."""
    starts, ends = quoted_spans(points)
    n_sentences, n_exclamations, questions = terminated_sentences(points, classes, starts, ends)
    tldr = tldr_lines(points, classes, tldr_max_lead)
    n_emoji = emoji_count(points) if with_emoji else 0
    n_words, candidates = letter_runs(points, classes, min_caps)
    return n_sentences, n_exclamations, questions, tldr, n_emoji, n_words, candidates


def engagement(text: str) -> SignalOutput:
    """Engagement-bait signals and flags for ``text`` (see the module docs)."""
    classes = char_classes()
    points = codes(text)
    # _quoted_spans(text), then the matches of _SENTENCE_RE holding a word
    # (_HAS_WORD_RE), their "!" and those ending in "?" outside quotations,
    # from compiled passes (newsqa.signals._counts); the question patterns
    # run on those only. The other compiled passes (TL;DR lines, emoji,
    # letter runs) run in the same call (_passes).
    n_sentences, n_exclamations, questions, tldr, n_emoji, n_words, candidates = _passes(
        points, classes, not text.isascii(), TLDR_MAX_LEAD, ACRONYM_MAX_LETTERS + 1
    )
    bait: list[tuple[int, int]] = []
    for start, body_end, end in questions.tolist():
        body = text[start:body_end]
        head = _INTERROGATIVE_RE.match(body)
        if head is None or _CUE_RE.search(body, head.end()) is None:
            continue
        stripped = body.lstrip()
        bait.append((body_end - len(stripped), end))

    flags: list[Flag] = []
    if len(bait) >= QUESTION_BAIT_FLAG_MIN:
        flags.extend(Flag(KIND, s, e, "question_bait") for s, e in bait)
    # the matches of _TLDR_RE: whole lines, found by their starts in a
    # compiled pass (newsqa.signals._counts.tldr_lines)
    n_tldr = 0
    for line_start in tldr.tolist():
        n_tldr += 1
        line_end = text.find("\n", line_start)
        line = text[line_start : line_end if line_end >= 0 else len(text)]
        start = line_start + len(line) - len(line.lstrip())
        end = line_start + len(line.rstrip())
        flags.append(Flag(KIND, start, end, "tldr_promo"))
    flags.sort(key=lambda f: (f.start, f.end, f.reason))

    # n_emoji: the matches of _EMOJI_RE (none in ASCII text); n_words: the
    # matches of _LETTERS_RE, and `candidates` those longer than an acronym in
    # capitals: only runs without an ASCII lower-case letter come back to be
    # asked str.isupper()
    n_caps = sum(text[a:b].isupper() for a, b in candidates.tolist())
    return SignalOutput(
        flags=tuple(flags),
        signals={
            "question_bait": len(bait),
            "emoji_density": _round(1000.0 * n_emoji / len(text)) if text else None,
            "exclamation_rate": _round(n_exclamations / n_sentences) if n_sentences else None,
            "caps_rate": _round(n_caps / n_words) if n_words else None,
            "promo_tldr": n_tldr,
        },
    )


SIGNAL = Signal(
    name="engagement",
    compute=engagement,
    summary="engagement devices: rhetorical question bait, emoji, exclamations, shouting, TL;DR promos",
    emits=(
        "question_bait",
        "emoji_density",
        "exclamation_rate",
        "caps_rate",
        "promo_tldr",
    ),
    flag_kinds=(KIND,),
    params={
        "QUESTION_BAIT_FLAG_MIN": QUESTION_BAIT_FLAG_MIN,
        "TLDR_MAX_LEAD": TLDR_MAX_LEAD,
    },
)
