"""Generate ``src/newsqa/data/unicode_tables.npz``, the tokenizer's Unicode tables.

The signature kernel cannot call :mod:`unicodedata`, so the facts it needs
about every code point are precomputed here and shipped with the package.
Shipping them (rather than building them at import) also makes signatures
independent of the Python version's Unicode database: two machines with
different Pythons produce identical signatures.

Run: ``python scripts/gen_unicode_tables.py`` (takes about two seconds).
``tests/test_text.py`` checks the shipped tables against this script's logic.
"""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from newsqa._unicode import build_tables  # noqa: E402

if __name__ == "__main__":
    out = Path(__file__).resolve().parents[1] / "src" / "newsqa" / "data" / "unicode_tables.npz"
    tables = build_tables()
    np.savez_compressed(out, **tables)
    print(f"wrote {out} (Unicode {unicodedata.unidata_version}, {len(tables['fold_keys'])} folded code points)")
