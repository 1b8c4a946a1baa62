"""The per-article table: one row per input record, with a keep decision.

A data pipeline wants a table, not a nested report: which rows to keep,
and why the others go. :func:`article_rows` and :func:`source_rows` flatten
a :class:`~newsqa.Report`; :meth:`newsqa.Report.to_pandas` and
:meth:`newsqa.Report.to_arrow` return them as a DataFrame or an Arrow
table; :class:`TableWriter` writes the same tables to Parquet and CSV
while a streamed run goes, with bounded memory.

The ``articles`` table, in input order (:data:`ARTICLE_COLUMNS`):

* ``id``: the input id, as given: an integer column when every input id
  was an integer (a JSON number, a pandas int column), a float column when
  every id was a float, else strings (the ids of the report);
* ``source``, ``url``, ``published`` (ISO 8601 text, as given: offsets are
  kept, so a column may mix naive and aware times);
* ``status`` (``ok``, ``empty``, ``error``) and ``error`` (why a record
  could not be read);
* ``cluster`` (id or null), ``relation`` (to the cluster's representative:
  ``original``, ``exact``, ``near_duplicate``, ``containment``,
  ``spun_copy``... null outside clusters) and ``representative`` (true for
  the cluster's original; false for other members and for articles in no
  cluster);
* ``keep`` and ``drop_reason`` by :class:`~newsqa.config.KeepConfig`;
* ``language``, ``spun_score``, ``flesch_reading_ease`` (the signals of
  the same name; null where not computed);
* ``boilerplate_share``, ``spam_links_share``, ``spun_share``,
  ``mojibake_share``: characters flagged with that kind (overlaps counted
  once) over the text's characters, rounded to 4 decimals;
* ``source_score``: the article's source's quality score (0-100).

The ``sources`` table (:data:`SOURCE_COLUMNS`): ``source``,
``n_articles``, ``n_kept``, ``score``, ``confidence``, then one
``points_<component>`` column per score component (the points it
contributed; see ``docs/scoring.md``).

Strings are written as UTF-8; a lone surrogate (which UTF-8 cannot encode)
becomes U+FFFD in every format, so any ``str`` can be written.

Example:
    >>> from newsqa.model import ArticleResult, SourceResult
    >>> from newsqa.results import Report
    >>> r = Report((ArticleResult("7", "s", signals={"n_chars": 10}),), (), (SourceResult("s", 1, 70.0),), {}, "")
    >>> row = next(article_rows(r, [{"id": 7, "text": "x", "source": "s"}]))
    >>> row["id"], row["keep"], row["drop_reason"], row["source_score"]
    (7, True, None, 70.0)
"""

from __future__ import annotations

import json
import numbers
import os
import re
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import IO, Any, Protocol

from .config import KeepConfig
from .errors import ConfigError, InputError, MissingExtraError
from .model import ArticleResult, Cluster, SourceResult


class Report(Protocol):
    """What the tables read of a :class:`newsqa.Report` (which imports this
    module for its ``to_pandas``; the protocol keeps the layers one-way)."""

    articles: Sequence[ArticleResult]
    clusters: Sequence[Cluster]
    sources: Sequence[SourceResult]
    config: Mapping[str, Any]

__all__ = [
    "ARTICLE_COLUMNS",
    "FLAG_KINDS",
    "SOURCE_COLUMNS",
    "TableWriter",
    "article_rows",
    "keep_decision",
    "source_rows",
]

FLAG_KINDS = ("boilerplate", "spam_links", "spun", "mojibake")
ARTICLE_COLUMNS = (
    "id",
    "source",
    "url",
    "published",
    "status",
    "error",
    "cluster",
    "relation",
    "representative",
    "keep",
    "drop_reason",
    "language",
    *(f"{k}_share" for k in FLAG_KINDS),
    "spun_score",
    "flesch_reading_ease",
    "source_score",
)
SOURCE_COLUMNS = ("source", "n_articles", "n_kept", "score", "confidence")
TABLE_FORMATS = ("parquet", "csv")
# Rows per Parquet row group and per batch read back from the part file
# when TableWriter finishes: 10,000 rows of ~20 short columns are a few MB.
DEFAULT_CHUNK_ROWS = 10_000
# Columns filled only once the clusters and source scores are known.
_LATE = ("relation", "representative", "keep", "drop_reason", "source_score")
_EARLY = tuple(c for c in ARTICLE_COLUMNS if c not in _LATE)
_FLOATS = (*(f"{k}_share" for k in FLAG_KINDS), "spun_score", "flesch_reading_ease", "source_score")
_BOOLS = ("representative", "keep")
_SURROGATE = re.compile("[\ud800-\udfff]")
_PARQUET_EXTRA = "pip install 'newsqa[parquet]'"
_PANDAS_EXTRA = "pip install 'newsqa[pandas]'"


# -- rows ------------------------------------------------------------------------------


def _safe(value: Any) -> Any:
    """A string UTF-8 can encode: lone surrogates become U+FFFD."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return _SURROGATE.sub("\ufffd", value)
    return value


def _keep_config(keep: KeepConfig | str | Mapping[str, Any] | None, report_config: Any = None) -> KeepConfig:
    if keep is None and isinstance(report_config, Mapping) and isinstance(report_config.get("keep"), Mapping):
        keep = report_config["keep"]
    if keep is None:
        return KeepConfig()
    if isinstance(keep, KeepConfig):
        return keep
    if isinstance(keep, str):
        return KeepConfig.preset(keep)
    if isinstance(keep, Mapping):
        return KeepConfig(**{k: tuple(v) if isinstance(v, list) else v for k, v in keep.items()})
    raise ConfigError(f"keep must be a KeepConfig, a preset name or None, got {type(keep).__name__}")


def _shares(result: ArticleResult, n_chars: int | None) -> dict[str, float | None]:
    spans: dict[str, list[tuple[int, int]]] = {k: [] for k in FLAG_KINDS}
    for f in result.flags:
        if f.kind in spans and f.end > f.start:
            spans[f.kind].append((f.start, f.end))
    out: dict[str, float | None] = {}
    for kind, found in spans.items():
        if not found:
            out[f"{kind}_share"] = 0.0
            continue
        if not n_chars:
            out[f"{kind}_share"] = None
            continue
        covered, end = 0, -1
        for lo, hi in sorted(found):
            lo = max(lo, end)
            if hi > lo:
                covered += hi - lo
                end = hi
        out[f"{kind}_share"] = round(min(covered / n_chars, 1.0), 4)
    return out


def _id_kind(value: Any) -> str:
    if isinstance(value, bool):
        return "str"
    if isinstance(value, numbers.Integral):
        return "int"
    if isinstance(value, numbers.Real):
        return "float"
    return "str"


def _raw_id(result: ArticleResult, article: Any) -> Any:
    """The id as the input gave it (a mapping's raw value, an Article's ``input_id``), else the report's ``str`` id."""
    raw = getattr(article, "input_id", None)
    if isinstance(article, Mapping) and "id" in article:
        raw = article["id"]
    if raw is not None:
        if _id_kind(raw) == "int":
            return int(raw)
        if _id_kind(raw) == "float":
            return float(raw)
    return result.id


def _iso(value: Any) -> str | None:
    """ISO 8601 text of a date as :class:`~newsqa.Article` parses it (unparsable: as given)."""
    from .model import _parse_published

    if value is None:
        return None
    try:
        value = _parse_published(value, "") or value
    except InputError:
        pass
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    try:
        if value != value:  # NaN, NaT
            return None
    except (TypeError, ValueError):
        pass
    return str(value) or None


def _early_row(result: ArticleResult, text: str | None, article: Any) -> dict[str, Any]:
    """The columns known from one article alone."""
    if isinstance(article, Mapping):
        url, published = article.get("url"), article.get("published")
        if url is not None and not isinstance(url, str):
            url = None if url != url else str(url)  # NaN from pandas
    else:
        url, published = getattr(article, "url", None), getattr(article, "published", None)
    signals = result.signals
    n_chars = signals.get("n_chars")
    if not isinstance(n_chars, int) and text is not None:
        n_chars = len(text)
    row: dict[str, Any] = {
        "id": _raw_id(result, article),
        "source": result.source,
        "url": url or None,
        "published": _iso(published),
        "status": result.status,
        "error": result.error,
        "cluster": result.cluster,
        "language": signals.get("language"),
        **_shares(result, n_chars if isinstance(n_chars, int) else None),
        "spun_score": signals.get("spun_score"),
        "flesch_reading_ease": signals.get("flesch_reading_ease"),
        "_spun": signals.get("spun") is True,
    }
    return {k: _safe(v) for k, v in row.items()}


def _members(clusters: Iterable[Cluster]) -> dict[str, tuple[str, bool]]:
    """Member id -> (relation to the representative, is the representative)."""
    out: dict[str, tuple[str, bool]] = {}
    for c in clusters:
        for m in c.members:
            rep = m == c.representative
            relation = c.relation.get(m) or ("original" if rep else c.kind)
            out[m] = (str(relation), rep)
    return out


def keep_decision(
    status: str,
    relation: str | None,
    representative: bool,
    spun: bool,
    shares: Mapping[str, float | None],
    keep: KeepConfig,
) -> tuple[bool, str | None]:
    """``(keep, drop_reason)`` of one article under a :class:`~newsqa.config.KeepConfig`.

    Example:
        >>> keep_decision("ok", "near_duplicate", False, False, {}, KeepConfig())
        (False, 'copy')
        >>> keep_decision("ok", "update", False, False, {}, KeepConfig())
        (True, None)
    """
    if status == "error":
        if keep.drop_errors:
            return False, "error"
    elif status == "empty":
        if keep.drop_empty:
            return False, "empty"
    if keep.drop_copies and relation is not None and not representative and relation not in keep.not_copies:
        return False, "copy"
    if keep.drop_spun and spun:
        return False, "spun"
    for kind, limit in (
        ("boilerplate", keep.max_boilerplate_share),
        ("spam_links", keep.max_spam_links_share),
        ("mojibake", keep.max_mojibake_share),
    ):
        share = shares.get(f"{kind}_share")
        if limit is not None and share is not None and share > limit:
            return False, kind
    return True, None


def _late(
    row: dict[str, Any],
    members: Mapping[str, tuple[str, bool]],
    scores: Mapping[str, Any],
    keep: KeepConfig,
    report_id: str,
) -> dict[str, Any]:
    """Fill the columns that need the clusters and the source scores; drops helper keys."""
    relation, rep = members.get(report_id, (None, False))
    spun = row.pop("_spun", False)
    row["relation"], row["representative"] = relation, rep
    row["keep"], row["drop_reason"] = keep_decision(row["status"], relation, rep, spun, row, keep)
    row["source_score"] = scores.get(row["source"])
    return {c: row.get(c) for c in ARTICLE_COLUMNS}


def _input_records(articles: Any, results: Sequence[ArticleResult]) -> list[Any]:
    """The input records, checked against the report's articles (same ids, same order)."""
    from .io import _as_id

    if articles is None:
        return [None] * len(results)
    if hasattr(articles, "to_dict") and hasattr(articles, "columns"):  # a pandas DataFrame
        articles = articles.to_dict("records")
    if isinstance(articles, (str, bytes, Mapping)):
        raise InputError("articles must be the collection of articles the report was made from")
    records = list(articles)
    if len(records) != len(results):
        raise InputError(
            f"articles holds {len(records)} records but the report {len(results)}; "
            "pass the input the report was made from"
        )
    for n, (rec, result) in enumerate(zip(records, results)):
        try:
            rid = _as_id(rec.get("id"), None) if isinstance(rec, Mapping) else getattr(rec, "id", None)
        except InputError:
            rid = None
        if rid != result.id:
            raise InputError(
                f"articles record {n} has id {rid!r} but the report's article {n} is {result.id!r}; "
                "pass the input the report was made from, in the same order"
            )
    return records


def article_rows(
    report: Report, articles: Any = None, keep: KeepConfig | str | None = None
) -> Iterator[dict[str, Any]]:
    """The ``articles`` table of a report, one dict per input record, in input order.

    Args:
        report: What :func:`newsqa.analyze` returned.
        articles: Optionally the input the report was made from (the same
            records in the same order: ``Article`` objects, mappings or a
            DataFrame): fills ``url`` and ``published`` and keeps the
            input's id type. Without it ids are the report's strings and
            ``url`` / ``published`` are null.
        keep: The keep policy: a :class:`~newsqa.config.KeepConfig`, a preset
            name, or ``None`` for the report's own ``keep`` config (else
            the default).
    """
    policy = _keep_config(keep, report.config)
    members = _members(report.clusters)
    scores = {s.source: s.score for s in report.sources}
    records = _input_records(articles, report.articles)
    rows = [_early_row(r, None, rec) for r, rec in zip(report.articles, records)]
    _unify_ids(rows, report.articles)
    for result, row in zip(report.articles, rows):
        yield _late(row, members, scores, policy, result.id)


def _unify_ids(rows: list[dict[str, Any]], results: Sequence[ArticleResult]) -> None:
    """One type per column: the input's when all ids share it, else the report's strings."""
    kinds = {_id_kind(row["id"]) for row in rows}
    if len(kinds) > 1:
        for row, result in zip(rows, results):
            row["id"] = _safe(result.id)


def source_rows(report: Report, rows: Iterable[Mapping[str, Any]] | None = None) -> list[dict[str, Any]]:
    """The ``sources`` table: one dict per source (``rows``: the article rows, for ``n_kept``)."""
    kept: dict[str, int] = {}
    for row in rows if rows is not None else article_rows(report):
        kept[row["source"]] = kept.get(row["source"], 0) + bool(row["keep"])
    return _source_table(report.sources, kept)


def _source_table(sources: Sequence[SourceResult], kept: Mapping[str, int]) -> list[dict[str, Any]]:
    components = sorted({k for s in sources for k in s.components})
    out = []
    for s in sources:
        row: dict[str, Any] = {
            "source": _safe(s.source),
            "n_articles": s.n_articles,
            "n_kept": kept.get(_safe(s.source), 0),
            "score": s.score,
            "confidence": s.confidence,
        }
        row.update({f"points_{k}": s.components.get(k) for k in components})
        out.append(row)
    return out


# -- pandas and Arrow ------------------------------------------------------------------


def _require(module: str, extra: str, what: str) -> Any:
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingExtraError(f"{what} needs {module.split('.')[0]}; run: {extra}") from None


def to_pandas(report: Report, articles: Any = None, keep: Any = None, table: str = "articles") -> Any:
    """See :meth:`newsqa.Report.to_pandas`."""
    pd = _require("pandas", _PANDAS_EXTRA, "Report.to_pandas()")
    try:  # with pyarrow: the very dtypes of a read-back articles.parquet
        import pyarrow  # noqa: F401
    except ImportError:
        pass
    else:
        return to_arrow(report, articles, keep, table).to_pandas()
    rows, columns = _table(report, articles, keep, table)
    df = pd.DataFrame.from_records(rows, columns=columns)
    if table == "articles":
        for c in _BOOLS:
            df[c] = df[c].astype(bool)
        for c in _FLOATS:
            df[c] = df[c].astype("float64")
    return df


def to_arrow(report: Report, articles: Any = None, keep: Any = None, table: str = "articles") -> Any:
    """See :meth:`newsqa.Report.to_arrow`."""
    pa = _require("pyarrow", _PARQUET_EXTRA, "Report.to_arrow()")
    rows, columns = _table(report, articles, keep, table)
    if table == "articles":
        return pa.Table.from_pylist(rows, schema=_article_schema(pa, _column_kind(r["id"] for r in rows)))
    return pa.Table.from_pylist(rows, schema=_source_schema(pa, columns))


def _table(report: Report, articles: Any, keep: Any, table: str) -> tuple[list[dict[str, Any]], list[str]]:
    if table not in ("articles", "sources"):
        raise ConfigError(f"table must be 'articles' or 'sources', got {table!r}")
    rows = list(article_rows(report, articles, keep))
    if table == "articles":
        return rows, list(ARTICLE_COLUMNS)
    srows = source_rows(report, rows)
    columns = list(srows[0]) if srows else list(SOURCE_COLUMNS)
    return srows, columns


def _column_kind(ids: Iterable[Any]) -> str:
    kinds = {_id_kind(i) for i in ids}
    return kinds.pop() if len(kinds) == 1 else "str"


def _article_schema(pa: Any, id_kind: str) -> Any:
    id_type = {"int": pa.int64(), "float": pa.float64()}.get(id_kind, pa.string())
    types = {c: pa.string() for c in ARTICLE_COLUMNS}
    types.update({c: pa.float64() for c in _FLOATS})
    types.update({c: pa.bool_() for c in _BOOLS})
    types["id"] = id_type
    return pa.schema([(c, types[c]) for c in ARTICLE_COLUMNS])


def _source_schema(pa: Any, columns: Sequence[str]) -> Any:
    types = {"source": pa.string(), "n_articles": pa.int64(), "n_kept": pa.int64()}
    return pa.schema([(c, types.get(c, pa.float64())) for c in columns])


# -- the streamed sink -----------------------------------------------------------------


class TableWriter:
    """A sink of a streamed run writing ``articles.parquet`` / ``articles.csv``
    and ``sources.parquet`` / ``sources.csv`` into a directory.

    It follows the engines' sink protocol: :meth:`article` once per input
    record, in input order, then :meth:`finish`. Memory stays bounded:
    :meth:`article` appends each row's own columns to a temporary part file
    (JSON lines, in ``directory``); :meth:`finish`, once the clusters and
    source scores are known, reads it back ``chunk_rows`` at a time, adds
    ``relation``, ``representative``, ``keep``, ``drop_reason`` and
    ``source_score``, and writes Parquet row groups and CSV rows to
    ``PATH.part`` files that are renamed into place only when all are
    complete. A run that fails leaves no partial table (:meth:`close`
    removes the parts).

    Args:
        directory: Where to write (created if missing).
        formats: ``"parquet"`` and/or ``"csv"`` (Parquet needs
            ``pip install 'newsqa[parquet]'``; CSV needs nothing).
        keep: The keep policy (:class:`~newsqa.config.KeepConfig`, a preset name,
            or ``None`` for the default).
        chunk_rows: Rows per Parquet row group and per read-back batch.

    Attributes:
        paths: The files :meth:`finish` writes (``articles`` then
            ``sources``, in the order of ``formats``).

    Example:
        >>> import tempfile, os
        >>> from newsqa.model import ArticleResult, SourceResult
        >>> d = tempfile.mkdtemp()
        >>> w = TableWriter(d, formats=("csv",))
        >>> w.article(ArticleResult("a", "s"), {"id": 1, "text": "Some text.", "url": "https://s.example/a"})
        >>> w.finish((), (SourceResult("s", 1, 80.0),))
        >>> sorted(os.listdir(d))
        ['articles.csv', 'sources.csv']
    """

    def __init__(
        self,
        directory: str | os.PathLike[str],
        formats: Sequence[str] = TABLE_FORMATS,
        *,
        keep: KeepConfig | str | None = None,
        chunk_rows: int = DEFAULT_CHUNK_ROWS,
    ) -> None:
        if isinstance(formats, str):
            formats = [f.strip() for f in formats.split(",") if f.strip()]
        formats = tuple(dict.fromkeys(f.lower() for f in formats))
        unknown = [f for f in formats if f not in TABLE_FORMATS]
        if unknown or not formats:
            raise ConfigError(f"formats must name parquet and/or csv, got {formats!r}")
        if isinstance(chunk_rows, bool) or not isinstance(chunk_rows, int) or chunk_rows < 1:
            raise ConfigError(f"chunk_rows must be a positive int, got {chunk_rows!r}")
        if "parquet" in formats:
            _require("pyarrow.parquet", _PARQUET_EXTRA, "writing Parquet")
        self.directory = os.fspath(directory)
        self.formats = formats
        self.keep = _keep_config(keep)
        self.chunk_rows = chunk_rows
        self.paths = [
            os.path.join(self.directory, f"{name}.{fmt}") for name in ("articles", "sources") for fmt in formats
        ]
        os.makedirs(self.directory, exist_ok=True)
        fd, self._rows_path = tempfile.mkstemp(prefix=".articles-", suffix=".part.jsonl", dir=self.directory)
        self._fh: IO[str] | None = os.fdopen(fd, "w", encoding="utf-8")
        self._id_kinds: set[str] = set()
        self.n_articles = 0

    def article(self, result: ArticleResult, record: Any = None) -> None:
        """Record one article (the sink protocol of :mod:`newsqa.sinks`).

        Args:
            result: Its result.
            record: The input record, for ``url``, ``published``, the text
                (for the flagged shares when ``n_chars`` is missing) and the
                id's original type: an :class:`~newsqa.Article` (whose
                ``input_id`` keeps a numeric id), an
                :class:`~newsqa.io.Unreadable`, or a raw mapping. ``None``:
                the report's string id, no url or date.
        """
        if self._fh is None:
            raise ValueError("TableWriter is finished or closed")
        text = getattr(record, "text", None) if not isinstance(record, Mapping) else record.get("text")
        row = _early_row(result, text if isinstance(text, str) else None, record)
        self._id_kinds.add(_id_kind(row["id"]))
        row["_rid"] = _safe(result.id)
        self._fh.write(json.dumps([row[c] for c in (*_EARLY, "_spun", "_rid")]) + "\n")
        self.n_articles += 1

    def finish(self, clusters: Sequence[Cluster], sources: Sequence[SourceResult]) -> None:
        """Write the tables and rename them into place."""
        if self._fh is None:
            raise ValueError("TableWriter is finished or closed")
        self._fh.close()
        self._fh = None
        id_kind = self._id_kinds.pop() if len(self._id_kinds) == 1 else "str"
        parts = {p: p + ".part" for p in self.paths}
        outs = _Outputs(self.formats, parts, self.directory)
        try:
            members = _members(clusters)
            scores = {_safe(s.source): s.score for s in sources}
            kept: dict[str, int] = {}
            articles = outs.table("articles", list(ARTICLE_COLUMNS), lambda pa: _article_schema(pa, id_kind))
            for batch in self._batches():
                rows = []
                for values in batch:
                    row = dict(zip((*_EARLY, "_spun", "_rid"), values))
                    rid = row.pop("_rid")
                    if id_kind == "str":
                        row["id"] = rid
                    out = _late(row, members, scores, self.keep, rid)
                    kept[out["source"]] = kept.get(out["source"], 0) + out["keep"]
                    rows.append(out)
                articles.write(rows)
            articles.close()
            srows = _source_table(sources, kept)
            columns = list(srows[0]) if srows else list(SOURCE_COLUMNS)
            table = outs.table("sources", columns, lambda pa: _source_schema(pa, columns))
            table.write(srows)
            table.close()
        except BaseException:
            outs.discard()
            self._remove_rows()
            raise
        self._remove_rows()
        for path, part in parts.items():
            os.replace(part, path)

    def close(self) -> None:
        """Drop an unfinished table (a no-op after :meth:`finish`)."""
        if self._fh is not None:
            self._fh.close()
            self._fh = None
        self._remove_rows()

    def _batches(self) -> Iterator[list[list[Any]]]:
        with open(self._rows_path, encoding="utf-8") as fh:
            batch: list[list[Any]] = []
            for line in fh:
                batch.append(json.loads(line))
                if len(batch) >= self.chunk_rows:
                    yield batch
                    batch = []
            if batch:
                yield batch

    def _remove_rows(self) -> None:
        if os.path.exists(self._rows_path):
            os.unlink(self._rows_path)


class _Outputs:
    """The part files of one table in each format."""

    def __init__(self, formats: Sequence[str], parts: Mapping[str, str], directory: str) -> None:
        self.formats, self.parts, self.directory = formats, parts, directory
        self.open: list[Any] = []

    def table(self, name: str, columns: list[str], schema: Any) -> _TableOut:
        out = _TableOut(
            {fmt: self.parts[os.path.join(self.directory, f"{name}.{fmt}")] for fmt in self.formats},
            columns,
            schema,
        )
        self.open.append(out)
        return out

    def discard(self) -> None:
        for out in self.open:
            out.close()
        for part in self.parts.values():
            if os.path.exists(part):
                os.unlink(part)


class _TableOut:
    def __init__(self, parts: Mapping[str, str], columns: list[str], schema: Any) -> None:
        import csv

        self.columns = columns
        self._csv_fh: IO[str] | None = None
        self._csv: Any = None
        self._pq: Any = None
        self._pa: Any = None
        if "csv" in parts:
            self._csv_fh = open(parts["csv"], "w", encoding="utf-8", newline="")  # noqa: SIM115 (closed by close())
            self._csv = csv.writer(self._csv_fh)
            self._csv.writerow(columns)
        if "parquet" in parts:
            import pyarrow as pa
            import pyarrow.parquet as pq

            self._pa = pa
            self._schema = schema(pa)
            self._pq = pq.ParquetWriter(parts["parquet"], self._schema)

    def write(self, rows: list[dict[str, Any]]) -> None:
        if self._csv is not None:
            self._csv.writerows([[_csv_cell(r[c]) for c in self.columns] for r in rows])
        if self._pq is not None:
            self._pq.write_table(self._pa.Table.from_pylist(rows, schema=self._schema))

    def close(self) -> None:
        if self._csv_fh is not None:
            self._csv_fh.close()
            self._csv_fh = self._csv = None
        if self._pq is not None:
            self._pq.close()
            self._pq = None


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value
