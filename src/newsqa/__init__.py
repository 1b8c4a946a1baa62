"""newsqa: news-corpus hygiene.

Near-duplicate clusters (MinHash + LSH) with each cluster's original;
boilerplate, spam link blocks, spun text and mojibake as flagged spans;
readability, language and an explainable per-source quality score. One
pipeline (:mod:`newsqa.pipeline`) does the work behind every entry point.

>>> import newsqa
>>> report = newsqa.analyze([newsqa.Article("a1", "Kim met Putin in Pyongyang.", "example.com")])
>>> report.articles[0].status
'ok'
"""

from __future__ import annotations

import logging

from ._version import __version__
from .analyze import analyze, clean_text, find_duplicates
from .config import Config
from .errors import ConfigError, InputError, NewsqaError
from .index import NearDupIndex
from .io import Unreadable, read_articles
from .learn import SpinSubstitution, learn_spin
from .minhash import signatures, to_datasketch
from .model import Article, ArticleResult, Cluster, Flag, SourceResult
from .results import Report
from .scoring import SourceExplanation, explain_source, score_sources
from .signals.spun import unspin

logging.getLogger(__name__).addHandler(logging.NullHandler())

# What a user calls: the verbs, the data classes, the one Config, the
# errors and the index. Everything else stays importable from its module
# (e.g. newsqa.text.shingles, newsqa.config.KeepConfig, newsqa.minhash.jaccard).

__all__ = [
    "Article",
    "ArticleResult",
    "Cluster",
    "Config",
    "ConfigError",
    "Flag",
    "InputError",
    "NearDupIndex",
    "NewsqaError",
    "Report",
    "SourceExplanation",
    "SourceResult",
    "SpinSubstitution",
    "Unreadable",
    "__version__",
    "analyze",
    "clean_text",
    "explain_source",
    "find_duplicates",
    "learn_spin",
    "read_articles",
    "score_sources",
    "signatures",
    "to_datasketch",
    "unspin",
]
