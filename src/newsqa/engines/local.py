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

>>> ex = LocalExecutor(1)
>>> list(ex.map(lambda shared, xs: [shared + x for x in xs], 10, [[1, 2], [3]], lambda parts: sum(parts, [])))
[[11, 12], [13]]
"""

from __future__ import annotations

import gc
import multiprocessing as mp
import sys
import warnings
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
        global _FORK_STATE
        can_fork = "fork" in mp.get_all_start_methods()
        for payload in payloads:
            n = len(payload)
            if self.workers == 1 or not can_fork or n < PARALLEL_MIN_ARTICLES:
                yield func(shared, payload)
                continue
            step = max(1, -(-n // (self.workers * SLICES_PER_WORKER)))
            bounds = [(lo, min(n, lo + step)) for lo in range(0, n, step)]
            unsafe = fork_unsafe_reason()  # asked per chunk: Ray may have started since the last one
            if unsafe is not None:
                if not self._warned:
                    warnings.warn(
                        f"newsqa runs in this one process instead of {self.workers} worker processes: {unsafe}. "
                        "Pass n_jobs=1 to say so and silence this warning.",
                        RuntimeWarning,
                        stacklevel=2,
                    )
                    self._warned = True
                yield func(shared, payload)
                continue
            _FORK_STATE = (func, shared, payload)
            # Objects that exist at the fork move to the collector's permanent
            # generation, so the workers' garbage collections do not walk them
            # (walking writes to every object's header: the copy-on-write pages
            # of the whole parent heap would be copied into each worker).
            gc.freeze()
            try:  # a fresh pool per chunk: its workers inherit this chunk (only results travel)
                with mp.get_context("fork").Pool(self.workers) as pool:
                    parts = pool.starmap(_forked_slice, bounds)
            finally:
                gc.unfreeze()
                _FORK_STATE = None
            yield merge(parts)

    def cluster_stages(self) -> dict[str, Any]:
        return {}

    def close(self) -> None:
        pass


__all__ = ["PARALLEL_MIN_ARTICLES", "LocalExecutor", "fork_unsafe_reason"]
