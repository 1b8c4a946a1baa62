"""Hypothesis strategies shared by the tests."""

from __future__ import annotations

from hypothesis import strategies as st

# Text mixing the cases that matter to the tokenizer: ASCII words, accented
# and upper-case letters, curly quotes, combining marks, Hangul jamo, CJK,
# Thai, Greek, Cyrillic, compatibility characters, emoji, surrogates.
_SPECIAL = (
    "éÉßİﬁ½⑴ＫＩＭ’“”—…\u0301\u0308\u1100\u1161\u11a8가北京大学東京ไทยΚορέαβπМосква😀👉🏽\u200d\ufdfa\x00\t\n "
)
words = st.text(alphabet=st.sampled_from("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"), min_size=1, max_size=12)
mixed_chars = st.one_of(
    st.characters(),
    st.sampled_from(list(_SPECIAL)),
    st.sampled_from(list("abcdefghij klmnop.,;!?'- ")),
)
any_text = st.one_of(st.text(), st.text(alphabet=mixed_chars, max_size=400))
word_lists = st.lists(words, min_size=0, max_size=120)
