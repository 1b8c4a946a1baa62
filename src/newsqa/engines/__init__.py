"""Engines: how a run is executed. Every engine gives the same report.

* ``local`` in :func:`newsqa.analyze`: the whole corpus in memory, one
  process (the reference).
* ``local`` on the command line (:mod:`newsqa.engines.local`): the same job
  streamed in chunks, with bounded memory: texts wait in a spill file on
  disk, ``report.json`` is written article by article.
* ``ray`` (:mod:`newsqa.engines.ray`): the per-article work and the LSH
  buckets on Ray Data; needs ``pip install 'newsqa[ray]'``.

The passes the streamed engines share are in :mod:`newsqa.engines.stream`.
"""

from __future__ import annotations

from typing import Any

from ..errors import ConfigError

RAY_EXTRA_HINT = "pip install 'newsqa[ray]'"


class MissingExtraError(ConfigError, ImportError):
    """An optional dependency is not installed; the message names the extra to install."""


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
