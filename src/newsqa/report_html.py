"""A minimal, self-contained HTML view of a :class:`~newsqa.model.Report`.

One page, no scripts, no external resources (a Content-Security-Policy
forbids loading any). Every value from the report or the input goes through
:func:`html.escape`, since ids, sources and error messages come from
untrusted files.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from typing import Any

from .model import Report

_CSS = """
body { font: 14px/1.4 system-ui, sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; margin-bottom: 2em; }
th, td { border: 1px solid #ccc; padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
"""


def _e(value: Any) -> str:
    """Escape any value for HTML text or a quoted attribute."""
    return html.escape("" if value is None else str(value), quote=True)


def _date(value: Any) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else ""


def _table(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{_e(c)}</td>" for c in row) + "</tr>\n" for row in rows)
    return f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}</tbody>\n</table>\n"


def render_html(report: Report, articles: Iterable[Any] = ()) -> str:
    """Render a report as one self-contained HTML page.

    Args:
        report: The result of :func:`newsqa.analyze`.
        articles: The input records (articles or unreadable records); used
            for the ``published`` column where they have one.

    Returns:
        The page as a string.

    Example:
        >>> from newsqa.model import ArticleResult, Report
        >>> r = Report((ArticleResult("<b>", "s"),), (), (), {}, "0")
        >>> "&lt;b&gt;" in render_html(r) and "<b>" not in render_html(r)
        True
    """
    published = {getattr(a, "id", None): getattr(a, "published", None) for a in articles}
    n_errors = sum(a.status == "error" for a in report.articles)
    summary = (
        f"{len(report.articles)} articles ({n_errors} unreadable), "
        f"{len(report.clusters)} clusters, {len(report.sources)} sources"
    )
    article_rows = [
        (
            a.id,
            a.source,
            _date(published.get(a.id)),
            a.status,
            a.cluster or "",
            len(a.flags),
            a.error or "",
        )
        for a in report.articles
    ]
    cluster_rows = [(c.id, c.kind, len(c.members), ", ".join(c.members), c.representative) for c in report.clusters]
    source_rows = [(s.source, s.n_articles, "" if s.score is None else f"{s.score:.3f}") for s in report.sources]
    parts = [
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n",
        f"<title>newsqa report</title>\n<style>{_CSS}</style>\n</head>\n<body>\n",
        f"<h1>newsqa report</h1>\n<p>{_e(summary)}; newsqa {_e(report.newsqa_version)}</p>\n",
        "<h2>Articles</h2>\n",
        _table(("id", "source", "published", "status", "cluster", "flags", "error"), article_rows),
        "<h2>Clusters</h2>\n",
        _table(("id", "kind", "size", "members", "representative"), cluster_rows),
        "<h2>Sources</h2>\n",
        _table(("source", "articles", "score"), source_rows),
        "</body>\n</html>\n",
    ]
    return "".join(parts)
