"""``clean_text``: an article without its boilerplate and spam, mojibake repaired."""

from __future__ import annotations

from collections.abc import Iterable

from .errors import InputError
from .model import Article, Flag
from .signals.mojibake import repair
from .signals.registry import run_signals

# Flag kinds whose lines clean_text removes.
REMOVED_KINDS = frozenset({"boilerplate", "spam_links"})


def clean_text(article: Article | str, *, templates: frozenset[str] = frozenset()) -> str:
    """The article text without boilerplate lines and spam link blocks, with
    fixable mojibake repaired.

    Removed lines go with their line breaks; the remaining lines keep their
    order and wording.

    Args:
        article: An :class:`~newsqa.Article` or a text.
        templates: Template lines of the article's source
            (``newsqa.signals.boilerplate.source_templates``).

    Example:
        >>> print(clean_text("Kim met Putin in Pyongyang on Wednesday for talks.\\nRead more\\nicon-facebook icon-twitter"))
        Kim met Putin in Pyongyang on Wednesday for talks.
    """
    text = article.text if isinstance(article, Article) else article
    if not isinstance(text, str):
        raise InputError(f"clean_text expects a newsqa.Article or a str, got {type(text).__name__}")
    flags, _ = run_signals(text, ("spam_links", "boilerplate"), templates)
    return strip_flagged(text, flags)


def strip_flagged(text: str, flags: Iterable[Flag]) -> str:
    """``text`` without the lines of its boilerplate and spam flags, mojibake repaired.

    Use it with the flags of a :class:`~newsqa.Report` to clean articles
    without computing the signals again (``newsqa analyze --emit-clean``).
    """
    spans = sorted((f.start, f.end) for f in flags if f.kind in REMOVED_KINDS)
    out: list[str] = []
    pos = 0
    for start, end in spans:
        if start < pos:
            start = pos
        if end <= start:
            continue
        # take the whole lines the span covers, with one line break
        line_start = max(text.rfind("\n", 0, start) + 1, pos)
        nl = text.find("\n", end)
        line_end = len(text) if nl < 0 else nl + 1
        out.append(text[pos:line_start])
        pos = line_end
    out.append(text[pos:])
    cleaned = "".join(out)
    if not text.endswith("\n"):
        cleaned = cleaned.rstrip("\n")
    return repair(cleaned)
