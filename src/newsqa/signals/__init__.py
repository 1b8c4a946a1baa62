"""Article signals: one small pure function per module.

Every signal takes the article text (and, where it needs them, a little
context) and returns a :class:`SignalOutput`: flagged character spans
(``text[start:end]``) with a stable snake_case ``reason``, and named
numbers for ``ArticleResult.signals``. Signals never raise on any ``str``
and run in time linear in the text's length.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from ..model import Flag

_EMPTY: Mapping[str, Any] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class SignalOutput:
    """What one signal found in one text."""

    flags: tuple[Flag, ...] = ()
    signals: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)


__all__ = ["Flag", "SignalOutput"]
