"""Sinks: where a run's results go, one article at a time.

:func:`newsqa.pipeline.run` calls ``sink.article(result, record)`` for
every input record, in input order (``record`` is the
:class:`~newsqa.Article` with its text, or the
:class:`~newsqa.io.Unreadable` record), then ``sink.finish(clusters,
sources)`` once, then ``sink.close()``. So every sink sees the texts, the
urls and the dates, whatever executor produced the run.

* :class:`ReportCollector`: an in-memory :class:`~newsqa.Report`
  (:func:`newsqa.analyze`).
* :class:`ReportWriter`: ``report.json``, streamed.
* :class:`HtmlWriter`: ``report.html`` with the texts (each cut at
  :data:`newsqa.report._data.MAX_EMBED_CHARS`; past :data:`HTML_TEXT_BUDGET`
  characters in all, later articles are listed without their text and the
  page says so).
* :class:`CleanWriter`: ``clean.jsonl``, each readable article as
  :func:`newsqa.clean_text` makes it (:class:`CleanCollector`: the same
  texts in memory).
* :class:`Tee`: several sinks at once; one that fails is closed and the
  others go on, so a failing sink never loses the outputs already written.

File sinks write ``PATH.part`` and rename it to ``PATH`` in ``finish``; a
run that fails leaves no partial file. Any ``str`` can be written: a lone
surrogate (which UTF-8 cannot encode) is written as its JSON escape
(``\\ud800``) in JSON files and as U+FFFD in the page.

Example:
    >>> import newsqa
    >>> from newsqa.pipeline import run
    >>> sink = ReportCollector({}, "0")
    >>> run([newsqa.Article("a", "Kim met Putin in Pyongyang.", "s")], newsqa.Config(), sink)
    >>> sink.report.articles[0].status
    'ok'
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from typing import IO, Any, Protocol

from .errors import NewsqaError
from .model import Article, ArticleResult, Cluster, SourceResult
from .results import Report

# Characters of article text the HTML page embeds in all: about 100 MB of
# page for the largest runs (UTF-8 and JSON escaping included), which a
# browser still opens; past it the page lists articles without their texts
# and says so. 50 million characters are 60,000 articles of the BuzzFeed
# corpus's average 840 words.
HTML_TEXT_BUDGET = 50_000_000


class Sink(Protocol):
    """Where a run sends its results (see the module docstring)."""

    def article(self, result: ArticleResult, record: Any) -> None: ...

    def finish(self, clusters: tuple[Cluster, ...], sources: tuple[SourceResult, ...]) -> None: ...


# Characters that some line readers (Python's str.splitlines, JavaScript)
# take for line breaks; a JSON Lines row escapes them so that every reader
# sees one row per line. (JSON allows them raw or escaped alike.)
_LINE_BREAKS = str.maketrans({"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def _open_part(path: str) -> IO[str]:
    # backslashreplace writes a lone surrogate as "\udXXX": inside a JSON
    # string that is the JSON escape of the same code point.
    return open(path + ".part", "w", encoding="utf-8", errors="backslashreplace")  # noqa: SIM115


def _publish(part: str, path: str) -> None:
    try:
        os.replace(part, path)
    except OSError as err:
        os.unlink(part)
        raise OSError(err.errno, err.strerror, path) from None


def _discard(fh: IO[str] | None, part: str) -> None:
    """Close an unfinished output and remove its partial file."""
    if fh is not None:
        fh.close()
        if os.path.exists(part):
            os.unlink(part)


class _PartFile:
    """A file written as ``PATH.part`` and renamed to ``PATH`` when the run finishes."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._part = path + ".part"
        self._fh: IO[str] | None = _open_part(path)

    def _publish(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None
            _publish(self._part, self.path)

    def close(self) -> None:
        """Drop an unfinished file (nothing to do after ``finish``)."""
        _discard(self._fh, self._part)
        self._fh = None


class ReportCollector:
    """Collects a run into a :class:`~newsqa.Report` (holds every result)."""

    def __init__(self, config: Mapping[str, Any], version: str) -> None:
        self.config, self.version = config, version
        self.articles: list[ArticleResult] = []
        self.report: Report | None = None

    def article(self, result: ArticleResult, record: Any) -> None:
        self.articles.append(result)

    def finish(self, clusters: tuple[Cluster, ...], sources: tuple[SourceResult, ...]) -> None:
        self.report = Report(tuple(self.articles), clusters, sources, self.config, self.version)


def _indented(value: Any, pad: str) -> str:
    # JSON escapes newlines inside strings, so re-indenting lines is safe.
    return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + pad)


class ReportWriter(_PartFile):
    """Writes ``report.json`` while the run goes, one article at a time.

    The file is byte for byte what :meth:`newsqa.Report.to_json` writes.
    """

    def __init__(self, path: str, config: Mapping[str, Any], version: str) -> None:
        from .model import _jsonable

        super().__init__(path)
        assert self._fh is not None
        self._fh.write("{\n")
        self._fh.write(f'  "newsqa_version": {_indented(version, "  ")},\n')
        self._fh.write(f'  "config": {_indented(_jsonable(config), "  ")},\n')
        self._fh.write('  "articles": [')
        self.n_articles = 0

    def article(self, result: ArticleResult, record: Any) -> None:
        assert self._fh is not None
        self._fh.write(",\n    " if self.n_articles else "\n    ")
        self._fh.write(_indented(result.to_dict(), "    "))
        self.n_articles += 1

    def _list(self, key: str, items: Sequence[Any], last: bool) -> None:
        assert self._fh is not None
        self._fh.write(f'  "{key}": ')
        if items:
            self._fh.write("[\n    " + ",\n    ".join(_indented(x.to_dict(), "    ") for x in items) + "\n  ]")
        else:
            self._fh.write("[]")
        self._fh.write("\n" if last else ",\n")

    def finish(self, clusters: tuple[Cluster, ...], sources: tuple[SourceResult, ...]) -> None:
        assert self._fh is not None
        self._fh.write("\n  ],\n" if self.n_articles else "],\n")
        self._list("clusters", clusters, last=False)
        self._list("sources", sources, last=True)
        self._fh.write("}\n")
        self._publish()


def _clean(result: ArticleResult, record: Any) -> str | None:
    """The record's text without its boilerplate and spam lines (None if unreadable)."""
    from .clean import strip_flagged

    return strip_flagged(record.text, result.flags) if isinstance(record, Article) else None


class CleanCollector:
    """Collects each record's clean text (``None`` for an unreadable one), in input order."""

    def __init__(self) -> None:
        self.texts: list[str | None] = []

    def article(self, result: ArticleResult, record: Any) -> None:
        self.texts.append(_clean(result, record))

    def finish(self, clusters: tuple[Cluster, ...], sources: tuple[SourceResult, ...]) -> None:
        pass


class CleanWriter(_PartFile):
    """Writes ``clean.jsonl``: each readable article without boilerplate and spam."""

    def article(self, result: ArticleResult, record: Any) -> None:
        text = _clean(result, record)
        if text is None or self._fh is None:
            return
        row = {"id": result.id, "source": result.source, "text": text}
        self._fh.write(json.dumps(row, ensure_ascii=False).translate(_LINE_BREAKS) + "\n")

    def finish(self, clusters: tuple[Cluster, ...], sources: tuple[SourceResult, ...]) -> None:
        self._publish()


class HtmlWriter:
    """Writes ``report.html``: the whole report with the articles' texts.

    The page needs every result (sources are ranked, clusters linked), so
    this sink holds the results and, within :data:`HTML_TEXT_BUDGET`, each
    article's text cut at the page's per-article limit.
    """

    def __init__(self, path: str, config: Mapping[str, Any], version: str, budget: int = HTML_TEXT_BUDGET) -> None:
        from .report._data import MAX_EMBED_CHARS

        self.path = path
        self._collector = ReportCollector(config, version)
        self._records: list[Any] = []
        self._left = self._budget = budget
        self._cut = MAX_EMBED_CHARS
        self.n_without_text = 0

    def article(self, result: ArticleResult, record: Any) -> None:
        self._collector.article(result, record)
        if not isinstance(record, Article):
            return
        n = min(len(record.text), self._cut)
        if n > self._left:
            self.n_without_text += 1
            self._records.append(_TextlessRecord(record.id, record.url, record.published))
            return
        self._left -= n
        if len(record.text) > self._cut:  # keep only what the page shows
            record = _CutRecord(record, self._cut)
        self._records.append(record)

    def finish(self, clusters: tuple[Cluster, ...], sources: tuple[SourceResult, ...]) -> None:
        from .report import render

        self._collector.finish(clusters, sources)
        assert self._collector.report is not None
        page = render(self._collector.report, self._records, text_budget=self._budget)
        part = self.path + ".part"
        try:
            with open(part, "w", encoding="utf-8", errors="replace") as fh:
                fh.write(page)
        except BaseException:
            if os.path.exists(part):
                os.unlink(part)
            raise
        _publish(part, self.path)
        self._records = []

    def close(self) -> None:
        self._records = []


class _CutRecord:
    """An article with its text cut to what the page embeds (``total_chars`` keeps the length)."""

    __slots__ = ("id", "published", "source", "text", "total_chars", "url")

    def __init__(self, article: Article, n: int) -> None:
        self.id, self.source, self.url, self.published = article.id, article.source, article.url, article.published
        self.text = article.text[:n]
        self.total_chars = len(article.text)


class _TextlessRecord:
    """An article past the page's text budget: its url and date, no text."""

    __slots__ = ("id", "published", "text", "url")

    def __init__(self, article_id: str, url: str | None, published: Any) -> None:
        self.id, self.url, self.published, self.text = article_id, url, published, None


class Tee:
    """Sends every result to several sinks.

    A sink that raises is closed (its partial file removed) and dropped;
    the others go on and publish their outputs. ``finish`` then raises
    :class:`~newsqa.NewsqaError` (or the ``OSError`` of a file that could
    not be written) naming what failed.
    """

    def __init__(self, *sinks: Any) -> None:
        self.sinks = list(sinks)
        self.failed: list[tuple[Any, BaseException]] = []

    def _each(self, method: str, *args: Any) -> None:
        for s in list(self.sinks):
            try:
                getattr(s, method)(*args)
            except Exception as err:  # isolate the failing sink; reported in finish
                self.sinks.remove(s)
                self.failed.append((s, err))
                if hasattr(s, "close"):
                    s.close()

    def article(self, result: ArticleResult, record: Any) -> None:
        self._each("article", result, record)

    def finish(self, clusters: tuple[Cluster, ...], sources: tuple[SourceResult, ...]) -> None:
        self._each("finish", clusters, sources)
        if self.failed:
            sink, err = self.failed[0]
            if isinstance(err, (OSError, NewsqaError)) and len(self.failed) == 1:
                raise err
            what = "; ".join(f"{getattr(s, 'path', type(s).__name__)}: {e}" for s, e in self.failed)
            raise NewsqaError(f"could not write {what}; the other outputs were written")

    def close(self) -> None:
        for s in self.sinks:
            if hasattr(s, "close"):
                s.close()


__all__ = ["HTML_TEXT_BUDGET", "CleanCollector", "CleanWriter", "HtmlWriter", "ReportCollector", "ReportWriter", "Sink", "Tee"]
