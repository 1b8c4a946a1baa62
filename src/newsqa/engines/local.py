"""The local executor: this process, and forked worker processes for large chunks.

:func:`newsqa.pipeline.run` hands it a pure per-chunk function and the
chunks. With one worker, or a chunk of fewer than
:data:`PARALLEL_MIN_ARTICLES` articles, the function runs here; else the
chunk is cut into slices, the slices are computed by forked worker
processes (they inherit the shared state; only the slices and results
travel), and the slices' results are joined. Forking is not safe in a
process whose runtime runs threads that do not survive a fork: Ray started
in this process (its gRPC and core-worker threads can leave a forked child
waiting forever on a lock): there the chunks run here, with one
:class:`RuntimeWarning` that says why and what to do (``engine="ray"`` uses
that Ray). Where ``fork`` does not exist (Windows) they run here too. The functions are pure,
so results do not depend on the number of workers.

Clustering's per-item steps (the skeletons' sketches, text by text; the
clusters' originals and relations, group by group: see
:func:`newsqa.clusters.cluster_texts`) go the same way through
:meth:`LocalExecutor.map_parts`, the ``map_parts`` stage of
:meth:`LocalExecutor.cluster_stages`: from :data:`PARALLEL_MIN_WORK_US`
of estimated work in all, slices of about equal work are computed by
forked workers, and only their results travel back.

>>> ex = LocalExecutor(1)
>>> list(ex.map(lambda shared, xs: [shared + x for x in xs], 10, [[1, 2], [3]], lambda parts: sum(parts, [])))
[[11, 12], [13]]
"""

from __future__ import annotations

import gc
import multiprocessing as mp
import sys
import warnings
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import accumulate, pairwise
from typing import Any

# Below this many articles a chunk is computed in this process: starting
# worker processes costs about 50 ms, the signals about 2 ms an article.
PARALLEL_MIN_ARTICLES = 200
# Slices per worker process, so that slow articles even out across workers.
SLICES_PER_WORKER = 4
# Below this much work in all, clustering's per-item steps (map_parts) run in
# this process. Their weights estimate each item's cost in microseconds
# (newsqa.clusters.*_COST_US); a pool of two forked workers costs about 25 ms
# to start and join (an empty map, measured), and two workers save half the
# work: from 150 ms of work they save at least 50 ms. (Measured on bench_e2e's
# 2,100 articles: 1,305 exact overlaps, 54 ms in process, took 65-69 ms
# forked; the clusters' 2,100 members, 0.45 s, took 0.29-0.30 s forked.)
PARALLEL_MIN_WORK_US = 150_000
# Slices per worker process for clustering's steps: a cluster costs about its
# member count, from 2 to hundreds; more, smaller slices even that out.
PART_SLICES_PER_WORKER = 8

# What forked workers read (inherited, never pickled): set by LocalExecutor._run.
_FORK_STATE: tuple[Any, Any, Sequence[Any]] | None = None


def _forked_slice(lo: int, hi: int) -> Any:
    """In a forked worker: the function on one slice of the chunk inherited from the parent."""
    assert _FORK_STATE is not None
    func, shared, payload = _FORK_STATE
    return func(shared, payload[lo:hi])


def _even_slices(weights: Sequence[int], n_slices: int) -> list[tuple[int, int]]:
    """At most ``n_slices`` consecutive, non-empty ``(lo, hi)`` slices of about equal total weight.

    >>> _even_slices([1] * 10, 4)
    [(0, 3), (3, 5), (5, 8), (8, 10)]
    >>> _even_slices([90, 2, 2, 2, 2, 2], 4)  # a heavy item is a slice of its own
    [(0, 1), (1, 6)]
    """
    cum = list(accumulate(weights))
    if not cum:
        return []
    total = cum[-1]
    cuts = sorted({0, len(cum)} | {bisect_left(cum, total * k / n_slices) + 1 for k in range(1, n_slices)})
    return list(pairwise(cuts))


def _concat(parts: list[list[Any]]) -> list[Any]:
    return [x for part in parts for x in part]


def fork_unsafe_reason() -> str | None:
    """Why forking this process now would be unsafe, or ``None`` when it is safe.

    >>> fork_unsafe_reason() is None or isinstance(fork_unsafe_reason(), str)
    True
    """
    ray = sys.modules.get("ray")
    if ray is not None and getattr(ray, "is_initialized", lambda: False)():
        return "Ray runs in this process and its threads do not survive a fork (use engine='ray' to run on it)"
    return None


class LocalExecutor:
    """Maps per-chunk work here or over ``workers`` forked processes."""

    def __init__(self, workers: int = 1) -> None:
        self.workers = max(1, int(workers))
        self._warned = False

    def map(
        self,
        func: Callable[[Any, Sequence[Any]], Any],
        shared: Any,
        payloads: Iterable[Sequence[Any]],
        merge: Callable[[list[Any]], Any],
    ) -> Iterator[Any]:
        for payload in payloads:
            yield self._run(func, shared, payload, 1, PARALLEL_MIN_ARTICLES, SLICES_PER_WORKER, merge)

    def map_parts(
        self,
        func: Callable[[Any, Sequence[Any]], list[Any]],
        shared: Any,
        items: Sequence[Any],
        weights: Sequence[int] | int = 1,
    ) -> list[Any]:
        """The ``map_parts`` stage of :func:`newsqa.clusters.cluster_texts`: ``func`` over
        slices of ``items`` of about equal total ``weights`` (the estimated microseconds of each
        item's work, or one figure for all), joined in order."""
        return self._run(func, shared, items, weights, PARALLEL_MIN_WORK_US, PART_SLICES_PER_WORKER, _concat)

    def _run(
        self,
        func: Callable[[Any, Sequence[Any]], Any],
        shared: Any,
        payload: Sequence[Any],
        weights: Sequence[int] | int,
        min_weight: int,
        slices_per_worker: int,
        merge: Callable[[list[Any]], Any],
    ) -> Any:
        """``func(shared, payload)``: here, or, from ``min_weight`` in all, by forked workers over
        consecutive slices of about equal weight (``weights``: one per item, or one for all) joined by
        ``merge``."""
        global _FORK_STATE
        total = len(payload) * weights if isinstance(weights, int) else sum(weights)
        if self.workers == 1 or "fork" not in mp.get_all_start_methods() or total < min_weight:
            return func(shared, payload)
        n_slices = self.workers * slices_per_worker
        if isinstance(weights, int):  # equal items: equal slices
            step = -(-len(payload) // n_slices)
            bounds = [(lo, min(len(payload), lo + step)) for lo in range(0, len(payload), step)]
        else:
            bounds = _even_slices(weights, n_slices)
        if len(bounds) < 2:  # one heavy item: nothing to share out
            return func(shared, payload)
        unsafe = fork_unsafe_reason()  # asked each time: Ray may have started since the last one
        if unsafe is not None:
            if not self._warned:
                warnings.warn(
                    f"newsqa runs in this one process instead of {self.workers} worker processes: {unsafe}. "
                    "Pass n_jobs=1 to say so and silence this warning.",
                    RuntimeWarning,
                    stacklevel=3,
                )
                self._warned = True
            return func(shared, payload)
        _FORK_STATE = (func, shared, payload)
        # Objects that exist at the fork move to the collector's permanent
        # generation, so the workers' garbage collections do not walk them
        # (walking writes to every object's header: the copy-on-write pages
        # of the whole parent heap would be copied into each worker).
        gc.freeze()
        try:  # a fresh pool each time: its workers inherit this payload (only results travel)
            with mp.get_context("fork").Pool(self.workers) as pool:
                parts = pool.starmap(_forked_slice, bounds, chunksize=1)
        finally:
            gc.unfreeze()
            _FORK_STATE = None
        return merge(parts)

    def cluster_stages(self) -> dict[str, Any]:
        return {"map_parts": self.map_parts}

    def close(self) -> None:
        pass


__all__ = ["PARALLEL_MIN_ARTICLES", "PARALLEL_MIN_WORK_US", "LocalExecutor", "fork_unsafe_reason"]
