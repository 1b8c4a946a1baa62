"""The shared per-article pass: what several signals read from one text, computed once.

Every signal used to start the same way: encode the text to code points
for its compiled passes, find the lines, case-fold them to template keys.
:class:`ArticleText` holds those results for one text; each is computed on
first use and kept, so a run of every signal over an article (and the
pipeline's template look-up before it) decodes the text once and splits
its lines once. Signals declare ``needs=("article",)`` to receive it; the
runner (:func:`newsqa.signals.registry.run_signals_many`) builds one per
text. A signal called directly builds its own, so its results do not
depend on who calls it.

What is shared is exactly what the signals' definitions share: the code
points, the non-blank lines (``split_lines``), the lines' template-key
hashes and ``str.lower()``. Each signal's tokens are its own (practice's
tokens, boilerplate's words, readability's textstat words and the spun
model's words are different patterns), so they stay in the signals.

>>> a = ArticleText("Site News | World\\n\\nKim met Putin.")
>>> [a.text[s:e] for s, e in zip(*a.lines)]
['Site News | World', 'Kim met Putin.']
>>> a.points[:4].tolist() == [ord(c) for c in "Site"]
True
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np

from . import _line_kernels
from ._counts import char_classes, codes

__all__ = ["ArticleText", "article_of", "line_hash", "line_key_hashes", "normalize_line"]

_DIGITS = re.compile(r"\d+")


class ArticleText:
    """One article's text and the facts several signals read from it (each computed once, on first use).

    Attributes:
        text: The text.
        points: Its code points as ``uint32`` (lone surrogates included): what the compiled passes read.
        lines: ``(starts, ends)`` (``int64``) of its non-blank lines, stripped of ``\\s``.
        line_keys: ``uint64``: the template-key hash of each line of ``lines``
            (:func:`line_key_hashes`).
        lower: ``text.lower()``.
    """

    __slots__ = ("_line_keys", "_lines", "_lower", "_points", "text")

    def __init__(self, text: str) -> None:
        if not isinstance(text, str):
            raise TypeError(f"ArticleText needs a str, got {type(text).__name__}")
        self.text = text
        self._points: np.ndarray | None = None
        self._lines: tuple[np.ndarray, np.ndarray] | None = None
        self._line_keys: np.ndarray | None = None
        self._lower: str | None = None

    def __repr__(self) -> str:
        return f"ArticleText({self.text[:40]!r}{'...' if len(self.text) > 40 else ''})"

    @property
    def points(self) -> np.ndarray:
        if self._points is None:
            self._points = codes(self.text)
        return self._points

    @property
    def lines(self) -> tuple[np.ndarray, np.ndarray]:
        if self._lines is None:
            self._lines = _line_kernels.line_spans(self.points, char_classes())
        return self._lines

    @property
    def line_keys(self) -> np.ndarray:
        if self._line_keys is None:
            starts, ends = self.lines
            self._line_keys = line_key_hashes(self.text, self.points, starts, ends)
        return self._line_keys

    @property
    def lower(self) -> str:
        if self._lower is None:
            self._lower = self.text.lower()
        return self._lower


def article_of(text: str, article: ArticleText | None) -> ArticleText:
    """``article`` when it is ``text``'s, else a new :class:`ArticleText` of ``text``.

    (A signal called with another text's article would read the wrong
    arrays; a mismatch is a caller's bug, so it is refused.)
    """
    if article is None:
        return ArticleText(text)
    if article.text is not text and article.text != text:
        raise ValueError("article= belongs to another text: pass the ArticleText built from this text")
    return article


# --- Line keys: what template lines are matched by (boilerplate's templates) ---


def normalize_line(line: str) -> str:
    """The key of a line for template matching: NFKC, case-folded, digits as 0, single spaces.

    (An ASCII line is its own NFKC form and case-folds as it lower-cases; ``\\s`` and ``str.split``
    / ``str.strip`` are the same white space, so runs of it become one space by a split and a join.)
    """
    if line.isascii():
        line = line.lower()
    else:
        line = unicodedata.normalize("NFKC", line).casefold()
    return " ".join(_DIGITS.sub("0", line).split())


def line_hash(key: str) -> int:
    """The 64-bit hash of a line key (:func:`normalize_line`), the same in every process and machine.

    >>> line_hash("site news | world") == int(line_key_hashes("Site  News | WORLD")[0])
    True
    """
    return int(_line_kernels.key_hash(codes(key)))


def line_key_hashes(
    text: str,
    points: np.ndarray | None = None,
    starts: np.ndarray | None = None,
    ends: np.ndarray | None = None,
) -> np.ndarray:
    """``uint64``: :func:`line_hash` of :func:`normalize_line` of each line of ``text``.

    The lines are ``text[starts[k]:ends[k]]`` (default: :func:`split_lines`;
    ``points`` are ``codes(text)`` when the caller has them). One compiled
    pass hashes each line's key without building it; lines with a code point
    its table does not fold (combining marks, most scripts past Cyrillic)
    are normalised by :func:`normalize_line` and hashed.
    """
    if points is None:
        points = codes(text)
    if starts is None or ends is None:
        starts, ends = _line_kernels.line_spans(points, char_classes())
    length, offset, folded = _line_kernels.key_fold_table()
    hashes, ok = _line_kernels.line_key_hashes(points, starts, ends, char_classes(), length, offset, folded)
    if not ok.all():
        for k in np.flatnonzero(~ok).tolist():
            hashes[k] = line_hash(normalize_line(text[int(starts[k]) : int(ends[k])]))
    return hashes
