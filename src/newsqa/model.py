"""The data model: articles in, results out. All frozen, slotted dataclasses.

Articles are never mutated. Results are plain data that serialise to the
``report.json`` contract (see ``docs/report-format.md``) with
:meth:`Report.to_dict`; later signals add entries to ``flags`` and
``signals`` without changing the shape.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from types import MappingProxyType
from typing import Any, Literal

from .errors import InputError

Status = Literal["ok", "empty", "error"]
ClusterKind = Literal["exact", "near_duplicate", "containment", "spun_copy"]
Relation = Literal["original", "exact", "near_duplicate", "containment", "spun_copy", "update"]
OriginalBy = Literal["attribution", "date", "url", "containment", "spin", "length"]

_EMPTY: Mapping[str, Any] = MappingProxyType({})


def _rebuild(cls: type, values: tuple[Any, ...], proxied: tuple[int, ...]) -> Any:
    """Unpickle a result: read-only mapping fields become read-only views again."""
    args = list(values)
    for i in proxied:
        args[i] = MappingProxyType(args[i])
    return cls(*args)


class _Picklable:
    """Pickling for frozen result dataclasses holding ``MappingProxyType`` fields.

    A ``mappingproxy`` does not pickle, and the Ray engine ships results
    between processes: each such field travels as a plain ``dict`` and is
    wrapped read-only again on arrival, so a result round-trips equal to
    itself.
    """

    __slots__ = ()

    def __reduce__(self) -> tuple[Any, ...]:
        values = [getattr(self, f.name) for f in fields(self)]  # type: ignore[arg-type]
        proxied = tuple(i for i, v in enumerate(values) if isinstance(v, MappingProxyType))
        for i in proxied:
            values[i] = dict(values[i])
        return (_rebuild, (type(self), tuple(values), proxied))


def _parse_published(value: Any, article_id: str) -> _dt.datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, _dt.datetime):
        return value
    if isinstance(value, _dt.date):
        return _dt.datetime(value.year, value.month, value.day)
    if isinstance(value, str):
        text = value.strip()
        if text.endswith("Z"):
            text = text[:-1] + "+00:00"
        try:
            return _dt.datetime.fromisoformat(text)
        except ValueError:
            pass
    raise InputError(
        f"article {article_id!r}: published={value!r} is not an ISO date "
        "(use e.g. '2023-07-26' or '2023-07-26T08:00:00+00:00', or leave it empty)"
    )


def _has_surrogate(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


@dataclass(frozen=True, slots=True)
class Article:
    """One news article.

    Args:
        id: Unique identifier within a corpus.
        text: The article text (a ``str``; decode bytes first).
        source: The publisher (domain or name).
        url: Where it was found, if known.
        published: Publication time: a ``datetime``, ``date`` or ISO string.
            Stored as a ``datetime`` (naive if no offset was given).
        input_id: The id as the input gave it when that was a number (a
            JSON or Parquet integer, a DataFrame's int column); the
            per-article table gives it back with its type. Not compared.

    Example:
        >>> a = Article("a1", "Kim met Putin.", "example.com", published="2023-07-26")
        >>> a.published.year
        2023
    """

    id: str
    text: str
    source: str
    url: str | None = None
    published: _dt.datetime | None = None
    input_id: int | float | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not self.id:
            raise InputError(f"article id must be a non-empty str, got {self.id!r}")
        if isinstance(self.text, (bytes, bytearray)):
            raise InputError(
                f"article {self.id!r}: text is bytes, not str. Decode it first, "
                "e.g. data.decode('utf-8'); if you do not know the encoding, "
                "decode with errors='replace' and let newsqa flag the damage."
            )
        if not isinstance(self.text, str):
            raise InputError(f"article {self.id!r}: text must be a str, got {type(self.text).__name__}")
        if not isinstance(self.source, str):
            raise InputError(f"article {self.id!r}: source must be a str, got {type(self.source).__name__}")
        if self.url is not None and not isinstance(self.url, str):
            raise InputError(f"article {self.id!r}: url must be a str or None, got {type(self.url).__name__}")
        for name in ("id", "source", "url"):
            value = getattr(self, name)
            if value is not None and _has_surrogate(value):
                raise InputError(
                    f"article {value!r}: {name} holds a lone surrogate (undecodable bytes "
                    "decoded with errors='surrogateescape'?); decode it with errors='replace'"
                )
        object.__setattr__(self, "published", _parse_published(self.published, self.id))


@dataclass(frozen=True, slots=True)
class Flag(_Picklable):
    """A flagged character span: ``article.text[start:end]``.

    ``kind`` is one of ``boilerplate``, ``spam_links``, ``mojibake``, ``spun``;
    ``reason`` is a stable snake_case code; ``extra`` holds kind-specific data
    (e.g. the likely original wording).
    """

    kind: str
    start: int
    end: int
    reason: str
    score: float = 1.0
    extra: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)

    def __reduce__(self) -> tuple[Any, ...]:
        # Flags are the bulk of what worker processes send back (tens of
        # thousands a chunk): a flat tuple, ``extra`` as a dict or None.
        extra = self.extra
        if type(extra) is MappingProxyType:
            return (
                _rebuild_flag,
                (self.kind, self.start, self.end, self.reason, self.score, dict(extra) if extra else None),
            )
        return (_rebuild_flag, (self.kind, self.start, self.end, self.reason, self.score, extra, False))

    def to_dict(self) -> dict[str, Any]:
        d = {"kind": self.kind, "start": self.start, "end": self.end, "reason": self.reason, "score": self.score}
        d.update(self.extra)
        return d


_FLAG_SLOTS = tuple(Flag.__dict__[name].__set__ for name in ("kind", "start", "end", "reason", "score", "extra"))


def _rebuild_flag(kind: str, start: int, end: int, reason: str, score: float, extra: Any, proxied: bool = True) -> Flag:
    """Unpickle a :class:`Flag` (what ``Flag(...)`` builds, without the frozen class's ``__setattr__``
    detour); a read-only ``extra`` travels as a ``dict`` (``None`` when empty) and is wrapped again."""
    flag = object.__new__(Flag)
    set_kind, set_start, set_end, set_reason, set_score, set_extra = _FLAG_SLOTS
    set_kind(flag, kind)
    set_start(flag, start)
    set_end(flag, end)
    set_reason(flag, reason)
    set_score(flag, score)
    set_extra(flag, extra if not proxied else _EMPTY if extra is None else MappingProxyType(extra))
    return flag


@dataclass(frozen=True, slots=True)
class ArticleResult(_Picklable):
    """What newsqa found about one input article.

    ``status`` is ``ok``, ``empty`` (no words to compare) or ``error``
    (the input could not be read; ``error`` says why). Every input article
    has exactly one result.
    """

    id: str
    source: str
    status: Status = "ok"
    cluster: str | None = None
    flags: tuple[Flag, ...] = ()
    signals: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "id": self.id,
            "source": self.source,
            "cluster": self.cluster,
            "status": self.status,
            "flags": [f.to_dict() for f in self.flags],
            "signals": dict(self.signals),
        }
        if self.error is not None:
            d["error"] = self.error
        return d


@dataclass(frozen=True, slots=True)
class Cluster(_Picklable):
    """A group of near-duplicate articles.

    Attributes:
        id: Stable id derived from the representative's id (same input in any
            order gives the same id).
        kind: ``exact`` (all members are the representative after
            normalisation), ``near_duplicate`` (Jaccard of word shingles at or
            above the threshold), ``containment`` (at least one member
            embeds the original within other text) or ``spun_copy`` (at
            least one member is a synonym-spun rewrite whose unspun text
            duplicates the original).
        members: Member ids, representative first, then sorted by id.
        representative: The original, chosen on the evidence named by
            ``original_by`` (see :mod:`newsqa.clusters`).
        similarity: Each member's similarity to the representative (Jaccard,
            or containment of the representative in the member for
            ``containment`` members; 1.0 for the representative).
        relation: Each member's relation to the representative; ``update``
            for a later version of a story its own source already
            published in the cluster (not a copy).
        original_by: The evidence that decided the representative:
            ``attribution`` (another member's text credits its source or
            host), ``date`` (earliest publication), ``url`` (its URL is on
            its own source's site, the others' are not), ``containment``
            (the others are its excerpt, or it inside other pages'
            menus and footers), ``spin`` (the others are spun) or
            ``length`` (nothing else decided: longest text, then smallest
            id). ``None`` in reports written before it was recorded.
    """

    id: str
    kind: ClusterKind
    members: tuple[str, ...]
    representative: str
    similarity: Mapping[str, float]
    relation: Mapping[str, Relation] = field(default_factory=lambda: _EMPTY)
    original_by: OriginalBy | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "members": list(self.members),
            "representative": self.representative,
            "similarity": dict(self.similarity),
            "relation": dict(self.relation),
            "original_by": self.original_by,
        }


@dataclass(frozen=True, slots=True)
class SourceResult(_Picklable):
    """Per-source summary and quality score (see :mod:`newsqa.scoring`).

    Attributes:
        source: The publisher.
        n_articles: Its input articles, unreadable ones included.
        score: 0-100, the sum of ``components`` (``None`` if not scored).
        components: Component name -> points contributed.
        stats: The summed per-article statistics the score is computed
            from (integer counts: they add up across parts of a corpus).
        confidence: 0-1, how much evidence the score rests on
            (``n / (n + 4)`` for ``n`` readable articles).
    """

    source: str
    n_articles: int
    score: float | None = None
    components: Mapping[str, float] = field(default_factory=lambda: _EMPTY)
    stats: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)
    confidence: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "n_articles": self.n_articles,
            "score": self.score,
            "confidence": self.confidence,
            "components": dict(self.components),
            "stats": dict(self.stats),
        }


_FLAG_KEYS = ("kind", "start", "end", "reason", "score")


def _tuples(value: Any) -> Any:
    """JSON arrays back to tuples (signals and flag extras hold tuples)."""
    if isinstance(value, list):
        return tuple(_tuples(v) for v in value)
    return value


def _article_from_dict(d: Mapping[str, Any]) -> ArticleResult:
    flags = tuple(
        Flag(
            f["kind"],
            f["start"],
            f["end"],
            f["reason"],
            f.get("score", 1.0),
            MappingProxyType({k: _tuples(v) for k, v in f.items() if k not in _FLAG_KEYS}),
        )
        for f in d.get("flags", ())
    )
    return ArticleResult(
        id=d["id"],
        source=d["source"],
        status=d.get("status", "ok"),
        cluster=d.get("cluster"),
        flags=flags,
        signals=MappingProxyType({k: _tuples(v) for k, v in d.get("signals", {}).items()}),
        error=d.get("error"),
    )


def _cluster_from_dict(d: Mapping[str, Any]) -> Cluster:
    return Cluster(
        id=d["id"],
        kind=d["kind"],
        members=tuple(d["members"]),
        representative=d["representative"],
        similarity=MappingProxyType(dict(d["similarity"])),
        relation=MappingProxyType(dict(d.get("relation", {}))),
        original_by=d.get("original_by"),
    )


def _source_from_dict(d: Mapping[str, Any]) -> SourceResult:
    return SourceResult(
        source=d["source"],
        n_articles=d["n_articles"],
        score=d.get("score"),
        components=MappingProxyType(dict(d.get("components", {}))),
        stats=MappingProxyType(dict(d.get("stats", {}))),
        confidence=d.get("confidence"),
    )


def _jsonable(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value
