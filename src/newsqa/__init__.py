"""newsqa: news-corpus hygiene.

Near-duplicate clusters (MinHash + LSH) with each cluster's original, and,
as the project grows, boilerplate, spam link blocks, spun text, mojibake,
readability, language and an explainable per-source quality score.

>>> import newsqa
>>> report = newsqa.analyze([newsqa.Article("a1", "Kim met Putin in Pyongyang.", "example.com")])
>>> report.articles[0].status
'ok'
"""

from __future__ import annotations

import logging

from ._version import __version__
from .analyze import analyze, clean_text, find_duplicates
from .config import Config, DedupConfig, KeepConfig, RunConfig, SignalsConfig
from .errors import ConfigError, InputError, NewsqaError
from .index import NearDupIndex
from .io import Unreadable, read_articles
from .learn import SpinSubstitution, learn_spin
from .minhash import jaccard, signatures, to_datasketch
from .model import Article, ArticleResult, Cluster, Flag, SourceResult
from .results import Report
from .scoring import SourceExplanation, explain_source, score_sources
from .signals.spun import unspin
from .text import normalize, shingle_hash32, shingles, tokens

logging.getLogger(__name__).addHandler(logging.NullHandler())

__all__ = [
    "Article",
    "ArticleResult",
    "Cluster",
    "Config",
    "ConfigError",
    "DedupConfig",
    "Flag",
    "InputError",
    "KeepConfig",
    "NearDupIndex",
    "NewsqaError",
    "Report",
    "RunConfig",
    "SignalsConfig",
    "SourceExplanation",
    "SourceResult",
    "SpinSubstitution",
    "Unreadable",
    "__version__",
    "analyze",
    "clean_text",
    "explain_source",
    "find_duplicates",
    "jaccard",
    "learn_spin",
    "normalize",
    "read_articles",
    "score_sources",
    "shingle_hash32",
    "shingles",
    "signatures",
    "to_datasketch",
    "tokens",
    "unspin",
]
