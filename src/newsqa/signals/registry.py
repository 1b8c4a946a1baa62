"""The registry of article signals, derived from the signal modules, and the per-article runner.

Every module of :mod:`newsqa.signals` that declares a ``SIGNAL`` (a
:class:`~newsqa.signals.Signal`) is a signal; modules whose names start
with ``_`` are helpers. :data:`REGISTRY` holds them in run order: a signal
runs after those it names in ``after``, otherwise in name order.

>>> SIGNAL_NAMES.index("spam_links") < SIGNAL_NAMES.index("boilerplate")
True
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Mapping, Sequence
from typing import Any

from ..model import Flag
from . import Signal, SignalOutput


def _discover() -> tuple[Signal, ...]:
    from .. import signals as package

    found: dict[str, Signal] = {}
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        if info.name.startswith("_") or info.name == "registry":
            continue
        spec = getattr(importlib.import_module(f"{package.__name__}.{info.name}"), "SIGNAL", None)
        if isinstance(spec, Signal):
            if spec.name in found:
                raise RuntimeError(f"two signal modules declare the signal {spec.name!r}")
            found[spec.name] = spec
    return _run_order(found)


def _run_order(specs: Mapping[str, Signal]) -> tuple[Signal, ...]:
    """Topological order over ``after``; among the ready ones, by name."""
    for s in specs.values():
        missing = [a for a in s.after if a not in specs]
        if missing:
            raise RuntimeError(f"signal {s.name!r} runs after unknown signal(s) {missing}")
    done: list[Signal] = []
    placed: set[str] = set()
    while len(done) < len(specs):
        ready = sorted(n for n, s in specs.items() if n not in placed and all(a in placed for a in s.after))
        if not ready:
            raise RuntimeError(f"signals {sorted(set(specs) - placed)} wait on each other")
        done.append(specs[ready[0]])
        placed.add(ready[0])
    return tuple(done)


REGISTRY: tuple[Signal, ...] = _discover()
SIGNAL_NAMES: tuple[str, ...] = tuple(s.name for s in REGISTRY)
#: Every flag kind a signal may emit, in run order.
FLAG_KINDS: tuple[str, ...] = tuple(k for s in REGISTRY for k in s.flag_kinds)
#: Signals whose flagged lines are not the article, in run order, and their
#: flag kinds (``clean_text`` removes those lines).
LINE_SIGNALS: tuple[str, ...] = tuple(s.name for s in REGISTRY if s.removes_lines)
REMOVED_KINDS: frozenset[str] = frozenset(k for s in REGISTRY if s.removes_lines for k in s.flag_kinds)


def run_signals(
    text: str,
    enabled: tuple[str, ...],
    templates: frozenset[str] = frozenset(),
    precomputed: Mapping[str, SignalOutput] | None = None,
) -> tuple[tuple[Flag, ...], dict[str, Any]]:
    """All enabled signals of one text: flags sorted by position, merged signals.

    ``precomputed`` holds outputs already computed for this text (by name),
    which are used instead of computing them again.
    """
    return run_signals_many([text], enabled, [templates], [precomputed])[0]


def run_signals_many(
    texts: Sequence[str],
    enabled: tuple[str, ...],
    templates: Sequence[frozenset[str]] | None = None,
    precomputed: Sequence[Mapping[str, SignalOutput] | None] | None = None,
) -> list[tuple[tuple[Flag, ...], dict[str, Any]]]:
    """:func:`run_signals` of many texts (``templates[i]`` and
    ``precomputed[i]`` belong to ``texts[i]``), the same results.

    It runs one signal over every text before the next signal: a signal's
    tables and compiled code stay in the CPU caches across texts, which
    measured 10-15% faster than every signal of one text in turn
    (docs/benchmarks.md, "Signals").
    """
    n = len(texts)
    flags: list[list[Flag]] = [[] for _ in range(n)]
    signals: list[dict[str, Any]] = [{} for _ in range(n)]
    skips: list[tuple[tuple[int, int], ...]] = [()] * n
    for spec in REGISTRY:
        if spec.name not in enabled:
            continue
        for i, text in enumerate(texts):
            pre = precomputed[i] if precomputed is not None else None
            if pre is not None and spec.name in pre:
                out = pre[spec.name]
            else:
                kwargs: dict[str, Any] = {}
                if "templates" in spec.needs:
                    kwargs["templates"] = templates[i] if templates is not None else frozenset()
                if "skip" in spec.needs:
                    kwargs["skip"] = skips[i]
                out = spec.compute(text, **kwargs)
            if spec.removes_lines:
                skips[i] = skips[i] + tuple((f.start, f.end) for f in out.flags)
            flags[i].extend(out.flags)
            signals[i].update(out.signals)
    for f in flags:
        f.sort(key=lambda f: (f.start, f.end, f.kind))
    return [(tuple(f), s) for f, s in zip(flags, signals)]


def help_text() -> str:
    """The signals, one per line with its summary (the CLI's ``--signals`` help)."""
    return "; ".join(f"{s.name}: {s.summary}" for s in REGISTRY)


__all__ = ["FLAG_KINDS", "LINE_SIGNALS", "REGISTRY", "REMOVED_KINDS", "SIGNAL_NAMES", "help_text", "run_signals", "run_signals_many"]
