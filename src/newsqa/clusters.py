"""Near-duplicate clusters: exact groups, LSH candidates, verification, union-find.

The pipeline (all in a canonical order, articles sorted by id, so the input
order never changes a result):

1. sketch every text (:mod:`newsqa.minhash`);
2. group texts that are identical after normalisation (``exact``);
3. LSH over one text per exact group, with (bands, rows) chosen for the
   threshold (:func:`newsqa.lsh.optimal_params`), leader-based star edges;
4. verify candidates: exact shingle Jaccard (``verify="exact"``) or the
   signature estimate (``verify="signature"``);
5. containment: a second banding of two rows per band finds pages that
   embed an article among other text; each such page is attached to the
   one article it contains most of, so a page holding two stories never
   merges their clusters;
6. union-find; each cluster's representative is its original, chosen on
   all the evidence (:func:`_choose_original`: attribution in the text,
   dates with a tolerance, URL, containment direction on the text without
   boilerplate, length last) and recorded in ``Cluster.original_by``.
   Each member's relation and similarity are measured against the
   representative itself; a later member of a source already in the
   cluster is an ``update`` (with ``sources=``).
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from numba import njit

from . import _kernels as K
from .attribution import (
    Attribution,
    attributions,
    corpus_aliases,
    name_keys,
    names_match,
)
from .config import DedupConfig
from .lsh import (
    CONTAINMENT_ROWS,
    _equal_count,
    candidate_pairs,
    min_equal_for,
    optimal_params,
    sorted_unique,
)
from .minhash import Sketches, jaccard, shingle_sequence, shingle_sets, sketch
from .model import Cluster
from .text import tokens

# Candidate test before exact verification: keep pairs whose signature
# estimate is within this many standard errors below the threshold, so
# the estimate's noise (sd 0.035 at J=0.8, k=128) costs no recall. Three
# standard errors lose 0.13% of pairs sitting exactly at the threshold.
VERIFY_MARGIN_SD = 3.0
# Containment candidates: the estimate of containment from Jaccard and set
# sizes is noisier (sd about 0.1 at J=0.3); keep pairs down to this much
# below the containment threshold for exact verification.
CONTAINMENT_MARGIN = 0.3
# A containment bucket pairs each member with at most this many earlier ones.
CONTAINMENT_CAP = 16
# What one item of clustering's per-item steps costs, in microseconds (one
# process, bench_e2e's 2,100 real articles of ~840 words): an exact overlap
# (two shingle sets, 1,305 pairs in 54 ms), a skeleton's sketch (2,100 in
# 82 ms), a cluster member's share of choosing originals and relations
# (2,100 members in 0.45 s). They weigh the items for map_parts, which
# decides from them whether worker processes pay.
OVERLAP_COST_US = 42
SKELETON_COST_US = 40
MEMBER_COST_US = 210
# Containment candidates estimated and filtered per batch (bounds the
# estimate's temporaries: about 80 bytes a pair).
CONTAINMENT_BATCH = 1_000_000
# Candidate pairs verified exactly per chunk (bounds the shingle sets held).
VERIFY_CHUNK = 20_000
# ... and shingles whose sets are held at once, whatever the pair count: a
# corpus of many copies of long articles otherwise holds 20,000 pairs'
# worth of long sets (40k real 5 KB articles, 90% copies: 1.35 GB peak with
# 20,000-member batches). 4 million shingles are 32 MB of sets plus the
# kernel's working arrays, about 4,700 articles of 850 words.
VERIFY_MAX_SHINGLES = 4_000_000
# Skeleton linking (DSpin-style, see newsqa.skeleton): two texts whose
# skeleton 5-gram sets have at least this Jaccard are one story, one of them
# spun. On 300 BuzzFeed-Webis articles spun by a WordNet spinner, spun
# copies scored 0.75-1.0 (20% of content words replaced) and 0.52 at the
# minimum with 80% replaced, while unrelated pairs stayed below 0.034: 0.5
# sits between with a wide margin on the unrelated side.
SKELETON_THRESHOLD = 0.5
SKELETON_NGRAM = 5
# Skeletons shorter than this many shingles (about 40 words of prose, or a
# non-English text, whose skeleton holds only names and numbers) are not
# linked: short skeletons of different stories can agree by chance.
MIN_SKELETON_SHINGLES = 20
# ... and only between texts of about one length: a spinner's copy keeps the
# length of its original (skeleton sizes within 0.9-1.0 in the measurement
# above), while a page that embeds an article among other text (40-60% more,
# the containment case) or holds two stories has a skeleton about twice as
# long, and must never bridge two stories.
SKELETON_SIZE_RATIO = 0.8


@dataclass(frozen=True, slots=True)
class ClusterResult:
    """Clusters plus per-article facts the rest of the pipeline reuses."""

    clusters: tuple[Cluster, ...]
    cluster_of: dict[str, str]
    sketches: Sketches  # in canonical order (articles sorted by id)
    order: np.ndarray  # canonical position -> input position


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = np.arange(n, dtype=np.int64)

    def find(self, x: int) -> int:
        p = self.parent
        root = x
        while p[root] != root:
            root = p[root]
        while p[x] != root:
            p[x], x = root, p[x]
        return int(root)

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            lo, hi = min(ra, rb), max(ra, rb)
            self.parent[hi] = lo


def _set_jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Exact Jaccard of two sorted shingle-hash sets."""
    it = K.intersect_count(a, b)
    return it / max(a.shape[0] + b.shape[0] - it, 1)


def _unspun_jaccard(unspun_text: str, other: str, ngram: int) -> float:
    return _set_jaccard(*shingle_sets([unspun_text, other], ngram))


def _map_here(
    func: Callable[[Any, list[Any]], list[Any]], shared: Any, items: list[Any], weights: Sequence[int] | int = 1
) -> list[Any]:
    """The default ``map_parts`` of :func:`cluster_texts`: every item in this process."""
    return func(shared, items)


def _sketch_skeletons(shared: tuple[Sequence[str], DedupConfig], positions: list[int]) -> list[Sketches]:
    """Sketches of the skeletons of the texts at ``positions`` (``shared``: the texts and the
    skeletons' config), VERIFY_CHUNK texts at a time, so the skeletons of a whole corpus are
    never held at once: a ``map_parts`` function (a list of parts)."""
    from .skeleton import skeleton

    texts, scfg = shared
    return [
        sketch([skeleton(texts[i]) for i in positions[lo : lo + VERIFY_CHUNK]], scfg)
        for lo in range(0, len(positions), VERIFY_CHUNK)
    ]


def _link_skeletons(
    texts: Sequence[str],
    valid: np.ndarray,
    cfg: DedupConfig,
    uf: _UnionFind,
    map_parts: Callable[..., list[Any]] = _map_here,
) -> set[int]:
    """Join texts whose spinner-invariant skeletons match (DSpin-style).

    Returns the positions of the texts that were linked this way.
    """
    from .skeleton import skeleton

    scfg = replace(cfg, ngram=SKELETON_NGRAM, threshold=SKELETON_THRESHOLD, bands=None, rows=None)
    parts = map_parts(_sketch_skeletons, (texts, scfg), valid.tolist(), SKELETON_COST_US)
    sk = Sketches.concat(parts) if parts else sketch([], scfg)
    ok = np.flatnonzero(sk.n_shingles >= MIN_SKELETON_SHINGLES)
    if ok.size < 2:
        return set()
    bands, rows = optimal_params(SKELETON_THRESHOLD, cfg.num_perm)
    min_eq = min_equal_for(SKELETON_THRESHOLD, cfg.num_perm, VERIFY_MARGIN_SD)
    pairs = candidate_pairs(sk.signatures, bands, rows, idx=ok, min_equal=min_eq)
    if not pairs.size:
        return set()
    pairs = ok[pairs]  # positions in ``ok`` -> positions in ``valid``
    todo = [(int(a), int(b)) for a, b in pairs if uf.find(int(valid[a])) != uf.find(int(valid[b]))]
    if not todo:
        return set()
    docs = sorted({d for p in todo for d in p})
    skel = [skeleton(texts[int(valid[d])]) for d in docs]  # again, only for the candidates
    sets = dict(zip(docs, shingle_sets(skel, SKELETON_NGRAM, sk.needs_nfkc[docs])))
    linked: set[int] = set()
    for a, b in todo:
        sa, sb = sets[a], sets[b]
        if min(sa.shape[0], sb.shape[0]) < SKELETON_SIZE_RATIO * max(sa.shape[0], sb.shape[0]):
            continue
        if _set_jaccard(sa, sb) >= SKELETON_THRESHOLD - 1e-12:
            uf.union(int(valid[a]), int(valid[b]))
            linked.update((int(valid[a]), int(valid[b])))
    return linked


def _rarities(group: Sequence[int], texts: Sequence[str]) -> dict[int, float]:
    from .skeleton import word_rarity

    return {d: round(word_rarity(texts[d]), 6) for d in group}


def _skeleton_set(text: str) -> np.ndarray:
    """The skeleton shingle set of ``text`` (see :mod:`newsqa.skeleton`)."""
    from .skeleton import skeleton

    return shingle_sets([skeleton(text)], SKELETON_NGRAM)[0]


class TextsByKey(Mapping[int, str]):
    """Texts by integer key, read from a sequence of texts by position on demand.

    ``texts`` may be a spill file (``newsqa.pipeline.TextStore``): only the
    keys and positions are held (16 bytes a text), so a corpus whose texts
    are nearly all spun does not hold every unspun text at once.

    >>> m = TextsByKey(np.array([7, 3]), ["seven", "three"], np.array([0, 1]))
    >>> sorted(m), m[3], 5 in m
    ([3, 7], 'three', False)
    """

    def __init__(self, keys: np.ndarray, texts: Sequence[str], positions: np.ndarray) -> None:
        order = np.argsort(keys, kind="stable")
        self._keys = np.asarray(keys, dtype=np.int64)[order]
        self._pos = np.asarray(positions, dtype=np.int64)[order]
        self._texts = texts

    @classmethod
    def of(cls, texts: Mapping[int, str]) -> TextsByKey:
        """``texts`` as a :class:`TextsByKey` (itself if it is one)."""
        if isinstance(texts, TextsByKey):
            return texts
        values = list(texts.values())
        return cls(np.fromiter(texts.keys(), dtype=np.int64, count=len(values)), values, np.arange(len(values)))

    def rekeyed(self, new_key: np.ndarray) -> TextsByKey:
        """The same texts under the keys ``new_key[old key]``."""
        return TextsByKey(new_key[self._keys], self._texts, self._pos)

    def _find(self, key: object) -> int:
        if not isinstance(key, (int, np.integer)):
            return -1
        i = int(np.searchsorted(self._keys, key))
        return i if i < self._keys.shape[0] and self._keys[i] == key else -1

    def __getitem__(self, key: int) -> str:
        i = self._find(key)
        if i < 0:
            raise KeyError(key)
        return self._texts[int(self._pos[i])]

    def __contains__(self, key: object) -> bool:
        return self._find(key) >= 0

    def __iter__(self) -> Iterator[int]:
        return iter(self._keys.tolist())

    def __len__(self) -> int:
        return int(self._keys.shape[0])


def _link_spun(
    spun_of: Mapping[int, str],
    uniq: np.ndarray,
    sigs: np.ndarray,
    texts: Sequence[str],
    needs: np.ndarray,
    cfg: DedupConfig,
    bands: int,
    rows: int,
    min_eq: int,
    uf: _UnionFind,
    pairs_fn: Callable[..., np.ndarray] = candidate_pairs,
) -> None:
    """Join spun articles to the texts their unspun form duplicates.

    The unspun texts are sketched :data:`VERIFY_CHUNK` at a time, straight
    into their rows of the combined signature matrix (never all held)."""
    docs = sorted(spun_of)
    m = len(uniq)
    combined = np.empty((m + len(docs), sigs.shape[1]), dtype=sigs.dtype)
    np.take(sigs, uniq, axis=0, out=combined[:m])
    for lo in range(0, len(docs), VERIFY_CHUNK):
        part = sketch([spun_of[d] for d in docs[lo : lo + VERIFY_CHUNK]], cfg).signatures
        combined[m + lo : m + lo + part.shape[0]] = part
    alt_signatures = combined[m:]
    pairs = pairs_fn(combined, bands, rows, min_equal=min_eq)
    for a, b in pairs:
        a, b = int(a), int(b)
        if (a >= m) == (b >= m):
            continue  # both original texts (already linked) or both unspun
        spun_pos, other_pos = (a, b) if a >= m else (b, a)
        doc = docs[spun_pos - m]
        other = int(uniq[other_pos])
        if other == doc:
            continue
        if cfg.verify == "exact":
            ok = _unspun_jaccard(spun_of[doc], texts[other], cfg.ngram) >= cfg.threshold
        else:
            ok = jaccard(alt_signatures[spun_pos - m], sigs[other]) >= cfg.threshold
        if ok:
            uf.union(doc, other)


@njit(cache=True, nogil=True)
def _equal_counts(sigs, pairs):
    out = np.empty(pairs.shape[0], dtype=np.int64)
    for i in range(pairs.shape[0]):
        out[i] = _equal_count(sigs, pairs[i, 0], pairs[i, 1])
    return out


def _pair_chunks(pairs: np.ndarray, sizes: np.ndarray) -> list[tuple[int, int]]:
    """Consecutive ``(lo, hi)`` runs of pairs, each at most VERIFY_CHUNK pairs
    whose endpoints hold at most VERIFY_MAX_SHINGLES shingles (counted per
    endpoint, so a shared article counts twice: a safe bound); at least one
    pair each."""
    cost = np.cumsum(sizes[pairs[:, 0]] + sizes[pairs[:, 1]])
    out = []
    lo = 0
    n = pairs.shape[0]
    while lo < n:
        base = int(cost[lo - 1]) if lo else 0
        hi = int(np.searchsorted(cost, base + VERIFY_MAX_SHINGLES, side="right"))
        hi = max(lo + 1, min(hi, lo + VERIFY_CHUNK, n))
        out.append((lo, hi))
        lo = hi
    return out


def _exact_overlap(
    texts: Sequence[str], needs: np.ndarray, pairs: np.ndarray, ngram: int, sizes: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Exact ``(|A ∩ B|, |A|, |B|)`` of shingle sets for each pair (``sizes``:
    each text's shingle count, which bounds the sets held at once)."""
    inter = np.zeros(pairs.shape[0], dtype=np.int64)
    size_a = np.zeros(pairs.shape[0], dtype=np.int64)
    size_b = np.zeros(pairs.shape[0], dtype=np.int64)
    for lo, hi in _pair_chunks(pairs, sizes):
        chunk = pairs[lo:hi]
        docs = sorted_unique(chunk.ravel())
        sets = shingle_sets([texts[d] for d in docs], ngram, needs[docs])
        where = {int(d): i for i, d in enumerate(docs)}
        for k, (a, b) in enumerate(chunk):
            sa, sb = sets[where[int(a)]], sets[where[int(b)]]
            inter[lo + k] = K.intersect_count(sa, sb)
            size_a[lo + k] = sa.shape[0]
            size_b[lo + k] = sb.shape[0]
    return inter, size_a, size_b


def _overlap_parts(
    shared: tuple[Sequence[str], np.ndarray, int, np.ndarray], pairs: Any
) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """:func:`_exact_overlap` of some pairs (``shared``: texts, NFKC flags, n-gram, sizes): a
    ``map_parts`` function (a list of one part)."""
    texts, needs, ngram, sizes = shared
    pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    return [_exact_overlap(texts, needs, pairs, ngram, sizes)] if pairs.shape[0] else []


def _mapped_overlap(
    map_parts: Callable[..., list[Any]],
    texts: Sequence[str],
    needs: np.ndarray,
    pairs: np.ndarray,
    ngram: int,
    sizes: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`_exact_overlap` of every pair, the pairs in parts through ``map_parts``."""
    parts = map_parts(_overlap_parts, (texts, needs, ngram, sizes), pairs, OVERLAP_COST_US)
    if not parts:
        return tuple(np.zeros(0, dtype=np.int64) for _ in range(3))  # type: ignore[return-value]
    return tuple(np.concatenate([p[i] for p in parts]) for i in range(3))  # type: ignore[return-value]


def _published_key(value: _dt.datetime | None) -> tuple[int, float]:
    if value is None:
        return (1, 0.0)
    if value.tzinfo is None:
        value = value.replace(tzinfo=_dt.timezone.utc)
    return (0, value.timestamp())


class _Reordered(Sequence[str]):
    """``texts`` seen in another order, without copying them (lazy text stores)."""

    def __init__(self, texts: Sequence[str], order: np.ndarray) -> None:
        self._texts, self._order = texts, order

    def __len__(self) -> int:
        return int(self._order.shape[0])

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        return self._texts[int(self._order[i])]


def _reorder_sketches(sk: Sketches, order: np.ndarray) -> Sketches:
    if np.array_equal(order, np.arange(order.shape[0])):  # already in id order: no copy
        return sk
    return Sketches(sk.signatures[order], sk.n_shingles[order], sk.text_hashes[order], sk.needs_nfkc[order])


class _BatchedSets:
    """Exact shingle sets of cluster members, computed a batch of whole clusters
    at a time (up to VERIFY_CHUNK members or VERIFY_MAX_SHINGLES shingles, or
    one cluster), as the clusters are visited in order."""

    def __init__(
        self, groups: Sequence[Sequence[int]], texts: Sequence[str], needs: np.ndarray, ngram: int, sizes: np.ndarray
    ) -> None:
        self._texts, self._needs, self._ngram = texts, needs, ngram
        self._batches: list[list[int]] = []
        self._batch_of: dict[int, int] = {}
        cur: list[int] = []
        held = 0
        for g in groups:
            size = int(sizes[list(g)].sum())
            if cur and (len(cur) + len(g) > VERIFY_CHUNK or held + size > VERIFY_MAX_SHINGLES):
                self._batches.append(cur)
                cur, held = [], 0
            cur.extend(g)
            held += size
        if cur:
            self._batches.append(cur)
        for b, docs in enumerate(self._batches):
            for d in docs:
                self._batch_of[d] = b
        self._loaded = -1
        self._sets: dict[int, np.ndarray] = {}

    def __getitem__(self, d: int) -> np.ndarray:
        b = self._batch_of[d]
        if b != self._loaded:
            self._sets = {}
            docs = sorted(self._batches[b])
            for doc, s in zip(docs, shingle_sets([self._texts[x] for x in docs], self._ngram, self._needs[docs])):
                self._sets[doc] = s
            self._loaded = b
        return self._sets[d]


# -- originals ------------------------------------------------------------------

#: Publication dates closer than this are not told apart by date alone:
#: scraped dates are often the day only, in an unknown time zone, or the
#: day a page was captured (seed 004 carries its capture date). A copy
#: published one to three days later (the aggregator case) is still told
#: by date from two days on; nearer, the text's own evidence decides.
DATE_TOLERANCE = _dt.timedelta(days=1)
#: The containment step compares at most this many candidates pairwise.
MAX_CONTAINMENT_CANDIDATES = 12
#: A text holds another when the other has at most this share of its
#: shingles outside it (and less than half as many as the holder has
#: outside the other): otherwise each has text the other lacks (an edit),
#: and containment says nothing about which came first.
SAME_TEXT_EXTRA = 0.1
#: The container's extra text is chrome (menus, share buttons, teasers,
#: footers) when, after its boilerplate lines are removed, less than this
#: share of the contained article's shingles remains.
CHROME_RESIDUE = 0.05
#: Lines shorter than this many words are not story prose (a headline, a
#: "Comments are closed." line, a menu the boilerplate signal missed).
CORE_LINE_WORDS = 8
#: Less extra prose than this share of the contained text (a sentence or
#: a paragraph) means the contained text lost it (dropped or truncated):
#: copies drop text more often than they add prose of their own, and what
#: they add is mostly chrome.
PROSE_EXTRA = 0.2
#: ... and the extra prose continues the contained story (an excerpt of a
#: fuller story) when the paragraph holding the end of the contained text
#: goes on past it by at least CONTINUE_SHINGLES shingles (an excerpt cut
#: inside a paragraph; an aggregator puts other stories in blocks of their
#: own), or, at a paragraph boundary, when at least CONTINUATION_OVERLAP of
#: the extra prose's distinct content words (four letters or more) occur
#: in the contained text. That overlap is a weak signal: on 300 BuzzFeed-
#: Webis articles cut at 60%, the rest of the same story shares a median
#: 0.26 (5th percentile 0.16) with the first part, another article's end a
#: median 0.11 (95th percentile 0.24, max 0.44).
CONTINUE_SHINGLES = 5
CONTINUATION_OVERLAP = 0.25
#: The contained text starts the container's story (an excerpt) when the
#: container's prose before it is under this share of the contained text.
EXCERPT_LEAD = 0.1
_CONTENT_WORD = re.compile(r"[^\W\d_]{4,}")


#: A page declares itself a copy only with an attribution line among its
#: first or last this many non-empty lines (where syndication credits
#: stand); a "Source: Census Bureau" caption inside an article says
#: nothing about the article.
EDGE_LINES = 3


def _at_edge(text: str, a: Attribution) -> bool:
    """Whether ``a`` stands among the first or last :data:`EDGE_LINES` non-empty lines."""
    for part in (text[: a.start], text[a.end :]):
        n = 0
        for line in part.split("\n"):
            if line.strip():
                n += 1
                if n >= EDGE_LINES:
                    break
        if n < EDGE_LINES:
            return True
    return False


def _attribution_edges(
    g: Sequence[int],
    texts: Sequence[str],
    atts: Mapping[int, tuple[Attribution, ...]],
    c_src: Sequence[str | None],
    c_url: Sequence[str | None],
    aliases: Mapping[str, frozenset[str]],
) -> tuple[set[int], set[int], set[int]]:
    """Who credits whom in a cluster.

    Returns ``(credited, crediting, declared)``: members whose source or
    host another member's attribution names; members naming another
    member's source; members whose text declares it a copy of an outlet
    that is not their own source (named in the cluster or not). Members
    are looked up by normalised key, so a large cluster costs a pass over
    its members, not a pass per pair.
    """
    own: dict[int, frozenset[str]] = {}
    by_key: dict[str, set[int]] = {}
    for e in g:
        keys = name_keys(c_src[e], aliases) | name_keys(c_url[e], aliases)
        own[e] = keys
        for k in keys:
            by_key.setdefault(k, set()).add(e)
    credited: set[int] = set()
    crediting: set[int] = set()
    declared: set[int] = set()
    for d in g:
        for a in atts[d]:
            keys = name_keys(a.outlet, aliases)
            if not keys or keys & own[d]:
                continue  # names no one, or the member's own source
            if a.declares_copy and _at_edge(texts[d], a):
                declared.add(d)
            for k in keys:
                for e in by_key.get(k, ()):
                    if e != d and not (c_src[e] is not None and c_src[e] == c_src[d]):
                        credited.add(e)
                        crediting.add(d)
    return credited, crediting, declared


def _core_text(text: str) -> str:
    """``text`` without its boilerplate lines (menus, share buttons, teasers,
    footers) and without lines of fewer than :data:`CORE_LINE_WORDS` words."""
    from .signals.boilerplate import boilerplate

    flags = sorted(boilerplate(text).flags, key=lambda f: f.start)
    parts, pos = [], 0
    for f in flags:
        parts.append(text[pos : f.start])
        pos = max(pos, f.end)
    parts.append(text[pos:])
    lines = [ln for p in parts for ln in p.split("\n") if len(ln.split()) >= CORE_LINE_WORDS]
    return "\n".join(lines)


class _TextFacts:
    """A member's shingles (in order and as a set) and its core's shingles, computed once.

    Shingles are their 64-bit hashes (:func:`newsqa.minhash.shingle_sequence`,
    the signature kernel), which stand for the shingle strings in every set
    operation here; the token strings are built (by the slower reference
    tokenizer) only where words are compared, for the few pairs that get
    that far.
    """

    def __init__(self, text: str, ngram: int) -> None:
        self.text, self.ngram = text, ngram
        self.seq: list[int] = shingle_sequence(text, ngram).tolist()
        self.set = set(self.seq)
        self._core: list[int] | None = None
        self._core_str = text

    @property
    def core_seq(self) -> list[int]:
        if self._core is None:
            self._core_str = _core_text(self.text)
            self._core = (
                self.seq if self._core_str == self.text else shingle_sequence(self._core_str, self.ngram).tolist()
            )
        return self._core

    def content_words(self) -> set[str]:
        """The content words (:data:`_CONTENT_WORD`) of the text's tokens."""
        return set(_CONTENT_WORD.findall(" ".join(tokens(self.text))))

    def core_content_words(self, at: Sequence[int]) -> set[str]:
        """The content words of the core's tokens inside the core shingles at positions ``at``."""
        toks = tokens(self._core_str)
        width = min(self.ngram, len(toks))
        covered = sorted({j for i in at for j in range(i, i + width)})
        return set(_CONTENT_WORD.findall(" ".join(toks[j] for j in covered)))

    def continues_in_line(self, other: set[int]) -> bool:
        """Whether the core line holding the last of ``other``'s shingles goes on past it
        (an excerpt cut inside a paragraph), by at least :data:`CONTINUE_SHINGLES`."""
        self.core_seq  # noqa: B018 (computes the core)
        last: tuple[list[int], int] | None = None
        for line in self._core_str.split("\n"):
            seq = shingle_sequence(line, self.ngram).tolist()
            hits = [i for i, x in enumerate(seq) if x in other]
            if hits:
                last = (seq, hits[-1])
        if last is None:
            return False
        seq, i = last
        return sum(1 for x in seq[i + 1 :] if x not in other) >= CONTINUE_SHINGLES


def _copy_by_containment(a: str | _TextFacts, b: str | _TextFacts, ngram: int = 5) -> int | None:
    """Which of two texts is the copy, by how one holds the other (0: ``a``, 1: ``b``).

    The container's extra text decides: chrome (boilerplate lines) or too
    little prose around the other text makes the container a wrapped copy;
    prose continuing the other text's story after it makes the other an
    excerpt; unrelated prose makes the container an aggregator page.
    ``None`` when neither holds the other or they are one version.
    """
    facts = [x if isinstance(x, _TextFacts) else _TextFacts(x, ngram) for x in (a, b)]
    sets = [facts[0].set, facts[1].set]
    small = 0 if (len(sets[0]), 0) < (len(sets[1]), 1) else 1
    big = 1 - small
    s_set = sets[small]
    if not s_set:
        return None
    extra = len(sets[big] - s_set)
    if extra == 0 or len(s_set - sets[big]) > SAME_TEXT_EXTRA * len(s_set) or 2 * len(s_set - sets[big]) > extra:
        return None  # one version, or each has text the other lacks (an edit)
    core_seq = facts[big].core_seq
    shared = [i for i, x in enumerate(core_seq) if x in s_set]
    extra_core = [x for x in core_seq if x not in s_set]
    if not shared:
        return None  # the contained text is all boilerplate by the container's lines
    n_extra_core = len(set(extra_core))
    if n_extra_core < CHROME_RESIDUE * len(s_set):
        if 2 * n_extra_core <= extra:
            return big  # the container's extra is chrome: a wrapped copy
        return None  # a few words of prose more: one version
    first, last = shared[0], shared[-1]
    lead = {x for x in core_seq[:first] if x not in s_set}
    mid = {x for x in core_seq[first : last + 1] if x not in s_set}
    tail = {x for x in core_seq[last + 1 :] if x not in s_set}
    if len(mid) >= len(lead) + len(tail):
        return small  # the container holds text inside the story that the other lacks
    if n_extra_core < PROSE_EXTRA * len(s_set):
        if len(tail) >= len(lead):
            return small  # a little more prose at the end: the other lost its end
        return big  # a line put before the story ("Breaking: ..."): the container is the copy
    # does the prose after the contained text continue its story?
    small_words = facts[small].content_words()
    tail_words = facts[big].core_content_words([i for i in range(last + 1, len(core_seq)) if core_seq[i] not in s_set])
    overlap = len(tail_words & small_words) / len(tail_words) if tail_words else 0.0
    if len(lead) < EXCERPT_LEAD * len(s_set) and (
        overlap >= CONTINUATION_OVERLAP or facts[big].continues_in_line(s_set)
    ):
        return small  # an excerpt: the container continues the contained story
    return big  # an aggregator page: other stories around the article


def _choose_original(
    g: Sequence[int],
    c_ids: Sequence[str],
    c_texts: Sequence[str],
    c_pub: Sequence[_dt.datetime | None],
    c_src: Sequence[str | None],
    c_url: Sequence[str | None],
    aliases: Mapping[str, frozenset[str]],
    spun_of: Mapping[int, str],
    c_spun: Sequence[float],
    rarity: Mapping[int, float],
    ngram: int = 5,
) -> tuple[int, str]:
    """The original of a cluster and the evidence that decided it.

    The evidence is applied in order, each step keeping the candidates it
    favours; the first step that rules out a candidate names the decision:

    1. ``spin``: a member linked by its unspun text is a spun copy;
    2. ``attribution``: members whose source or host another member's
       text credits ("Source: X", "Originally published by X", "Read the
       full story at X", "X (Reuters) -") win, and members that credit
       another member, or declare themselves copies of an outlet not their
       own, lose;
    3. ``date``: dated members more than :data:`DATE_TOLERANCE` after the
       earliest dated one lose (undated members stay);
    4. ``url``: a member whose URL is on its own source's site wins over
       members whose URL is elsewhere;
    5. ``containment``: measured on the text without boilerplate, a page
       that wraps another in menus and footers or in other stories is a
       copy, and so is an excerpt of a fuller text (not between members of
       one source: an update adds text, and dates order them);
    6. ``date`` again, any difference (dated before undated);
    7. ``spin``: the less spun text (scores, then rarer words);
    8. ``length``: the longest text, then the smallest id.

    Input order plays no part (``g`` is in canonical order and every step
    is a function of the members' own data).
    """
    cand = sorted(g)
    decided: str | None = None

    def narrow(keep: list[int], reason: str) -> None:
        nonlocal cand, decided
        if keep and len(keep) < len(cand):
            cand = keep
            if decided is None:
                decided = reason

    narrow([d for d in cand if d not in spun_of], "spin")
    atts = {d: attributions(c_texts[d]) for d in g}
    if any(atts.values()):
        credited, crediting, declared = _attribution_edges(g, c_texts, atts, c_src, c_url, aliases)
        narrow([d for d in cand if d not in crediting], "attribution")
        narrow([d for d in cand if d in credited], "attribution")
        narrow([d for d in cand if d not in declared], "attribution")
    keys = {d: _published_key(c_pub[d])[1] for d in cand if c_pub[d] is not None}
    if len(keys) > 1:
        first = min(keys.values())
        narrow([d for d in cand if d not in keys or keys[d] - first <= DATE_TOLERANCE.total_seconds()], "date")
    home = [d for d in cand if c_src[d] and c_url[d] and names_match(c_src[d], c_url[d], aliases=aliases)]
    away = [d for d in cand if c_src[d] and c_url[d] and d not in home]
    if home and away:
        narrow([d for d in cand if d not in away], "url")
    if 1 < len(cand) <= MAX_CONTAINMENT_CANDIDATES:
        copies: set[int] = set()
        facts = {d: _TextFacts(c_texts[d], ngram) for d in cand}
        for i, x in enumerate(cand):
            for y in cand[i + 1 :]:
                if c_src[x] is not None and c_src[x] == c_src[y]:
                    continue  # a source's own versions: an update adds text, dates order them
                who = _copy_by_containment(facts[x], facts[y])
                if who is not None:
                    copies.add((x, y)[who])
        narrow([d for d in cand if d not in copies], "containment")
    if len(cand) > 1:
        best = min(_published_key(c_pub[d]) for d in cand)
        narrow([d for d in cand if _published_key(c_pub[d]) == best], "date")
    if len(cand) > 1:
        best_spin = min((c_spun[d], rarity.get(d, 0.0)) for d in cand)
        narrow([d for d in cand if (c_spun[d], rarity.get(d, 0.0)) == best_spin], "spin")
    rep = min(cand, key=lambda d: (-len(c_texts[d]), c_ids[d]))
    return rep, decided or "length"


def _mark_updates(
    g: Sequence[int],
    rep: int,
    rel: dict[str, str],
    c_ids: Sequence[str],
    c_pub: Sequence[_dt.datetime | None],
    c_src: Sequence[str | None],
) -> None:
    """Relabel as ``update`` each later member of a source already in the cluster.

    A source's first member (the representative for its own source, else
    its earliest, then smallest id) keeps its relation; spun copies stay
    spun copies.
    """
    first: dict[str, int] = {}
    if c_src[rep] is not None:
        first[c_src[rep]] = rep  # type: ignore[index]
    for d in sorted(g, key=lambda d: (_published_key(c_pub[d]), c_ids[d])):
        src = c_src[d]
        if src is None:
            continue
        if src not in first:
            first[src] = d
        elif d != first[src] and rel[c_ids[d]] != "spun_copy":
            rel[c_ids[d]] = "update"


@dataclass(frozen=True, slots=True)
class _GroupContext:
    """What step 4 of :func:`cluster_texts` reads to turn a group into a :class:`Cluster`,
    all in canonical order (positions are canonical positions). Worker processes
    inherit it (forked) rather than receive it: ``c_texts`` may be a text store read
    from disk (``os.pread``, safe across a fork)."""

    c_ids: Sequence[str]
    c_texts: Sequence[str]
    c_pub: Sequence[_dt.datetime | None]
    c_src: Sequence[str | None]
    c_url: Sequence[str | None]
    aliases: Mapping[str, frozenset[str]]
    spun_of: Mapping[int, str]
    c_spun: Sequence[float]
    th: np.ndarray  # text hashes
    sigs: np.ndarray
    nsh: np.ndarray  # shingle counts
    needs: np.ndarray  # needs NFKC
    cfg: DedupConfig
    skel_linked: set[int]  # positions linked through their skeletons


def _clusters_of_groups(ctx: _GroupContext, groups: Sequence[Sequence[int]]) -> list[Cluster]:
    """The cluster of each group (canonical positions, in canonical order), in the order given.

    Pure: a group's cluster depends on its members' data only, so any split
    of ``groups`` into slices gives, concatenated, the same list. The exact
    shingle sets are computed here a batch of these groups at a time
    (:class:`_BatchedSets`), so the memory bound holds in each process.
    """
    cfg = ctx.cfg
    exact = cfg.verify == "exact"
    c_ids, c_texts, spun_of, th, sigs, nsh = ctx.c_ids, ctx.c_texts, ctx.spun_of, ctx.th, ctx.sigs, ctx.nsh
    sets_cache = _BatchedSets(groups if exact else [], c_texts, ctx.needs, cfg.ngram, nsh)
    clusters: list[Cluster] = []
    for g in groups:
        # Among versions of one text linked through their skeletons, the one
        # with the commoner words is the original (spinners pick synonyms
        # without regard to frequency); elsewhere rarity plays no part.
        skel_group = any(d in ctx.skel_linked for d in g)
        rarity = _rarities(g, c_texts) if skel_group else {}
        rep, original_by = _choose_original(
            g,
            c_ids,
            c_texts,
            ctx.c_pub,
            ctx.c_src,
            ctx.c_url,
            ctx.aliases,
            spun_of,
            ctx.c_spun,
            rarity,
        )
        sim: dict[str, float] = {c_ids[rep]: 1.0}
        rel: dict[str, str] = {c_ids[rep]: "original"}
        rep_skeleton = _skeleton_set(c_texts[rep]) if skel_group else None
        for d in g:
            if d == rep:
                continue
            if th[d] == th[rep]:
                sim[c_ids[d]], rel[c_ids[d]] = 1.0, "exact"
                continue
            if exact:
                sr, sd = sets_cache[rep], sets_cache[d]
                it = K.intersect_count(sr, sd)
                jac = it / max(sr.shape[0] + sd.shape[0] - it, 1)
                con = it / max(min(sr.shape[0], sd.shape[0]), 1)
            else:
                jac = jaccard(sigs[rep], sigs[d])
                con = min(1.0, jac * (nsh[rep] + nsh[d]) / ((1.0 + jac) * max(min(nsh[rep], nsh[d]), 1)))
            # The relation is to the representative itself: a member joined
            # through another member keeps the label its own overlap earns.
            if d in spun_of and jac < cfg.threshold:
                sim[c_ids[d]], rel[c_ids[d]] = (
                    round(_unspun_jaccard(spun_of[d], c_texts[rep], cfg.ngram), 4),
                    "spun_copy",
                )
            elif (
                skel_group
                and jac < cfg.threshold
                and not (cfg.containment and con >= cfg.containment_threshold)
                and rep_skeleton is not None
                and (sj := _set_jaccard(_skeleton_set(c_texts[d]), rep_skeleton)) >= SKELETON_THRESHOLD - 1e-12
            ):
                sim[c_ids[d]], rel[c_ids[d]] = round(sj, 4), "spun_copy"
            elif cfg.containment and jac < cfg.threshold and con >= cfg.containment_threshold:
                sim[c_ids[d]], rel[c_ids[d]] = round(float(con), 4), "containment"
            else:
                sim[c_ids[d]], rel[c_ids[d]] = round(float(jac), 4), "near_duplicate"
        kinds = set(rel.values()) - {"original"}
        if kinds == {"exact"}:
            kind = "exact"
        elif "spun_copy" in kinds:
            kind = "spun_copy"
        elif "containment" in kinds:
            kind = "containment"
        else:
            kind = "near_duplicate"
        _mark_updates(g, rep, rel, c_ids, ctx.c_pub, ctx.c_src)
        rep_id = c_ids[rep]
        others = sorted(c_ids[d] for d in g if d != rep)
        cid = cluster_id(rep_id)
        members = (rep_id, *others)
        clusters.append(
            Cluster(
                id=cid,
                kind=kind,  # type: ignore[arg-type]
                members=members,
                representative=rep_id,
                similarity={m: sim[m] for m in members},
                relation={m: rel[m] for m in members},  # type: ignore[misc]
                original_by=original_by,  # type: ignore[arg-type]
            )
        )
    return clusters


def cluster_id(representative: str) -> str:
    """Stable cluster id derived from the representative's id."""
    return "c_" + hashlib.blake2b(representative.encode("utf-8", "surrogatepass"), digest_size=6).hexdigest()


def cluster_texts(
    ids: Sequence[str],
    texts: Sequence[str],
    published: Sequence[_dt.datetime | None] | None = None,
    cfg: DedupConfig | None = None,
    n_jobs: int = 1,
    unspun: Mapping[int, str] | None = None,
    spun_scores: Sequence[float] | None = None,
    *,
    sketches: Sketches | None = None,
    pairs_fn: Callable[..., np.ndarray] = candidate_pairs,
    union_find: Callable[[int], Any] = _UnionFind,
    map_parts: Callable[..., list[Any]] | None = None,
    sources: Sequence[str | None] | None = None,
    urls: Sequence[str | None] | None = None,
) -> ClusterResult:
    """Cluster texts (ids must be unique). See the module docstring.

    ``unspun`` maps input positions of spun articles to their unspun text
    (:func:`newsqa.unspin`); each is matched against the other texts too,
    and a verified match joins the spun article to that cluster with
    relation ``spun_copy``. ``spun_scores`` (by input position) break ties
    when choosing an original: the less spun text is the original.

    The stages can be supplied by an engine (all give the same clusters):
    ``texts`` may be any sequence, e.g. texts read back from disk one at a
    time (only candidate pairs' and cluster members' texts are read, a
    chunk at a time); ``sketches`` are the texts' precomputed
    :func:`~newsqa.minhash.sketch` in input order; ``pairs_fn`` replaces
    :func:`newsqa.lsh.candidate_pairs` (same arguments and result) and
    ``union_find(n)`` the union-find (an object with ``union`` and
    ``find``); ``map_parts(func, shared, items, weights)`` runs the
    per-item steps (exact overlaps, pair by pair; the skeletons' sketches,
    text by text; the clusters of the multi-member groups, group by group):
    it returns, in order, the
    concatenation of the lists ``func(shared, part)`` over consecutive parts
    of ``items`` (any cut: ``func`` is pure and works item by item;
    ``weights``, one per item or one figure for all, estimate each item's
    work in microseconds), here or in worker processes that inherit ``shared``; by
    default ``func(shared, items)`` here.

    ``sources`` and ``urls`` (by input position, optional) are the
    articles' publishers and addresses: attribution lines are matched to
    them when choosing originals, and a later member from the source of an
    earlier one is an ``update``, not a copy. Without them attribution
    still marks the pages that declare themselves copies, and no member is
    an update.
    """
    cfg = cfg or DedupConfig()
    map_parts = map_parts or _map_here
    n = len(texts)
    pub = list(published) if published is not None else [None] * n
    order = np.array(sorted(range(n), key=lambda i: ids[i]), dtype=np.int64)
    c_ids = [ids[i] for i in order]
    c_texts = [texts[i] for i in order] if isinstance(texts, list) else _Reordered(texts, order)
    c_pub = [pub[i] for i in order]
    c_spun = [float(spun_scores[i]) for i in order] if spun_scores is not None else [0.0] * n
    c_src: list[str | None] = [sources[i] or None for i in order] if sources is not None else [None] * n
    c_url: list[str | None] = [urls[i] or None for i in order] if urls is not None else [None] * n
    aliases = corpus_aliases(zip(c_src, c_url)) if urls is not None and sources is not None else {}
    sk = sketch(c_texts, cfg, n_jobs=n_jobs) if sketches is None else _reorder_sketches(sketches, order)
    sigs, nsh, th, needs = sk.signatures, sk.n_shingles, sk.text_hashes, sk.needs_nfkc
    k = cfg.num_perm
    uf = union_find(n)

    # 1. exact groups (after normalisation), among texts that have shingles
    valid = np.flatnonzero(nsh > 0)
    first_of: dict[int, int] = {}
    for i in valid:
        h = int(th[i])
        if h in first_of:
            uf.union(first_of[h], int(i))
        else:
            first_of[h] = int(i)
    uniq = np.array(sorted(first_of.values()), dtype=np.int64)

    # 2. near-duplicate candidates and verification
    if cfg.bands is not None and cfg.rows is not None:
        bands, rows = cfg.bands, cfg.rows
    else:
        bands, rows = optimal_params(cfg.threshold, k)
    exact = cfg.verify == "exact"
    min_eq = min_equal_for(cfg.threshold, k, VERIFY_MARGIN_SD if exact else 0.0)
    pairs_u = pairs_fn(sigs, bands, rows, idx=uniq, min_equal=min_eq)
    pairs = uniq[pairs_u] if pairs_u.size else np.empty((0, 2), dtype=np.int64)
    if exact and pairs.size:
        inter, sa, sb = _mapped_overlap(map_parts, c_texts, needs, pairs, cfg.ngram, nsh)
        jac = inter / np.maximum(sa + sb - inter, 1)
        keep = jac >= cfg.threshold - 1e-12
    else:
        keep = np.ones(pairs.shape[0], dtype=bool)
    for a, b in pairs[keep]:
        uf.union(int(a), int(b))

    # 2b. spun copies: the unspun text of a spun article against the others
    spun_of: Mapping[int, str] = {}
    if unspun:
        inv = np.empty(n, dtype=np.int64)
        inv[order] = np.arange(n)
        spun_of = TextsByKey.of(unspun).rekeyed(inv)
        _link_spun(spun_of, uniq, sigs, c_texts, needs, cfg, bands, rows, min_eq, uf, pairs_fn)

    # 2c. spun copies the lexicon does not know: spinner-invariant skeletons
    skel_linked = _link_skeletons(c_texts, valid, cfg, uf, map_parts) if cfg.spin_links else set()

    # 3. containment: each container attaches to the article it holds most of
    container_of: dict[int, tuple[float, int, float]] = {}  # container -> (inter, contained, share)
    if cfg.containment and uniq.size >= 2:
        # pairs already in one near-duplicate cluster need no containment edge:
        # left out as they are found (a duplicated corpus's candidates are
        # nearly all inside clusters), and again below
        roots = np.array([uf.find(int(x)) for x in uniq], dtype=np.int64)
        cpairs_u = pairs_fn(sigs, k // CONTAINMENT_ROWS, CONTAINMENT_ROWS, idx=uniq, cap=CONTAINMENT_CAP, labels=roots)
        if cpairs_u.size:
            margin = CONTAINMENT_MARGIN if exact else 0.0
            kept = []
            # a batch of candidates at a time: a heavily duplicated corpus has
            # about 22 candidates an article (each copy with CONTAINMENT_CAP
            # earlier ones), and the estimate's float64 temporaries over all of
            # them would be 1.8 GB at a million articles
            for lo in range(0, cpairs_u.shape[0], CONTAINMENT_BATCH):
                batch = cpairs_u[lo : lo + CONTAINMENT_BATCH]
                cpairs = uniq[batch]
                jest = _equal_counts(sigs, cpairs) / k
                na = nsh[cpairs[:, 0]].astype(np.float64)
                nb = nsh[cpairs[:, 1]].astype(np.float64)
                small = np.minimum(na, nb)
                cest = jest * (na + nb) / ((1.0 + jest) * np.maximum(small, 1.0))
                ok = (small >= cfg.min_containment_shingles) & (cest >= cfg.containment_threshold - margin)
                # (a pairs_fn that ignores labels: the same pairs are left out here)
                ok &= roots[batch[:, 0]] != roots[batch[:, 1]]
                if ok.any():
                    kept.append(cpairs[ok])
            del cpairs_u
            cand = np.concatenate(kept) if kept else np.empty((0, 2), dtype=np.int64)
            if cand.size:
                if exact:
                    inter, sa, sb = _mapped_overlap(map_parts, c_texts, needs, cand, cfg.ngram, nsh)
                else:
                    e = _equal_counts(sigs, cand) / k
                    sa = nsh[cand[:, 0]].astype(np.float64)
                    sb = nsh[cand[:, 1]].astype(np.float64)
                    inter = e * (sa + sb) / (1.0 + e)
                for (a, b), it, x, y in zip(cand, inter, sa, sb):
                    a, b = int(a), int(b)
                    # the smaller set is the contained article
                    if (x, a) > (y, b):
                        a, b, x, y = b, a, y, x
                    if x < cfg.min_containment_shingles or it < cfg.containment_threshold * x:
                        continue
                    best = container_of.get(b)
                    if best is None or (it, -a) > (best[0], -best[1]):
                        container_of[b] = (float(it), a, float(it) / max(float(y), 1.0))
    contained = {v[1] for v in container_of.values()}
    for b, (_, a, _) in sorted(container_of.items()):
        if b in contained:  # a page that is itself contained elsewhere stays where it is
            continue
        uf.union(a, b)

    # 4. clusters: each multi-member group on its own (possibly in worker processes)
    groups: dict[int, list[int]] = {}
    for i in valid:
        groups.setdefault(uf.find(int(i)), []).append(int(i))
    members_multi = [g for g in groups.values() if len(g) > 1]
    ctx = _GroupContext(
        c_ids, c_texts, c_pub, c_src, c_url, aliases, spun_of, c_spun, th, sigs, nsh, needs, cfg, skel_linked
    )
    clusters = list(
        map_parts(_clusters_of_groups, ctx, members_multi, [MEMBER_COST_US * len(g) for g in members_multi])
    )
    if len(clusters) != len(members_multi):
        raise RuntimeError(f"map_parts returned {len(clusters)} clusters for {len(members_multi)} groups")
    cluster_of = {m: c.id for c in clusters for m in c.members}
    clusters.sort(key=lambda c: c.representative)
    return ClusterResult(tuple(clusters), cluster_of, sk, order)
