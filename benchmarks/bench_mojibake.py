"""Mojibake detection: newsqa ``mojibake()`` vs ftfy's ``is_bad`` on corrupted real articles.

    python benchmarks/bench_mojibake.py [CORPUS] [--column mainText] [--repeats 3]

The corpus (default ``/work/shared/corpora/buzzfeed-webis-2016/articles.csv``,
text column ``mainText``) is split into:

* **in the wild**: articles that already hold mojibake (ftfy's
  ``fix_encoding`` changes them; in BuzzFeed-Webis these are UTF-8 read as
  Latin-1 with the C1 controls kept). Reported separately; they are not used
  as clean articles.
* **clean**: the other non-empty articles. False alarms are counted on them
  as they are.

Each clean article is then corrupted with every mix-up in :data:`MIXUPS`:
its UTF-8 bytes decoded with the wrong code page, the bytes the page cannot
show dropped (``errors="ignore"``) or, for the ISO pages, their C1 controls
stripped. Only articles with a non-ASCII character can be corrupted; an
ASCII-only article is first "typeset" (``'`` inside words -> ``’``, paired
``"`` -> ``“ ”``, `` -- `` / `` - `` between words -> `` — ``) and skipped
if it still is ASCII. Detection rate = share of corrupted articles with at
least one flag (newsqa) or ``is_bad`` True (ftfy).

Speed: ``mojibake()`` over clean texts of exactly 500 words (articles cut
to 500 words, shorter ones joined with the next), one core, best of
``--repeats``.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import re
import sys
import time

import ftfy
import ftfy.bad_codecs  # registers the "sloppy-windows-1252" codec
from ftfy.badness import is_bad

try:
    from newsqa.signals.mojibake import mojibake
except ImportError:  # running from a checkout without an installed package
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src"))
    from newsqa.signals.mojibake import mojibake

DEFAULT_CORPUS = "/work/shared/corpora/buzzfeed-webis-2016/articles.csv"
C1_RE = re.compile("[\x80-\x9f]")


def _decode(codec: str, *, strip_c1: bool = False):
    def corrupt(text: str) -> str:
        out = text.encode("utf-8").decode(codec, errors="ignore")
        return C1_RE.sub("", out) if strip_c1 else out

    return corrupt


# name -> (corruption, asked for in the issue?)
MIXUPS = {
    "windows-1252": (_decode("sloppy-windows-1252"), True),
    "latin-1 (C1 kept)": (_decode("latin-1"), True),
    "mac_roman": (_decode("mac_roman"), True),
    "windows-1253, lossy": (_decode("cp1253"), True),
    "iso-8859-7, C1 stripped (seed 001)": (_decode("iso8859_7", strip_c1=True), True),
    "windows-1251, lossy": (_decode("cp1251"), True),
    "iso-8859-5, C1 stripped": (_decode("iso8859_5", strip_c1=True), False),
    "windows-1250, lossy": (_decode("cp1250"), False),
    "latin-1, C1 stripped": (_decode("latin-1", strip_c1=True), False),
}

_APOS_RE = re.compile(r"(?<=[A-Za-z])'(?=[A-Za-z])")
_DQUOTE_RE = re.compile(r'"([^"\n]{1,400})"')
_DASH_RE = re.compile(r"(?<=\w) -{1,2} (?=\w)")


def typeset(text: str) -> str:
    """Curly apostrophes and quotes, em dashes: what a CMS does to ASCII input."""
    text = _APOS_RE.sub("\u2019", text)
    text = _DQUOTE_RE.sub("\u201c\\1\u201d", text)
    return _DASH_RE.sub(" \u2014 ", text)


def load(path: str, column: str) -> list[str]:
    csv.field_size_limit(1 << 30)
    with open(path, encoding="utf-8", newline="") as fh:
        return [row[column] for row in csv.DictReader(fh) if row[column].strip()]


def flagged(text: str) -> bool:
    return bool(mojibake(text).flags)


STOPWORDS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "newsqa", "data", "stopwords")


def word_salads(path: str, per_language: int = 300, seed: int = 0) -> dict[str, list[str]]:
    """Sentences of 12 real words per language, in six typographic styles.

    Plain, ALL CAPS, «guillemets», “quotes” and ’s, dashes and ellipses glued
    to words, „German-style“ quotes around capitals: the places where real
    accented, Greek and Cyrillic letters meet punctuation, which is where a
    detector of code-page mix-ups can mistake real text for mojibake.
    """
    rng = random.Random(seed)
    out: dict[str, list[str]] = {}
    for name in sorted(os.listdir(path)):
        if not name.endswith(".txt"):
            continue
        with open(os.path.join(path, name), encoding="utf-8") as fh:
            words = [w.strip() for w in fh if w.strip()]
        texts = []
        for k in range(per_language):
            ws = rng.sample(words, min(12, len(words)))
            style = k % 6
            if style == 1:
                ws = [w.upper() for w in ws]
            elif style == 2:
                ws = ["«" + w + "»" if i % 3 == 0 else w for i, w in enumerate(ws)]
            elif style == 3:
                ws = ["“" + w + "”" if i % 3 == 0 else w + "’s" if i % 3 == 1 else w for i, w in enumerate(ws)]
            elif style == 4:
                ws = [w + "—" if i % 4 == 0 else w + "…" if i % 4 == 1 else w for i, w in enumerate(ws)]
            elif style == 5:
                ws = ["„" + w.upper() + "“" if i % 3 == 0 else w.capitalize() for i, w in enumerate(ws)]
            texts.append(" ".join(ws) + ".")
        out[name.removesuffix(".txt")] = texts
    return out


def five_hundred_words(texts: list[str]) -> list[str]:
    out: list[str] = []
    buf: list[str] = []
    for t in texts:
        buf.extend(t.split(" "))
        while len(buf) >= 500:
            out.append(" ".join(buf[:500]))
            buf = buf[500:]
    return out


def pct(a: int, b: int) -> str:
    return f"{100 * a / b:.2f}%" if b else "n/a"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("corpus", nargs="?", default=DEFAULT_CORPUS)
    ap.add_argument("--column", default="mainText")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--show", type=int, default=5, help="print up to N misses / false alarms")
    args = ap.parse_args()

    texts = load(args.corpus, args.column)
    wild = [t for t in texts if ftfy.fix_encoding(t) != t]
    clean = [t for t in texts if ftfy.fix_encoding(t) == t]
    print(
        f"corpus: {args.corpus}: {len(texts)} non-empty articles, {len(wild)} with mojibake in the wild, {len(clean)} clean"
    )
    print(
        f"in the wild: newsqa flags {sum(map(flagged, wild))}/{len(wild)}, "
        f"ftfy is_bad {sum(map(is_bad, wild))}/{len(wild)}"
    )

    # false alarms
    fa_n = [t for t in clean if flagged(t)]
    fa_f = [t for t in clean if is_bad(t)]
    non_ascii = [t for t in clean if not t.isascii()]
    print("\n## False alarms on clean articles\n")
    print("| set | articles | newsqa | ftfy is_bad |\n|---|---:|---:|---:|")
    print(
        f"| all clean | {len(clean)} | {len(fa_n)} ({pct(len(fa_n), len(clean))}) | {len(fa_f)} ({pct(len(fa_f), len(clean))}) |"
    )
    fa_n2 = sum(1 for t in non_ascii if flagged(t))
    fa_f2 = sum(1 for t in non_ascii if is_bad(t))
    print(
        f"| clean with non-ASCII | {len(non_ascii)} | {fa_n2} ({pct(fa_n2, len(non_ascii))}) | {fa_f2} ({pct(fa_f2, len(non_ascii))}) |"
    )
    typeset_clean = [typeset(t) for t in clean if t.isascii()]
    typeset_clean = [t for t in typeset_clean if not t.isascii()]
    fa_n3 = sum(1 for t in typeset_clean if flagged(t))
    fa_f3 = sum(1 for t in typeset_clean if is_bad(t))
    print(
        f"| ASCII articles after typesetting | {len(typeset_clean)} | {fa_n3} ({pct(fa_n3, len(typeset_clean))}) | {fa_f3} ({pct(fa_f3, len(typeset_clean))}) |"
    )
    for t in fa_n[: args.show]:
        out = mojibake(t)
        print("  newsqa false alarm:", [(t[max(0, f.start - 15) : f.end + 15], f.reason) for f in out.flags[:3]])

    # multilingual false alarms
    salads = word_salads(STOPWORDS)
    n_all = sum(len(v) for v in salads.values())
    bad_n = {lang: sum(1 for t in v if flagged(t)) for lang, v in salads.items()}
    bad_f = {lang: sum(1 for t in v if is_bad(t)) for lang, v in salads.items()}
    print(
        f"\n## False alarms on multilingual word salads\n\n{n_all} sentences of real words from the "
        f"{len(salads)} stop-word lists in src/newsqa/data/stopwords (see word_salads()).\n"
    )
    print("| languages | sentences | newsqa | ftfy is_bad |\n|---|---:|---:|---:|")
    print(
        f"| all {len(salads)} | {n_all} | {sum(bad_n.values())} ({pct(sum(bad_n.values()), n_all)}) | "
        f"{sum(bad_f.values())} ({pct(sum(bad_f.values()), n_all)}) |"
    )
    for lang in salads:
        if bad_n[lang] or bad_f[lang]:
            print(f"| {lang} | {len(salads[lang])} | {bad_n[lang]} | {bad_f[lang]} |")

    # detection
    bases = non_ascii + typeset_clean
    skipped = sum(1 for t in clean if t.isascii()) - len(typeset_clean)
    print(
        f"\n## Detection on corrupted articles\n\n{len(bases)} clean articles with a non-ASCII character "
        f"({len(non_ascii)} as they are, {len(typeset_clean)} ASCII ones typeset first; {skipped} ASCII articles with "
        "nothing to typeset skipped).\n"
    )
    print("| mix-up | in issue | corrupted | newsqa | ftfy is_bad |\n|---|:-:|---:|---:|---:|")
    tot_n = tot_f = tot = 0
    for name, (corrupt, asked) in MIXUPS.items():
        bad = [corrupt(t) for t in bases]
        bad = [b for b, t in zip(bad, bases) if b != t]
        dn = [flagged(b) for b in bad]
        df = [is_bad(b) for b in bad]
        if asked:
            tot += len(bad)
            tot_n += sum(dn)
            tot_f += sum(df)
        print(
            f"| {name} | {'yes' if asked else 'extra'} | {len(bad)} | {pct(sum(dn), len(bad))} | {pct(sum(df), len(bad))} |"
        )
        misses = [b for b, d in zip(bad, dn) if not d]
        for b in misses[: args.show]:
            odd = sorted({c for c in b if ord(c) > 127})
            print(f"  <!-- newsqa miss ({name}): non-ASCII {''.join(odd)[:40]!r} -->")
    print(f"| **all asked-for mix-ups** | | {tot} | **{pct(tot_n, tot)}** | **{pct(tot_f, tot)}** |")

    # speed
    docs = five_hundred_words(clean)
    best = float("inf")
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        for d in docs:
            mojibake(d)
        best = min(best, time.perf_counter() - t0)
    best_f = float("inf")
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        for d in docs:
            is_bad(d)
        best_f = min(best_f, time.perf_counter() - t0)
    bad_docs = [MIXUPS["windows-1252"][0](d) for d in docs]
    best_b = float("inf")
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        for d in bad_docs:
            mojibake(d)
        best_b = min(best_b, time.perf_counter() - t0)
    print(f"\n## Speed (one core, {len(docs)} texts of 500 words, best of {args.repeats})\n")
    print("| what | articles/s |\n|---|---:|")
    print(f"| newsqa `mojibake()`, clean | {len(docs) / best:,.0f} |")
    print(f"| newsqa `mojibake()`, windows-1252 mojibake | {len(docs) / best_b:,.0f} |")
    print(f"| ftfy `is_bad`, clean | {len(docs) / best_f:,.0f} |")


if __name__ == "__main__":
    main()
