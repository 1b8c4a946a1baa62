"""The one definition of newsqa's work, run by every entry point.

:func:`run` reads the input once, in chunks of ``chunk_size`` records, and
holds one chunk of texts plus a few hundred bytes an article (the
signature, 512 bytes at 128 permutations, the id, the source, the date):

1. **Read and coerce** (:func:`newsqa.io.coerce_records`): every record
   becomes an :class:`~newsqa.Article` or an
   :class:`~newsqa.io.Unreadable` (reported with status ``error``).
2. **Pass 1**, chunk by chunk (:func:`chunk_facts`): each article's MinHash
   signature, shingle count and text hash, its spun-text signal (needed by
   clustering; kept in a spill file for pass 2) and the hashes of its
   normalised lines for template learning (spilled into partitions by
   source). Texts go to a spill file on disk (:class:`TextStore`).
3. **Clustering** (:func:`newsqa.clusters.cluster_texts` with the
   precomputed sketches); exact verification reads the texts of candidate
   pairs back from the spill file, one chunk of pairs at a time.
4. **Templates** (:class:`TemplateCounter`): per source, the number of
   *stories* (a cluster counts once) holding each normalised line, counted
   one partition of sources at a time once the clusters are known.
5. **Pass 2**, chunk by chunk (:func:`signals_of`): the article signals
   with the source templates, one signal over a whole slice before the
   next (:func:`~newsqa.signals.registry.run_signals_many`); each
   :class:`~newsqa.ArticleResult` goes to the sink with its input record,
   then is dropped.
6. **Scores** from per-source sums (:mod:`newsqa.scoring`), then the sinks
   finish (:mod:`newsqa.sinks`: ``report.json``, ``report.html``,
   ``clean.jsonl``, an in-memory :class:`~newsqa.Report`).

An :class:`Executor` (:mod:`newsqa.engines`) decides only where the
per-chunk functions run and how pairs and components are found.

Normalised lines are compared through a 64-bit BLAKE2b hash: two distinct
lines of one source collide with probability about 2**-64.
"""

from __future__ import annotations

import datetime as _dt
import os
import pickle
import sys
import tempfile
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import IO, Any, Protocol

import numpy as np

from .clusters import TextsByKey, cluster_texts
from .config import Config
from .errors import InputError
from .io import DEFAULT_SOURCE, Unreadable, coerce_records
from .lsh import sorted_unique
from .minhash import Sketches, sketch
from .model import Article, ArticleResult, Cluster, Flag
from .signals import SignalOutput
from .signals.boilerplate import (
    TEMPLATE_MIN_SHARE,
    TEMPLATE_MIN_STORIES,
    template_line_hashes,
    templates_for,
)
from .signals.registry import run_signals_many
from .sinks import Sink

# Show a progress bar on stderr only for runs longer than this (seconds):
# shorter runs stay quiet.
PROGRESS_DELAY_S = 2.0
# Sources are spread over this many partition files for template learning,
# so counting holds 1/16 of all (article, line) rows at a time: about 20 MB
# of a million 500-word articles (20 long lines each, 16 bytes a row).
TEMPLATE_PARTITIONS = 16


# --- pass 1: per-chunk facts -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ChunkFacts:
    """What pass 1 learns about one chunk of texts (positions within the chunk).

    Attributes:
        sketches: Signatures, shingle counts, text hashes.
        spun: Each text's spun-text signal as ``(flags, signals)``, pickled
            (one blob a slice, read back by :meth:`Corpus.spun_chunks`), or
            ``None`` when the signal is off. Pickled where it is computed:
            the process that gathers the facts only spills them, and
            unpickling tens of flags an article there, to drop them at
            once, left its heap fragmented (2.8 KB an article of resident
            memory on a generated corpus, against 0.75 KB of live objects).
        spun_scores: Each text's ``spun_score`` (``None`` when off).
        unspun: Unspun text of each text the spun signal calls spun.
        line_offsets, line_hashes: Template line hashes of text ``i`` are
            ``line_hashes[line_offsets[i]:line_offsets[i + 1]]`` (``None``
            when templates are not learnt).
    """

    sketches: Sketches
    spun: list[bytes] | None
    spun_scores: np.ndarray | None
    unspun: dict[int, str]
    line_offsets: np.ndarray | None
    line_hashes: np.ndarray | None

    @staticmethod
    def concat(parts: Sequence[ChunkFacts]) -> ChunkFacts:
        """The facts of consecutive slices of a chunk, as one chunk's facts."""
        if len(parts) == 1:
            return parts[0]
        sk = Sketches.concat([p.sketches for p in parts])
        base = 0
        unspun: dict[int, str] = {}
        offsets_list = []
        last = 0
        for p in parts:
            unspun.update({base + i: t for i, t in p.unspun.items()})
            if p.line_offsets is not None:
                offsets_list.append(p.line_offsets[:-1] + last)
                last += int(p.line_offsets[-1])
            base += p.sketches.n_shingles.shape[0]
        first = parts[0]
        offsets = hashes = None
        if first.line_offsets is not None:
            offsets = np.concatenate([*offsets_list, np.array([last], dtype=np.int64)])
            hashes = np.concatenate([p.line_hashes for p in parts])  # type: ignore[misc]
        return ChunkFacts(
            sk,
            None if first.spun is None else [b for p in parts for b in p.spun],  # type: ignore[union-attr]
            None if first.spun_scores is None else np.concatenate([p.spun_scores for p in parts]),  # type: ignore[misc]
            unspun,
            offsets,
            hashes,
        )


def learns_templates(cfg: Config) -> bool:
    """Whether a run learns source templates (they only serve the boilerplate signal)."""
    return bool(cfg.signals.templates and "boilerplate" in cfg.signals.signals)


def chunk_facts(cfg: Config, texts: Sequence[str]) -> ChunkFacts:
    """Pass 1 on one chunk (or slice) of texts; pure, so it runs in any process
    (the executor spreads slices over processes, so sketching here is serial)."""
    sk = sketch(list(texts), cfg.dedup)
    spun_list = None
    scores = None
    unspun: dict[int, str] = {}
    if "spun" in cfg.signals.signals:
        from .signals.spun import spun, tie_break_score, unspin

        spun_list = []
        scores = np.zeros(len(texts), dtype=np.float64)
        for i, t in enumerate(texts):
            out = spun(t)
            spun_list.append((out.flags, dict(out.signals)))
            scores[i] = tie_break_score(out.signals)
            if out.signals["spun"]:
                unspun[i] = unspin(t)
    spun_blobs = None if spun_list is None else [pickle.dumps(spun_list, protocol=pickle.HIGHEST_PROTOCOL)]
    offsets = hashes = None
    if learns_templates(cfg):
        per = [template_line_hashes(t) for t in texts]
        offsets = np.zeros(len(texts) + 1, dtype=np.int64)
        np.cumsum([len(h) for h in per], out=offsets[1:])
        hashes = np.fromiter(
            (h for hs in per for h in hs), dtype=np.uint64, count=int(offsets[-1])
        )
    return ChunkFacts(sk, spun_blobs, scores, unspun, offsets, hashes)


# --- spill files -----------------------------------------------------------------------


class TextStore(Sequence[str]):
    """Texts spilled to a file, read back by position (UTF-8, lone surrogates kept).

    Appending is sequential; :meth:`__getitem__` reads one text with
    ``os.pread`` and :meth:`read_range` a run of texts with one read, so
    nothing but the requested texts is held in memory.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self._fh: IO[bytes] | None = open(path, "wb")  # noqa: SIM115 (closed by close())
        self._ends: list[int] = []
        self._size = 0
        self._offsets: np.ndarray | None = None
        self._fd = -1

    def append(self, texts: Iterable[str]) -> None:
        assert self._fh is not None, "the store is closed for writing"
        for t in texts:
            data = t.encode("utf-8", "surrogatepass")
            self._fh.write(data)
            self._size += len(data)
            self._ends.append(self._size)

    def freeze(self) -> None:
        """Finish writing; from now on texts are read back."""
        if self._fh is not None:
            self._fh.close()
            self._fh = None
            self._offsets = np.zeros(len(self._ends) + 1, dtype=np.int64)
            self._offsets[1:] = self._ends
            self._ends = []
            self._fd = os.open(self.path, os.O_RDONLY)

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

    def __len__(self) -> int:
        return len(self._ends) if self._offsets is None else self._offsets.shape[0] - 1

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        assert self._offsets is not None, "freeze() the store before reading"
        i = int(i)
        if i < 0:
            i += len(self)
        lo, hi = int(self._offsets[i]), int(self._offsets[i + 1])
        return os.pread(self._fd, hi - lo, lo).decode("utf-8", "surrogatepass")

    def read_range(self, lo: int, hi: int) -> list[str]:
        """Texts ``lo..hi-1`` with one read."""
        assert self._offsets is not None, "freeze() the store before reading"
        if hi <= lo:
            return []
        base = int(self._offsets[lo])
        data = os.pread(self._fd, int(self._offsets[hi]) - base, base)
        cuts = self._offsets[lo : hi + 1] - base
        return [
            data[int(cuts[j]) : int(cuts[j + 1])].decode("utf-8", "surrogatepass")
            for j in range(hi - lo)
        ]


class TemplateCounter:
    """Per-source template lines counted over spilled ``(article, line hash)`` rows.

    Gives, for every source, the hashes of the lines
    :func:`newsqa.signals.boilerplate.source_templates` would return for
    that source's articles keyed by story (cluster id, else article id).
    """

    _ROW = np.dtype([("doc", np.int64), ("line", np.uint64)])

    def __init__(self, directory: str, partitions: int = TEMPLATE_PARTITIONS) -> None:
        self.paths = [
            os.path.join(directory, f"lines-{p:02d}.bin") for p in range(partitions)
        ]
        self._files: list[IO[bytes]] | None = [open(p, "wb") for p in self.paths]  # noqa: SIM115

    def add(
        self,
        docs: np.ndarray,
        sources: np.ndarray,
        offsets: np.ndarray,
        hashes: np.ndarray,
    ) -> None:
        """Rows of a chunk: article ``docs[i]`` of source ``sources[i]`` has the
        line hashes ``hashes[offsets[i]:offsets[i + 1]]``."""
        assert self._files is not None
        counts = np.diff(offsets)
        rows = np.empty(int(offsets[-1]), dtype=self._ROW)
        rows["doc"] = np.repeat(docs, counts)
        rows["line"] = hashes
        part = np.repeat(sources % len(self.paths), counts)
        for p in sorted_unique(part):
            rows[part == p].tofile(self._files[int(p)])

    def close(self) -> None:
        if self._files is not None:
            for fh in self._files:
                fh.close()
            self._files = None

    def learn(
        self, story: np.ndarray, source_of: np.ndarray, n_sources: int
    ) -> dict[int, frozenset[int]]:
        """Template line hashes by source index.

        Args:
            story: Story number of each article (its cluster's, else its own).
            source_of: Source index of each article.
            n_sources: Number of sources.
        """
        self.close()
        n_articles = np.bincount(source_of, minlength=n_sources)
        pairs = sorted_unique(source_of.astype(np.int64) * (int(story.max(initial=0)) + 1) + story)
        n_stories = np.bincount(
            pairs // (int(story.max(initial=0)) + 1), minlength=n_sources
        )
        # the rule of source_templates, evaluated the same way
        need = np.array(
            [
                max(TEMPLATE_MIN_STORIES, int(TEMPLATE_MIN_SHARE * int(s) + 0.999))
                for s in n_stories
            ],
            dtype=np.int64,
        )
        out: dict[int, frozenset[int]] = {}
        for path in self.paths:
            rows = np.fromfile(path, dtype=self._ROW)
            if not rows.size:
                continue
            src = source_of[rows["doc"]]
            keep = n_articles[src] >= 2
            src, st, line = src[keep], story[rows["doc"][keep]], rows["line"][keep]
            order = np.lexsort((st, line, src))
            src, st, line = src[order], st[order], line[order]
            first = np.ones(src.shape[0], dtype=bool)
            first[1:] = (
                (src[1:] != src[:-1]) | (line[1:] != line[:-1]) | (st[1:] != st[:-1])
            )
            src, line = src[first], line[first]  # one row per (source, line, story)
            if not src.size:
                continue
            start = np.ones(src.shape[0], dtype=bool)
            start[1:] = (src[1:] != src[:-1]) | (line[1:] != line[:-1])
            idx = np.flatnonzero(start)
            count = np.diff(np.append(idx, src.shape[0]))
            hit = count >= need[src[idx]]
            for s, h in zip(src[idx][hit].tolist(), line[idx][hit].tolist()):
                out.setdefault(int(s), set()).add(int(h))  # type: ignore[attr-defined]
        return {s: frozenset(h) for s, h in out.items()}


# --- the corpus of a streamed run ----------------------------------------------------


class Reordered(Sequence[str]):
    """A sequence seen in another order (``seq[order[i]]``), without copying it."""

    def __init__(self, seq: Sequence[Any], order: np.ndarray) -> None:
        self._seq, self._order = seq, order

    def __len__(self) -> int:
        return int(self._order.shape[0])

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        return self._seq[int(self._order[i])]


class Corpus:
    """Everything a streamed run keeps between its passes.

    Per input record: id, source index and, for readable articles, the
    position among readable articles (``gpos``); per readable article: the
    pass-1 facts. Texts and spun signals are spilled to ``directory``.
    """

    def __init__(self, cfg: Config, directory: str) -> None:
        self.cfg = cfg
        self.directory = directory
        self.ids: list[str] = []
        self.source_index: dict[str, int] = {}
        self.sources: list[str] = []
        self._src: list[np.ndarray] = []
        self.errors: dict[int, str] = {}
        self.good_ids: list[str] = []
        self.good_pub: list[_dt.datetime | None] = []
        self.good_url: list[str | None] = []
        self.good_src: list[int] = []  # source index of each readable article
        self.input_ids: dict[int, Any] = {}  # numeric input ids by record position (most inputs have none)
        self._good_pos: list[np.ndarray] = []
        self._seen: set[str] = set()
        self._sk: list[Sketches] = []
        self._scores: list[np.ndarray] = []
        # unspun texts of spun articles: spilled like the texts (a corpus can
        # be nearly all spun), with the readable-article index of each
        self.unspun = TextStore(os.path.join(directory, "unspun.bin"))
        self._unspun_of: list[int] = []
        self.texts = TextStore(os.path.join(directory, "texts.bin"))
        self._spun_path = os.path.join(directory, "spun.pickle")
        self._spun_fh: IO[bytes] | None = open(self._spun_path, "wb")  # noqa: SIM115 (closed by close())
        self.templates = TemplateCounter(directory) if learns_templates(cfg) else None
        self.chunk_bounds: list[
            tuple[int, int, int, int]
        ] = []  # (item lo, item hi, good lo, good hi)

    # pass 1 ------------------------------------------------------------------------------

    def add_records(self, records: Sequence[Article | Unreadable]) -> list[str]:
        """Register one chunk of records; returns the texts of its readable articles."""
        lo, glo = len(self.ids), len(self.good_ids)
        src = np.empty(len(records), dtype=np.int64)
        texts: list[str] = []
        for j, a in enumerate(records):
            if a.id in self._seen:
                raise InputError(
                    f"duplicate article id {a.id!r}: ids must be unique within one run"
                )
            self._seen.add(a.id)
            self.ids.append(a.id)
            if a.input_id is not None:
                self.input_ids[lo + j] = a.input_id
            s = self.source_index.get(a.source)
            if s is None:
                s = self.source_index[a.source] = len(self.sources)
                self.sources.append(a.source)
            src[j] = s
            if isinstance(a, Unreadable):
                self.errors[lo + j] = a.error
            else:
                self.good_ids.append(a.id)
                self.good_pub.append(a.published)
                self.good_url.append(a.url)
                self.good_src.append(s)
                texts.append(a.text)
        self._src.append(src)
        self.chunk_bounds.append((lo, len(self.ids), glo, len(self.good_ids)))
        self.texts.append(texts)
        return texts

    def add_facts(self, facts: ChunkFacts, chunk: int = -1) -> None:
        """The pass-1 facts of a registered chunk (by default the last); chunks in order."""
        lo, hi, glo, ghi = self.chunk_bounds[chunk]
        assert len(self._sk) == (chunk % len(self.chunk_bounds)), (
            "facts must arrive in chunk order"
        )
        assert facts.sketches.signatures.shape[0] == ghi - glo
        self._sk.append(facts.sketches)
        assert self._spun_fh is not None
        pickle.dump(facts.spun, self._spun_fh, protocol=pickle.HIGHEST_PROTOCOL)
        if facts.spun_scores is not None:
            self._scores.append(facts.spun_scores)
        spun_here = sorted(facts.unspun)
        self.unspun.append(facts.unspun[i] for i in spun_here)
        self._unspun_of.extend(glo + i for i in spun_here)
        if self.templates is not None and facts.line_offsets is not None:
            src = self._src[chunk]
            good = (
                np.array(
                    [k for k in range(lo, hi) if k not in self.errors], dtype=np.int64
                )
                - lo
            )
            self.templates.add(
                np.arange(glo, ghi, dtype=np.int64),
                src[good],
                facts.line_offsets,
                facts.line_hashes,
            )

    def end_pass_one(self) -> None:
        self.texts.freeze()
        self.unspun.freeze()
        if self._spun_fh is not None:
            self._spun_fh.close()
            self._spun_fh = None
        self._seen = set()

    @property
    def source_of_item(self) -> np.ndarray:
        return np.concatenate(self._src) if self._src else np.empty(0, dtype=np.int64)

    def id_order(self) -> np.ndarray:
        """Positions of the readable articles sorted by id (clustering's canonical order)."""
        ids = self.good_ids
        return np.array(sorted(range(len(ids)), key=ids.__getitem__), dtype=np.int64)

    def sketches(self, order: np.ndarray) -> Sketches:
        """All signatures of readable articles, rows in ``order``.

        The chunks' parts are moved into place one at a time and released,
        so the signatures are held once (plus one chunk), not twice.
        """
        n, k = len(self.good_ids), self.cfg.dedup.num_perm
        where = np.empty(n, dtype=np.int64)
        where[order] = np.arange(n, dtype=np.int64)
        out = Sketches(
            np.empty((n, k), np.uint32),
            np.empty(n, np.int64),
            np.empty(n, np.uint64),
            np.empty(n, np.bool_),
        )
        pos = 0
        self._sk.reverse()
        while self._sk:
            part = self._sk.pop()
            rows = where[pos : pos + part.n_shingles.shape[0]]
            out.signatures[rows] = part.signatures
            out.n_shingles[rows] = part.n_shingles
            out.text_hashes[rows] = part.text_hashes
            out.needs_nfkc[rows] = part.needs_nfkc
            pos += part.n_shingles.shape[0]
            del part
        return out

    def unspun_texts(self, where: np.ndarray) -> TextsByKey:
        """The unspun texts of spun articles, keyed by ``where[readable index]``, read from the spill file."""
        of = np.array(self._unspun_of, dtype=np.int64)
        return TextsByKey(where[of], self.unspun, np.arange(of.shape[0]))

    def spun_scores(self) -> list[float] | None:
        if "spun" not in self.cfg.signals.signals:
            return None
        return np.concatenate(self._scores).tolist() if self._scores else []

    # clustering and templates -------------------------------------------------------------

    def story_numbers(
        self, clusters: Sequence[Cluster], cluster_of: Mapping[str, str]
    ) -> np.ndarray:
        """Story number of each readable article: its cluster's, else its own.

        Mirrors the in-memory key ``cluster_of.get(id, id)``, including an
        article whose id happens to equal a cluster id.
        """
        number = {c.id: i for i, c in enumerate(clusters)}
        c = len(clusters)
        out = np.empty(len(self.good_ids), dtype=np.int64)
        for g, aid in enumerate(self.good_ids):
            cid = cluster_of.get(aid)
            if cid is not None:
                out[g] = number[cid]
            else:
                out[g] = number.get(aid, c + g)
        return out

    def learn_templates(
        self, clusters: Sequence[Cluster], cluster_of: Mapping[str, str]
    ) -> dict[int, frozenset[int]]:
        """Template line hashes by source index (empty when templates are off)."""
        if self.templates is None:
            return {}
        src = self.source_of_item
        good = np.ones(len(self.ids), dtype=bool)
        if self.errors:
            good[list(self.errors)] = False
        return self.templates.learn(
            self.story_numbers(clusters, cluster_of), src[good], len(self.sources)
        )

    # pass 2 -------------------------------------------------------------------------------

    def spun_chunks(
        self,
    ) -> Iterator[list[tuple[tuple[Flag, ...], dict[str, Any]]] | None]:
        with open(self._spun_path, "rb") as fh:
            for _ in self.chunk_bounds:
                blobs = pickle.load(fh)
                yield None if blobs is None else [x for b in blobs for x in pickle.loads(b)]

    def pass_two_inputs(self) -> Iterator[tuple[int, int, int, list[str], Any]]:
        """Per chunk: ``(item lo, item hi, good lo, texts, spun outputs)``."""
        for (lo, hi, glo, ghi), spun in zip(self.chunk_bounds, self.spun_chunks()):
            yield lo, hi, glo, self.texts.read_range(glo, ghi), spun

    def close(self) -> None:
        self.texts.close()
        self.unspun.close()
        if self._spun_fh is not None:
            self._spun_fh.close()
            self._spun_fh = None
        if self.templates is not None:
            self.templates.close()


def chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    """Consecutive lists of ``size`` items (the last one shorter)."""
    buf: list[Any] = []
    for item in items:
        buf.append(item)
        if len(buf) >= size:
            yield buf
            buf = []
    if buf:
        yield buf


def signals_of(
    names: tuple[str, ...], items: Sequence[tuple[str, frozenset[int], Any]]
) -> list[tuple[tuple[Flag, ...], dict[str, Any]]]:
    """Pass 2 on a slice of a chunk: the signals ``names`` of each ``(text,
    template line hashes of its source, spun)``, the spun signal reused from
    pass 1. Pure, so it runs in any process (finding a text's template
    lines included: it reads every line of the text)."""
    return run_signals_many(
        [text for text, _, _ in items],
        names,
        [templates_for(text, hashes) for text, hashes, _ in items],
        [{"spun": SignalOutput(spun[0], spun[1])} if spun is not None else None for _, _, spun in items],
    )


def article_result(
    article_id: str,
    source: str,
    text: str,
    n_shingles: int,
    cluster: str | None,
    flags: tuple[Flag, ...],
    signals: Mapping[str, Any],
) -> ArticleResult:
    """The result of one readable article."""
    return ArticleResult(
        id=article_id,
        source=source,
        status="ok" if n_shingles > 0 else "empty",
        cluster=cluster,
        flags=flags,
        signals={"n_shingles": n_shingles, "n_chars": len(text), **signals},
    )


# --- executors ------------------------------------------------------------------------


class Executor(Protocol):
    """How a run maps its per-chunk work, and how it finds pairs and components.

    An executor never restates a step: :func:`run` hands it a pure function
    and the chunks, and it decides where they are computed (here, in worker
    processes, on a Ray cluster). See :mod:`newsqa.engines`.
    """

    def map(
        self,
        func: Callable[[Any, Sequence[Any]], Any],
        shared: Any,
        payloads: Iterable[Sequence[Any]],
        merge: Callable[[list[Any]], Any],
    ) -> Iterator[Any]:
        """``func(shared, payload)`` for each payload, yielded in order.

        ``func`` is pure and works item by item, so an executor may cut a
        payload into slices and join the slices' results with ``merge``.
        """
        ...

    def cluster_stages(self) -> dict[str, Any]:
        """Keyword arguments for :func:`newsqa.clusters.cluster_texts`
        (``pairs_fn``, ``union_find``, ``map_parts``); those left out run in process."""
        ...

    def close(self) -> None: ...


def _concat(parts: list[list[Any]]) -> list[Any]:
    return parts[0] if len(parts) == 1 else [x for p in parts for x in p]


# --- the run ---------------------------------------------------------------------------


def cluster_corpus(corpus: Corpus, cfg: Config, **stages: Any) -> Any:
    """Cluster the readable articles of a corpus after pass 1.

    The articles are handed over sorted by id (clustering's canonical
    order), so the signatures are laid out once, in that order. Returns the
    :class:`~newsqa.clusters.ClusterResult` and each readable article's
    shingle count (by position among readable articles).
    """
    order = corpus.id_order()
    where = np.empty(order.shape[0], dtype=np.int64)
    where[order] = np.arange(order.shape[0], dtype=np.int64)
    scores = corpus.spun_scores()
    result = cluster_texts(
        [corpus.good_ids[i] for i in order],
        Reordered(corpus.texts, order),
        [corpus.good_pub[i] for i in order],
        cfg.dedup,
        sources=[_known_source(corpus.sources[corpus.good_src[i]]) for i in order],
        urls=[corpus.good_url[i] for i in order],
        n_jobs=cfg.run.workers,
        unspun=corpus.unspun_texts(where) or None,
        spun_scores=[scores[i] for i in order] if scores is not None else None,
        sketches=corpus.sketches(order),
        **stages,
    )
    n_shingles = np.empty(order.shape[0], dtype=np.int64)
    n_shingles[order[result.order]] = result.sketches.n_shingles
    return result, n_shingles


def _known_source(source: str) -> str | None:
    """A source that says who published, else None: ``""`` and the ``"unknown"``
    of .txt files without a manifest never make two articles one source's
    versions (``update``)."""
    return None if source in ("", DEFAULT_SOURCE) else source


def progress_bar(enabled: bool, desc: str, total: int | None = None) -> Any:
    """A tqdm bar on stderr that appears after :data:`PROGRESS_DELAY_S`, or a no-op."""
    from tqdm import tqdm

    return tqdm(
        desc=desc,
        total=total,
        unit=" articles",
        file=sys.stderr,
        leave=False,
        delay=PROGRESS_DELAY_S,
        disable=not enabled,
    )


def run(
    items: Iterable[Any],
    cfg: Config,
    sink: Sink,
    *,
    executor: Executor | None = None,
    workdir: str | None = None,
    clusters_only: bool = False,
) -> None:
    """The whole job: read, sketch and cluster, signals, scores, sinks.

    Every entry point runs this function: :func:`newsqa.analyze`,
    :func:`newsqa.find_duplicates` (``clusters_only``), ``newsqa analyze``,
    :func:`newsqa.clean_text` and the Ray engine (an executor).

    Args:
        items: Articles, :class:`~newsqa.io.Unreadable` records or mappings,
            in any iterable; read once, ``cfg.run.chunk_size`` at a time.
        cfg: The configuration.
        sink: Receives each :class:`~newsqa.ArticleResult` with its input
            record, in input order, then the clusters and the scored
            sources (:mod:`newsqa.sinks`).
        executor: Where the per-chunk work runs (default: this process and,
            with ``n_jobs`` > 1, forked worker processes).
        workdir: Where the spill directory goes (default: the system's
            temporary directory); it is removed at the end.
        clusters_only: Stop after clustering: ``sink`` gets no articles,
            then the clusters and no sources.
    """
    if executor is None:
        from .engines.local import LocalExecutor

        executor = LocalExecutor(cfg.run.workers)
    with tempfile.TemporaryDirectory(prefix="newsqa-", dir=workdir) as tmp:
        corpus = Corpus(cfg, tmp)
        try:
            _run(items, cfg, sink, executor, corpus, clusters_only)
        finally:
            corpus.close()
            executor.close()


def _run(
    items: Iterable[Any], cfg: Config, sink: Sink, executor: Executor, corpus: Corpus, clusters_only: bool
) -> None:
    from .scoring import merge_stats

    # 1. read and coerce, chunk by chunk; pass 1 on each chunk's texts
    bar = progress_bar(cfg.run.shows_progress, "newsqa: reading, sketching")
    records = coerce_records(items, strict=cfg.run.strict)

    def texts_of_chunks() -> Iterator[list[str]]:
        for chunk in chunks(records, cfg.run.chunk_size):
            yield corpus.add_records(chunk)
            bar.update(len(chunk))

    for c, facts in enumerate(executor.map(chunk_facts, cfg, texts_of_chunks(), ChunkFacts.concat)):
        corpus.add_facts(facts, chunk=c)
    bar.close()
    corpus.end_pass_one()

    # 2. sketches to clusters (LSH, verification, containment, originals)
    result, n_shingles = cluster_corpus(corpus, cfg, **executor.cluster_stages())
    if clusters_only:
        sink.finish(result.clusters, ())
        return

    # 3. per-article signals with the sources' templates, in input order
    template_hashes = corpus.learn_templates(result.clusters, result.cluster_of)
    src = corpus.source_of_item
    cluster_by_id = {c.id: c for c in result.clusters}
    pending: deque[tuple[int, int, int, list[str]]] = deque()

    def signal_inputs() -> Iterator[list[tuple[str, frozenset[int], Any]]]:
        none: frozenset[int] = frozenset()
        for lo, hi, glo, texts, spun in corpus.pass_two_inputs():
            pending.append((lo, hi, glo, texts))
            good = [i for i in range(lo, hi) if i not in corpus.errors]
            yield [
                (t, template_hashes.get(int(src[i]), none), spun[j] if spun else None)
                for j, (i, t) in enumerate(zip(good, texts))
            ]

    totals: dict[str, Any] = {}
    bar = progress_bar(cfg.run.shows_progress, "newsqa: signals", total=len(corpus.ids))
    for outs in executor.map(signals_of, cfg.signals.signals, signal_inputs(), _concat):
        lo, hi, glo, texts = pending.popleft()
        results: list[ArticleResult] = []
        g = 0
        for i in range(lo, hi):
            aid, source = corpus.ids[i], corpus.sources[int(src[i])]
            if i in corpus.errors:
                results.append(ArticleResult(id=aid, source=source, status="error", error=corpus.errors[i]))
                sink.article(results[-1], Unreadable(aid, source, corpus.errors[i], corpus.input_ids.get(i)))
                continue
            flags, signals = outs[g]
            text = texts[g]
            results.append(
                article_result(aid, source, text, int(n_shingles[glo + g]), result.cluster_of.get(aid), flags, signals)
            )
            record = Article(
                aid,
                text,
                source,
                corpus.good_url[glo + g],
                corpus.good_pub[glo + g],
                input_id=corpus.input_ids.get(i),
            )
            sink.article(results[-1], record)
            g += 1
        totals = merge_stats(totals, chunk_source_stats(results, cluster_by_id))
        bar.update(hi - lo)
    bar.close()

    # 4. scores, then the sinks finish
    sink.finish(result.clusters, source_summaries(totals))


def source_summaries(totals: Mapping[str, Mapping[str, int]]) -> tuple[Any, ...]:
    """Scored sources from per-source sums (:func:`newsqa.scoring.score_stats`)."""
    from .scoring import score_stats

    return tuple(score_stats(s, totals[s]) for s in sorted(totals))


def chunk_source_stats(results: list[ArticleResult], cluster_by_id: Mapping[str, Any]) -> dict[str, Any]:
    """Per-source sums of one chunk's results (:func:`newsqa.scoring.source_stats`)."""
    from .scoring import source_stats

    mine = {r.cluster for r in results if r.cluster is not None}
    return source_stats(results, [cluster_by_id[c] for c in sorted(mine)])
