"""The result of a run: :class:`Report` (articles, clusters, sources) and its JSON.

The data classes it holds are in :mod:`newsqa.model`; its per-article and
per-source tables are built by :mod:`newsqa.table`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .errors import InputError
from .model import (
    ArticleResult,
    Cluster,
    SourceResult,
    _article_from_dict,
    _cluster_from_dict,
    _jsonable,
    _Picklable,
    _source_from_dict,
)


@dataclass(frozen=True, slots=True)
class Report(_Picklable):
    """The result of :func:`newsqa.analyze`."""

    articles: tuple[ArticleResult, ...]
    clusters: tuple[Cluster, ...]
    sources: tuple[SourceResult, ...]
    config: Mapping[str, Any]
    newsqa_version: str

    def to_dict(self) -> dict[str, Any]:
        """The ``report.json`` structure as plain Python data."""
        return {
            "newsqa_version": self.newsqa_version,
            "config": _jsonable(self.config),
            "articles": [a.to_dict() for a in self.articles],
            "clusters": [c.to_dict() for c in self.clusters],
            "sources": [s.to_dict() for s in self.sources],
        }

    def to_json(self, path: str | os.PathLike[str] | None = None, *, indent: int | None = 2) -> str:
        """Serialise to JSON; also write it to ``path`` when one is given."""
        text = json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)
        if path is not None:
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(text)
                fh.write("\n")
        return text

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Report:
        """A report from its :meth:`to_dict` structure (e.g. a loaded ``report.json``).

        Sequences come back as tuples inside flags, and mappings as
        read-only views, as :func:`newsqa.analyze` makes them.

        Raises:
            InputError: ``data`` lacks a key of the report format.

        Example:
            >>> r = Report((ArticleResult("a", "s"),), (), (SourceResult("s", 1),), {}, "0.1.0")
            >>> Report.from_json(r.to_json()) == r
            True
        """
        try:
            return cls(
                articles=tuple(_article_from_dict(a) for a in data["articles"]),
                clusters=tuple(_cluster_from_dict(c) for c in data["clusters"]),
                sources=tuple(_source_from_dict(s) for s in data["sources"]),
                config=data.get("config", {}),
                newsqa_version=str(data.get("newsqa_version", "")),
            )
        except (KeyError, TypeError, AttributeError) as err:
            raise InputError(
                f"not a newsqa report: missing or malformed {err} (expected the report.json that "
                "'newsqa analyze' writes)"
            ) from None

    @classmethod
    def from_json(cls, text_or_path: str | os.PathLike[str]) -> Report:
        """A report from ``report.json`` text or a path to it (see :meth:`from_dict`)."""
        text = os.fspath(text_or_path)
        if not text.lstrip().startswith("{"):
            try:
                with open(text, encoding="utf-8") as fh:
                    text = fh.read()
            except OSError as err:
                raise InputError(f"cannot read report {text!r}: {err.strerror or err}") from None
        try:
            data = json.loads(text)
        except json.JSONDecodeError as err:
            raise InputError(f"report is not valid JSON ({err}); pass the report.json newsqa wrote") from None
        if not isinstance(data, Mapping):
            raise InputError("report JSON must be an object with 'articles', 'clusters' and 'sources'")
        return cls.from_dict(data)

    def to_pandas(self, articles: Any = None, *, keep: Any = None, table: str = "articles") -> Any:
        """The per-article table (or the per-source one) as a pandas DataFrame.

        One row per input record, in input order, with the columns of
        :mod:`newsqa.table` (``cluster``, ``relation``, ``representative``,
        ``keep``, ``drop_reason``, flagged shares, ``source_score``...).

        Args:
            articles: Optionally the input the report was made from (same
                records, same order): fills ``url`` and ``published`` and
                keeps the input's id type (e.g. integer ids stay integers).
            keep: The keep policy: a :class:`~newsqa.config.KeepConfig`, a preset
                name (``"dedup_only"``, ``"default"``, ``"strict"``) or
                ``None`` for the one in the report's config.
            table: ``"articles"`` or ``"sources"``.

        Raises:
            ImportError: pandas is not installed (``pip install 'newsqa[pandas]'``).
        """
        from .table import to_pandas

        return to_pandas(self, articles, keep, table)

    def to_arrow(self, articles: Any = None, *, keep: Any = None, table: str = "articles") -> Any:
        """The table of :meth:`to_pandas` as a ``pyarrow.Table``.

        Raises:
            ImportError: pyarrow is not installed (``pip install 'newsqa[parquet]'``).
        """
        from .table import to_arrow

        return to_arrow(self, articles, keep, table)

    def article(self, article_id: str) -> ArticleResult:
        """The result for one article id (``KeyError`` if unknown)."""
        for a in self.articles:
            if a.id == article_id:
                return a
        raise KeyError(article_id)


__all__ = ["Report"]
