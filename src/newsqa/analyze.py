"""The main entry points: :func:`analyze` and :func:`find_duplicates`."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from .clusters import cluster_texts
from .config import Config, resolve_config
from .errors import InputError
from .io import Unreadable, articles_from_records
from .model import Article, ArticleResult, Cluster, Flag, Report, SourceResult
from .signals import SignalOutput
from .signals.boilerplate import source_templates
from .signals.registry import run_signals
from .signals.spun import tie_break_score

# Show a progress line on stderr only for runs expected to take longer than
# this (seconds); shorter runs stay quiet, as the issue asks.
PROGRESS_DELAY_S = 2.0


def _version() -> str:
    from . import __version__

    return __version__


def _coerce(items: Iterable[Any]) -> list[Article | Unreadable]:
    """Accept Articles, Unreadable records and mappings; reject anything else."""
    if isinstance(items, (str, bytes)):
        raise InputError("expected a collection of articles, got a single string; wrap it in a list")
    if hasattr(items, "to_dict") and hasattr(items, "columns"):  # a pandas DataFrame
        items = items.to_dict("records")  # type: ignore[union-attr]
    out: list[Article | Unreadable] = []
    records: list[tuple[int, Mapping[str, Any]]] = []
    for i, item in enumerate(items):
        if isinstance(item, (Article, Unreadable)):
            out.append(item)
        elif isinstance(item, Mapping):
            records.append((len(out), item))
            out.append(None)  # type: ignore[arg-type]
        else:
            raise InputError(
                f"item {i} is {type(item).__name__}; expected newsqa.Article, a mapping with "
                "'id', 'text' and 'source', or newsqa.io.Unreadable"
            )
    if records:
        converted = articles_from_records([r for _, r in records])
        for (pos, _), art in zip(records, converted):
            out[pos] = art
    seen: set[str] = set()
    for a in out:
        if a.id in seen:
            raise InputError(f"duplicate article id {a.id!r}: ids must be unique within one run")
        seen.add(a.id)
    return out


class _Progress:
    """A stderr progress line that appears only for runs longer than PROGRESS_DELAY_S."""

    STAGES = ("sketching and clustering", "signals", "reporting")

    def __init__(self, enabled: bool, total: int) -> None:
        self.enabled = enabled
        self.total = total
        self.start = time.monotonic()
        self.bar: Any = None
        self.done = 0

    def step(self, label: str) -> None:
        """Mark the previous stage done and name the one starting."""
        if not self.enabled:
            return
        if self.bar is None and time.monotonic() - self.start >= PROGRESS_DELAY_S:
            from tqdm import tqdm

            self.bar = tqdm(
                total=len(self.STAGES),
                desc=f"newsqa ({self.total} articles)",
                file=sys.stderr,
                leave=False,
                bar_format="{desc}: {n}/{total} stages, {elapsed} {postfix}",
            )
            self.bar.update(self.done)
        self.done += 1
        if self.bar is not None:
            self.bar.set_postfix_str(label)
            self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def analyze(articles: Iterable[Any], config: Config | None = None, **overrides: Any) -> Report:
    """Analyse a collection of articles.

    Args:
        articles: ``Article`` objects, mappings with ``id``, ``text``,
            ``source`` (and optionally ``url``, ``published``), a pandas
            DataFrame with those columns, or ``newsqa.io.Unreadable``
            records (reported with status ``"error"``).
        config: A :class:`~newsqa.Config`; ``None`` for the defaults.
        **overrides: Any config field by name, e.g. ``threshold=0.9``;
            ``engine="ray"`` (with ``ray_address=...`` for a cluster) runs
            the job on Ray Data and returns the same report.

    Returns:
        A :class:`~newsqa.Report` with one entry per input article, in
        input order, the near-duplicate clusters and per-source summaries.

    Raises:
        InputError: Bad input (wrong type, duplicate ids...).
        ConfigError: An unknown or out-of-range option.

    Example:
        >>> text = (
        ...     "North Korea held a paramilitary parade today to celebrate the 75th anniversary of the "
        ...     "country's founding, which, according to state media, was attended by leader Kim Jong-un "
        ...     "and delegations from China and Russia. At the event, which took place in Kim Il Sung "
        ...     "Square in the capital Pyongyang, paramilitary forces participated instead of regular "
        ...     "Army soldiers, and weapons banned by the UN were not on display."
        ... )
        >>> report = analyze([
        ...     Article("a", text, "wire.example"),
        ...     Article("b", text + " Read more at example.com", "copy.example"),
        ... ])
        >>> [a.status for a in report.articles]
        ['ok', 'ok']
        >>> report.clusters[0].representative
        'b'
    """
    cfg = resolve_config(config, overrides)
    if cfg.run.engine == "ray":  # the same report, computed on Ray Data (newsqa.engines.ray)
        from .engines.ray import analyze_ray

        return analyze_ray(articles, cfg)
    items = _coerce(articles)
    good = [a for a in items if isinstance(a, Article)]
    progress = _Progress(cfg.run.progress, len(items))
    spun_out = _spun_outputs(good, cfg.run.workers) if "spun" in cfg.signals.signals else {}
    unspun = _unspun_texts(good, spun_out) if spun_out else None
    result = cluster_texts(
        [a.id for a in good],
        [a.text for a in good],
        [a.published for a in good],
        cfg.dedup,
        n_jobs=cfg.run.workers,
        unspun=unspun,
        spun_scores=[tie_break_score(spun_out[a.id].signals) for a in good] if spun_out else None,
    )
    progress.step("signals")
    nsh = result.sketches.n_shingles
    shingles_of = {good[int(j)].id: int(nsh[i]) for i, j in enumerate(result.order)}
    templates = _templates(good, result.cluster_of) if cfg.signals.templates and cfg.signals.signals else {}
    results: list[ArticleResult] = []
    outputs = _all_signals(good, cfg, templates, spun_out)
    for a in items:
        if isinstance(a, Unreadable):
            results.append(ArticleResult(id=a.id, source=a.source, status="error", error=a.error))
            continue
        n = shingles_of[a.id]
        flags, signals = outputs[a.id]
        results.append(
            ArticleResult(
                id=a.id,
                source=a.source,
                status="ok" if n > 0 else "empty",
                cluster=result.cluster_of.get(a.id),
                flags=flags,
                signals={"n_shingles": n, "n_chars": len(a.text), **signals},
            )
        )
    progress.step("reporting")
    sources = _source_summaries(items, result.clusters, results)
    progress.close()
    return Report(
        articles=tuple(results),
        clusters=result.clusters,
        sources=sources,
        config=cfg.to_dict(),
        newsqa_version=_version(),
    )


# Below this many articles the signals run in this process: starting worker
# processes costs about 50 ms, the signals about 2 ms an article.
PARALLEL_MIN_ARTICLES = 200
# Slices per worker process, so that slow articles even out across workers.
SLICES_PER_WORKER = 4
# What forked workers read (inherited, never pickled): set by _all_signals.
_FORK_STATE: tuple[Any, ...] | None = None


def _signals_for(state: tuple[Any, ...], lo: int, hi: int) -> list[tuple[tuple[Flag, ...], dict[str, Any]]]:
    articles, names, templates, spun_out = state
    return [
        run_signals(
            a.text,
            names,
            templates.get(a.source, frozenset()),
            {"spun": spun_out[a.id]} if a.id in spun_out else None,
        )
        for a in articles[lo:hi]
    ]


def _spun_for(state: tuple[Any, ...], lo: int, hi: int) -> list[SignalOutput]:
    from .signals.spun import spun

    return [spun(a.text) for a in state[0][lo:hi]]


def _forked_slice(func: Any, lo: int, hi: int) -> list[Any]:
    """In a forked worker: ``func`` on the state inherited from the parent."""
    assert _FORK_STATE is not None
    return func(_FORK_STATE, lo, hi)  # type: ignore[no-any-return]


def _in_slices(func: Any, state: tuple[Any, ...], n: int, workers: int) -> list[Any]:
    """``func(state, 0, n)``, computed in ``workers`` forked processes when that pays.

    Worker processes are forked (they inherit ``state``; only results travel
    back), so the parallel path exists where ``fork`` does (Linux, macOS);
    elsewhere, and for small inputs, everything runs here. The functions are
    pure, so the result does not depend on the number of workers.
    """
    global _FORK_STATE
    import multiprocessing as mp

    _FORK_STATE = state
    try:
        if workers <= 1 or n < PARALLEL_MIN_ARTICLES or "fork" not in mp.get_all_start_methods():
            return func(state, 0, n)  # type: ignore[no-any-return]
        step = max(1, -(-n // (workers * SLICES_PER_WORKER)))
        bounds = [(func, lo, min(n, lo + step)) for lo in range(0, n, step)]
        with mp.get_context("fork").Pool(workers) as pool:
            parts = pool.starmap(_forked_slice, bounds)
        return [x for part in parts for x in part]
    finally:
        _FORK_STATE = None


def _all_signals(
    articles: list[Article], cfg: Config, templates: Mapping[str, frozenset[str]], spun_out: Mapping[str, SignalOutput]
) -> dict[str, tuple[tuple[Flag, ...], dict[str, Any]]]:
    """Flags and signals of every article, in ``cfg.run.workers`` processes."""
    state = (articles, cfg.signals.signals, templates, spun_out)
    out = _in_slices(_signals_for, state, len(articles), cfg.run.workers)
    return {a.id: o for a, o in zip(articles, out)}


def _spun_outputs(articles: list[Article], workers: int = 1) -> dict[str, SignalOutput]:
    """The spun-text signal of every article, computed once: clustering needs
    it before the other signals run, and the report reuses it."""
    out = _in_slices(_spun_for, (articles,), len(articles), workers)
    return {a.id: o for a, o in zip(articles, out)}


def _unspun_texts(articles: list[Article], spun_out: Mapping[str, SignalOutput]) -> dict[int, str]:
    """Unspun texts of the articles the spun-text signal calls spun, by position."""
    from .signals.spun import unspin

    return {i: unspin(a.text) for i, a in enumerate(articles) if spun_out[a.id].signals["spun"]}


def _templates(articles: list[Article], cluster_of: Mapping[str, str]) -> dict[str, frozenset[str]]:
    """Template lines per source; one story per cluster (see ``source_templates``)."""
    by_source: dict[str, list[tuple[str, str]]] = {}
    for a in articles:
        by_source.setdefault(a.source, []).append((cluster_of.get(a.id, a.id), a.text))
    return {src: source_templates(texts) for src, texts in by_source.items() if len(texts) >= 2}


def _source_summaries(
    items: list[Article | Unreadable], clusters: tuple[Cluster, ...], results: Sequence[ArticleResult] = ()
) -> tuple[SourceResult, ...]:
    """Scored sources (see :mod:`newsqa.scoring`); ``results`` are the article results of ``items``."""
    from .scoring import score_report

    if not results:  # no signals: score from cluster relations and statuses alone
        results = [
            ArticleResult(a.id, a.source, status="error" if isinstance(a, Unreadable) else "ok") for a in items
        ]
    return score_report(results, clusters)


def find_duplicates(articles_or_texts: Iterable[Any], threshold: float = 0.8, **overrides: Any) -> list[Cluster]:
    """Near-duplicate clusters of articles or plain texts.

    Plain texts get ids ``"0"``, ``"1"``, ... (their positions).

    Example:
        >>> base = "Russian President Vladimir Putin and North Korean leader Kim Jong Un began talks in Pyongyang."
        >>> clusters = find_duplicates([base, base.upper(), "An unrelated story about the weather in Lisbon today."])
        >>> [(c.kind, c.members) for c in clusters]
        [('exact', ('0', '1'))]
    """
    items = list(articles_or_texts) if not isinstance(articles_or_texts, str) else None
    if items is None:
        raise InputError("expected a collection of articles or texts, got a single string; wrap it in a list")
    if items and all(isinstance(x, str) for x in items):
        arts: list[Any] = [Article(str(i), t, "") for i, t in enumerate(items)]
    else:
        arts = items
    cfg = resolve_config(None, {"threshold": threshold, **overrides})
    coerced = [a for a in _coerce(arts) if isinstance(a, Article)]
    result = cluster_texts(
        [a.id for a in coerced], [a.text for a in coerced], [a.published for a in coerced], cfg.dedup, cfg.run.workers
    )
    return list(result.clusters)
