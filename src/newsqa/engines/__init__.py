"""Executors: where the one pipeline's work runs. Every executor gives the same report.

:func:`newsqa.pipeline.run` defines the work (read, sketch and cluster,
signals, scores, sinks); an executor supplies only how per-chunk functions
are mapped and how candidate pairs and connected components are found
(and, optionally, how clustering's per-item steps are mapped:
``map_parts``):

* ``local`` (:class:`newsqa.engines.local.LocalExecutor`, the default):
  this process, with forked worker processes for large chunks and for
  clustering's per-item steps when ``n_jobs`` > 1.
* ``ray`` (:class:`newsqa.engines.ray.RayExecutor`): chunks as Ray tasks,
  LSH buckets and large components on Ray Data; needs
  ``pip install 'newsqa[ray]'``.
"""

from __future__ import annotations

from typing import Any

from ..errors import MissingExtraError

RAY_EXTRA_HINT = "pip install 'newsqa[ray]'"


def require_ray() -> Any:
    """Import Ray (with Ray Data) or raise :class:`MissingExtraError` naming the extra.

    Returns:
        The ``ray`` module.

    Raises:
        MissingExtraError: Ray or Ray Data is not installed.
    """
    try:
        import ray
        import ray.data
    except ImportError as err:
        raise MissingExtraError(
            f"engine='ray' needs Ray Data, which is not installed ({err}); install it with: {RAY_EXTRA_HINT}"
        ) from None
    return ray


__all__ = ["RAY_EXTRA_HINT", "MissingExtraError", "require_ray"]
