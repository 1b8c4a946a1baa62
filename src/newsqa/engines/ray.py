"""The Ray executor: the one pipeline's per-chunk work and LSH buckets on Ray.

``newsqa.analyze(articles, engine="ray")`` or ``newsqa analyze --engine ray
[--ray-address ADDRESS]``. Needs ``pip install 'newsqa[ray]'``.

:func:`newsqa.pipeline.run` defines the work; this executor decides where
it runs (see ``docs/scaling.md`` for the costs and a 1-billion-article
estimate):

* **Per-chunk work** (pass 1: signatures, spun signal, template line
  hashes; pass 2: the article signals): each chunk is one Ray task, at
  most :data:`TASKS_IN_FLIGHT_PER_CPU` per cluster CPU in flight, results
  taken back in input order. The shared argument (the config, the signal
  names) is put in the object store once per pass.
* **LSH** (:func:`ray_candidate_pairs`): ``map_batches`` cuts the
  signatures into band keys, ``groupby`` brings each bucket together and
  ``map_groups`` links its members with star edges (the same leader rule
  as :mod:`newsqa.lsh`, so the same candidate pairs as the local executor).
* **Connected components** (:class:`RayComponents`): union-find on the
  driver while the edges number at most :data:`MAX_DRIVER_EDGES`; above
  it, large-star/small-star (Kiveris et al. 2014) on Ray Data.

Verification, containment and originals run on the driver with the local
code, reading the texts of candidate pairs from the driver's spill file.
"""

from __future__ import annotations

import logging
from array import array
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import numpy as np
from numba import njit

from ..config import Config
from ..lsh import (
    MAX_LEADERS,
    _compact,
    band_keys,
    bucket_pairs,
    leader_edges,
    sorted_unique,
)
from . import require_ray

# Connected components run on the driver (union-find, 16 bytes an edge and
# 8 bytes a node) up to this many edges: 50 million edges are 800 MB, a
# fair share of a driver with 8-16 GB. Above it they run on Ray Data with
# large-star/small-star, whose rounds hold only one shuffle of edges at a
# time, spread over the cluster.
MAX_DRIVER_EDGES = 50_000_000
# Rows of signatures per block when computing band keys on Ray: 8,192
# signatures are 4 MB at 128 permutations, and a block of band keys for
# 25 bands is 4 MB as well, a comfortable block size for Ray Data.
BAND_BLOCK_ROWS = 8_192
# Rows per shuffle partition of a groupby. Ray Data's default of 200
# partitions costs seconds of task overhead per shuffle on small inputs; a
# partition of 2 million (band, key, position) rows is 48 MB.
SHUFFLE_PARTITION_ROWS = 2_000_000


def _partitions(rows: int) -> int:
    return max(1, min(200, -(-rows // SHUFFLE_PARTITION_ROWS)))


# Chunk tasks in flight per CPU of the cluster: enough to keep every CPU
# busy while results are taken back in order, few enough that the object
# store holds only a handful of chunks of texts per CPU.
TASKS_IN_FLIGHT_PER_CPU = 2


# --- Ray set-up -----------------------------------------------------------------------


def _start(cfg: Config) -> tuple[Any, bool]:
    """Connect to Ray (``ray_address``) or start a local instance; returns (ray, started here)."""
    ray = require_ray()
    started = False
    if not ray.is_initialized():
        kwargs: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False}
        if cfg.run.ray_address is not None:
            ray.init(address=cfg.run.ray_address, **kwargs)
        else:
            ray.init(
                num_cpus=cfg.run.workers if cfg.run.n_jobs != 1 else None, **kwargs
            )
        started = True
    ctx = ray.data.DataContext.get_current()
    ctx.execution_options.preserve_order = True
    ctx.enable_progress_bars = cfg.run.shows_progress
    # Sort-based shuffles run as plain tasks; the hash shuffle starts
    # aggregator actors, seconds of overhead per groupby on small inputs.
    from ray.data.context import ShuffleStrategy

    ctx.shuffle_strategy = ShuffleStrategy.SORT_SHUFFLE_PULL_BASED
    logging.getLogger("ray.data").setLevel(logging.WARNING)
    return ray, started


# --- per-chunk tasks -------------------------------------------------------------------


def _task(func: Callable[[Any, Sequence[Any]], Any], shared: Any, payload: Sequence[Any]) -> Any:
    """One chunk's work on a Ray worker (``shared`` arrives resolved from the object store)."""
    return func(shared, payload)


class RayExecutor:
    """Maps per-chunk work over a Ray cluster; finds pairs and components on Ray Data."""

    def __init__(self, cfg: Config, max_driver_edges: int | None = None) -> None:
        self.ray, self._started = _start(cfg)
        self.max_driver_edges = max_driver_edges
        self._remote = self.ray.remote(_task)

    def map(
        self,
        func: Callable[[Any, Sequence[Any]], Any],
        shared: Any,
        payloads: Iterable[Sequence[Any]],
        merge: Callable[[list[Any]], Any],
    ) -> Iterator[Any]:
        ray = self.ray
        shared_ref = ray.put(shared)
        window = max(2, int(ray.cluster_resources().get("CPU", 1)) * TASKS_IN_FLIGHT_PER_CPU)
        in_flight: deque[Any] = deque()
        for payload in payloads:
            in_flight.append(self._remote.remote(func, shared_ref, list(payload)))
            if len(in_flight) >= window:
                yield ray.get(in_flight.popleft())
        while in_flight:
            yield ray.get(in_flight.popleft())

    def cluster_stages(self) -> dict[str, Any]:
        return {
            "pairs_fn": ray_candidate_pairs,
            "union_find": lambda n: RayComponents(n, self.max_driver_edges),
        }

    def close(self) -> None:
        if self._started:
            self.ray.shutdown()
            self._started = False


def _band_rows(
    batch: dict[str, np.ndarray], shared: list[Any], bands: int, rows: int
) -> dict[str, np.ndarray]:
    """Band keys of a block of signature rows: one ``(band, key, pos)`` row per band and signature."""
    import ray

    sigs = ray.get(shared[0])
    pos = np.ascontiguousarray(batch["id"], dtype=np.int64)
    keys = np.empty((bands, pos.shape[0]), dtype=np.uint64)
    for band in range(bands):
        band_keys(sigs, pos, band, rows, keys[band])
    return {
        "band": np.repeat(np.arange(bands, dtype=np.int64), pos.shape[0]),
        "key": keys.reshape(-1),
        "pos": np.tile(pos, bands),
    }


def bucket_edges(
    pos: np.ndarray, sigs: np.ndarray, min_equal: int | None, cap: int
) -> tuple[np.ndarray, np.ndarray]:
    """Star edges of one LSH bucket, as :func:`newsqa.lsh.candidate_pairs` links a bucket.

    Members are taken in position order (the local engine's stable sort
    does the same), so the edges are the local ones.
    """
    pos = np.sort(np.asarray(pos, dtype=np.int64))
    m = pos.shape[0]
    if m < 2:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    order = np.arange(m, dtype=np.int64)
    keys = np.zeros(m, dtype=np.uint64)
    size = max(16, 2 * m)
    while True:
        ea = np.empty(size, dtype=np.int64)
        eb = np.empty(size, dtype=np.int64)
        if min_equal is not None:
            ne = leader_edges(order, keys, sigs, pos, min_equal, cap, ea, eb, 0)
        else:
            ne = bucket_pairs(order, keys, cap, np.empty(0, dtype=np.int64), ea, eb, 0)
        if ne >= 0:
            break
        size *= 2
    return pos[ea[:ne]], pos[eb[:ne]]  # local indices -> positions


def _group_edges(
    batch: dict[str, np.ndarray], shared: list[Any], min_equal: int | None, cap: int
) -> dict[str, np.ndarray]:
    import ray

    a, b = bucket_edges(batch["pos"], ray.get(shared[0]), min_equal, cap)
    return {"a": a, "b": b}


# --- LSH candidates on Ray -----------------------------------------------------------


def ray_candidate_pairs(
    sigs: np.ndarray,
    bands: int,
    rows: int,
    *,
    idx: np.ndarray | None = None,
    min_equal: int | None = None,
    cap: int = MAX_LEADERS,
    labels: np.ndarray | None = None,
) -> np.ndarray:
    """:func:`newsqa.lsh.candidate_pairs` on Ray Data: same arguments, same pairs
    (``labels`` are applied to the joined pairs, on the driver)."""
    ray = require_ray()
    if idx is None:
        idx = np.arange(sigs.shape[0], dtype=np.int64)
    n = int(idx.shape[0])
    if n < 2:
        return np.empty((0, 2), dtype=np.int64)
    shared = [ray.put(np.ascontiguousarray(sigs[idx]))]
    blocks = max(1, -(-n // BAND_BLOCK_ROWS))
    keyed = ray.data.range(n, override_num_blocks=blocks).map_batches(
        _band_rows,
        batch_format="numpy",
        fn_kwargs={"shared": shared, "bands": bands, "rows": rows},
    )
    edges = keyed.groupby(
        ["band", "key"], num_partitions=_partitions(n * bands)
    ).map_groups(
        _group_edges,
        batch_format="numpy",
        fn_kwargs={"shared": shared, "min_equal": min_equal, "cap": cap},
    )
    parts_a, parts_b = [], []
    for batch in edges.iter_batches(batch_format="numpy", batch_size=None):
        parts_a.append(np.asarray(batch["a"], dtype=np.int64))
        parts_b.append(np.asarray(batch["b"], dtype=np.int64))
    if not parts_a or not sum(p.shape[0] for p in parts_a):
        return np.empty((0, 2), dtype=np.int64)
    ea, eb, ne = _compact(np.concatenate(parts_a), np.concatenate(parts_b), n)
    if ne == 0:
        return np.empty((0, 2), dtype=np.int64)
    pairs = np.stack([ea[:ne], eb[:ne]], axis=1)
    if labels is not None and min_equal is None:
        pairs = pairs[labels[pairs[:, 0]] != labels[pairs[:, 1]]]
    return pairs


# --- connected components -----------------------------------------------------------


@njit(cache=True)
def _uf_labels(n, a, b):
    parent = np.arange(n, dtype=np.int64)
    for i in range(a.shape[0]):
        x = a[i]
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        y = b[i]
        while parent[y] != y:
            parent[y] = parent[parent[y]]
            y = parent[y]
        if x != y:
            if x < y:
                parent[y] = x
            else:
                parent[x] = y
    for i in range(n):
        x = i
        while parent[x] != x:
            x = parent[x]
        parent[i] = x
    return parent


def union_find_labels(n: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Component label (its smallest node) of each of ``n`` nodes, by union-find."""
    return _uf_labels(n, np.asarray(a, dtype=np.int64), np.asarray(b, dtype=np.int64))


def large_star(u: int, nbrs: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    """Large-star at node ``u``: each larger neighbour is linked to the smallest of
    ``u`` and its neighbours. Returns the new edges ``(v, m)`` and how many changed."""
    nbrs = sorted_unique(nbrs)
    m = min(int(nbrs[0]), u) if nbrs.size else u
    big = nbrs[nbrs > u]
    return (
        big,
        np.full(big.shape[0], m, dtype=np.int64),
        int(big.shape[0]) if m < u else 0,
    )


def small_star(u: int, smaller: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    """Small-star at node ``u`` given its smaller neighbours: ``u`` and each of
    them is linked to the smallest. Returns the new edges and how many changed."""
    smaller = sorted_unique(smaller)
    if not smaller.size:
        return np.empty(0, np.int64), np.empty(0, np.int64), 0
    m = int(smaller[0])
    v = np.append(smaller[1:], u).astype(np.int64)
    return v, np.full(v.shape[0], m, dtype=np.int64), int(smaller.shape[0]) - 1


def _star_round_local(
    a: np.ndarray, b: np.ndarray
) -> tuple[np.ndarray, np.ndarray, int, int]:
    """One large-star then small-star round in memory (the reference for the Ray rounds)."""
    la, lb, c1 = _star_local(large_star, np.concatenate([a, b]), np.concatenate([b, a]))
    sa, sb, c2 = _star_local(small_star, np.maximum(la, lb), np.minimum(la, lb))
    return sa, sb, c1, c2


def _star_local(
    star: Callable[[int, np.ndarray], tuple[np.ndarray, np.ndarray, int]], keys: np.ndarray, vals: np.ndarray
) -> tuple[np.ndarray, np.ndarray, int]:
    """``star`` at every node of ``keys`` with its values: the new edges, concatenated, and the changes."""
    outs_a, outs_b, changed = [], [], 0
    for node, nb in _groups(keys, vals):
        x, y, c = star(node, nb)
        outs_a.append(x)
        outs_b.append(y)
        changed += c
    if not outs_a:
        return keys[:0], keys[:0], 0
    return np.concatenate(outs_a), np.concatenate(outs_b), changed


def _groups(keys: np.ndarray, vals: np.ndarray) -> Iterable[tuple[int, np.ndarray]]:
    if not keys.size:
        return
    order = np.argsort(keys, kind="stable")
    keys, vals = keys[order], vals[order]
    cuts = np.flatnonzero(np.diff(keys)) + 1
    for k, part in zip(keys[np.r_[0, cuts]], np.split(vals, cuts)):
        yield int(k), part


def star_labels_local(n: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Large-star/small-star computed in memory (for tests; the Ray version distributes the rounds)."""
    a = np.asarray(a, dtype=np.int64)
    b = np.asarray(b, dtype=np.int64)
    while True:
        a, b, c1, c2 = _star_round_local(a, b)
        if c1 == 0 and c2 == 0:
            break
    return _labels_from_stars(n, a, b)


def _labels_from_stars(n: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    labels = np.arange(n, dtype=np.int64)
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    labels[hi] = lo
    return labels


def _ls_both(batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    return {
        "u": np.concatenate([batch["u"], batch["v"]]),
        "v": np.concatenate([batch["v"], batch["u"]]),
    }


def _ls_group(batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    v, m, c = large_star(int(batch["u"][0]), np.asarray(batch["v"], dtype=np.int64))
    chg = np.zeros(v.shape[0], dtype=np.int64)
    if v.shape[0]:
        chg[0] = c
    return {"u": v, "v": m, "chg": chg}


def _ss_orient(batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    u, v = np.asarray(batch["u"]), np.asarray(batch["v"])
    return {"u": np.maximum(u, v), "v": np.minimum(u, v)}


def _ss_group(batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    v, m, c = small_star(int(batch["u"][0]), np.asarray(batch["v"], dtype=np.int64))
    chg = np.zeros(v.shape[0], dtype=np.int64)
    if v.shape[0]:
        chg[0] = c
    return {"u": v, "v": m, "chg": chg}


def _block_sum(batch: dict[str, np.ndarray], column: str) -> dict[str, np.ndarray]:
    return {"s": np.array([int(np.asarray(batch[column]).sum())], dtype=np.int64)}


def _column_sum(ds: Any, column: str) -> int:
    """Sum of a column as per-block sums added on the driver (no shuffle)."""
    parts = ds.map_batches(
        _block_sum, batch_format="numpy", fn_kwargs={"column": column}
    ).take_all()
    return int(sum(int(p["s"]) for p in parts))


def star_labels_ray(n: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Connected components by large-star/small-star rounds on Ray Data.

    Each round is two shuffles of the edge list (group by node); the edges
    shrink to one star per component, centred on its smallest node. The
    rounds stop when neither step changes an edge (O(log n) rounds).
    """
    ray = require_ray()
    import pyarrow as pa

    a = np.asarray(a, dtype=np.int64)
    b = np.asarray(b, dtype=np.int64)
    if not a.size:
        return np.arange(n, dtype=np.int64)
    blocks = max(1, -(-a.shape[0] // BAND_BLOCK_ROWS))
    edges = ray.data.from_arrow(pa.table({"u": a, "v": b})).repartition(blocks)
    while True:
        parts = _partitions(2 * a.shape[0])
        ls = edges.map_batches(_ls_both, batch_format="numpy").groupby(
            "u", num_partitions=parts
        )
        ls = ls.map_groups(_ls_group, batch_format="numpy")
        ls = ls.materialize()
        c1 = _column_sum(ls, "chg")
        ss = ls.select_columns(["u", "v"]).map_batches(_ss_orient, batch_format="numpy")
        ss = (
            ss.groupby("u", num_partitions=parts)
            .map_groups(_ss_group, batch_format="numpy")
            .materialize()
        )
        c2 = _column_sum(ss, "chg")
        edges = ss.select_columns(["u", "v"])
        if c1 == 0 and c2 == 0:
            break
    fa, fb = [], []
    for batch in edges.iter_batches(batch_format="numpy", batch_size=None):
        fa.append(np.asarray(batch["u"], dtype=np.int64))
        fb.append(np.asarray(batch["v"], dtype=np.int64))
    if not fa:  # every edge was a self-loop: no star is left, every node is its own label
        return _labels_from_stars(n, a[:0], b[:0])
    return _labels_from_stars(n, np.concatenate(fa), np.concatenate(fb))


class RayComponents:
    """The union-find interface of :mod:`newsqa.clusters` with components computed in bulk.

    ``union`` records an edge; the first ``find`` after new edges computes
    every node's component: union-find on the driver up to
    ``max_driver_edges`` edges, else large-star/small-star on Ray Data.
    """

    def __init__(self, n: int, max_driver_edges: int | None = None) -> None:
        self.n = n
        self.max_driver_edges = (
            MAX_DRIVER_EDGES if max_driver_edges is None else max_driver_edges
        )
        self._a = array("q")  # 8 bytes an endpoint (a list of ints would take 36)
        self._b = array("q")
        self._labels: np.ndarray | None = None
        self.distributed_runs = 0

    def union(self, a: int, b: int) -> None:
        self._a.append(int(a))
        self._b.append(int(b))
        self._labels = None

    def find(self, x: int) -> int:
        if self._labels is None:
            a = (
                np.frombuffer(self._a, dtype=np.int64).copy()
                if self._a
                else np.empty(0, np.int64)
            )
            b = (
                np.frombuffer(self._b, dtype=np.int64).copy()
                if self._b
                else np.empty(0, np.int64)
            )
            if a.shape[0] > self.max_driver_edges:
                self._labels = star_labels_ray(self.n, a, b)
                self.distributed_runs += 1
            else:
                self._labels = union_find_labels(self.n, a, b)
        return int(self._labels[x])


__all__ = [
    "MAX_DRIVER_EDGES",
    "RayComponents",
    "RayExecutor",
    "bucket_edges",
    "large_star",
    "ray_candidate_pairs",
    "small_star",
    "star_labels_local",
    "star_labels_ray",
    "union_find_labels",
]
