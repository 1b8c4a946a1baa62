"""A persistent, incremental near-duplicate index on SQLite: :class:`NearDupIndex`.

News arrives every day; a pipeline asks of each new article "have I seen
this story before, and from whom?", across restarts. The index keeps, per
article, its MinHash signature (a ``uint32`` blob), its LSH band keys (an
indexed table), its source, url and published date, and (with
``verify="exact"``, the default) its exact shingle set (sorted 64-bit
hashes) for exact verification; never the text itself. It uses the same signatures (:func:`newsqa.minhash.sketch`),
the same banding (:func:`newsqa.lsh.optimal_params`,
:func:`newsqa.lsh.band_keys`) and the same verification as
:func:`newsqa.find_duplicates`, so a pair the index reports is a pair
``find_duplicates`` links (containment is not part of the index).

Guarantees (see ``docs/index-store.md``):

* every :meth:`NearDupIndex.add` is one SQLite transaction
  (``BEGIN IMMEDIATE``): a crash, even ``SIGKILL``, leaves all of the
  batch or none of it;
* several processes may add at once (WAL mode, ``busy_timeout``): writers
  take turns, readers never wait, and no article is lost;
* the parameters that decide what matches (threshold, ``num_perm``,
  ``ngram``, seed, hash, bands and rows, verification) live in the file,
  and reopening with different ones raises :class:`~newsqa.errors.ConfigError`;
* nothing is pickled: the file holds integers, short strings (ids,
  sources, urls, dates) and raw little-endian ``uint32`` / ``uint64``
  bytes; article texts are not stored.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from . import _kernels as K
from .clusters import VERIFY_MARGIN_SD
from .config import Config, DedupConfig
from .errors import ConfigError, InputError, NewsqaError
from .io import Unreadable, coerce_records
from .lsh import band_keys, min_equal_for, optimal_params
from .minhash import shingle_sets, sketch
from .model import Article, SourceResult

if TYPE_CHECKING:
    from typing_extensions import Self

__all__ = ["NearDupIndex"]

# The file format. Bump SCHEMA_VERSION whenever a table, a column, the band
# key function or the text model changes, so that an old index is refused
# instead of silently answering with incomparable keys.
FORMAT_NAME = "newsqa-index"
SCHEMA_VERSION = 1
# The permutation scheme of the stored signatures (datasketch 2.0's name for
# it; see newsqa.minhash).
SIGNATURE_SCHEME = "affine32"
# How long a writer waits for another process's transaction before giving
# up, in seconds. A batch of 1,000 articles commits in well under a second
# on the development VM (docs/benchmarks.md, "Incremental index"), so a
# minute covers dozens of queued writers.
BUSY_TIMEOUT_S = 60.0
# Values per SQL "IN (...)" list: far below SQLite's limit of 32,766 host
# parameters (and the 999 of builds before 3.32), large enough that the
# per-statement cost is negligible.
SQL_CHUNK = 500
# Articles matched per batch of a query over many articles (bounds the
# shingle sets and candidate pairs held at once, as INDEX_BATCH does for
# `newsqa index add`).
QUERY_BATCH = 1000
# Articles written per executemany call inside one add() transaction.
WRITE_CHUNK = 256
# SQLite page cache per connection, in KiB (negative cache_size means KiB).
# The band-key B-tree takes random inserts; 64 MiB keeps the pages of an
# index of about a million articles' keys hot. SQLite's default is 2 MiB.
CACHE_KIB = 65_536
# Candidate pairs whose signatures are compared in one numpy operation
# (bounds the temporary boolean array to PAIR_CHUNK * num_perm bytes).
PAIR_CHUNK = 65_536
# The parameters stored in the index, all fields of DedupConfig.
INDEX_PARAMS = ("threshold", "num_perm", "ngram", "seed", "bands", "rows", "hash", "verify")
# An article's role when it was added (see NearDupIndex.sources).
ROLES = ("unique", "original", "copy", "repeat", "empty")

_SQLITE_MAGIC = b"SQLite format 3\x00"
_TABLES = ("articles", "bands", "meta", "sources")
_SCHEMA = (
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID",
    """CREATE TABLE articles (
        doc INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        source TEXT NOT NULL,
        url TEXT,
        published TEXT,
        n_shingles INTEGER NOT NULL,
        n_chars INTEGER NOT NULL,
        text_hash INTEGER NOT NULL,
        role TEXT NOT NULL,
        signature BLOB NOT NULL,
        shingles BLOB
    )""",
    "CREATE INDEX articles_text_hash ON articles (text_hash) WHERE n_shingles > 0",
    "CREATE TABLE bands (key INTEGER NOT NULL, doc INTEGER NOT NULL, PRIMARY KEY (key, doc)) WITHOUT ROWID",
    """CREATE TABLE sources (
        source TEXT PRIMARY KEY,
        n_articles INTEGER NOT NULL,
        empty INTEGER NOT NULL,
        copies INTEGER NOT NULL,
        originals INTEGER NOT NULL,
        repeats INTEGER NOT NULL,
        sum_shingles INTEGER NOT NULL,
        sum_chars INTEGER NOT NULL
    ) WITHOUT ROWID""",
)
_STAT_COLUMNS = ("n_articles", "empty", "copies", "originals", "repeats", "sum_shingles", "sum_chars")
_ROLE_STAT = {"empty": "empty", "copy": "copies", "original": "originals", "repeat": "repeats"}

Match = tuple[str, float]


@dataclass(slots=True)
class _Stored:
    """One indexed article as read back for matching."""

    doc: int
    id: str
    source: str
    role: str
    signature: np.ndarray
    text_hash: int
    shingles: np.ndarray | None  # sorted unique 64-bit shingle hashes (verify="exact")


@dataclass(frozen=True, slots=True)
class _Batch:
    """Articles being matched, with their sketches and band keys."""

    articles: list[Article]
    signatures: np.ndarray
    n_shingles: np.ndarray
    text_hashes: np.ndarray  # int64 view of the uint64 hashes
    keys: np.ndarray  # (n, bands) int64 view of the uint64 band keys
    shingles: list[np.ndarray] | None  # exact shingle sets (verify="exact")

    def subset(self, keep: Sequence[int]) -> _Batch:
        idx = np.asarray(keep, dtype=np.int64)
        return _Batch(
            [self.articles[i] for i in keep],
            self.signatures[idx],
            self.n_shingles[idx],
            self.text_hashes[idx],
            self.keys[idx],
            None if self.shingles is None else [self.shingles[i] for i in keep],
        )


class NearDupIndex:
    """A persistent near-duplicate index of news articles in one SQLite file.

    Args:
        path: The index file; created (with its parent directory present) if
            missing or empty.
        threshold, num_perm, ngram: Matching parameters; ``None`` takes the
            stored value of an existing index, or :class:`~newsqa.config.DedupConfig`'s
            default for a new one (so the index agrees with
            :func:`newsqa.analyze`).
        seed, bands, rows, hash, verify: The other stored parameters, with
            the same rule. ``verify="exact"`` stores each article's shingle
            set (sorted 64-bit hashes, about 8 bytes a word) and reports the
            exact shingle Jaccard, as ``find_duplicates`` does;
            ``"signature"`` stores signatures only and reports the MinHash
            estimate.
        config: A :class:`~newsqa.Config` or :class:`~newsqa.config.DedupConfig`
            whose dedup fields count as explicitly requested (keywords
            above override it).
        timeout: Seconds a write waits for another process's transaction.

    Raises:
        ConfigError: A parameter is out of range, or differs from the one
            stored in an existing index (the message names both).
        InputError: ``path`` is a directory, not an SQLite file, an SQLite
            file of something else, damaged, or from a newer newsqa.

    Example:
        >>> import os, tempfile
        >>> story = (
        ...     "North Korea held a paramilitary parade today to celebrate the 75th anniversary of the "
        ...     "country's founding, attended by leader Kim Jong-un and delegations from China and Russia."
        ... )
        >>> path = os.path.join(tempfile.mkdtemp(), "seen.sqlite")
        >>> with NearDupIndex(path) as index:
        ...     index.add([Article("a", story, "wire.example")])
        ...     index.add([Article("b", story.upper(), "copy.example", published="2023-09-10")])
        {'a': []}
        {'b': [('a', 1.0)]}
        >>> with NearDupIndex(path) as index:  # reopened: the stored parameters
        ...     len(index), index.query(story + " Read more."), index.config.threshold
        ...     [(s.source, s.stats["originals"], s.stats["copies"]) for s in index.sources()]
        (2, [('a', 0.9259), ('b', 0.9259)], 0.8)
        [('copy.example', 0, 1), ('wire.example', 1, 0)]
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        threshold: float | None = None,
        num_perm: int | None = None,
        ngram: int | None = None,
        *,
        seed: int | None = None,
        bands: int | None = None,
        rows: int | None = None,
        hash: str | None = None,
        verify: str | None = None,
        config: Config | DedupConfig | None = None,
        timeout: float = BUSY_TIMEOUT_S,
    ) -> None:
        self.path = os.fspath(path)
        self._timeout = _check_timeout(timeout)
        requested = _requested(
            config,
            {
                "threshold": threshold,
                "num_perm": num_perm,
                "ngram": ngram,
                "seed": seed,
                "bands": bands,
                "rows": rows,
                "hash": hash,
                "verify": verify,
            },
        )
        _check_path(self.path)
        self._conn: sqlite3.Connection | None = None
        try:
            self._conn = sqlite3.connect(self.path, timeout=self._timeout, isolation_level=None)
        except sqlite3.Error as err:
            raise InputError(
                f"{self.path}: cannot open or create the index ({err}); check that the directory exists and is writable"
            ) from None
        try:
            with self._sql():
                self._conn.execute(f"PRAGMA busy_timeout = {int(self._timeout * 1000)}")
                self.config = self._open(requested)
                self._bands = int(self.config.bands)  # type: ignore[arg-type]
                self._rows = int(self.config.rows)  # type: ignore[arg-type]
        except BaseException:
            self._conn.close()
            self._conn = None
            raise

    # -- context manager and lifetime -------------------------------------------------

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the file (a no-op when already closed). The index stays usable by reopening it."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __repr__(self) -> str:
        state = "closed" if self._conn is None else "open"
        return f"NearDupIndex({self.path!r}, threshold={self.config.threshold}, {state})"

    # -- public operations ------------------------------------------------------------

    def add(self, articles: Iterable[Any], *, on_duplicate: str = "error") -> dict[str, list[Match]]:
        """Index articles and say which earlier indexed articles each duplicates.

        The whole call is one transaction: it stores all the articles or,
        on any error (or a crash), none of them. Articles of one call are
        matched in order too: a later one matches an earlier one.

        Args:
            articles: ``Article`` objects, mappings with ``id``, ``text``,
                ``source`` (and optionally ``url``, ``published``) or a
                pandas DataFrame: anything :func:`newsqa.analyze` takes,
                except unreadable records.
            on_duplicate: ``"error"`` (default): an id already in the index
                raises :class:`~newsqa.errors.InputError` and nothing is
                stored; ``"skip"``: such articles are left out (and out of
                the result), the others are indexed.

        Returns:
            ``{id: [(earlier_id, similarity), ...]}`` for every indexed
            article, in input order; matches sorted by similarity
            (highest first), then id. Similarity is the exact shingle
            Jaccard (``verify="exact"``) or the MinHash estimate, rounded
            to 4 decimals; 1.0 for texts equal after normalisation.

        Raises:
            InputError: Bad input, an id already indexed (see
                ``on_duplicate``), or a damaged index file.
            NewsqaError: Another process kept the index locked for longer
                than ``timeout``.
        """
        if on_duplicate not in ("error", "skip"):
            raise ConfigError(f"on_duplicate must be 'error' or 'skip', got {on_duplicate!r}")
        batch = self._batch(self._articles(articles))
        conn = self._connection()
        with self._sql(), self._transaction("IMMEDIATE"):
            present = self._present_ids([a.id for a in batch.articles])
            if present:
                if on_duplicate == "error":
                    shown = ", ".join(repr(x) for x in sorted(present)[:5])
                    more = f" and {len(present) - 5} more" if len(present) > 5 else ""
                    raise InputError(
                        f"{self.path}: article id(s) {shown}{more} already in the index; remove them first, "
                        "give new ids, or skip them (on_duplicate='skip'; on the command line --on-duplicate skip)"
                    )
                batch = batch.subset([i for i, a in enumerate(batch.articles) if a.id not in present])
            if not batch.articles:
                return {}
            first_doc = int(conn.execute("SELECT COALESCE(MAX(doc), 0) + 1 FROM articles").fetchone()[0])
            found, stored = self._match(batch, first_doc=first_doc)
            roles, promoted = _roles(batch, found, stored, first_doc)
            self._store(batch, first_doc, roles)
            self._promote(promoted, stored)
            self._count(batch, roles, promoted, stored, first_doc)
        return self._named(batch, found, stored, first_doc)

    def query(self, articles: Any) -> Any:
        """The indexed articles a text or article duplicates, without storing it.

        Args:
            articles: One ``str``, :class:`~newsqa.Article` or mapping with
                ``id``, ``text``, ``source``; or many: a list or other
                iterable of articles or mappings, or a pandas DataFrame. An
                article whose id is indexed is not reported as its own
                duplicate. Articles of one call are not matched with each
                other.

        Returns:
            For one: ``[(id, similarity), ...]`` as in :meth:`add`. For
            many: ``{id: [(id, similarity), ...]}`` in input order.

        Raises:
            InputError: Bad input (an unreadable record, a repeated id...).
        """
        if isinstance(articles, str):
            return self._query([Article("query", articles, "")], own=False)["query"]
        if isinstance(articles, (Article, Mapping)):
            article = self._articles([articles])[0]
            return self._query([article])[article.id]
        if isinstance(articles, bytes) or not (isinstance(articles, Iterable) or hasattr(articles, "columns")):
            raise InputError(
                "query takes a str, a newsqa.Article, a mapping, or a collection of articles "
                f"(a list, an iterable, a DataFrame), got {type(articles).__name__}"
            )
        found: dict[str, list[Match]] = {}
        listed = self._articles(articles)
        for lo in range(0, len(listed), QUERY_BATCH):
            found.update(self._query(listed[lo : lo + QUERY_BATCH]))
        return found

    def _query(self, articles: list[Article], own: bool = True) -> dict[str, list[Match]]:
        batch = self._batch(articles)
        with self._sql(), self._transaction("DEFERRED"):
            found, stored = self._match(batch, first_doc=None)
            named = self._named(batch, found, stored, None)
        return {aid: [m for m in matches if not own or m[0] != aid] for aid, matches in named.items()}

    def check(self) -> list[str]:
        """Check the file: SQLite's ``PRAGMA integrity_check`` and newsqa's own counts.

        Returns:
            The problems found, one line each; an empty list for a sound
            index. A damaged index should be restored from a copy or
            rebuilt from its inputs (``newsqa index add NEW INPUT...``).
        """
        conn = self._connection()
        problems: list[str] = []
        with self._sql():
            rows = [str(r[0]) for r in conn.execute("PRAGMA integrity_check").fetchall()]
            if rows != ["ok"]:
                return [f"sqlite: {r}" for r in rows]
            counted = dict(conn.execute("SELECT source, n_articles FROM sources").fetchall())
            actual = dict(conn.execute("SELECT source, COUNT(*) FROM articles GROUP BY source").fetchall())
            for source in sorted(set(counted) | set(actual)):
                if counted.get(source, 0) != actual.get(source, 0):
                    problems.append(
                        f"source {source!r}: statistics count {counted.get(source, 0)} articles, "
                        f"the index holds {actual.get(source, 0)}"
                    )
            n_docs = conn.execute("SELECT COUNT(*) FROM articles WHERE n_shingles > 0").fetchone()[0]
            n_banded = conn.execute("SELECT COUNT(DISTINCT doc) FROM bands").fetchone()[0]
            if n_banded != n_docs:
                problems.append(f"band keys: {n_banded} articles have keys, {n_docs} articles with text")
        return problems

    def remove(self, ids: Iterable[str], *, missing_ok: bool = False) -> int:
        """Remove articles by id, in one transaction; returns how many were removed.

        Source statistics lose the removed articles' own counts; articles
        that were counted as copies of a removed article stay copies.

        Raises:
            InputError: An id is not in the index (unless ``missing_ok``);
                nothing is removed then.
        """
        if isinstance(ids, (str, bytes)):
            raise InputError("remove takes a collection of ids, got a single string; wrap it in a list")
        wanted = list(dict.fromkeys(ids))
        for x in wanted:
            if not isinstance(x, str):
                raise InputError(f"article ids are str, got {type(x).__name__} {x!r}")
        conn = self._connection()
        with self._sql(), self._transaction("IMMEDIATE"):
            rows: list[tuple[Any, ...]] = []
            for part in _chunks(wanted):
                rows += conn.execute(
                    "SELECT doc, id, source, role, n_shingles, n_chars, signature FROM articles "
                    f"WHERE id IN ({_marks(len(part))})",
                    part,
                ).fetchall()
            missing = set(wanted) - {r[1] for r in rows}
            if missing and not missing_ok:
                shown = ", ".join(repr(x) for x in sorted(missing)[:5])
                raise InputError(
                    f"{self.path}: id(s) {shown} not in the index; nothing was removed "
                    "(pass missing_ok=True to ignore unknown ids)"
                )
            if not rows:
                return 0
            sigs = np.stack([self._signature(r[6], r[1]) for r in rows])
            keys = self._keys(sigs)
            band_rows = [(int(k), int(r[0])) for r, ks in zip(rows, keys) if r[4] > 0 for k in ks]
            conn.executemany("DELETE FROM bands WHERE key = ? AND doc = ?", band_rows)
            conn.executemany("DELETE FROM articles WHERE doc = ?", [(r[0],) for r in rows])
            deltas: dict[str, dict[str, int]] = {}
            for _, _, source, role, nsh, nch, _ in rows:
                d = deltas.setdefault(source, dict.fromkeys(_STAT_COLUMNS, 0))
                d["n_articles"] -= 1
                d["sum_shingles"] -= nsh
                d["sum_chars"] -= nch
                if role in _ROLE_STAT:
                    d[_ROLE_STAT[role]] -= 1
            self._apply_stats(deltas)
            conn.execute("DELETE FROM sources WHERE n_articles <= 0")
        return len(rows)

    def sources(self) -> tuple[SourceResult, ...]:
        """Running per-source statistics, sorted by source.

        Each :class:`~newsqa.SourceResult` has ``n_articles`` and ``stats``:

        * ``copies``: articles whose indexed duplicates, when they were
          added, all came from other sources;
        * ``originals``: articles that duplicated nothing earlier and were
          later copied by another source;
        * ``repeats``: updates, articles that duplicate an earlier one of
          their own source (counted as copies nowhere, as ``update``
          members of a cluster are not);
        * ``unique``: the rest with text (no duplicate so far);
        * ``empty``: articles without words;
        * ``sum_shingles``, ``sum_chars``: totals, for means.

        They are kept up to date by :meth:`add` and :meth:`remove`, so a
        source score can be recomputed without reprocessing any article.
        Roles follow the order of indexing, not the published dates.
        """
        conn = self._connection()
        with self._sql():
            rows = conn.execute(f"SELECT source, {', '.join(_STAT_COLUMNS)} FROM sources ORDER BY source").fetchall()
        out = []
        for source, n, *rest in rows:
            stats = dict(zip(_STAT_COLUMNS[1:], rest))
            stats["unique"] = n - stats["empty"] - stats["copies"] - stats["originals"] - stats["repeats"]
            out.append(SourceResult(source=source, n_articles=n, stats=dict(sorted(stats.items()))))
        return tuple(out)

    def __len__(self) -> int:
        conn = self._connection()
        with self._sql():
            return int(conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0])

    def __contains__(self, article_id: object) -> bool:
        if not isinstance(article_id, str):
            return False
        conn = self._connection()
        with self._sql():
            return conn.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone() is not None

    def params(self) -> dict[str, Any]:
        """The parameters stored in the index (``meta`` table), as a dict."""
        conn = self._connection()
        with self._sql():
            return {k: json.loads(v) for k, v in conn.execute("SELECT key, value FROM meta ORDER BY key")}

    # -- opening ----------------------------------------------------------------------

    def _open(self, requested: dict[str, Any]) -> DedupConfig:
        conn = self._connection()
        tables = self._tables()
        if not tables:
            # A new file: set WAL first (it cannot change inside a transaction),
            # then create the schema in one transaction; a concurrent creator
            # waits and then finds the tables.
            conn.execute("PRAGMA journal_mode = WAL")
            with self._transaction("IMMEDIATE"):
                if not self._tables():
                    cfg = _new_config(requested)
                    for stmt in _SCHEMA:
                        conn.execute(stmt)
                    conn.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", _meta_rows(cfg))
            tables = self._tables()
        if "meta" not in tables:
            shown = ", ".join(sorted(tables)[:6])
            raise InputError(
                f"{self.path}: an SQLite database with other tables ({shown}), not a newsqa index; "
                "give the path of an index or of a new file"
            )
        try:
            stored = self.params()
        except (json.JSONDecodeError, TypeError):  # values that are not JSON: somebody else's meta table
            stored = {}
        self._check_meta(stored)
        self._check_tables(tables)
        cfg = _stored_config(stored, self.path)
        _check_requested(cfg, requested, self.path)
        if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
            conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        return cfg

    def _tables(self) -> set[str]:
        conn = self._connection()
        rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        return {r[0] for r in rows}

    def _check_tables(self, tables: set[str]) -> None:
        missing = set(_TABLES) - tables
        if missing:
            raise InputError(
                f"{self.path}: newsqa index is missing table(s) {', '.join(sorted(missing))}; "
                "the file is damaged: restore it from a copy or rebuild it"
            )

    def _check_meta(self, stored: dict[str, Any]) -> None:
        if stored.get("format") != FORMAT_NAME:
            raise InputError(
                f"{self.path}: an SQLite database with a 'meta' table that is not a newsqa index's; "
                "give the path of an index or of a new file"
            )
        version = stored.get("schema_version")
        if version != SCHEMA_VERSION:
            raise InputError(
                f"{self.path}: index schema version {version!r}, this newsqa reads version {SCHEMA_VERSION}; "
                f"open it with the newsqa that wrote it ({stored.get('newsqa_version', 'unknown')}) "
                "or rebuild the index"
            )
        if stored.get("signature_scheme") != SIGNATURE_SCHEME:
            raise InputError(
                f"{self.path}: signature scheme {stored.get('signature_scheme')!r}, this newsqa makes "
                f"{SIGNATURE_SCHEME!r}; rebuild the index"
            )

    # -- matching ---------------------------------------------------------------------

    def _articles(self, items: Iterable[Any]) -> list[Article]:
        if isinstance(items, (Article, Unreadable, Mapping)):
            raise InputError("expected a collection of articles, got a single one; wrap it in a list")
        out = []
        seen: set[str] = set()
        for a in coerce_records(items, strict=True):
            if a.id in seen:
                raise InputError(f"duplicate article id {a.id!r}: ids must be unique within one batch")
            seen.add(a.id)
            if isinstance(a, Unreadable):
                raise InputError(f"article {a.id!r} could not be read ({a.error}); it cannot be indexed: drop it")
            out.append(a)
        return out

    def _batch(self, articles: list[Article]) -> _Batch:
        texts = [a.text for a in articles]
        sk = sketch(texts, self.config)
        exact = self.config.verify == "exact"
        return _Batch(
            articles,
            sk.signatures,
            sk.n_shingles,
            sk.text_hashes.view(np.int64),
            self._keys(sk.signatures),
            shingle_sets(texts, self.config.ngram, sk.needs_nfkc) if exact else None,
        )

    def _keys(self, sigs: np.ndarray) -> np.ndarray:
        """``(n, bands)`` band keys as int64 (SQLite integers are signed)."""
        n = sigs.shape[0]
        sigs = np.ascontiguousarray(sigs, dtype=np.uint32)
        out = np.empty((self._bands, n), dtype=np.uint64)
        idx = np.arange(n, dtype=np.int64)
        for b in range(self._bands):
            band_keys(sigs, idx, b, self._rows, out[b])
        return np.ascontiguousarray(out.T).view(np.int64)

    def _match(self, batch: _Batch, first_doc: int | None) -> tuple[list[dict[int, float]], dict[int, _Stored]]:
        """Verified matches of each batch article: ``{doc: similarity}``.

        With ``first_doc`` (adding), batch article ``i`` is doc
        ``first_doc + i`` and matches earlier batch articles too.
        """
        conn = self._connection()
        cfg = self.config
        n = len(batch.articles)
        valid = (batch.n_shingles > 0).tolist()
        keys = batch.keys.tolist()
        hashes = batch.text_hashes.tolist()
        by_hash: dict[int, list[int]] = {}
        hashes_wanted = sorted({hashes[i] for i in range(n) if valid[i]})
        for part in _chunks(hashes_wanted):
            for th, doc in conn.execute(
                f"SELECT text_hash, doc FROM articles WHERE n_shingles > 0 AND text_hash IN ({_marks(len(part))})",
                part,
            ):
                by_hash.setdefault(th, []).append(doc)

        # Stored articles sharing a band key with a batch article: one join of
        # the batch's keys (a temporary table) with the band index, distinct
        # (article, doc) pairs only (a stored copy shares most of its keys).
        rows_valid = [i for i in range(n) if valid[i]]
        from_db: dict[int, list[int]] = {}
        if rows_valid:
            conn.execute("CREATE TEMP TABLE IF NOT EXISTS probe (pos INTEGER NOT NULL, key INTEGER NOT NULL)")
            conn.execute("DELETE FROM probe")
            conn.executemany("INSERT INTO probe VALUES (?, ?)", ((i, key) for i in rows_valid for key in keys[i]))
            for pos, doc in conn.execute(
                "SELECT DISTINCT probe.pos, bands.doc FROM probe JOIN bands ON bands.key = probe.key"
            ):
                from_db.setdefault(pos, []).append(doc)
            conn.execute("DELETE FROM probe")
        # Earlier batch articles: only keys that occur in more than one batch
        # article can link two of them.
        shared: set[int] = set()
        if first_doc is not None and len(rows_valid) > 1:
            flat = batch.keys[np.asarray(rows_valid)].ravel()
            uniq, counts = np.unique(flat, return_counts=True)
            shared = set(uniq[counts > 1].tolist())

        # Candidates in input order: a batch article joins the lookups once it
        # has been matched, so later ones find it and it finds no later one.
        in_batch: dict[int, list[int]] = {}
        pair_i: list[int] = []
        pair_d: list[int] = []
        for i in rows_valid:
            c: set[int] = set(by_hash.get(hashes[i], ()))
            c.update(from_db.get(i, ()))
            if shared:
                mine = [key for key in keys[i] if key in shared]
                for key in mine:
                    c.update(in_batch.get(key, ()))
                for key in mine:
                    in_batch.setdefault(key, []).append(first_doc + i)  # type: ignore[operator]
            if first_doc is not None:
                by_hash.setdefault(hashes[i], []).append(first_doc + i)
            pair_i.extend([i] * len(c))
            pair_d.extend(c)
        found: list[dict[int, float]] = [{} for _ in range(n)]
        stored = self._load({d for d in pair_d if first_doc is None or d < first_doc})
        if not pair_d:
            return found, stored

        # Signature agreement and text-hash equality of every pair, vectorised
        # over one table of the stored signatures followed by the batch's.
        docs = sorted(stored)
        row_of = {d: r for r, d in enumerate(docs)}
        sigs = np.vstack(
            [np.stack([stored[d].signature for d in docs]) if docs else batch.signatures[:0], batch.signatures]
        )
        ths = np.concatenate([np.array([stored[d].text_hash for d in docs], dtype=np.int64), batch.text_hashes])
        base = len(docs) - (first_doc or 0)
        rows = np.array([row_of[d] if d in row_of else base + d for d in pair_d], dtype=np.int64)
        pi = np.array(pair_i, dtype=np.int64)
        exact = cfg.verify == "exact"
        k = cfg.num_perm
        min_eq = min_equal_for(cfg.threshold, k, VERIFY_MARGIN_SD if exact else 0.0)
        eq = np.empty(len(pair_d), dtype=np.int64)
        for lo in range(0, len(pair_d), PAIR_CHUNK):
            hi = lo + PAIR_CHUNK
            eq[lo:hi] = (sigs[rows[lo:hi]] == batch.signatures[pi[lo:hi]]).sum(axis=1)
        same = ths[rows] == batch.text_hashes[pi]
        for j in np.flatnonzero(same | (eq >= min_eq)).tolist():
            i, d = pair_i[j], pair_d[j]
            if same[j]:
                found[i][d] = 1.0
            elif not exact:
                found[i][d] = round(int(eq[j]) / k, 4)
            else:
                a = batch.shingles[i]  # type: ignore[index]
                b = stored[d].shingles if d in stored else batch.shingles[d - first_doc]  # type: ignore[index,operator]
                it = K.intersect_count(a, b)
                jac = it / max(a.shape[0] + b.shape[0] - it, 1)
                if jac >= cfg.threshold - 1e-12:
                    found[i][d] = round(jac, 4)
        return found, stored

    def _load(self, docs: set[int]) -> dict[int, _Stored]:
        conn = self._connection()
        out: dict[int, _Stored] = {}
        exact = self.config.verify == "exact"
        for part in _chunks(sorted(docs)):
            for doc, aid, source, role, sig, th, sh in conn.execute(
                "SELECT doc, id, source, role, signature, text_hash, shingles FROM articles "
                f"WHERE doc IN ({_marks(len(part))})",
                part,
            ):
                out[doc] = _Stored(
                    doc=doc,
                    id=aid,
                    source=source,
                    role=role,
                    signature=self._signature(sig, aid),
                    text_hash=th,
                    shingles=self._shingles(sh, aid) if exact else None,
                )
        return out

    def _signature(self, blob: Any, article_id: str) -> np.ndarray:
        k = self.config.num_perm
        if not isinstance(blob, bytes) or len(blob) != 4 * k:
            raise InputError(
                f"{self.path}: article {article_id!r} has a damaged signature (expected {4 * k} bytes); "
                "restore the index from a copy or rebuild it"
            )
        return np.frombuffer(blob, dtype="<u4").astype(np.uint32)

    def _shingles(self, blob: Any, article_id: str) -> np.ndarray:
        if not isinstance(blob, bytes) or len(blob) % 8:
            raise InputError(
                f"{self.path}: article {article_id!r} has a damaged shingle set; "
                "restore the index from a copy or rebuild it"
            )
        return np.frombuffer(blob, dtype="<u8").astype(np.uint64)

    def _named(
        self, batch: _Batch, found: list[dict[int, float]], stored: dict[int, _Stored], first_doc: int | None
    ) -> dict[str, list[Match]]:
        out: dict[str, list[Match]] = {}
        for a, f in zip(batch.articles, found):
            named = [(stored[d].id if d in stored else batch.articles[d - first_doc].id, s) for d, s in f.items()]  # type: ignore[operator]
            out[a.id] = sorted(named, key=lambda m: (-m[1], m[0]))
        return out

    # -- writing ----------------------------------------------------------------------

    def _present_ids(self, ids: list[str]) -> set[str]:
        conn = self._connection()
        present: set[str] = set()
        for part in _chunks(ids):
            present.update(
                r[0] for r in conn.execute(f"SELECT id FROM articles WHERE id IN ({_marks(len(part))})", part)
            )
        return present

    def _store(self, batch: _Batch, first_doc: int, roles: list[str]) -> None:
        for lo in range(0, len(batch.articles), WRITE_CHUNK):
            rows = []
            band_rows = []
            for i in range(lo, min(lo + WRITE_CHUNK, len(batch.articles))):
                a = batch.articles[i]
                doc = first_doc + i
                nsh = int(batch.n_shingles[i])
                rows.append(
                    (
                        doc,
                        a.id,
                        a.source,
                        a.url,
                        _iso(a.published),
                        nsh,
                        len(a.text),
                        int(batch.text_hashes[i]),
                        roles[i],
                        batch.signatures[i].astype("<u4").tobytes(),
                        None if batch.shingles is None else batch.shingles[i].astype("<u8").tobytes(),
                    )
                )
                if nsh > 0:
                    band_rows.extend((int(key), doc) for key in batch.keys[i])
            self._write_chunk(rows, band_rows)

    def _write_chunk(self, rows: list[tuple[Any, ...]], band_rows: list[tuple[int, int]]) -> None:
        conn = self._connection()
        conn.executemany(f"INSERT INTO articles VALUES ({_marks(11)})", rows)
        conn.executemany("INSERT OR IGNORE INTO bands (key, doc) VALUES (?, ?)", band_rows)

    def _promote(self, promoted: set[int], stored: dict[int, _Stored]) -> None:
        docs = [(d,) for d in sorted(promoted) if d in stored]
        self._connection().executemany("UPDATE articles SET role = 'original' WHERE doc = ?", docs)

    def _count(
        self, batch: _Batch, roles: list[str], promoted: set[int], stored: dict[int, _Stored], first_doc: int
    ) -> None:
        deltas: dict[str, dict[str, int]] = {}
        for i, a in enumerate(batch.articles):
            d = deltas.setdefault(a.source, dict.fromkeys(_STAT_COLUMNS, 0))
            d["n_articles"] += 1
            d["sum_shingles"] += int(batch.n_shingles[i])
            d["sum_chars"] += len(a.text)
            if roles[i] in _ROLE_STAT:
                d[_ROLE_STAT[roles[i]]] += 1
        for doc in promoted:  # earlier articles that became originals in this batch
            if doc in stored:
                deltas.setdefault(stored[doc].source, dict.fromkeys(_STAT_COLUMNS, 0))["originals"] += 1
        self._apply_stats(deltas)

    def _apply_stats(self, deltas: dict[str, dict[str, int]]) -> None:
        cols = ", ".join(_STAT_COLUMNS)
        updates = ", ".join(f"{c} = {c} + excluded.{c}" for c in _STAT_COLUMNS)
        self._connection().executemany(
            f"INSERT INTO sources (source, {cols}) VALUES ({_marks(len(_STAT_COLUMNS) + 1)}) "
            f"ON CONFLICT (source) DO UPDATE SET {updates}",
            [(s, *(d[c] for c in _STAT_COLUMNS)) for s, d in sorted(deltas.items())],
        )

    # -- plumbing ---------------------------------------------------------------------

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            raise NewsqaError(f"{self.path}: the index is closed; open it again with NearDupIndex(path)")
        return self._conn

    @contextlib.contextmanager
    def _transaction(self, mode: str) -> Iterator[None]:
        conn = self._connection()
        conn.execute(f"BEGIN {mode}")
        try:
            yield
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    @contextlib.contextmanager
    def _sql(self) -> Iterator[None]:
        """Turn SQLite's exceptions into newsqa's, with what to do."""
        try:
            yield
        except sqlite3.OperationalError as err:
            text = str(err).lower()
            if "locked" in text or "busy" in text:
                raise NewsqaError(
                    f"{self.path}: the index stayed locked by another process for more than {self._timeout:g} s; "
                    "retry later or open it with a larger timeout="
                ) from None
            raise InputError(f"{self.path}: cannot use the index ({err}); check the file and its directory") from None
        except sqlite3.DatabaseError as err:
            raise InputError(
                f"{self.path}: not a readable newsqa index ({err}); restore it from a copy or rebuild it"
            ) from None


# -- helpers ---------------------------------------------------------------------------


def _roles(
    batch: _Batch, found: list[dict[int, float]], stored: dict[int, _Stored], first_doc: int
) -> tuple[list[str], set[int]]:
    """Each new article's role, and the docs that became originals."""
    roles: list[str] = []
    promoted: set[int] = set()

    def source_role(d: int) -> tuple[str, str]:
        if d in stored:
            return stored[d].source, ("original" if d in promoted else stored[d].role)
        j = d - first_doc
        return batch.articles[j].source, roles[j]

    for i, a in enumerate(batch.articles):
        if batch.n_shingles[i] == 0:
            roles.append("empty")
            continue
        if not found[i]:
            roles.append("unique")
            continue
        earliest = min(found[i])
        source, role = source_role(earliest)
        if source == a.source or any(source_role(d)[0] == a.source for d in sorted(found[i])):
            # the source's own story again (an update, issue 15): not a copy,
            # whoever published the story first
            roles.append("repeat")
            continue
        roles.append("copy")
        if role == "unique":
            if earliest in stored:
                promoted.add(earliest)
            else:
                roles[earliest - first_doc] = "original"
    return roles, promoted


def _requested(config: Config | DedupConfig | None, given: dict[str, Any]) -> dict[str, Any]:
    """The parameters asked for explicitly, validated."""
    requested: dict[str, Any] = {}
    if config is not None:
        if isinstance(config, Config):
            config = config.dedup
        if not isinstance(config, DedupConfig):
            raise ConfigError(f"config must be a newsqa.Config or DedupConfig, got {type(config).__name__}")
        requested = {p: getattr(config, p) for p in INDEX_PARAMS if getattr(config, p) is not None}
    requested.update({k: v for k, v in given.items() if v is not None})
    probe = {k: v for k, v in requested.items() if k not in ("bands", "rows")}
    if "bands" in requested and "rows" in requested:
        probe.update(bands=requested["bands"], rows=requested["rows"])
    elif "bands" in requested or "rows" in requested:
        raise ConfigError("give both bands and rows, or neither (newsqa then chooses them)")
    DedupConfig(**probe)  # range checks, with DedupConfig's messages
    return requested


def _new_config(requested: dict[str, Any]) -> DedupConfig:
    cfg = DedupConfig(**requested)
    if cfg.bands is None:
        b, r = optimal_params(cfg.threshold, cfg.num_perm)
        cfg = DedupConfig(**{**requested, "bands": b, "rows": r})
    return cfg


def _meta_rows(cfg: DedupConfig) -> list[tuple[str, str]]:
    from ._version import __version__

    meta: dict[str, Any] = {p: getattr(cfg, p) for p in INDEX_PARAMS}
    meta.update(
        format=FORMAT_NAME,
        schema_version=SCHEMA_VERSION,
        signature_scheme=SIGNATURE_SCHEME,
        newsqa_version=__version__,
        created=_dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
    )
    return [(k, json.dumps(v)) for k, v in sorted(meta.items())]


def _stored_config(stored: dict[str, Any], path: str) -> DedupConfig:
    missing = [p for p in INDEX_PARAMS if p not in stored]
    if missing:
        raise InputError(f"{path}: index meta lacks {', '.join(missing)}; the file is damaged: rebuild it")
    try:
        return DedupConfig(**{p: stored[p] for p in INDEX_PARAMS})
    except (ConfigError, TypeError) as err:
        raise InputError(f"{path}: index meta holds invalid parameters ({err}); rebuild it") from None


def _check_requested(cfg: DedupConfig, requested: dict[str, Any], path: str) -> None:
    differ = [p for p, v in requested.items() if getattr(cfg, p) != v]
    if differ:
        stored = ", ".join(f"{p}={getattr(cfg, p)!r}" for p in differ)
        asked = ", ".join(f"{p}={requested[p]!r}" for p in differ)
        raise ConfigError(
            f"{path}: the index was built with {stored}; requested {asked}. Open it without these "
            "parameters to use the stored ones, or build a new index at another path"
        )


def _check_path(path: str) -> None:
    if os.path.isdir(path):
        raise InputError(f"{path}: is a directory; give the path of an index file (e.g. {path}/index.sqlite)")
    try:
        with open(path, "rb") as fh:
            head = fh.read(len(_SQLITE_MAGIC))
    except FileNotFoundError:
        return
    except OSError as err:
        raise InputError(f"{path}: cannot read ({err.strerror}); check the path and its permissions") from None
    if head and head != _SQLITE_MAGIC:
        raise InputError(
            f"{path}: not a newsqa index (the file is not an SQLite database); "
            "give the path of an index or of a new file"
        )


def _check_timeout(timeout: Any) -> float:
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not 0 <= timeout <= 86_400:
        raise ConfigError(f"timeout must be a number of seconds in [0, 86400], got {timeout!r}")
    return float(timeout)


def _iso(value: _dt.datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _chunks(values: Sequence[Any]) -> Iterator[list[Any]]:
    for lo in range(0, len(values), SQL_CHUNK):
        yield list(values[lo : lo + SQL_CHUNK])


def _marks(n: int) -> str:
    return ", ".join("?" * n)
