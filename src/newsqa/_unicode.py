"""Unicode facts the tokenizer needs, as flat arrays a compiled kernel can read.

Every code point gets a class byte:

* bits 0-1: ``SEP`` (0, separator), ``WORD`` (1, part of a word) or
  ``SOLO`` (2, a letter of a script written without spaces, such as Han,
  Kana or Thai, which forms a token on its own so that those scripts get
  character n-grams);
* bit 2 (``NEEDS_NFKC``): the code point can take part in canonical
  composition with its neighbour (combining marks, Hangul vowel/trailing
  jamo, second halves of canonical pairs), so per-code-point folding is not
  enough and the text goes through full :func:`unicodedata.normalize`;
* bit 3 (``HAS_FOLD``): ``casefold(NFKC(c)) != c``; the replacement is in
  ``fold_keys`` / ``fold_offsets`` / ``fold_data``.

The class of a code point is its class *after* folding is applied, so the
kernel classifies the folded output, never the raw input.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from importlib import resources

import numpy as np

SEP = 0
WORD = 1
SOLO = 2
NEEDS_NFKC = 4
HAS_FOLD = 8
MAX_CODE_POINT = 0x110000

# Scripts written without spaces between words: each letter is its own token.
# Ranges from the Unicode block list (Blocks.txt, Unicode 15).
SOLO_RANGES = (
    (0x0E00, 0x0EFF),  # Thai, Lao
    (0x1000, 0x109F),  # Myanmar
    (0x1780, 0x17FF),  # Khmer
    (0x19E0, 0x19FF),  # Khmer symbols
    (0x2E80, 0x2FDF),  # CJK radicals, Kangxi radicals
    (0x3005, 0x3007),  # ideographic iteration mark, closing mark, number zero
    (0x3021, 0x3029),  # Hangzhou numerals
    (0x3040, 0x30FF),  # Hiragana, Katakana
    (0x3100, 0x312F),  # Bopomofo
    (0x31A0, 0x31FF),  # Bopomofo extended, CJK strokes, Katakana phonetic ext.
    (0x3400, 0x4DBF),  # CJK extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0xFF66, 0xFF9F),  # halfwidth Katakana
    (0x20000, 0x3FFFF),  # CJK extensions B-H, compatibility supplement
)


def _is_solo(cp: int) -> bool:
    return any(lo <= cp <= hi for lo, hi in SOLO_RANGES)


def _base_class(cp: int) -> int:
    if 0xD800 <= cp <= 0xDFFF:
        return SEP
    cat = unicodedata.category(chr(cp))
    if cat[0] in "LNM":
        return SOLO if _is_solo(cp) else WORD
    return SEP


def build_tables() -> dict[str, np.ndarray]:
    """Compute the tables from this Python's :mod:`unicodedata` (slow: ~2 s)."""
    cls = np.zeros(MAX_CODE_POINT, dtype=np.uint8)
    fold_keys: list[int] = []
    fold_offsets: list[int] = [0]
    fold_data: list[int] = []
    composition_seconds: set[int] = set()
    for cp in range(MAX_CODE_POINT):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        ch = chr(cp)
        c = _base_class(cp)
        if unicodedata.combining(ch) or unicodedata.category(ch)[0] == "M":
            c |= NEEDS_NFKC
        if 0x1160 <= cp <= 0x11FF or 0xD7B0 <= cp <= 0xD7FF:  # Hangul V and T jamo
            c |= NEEDS_NFKC
        decomp = unicodedata.decomposition(ch)
        if decomp and not decomp.startswith("<"):
            parts = decomp.split()
            if len(parts) == 2:
                composition_seconds.add(int(parts[1], 16))
        folded = unicodedata.normalize("NFKC", ch).casefold()
        if folded and unicodedata.combining(folded[0]):
            c |= NEEDS_NFKC
        if folded != ch:
            c |= HAS_FOLD
            fold_keys.append(cp)
            fold_data.extend(ord(x) for x in folded)
            fold_offsets.append(len(fold_data))
        cls[cp] = c
    for cp in composition_seconds:
        cls[cp] |= NEEDS_NFKC
    return {
        "cls": cls,
        "fold_keys": np.asarray(fold_keys, dtype=np.uint32),
        "fold_offsets": np.asarray(fold_offsets, dtype=np.int32),
        "fold_data": np.asarray(fold_data, dtype=np.uint32),
        "unidata_version": np.asarray(unicodedata.unidata_version),
    }


@lru_cache(maxsize=1)
def load_tables() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The shipped tables: ``(cls, fold_keys, fold_offsets, fold_data)``."""
    ref = resources.files("newsqa") / "data" / "unicode_tables.npz"
    with ref.open("rb") as fh, np.load(fh) as z:
        return (
            np.ascontiguousarray(z["cls"]),
            np.ascontiguousarray(z["fold_keys"]),
            np.ascontiguousarray(z["fold_offsets"]),
            np.ascontiguousarray(z["fold_data"]),
        )
