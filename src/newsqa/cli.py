"""The ``newsqa`` command line.

::

    newsqa analyze INPUT... --out DIR [--threshold F] [--num-perm N] [--ngram N]
                   [--verify exact|signature] [--no-containment] [--n-jobs N]
                   [--format json,html] [--emit-clean] [--strict] [--quiet]
    newsqa index add DB INPUT... [--out FILE] [--on-duplicate error|skip]
    newsqa index query DB INPUT... [--out FILE]
    newsqa index remove DB [ID...] [--ids FILE] [--missing-ok]
    newsqa index stats DB
    newsqa index check DB
    newsqa learn-spin INPUT... [--min-count N] [--min-sources N] [--out FILE]
    newsqa explain-source NAME (INPUT... | --report report.json) [--json]

Errors in the input, the options or the output directory print one line,
``newsqa: error: <what to do>``, and exit with status 2. Output into a pipe
that closes early (``newsqa index stats | head -1``) ends quietly with
status 141 (128 + SIGPIPE, as the shell reports a command killed by it).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from typing import Any

from .config import resolve_config
from .errors import ConfigError, NewsqaError

# Exit statuses: 2 for bad input or usage (argparse's convention), 130 for
# Ctrl-C (128 + SIGINT, the shell's convention).
EXIT_OK = 0
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
# `newsqa index check` found a damaged index.
EXIT_DAMAGED = 1
# Standard output closed early (128 + SIGPIPE, what the shell reports for a
# command that SIGPIPE killed).
EXIT_BROKEN_PIPE = 141

FORMATS = ("json", "html", "parquet", "csv")

# CLI option -> Config field, for options that override a config field.
_OVERRIDES = {
    "threshold": "threshold",
    "num_perm": "num_perm",
    "ngram": "ngram",
    "verify": "verify",
    "n_jobs": "n_jobs",
    "engine": "engine",
    "ray_address": "ray_address",
    "chunk_size": "chunk_size",
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return the exit status.

    Args:
        argv: Arguments without the program name (default ``sys.argv[1:]``).

    Returns:
        0 on success, 2 on bad input, options or output path, 130 if
        interrupted.
    """
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # --help, --version, and argparse's usage errors
        return exit_.code if isinstance(exit_.code, int) else EXIT_USAGE
    try:
        code = args.func(args)
        sys.stdout.flush()  # a closed pipe shows here, not at interpreter exit
        return code
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    except NewsqaError as err:
        return _fail(str(err))
    except KeyboardInterrupt:
        print("newsqa: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


def _silence_stdout() -> None:
    """Point standard output at /dev/null, so that the final flush at exit cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # not a real file (e.g. captured in tests)
        pass


def _fail(message: str) -> int:
    print(f"newsqa: error: {message}", file=sys.stderr)
    return EXIT_USAGE


def _version() -> str:
    from ._version import __version__

    return __version__


class _VersionAction(argparse.Action):
    """``--version``, resolved only when asked for (the package imports lazily)."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS, **kwargs: Any) -> None:
        super().__init__(option_strings, dest=dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, *args: Any, **kwargs: Any) -> None:
        print(f"newsqa {_version()}")
        parser.exit()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsqa",
        description="Find near-duplicate, copied and damaged news articles.",
    )
    parser.add_argument("--version", action=_VersionAction, help="print the version and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser(
        "analyze",
        help="analyse articles and write a report",
        description=(
            "Analyse articles and write DIR/report.json (report.html, articles.parquet/.csv and sources.parquet/.csv with --format). "
            "INPUT is a directory of .txt files (with an optional manifest.jsonl), or a .txt, "
            ".jsonl, .ndjson, .csv or .parquet file with columns id, text, source[, url, published]."
        ),
    )
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="directories and files to read")
    p.add_argument("--out", required=True, metavar="DIR", help="output directory (created if missing)")
    p.add_argument("--threshold", type=float, help="Jaccard similarity for near duplicates, in (0, 1] (default 0.8)")
    p.add_argument("--num-perm", type=int, help="MinHash permutations, a multiple of 8 (default 128)")
    p.add_argument("--ngram", type=int, help="shingle length in words (default 5)")
    p.add_argument(
        "--verify", metavar="{exact,signature}", help="check candidate pairs exactly (default) or trust MinHash"
    )
    p.add_argument("--no-containment", action="store_true", help="do not link articles embedded in longer pages")
    p.add_argument("--n-jobs", type=int, help="worker processes (and signature threads): -1 for one per core (the default), 1 to stay in this process")
    p.add_argument(
        "--format",
        default="json",
        help="comma-separated outputs: json (report.json), html (report.html), parquet and csv "
        "(the per-article table articles.* and the sources table sources.*, with the keep decision); default json",
    )
    p.add_argument(
        "--signals",
        help=f"comma-separated article signals to compute, or 'none' (default: all). {_signals_help()}",
    )
    p.add_argument(
        "--emit-clean",
        action="store_true",
        help="also write DIR/clean.jsonl: each article without boilerplate and spam, mojibake repaired",
    )
    p.add_argument(
        "--engine",
        choices=("local", "ray"),
        help="where to run: this process, streamed in chunks (local, default), or Ray Data "
        "(ray; needs pip install 'newsqa[ray]')",
    )
    p.add_argument("--ray-address", metavar="ADDRESS", help="a running Ray cluster (ray://host:10001 or auto)")
    p.add_argument(
        "--chunk-size", type=int, metavar="N", help="articles held in memory at once (default 10000)"
    )
    p.add_argument(
        "--strict",
        action="store_true",
        help="stop at the first record that cannot be used (exit 2) instead of reporting it with status error",
    )
    p.add_argument("--quiet", action="store_true", help="print nothing on success (no progress, no summary)")
    p.set_defaults(func=_analyze)
    _index_parser(sub)
    _learn_spin_parser(sub)
    _explain_source_parser(sub)
    return parser


def _signals_help() -> str:
    from .signals.registry import help_text

    return help_text().replace("%", "%%")


def _formats(value: str) -> list[str]:
    formats = [f.strip().lower() for f in value.split(",") if f.strip()]
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise ConfigError(f"--format takes a comma-separated list of {', '.join(FORMATS)}, got {value!r}")
    return list(dict.fromkeys(formats))


def _analyze(args: argparse.Namespace) -> int:
    """Run the pipeline once over the inputs; every output is a sink of that one pass."""
    from ._version import __version__
    from .analyze import _executor
    from .io import iter_articles
    from .pipeline import run
    from .sinks import CleanWriter, HtmlWriter, ReportWriter, Tee

    overrides: dict[str, Any] = {
        field: getattr(args, option) for option, field in _OVERRIDES.items() if getattr(args, option) is not None
    }
    if args.no_containment:
        overrides["containment"] = False
    if args.signals is not None:
        overrides["signals"] = () if args.signals.strip().lower() == "none" else args.signals
    overrides["progress"] = False if args.quiet else None  # else: when stderr is a terminal
    if args.strict:
        overrides["strict"] = True
    formats = _formats(args.format)
    cfg = resolve_config(None, overrides)  # fail on a bad option before reading a large input
    if cfg.run.engine == "ray":
        from .engines import require_ray

        require_ray()  # fail before reading, naming the extra to install

    articles = iter_articles(args.inputs, strict=cfg.run.strict)  # checks the paths now, reads them during the run
    _make_out_dir(args.out)  # fail before a long analysis, not after it
    counter = _Counter()
    sinks: list[Any] = [counter]
    out = args.out
    try:
        if "json" in formats:
            sinks.append(ReportWriter(os.path.join(out, "report.json"), cfg.to_dict(), __version__))
        if "html" in formats:
            sinks.append(HtmlWriter(os.path.join(out, "report.html"), cfg.to_dict(), __version__))
        if args.emit_clean:
            sinks.append(CleanWriter(os.path.join(out, "clean.jsonl")))
        tables = [f for f in formats if f in ("parquet", "csv")]
        if tables:
            from .table import TableWriter

            sinks.append(TableWriter(out, tables, keep=cfg.keep, chunk_rows=cfg.run.chunk_size))
        tee = Tee(*sinks)
        run(articles, cfg, tee, executor=_executor(cfg))
        written = [p for s in sinks for p in ([s.path] if hasattr(s, "path") else getattr(s, "paths", []))]
    except OSError as err:
        raise _output_error(err, out) from None
    finally:
        for s in sinks:
            if hasattr(s, "close"):
                s.close()
    if not args.quiet:
        n_articles, n_clusters, n_errors = counter.articles, counter.clusters, counter.errors
        unreadable = f" ({n_errors} unreadable: status error)" if n_errors else ""
        print(
            f"newsqa: {_plural(n_articles, 'article')}{unreadable}, {_plural(n_clusters, 'cluster')} "
            f"-> {', '.join(written)}",
            file=sys.stderr,
        )
    return EXIT_OK


class _Counter:
    """Counts what a run reports, for the summary line."""

    def __init__(self) -> None:
        self.articles = self.errors = self.clusters = 0

    def article(self, result: Any, record: Any) -> None:
        self.articles += 1
        self.errors += result.status == "error"

    def finish(self, clusters: Sequence[Any], sources: Sequence[Any]) -> None:
        self.clusters = len(clusters)


def _make_out_dir(out: str) -> None:
    try:
        os.makedirs(out, exist_ok=True)
    except OSError as err:
        raise _output_error(err, out) from None


def _output_error(err: OSError, out: str) -> NewsqaError:
    target = err.filename or out
    reason = err.strerror or str(err)
    return NewsqaError(f"cannot write {target}: {reason}; choose another --out directory")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


# --- newsqa index: the persistent near-duplicate index (newsqa.NearDupIndex) ----------

# Articles per add() transaction of `newsqa index add`: each batch is stored
# whole or not at all, and holds about 5 MB of shingle sets at 1,000.
INDEX_BATCH = 1000


def _index_parser(sub: Any) -> None:
    p = sub.add_parser(
        "index",
        help="a persistent near-duplicate index (add, query, remove, stats, check)",
        description="Keep a near-duplicate index in an SQLite file across runs (see docs/index-store.md "
        "and docs/cli.md).",
    )
    isub = p.add_subparsers(dest="index_command", metavar="ACTION", required=True)
    for name, help_ in (
        ("add", "index articles and print, per article, the earlier indexed articles it duplicates"),
        ("query", "print, per article, the indexed articles it duplicates, without storing it"),
    ):
        q = isub.add_parser(name, help=help_, description=help_ + "; one JSON line per article.")
        q.add_argument("db", metavar="DB", help="the index file (created by add if missing)")
        q.add_argument("inputs", nargs="+", metavar="INPUT", help="directories and files to read, as for analyze")
        q.add_argument("--out", metavar="FILE", help="write the JSON lines to FILE instead of standard output")
        q.add_argument("--quiet", action="store_true", help="print no summary on standard error")
        if name == "add":
            q.add_argument("--threshold", type=float, help="Jaccard threshold of a new index (default 0.8)")
            q.add_argument("--num-perm", type=int, help="MinHash permutations of a new index (default 128)")
            q.add_argument("--ngram", type=int, help="shingle length of a new index (default 5)")
            q.add_argument("--verify", metavar="{exact,signature}", help="verification of a new index (default exact)")
            q.add_argument(
                "--on-duplicate",
                default="error",
                metavar="{error,skip}",
                help="an id already indexed: fail (default) or skip the article",
            )
        q.set_defaults(func=_index_add if name == "add" else _index_query)
    r = isub.add_parser(
        "remove",
        help="remove articles from the index by id",
        description="Remove articles by id, all in one transaction: if an id is not indexed, nothing is "
        "removed (unless --missing-ok).",
    )
    r.add_argument("db", metavar="DB", help="the index file")
    r.add_argument("ids", nargs="*", metavar="ID", help="ids of the articles to remove")
    r.add_argument("--ids", dest="ids_file", metavar="FILE", help="also the ids in FILE, one a line ('-': stdin)")
    r.add_argument("--missing-ok", action="store_true", help="ignore ids that are not in the index")
    r.add_argument("--quiet", action="store_true", help="print no summary on standard error")
    r.set_defaults(func=_index_remove)
    s = isub.add_parser(
        "stats",
        help="print the index parameters and per-source statistics as JSON",
        description="Print the index parameters and per-source statistics as JSON. Sources carry no "
        "'score' key: a quality score needs the article signals, which the index does not keep "
        "(run 'newsqa analyze' for scores).",
    )
    s.add_argument("db", metavar="DB", help="the index file")
    s.set_defaults(func=_index_stats)
    c = isub.add_parser(
        "check",
        help="check the index file for damage (SQLite integrity check and newsqa's counts)",
        description="Run SQLite's integrity check and newsqa's consistency checks. Exit status 0: sound; "
        "1: damaged or not openable as an index (restore the file from a copy or rebuild it from its "
        "inputs); 2: no such file.",
    )
    c.add_argument("db", metavar="DB", help="the index file")
    c.set_defaults(func=_index_check)


def _index_open(args: argparse.Namespace, create: bool) -> Any:
    from .index import NearDupIndex

    if not create and not os.path.isfile(args.db):
        raise NewsqaError(f"{args.db}: no such index; create it with: newsqa index add {args.db} INPUT...")
    params = {k: getattr(args, k, None) for k in ("threshold", "num_perm", "ngram", "verify")}
    return NearDupIndex(args.db, **params)


def _index_lines(args: argparse.Namespace, records: Sequence[Any], lookup: Any) -> tuple[int, int]:
    """Write one JSON line per record; returns (articles looked up, with matches)."""
    from .io import Unreadable

    out = open(args.out, "w", encoding="utf-8") if args.out else sys.stdout  # noqa: SIM115
    n = hits = 0
    try:
        readable = [r for r in records if not isinstance(r, Unreadable)]
        for r in records:
            if isinstance(r, Unreadable):
                out.write(json.dumps({"id": r.id, "error": r.error}, ensure_ascii=False) + "\n")
        for lo in range(0, len(readable), INDEX_BATCH):
            for article_id, matches in lookup(readable[lo : lo + INDEX_BATCH]).items():
                row = {"id": article_id, "matches": [{"id": m, "similarity": s} for m, s in matches]}
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
                n += 1
                hits += bool(matches)
            out.flush()
    except BrokenPipeError:
        raise
    except OSError as err:
        raise _output_error(err, args.out or "standard output") from None
    finally:
        if out is not sys.stdout:
            out.close()
    return n, hits


def _index_add(args: argparse.Namespace) -> int:
    from .io import read_articles

    records = read_articles(args.inputs)  # bad input fails before the index is created
    with _index_open(args, create=True) as index:
        n, hits = _index_lines(args, records, lambda batch: index.add(batch, on_duplicate=args.on_duplicate))
        total = len(index)
    if not args.quiet:
        print(
            f"newsqa: indexed {_plural(n, 'article')} ({hits} with earlier duplicates); "
            f"{args.db} holds {_plural(total, 'article')}",
            file=sys.stderr,
        )
    return EXIT_OK


def _index_query(args: argparse.Namespace) -> int:
    from .io import read_articles

    records = read_articles(args.inputs)
    with _index_open(args, create=False) as index:
        n, hits = _index_lines(args, records, index.query)
    if not args.quiet:
        print(f"newsqa: {_plural(n, 'article')} queried, {hits} with indexed duplicates", file=sys.stderr)
    return EXIT_OK


def _index_stats(args: argparse.Namespace) -> int:
    with _index_open(args, create=False) as index:
        data = {
            "path": args.db,
            "n_articles": len(index),
            "params": index.params(),
            "sources": [_source_stats(s) for s in index.sources()],
        }
    print(json.dumps(data, indent=2, ensure_ascii=False))
    return EXIT_OK


def _source_stats(source: Any) -> dict[str, Any]:
    """A source of the index: no score keys where no score was computed (the index keeps no signals)."""
    d = source.to_dict()
    if d.get("score") is None:
        for key in ("score", "confidence", "components"):
            d.pop(key, None)
    return dict(d)


def _index_remove(args: argparse.Namespace) -> int:
    ids = list(args.ids)
    if args.ids_file:
        try:
            if args.ids_file == "-":
                text = sys.stdin.read()
            else:
                with open(args.ids_file, encoding="utf-8") as fh:
                    text = fh.read()
        except (OSError, UnicodeDecodeError) as err:
            raise NewsqaError(
                f"{args.ids_file}: cannot read the ids ({err}); give a UTF-8 file, one id a line"
            ) from None
        ids += [line.strip() for line in text.splitlines() if line.strip()]
    if not ids:
        raise ConfigError(f"give the ids to remove, e.g. 'newsqa index remove {args.db} ID...' or --ids FILE")
    with _index_open(args, create=False) as index:
        n = index.remove(ids, missing_ok=args.missing_ok)
        total = len(index)
    if not args.quiet:
        print(f"newsqa: removed {_plural(n, 'article')}; {args.db} holds {_plural(total, 'article')}", file=sys.stderr)
    return EXIT_OK


def _index_check(args: argparse.Namespace) -> int:
    from .errors import InputError

    total = None
    try:
        with _index_open(args, create=False) as index:
            problems = index.check()
            total = len(index) if not problems else None
    except InputError as err:
        if not os.path.isfile(args.db):
            raise
        problems = [str(err).removeprefix(f"{args.db}: ")]  # a file too damaged to open
    if not problems:
        print(f"{args.db}: ok ({_plural(total or 0, 'article')})")
        return EXIT_OK
    for p in problems:
        print(f"{args.db}: {p}")
    print(
        f"newsqa: error: {args.db} is damaged ({_plural(len(problems), 'problem')}); restore it from a copy, "
        f"or rebuild it from its inputs: newsqa index add NEW.sqlite INPUT...",
        file=sys.stderr,
    )
    return EXIT_DAMAGED


def _explain_source_parser(sub: Any) -> None:
    p = sub.add_parser(
        "explain-source",
        help="explain one source's quality score: components, points and evidence",
        description=(
            "Print the quality score of source NAME: each component, its weight, measured value and "
            "points, and the articles behind it (which articles are copies of whose, spam blocks, spun "
            "text...). Reads a report.json written by 'newsqa analyze' (--report) or analyses INPUT first."
        ),
    )
    p.add_argument("name", metavar="NAME", help="the source, as in the input's 'source' column")
    p.add_argument("inputs", nargs="*", metavar="INPUT", help="directories and files to analyse")
    p.add_argument("--report", metavar="FILE", help="a report.json written by 'newsqa analyze'")
    p.add_argument("--json", action="store_true", help="print the explanation as JSON")
    p.set_defaults(func=_explain_source)


def _explain_source(args: argparse.Namespace) -> int:
    from .analyze import analyze
    from .io import read_articles
    from .results import Report
    from .scoring import explain_source

    if bool(args.inputs) == bool(args.report):
        raise ConfigError(
            "give either INPUT files to analyse or --report report.json, e.g. "
            f"'newsqa explain-source {args.name} --report report/report.json'"
        )
    articles = None
    if args.report:
        report = Report.from_json(args.report)
    else:
        articles = read_articles(args.inputs)
        report = analyze(articles)
    explanation = explain_source(report, args.name, articles)  # with the texts, spans are quoted as published
    if args.json:
        print(json.dumps(explanation.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(explanation)
    return EXIT_OK


# --- newsqa learn-spin: substitutions mined from linked spun copies (newsqa.learn) -----


def _learn_spin_parser(sub: Any) -> None:
    p = sub.add_parser(
        "learn-spin",
        help="mine spinner substitutions from spun copies linked to their originals",
        description=(
            "Cluster INPUT, align each spun copy with its original and print the word substitutions that "
            "recur, as lines of the spin lexicon (spun<TAB>original<TAB>weight), most frequent first. "
            "Entries the shipped lexicon already has are left out."
        ),
    )
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="directories and files to read")
    p.add_argument("--min-count", type=int, default=2, help="times a substitution must be seen (default 2)")
    p.add_argument("--min-sources", type=int, default=1, help="distinct spinning sources needed (default 1)")
    p.add_argument("--out", metavar="FILE", help="write the lines to FILE instead of standard output")
    p.set_defaults(func=_learn_spin)


def _learn_spin(args: argparse.Namespace) -> int:
    from .io import read_articles
    from .learn import learn_spin

    records = read_articles(args.inputs)
    subs = learn_spin(records, min_count=args.min_count, min_sources=args.min_sources)
    lines = [f"{s.to_tsv()}\t# seen {s.count}x in {s.n_pairs} pairs, {s.n_sources} sources" for s in subs]
    text = "".join(line + "\n" for line in lines)
    if args.out:
        try:
            with open(args.out, "w", encoding="utf-8") as fh:
                fh.write(text)
        except OSError as err:
            raise _output_error(err, args.out) from err
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
