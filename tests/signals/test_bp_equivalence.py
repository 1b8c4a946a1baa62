"""The boilerplate signal by columns (compiled rule prefilters, no line objects, flags made with the
collector paused on long pages) against the signal as it was: the pure-Python page of
``test_line_features`` (``ref_page``: the old rule stage ``ref_rules`` and reference features), the
old line-by-line classification (``ref_classify``) and the old flag building. Outputs must be equal
on any text: flags (spans, kinds, reasons, scores, extra) and signals.

Also ``normalize_line`` (ASCII fast path) against its old definition, exhaustively on every code
point and by hypothesis, and the prefilters against the patterns they stand for.
"""

from __future__ import annotations

import gc
import math
from collections.abc import Sequence

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from newsqa.model import Flag
from newsqa.signals import _bp_kernels as BK
from newsqa.signals import boilerplate as B
from newsqa.signals._counts import char_classes, codes
from newsqa.signals._line_features import (
    _COMMENT_MARK,
    SHAPE_SAMPLE,
    PageShape,
    _comment_mark_filter,
)

from .test_line_features import (
    _LEXICON_BITS,
    _LINE,
    _PAGE,
    _PIECE,
    ref_classify,
    ref_normalize_line,
    ref_page,
)


def ref_boilerplate(
    text: str, templates: frozenset[str] = frozenset(), skip: Sequence[tuple[int, int]] = ()
) -> tuple[tuple[Flag, ...], dict]:
    """What ``boilerplate`` returned before the columns: flags and signals."""
    ref = ref_page(text, templates, skip)
    if ref is None:
        return (), {
            "boilerplate_lines": 0,
            "boilerplate_chars": 0,
            "boilerplate_share": 0.0,
            "attributed_outlet": None,
        }
    lines, lang, outlet, features, shape = ref
    page = B._Page(lines, lang, outlet, features, PageShape(*shape))
    ref_classify(page)
    flags = tuple(
        Flag("boilerplate", ln.start, ln.end, ln.reason, round(ln.score, 3)) for ln in page.lines if ln.reason
    )
    chars = sum(f.end - f.start for f in flags)
    total = sum(ln.end - ln.start for ln in lines)
    return flags, {
        "boilerplate_lines": len(flags),
        "boilerplate_chars": chars,
        "boilerplate_share": round(chars / total, 4) if total else 0.0,
        "attributed_outlet": outlet,
    }


def assert_same_output(
    text: str, templates: frozenset[str] = frozenset(), skip: Sequence[tuple[int, int]] = ()
) -> None:
    out = B.boilerplate(text, templates=templates, skip=skip)
    flags, signals = ref_boilerplate(text, templates, skip)
    assert out.flags == flags
    assert [(f.kind, f.start, f.end, f.reason, f.score, dict(f.extra)) for f in out.flags] == [
        (f.kind, f.start, f.end, f.reason, f.score, dict(f.extra)) for f in flags
    ]
    assert all(f.extra is Flag("boilerplate", 0, 0, "").extra for f in out.flags)
    assert dict(out.signals) == signals
    for key, value in signals.items():
        assert type(out.signals[key]) is type(value), key


# Lines that the rule stage flags, and their near misses.
_RULE_LINES = [
    "Read more",
    "Source: Ambito",
    "Source: Read more",
    "via Reuters",
    "Share on Facebook",
    "share this article",
    "icon-facebook icon-twitter",
    "Facebook Twitter",
    "Updated: March 3, 2024",
    "Published on 2024-03-03T10:15z",
    "3/4/2024",
    "3.4.24 | 10:15 pm CET",
    "Monday, 5th of June 2023",
    "12 de marzo de 2024",
    "Sept. 9, 2021, 9:30 a.m. EDT",
    "Site News | World | Politics",
    "Home / News / World",
    "Home » Sport » Football",
    "a|b|c",
    "European news, UK news, political news, world news",
    "news; more news; best news",
    "Teaser one about things…",
    "Teaser two about more things...",
    "Teaser three…",
    "© 2024 Example Media. All rights reserved.",
    "Posted by jane at 10:45 pm",
    "Reply",
    "Bob says: great article",
    "5 hours ago",
    "https://example.com/a?b=c",
    "www.example.com",
    "\u2028",
    "\ud800 lone surrogate",
    "emoji \U0001f600\U0001f600 line 12",
    "line 1 word",
    "2024-03-03",
    "04/05/99",
    "Home/News | World",
    "a |b| c",
    "x • y • z",
    "https://example.com/2024/03/03/story",
    "Straße ﬁnal İstanbul ΣΑΣ news",
    "Ärger über Öl in Köln",
]
_RULE_PAGE = st.lists(
    st.tuples(
        st.one_of(st.sampled_from(_RULE_LINES), _LINE, st.text(max_size=20)),
        st.sampled_from(["\n", "\r\n", "\r", "\n\n", "\u2028", " \n"]),
    ),
    max_size=30,
).map(lambda ls: "".join(a + b for a, b in ls))


@given(st.text())
def test_same_output_on_any_text(text):
    assert_same_output(text)


@settings(max_examples=200)
@given(_PAGE)
def test_same_output_on_pages_of_real_looking_lines(text):
    assert_same_output(text)


@settings(max_examples=200)
@given(_RULE_PAGE)
def test_same_output_on_pages_of_rule_lines(text):
    assert_same_output(text)


@given(st.lists(st.one_of(_LEXICON_BITS, _LINE), max_size=12).map("\n".join))
def test_same_output_with_lexicon_lines(text):
    assert_same_output(text)


@given(_RULE_PAGE, st.lists(st.tuples(st.integers(0, 300), st.integers(0, 80)), max_size=4))
def test_same_output_with_skip_spans(text, skip_raw):
    assert_same_output(text, skip=[(a, a + n) for a, n in skip_raw])


@given(_RULE_PAGE, st.data())
def test_same_output_with_templates(text, data):
    lines = [text[s:e] for s, e in B.split_lines(text)]
    chosen = data.draw(st.lists(st.sampled_from(lines), max_size=4)) if lines else []
    extra = data.draw(st.lists(st.text(max_size=10), max_size=2))
    templates = frozenset(ref_normalize_line(t) for t in chosen + extra)
    assert_same_output(text, templates=templates)


@settings(max_examples=10)
@given(st.lists(st.sampled_from(_RULE_LINES), min_size=70, max_size=140).map("\n".join))
def test_same_output_on_long_pages_of_rule_lines(text):
    # more than CLASSIFY_ARRAY_LINES lines: the column-wise classification
    assert_same_output(text)


def test_same_output_on_large_and_odd_inputs():
    texts = [
        "",
        "\n\n \r\n",
        "\n".join(f"line {i} word" for i in range(3000)),
        "\n".join(f"Teaser {i} about things…" for i in range(200)),
        "\n".join(["Read more", "Home", "Home", "Updated: March 3, 2024", "a | b | c"] * 100),
        "\U0001f600" * 5000 + "\n" + "x \U0001f600\n" * 500,
        "\n".join(f"https://example.com/{i}" for i in range(500)),
        "word " * 20000,
        "\u2028".join(f"line {i}" for i in range(300)),
        "\r\n".join(f"Posted by user{i} at 10:{i % 60:02d} pm" for i in range(200)),
    ]
    for text in texts:
        assert_same_output(text)


def test_long_pages_leave_the_collector_as_they_found_it():
    text = "\n".join(f"line {i} word" for i in range(B.GC_PAUSE_LINES + 10))
    assert gc.isenabled()
    B.boilerplate(text)
    assert gc.isenabled()
    gc.disable()
    try:
        B.boilerplate(text)
        assert not gc.isenabled()
    finally:
        gc.enable()


# --- normalize_line ------------------------------------------------------------------


def test_normalize_line_on_every_code_point():
    for cp in range(0x110000):
        c = chr(cp)
        for t in (c, "a" + c + "B", " " + c + "  12" + c + "\t", c + c + "X9" + c):
            assert B.normalize_line(t) == ref_normalize_line(t), (hex(cp), t)


@settings(max_examples=500)
@given(st.one_of(st.text(), st.lists(_PIECE, max_size=20).map(" ".join), st.sampled_from(_RULE_LINES)))
def test_normalize_line_matches_the_reference(line):
    assert B.normalize_line(line) == ref_normalize_line(line)
    assert B.normalize_line(line + "\r\n" + line) == ref_normalize_line(line + "\r\n" + line)


# --- Prefilters ----------------------------------------------------------------------


@settings(max_examples=300)
@given(
    st.one_of(
        st.sampled_from(_RULE_LINES),
        st.lists(st.one_of(_PIECE, st.sampled_from(_RULE_LINES)), max_size=6).map(" ".join),
    )
)
def test_prefilters_never_rule_out_a_match(line):
    line = line.strip()
    points = codes(line)
    starts, ends = np.array([0]), np.array([len(line)])
    f = B._dateline_filter()
    assert f is not None
    if B._DATELINE.fullmatch(line) and len(line) <= B.MAX_PATTERN_LINE:
        table, vcodes, voff = B._share_table()
        shape = BK.rule_shapes(
            points, starts, ends, char_classes(), codes(""), table, vcodes, voff, B.MAX_PATTERN_LINE
        )[0]
        assert shape & BK.HAS_DIGIT, line
        assert f.lines(points, starts, ends, B.MAX_PATTERN_LINE)[0] or shape & BK.DIGIT_SEP_DIGIT, line
    m = _comment_mark_filter()
    assert m is not None
    if _COMMENT_MARK.search(line[:SHAPE_SAMPLE]):
        heads = np.minimum(ends, starts + SHAPE_SAMPLE)
        assert m.lines(points, starts, heads, SHAPE_SAMPLE)[0], line


@settings(max_examples=300)
@given(st.lists(st.one_of(st.sampled_from(_RULE_LINES), _LINE, st.text(max_size=12)), min_size=1, max_size=8))
def test_rule_shapes_match_their_definitions(lines):
    lines = [ln for ln in (x.strip() for x in lines) if ln and "\n" not in ln and "\r" not in ln]
    if not lines:
        return
    text = "\n".join(lines)
    points = codes(text)
    starts, ends = B._kernels.line_spans(points, char_classes())
    texts = [text[s:e] for s, e in zip(starts.tolist(), ends.tolist())]
    words = [[w.casefold() for w in B._WORD.findall(t)] for t in texts]
    folded = codes("\n".join(" ".join(w) for w in words))
    table, vcodes, voff = B._share_table()
    shapes = BK.rule_shapes(points, starts, ends, char_classes(), folded, table, vcodes, voff, B.MAX_PATTERN_LINE)
    lex = B._lexicon()
    for t, w, sh in zip(texts, words, shapes.tolist()):
        assert bool(sh & BK.HAS_DIGIT) == bool(B._DIGITS.search(t)), t
        if len(B._SEPARATOR.findall(t[: B.MAX_PATTERN_LINE])) >= 2:
            assert sh & BK.SEPARATORS, t
        assert bool(sh & BK.COMMAS) == (t.count(",") + t.count(";") >= 2), t
        assert bool(sh & BK.ELLIPSIS) == t.endswith(B.ELLIPSIS_ENDINGS), t
        if B._is_share_line(w, t, lex):
            assert sh & BK.SHARE, t
        share_words = 1 <= len(w) <= 12 and all(x.startswith(("icon-", "icon_")) or x in lex.share_tokens for x in w)
        assert bool(sh & BK.SHARE) == share_words, t


def test_model_scores_as_before():
    for logit in [-1e300, -60.0, -50.0, -3.2, -1e-300, -0.0, 0.0, 1e-300, 0.7, 50.0, 1e300, math.inf, -math.inf]:
        p = 1.0 / (1.0 + math.exp(min(max(logit, -50.0), 50.0)))
        assert B._model_score(logit) == round(max(p, B.MODEL_MIN_SCORE), 3)


def test_fold_table_is_casefold_code_point_by_code_point():
    table = BK.fold_one()
    for cp in range(0x110000):
        f = chr(cp).casefold()
        assert table[cp] == (ord(f) if len(f) == 1 else -1), hex(cp)


@settings(max_examples=300)
@given(st.text())
def test_fold_codes_is_casefold(text):
    folded, ok = BK.fold_codes(codes(text), BK.fold_one())
    if ok:
        assert folded.tobytes().decode("utf-32-le", "surrogatepass") == text.casefold()
    else:
        assert any(len(c.casefold()) > 1 for c in text)
