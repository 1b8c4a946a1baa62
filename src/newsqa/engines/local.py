"""The local streamed engine: the whole job in this process, in chunks, with bounded memory.

``newsqa analyze`` runs this engine on its input files: one read of the
input, texts spilled to a temporary directory, ``report.json`` written one
article at a time (see :mod:`newsqa.engines.stream` for the passes). The
report equals :func:`newsqa.analyze`'s on the same input.

>>> import newsqa
>>> from newsqa.engines.stream import ReportCollector
>>> sink = ReportCollector({}, "0")
>>> run([newsqa.Article("a", "Kim met Putin in Pyongyang.", "s")], newsqa.Config(), sink)
>>> sink.report.articles[0].status
'ok'
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import numpy as np

from ..clusters import cluster_texts
from ..config import Config
from ..model import ArticleResult
from .stream import (
    Corpus,
    Reordered,
    Sink,
    article_result,
    article_signals,
    as_records,
    chunk_facts,
    chunks,
    templates_for,
)

# Show progress on stderr only for runs longer than this (seconds), as
# newsqa.analyze does.
PROGRESS_DELAY_S = 2.0


def progress_bar(enabled: bool, desc: str) -> Any:
    """A tqdm bar on stderr that appears after PROGRESS_DELAY_S, or a no-op."""
    from tqdm import tqdm

    return tqdm(
        desc=desc,
        unit=" articles",
        file=sys.stderr,
        leave=False,
        delay=PROGRESS_DELAY_S,
        disable=not enabled,
    )


def source_summaries(totals: Mapping[str, Mapping[str, int]]) -> tuple[Any, ...]:
    """Scored sources from per-source sums, as :func:`newsqa.scoring.score_report` scores them."""
    from ..scoring import score_stats

    return tuple(score_stats(s, totals[s]) for s in sorted(totals))


def chunk_source_stats(
    results: list[ArticleResult], cluster_by_id: Mapping[str, Any]
) -> dict[str, Any]:
    """Per-source sums of one chunk's results (:func:`newsqa.scoring.source_stats`)."""
    from ..scoring import source_stats

    mine = {r.cluster for r in results if r.cluster is not None}
    return source_stats(results, [cluster_by_id[c] for c in sorted(mine)])


def cluster_corpus(corpus: Corpus, cfg: Config, **stages: Any) -> Any:
    """Cluster the readable articles of a corpus after pass 1, as :func:`newsqa.analyze` does.

    The articles are handed over already sorted by id (clustering's own
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
        n_jobs=cfg.run.workers,
        unspun={int(where[g]): t for g, t in corpus.unspun.items()} or None,
        spun_scores=[scores[i] for i in order] if scores is not None else None,
        sketches=corpus.sketches(order),
        **stages,
    )
    n_shingles = np.empty(order.shape[0], dtype=np.int64)
    n_shingles[order[result.order]] = result.sketches.n_shingles
    return result, n_shingles


def pass_two(
    corpus: Corpus,
    cfg: Config,
    clusters: tuple[Any, ...],
    cluster_of: dict[str, str],
    n_shingles: Any,
    template_hashes: dict[int, frozenset[int]],
    sink: Sink,
    signal_chunks: Callable[[list[str], list[frozenset[str]], Any], list[Any]]
    | None = None,
    progress: bool = False,
) -> dict[str, Any]:
    """Signals of every article, chunk by chunk, in input order, into ``sink``.

    ``signal_chunks`` computes a chunk's ``(flags, signals)`` elsewhere (the
    Ray engine); by default they are computed here. Returns the per-source
    sums of :func:`newsqa.scoring.source_stats` over all chunks.
    """
    from ..scoring import merge_stats

    src = corpus.source_of_item
    cluster_by_id = {c.id: c for c in clusters}
    totals: dict[str, Any] = {}
    bar = progress_bar(progress, "newsqa signals")
    for lo, hi, glo, texts, spun in corpus.pass_two_inputs():
        good_items = [i for i in range(lo, hi) if i not in corpus.errors]
        tpl = [
            templates_for(t, template_hashes.get(int(src[i]), frozenset()))
            for i, t in zip(good_items, texts)
        ]
        if signal_chunks is not None:
            outs = signal_chunks(texts, tpl, spun)
        else:
            outs = [
                article_signals(t, cfg, tpl[j], spun[j] if spun is not None else None)
                for j, t in enumerate(texts)
            ]
        results: list[ArticleResult] = []
        g = 0
        for i in range(lo, hi):
            aid, source = corpus.ids[i], corpus.sources[int(src[i])]
            if i in corpus.errors:
                results.append(
                    ArticleResult(
                        id=aid, source=source, status="error", error=corpus.errors[i]
                    )
                )
                sink.article(results[-1], None)
                continue
            flags, signals = outs[g]
            text = texts[g]
            results.append(
                article_result(
                    aid,
                    source,
                    text,
                    int(n_shingles[glo + g]),
                    cluster_of.get(aid),
                    flags,
                    signals,
                )
            )
            sink.article(results[-1], text)
            g += 1
        totals = merge_stats(totals, chunk_source_stats(results, cluster_by_id))
        bar.update(hi - lo)
    bar.close()
    return totals


def run(
    items: Iterable[Any], cfg: Config, sink: Sink, *, workdir: str | None = None
) -> None:
    """Analyse ``items`` in chunks of ``cfg.run.chunk_size`` and send the results to ``sink``.

    Args:
        items: Articles, ``Unreadable`` records or mappings, in any iterable
            (read once).
        cfg: The configuration.
        sink: Receives each :class:`~newsqa.ArticleResult` (with its text)
            in input order, then the clusters and source results.
        workdir: Where the spill directory goes (default: the system's
            temporary directory). It is removed at the end.
    """
    with tempfile.TemporaryDirectory(prefix="newsqa-", dir=workdir) as tmp:
        corpus = Corpus(cfg, tmp)
        try:
            bar = progress_bar(cfg.run.progress, "newsqa pass 1")
            for chunk in chunks(as_records(items), cfg.run.chunk_size):
                texts = corpus.add_records(chunk)
                corpus.add_facts(chunk_facts(texts, cfg, n_jobs=cfg.run.workers))
                bar.update(len(chunk))
            bar.close()
            corpus.end_pass_one()
            result, n_shingles = cluster_corpus(corpus, cfg)
            template_hashes = corpus.learn_templates(result.clusters, result.cluster_of)
            totals = pass_two(
                corpus,
                cfg,
                result.clusters,
                result.cluster_of,
                n_shingles,
                template_hashes,
                sink,
                signal_chunks=_forked_signals(cfg) if cfg.run.workers > 1 else None,
                progress=cfg.run.progress,
            )
            sink.finish(result.clusters, source_summaries(totals))
        finally:
            corpus.close()


def _chunk_slice(state: tuple[Any, ...], lo: int, hi: int) -> list[Any]:
    """Pass 2 for articles ``lo:hi`` of a chunk."""
    texts, tpl, spun, cfg = state
    return [article_signals(texts[j], cfg, tpl[j], spun[j] if spun is not None else None) for j in range(lo, hi)]


def _forked_signals(cfg: Config) -> Callable[[list[str], list[frozenset[str]], Any], list[Any]]:
    """Pass 2's signals of a chunk in ``cfg.run.workers`` forked processes (as
    :func:`newsqa.analyze` computes them; the same results)."""
    from ..analyze import _in_slices

    def compute(texts: list[str], tpl: list[frozenset[str]], spun: Any) -> list[Any]:
        return _in_slices(_chunk_slice, (texts, tpl, spun, cfg), len(texts), cfg.run.workers)

    return compute


__all__ = ["run"]
