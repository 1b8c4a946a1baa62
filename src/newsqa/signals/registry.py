"""The typed registry of article signals and the per-article runner.

Each entry names a signal, the function computing it, and whether it needs
context (source templates, spans explained by another signal). The config's
``signals`` field lists entry names; a test checks every name maps to an
entry, so a renamed signal fails at import, not at run time.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ..model import Flag
from . import SignalOutput


@dataclass(frozen=True, slots=True)
class SignalSpec:
    name: str
    compute: Callable[..., SignalOutput]
    context: bool = False


def _spam(text: str) -> SignalOutput:
    from .spam_links import spam_links

    return spam_links(text)


def _mojibake(text: str) -> SignalOutput:
    from .mojibake import mojibake

    return mojibake(text)


def _boilerplate(text: str, templates: frozenset[str], skip: tuple[tuple[int, int], ...]) -> SignalOutput:
    from .boilerplate import boilerplate

    return boilerplate(text, templates=templates, skip=skip)


def _spun(text: str) -> SignalOutput:
    from .spun import spun

    return spun(text)


def _readability(text: str) -> SignalOutput:
    from .readability import readability

    return readability(text)


def _language(text: str) -> SignalOutput:
    from .language import language

    return language(text)


def _engagement(text: str) -> SignalOutput:
    from .engagement import engagement

    # The report's flag kinds are boilerplate, spam_links, mojibake and
    # spun; engagement bait is reported as numbers only.
    return SignalOutput(signals=engagement(text).signals)


def _practice(text: str, templates: frozenset[str], skip: tuple[tuple[int, int], ...]) -> SignalOutput:
    from .practice import practice

    # The writing only: spam link blocks and boilerplate lines are skipped
    # (a share bar is boilerplate, not the writer's call to share).
    return practice(text, skip=skip)


# Order matters: spam link blocks first, so boilerplate skips their lines.
REGISTRY: tuple[SignalSpec, ...] = (
    SignalSpec("spam_links", _spam),
    SignalSpec("boilerplate", _boilerplate, context=True),
    SignalSpec("mojibake", _mojibake),
    SignalSpec("spun", _spun),
    SignalSpec("readability", _readability),
    SignalSpec("language", _language),
    SignalSpec("engagement", _engagement),
    SignalSpec("practice", _practice, context=True),
)
SIGNAL_NAMES: tuple[str, ...] = tuple(s.name for s in REGISTRY)


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
    flags: list[Flag] = []
    signals: dict[str, Any] = {}
    skip: tuple[tuple[int, int], ...] = ()
    for spec in REGISTRY:
        if spec.name not in enabled:
            continue
        if precomputed is not None and spec.name in precomputed:
            out = precomputed[spec.name]
        elif spec.context:
            out = spec.compute(text, templates, skip)
        else:
            out = spec.compute(text)
        if spec.name in ("spam_links", "boilerplate"):
            # boilerplate skips spam blocks; later context signals skip both
            skip = skip + tuple((f.start, f.end) for f in out.flags)
        flags.extend(out.flags)
        signals.update(out.signals)
    flags.sort(key=lambda f: (f.start, f.end, f.kind))
    return tuple(flags), signals


def merged(outputs: Mapping[str, SignalOutput]) -> SignalOutput:
    """Combine several outputs (used by tests and the Ray engine later)."""
    flags = sorted((f for o in outputs.values() for f in o.flags), key=lambda f: (f.start, f.end, f.kind))
    signals: dict[str, Any] = {}
    for o in outputs.values():
        signals.update(o.signals)
    return SignalOutput(tuple(flags), signals)
