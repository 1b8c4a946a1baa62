"""Text normalisation and shingling: the readable reference implementation.

The compiled kernel in ``_kernels.py`` does the same work without leaving
machine code; this module states what it computes, serves small inputs and
the datasketch interop, and is what the tests compare the kernel against.

Normalisation is Unicode NFKC followed by case folding. A token is a maximal
run of letters, digits and combining marks, except in scripts written without
spaces (Han, Kana, Thai, Lao, Khmer, Myanmar), where every character is a
token of its own, so those scripts get character n-grams. Everything else
(whitespace, punctuation, symbols, emoji) separates tokens. A shingle is
``ngram`` consecutive tokens; a text with fewer tokens than ``ngram`` has one
shingle made of all its tokens, and a text with no tokens has none.

>>> tokens("Kim Jong-un’s visit")
['kim', 'jong', 'un', 's', 'visit']
>>> shingles("North Korea’s state media says", ngram=3)
['north korea s', 'korea s state', 's state media', 'state media says']
>>> tokens("北京大学")
['北', '京', '大', '学']
"""

from __future__ import annotations

import unicodedata

from ._unicode import SOLO, WORD, load_tables

_FNV_OFFSET = 0xCBF29CE484222325
_FNV_PRIME = 0x100000001B3
_SHINGLE_SEED = 0x9E3779B97F4A7C15
_SHINGLE_MULT = 0xBF58476D1CE4E5B9
_M64 = (1 << 64) - 1


def normalize(text: str) -> str:
    """NFKC, then case folding.

    >>> normalize("Ｋｉｍ ＳＱ.")
    'kim sq.'
    """
    return unicodedata.normalize("NFKC", text).casefold()


def tokens(text: str) -> list[str]:
    """The tokens of ``text`` after :func:`normalize`."""
    cls = load_tables()[0]
    out: list[str] = []
    cur: list[str] = []
    for ch in normalize(text):
        c = int(cls[ord(ch)]) & 3
        if c == WORD:
            cur.append(ch)
            continue
        if cur:
            out.append("".join(cur))
            cur = []
        if c == SOLO:
            out.append(ch)
    if cur:
        out.append("".join(cur))
    return out


def shingles(text: str, ngram: int = 5) -> list[str]:
    """Token n-grams of ``text`` joined by single spaces, in text order (with repeats)."""
    toks = tokens(text)
    if not toks:
        return []
    if len(toks) < ngram:
        return [" ".join(toks)]
    return [" ".join(toks[i : i + ngram]) for i in range(len(toks) - ngram + 1)]


def _token_hash(token: str) -> int:
    data = token.encode("utf-8")
    h = _FNV_OFFSET
    for i in range(0, len(data), 8):
        h = ((h ^ int.from_bytes(data[i : i + 8], "little")) * _FNV_PRIME) & _M64
    return h


def _fmix64(h: int) -> int:
    h ^= h >> 33
    h = (h * 0xFF51AFD7ED558CCD) & _M64
    h ^= h >> 33
    h = (h * 0xC4CEB9FE1A85EC53) & _M64
    return h ^ (h >> 33)


def shingle_hash64(shingle: str) -> int:
    """The 64-bit hash newsqa gives a shingle (a space-joined token n-gram)."""
    s = _SHINGLE_SEED
    for tok in shingle.split(" "):
        s = ((s ^ _token_hash(tok)) * _SHINGLE_MULT) & _M64
    return _fmix64(s)


def shingle_hash32(shingle: str) -> int:
    """The 32-bit hash newsqa's MinHash uses for a shingle.

    Pass it to datasketch as ``hashfunc`` to get newsqa's signatures there:

    >>> import datasketch, newsqa
    >>> text = "Putin landed in the North Korean capital before dawn on Wednesday."
    >>> m = datasketch.MinHash(num_perm=128, seed=1, hashfunc=shingle_hash32)
    >>> m.update_batch(shingles(text))
    >>> bool((m.digest() == newsqa.signatures([text])[0]).all())
    True
    """
    return shingle_hash64(shingle) & 0xFFFFFFFF
