"""Template line keys hashed by the compiled pass equal the hashes of ``normalize_line``'s keys.

``boilerplate.line_key_hashes`` hashes each line's key (NFKC, case fold,
digit runs as ``0``, single spaces) without building it, folding code
points by a table; these tests hold it to the reference (build the key with
:func:`normalize_line`, hash it with :func:`line_hash`) and check the
table's premise: below its limit, a line normalises code point by code
point.
"""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from newsqa.signals import _line_kernels as K
from newsqa.signals.boilerplate import (
    TEMPLATE_MIN_CHARS,
    line_hash,
    line_key_hashes,
    normalize_line,
    split_lines,
    template_line_hashes,
    templates_for,
)
from tests.strategies import any_text

_TABLE_CHARS = [chr(cp) for cp in range(K.KEY_FOLD_LIMIT) if cp < 128 or K.key_fold_table()[0][cp] > 0]
# what a table line and its neighbours are made of: table code points, marks
# and letters that compose with them, digits and spaces of every kind
_KEY_ALPHABET = st.one_of(
    st.sampled_from(_TABLE_CHARS),
    st.sampled_from(list("aAeE1 0\t\u00a0\u2002\u3000\u0301\u0308\u0327\u1100\u1161\u11a8٣۳½²ﬁß")),
    st.characters(),
)


def reference(text: str) -> list[int]:
    return [line_hash(normalize_line(text[s:e])) for s, e in split_lines(text)]


@settings(max_examples=400, deadline=None)
@given(st.one_of(any_text, st.text(alphabet=_KEY_ALPHABET, max_size=300)))
def test_line_key_hashes_equal_the_reference(text: str) -> None:
    assert line_key_hashes(text).tolist() == reference(text)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=_KEY_ALPHABET, max_size=40), max_size=12), st.data())
def test_template_lines_found_by_hash_equal_the_reference(lines: list[str], data: st.DataObject) -> None:
    text = "\n".join(lines)
    keys = [normalize_line(text[s:e]) for s, e in split_lines(text)]
    long = {normalize_line(text[s:e]) for s, e in split_lines(text) if e - s >= TEMPLATE_MIN_CHARS}
    assert template_line_hashes(text) == sorted({line_hash(k) for k in long})
    chosen = data.draw(st.sets(st.sampled_from(keys))) if keys else set()
    assert templates_for(text, {line_hash(k) for k in chosen}) == frozenset(chosen)


def test_the_table_folds_each_code_point_as_nfkc_and_casefold_do() -> None:
    length, offset, folded = K.key_fold_table()
    for cp in range(K.KEY_FOLD_LIMIT):
        if length[cp]:
            want = unicodedata.normalize("NFKC", chr(cp)).casefold()
            got = "".join(map(chr, folded[offset[cp] : offset[cp] + length[cp]].tolist()))
            assert got == want, hex(cp)


def test_no_table_code_point_composes_with_a_neighbour() -> None:
    # The premise of the table: NFKC of a line of table code points is the
    # concatenation of their NFKC forms. Canonical composition joins a
    # first and a second half (the two code points of a canonical
    # decomposition); no second half may be in the table, nor may any code
    # point of a table entry's form be a mark.
    length = K.key_fold_table()[0]
    seconds = set()
    for cp in range(0x110000):
        d = unicodedata.decomposition(chr(cp))
        if d and not d.startswith("<"):
            parts = d.split()
            if len(parts) == 2:
                seconds.add(int(parts[1], 16))
    assert not [hex(cp) for cp in seconds if cp < K.KEY_FOLD_LIMIT and length[cp]]
    # Hangul syllables compose algorithmically (L + V, LV + T): outside the table too
    assert not any(length[cp] for cp in range(0x1100, 0x1200) if cp < K.KEY_FOLD_LIMIT)


def test_long_lines_and_many_lines_finish() -> None:
    # linear: a 5 MB line, 200k short lines, 100k emoji (the Python fallback, once)
    assert len(line_key_hashes("Ab 12 ’x " * 600_000)) == 1
    assert len(line_key_hashes("\n".join(f"line {i} word" for i in range(200_000)))) == 200_000
    assert len(line_key_hashes("😀" * 100_000)) == 1
