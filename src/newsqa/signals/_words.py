"""Word tokens with their offsets, shared by the spun-text signal and its context model."""

from __future__ import annotations

import re
from itertools import accumulate

# A word: letters or digits, with inner apostrophes ("don't", "O’Neil").
TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_TOKEN_SPLIT = re.compile(r"([^\W_]+(?:['’][^\W_]+)*)")


def tokens(text: str) -> tuple[list[str], list[int], list[int]]:
    """Lower-cased word tokens of ``text`` (curly apostrophes made straight) and their offsets in ``text``."""
    low = text.lower().replace("’", "'")
    if len(low) == len(text):
        # [gap, token, gap, token, ..., gap]: offsets by running sums, in C
        parts = _TOKEN_SPLIT.split(low)
        toks = parts[1::2]
        offs = list(accumulate(map(len, parts)))
        return toks, offs[0 : 2 * len(toks) : 2], offs[1 : 2 * len(toks) : 2]
    # lower() changed the length (e.g. "İ"): keep offsets of text
    ms = list(TOKEN.finditer(text))
    return [m.group().lower().replace("’", "'") for m in ms], [m.start() for m in ms], [m.end() for m in ms]


__all__ = ["TOKEN", "tokens"]
