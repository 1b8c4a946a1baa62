"""Compiled kernels (numba): tokenise, shingle, hash and MinHash in one pass.

The kernels read Python ``str`` objects directly (no encode/copy) and fold
each code point through the shipped Unicode tables (see ``_unicode.py``),
which equals ``unicodedata.normalize("NFKC", text).casefold()`` for every
text in which no canonical composition can happen. When a text holds a code
point that can compose (combining marks, Hangul jamo), the kernel says so and
the caller passes the fully normalised text instead.

Hashing (all arithmetic wraps modulo 2**64 or 2**32):

* token: FNV-1a-style over the token's UTF-8 bytes read as 8-byte
  little-endian words (zero-padded; tokens hold no NUL);
* shingle: ``s = SHINGLE_SEED; s = (s ^ t_j) * SHINGLE_MULT`` over its tokens,
  then the MurmurHash3 64-bit finaliser; the low 32 bits feed MinHash;
* MinHash: datasketch 2.0's ``affine32`` scheme: ``x = fmix32(h32)`` then
  ``min_k (a_k * x + b_k) mod 2**32``, with ``a, b`` drawn exactly as
  datasketch draws them, so signatures equal
  ``datasketch.MinHash(hashfunc=newsqa.text.shingle_hash32)`` digests bit for bit.
"""

from __future__ import annotations

import sys

import numpy as np
from numba import njit
from numba.cpython.unicode import _get_code_point
from numba.cpython.unsafe.numbers import trailing_zeros

U64 = np.uint64
U32 = np.uint32

FNV_OFFSET = U64(0xCBF29CE484222325)
FNV_PRIME = U64(0x100000001B3)
SHINGLE_SEED = U64(0x9E3779B97F4A7C15)
SHINGLE_MULT = U64(0xBF58476D1CE4E5B9)
TEXT_SEED = U64(0x94D049BB133111EB)
M1_64 = U64(0xFF51AFD7ED558CCD)
M2_64 = U64(0xC4CEB9FE1A85EC53)
S33 = U64(33)
M1_32 = U32(0x85EBCA6B)
M2_32 = U32(0xC2B2AE35)
S16 = U32(16)
S13 = U32(13)
MASK32 = U64(0xFFFFFFFF)
MAX32 = U32(0xFFFFFFFF)

CLS_MASK = 3
SOLO = 2
WORD = 1
NEEDS_NFKC = 4
HAS_FOLD = 8
OK = 0
# ASCII letters and digits map to their lower-case byte, everything else to 0.
ASCII_FOLD = np.zeros(128, dtype=np.uint8)
for _c in range(128):
    if chr(_c).isalnum():
        ASCII_FOLD[_c] = ord(chr(_c).lower())
del _c
LOW7 = U64(0x7F7F7F7F7F7F7F7F)
HIGH1 = U64(0x8080808080808080)
# Multiplying eight 0/1 bytes by this gathers them into the top byte, bit i
# from byte i (checked for all 256 patterns in tests/test_kernels.py).
GATHER = U64(0x0102040810204080)
MAX64 = U64(0xFFFFFFFFFFFFFFFF)
# The fast tokenizer reads UTF-8 bytes as little-endian words.
FAST_PATH = sys.byteorder == "little"
NEEDS_NFKC_STATUS = 1
OVERFLOW = 2


@njit(cache=True, inline="always")
def fmix64(h):
    h ^= h >> S33
    h *= M1_64
    h ^= h >> S33
    h *= M2_64
    h ^= h >> S33
    return h


@njit(cache=True, inline="always")
def fmix32(h):
    # numba widens uint32 products to 64 bits: truncate after each multiply.
    h = U32(h ^ (h >> S16))
    h = U32(h * M1_32)
    h = U32(h ^ (h >> S13))
    h = U32(h * M2_32)
    return U32(h ^ (h >> S16))


@njit(cache=True)
def _fold_lookup(cp, fold_keys):
    lo = 0
    hi = fold_keys.shape[0]
    while lo < hi:
        mid = (lo + hi) >> 1
        if fold_keys[mid] < cp:
            lo = mid + 1
        else:
            hi = mid
    return lo


@njit(cache=True, inline="always")
def _put_byte(x, h, acc, nb):
    # Token hash: FNV-1a-style over the token's UTF-8 bytes taken 8 at a
    # time as little-endian words; one multiply per 8 bytes keeps the
    # dependency chain short (the per-byte FNV chain cost 4 cycles a byte).
    acc |= U64(x) << U64(nb << 3)
    nb += 1
    if nb == 8:
        h = (h ^ acc) * FNV_PRIME
        acc = U64(0)
        nb = 0
    return h, acc, nb


@njit(cache=True, inline="always")
def _put_cp(cp, h, acc, nb):
    if cp < 0x80:
        return _put_byte(cp, h, acc, nb)
    if cp < 0x800:
        h, acc, nb = _put_byte(0xC0 | (cp >> 6), h, acc, nb)
        return _put_byte(0x80 | (cp & 0x3F), h, acc, nb)
    if cp < 0x10000:
        h, acc, nb = _put_byte(0xE0 | (cp >> 12), h, acc, nb)
        h, acc, nb = _put_byte(0x80 | ((cp >> 6) & 0x3F), h, acc, nb)
        return _put_byte(0x80 | (cp & 0x3F), h, acc, nb)
    h, acc, nb = _put_byte(0xF0 | (cp >> 18), h, acc, nb)
    h, acc, nb = _put_byte(0x80 | ((cp >> 12) & 0x3F), h, acc, nb)
    h, acc, nb = _put_byte(0x80 | ((cp >> 6) & 0x3F), h, acc, nb)
    return _put_byte(0x80 | (cp & 0x3F), h, acc, nb)


@njit(cache=True, inline="always")
def _finish(h, acc, nb):
    if nb > 0:
        h = (h ^ acc) * FNV_PRIME
    return h


@njit(cache=True, nogil=True)
def tokenize_into(s, begin, end, cls, fold_keys, fold_offsets, fold_data, strict, out):
    """Write the token hashes of ``s[begin:end]`` into ``out``.

    Returns ``(n_tokens, status)``: ``OK``; ``NEEDS_NFKC_STATUS`` when
    ``strict`` and a code point that can compose was met (the caller passes
    the NFKC text instead); ``OVERFLOW`` when ``out`` was too small, which
    can happen only for code points that fold into several tokens (the
    caller retries with :func:`token_capacity` room). ``out`` must hold at
    least ``2 * (end - begin) + 1`` values: a code point outside folds
    emits at most two tokens (the word it ends and itself).
    """
    n = 0
    h = FNV_OFFSET
    acc = U64(0)
    nb = 0
    in_tok = False
    for i in range(begin, end):
        cp = _get_code_point(s, i)
        if cp < 128:
            v = ASCII_FOLD[cp]
            if v != 0:
                h, acc, nb = _put_byte(v, h, acc, nb)
                in_tok = True
            elif in_tok:
                out[n] = _finish(h, acc, nb)
                n += 1
                h = FNV_OFFSET
                acc = U64(0)
                nb = 0
                in_tok = False
            continue
        c = cls[cp]
        if strict and (c & NEEDS_NFKC):
            return n, NEEDS_NFKC_STATUS
        if c & HAS_FOLD:
            k = _fold_lookup(cp, fold_keys)
            start = fold_offsets[k]
            stop = fold_offsets[k + 1]
        else:
            start = -1
            stop = 0
        j = start
        while True:
            if start < 0:
                oc = cp
                oc_cls = c & CLS_MASK
            else:
                if j >= stop:
                    break
                if n + 2 > out.shape[0]:
                    return n, OVERFLOW
                oc = fold_data[j]
                oc_cls = cls[oc] & CLS_MASK
            if oc_cls == WORD:
                h, acc, nb = _put_cp(oc, h, acc, nb)
                in_tok = True
            else:
                if in_tok:
                    out[n] = _finish(h, acc, nb)
                    n += 1
                    h = FNV_OFFSET
                    acc = U64(0)
                    nb = 0
                    in_tok = False
                if oc_cls == SOLO:
                    h2, acc2, nb2 = _put_cp(oc, FNV_OFFSET, U64(0), 0)
                    out[n] = _finish(h2, acc2, nb2)
                    n += 1
            if start < 0:
                break
            j += 1
    if in_tok:
        out[n] = _finish(h, acc, nb)
        n += 1
    return n, OK


@njit(cache=True, inline="always")
def _put_utf8(buf, pos, cp):
    if cp < 0x80:
        buf[pos] = cp
        return pos + 1
    if cp < 0x800:
        buf[pos] = 0xC0 | (cp >> 6)
        buf[pos + 1] = 0x80 | (cp & 0x3F)
        return pos + 2
    if cp < 0x10000:
        buf[pos] = 0xE0 | (cp >> 12)
        buf[pos + 1] = 0x80 | ((cp >> 6) & 0x3F)
        buf[pos + 2] = 0x80 | (cp & 0x3F)
        return pos + 3
    buf[pos] = 0xF0 | (cp >> 18)
    buf[pos + 1] = 0x80 | ((cp >> 12) & 0x3F)
    buf[pos + 2] = 0x80 | ((cp >> 6) & 0x3F)
    buf[pos + 3] = 0x80 | (cp & 0x3F)
    return pos + 4


@njit(cache=True, inline="always")
def _load_word(b64, p):
    # Eight bytes starting at byte ``p`` of a little-endian uint64 view.
    q = p >> 3
    r = U64((p & 7) << 3)
    lo = b64[q] >> r
    hi = (b64[q + 1] << U64(1)) << (U64(63) - r)
    return lo | hi


@njit(cache=True, nogil=True, inline="never")
def _put_nonascii(cp, buf, pos, limit, cls, fold_keys, fold_offsets, fold_data, strict):
    """Pass 1 of :func:`tokenize_fast` for one non-ASCII code point.

    Kept out of line so the ASCII loop stays small. Returns the new
    position, or minus a status code.
    """
    c = cls[cp]
    if strict and (c & NEEDS_NFKC):
        return -NEEDS_NFKC_STATUS
    if c & HAS_FOLD:
        k = _fold_lookup(cp, fold_keys)
        start = fold_offsets[k]
        stop = fold_offsets[k + 1]
    else:
        start = -1
        stop = 0
    j = start
    while True:
        if start < 0:
            oc = cp
            oc_cls = c & CLS_MASK
        else:
            if j >= stop:
                break
            if pos + 6 > limit:
                return -OVERFLOW
            oc = fold_data[j]
            oc_cls = cls[oc] & CLS_MASK
        if oc_cls == WORD:
            pos = _put_utf8(buf, pos, oc)
        elif oc_cls == SOLO:
            buf[pos] = 0
            pos = _put_utf8(buf, pos + 1, oc)
            buf[pos] = 0
            pos += 1
        else:
            buf[pos] = 0
            pos += 1
        if start < 0:
            break
        j += 1
    return pos


@njit(cache=True, nogil=True)
def tokenize_fast(s, begin, end, cls, fold_keys, fold_offsets, fold_data, strict, buf, starts, out):
    """The same tokens as :func:`tokenize_into`, faster on mostly-ASCII text.

    Word boundaries are unpredictable branches, so this avoids branching on
    them. Pass 1 writes the folded text as UTF-8 into ``buf`` with every
    separator as a 0 byte and every solo character between 0 bytes, so the
    tokens are exactly the runs of non-zero bytes. Pass 2 finds the runs
    64 bytes at a time with bit tricks and hashes each token eight bytes at
    a time. Sizes: ``buf`` at least :func:`fast_buffer_size` bytes, ``out``
    ``2 * (end - begin) + 1`` entries; ``starts`` is unused scratch kept for
    the signature's stability.
    Returns ``(n_tokens, status)`` as :func:`tokenize_into` does.
    """
    pos = 0
    limit = buf.shape[0] - 88
    i = begin
    while i < end:
        # A tight loop over a run of ASCII; the rare non-ASCII code point is
        # handled out of line, outside it (a call inside the loop body made
        # the whole loop three times slower through register spills).
        cp = 0
        while i < end:
            cp = _get_code_point(s, i)
            if cp >= 128:
                break
            buf[pos] = ASCII_FOLD[cp]
            pos += 1
            i += 1
        if i >= end:
            break
        pos = _put_nonascii(cp, buf, pos, limit, cls, fold_keys, fold_offsets, fold_data, strict)
        if pos < 0:
            return 0, -pos
        i += 1
    # Zero the tail so that whole 64-byte blocks (and one word past) read
    # clean. The blocks must reach past ``pos`` itself: a token ending
    # exactly at a block boundary is closed by the zero byte after it.
    tail = ((pos + 64) // 64) * 64 + 8
    for q in range(pos, tail):
        buf[q] = 0
    b64 = buf.view(np.uint64)
    # Pass 2 and 3: token edges are where the non-zero mask changes; starts
    # and ends alternate, so one loop over the edge bits hashes each token
    # as its end is found.
    n = 0
    carry = U64(0)
    in_tok = False
    tok_start = 0
    for blk in range(0, tail - 8, 64):
        m = U64(0)
        w0 = blk >> 3
        for k in range(8):
            x = b64[w0 + k]
            t = (((x & LOW7) + LOW7) | x) & HIGH1
            m |= (((t >> U64(7)) * GATHER) >> U64(56)) << U64(8 * k)
        edges = m ^ ((m << U64(1)) | carry)
        carry = m >> U64(63)
        while edges:
            p = blk + trailing_zeros(edges)
            edges &= edges - U64(1)
            if not in_tok:
                tok_start = p
                in_tok = True
                continue
            in_tok = False
            q = tok_start
            length = p - q
            h = FNV_OFFSET
            while length > 8:
                h = (h ^ _load_word(b64, q)) * FNV_PRIME
                q += 8
                length -= 8
            w64 = _load_word(b64, q) & (MAX64 >> U64(64 - (length << 3)))
            out[n] = (h ^ w64) * FNV_PRIME
            n += 1
    return n, OK


@njit(cache=True, nogil=True)
def fast_buffer_size(n_code_points):
    # Six bytes per code point at most outside folds (a solo character in
    # four UTF-8 bytes between two zeros), plus the zeroed tail (at most
    # 64 + 8 bytes past the text) and the 88 bytes of headroom for folds.
    return ((6 * n_code_points + 160) // 8) * 8


@njit(cache=True, inline="always")
def _shingle_at(tokens, i, width):
    s = SHINGLE_SEED
    for j in range(i, i + width):
        s = (s ^ tokens[j]) * SHINGLE_MULT
    return fmix64(s)


@njit(cache=True, nogil=True)
def n_shingles(n_tokens, ngram):
    if n_tokens == 0:
        return 0
    if n_tokens < ngram:
        return 1
    return n_tokens - ngram + 1


@njit(cache=True, nogil=True)
def shingle_hashes(tokens, n_tokens, ngram):
    """64-bit hashes of every shingle (with repeats), in text order."""
    m = n_shingles(n_tokens, ngram)
    out = np.empty(m, dtype=np.uint64)
    width = min(ngram, n_tokens)
    for i in range(m):
        out[i] = _shingle_at(tokens, i, width)
    return out


@njit(cache=True, nogil=True)
def text_hash(tokens, n_tokens):
    """Order-sensitive 64-bit hash of the whole token stream (exact duplicates)."""
    s = TEXT_SEED ^ U64(n_tokens)
    for i in range(n_tokens):
        s = (s ^ tokens[i]) * SHINGLE_MULT
    return fmix64(s)


@njit(cache=True, nogil=True)
def _minhash_reduce(xs, n, a, b, out, row):
    # Permutations outer, shingles inner: a min-reduction over a contiguous
    # array, which LLVM vectorises (the shingle-outer order does not, since
    # it cannot prove the signature row and the permutation arrays disjoint).
    k = a.shape[0]
    for p in range(k):
        ap = a[p]
        bp = b[p]
        m = MAX32
        for i in range(n):
            m = min(m, U32(ap * xs[i] + bp))
        out[row, p] = m


@njit(cache=True, nogil=True)
def minhash_tokens(tokens, n_tokens, ngram, a, b, out, row, xs):
    """Write the MinHash of the token stream's shingles into ``out[row]``.

    ``xs`` is scratch space of at least ``n_tokens`` uint32. Returns the
    number of shingles (with repeats).
    """
    m = n_shingles(n_tokens, ngram)
    width = min(ngram, n_tokens)
    for i in range(m):
        xs[i] = fmix32(U32(_shingle_at(tokens, i, width) & MASK32))
    _minhash_reduce(xs, m, a, b, out, row)
    return m


@njit(cache=True, nogil=True)
def _tokenize_doc(s, begin, end, cls, fold_keys, fold_offsets, fold_data, strict, bufs):
    """Tokenise one document with :func:`tokenize_fast`, falling back to
    :func:`tokenize_into` in a large enough buffer when a fold overflows."""
    buf, starts, tokens = bufs
    length = end - begin
    if FAST_PATH and fast_buffer_size(length) <= buf.shape[0]:
        n, status = tokenize_fast(s, begin, end, cls, fold_keys, fold_offsets, fold_data, strict,
                                  buf, starts, tokens)
        if status != OVERFLOW:
            return tokens, n, status
    n, status = tokenize_into(s, begin, end, cls, fold_keys, fold_offsets, fold_data, strict, tokens)
    if status != OVERFLOW:
        return tokens, n, status
    big = np.empty(token_capacity(length), dtype=np.uint64)
    n, status = tokenize_into(s, begin, end, cls, fold_keys, fold_offsets, fold_data, strict, big)
    return big, n, status


@njit(cache=True, nogil=True)
def make_buffers(longest):
    """Scratch space for documents of up to ``longest`` code points."""
    return (np.zeros(fast_buffer_size(longest), dtype=np.uint8), np.empty(2 * (2 * longest + 1), dtype=np.int64),
            np.empty(2 * longest + 1, dtype=np.uint64))


@njit(cache=True, nogil=True)
def sketch_batch(s, offsets, rows, cls, fold_keys, fold_offsets, fold_data, strict, ngram, a, b,
                 out, n_shingles_out, text_hash_out, needs_nfkc_out):
    """Sketch the documents ``s[offsets[d]:offsets[d+1]]`` into ``out[rows[d]]``.

    Documents that need full NFKC normalisation (``strict`` only) get
    ``needs_nfkc_out[rows[d]] = True`` and are left for the caller.
    """
    n_docs = offsets.shape[0] - 1
    longest = 0
    for d in range(n_docs):
        longest = max(longest, offsets[d + 1] - offsets[d])
    bufs = make_buffers(longest)
    xs = np.empty(2 * longest + 1, dtype=np.uint32)
    for d in range(n_docs):
        row = rows[d]
        toks, n, status = _tokenize_doc(s, offsets[d], offsets[d + 1], cls, fold_keys, fold_offsets, fold_data,
                                        strict, bufs)
        if status == NEEDS_NFKC_STATUS:
            needs_nfkc_out[row] = True
            continue
        scratch = xs if n <= xs.shape[0] else np.empty(n, dtype=np.uint32)
        n_shingles_out[row] = minhash_tokens(toks, n, ngram, a, b, out, row, scratch)
        text_hash_out[row] = text_hash(toks, n)


@njit(cache=True, nogil=True)
def shingle_sets_batch(s, offsets, cls, fold_keys, fold_offsets, fold_data, ngram):
    """Sorted unique 64-bit shingle hashes of each document (NFKC text).

    Returns ``(data, starts)``: document ``d``'s set is
    ``data[starts[d]:starts[d+1]]``.
    """
    n_docs = offsets.shape[0] - 1
    sets = []
    total = 0
    longest = 0
    for d in range(n_docs):
        longest = max(longest, offsets[d + 1] - offsets[d])
    bufs = make_buffers(longest)
    for d in range(n_docs):
        toks, n, _ = _tokenize_doc(s, offsets[d], offsets[d + 1], cls, fold_keys, fold_offsets, fold_data,
                                   False, bufs)
        u = sorted_unique(shingle_hashes(toks, n, ngram))
        sets.append(u)
        total += u.shape[0]
    data = np.empty(total, dtype=np.uint64)
    starts = np.zeros(n_docs + 1, dtype=np.int64)
    pos = 0
    for d in range(n_docs):
        u = sets[d]
        data[pos:pos + u.shape[0]] = u
        pos += u.shape[0]
        starts[d + 1] = pos
    return data, starts


# The longest casefold(NFKC(c)) of one code point is 18 code points
# (U+FDFA); each can end a word and be a token of its own.
MAX_FOLD = 18


@njit(cache=True, nogil=True)
def token_capacity(n_code_points):
    return 2 * n_code_points * MAX_FOLD + 1


@njit(cache=True, nogil=True)
def minhash_hashes(h32, a, b, out, row):
    """MinHash of ready-made 32-bit shingle hashes (the ``hash="sha1"`` path)."""
    k = a.shape[0]
    sig = np.full(k, MAX32, dtype=np.uint32)
    for i in range(h32.shape[0]):
        x = fmix32(h32[i])
        for p in range(k):
            sig[p] = min(sig[p], U32(a[p] * x + b[p]))
    for p in range(k):
        out[row, p] = sig[p]


@njit(cache=True, nogil=True)
def sorted_unique(x):
    y = np.sort(x)
    n = y.shape[0]
    if n == 0:
        return y
    m = 1
    for i in range(1, n):
        if y[i] != y[m - 1]:
            y[m] = y[i]
            m += 1
    return y[:m]


@njit(cache=True, nogil=True)
def intersect_count(x, y):
    """Size of the intersection of two sorted unique arrays."""
    i = 0
    j = 0
    c = 0
    while i < x.shape[0] and j < y.shape[0]:
        if x[i] < y[j]:
            i += 1
        elif x[i] > y[j]:
            j += 1
        else:
            c += 1
            i += 1
            j += 1
    return c
