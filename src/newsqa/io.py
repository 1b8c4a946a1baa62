"""Reading articles from files and records.

:func:`read_articles` takes any mix of paths:

* a directory of ``.txt`` files (one article per file, sorted by name; the
  id is the file stem, the source ``"unknown"``), optionally with a
  ``manifest.jsonl`` giving each file's ``id``, ``source``, ``url`` and
  ``published``;
* a single ``.txt`` file;
* ``.jsonl`` / ``.ndjson`` (one JSON object per line), ``.csv`` (with a
  header row) or ``.parquet`` with columns ``id, text, source`` and
  optionally ``url, published``; ``.jsonl.gz``, ``.ndjson.gz`` and
  ``.csv.gz`` are read through gzip.

:func:`articles_from_records` applies the same column rules to mappings,
e.g. ``pandas.DataFrame.to_dict("records")``.

An empty file holds no articles, whatever its format: an empty (0-byte)
``.jsonl``, ``.csv`` or ``.parquet``, a ``.csv`` with only its header row, a
``.jsonl`` of blank lines; the run then reports no articles (``newsqa
analyze`` exits 0 with an empty report). A directory without ``.txt``
files is an error, since it is more likely the wrong directory.

Tabular files are streamed line by line or batch by batch. Bad input raises
:class:`~newsqa.errors.InputError` with one line naming the file, the line
or row, and what to do. A ``.txt`` file that is not UTF-8 is not an error:
it becomes an :class:`Unreadable` record, which :func:`newsqa.analyze`
reports with status ``"error"`` so that no input is silently dropped.

Example:
    >>> articles_from_records([{"id": 1, "text": "Kim met Putin.", "source": "a.com"}])[0].id
    '1'
"""

from __future__ import annotations

import contextlib
import csv
import gzip
import io
import json
import numbers
import os
import re
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import IO, Any, TextIO

from .errors import InputError
from .model import Article

__all__ = ["Unreadable", "articles_from_records", "coerce_records", "iter_articles", "read_articles"]

REQUIRED_COLUMNS = ("id", "text", "source")
OPTIONAL_COLUMNS = ("url", "published")
MANIFEST_NAME = "manifest.jsonl"
MANIFEST_KEYS = ("id", "file", "source", "url", "published")
# Source of a .txt file that no manifest describes.
DEFAULT_SOURCE = "unknown"
# Longest CSV field accepted, in characters. Python's default (128 KiB)
# rejects long articles; the largest inputs newsqa is specified for are
# 5 MB, and 64 MiB leaves a wide margin while still stopping a file with an
# unclosed quote from swallowing gigabytes into one field.
CSV_FIELD_SIZE_LIMIT = 64 * 1024 * 1024
# Batch size when streaming Parquet: large enough that per-batch overhead is
# negligible, small enough that a batch of 5 MB articles fits in memory.
PARQUET_BATCH_ROWS = 1024

_BOM = "\ufeff"
_JSONL_EXTENSIONS = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")
_CSV_EXTENSIONS = (".csv", ".csv.gz")
SUPPORTED_EXTENSIONS = (".txt", *_JSONL_EXTENSIONS, *_CSV_EXTENSIONS, ".parquet")


@dataclass(frozen=True, slots=True)
class Unreadable:
    """An input record that could not be read, e.g. a ``.txt`` file that is not UTF-8.

    :func:`newsqa.analyze` gives it status ``"error"`` with ``error`` as the
    reason, so the report accounts for every input.

    Args:
        id: The id the article would have had.
        source: Its source (from the manifest, else ``"unknown"``).
        error: What went wrong and what to do, in one line.
        input_id: The record's id as the input gave it, when a number
            (see :class:`~newsqa.Article`).
    """

    id: str
    source: str
    error: str
    input_id: int | float | None = field(default=None, compare=False, repr=False)


def read_articles(
    paths: Sequence[str | os.PathLike[str]] | str | os.PathLike[str], *, strict: bool = False
) -> list[Article | Unreadable]:
    """Read articles from files and directories, in the order given.

    Args:
        paths: Directories of ``.txt`` files (with an optional
            ``manifest.jsonl``), ``.txt``, ``.jsonl``, ``.ndjson``, ``.csv``
            or ``.parquet`` files (``.jsonl.gz``, ``.ndjson.gz``, ``.csv.gz``
            too), in any mix. A single path is accepted as well.

        strict: Raise :class:`~newsqa.InputError` at the first record that
            cannot be used, instead of returning it as :class:`Unreadable`.

    Returns:
        One :class:`~newsqa.model.Article` per input record, or an
        :class:`Unreadable` for a record that cannot be used: a file or
        line that is not UTF-8, a line that is not JSON, a malformed CSV
        row or an oversized field, a missing or non-string ``text`` or
        ``source``, a ``published`` value that is not a date. Its error
        names the file, the line and the field; a record whose id cannot
        be read gets the id ``"<file name>:<line>"``.

    Raises:
        InputError: A path is missing or of an unsupported type, a file
            lacks a required column, or an id occurs twice (across all
            paths); with ``strict``, also any unusable record. The message
            names the file and line.

    Example:
        >>> import pathlib, tempfile
        >>> d = pathlib.Path(tempfile.mkdtemp())
        >>> _ = (d / "a1.txt").write_text("Kim met Putin.", encoding="utf-8")
        >>> [(a.id, a.source) for a in read_articles([d])]
        [('a1', 'unknown')]
    """
    return list(iter_articles(paths, strict=strict))


def iter_articles(
    paths: Sequence[str | os.PathLike[str]] | str | os.PathLike[str], *, strict: bool = False
) -> Iterator[Article | Unreadable]:
    """Stream the articles of :func:`read_articles`, one at a time.

    Only the ids seen so far are kept (to reject duplicates), never the
    texts, so a streamed run holds one chunk of articles at a time. The
    paths are checked before the first article is read.

    Raises:
        InputError: As :func:`read_articles`, when the bad line is reached.

    Example:
        >>> import pathlib, tempfile
        >>> d = pathlib.Path(tempfile.mkdtemp())
        >>> _ = (d / "a.jsonl").write_text('{"id": 1, "text": "Hi.", "source": "s"}\\n', encoding="utf-8")
        >>> [a.id for a in iter_articles(d / "a.jsonl")]
        ['1']
    """
    given = _distinct_paths(paths)
    return _iter_paths(given, strict)


def _distinct_paths(paths: Sequence[str | os.PathLike[str]] | str | os.PathLike[str]) -> list[str]:
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    given: dict[str, str] = {}
    for path in (os.fspath(p) for p in paths):
        real = os.path.realpath(path)
        if real in given:
            raise InputError(f"{path}: given twice (also as {given[real]}); give each input once")
        given[real] = path
    return list(given.values())


def _iter_paths(paths: list[str], strict: bool = False) -> Iterator[Article | Unreadable]:
    seen: set[str] = set()
    for path in paths:
        for item, where in _read_path(path, strict):
            if item.id in seen:
                _check_unique(item.id, where, {item.id: _first_place(paths, item.id)})
            seen.add(item.id)
            yield item


def _first_place(paths: list[str], article_id: str) -> str:
    """Where ``article_id`` first occurs (read again only to word a duplicate-id error)."""
    for path in paths:
        for item, where in _read_path(path):
            if item.id == article_id:
                return where
    return "an earlier input"  # not reached: the id was seen before


def articles_from_records(records: Iterable[Mapping[str, Any]]) -> list[Article]:
    """Build articles from mappings with keys ``id, text, source[, url, published]``.

    Numeric ids become strings; ``None`` or NaN ``url`` / ``published``
    become ``None``; other keys are ignored.

    Args:
        records: Mappings, e.g. ``df.to_dict("records")`` of a pandas
            DataFrame.

    Returns:
        The articles, in order.

    Raises:
        InputError: A record is not a mapping, lacks a required key, has a
            non-string ``text`` or ``source``, or repeats an id.

    Example:
        >>> [a.url for a in articles_from_records([{"id": "a", "text": "", "source": "s", "url": None}])]
        [None]
    """
    if isinstance(records, (str, bytes, Mapping)):
        raise InputError(
            f"records must be an iterable of mappings, got a {type(records).__name__}; "
            "for a pandas DataFrame pass df.to_dict('records')"
        )
    seen: dict[str, str] = {}
    out: list[Article] = []
    for n, rec in enumerate(records, 1):
        where = f"record {n}"
        if not isinstance(rec, Mapping):
            raise InputError(
                f"{where} is a {type(rec).__name__}, not a mapping with keys id, text, source; "
                "for a pandas DataFrame pass df.to_dict('records')"
            )
        article = _article_from_record(rec, where)
        _check_unique(article.id, where, seen)
        out.append(article)
    return out


# --- dispatch --------------------------------------------------------------------------


def _read_path(path: str, strict: bool = False) -> Iterator[tuple[Article | Unreadable, str]]:
    """Yield ``(article, where)`` for every article in one path."""
    if os.path.isdir(path):
        yield from _read_directory(path, strict)
        return
    if not os.path.exists(path):
        raise InputError(f"{path}: no such file or directory; check the path")
    if os.path.basename(path) == MANIFEST_NAME:
        raise InputError(
            f"{path}: is a manifest, not articles; give its directory ({os.path.dirname(path) or '.'}) instead"
        )
    lower = path.lower()
    if lower.endswith(".txt"):
        yield _read_txt(path, _stem(path), DEFAULT_SOURCE, None, None, strict=strict), path
    elif lower.endswith(_JSONL_EXTENSIONS):
        yield from _read_jsonl(path, strict)
    elif lower.endswith(_CSV_EXTENSIONS):
        yield from _read_csv(path, strict)
    elif lower.endswith(".parquet"):
        yield from _read_parquet(path, strict)
    else:
        raise InputError(
            f"{path}: unsupported file type; give a directory of .txt files or a file ending in "
            f"{', '.join(SUPPORTED_EXTENSIONS)}"
        )


def _check_unique(article_id: str, where: str, seen: dict[str, str]) -> None:
    if article_id in seen:
        raise InputError(
            f"duplicate id {article_id!r}: in {seen[article_id]} and in {where}; ids must be unique across "
            "all inputs, so rename or drop one of them"
        )
    seen[article_id] = where


def _stem(path: str) -> str:
    name = os.path.basename(path)
    return name[: -len(".txt")] if name.lower().endswith(".txt") else os.path.splitext(name)[0]


# --- .txt files and directories ----------------------------------------------------------


def _read_txt(
    path: str,
    article_id: str,
    source: str,
    url: Any,
    published: Any,
    where: str | None = None,
    *,
    strict: bool = False,
) -> Article | Unreadable:
    """One ``.txt`` file as an article, or :class:`Unreadable` if it is not UTF-8.

    ``where`` names the place in error messages (default: ``path``).
    """
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as err:
        raise InputError(f"{path}: cannot read ({err.strerror or err}); check the file's permissions") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        message = f"{path}: not valid UTF-8 at byte {err.start}; re-encode the file as UTF-8"
        if strict:
            raise InputError(message) from None
        return Unreadable(id=article_id, source=source, error=message)
    try:
        return _make_article(where or path, article_id, text.removeprefix(_BOM), source, url, published)
    except InputError as err:
        if strict:
            raise
        return Unreadable(id=article_id, source=source, error=str(err))


def _read_directory(path: str, strict: bool = False) -> Iterator[tuple[Article | Unreadable, str]]:
    """Every ``.txt`` file of a directory, sorted by name, with manifest overrides."""
    manifest_path = os.path.join(path, MANIFEST_NAME)
    manifest = _read_manifest(manifest_path) if os.path.isfile(manifest_path) else {}
    names = {e.name for e in os.scandir(path) if e.is_file() and e.name.lower().endswith(".txt")}
    names.update(manifest)
    if not names:
        raise InputError(
            f"{path}: directory has no .txt files; give a directory of .txt articles, or a "
            ".jsonl, .csv or .parquet file"
        )
    for name in sorted(names):
        file_path = os.path.join(path, name)
        entry, entry_where = manifest.get(name, ({}, None))
        where = f"{file_path} ({entry_where})" if entry_where else file_path
        article_id = _as_id(entry["id"], entry_where) if "id" in entry else _stem(name)
        source = entry.get("source", DEFAULT_SOURCE)
        if not isinstance(source, str):
            raise InputError(f"{entry_where}: source must be a string, got {source!r}")
        item = _read_txt(file_path, article_id, source, entry.get("url"), entry.get("published"), where, strict=strict)
        yield item, where


def _read_manifest(path: str) -> dict[str, tuple[dict[str, Any], str]]:
    """Map file name -> (manifest entry, "manifest.jsonl line N")."""
    entries: dict[str, tuple[dict[str, Any], str]] = {}
    directory = os.path.dirname(path)
    for where, obj in _jsonl_objects(path):
        unknown = sorted(set(obj) - set(MANIFEST_KEYS))
        if unknown:
            raise InputError(
                f"{where}: unknown key(s) {', '.join(map(repr, unknown))}; a manifest line may have "
                f"only {', '.join(MANIFEST_KEYS)}"
            )
        name = obj.get("file")
        if not isinstance(name, str) or not name:
            raise InputError(f"{where}: needs a 'file' key naming a .txt file in {directory or '.'}")
        name = os.path.normpath(name)
        if not os.path.isfile(os.path.join(directory, name)):
            raise InputError(
                f"{where}: file {name!r} does not exist in {directory or '.'}; fix the name or remove the line"
            )
        if name in entries:
            raise InputError(f"{where}: file {name!r} is already described in {entries[name][1]}; keep one line")
        entries[name] = (obj, where)
    return entries


# --- JSONL ----------------------------------------------------------------------------


def _read_jsonl(path: str, strict: bool = False) -> Iterator[tuple[Article | Unreadable, str]]:
    if strict:
        for where, obj in _jsonl_objects(path):
            yield _article_from_record(obj, where), where
        return
    with _open_utf8(path, lenient=True) as fh:
        for line_no, line in enumerate(fh, 1):
            if not line.strip():
                continue
            where = f"{path} line {line_no}"
            place = _place(path, line_no)
            bad = _undecodable(line)
            if bad is not None:
                try:  # the id and source may still be readable
                    obj = json.loads(line)
                except ValueError:
                    obj = None
                message = f"{where}: not valid UTF-8 at column {bad}; re-encode the file as UTF-8"
                yield _unreadable(obj if isinstance(obj, dict) else None, place, message), where
                continue
            obj: dict[str, Any] | None = None
            try:
                obj = _json_object(line, where)
                item: Article | Unreadable = _article_from_record(obj, where)
            except InputError as err:
                item = _unreadable(obj, place, str(err))
            yield item, where


def _jsonl_objects(path: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield ``(where, object)`` for each non-blank line of a JSON Lines file (strict)."""
    with _open_utf8(path) as fh:
        for line_no, line in enumerate(fh, 1):
            if not line.strip():
                continue
            where = f"{path} line {line_no}"
            yield where, _json_object(line, where)


def _json_object(line: str, where: str) -> dict[str, Any]:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as err:
        raise InputError(f"{where}: not valid JSON ({err.msg} at column {err.colno}); fix or remove the line") from None
    if not isinstance(obj, dict):
        raise InputError(
            f'{where}: expected a JSON object like {{"id": ..., "text": ..., "source": ...}}, '
            f"got a JSON {_json_type(obj)}"
        )
    return obj


def _json_type(value: Any) -> str:
    return {list: "array", str: "string", bool: "boolean", type(None): "null"}.get(type(value), "number")


# --- CSV ------------------------------------------------------------------------------


def _read_csv(path: str, strict: bool = False) -> Iterator[tuple[Article | Unreadable, str]]:
    if csv.field_size_limit() < CSV_FIELD_SIZE_LIMIT:
        csv.field_size_limit(CSV_FIELD_SIZE_LIMIT)
    with _open_utf8(path, lenient=not strict) as fh:
        reader = csv.reader(fh)
        try:
            header = next(reader, None)
        except csv.Error as err:
            raise InputError(f"{path} line {reader.line_num}: malformed CSV header ({err}); check the quoting") from None
        if header is None:
            return  # an empty file holds no records, like an empty .jsonl
        header = [h.strip() for h in header]
        bad = next((c for c in map(_undecodable, header) if c is not None), None)
        if bad is not None:
            raise InputError(f"{path} line 1: the header is not valid UTF-8; re-encode the file as UTF-8")
        _check_columns(path, header)
        start = reader.line_num + 1
        while True:
            where = f"{path} line {start}"
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as err:
                message = f"{where}: malformed CSV ({err}); check the quoting"
                if "field larger than field limit" in str(err):
                    message = (
                        f"{where}: a field is longer than {CSV_FIELD_SIZE_LIMIT:,} characters "
                        "(an unclosed quote?); check the quoting"
                    )
                start = reader.line_num + 1
                if strict:
                    raise InputError(message) from None
                yield _unreadable(None, _place(path, int(where.rsplit(" ", 1)[1])), message), where
                continue
            place = _place(path, start)
            start = reader.line_num + 1
            if not row:
                continue
            rec = dict(zip(header, row)) if len(row) == len(header) else None
            try:
                if rec is None:
                    raise InputError(
                        f"{where}: has {len(row)} fields but the header has {len(header)}; "
                        "check the quoting of fields that contain commas, quotes or newlines"
                    )
                for key, value in rec.items():
                    col = _undecodable(value)
                    if col is not None:
                        raise InputError(
                            f"{where}: field {key!r} is not valid UTF-8 at character {col}; re-encode the file as UTF-8"
                        )
                yield _article_from_record(rec, where), where
            except InputError as err:
                if strict:
                    raise
                yield _unreadable(rec, place, str(err)), where


def _check_columns(path: str, columns: Sequence[str]) -> None:
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise InputError(
            f"{path}: missing required column(s) {', '.join(missing)}; found {', '.join(map(repr, columns)) or 'none'} "
            f"(need {', '.join(REQUIRED_COLUMNS)}, optionally {', '.join(OPTIONAL_COLUMNS)})"
        )
    dupes = sorted({c for c in columns if columns.count(c) > 1})
    if dupes:
        raise InputError(f"{path}: column(s) {', '.join(map(repr, dupes))} appear more than once; rename one")


# --- Parquet --------------------------------------------------------------------------


def _read_parquet(path: str, strict: bool = False) -> Iterator[tuple[Article | Unreadable, str]]:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise InputError(f"{path}: reading Parquet needs pyarrow; run: pip install 'newsqa[parquet]'") from None
    if os.path.getsize(path) == 0:  # an empty file holds no articles, as an empty .jsonl does
        return
    try:
        pf = pq.ParquetFile(path)
    except Exception as err:  # pyarrow raises several types for a corrupt file
        raise InputError(f"{path}: cannot be read as Parquet ({err}); check that it is a Parquet file") from None
    names = list(pf.schema_arrow.names)
    _check_columns(path, names)
    wanted = [c for c in (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS) if c in names]
    row = 0
    for batch in pf.iter_batches(batch_size=PARQUET_BATCH_ROWS, columns=wanted):
        for rec in batch.to_pylist():
            row += 1
            where = f"{path} row {row}"
            try:
                yield _article_from_record(rec, where), where
            except InputError as err:
                if strict:
                    raise
                yield _unreadable(rec, f"{os.path.basename(path)}:row{row}", str(err)), where


# --- shared helpers -------------------------------------------------------------------


def _open_binary(path: str) -> IO[bytes]:
    if path.lower().endswith(".gz"):
        return gzip.GzipFile(path, "rb")  # type: ignore[return-value]
    return open(path, "rb")


@contextlib.contextmanager
def _open_utf8(path: str, lenient: bool = False) -> Iterator[TextIO]:
    """Open a (possibly gzipped) UTF-8 file for streaming text, BOM stripped.

    Lines end at ``\\n`` only and keep it. Decoding errors met while
    reading inside the ``with`` block become an InputError with the byte
    offset; so do unreadable and corrupt gzip files. With ``lenient``,
    undecodable bytes are kept as lone surrogates (``surrogateescape``)
    for the reader to report per record (:func:`_undecodable`).
    """
    errors = "surrogateescape" if lenient else "strict"
    try:
        with _open_binary(path) as raw, io.TextIOWrapper(
            raw, encoding="utf-8-sig", errors=errors, newline="\n"
        ) as fh:
            yield fh
    except UnicodeDecodeError:
        line_no, offset = _first_invalid_utf8(path)
        of = " of the decompressed data" if path.lower().endswith(".gz") else ""
        raise InputError(
            f"{path} line {line_no}: not valid UTF-8 at byte {offset}{of}; re-encode the file as UTF-8"
        ) from None
    except (gzip.BadGzipFile, EOFError, zlib.error) as err:
        raise InputError(f"{path}: not a valid gzip file ({err}); check the file or drop the .gz suffix") from None
    except OSError as err:
        raise InputError(f"{path}: cannot read ({err.strerror or err}); check the file's permissions") from None


def _first_invalid_utf8(path: str) -> tuple[int, int]:
    """``(line_number, byte_offset)`` of the first invalid UTF-8 sequence in a file.

    Only called once decoding has failed. Decoding line by line is exact:
    no UTF-8 multi-byte sequence contains the byte ``\\n``.
    """
    offset = line_no = 0
    with _open_binary(path) as fh:
        for line_no, raw in enumerate(fh, 1):
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError as err:
                return line_no, offset + err.start
            offset += len(raw)
    return line_no, offset  # not reached for a file that failed to decode


# Bytes that are not UTF-8, as ``surrogateescape`` decoding keeps them.
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")


def _undecodable(value: str) -> int | None:
    """1-based column of the first byte of ``value`` that was not UTF-8, else None."""
    m = _ESCAPED_BYTE.search(value)
    return None if m is None else m.start() + 1


def _place(path: str, line: int) -> str:
    """The stable id of a record whose own id cannot be read: ``"<file name>:<line>"``."""
    return f"{os.path.basename(path)}:{line}"


def _unreadable(rec: Mapping[str, Any] | None, place: str, error: str) -> Unreadable:
    """An :class:`Unreadable` for a record, with its own id and source where they can be read."""
    article_id, source, input_id = place, DEFAULT_SOURCE, None
    if rec is not None:
        try:
            article_id = _as_id(rec.get("id"), None)
            _check_encodable(article_id, "id", place)
            raw = rec.get("id")
            if isinstance(raw, numbers.Real) and not isinstance(raw, bool):
                input_id = raw
        except InputError:
            article_id = place
        src = rec.get("source")
        if isinstance(src, str) and src and _undecodable(src) is None:
            try:
                _check_encodable(src, "source", place)
                source = src
            except InputError:
                pass
    return Unreadable(id=article_id, source=source, error=error, input_id=input_id)


def coerce_records(items: Iterable[Any], *, strict: bool = False) -> Iterator[Article | Unreadable]:
    """Articles and unreadable records from what :func:`newsqa.analyze` accepts.

    ``Article`` and :class:`Unreadable` pass through; mappings (and the rows
    of a pandas DataFrame) are read with the column rules of
    :func:`articles_from_records`. A mapping that cannot be used becomes an
    :class:`Unreadable` naming the record and the field (with ``strict``,
    an :class:`~newsqa.InputError`).

    Raises:
        InputError: ``items`` is a single string, or an item is neither an
            article nor a mapping.

    Example:
        >>> [type(a).__name__ for a in coerce_records([{"id": 1, "text": None, "source": "s"}])]
        ['Unreadable']
    """
    if isinstance(items, (str, bytes)):
        raise InputError("expected a collection of articles, got a single string; wrap it in a list")
    if isinstance(items, (Article, Unreadable)) or isinstance(items, Mapping):
        raise InputError("expected a collection of articles, got a single one; wrap it in a list")
    if hasattr(items, "to_dict") and hasattr(items, "columns"):  # a pandas DataFrame
        items = items.to_dict("records")  # type: ignore[union-attr]
    for i, item in enumerate(items):
        if isinstance(item, (Article, Unreadable)):
            yield item
        elif isinstance(item, Mapping):
            where = f"record {i + 1}"
            try:
                yield _article_from_record(item, where)
            except InputError as err:
                if strict:
                    raise
                yield _unreadable(item, where, str(err))
        else:
            raise InputError(
                f"item {i} is {type(item).__name__}; expected newsqa.Article, a mapping with "
                "'id', 'text' and 'source', or newsqa.io.Unreadable"
            )


def _is_missing(value: Any) -> bool:
    """None, NaN, or pandas NaT/NA."""
    if value is None:
        return True
    try:
        return bool(value != value)
    except (TypeError, ValueError):
        return False


def _as_id(value: Any, where: str | None) -> str:
    if isinstance(value, str) and value:
        return value
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return str(int(value))
    if isinstance(value, numbers.Real) and not isinstance(value, bool) and not _is_missing(value):
        f = float(value)
        return str(int(f)) if f.is_integer() else repr(f)
    raise InputError(f"{where}: id must be a non-empty string or a number, got {value!r}; give every article an id")


def _optional_str(value: Any, key: str, where: str) -> str | None:
    if _is_missing(value) or value == "":
        return None
    if not isinstance(value, str):
        raise InputError(f"{where}: {key} must be a string or empty, got {type(value).__name__} {value!r}")
    return value


def _article_from_record(rec: Mapping[str, Any], where: str) -> Article:
    missing = [c for c in REQUIRED_COLUMNS if c not in rec]
    if missing:
        found = ", ".join(repr(str(k)) for k in rec) or "none"
        raise InputError(
            f"{where}: missing required key(s) {', '.join(missing)}; found {found} "
            f"(need {', '.join(REQUIRED_COLUMNS)}, optionally {', '.join(OPTIONAL_COLUMNS)})"
        )
    article_id = _as_id(rec["id"], where)
    text, source = rec["text"], rec["source"]
    if isinstance(text, (bytes, bytearray)):
        raise InputError(
            f"{where} (id {article_id!r}): text is bytes, not a string; store the text as UTF-8 strings "
            "(decode it first, e.g. data.decode('utf-8'))"
        )
    if not isinstance(text, str):
        what = "missing" if _is_missing(text) else f"a {type(text).__name__}"
        raise InputError(
            f"{where} (id {article_id!r}): text is {what}, not a string; give the article's text "
            "(an empty string is allowed)"
        )
    if not isinstance(source, str) or not source.strip():
        what = (
            "missing"
            if _is_missing(source) or isinstance(source, str)
            else f"a {type(source).__name__}"
        )
        raise InputError(
            f"{where} (id {article_id!r}): source is {what}, not a string; give the publisher's name or domain"
        )
    raw = rec["id"]
    input_id = raw if isinstance(raw, numbers.Real) and not isinstance(raw, bool) else None
    return _make_article(where, article_id, text, source, rec.get("url"), rec.get("published"), input_id)


def _check_encodable(value: str, key: str, where: str) -> None:
    """Ids, sources and urls go into report.json, so they must be encodable as UTF-8."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as err:
        raise InputError(
            f"{where}: {key} {value!r} holds a lone surrogate at position {err.start}, which cannot be "
            f"written as UTF-8; fix the {key}"
        ) from None


def _make_article(
    where: str, article_id: str, text: str, source: str, url: Any, published: Any, input_id: Any = None
) -> Article:
    url = _optional_str(url, "url", where)
    for key, value in (("id", article_id), ("source", source), ("url", url)):
        if isinstance(value, str):
            _check_encodable(value, key, where)
    if _is_missing(published) or published == "":
        published = None
    try:
        return Article(id=article_id, text=text, source=source, url=url, published=published, input_id=input_id)
    except InputError as err:
        raise InputError(f"{where}: {err}") from None
