"""The local executor: this process, and forked worker processes for large chunks.

:func:`newsqa.pipeline.run` hands it a pure per-chunk function and the
chunks. With one worker, or a chunk of fewer than
:data:`PARALLEL_MIN_ARTICLES` articles, the function runs here; else the
chunk is cut into slices, the slices are computed by forked worker
processes (they inherit the shared state; only the slices and results
travel), and the slices' results are joined. Where ``fork`` does not exist
(Windows) everything runs here. The functions are pure, so results do not
depend on the number of workers.

>>> ex = LocalExecutor(1)
>>> list(ex.map(lambda shared, xs: [shared + x for x in xs], 10, [[1, 2], [3]], lambda parts: sum(parts, [])))
[[11, 12], [13]]
"""

from __future__ import annotations

import multiprocessing as mp
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

# Below this many articles a chunk is computed in this process: starting
# worker processes costs about 50 ms, the signals about 2 ms an article.
PARALLEL_MIN_ARTICLES = 200
# Slices per worker process, so that slow articles even out across workers.
SLICES_PER_WORKER = 4

# What forked workers read (inherited, never pickled): set by LocalExecutor.map.
_FORK_STATE: tuple[Any, Any, Sequence[Any]] | None = None


def _forked_slice(lo: int, hi: int) -> Any:
    """In a forked worker: the function on one slice of the chunk inherited from the parent."""
    assert _FORK_STATE is not None
    func, shared, payload = _FORK_STATE
    return func(shared, payload[lo:hi])


class LocalExecutor:
    """Maps per-chunk work here or over ``workers`` forked processes."""

    def __init__(self, workers: int = 1) -> None:
        self.workers = max(1, int(workers))

    def map(
        self,
        func: Callable[[Any, Sequence[Any]], Any],
        shared: Any,
        payloads: Iterable[Sequence[Any]],
        merge: Callable[[list[Any]], Any],
    ) -> Iterator[Any]:
        global _FORK_STATE
        parallel = self.workers > 1 and "fork" in mp.get_all_start_methods()
        for payload in payloads:
            n = len(payload)
            if not parallel or n < PARALLEL_MIN_ARTICLES:
                yield func(shared, payload)
                continue
            step = max(1, -(-n // (self.workers * SLICES_PER_WORKER)))
            bounds = [(lo, min(n, lo + step)) for lo in range(0, n, step)]
            _FORK_STATE = (func, shared, payload)
            try:  # a fresh pool per chunk: its workers inherit this chunk (only results travel)
                with mp.get_context("fork").Pool(self.workers) as pool:
                    parts = pool.starmap(_forked_slice, bounds)
            finally:
                _FORK_STATE = None
            yield merge(parts)

    def cluster_stages(self) -> dict[str, Any]:
        return {}

    def close(self) -> None:
        pass


__all__ = ["PARALLEL_MIN_ARTICLES", "LocalExecutor"]
