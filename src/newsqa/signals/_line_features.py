"""Per-line features of a page for the boilerplate line classifier.

One pass over the lines computes each line's own shape (words, characters,
stop words, punctuation, capitals, digits, separators, URL/e-mail/handle
shapes, sentences), then the page's densest run of prose and each line's
place relative to it, then the neighbours' features by shifting columns.
Everything is linear in the number of lines (and each line is read a
bounded number of times), so a 5 MB single line or 200,000 short lines
cost what their length costs.

The passes are compiled (:mod:`newsqa.signals._line_kernels`, numba, over
the text's code points): the regular expressions below are the
definitions the kernels implement character by character (the tests
compare the kernels with a pure-Python implementation that runs these
patterns, on any text); the comment heading and marks stay regular
expressions, asked from Python (the heading only where the kernel finds
its necessary shape).

Shared by :mod:`newsqa.signals.boilerplate` at run time and by
``scripts/build_boilerplate_model.py`` at build time, so the model is
trained on exactly the features it is applied to.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from collections.abc import Sequence

import numpy as np

from . import _line_kernels as K
from ._counts import char_classes

# A prose line (jusText's "good" paragraph, loosened for news sentences):
# at least this many words, this share of stop words, and a sentence end.
PROSE_MIN_WORDS = 8
PROSE_MIN_STOP_DENSITY = 0.15
# Kadane weights for the densest run of prose: a prose line adds its words,
# any other line costs this many words (a short line between paragraphs
# does not break the run, a menu of twenty items does).
RUN_GAP_COST = 6.0
# Lines at most this long are read in full for character classes; longer
# lines are read on their first LONG_LINE_SAMPLE characters (the shape of a
# 5 MB line is clear from its start).
LONG_LINE_SAMPLE = 2000
# Shapes that mark short lines (URLs, e-mail, separators, digits, comment
# marks, code) are read on the first SHAPE_SAMPLE characters only.
SHAPE_SAMPLE = 300

# The shapes the kernels read (sentence breaks, URL, e-mail, handle,
# separators, bullets, digits, code, copyright) are defined in
# ``_line_kernels``; the regular expressions they replace are kept, as the
# reference the kernels are tested against, in
# ``tests/signals/test_line_features.py``.
# Comments under an article (dragnet's gold leaves them out): a heading that
# opens the comment section, and the marks each comment carries.
_COMMENT_HEADING = re.compile(
    r"[\W\d]{0,6}(?:comments?|responses?|replies|reader comments|discussion|join the (?:discussion|conversation)|"
    r"leave a (?:comment|reply)|add (?:a|your) comment|post a comment|kommentare?|diskussion|comentarios?|"
    r"commentaires?|komentarze|commenti)\b.{0,40}",
    re.IGNORECASE,
)
_COMMENT_MARK = re.compile(
    r"\b(?:reply|posted by|posted on|report (?:abuse|comment)|permalink|flag as|recommend|like this|antworten|"
    r"melden|responder|répondre)\b|\b(?:says|said|wrote|schrieb|dijo):|\b\d+\s+(?:minutes?|hours?|days?|weeks?|"
    r"months?) ago\b|\b\d{1,2}:\d{2}\s*(?:[ap]\.?m\.?)?\b",
    re.IGNORECASE,
)
# The line's own features, in order (the model file names them too).
OWN = (
    "log_words",
    "log_chars",
    "stop_density",
    "log_stops",
    "ends_sentence",
    "ends_colon",
    "ends_ellipsis",
    "cap_share",
    "digit_share",
    "alpha_share",
    "separators",
    "has_url",
    "has_email",
    "has_handle",
    "log_sentences",
    "mean_word_len",
    "all_caps",
    "bullet",
    "copyright",
    "repeated",
    "template",
    "rule",
    "prose",
    "w1",
    "w2",
    "w3_4",
    "w5_9",
    "w10_19",
    "w20_39",
    "w40",
    "title_like",
    "log_commas",
    "comment_heading",
    "comment_mark",
    "code_share",
)
# Neighbour features: these own features of the lines at these offsets.
NEIGHBOUR_COLUMNS = (
    "log_words",
    "stop_density",
    "ends_sentence",
    "prose",
    "rule",
    "separators",
    "w1",
    "w2",
    "comment_mark",
)
NEIGHBOUR_OFFSETS = (-2, -1, 1, 2)
# Place in the page.
PLACE = (
    "rel_pos",
    "rel_pos_sq",
    "in_run",
    "before_run",
    "after_run",
    "log_dist_run",
    "log_dist_prose",
    "prose_window_3",
    "prose_window_10",
    "page_prose_share",
    "run_char_share",
    "log_lines",
    "first_line",
    "last_line",
    "after_comment_heading",
    "log_dist_comment_heading",
    "comment_window_5",
)
FEATURES: tuple[str, ...] = OWN + tuple(f"{c}@{o:+d}" for o in NEIGHBOUR_OFFSETS for c in NEIGHBOUR_COLUMNS) + PLACE
_IDX = {name: i for i, name in enumerate(OWN)}
_NEIGHBOUR_SEL = np.array([_IDX[c] for c in NEIGHBOUR_COLUMNS], dtype=np.int64)
_NEIGHBOUR_OFF = np.array(NEIGHBOUR_OFFSETS, dtype=np.int64)
# Columns holding log1p of a count: numpy's log1p is applied to them after
# the kernel (its vectorised log1p and libm's differ in the last bit).
_LOG_COLUMNS = np.array(
    [
        i
        for i, f in enumerate(FEATURES)
        if f.split("@")[0]
        in {
            "log_words",
            "log_chars",
            "log_stops",
            "log_sentences",
            "log_commas",
            "log_dist_run",
            "log_dist_prose",
            "log_dist_comment_heading",
        }
    ],
    dtype=np.intp,
)
_LOG_LINES = FEATURES.index("log_lines")
# The kernels' case-insensitive literals (folded: lower-case ASCII), as
# (codes, offsets): the URL shape's "www." and top-level domains, the
# copyright marks (the reference patterns: tests/signals/test_line_features.py).
_WWW = np.array([ord(c) for c in "www."], dtype=np.int32)


def _literals(words: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    flat = np.array([ord(c) for w in words for c in w], dtype=np.int32)
    off = np.zeros(len(words) + 1, dtype=np.int64)
    np.cumsum([len(w) for w in words], out=off[1:])
    return flat, off


_TLDS, _TLD_OFF = _literals(("com", "org", "net", "de", "uk", "html", "htm", "php"))
_COPY, _COPY_OFF = _literals(("©", "(c)", "copyright", "all rights reserved", "alle rechte"))
# _COMMENT_HEADING's necessary condition: at most COMMENT_HEADING_MAX_WORDS
# words and COMMENT_HEADING_MAX_CHARS characters (6 marks, the longest
# keyword, 40 more), the keyword opening with one of these three letters.
_HEADS = np.array([ord(c) for c in "comresrepreadisjoileaaddposkom"], dtype=np.int32)
COMMENT_HEADING_MAX_WORDS = 8
COMMENT_HEADING_MAX_CHARS = 6 + len("join the conversation") + 40


@functools.lru_cache(maxsize=1)
def _comment_mark_filter() -> K.LiteralFilter | None:
    """A necessary condition for :data:`_COMMENT_MARK`: one of the strings every match holds (``reply``,
    ``:``, `` ago``...), read from the pattern; ``None`` when it has none."""
    need = K.required_literals(_COMMENT_MARK)
    return K.LiteralFilter(need) if need else None


class PageShape:
    """Where the page's densest run of prose lies (line indices, end exclusive)."""

    __slots__ = ("run_end", "run_start")

    def __init__(self, run_start: int, run_end: int) -> None:
        self.run_start = run_start
        self.run_end = run_end


def page_features(
    points: np.ndarray,
    starts: np.ndarray,
    ends: np.ndarray,
    nwords: np.ndarray,
    nstop: np.ndarray,
    word_chars: np.ndarray,
    texts: Sequence[str],
    template: Sequence[bool],
    rule: Sequence[bool],
    keys: Sequence[str],
) -> tuple[np.ndarray, PageShape]:
    """The feature matrix of a page's lines (rows in line order, columns :data:`FEATURES`).

    Args:
        points: The page's code points (:func:`newsqa.signals._counts.codes`).
        starts: Where each stripped line starts in ``points``.
        ends: Where each ends.
        nwords: How many words each line has (``\\w+(?:[-'’]\\w+)*``).
        nstop: Its stop words of the page's language among its first 1,000
            words, scaled to all its words (:func:`~newsqa.signals._line_kernels.line_word_stats`).
        word_chars: The case-folded characters of its first 1,000 words.
        texts: The stripped lines.
        template: Whether each line is a source template line.
        rule: Whether a lexicon or shape rule flagged each line.
        keys: Each line's normalised form (repetition within the page).
    """
    n = len(texts)
    raw, heading = K.line_raw(
        points,
        starts,
        ends,
        nwords,
        nstop,
        word_chars,
        char_classes(),
        K.case_classes(),
        K.fold_table(),
        _WWW,
        _TLDS,
        _TLD_OFF,
        _COPY,
        _COPY_OFF,
        _HEADS,
        LONG_LINE_SAMPLE,
        SHAPE_SAMPLE,
        COMMENT_HEADING_MAX_WORDS,
        COMMENT_HEADING_MAX_CHARS,
    )
    # The comment patterns stay regular expressions: the heading is asked
    # only where the kernel's necessary condition holds, the marks of a
    # repeated line once.
    for k in np.flatnonzero(heading).tolist():
        raw[k, 19] = _COMMENT_HEADING.fullmatch(texts[k][:SHAPE_SAMPLE]) is not None
    # Marks only where the line's head holds one of the strings every mark holds.
    mark_filter = _comment_mark_filter()
    if mark_filter is None:  # pragma: no cover - a pattern the literal reading cannot read
        maybe: Sequence[int] = range(n)
    else:
        heads = np.minimum(ends, starts + SHAPE_SAMPLE)
        maybe = np.flatnonzero(mark_filter.lines(points, starts, heads, SHAPE_SAMPLE)).tolist()
    marks: dict[str, bool] = {}
    for k in maybe:
        t = texts[k]
        m = marks.get(t)
        if m is None:
            m = marks[t] = _COMMENT_MARK.search(t[:SHAPE_SAMPLE]) is not None
        if m:
            raw[k, 20] = 1.0
    counts = Counter(keys)
    repeated = np.array([counts[k] > 1 for k in keys], dtype=np.float64)
    x, rs, re_ = K.assemble(
        raw,
        repeated,
        np.asarray(template, dtype=np.float64),
        np.asarray(rule, dtype=np.float64),
        (ends - starts).astype(np.float64),
        _NEIGHBOUR_SEL,
        _NEIGHBOUR_OFF,
        float(PROSE_MIN_WORDS),
        PROSE_MIN_STOP_DENSITY,
        RUN_GAP_COST,
        len(OWN),
        len(FEATURES),
    )
    x[:, _LOG_COLUMNS] = np.log1p(x[:, _LOG_COLUMNS])
    x[:, _LOG_LINES] = math.log1p(n)
    return x, PageShape(rs, re_)
