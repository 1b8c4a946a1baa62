"""The HTML report's entry point, kept for the command line: the page itself
lives in :mod:`newsqa.report` (see ``docs/report-format.md``).

>>> from newsqa.report_html import render
>>> from newsqa.model import ArticleResult, Report
>>> "<title>newsqa report" in render(Report((ArticleResult("a1", "example.com"),), (), (), {}, "0"))
True
"""

from __future__ import annotations

from .report import render, render_html

__all__ = ["render", "render_html"]
