"""The compiled kernels under numba's bounds checking.

Out-of-bounds access in compiled code is silent memory corruption, not an
exception, so this test re-runs the kernels in a subprocess with
``NUMBA_BOUNDSCHECK=1`` (and its own cache) on inputs built to hit edges:
empty texts, words ending exactly on the tokenizer's 64-byte blocks,
folds that expand, composing characters, long words, many short texts.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent(
    """
    import random
    import newsqa
    rng = random.Random(7)
    words = ["kim", "putin", "a", "pyongyang", "ﬁx", "ǅemal", "Straße", "北京", "é", "e\\u0301",
             "x" * 63, "y" * 64, "z" * 65, "\\ufdfa", "😀", "’", "ß" * 9]
    for it in range(400):
        texts = []
        for _ in range(rng.randint(1, 10)):
            k = rng.randint(0, 40)
            sep = rng.choice([" ", "", "\\n", " — "])
            texts.append(sep.join(rng.choice(words) for _ in range(k)))
        texts += ["a" * n for n in (63, 64, 65, 128)] + [""]
        ids = [f"{it}-{i}" for i in range(len(texts))]
        newsqa.analyze([newsqa.Article(i, t, "s") for i, t in zip(ids, texts)], num_perm=32, ngram=rng.choice([1, 3, 5]))
        newsqa.signatures(texts, num_perm=16, hash="sha1" if it % 50 == 0 else "fast")
    print("ok")
    """
)


def test_kernels_stay_in_bounds(tmp_path):
    env = dict(os.environ, NUMBA_BOUNDSCHECK="1", NUMBA_CACHE_DIR=str(tmp_path / "numba-cache"))
    proc = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout.strip() == "ok"
