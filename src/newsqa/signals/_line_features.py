"""Per-line features of a page for the boilerplate line classifier.

One pass over the lines computes each line's own shape (words, characters,
stop words, punctuation, capitals, digits, separators, URL/e-mail/handle
shapes, sentences), then the page's densest run of prose and each line's
place relative to it, then the neighbours' features by shifting columns.
Everything is linear in the number of lines (and each line is read a
bounded number of times), so a 5 MB single line or 200,000 short lines
cost what their length costs.

Shared by :mod:`newsqa.signals.boilerplate` at run time and by
``scripts/build_boilerplate_model.py`` at build time, so the model is
trained on exactly the features it is applied to.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

import numpy as np

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

_SENT_END = frozenset(".!?…\"”’»)")
_SENTENCE_BREAK = re.compile(r"[.!?…][\"”’»)]?\s+[\"“‘«(]?[^\W\d_]")
_URL = re.compile(r"https?://|www\.|\w\.(?:com|org|net|de|uk|html?|php)\b", re.IGNORECASE)
_EMAIL = re.compile(r"\w@\w+\.\w")
_HANDLE = re.compile(r"(?:^|\s)[@#]\w")
_SEPARATORS = re.compile(r"[|»·•›«‹]|\s[/>–—-]\s")
_BULLET = re.compile(r"[•·▪►▶*\-–—»›>]\s|\d{1,2}[.)]\s")
_COPYRIGHT = re.compile(r"©|\(c\)|copyright|all rights reserved|alle rechte", re.IGNORECASE)

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
)
# Neighbour features: these own features of the lines at these offsets.
NEIGHBOUR_COLUMNS = ("log_words", "stop_density", "ends_sentence", "prose", "rule", "separators", "w1", "w2")
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
)
FEATURES: tuple[str, ...] = (
    OWN
    + tuple(f"{c}@{o:+d}" for o in NEIGHBOUR_OFFSETS for c in NEIGHBOUR_COLUMNS)
    + PLACE
)
_IDX = {name: i for i, name in enumerate(OWN)}


def _own(text: str, words: Sequence[str], stops: frozenset[str], repeated: bool, template: bool, rule: bool) -> list[float]:
    sample = text if len(text) <= LONG_LINE_SAMPLE else text[:LONG_LINE_SAMPLE]
    n = len(words)
    chars = len(text)
    nstop = sum(1 for w in words if w in stops) if n <= 1000 else sum(1 for w in words[:1000] if w in stops) * n / 1000
    density = nstop / n if n else 0.0
    last = text[-1]
    ends_sentence = last in _SENT_END
    ends_ellipsis = text.endswith(("…", "..."))
    letters = digits = upper = 0
    for ch in sample:
        if ch.isalpha():
            letters += 1
            if ch.isupper():
                upper += 1
        elif ch.isdigit():
            digits += 1
    ns = len(sample) or 1
    caps = 0
    alpha_words = 0
    total_len = 0
    for w in words[:200]:
        total_len += len(w)
    # words are case-folded; capitals are read from the raw tokens
    raw_words = sample.split()[:200]
    for w in raw_words:
        c = w[0] if w else ""
        if c.isalpha():
            alpha_words += 1
            if c.isupper():
                caps += 1
    cap_share = caps / alpha_words if alpha_words else 0.0
    seps = len(_SEPARATORS.findall(sample))
    sentences = len(_SENTENCE_BREAK.findall(sample)) + (1 if ends_sentence and n else 0)
    return [
        math.log1p(n),
        math.log1p(chars),
        density,
        math.log1p(nstop),
        float(ends_sentence and not ends_ellipsis),
        float(last == ":"),
        float(ends_ellipsis),
        cap_share,
        digits / ns,
        letters / ns,
        min(seps, 6) / 6.0,
        float(_URL.search(sample) is not None),
        float(_EMAIL.search(sample) is not None),
        float(_HANDLE.search(sample) is not None),
        math.log1p(sentences),
        min(total_len / min(n, 200), 15.0) / 10.0 if n else 0.0,
        float(letters > 3 and upper == letters),
        float(_BULLET.match(sample) is not None),
        float(_COPYRIGHT.search(sample) is not None),
        float(repeated),
        float(template),
        float(rule),
        float(n >= PROSE_MIN_WORDS and density >= PROSE_MIN_STOP_DENSITY and ends_sentence),
        float(n == 1),
        float(n == 2),
        float(3 <= n <= 4),
        float(5 <= n <= 9),
        float(10 <= n <= 19),
        float(20 <= n <= 39),
        float(n >= 40),
        float(3 <= n <= 15 and not ends_sentence and cap_share >= 0.6),
        math.log1p(sample.count(",")),
    ]


class PageShape:
    """Where the page's densest run of prose lies (line indices, end exclusive)."""

    __slots__ = ("run_end", "run_start")

    def __init__(self, run_start: int, run_end: int) -> None:
        self.run_start = run_start
        self.run_end = run_end


def densest_run(prose: Sequence[bool], nwords: Sequence[int]) -> tuple[int, int]:
    """The maximum-sum run of lines (Kadane): prose adds its words, others cost :data:`RUN_GAP_COST`."""
    best, best_s, best_e = 0.0, 0, 0
    cur, cur_s = 0.0, 0
    for i, (p, n) in enumerate(zip(prose, nwords)):
        cur += n if p else -RUN_GAP_COST
        if cur <= 0:
            cur, cur_s = 0.0, i + 1
        elif cur > best:
            best, best_s, best_e = cur, cur_s, i + 1
    return best_s, best_e


def page_features(
    texts: Sequence[str],
    words: Sequence[Sequence[str]],
    stops: frozenset[str],
    template: Sequence[bool],
    rule: Sequence[bool],
    keys: Sequence[str],
) -> tuple[np.ndarray, PageShape]:
    """The feature matrix of a page's lines (rows in line order, columns :data:`FEATURES`).

    Args:
        texts: The stripped lines.
        words: Their case-folded words.
        stops: Stop words of the page's language.
        template: Whether each line is a source template line.
        rule: Whether a lexicon or shape rule flagged each line.
        keys: Each line's normalised form (repetition within the page).
    """
    n = len(texts)
    counts = Counter(keys)
    own = np.array(
        [
            _own(t, w, stops, counts[k] > 1, tp, r)
            for t, w, k, tp, r in zip(texts, words, keys, template, rule)
        ],
        dtype=np.float64,
    ).reshape(n, len(OWN))
    prose = own[:, _IDX["prose"]] > 0
    nwords = [len(w) for w in words]
    rs, re_ = densest_run(prose.tolist(), nwords)
    cols = [own]
    pad = np.zeros((2, len(OWN)))
    padded = np.vstack([pad, own, pad])
    sel = [_IDX[c] for c in NEIGHBOUR_COLUMNS]
    for o in NEIGHBOUR_OFFSETS:
        cols.append(padded[2 + o : 2 + o + n][:, sel])
    idx = np.arange(n, dtype=np.float64)
    rel = idx / (n - 1) if n > 1 else np.zeros(n)
    in_run = (idx >= rs) & (idx < re_)
    before = idx < rs
    after = idx >= re_
    dist_run = np.where(before, rs - idx, np.where(after, idx - re_ + 1, 0.0))
    # distance to the nearest prose line, both directions, linear
    big = float(n + 1)
    dist_prev = np.empty(n)
    dist_next = np.empty(n)
    last = -big
    for i, p in enumerate(prose):
        if p:
            last = i
        dist_prev[i] = i - last
    last = 2 * big
    for i in range(n - 1, -1, -1):
        if prose[i]:
            last = i
        dist_next[i] = last - i
    dist_prose = np.minimum(np.minimum(dist_prev, dist_next), big)
    csum = np.concatenate([[0.0], np.cumsum(prose)])

    def window(k: int) -> np.ndarray:
        lo = np.clip(idx.astype(int) - k, 0, n)
        hi = np.clip(idx.astype(int) + k + 1, 0, n)
        return (csum[hi] - csum[lo]) / (hi - lo)

    lens = np.array([len(t) for t in texts], dtype=np.float64)
    total = lens.sum() or 1.0
    place = np.column_stack(
        [
            rel,
            rel * rel,
            in_run,
            before,
            after,
            np.log1p(dist_run),
            np.log1p(dist_prose),
            window(3),
            window(10),
            np.full(n, prose.mean() if n else 0.0),
            np.full(n, lens[rs:re_].sum() / total),
            np.full(n, math.log1p(n)),
            idx == 0,
            idx == n - 1,
        ]
    ).astype(np.float64)
    cols.append(place)
    return np.hstack(cols), PageShape(rs, re_)
