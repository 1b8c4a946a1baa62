"""Article signals: one small pure module per signal, behind one protocol.

Every signal module declares a module-level ``SIGNAL``, a :class:`Signal`:
its name (the config's and the CLI's), a one-line summary, the flag kinds
and the ``ArticleResult.signals`` keys it emits, what it needs besides the
text (the source's template lines, the spans of signals that run before
it) and its named parameters. The registry (:mod:`newsqa.signals.registry`)
finds the modules; the config's signal names, the CLI's ``--signals``
help, the report's flag kinds and the lines ``clean_text`` removes are all
derived from it, so adding a signal touches one module.

``compute`` takes the text (and, for each of ``needs``, a keyword:
``templates=``, ``skip=``) and returns a :class:`SignalOutput`: flagged
character spans (``text[start:end]``) with a stable snake_case ``reason``,
and named numbers for ``ArticleResult.signals``. Signals never raise on
any ``str`` and run in time linear in the text's length.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from ..model import Flag

_EMPTY: Mapping[str, Any] = MappingProxyType({})

#: What a signal may need besides the text: the source's template lines,
#: and the spans of the line-removing signals that ran before it.
NEEDS = ("templates", "skip")


@dataclass(frozen=True, slots=True)
class SignalOutput:
    """What one signal found in one text."""

    flags: tuple[Flag, ...] = ()
    signals: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)


@dataclass(frozen=True, slots=True)
class Signal:
    """The declaration of one article signal (see the module docstring).

    Attributes:
        name: The signal's name in ``Config.signals`` and ``--signals``.
        compute: ``compute(text, **needs) -> SignalOutput``.
        summary: One line for the CLI's help and the docs.
        emits: The keys it adds to ``ArticleResult.signals``.
        flag_kinds: The ``Flag.kind`` values of its flags (empty: numbers only).
        needs: Any of :data:`NEEDS`, passed to ``compute`` as keywords.
        after: Signals that must run before it (their spans feed ``skip``).
        removes_lines: Its flagged lines are not the article:
            :func:`newsqa.clean_text` removes them and later signals skip them.
        params: Its named parameters (thresholds), for the docs and ``explain``.
    """

    name: str
    compute: Callable[..., SignalOutput]
    summary: str
    emits: tuple[str, ...]
    flag_kinds: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    after: tuple[str, ...] = ()
    removes_lines: bool = False
    params: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)

    def __post_init__(self) -> None:
        unknown = [n for n in self.needs if n not in NEEDS]
        if unknown:
            raise ValueError(f"signal {self.name!r}: unknown needs {unknown}; known: {', '.join(NEEDS)}")
        object.__setattr__(self, "params", MappingProxyType(dict(self.params)))


__all__ = ["NEEDS", "Flag", "Signal", "SignalOutput"]
