"""MinHash signatures from raw text, in compiled code.

The scheme is datasketch 2.0's ``affine32``: each shingle's 32-bit hash is
mixed with the MurmurHash3 finaliser, then permuted by ``a_k * x + b_k mod
2**32`` with ``a_k`` odd (a bijection), and the signature keeps the minimum
per permutation. ``a`` and ``b`` are drawn from ``numpy.random.RandomState``
exactly as datasketch draws them, so a newsqa signature equals

* ``datasketch.MinHash(num_perm, seed, hashfunc=newsqa.text.shingle_hash32)``
  fed :func:`newsqa.text.shingles` (the default, ``hash="fast"``), and
* ``datasketch.MinHash(num_perm, seed)`` (its default SHA-1 hash) fed the
  UTF-8 bytes of :func:`newsqa.text.shingles` (``hash="sha1"``, slow),

bit for bit. Signatures are ``uint32``: 512 bytes an article at 128
permutations, the width datasketch's default scheme stores.
"""

from __future__ import annotations

import hashlib
import struct
import sys
import unicodedata
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from . import _kernels as K
from ._unicode import load_tables
from .config import DEFAULT_NGRAM, DEFAULT_NUM_PERM, DedupConfig
from .errors import ConfigError, InputError
from .text import shingles

EMPTY_VALUE = np.uint32(0xFFFFFFFF)
# Documents handed to one kernel call: large enough to amortise the call,
# small enough that the joined string of a batch stays a few MB.
BATCH_DOCS = 2048


@lru_cache(maxsize=32)
def permutations(num_perm: int = DEFAULT_NUM_PERM, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """The ``(a, b)`` permutation parameters, drawn as datasketch draws them."""
    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    a.setflags(write=False)
    b.setflags(write=False)
    return a, b


@dataclass(frozen=True, slots=True)
class Sketches:
    """Signatures and per-text facts computed in the same pass.

    Attributes:
        signatures: ``(n, num_perm)`` uint32; an empty text's row is all
            ``0xFFFFFFFF``.
        n_shingles: Shingles per text (with repeats); 0 for a text with no
            tokens.
        text_hashes: 64-bit hash of the normalised token stream; equal for
            texts that are identical after normalisation.
        needs_nfkc: Texts that went through full ``unicodedata`` NFKC
            (they hold characters that compose); pass these texts through
            NFKC before any other kernel call.
    """

    signatures: np.ndarray
    n_shingles: np.ndarray
    text_hashes: np.ndarray
    needs_nfkc: np.ndarray

    @staticmethod
    def concat(parts: Sequence[Sketches]) -> Sketches:
        """The sketches of consecutive runs of texts, as one run's (``parts`` not empty)."""
        if len(parts) == 1:
            return parts[0]
        return Sketches(*(np.concatenate([getattr(p, f) for p in parts]) for f in Sketches.__slots__))


def _kind(s: str) -> int:
    # CPython stores a str as 1, 2 or 4 bytes per character. Joining texts of
    # one width is a memcpy; mixing widths converts. The width is read from
    # the object's size (header + (len + 1) * width), a constant-time test.
    if s.isascii():
        return 0
    return (sys.getsizeof(s) - _NONASCII_HEADER) // (len(s) + 1)


_NONASCII_HEADER = sys.getsizeof("\xe9") - 2


def _check_texts(texts: Sequence[str]) -> None:
    for i, t in enumerate(texts):
        if not isinstance(t, str):
            raise InputError(
                f"texts[{i}] is {type(t).__name__}, not str"
                + ("; decode bytes first, e.g. data.decode('utf-8')" if isinstance(t, (bytes, bytearray)) else "")
            )


def _run_batch(texts: list[str], rows: np.ndarray, strict: bool, cfg: DedupConfig, out, nsh, th, needs) -> None:
    cls, fk, fo, fd = load_tables()
    a, b = permutations(cfg.num_perm, cfg.seed)
    joined = "".join(texts)
    offsets = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum([len(t) for t in texts], out=offsets[1:])
    K.sketch_batch(joined, offsets, rows, cls, fk, fo, fd, strict, cfg.ngram, a, b, out, nsh, th, needs)


def _sha1_rows(texts: Sequence[str], cfg: DedupConfig, out: np.ndarray, nsh: np.ndarray) -> None:
    a, b = permutations(cfg.num_perm, cfg.seed)
    for i, t in enumerate(texts):
        sh = shingles(t, cfg.ngram)
        h = np.fromiter(
            (struct.unpack("<I", hashlib.sha1(x.encode("utf-8")).digest()[:4])[0] for x in sh),
            dtype=np.uint32,
            count=len(sh),
        )
        K.minhash_hashes(h, a, b, out, i)
        nsh[i] = len(sh)


def sketch(texts: Sequence[str], cfg: DedupConfig | None = None, n_jobs: int = 1) -> Sketches:
    """Signatures, shingle counts and text hashes of ``texts`` (see :class:`Sketches`)."""
    cfg = cfg or DedupConfig()
    texts = list(texts)
    _check_texts(texts)
    n = len(texts)
    out = np.full((n, cfg.num_perm), EMPTY_VALUE, dtype=np.uint32)
    nsh = np.zeros(n, dtype=np.int64)
    th = np.zeros(n, dtype=np.uint64)
    needs = np.zeros(n, dtype=np.bool_)
    # Group by storage width so each joined batch is a plain copy.
    groups: dict[int, list[int]] = {}
    for i, t in enumerate(texts):
        groups.setdefault(_kind(t), []).append(i)
    jobs: list[tuple[list[str], np.ndarray]] = []
    for idx in groups.values():
        for lo in range(0, len(idx), BATCH_DOCS):
            part = idx[lo : lo + BATCH_DOCS]
            jobs.append(([texts[i] for i in part], np.asarray(part, dtype=np.int64)))

    def run(job: tuple[list[str], np.ndarray]) -> None:
        _run_batch(job[0], job[1], True, cfg, out, nsh, th, needs)

    workers = max(1, min(n_jobs, len(jobs)))
    if workers == 1:
        for job in jobs:
            run(job)
    else:
        with ThreadPoolExecutor(workers) as pool:
            list(pool.map(run, jobs))
    redo = np.flatnonzero(needs)
    if redo.size:
        _run_batch([unicodedata.normalize("NFKC", texts[i]) for i in redo], redo, False, cfg, out, nsh, th, needs)
    if cfg.hash == "sha1":
        _sha1_rows(texts, cfg, out, nsh)
    return Sketches(out, nsh, th, needs)


def token_hashes(text: str) -> np.ndarray:
    """The kernel's 64-bit token hashes of one text (for tests and debugging).

    Equal to ``[newsqa.text._token_hash(t) for t in newsqa.text.tokens(text)]``.
    """
    cls, fk, fo, fd = load_tables()
    bufs = K.make_buffers(len(text))
    toks, n, status = K._tokenize_doc(text, 0, len(text), cls, fk, fo, fd, True, bufs)
    if status == K.NEEDS_NFKC_STATUS:
        text = unicodedata.normalize("NFKC", text)
        bufs = K.make_buffers(len(text))
        toks, n, status = K._tokenize_doc(text, 0, len(text), cls, fk, fo, fd, False, bufs)
    return toks[:n].copy()


def shingle_sequence(text: str, ngram: int = DEFAULT_NGRAM) -> np.ndarray:
    """The 64-bit hashes of ``text``'s shingles in text order, repeats included.

    Element ``i`` is ``newsqa.text.shingle_hash64`` of
    ``newsqa.text.shingles(text, ngram)[i]``, computed by the signature
    kernel (about 100× faster than building the shingle strings).

    >>> from newsqa.text import shingle_hash64, shingles
    >>> t = "Putin landed in the North Korean capital before dawn"
    >>> shingle_sequence(t, 5).tolist() == [shingle_hash64(x) for x in shingles(t, 5)]
    True
    """
    toks = token_hashes(text)
    return K.shingle_hashes(toks, toks.shape[0], ngram)


def shingle_sets(texts: Sequence[str], ngram: int, needs_nfkc: Sequence[bool] | None = None) -> list[np.ndarray]:
    """Exact shingle sets: one sorted array of unique 64-bit shingle hashes per text."""
    cls, fk, fo, fd = load_tables()
    prepared = [
        unicodedata.normalize("NFKC", t) if (needs_nfkc is None or needs_nfkc[i]) else t
        for i, t in enumerate(texts)
    ]
    if not prepared:
        return []
    offsets = np.zeros(len(prepared) + 1, dtype=np.int64)
    np.cumsum([len(t) for t in prepared], out=offsets[1:])
    data, starts = K.shingle_sets_batch("".join(prepared), offsets, cls, fk, fo, fd, ngram)
    return [data[starts[i] : starts[i + 1]] for i in range(len(prepared))]


def signatures(
    texts: Sequence[str],
    num_perm: int = DEFAULT_NUM_PERM,
    ngram: int = DEFAULT_NGRAM,
    seed: int = 1,
    *,
    n_jobs: int = 1,
    hash: str = "fast",
) -> np.ndarray:
    """MinHash signatures of raw texts: shingling included.

    Args:
        texts: The texts (``str``).
        num_perm: Signature length.
        ngram: Tokens per shingle.
        seed: Permutation seed (datasketch's ``seed``).
        n_jobs: Threads to use.
        hash: ``"fast"`` or ``"sha1"`` (datasketch's default hash; slow).

    Returns:
        ``(len(texts), num_perm)`` array of ``uint32``.

    Example:
        >>> sig = signatures(["Kim met Putin in Pyongyang on Wednesday.", "Kim met Putin in Pyongyang on Wednesday!"])
        >>> sig.shape, sig.dtype.name, bool((sig[0] == sig[1]).all())
        ((2, 128), 'uint32', True)
    """
    try:
        cfg = DedupConfig(num_perm=num_perm, ngram=ngram, seed=seed, hash=hash)  # type: ignore[arg-type]
    except ConfigError:
        raise
    if isinstance(texts, str):
        raise InputError("texts must be a sequence of str, not one str; wrap it: signatures([text])")
    return sketch(texts, cfg, n_jobs=n_jobs).signatures


def jaccard(sig_a: np.ndarray, sig_b: np.ndarray) -> float:
    """Estimated Jaccard similarity of two signatures (share of equal values).

    >>> s = signatures(["a b c d e f g", "a b c d e f h"], ngram=2)
    >>> round(jaccard(s[0], s[1]), 1)
    0.7
    """
    if sig_a.shape != sig_b.shape:
        raise ValueError(f"signatures differ in length: {sig_a.shape} vs {sig_b.shape}")
    return float(np.count_nonzero(sig_a == sig_b)) / sig_a.shape[-1]


def to_datasketch(signature_row: np.ndarray, seed: int = 1):
    """A ``datasketch.LeanMinHash`` holding a newsqa signature.

    Use it to put newsqa signatures into datasketch's ``MinHashLSH`` (memory,
    Redis or Cassandra storage). ``seed`` must be the seed the signature was
    made with.

    >>> from datasketch import MinHashLSH
    >>> sig = signatures(["one story", "another story entirely"])
    >>> lsh = MinHashLSH(threshold=0.8, num_perm=128)
    >>> lsh.insert("a", to_datasketch(sig[0]))
    >>> lsh.query(to_datasketch(sig[0]))
    ['a']
    """
    try:
        from datasketch import LeanMinHash
    except ImportError as exc:  # pragma: no cover - datasketch is a dependency
        raise ImportError("to_datasketch needs datasketch: pip install datasketch") from exc
    row = np.asarray(signature_row)
    if row.ndim != 1 or row.dtype != np.uint32:
        raise InputError(f"expected one signature row of uint32, got shape {row.shape} dtype {row.dtype}")
    return LeanMinHash(seed=seed, hashvalues=row, scheme="affine32")
