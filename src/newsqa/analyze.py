"""The main entry points: :func:`analyze`, :func:`find_duplicates` and :func:`clean_text`.

All run the one pipeline (:func:`newsqa.pipeline.run`): ``analyze`` into an
in-memory :class:`~newsqa.Report`, ``find_duplicates`` up to the clusters,
``clean_text`` into the clean texts that ``newsqa analyze --emit-clean``
writes.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .config import Config, resolve_config
from .errors import InputError
from .model import Article, Cluster
from .results import Report


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
    sink = _collect(articles, cfg)
    assert sink.report is not None
    return sink.report


def _executor(cfg: Config) -> Any:
    """The executor of ``cfg.run.engine`` (see :mod:`newsqa.engines`)."""
    if cfg.run.engine == "ray":
        from .engines.ray import RayExecutor

        return RayExecutor(cfg)
    from .engines.local import LocalExecutor

    return LocalExecutor(cfg.run.workers)


def _collect(articles: Iterable[Any], cfg: Config, *, clusters_only: bool = False) -> Any:
    from ._version import __version__
    from .pipeline import run
    from .sinks import ReportCollector

    sink = ReportCollector(cfg.to_dict(), __version__)
    run(articles, cfg, sink, executor=_executor(cfg), clusters_only=clusters_only)
    return sink


def find_duplicates(articles_or_texts: Iterable[Any], threshold: float = 0.8, **overrides: Any) -> list[Cluster]:
    """Near-duplicate clusters of articles or plain texts.

    Plain texts get ids ``"0"``, ``"1"``, ... (their positions).

    Example:
        >>> base = "Russian President Vladimir Putin and North Korean leader Kim Jong Un began talks in Pyongyang."
        >>> clusters = find_duplicates([base, base.upper(), "An unrelated story about the weather in Lisbon today."])
        >>> [(c.kind, c.members) for c in clusters]
        [('exact', ('0', '1'))]
    """
    if isinstance(articles_or_texts, (str, bytes)):
        raise InputError("expected a collection of articles or texts, got a single string; wrap it in a list")
    items = articles_or_texts if hasattr(articles_or_texts, "columns") else list(articles_or_texts)
    if isinstance(items, list) and items and all(isinstance(x, str) for x in items):
        arts: list[Any] = [Article(str(i), t, "") for i, t in enumerate(items)]
    else:
        arts = items
    cfg = resolve_config(None, {"threshold": threshold, **overrides})
    return list(_collect(arts, cfg, clusters_only=True).report.clusters)


def clean_text(
    article: Any, *, templates: frozenset[str] = frozenset(), config: Config | None = None, **overrides: Any
) -> Any:
    """Articles without their boilerplate lines and spam link blocks, fixable mojibake repaired.

    Removed lines go with their line breaks; the remaining lines keep their
    order and wording.

    Args:
        article: One :class:`~newsqa.Article` or text, which returns one
            string; or a collection of what :func:`analyze` accepts, which
            returns a list in input order (``None`` for a record that could
            not be read). A collection runs the whole pipeline, so each
            source's template lines are learnt from its other articles and
            the texts equal those of ``newsqa analyze --emit-clean``.
        templates: Template lines of a single article's source
            (``newsqa.signals.boilerplate.source_templates``).
        config, **overrides: As for :func:`analyze` (collections only).

    Example:
        >>> print(clean_text("Kim met Putin in Pyongyang on Wednesday for talks.\\nRead more\\nicon-facebook icon-twitter"))
        Kim met Putin in Pyongyang on Wednesday for talks.
    """
    if isinstance(article, (str, Article)):
        from .clean import strip_flagged
        from .pipeline import signals_of
        from .signals.boilerplate import line_hash
        from .signals.registry import LINE_SIGNALS

        # one article: the line-removing signals alone (its source's other
        # articles, from which a run learns templates, are not here)
        text = article.text if isinstance(article, Article) else article
        hashes = frozenset(line_hash(t) for t in templates)
        ((flags, _),) = signals_of(LINE_SIGNALS, [(text, hashes, None)])
        return strip_flagged(text, flags)
    if isinstance(article, bytes) or not isinstance(article, Iterable):
        raise InputError(
            f"clean_text expects a newsqa.Article, a str or a collection of them, got {type(article).__name__}"
        )
    from .pipeline import run
    from .sinks import CleanCollector

    cfg = resolve_config(config, overrides)
    sink = CleanCollector()
    items = [Article(str(i), t, "") if isinstance(t, str) else t for i, t in enumerate(article)]
    run(items, cfg, sink, executor=_executor(cfg))
    return sink.texts
