"""Learn spinner substitutions from the corpus: ``newsqa learn-spin``.

Once a spun copy is linked to its original (through the lexicon's unspun
text or through its skeleton, see :mod:`newsqa.skeleton`), the two texts
align word by word: the spinner changed a word or a short phrase and left
the rest. :func:`learn_spin` aligns every ``spun_copy`` member of every
cluster with the cluster's original, collects the replaced phrases (up to
:data:`MAX_PHRASE` words on either side), and returns those that recur, as
candidate additions to the lexicon (``data/spin_lexicon.tsv`` format:
``spun<TAB>original<TAB>weight``). Entries the lexicon already holds are
left out.

>>> from newsqa import Article
>>> original = (
...     "The two leaders met in the capital on Monday and said the talks were useful. Officials said the "
...     "leaders would meet again next year in the capital. The talks began in the morning and ended in the "
...     "evening, officials said. Both leaders thanked the hosts in the capital for the talks. The next round "
...     "of talks will take place in Moscow, the leaders said in a statement on Monday evening.")
>>> spun_a = original.replace("leaders", "headmen").replace("capital", "metropolis").replace("talks", "parleys")
>>> spun_b = spun_a.replace("evening", "eventide")
>>> subs = learn_spin([Article("o", original, "wire"), Article("a", spun_a, "s1"), Article("b", spun_b, "s2")])
>>> [(s.spun, s.original, s.count, s.n_sources) for s in subs]
[('headmen', 'leaders', 8, 2), ('parleys', 'talks', 8, 2), ('eventide', 'evening', 2, 1)]

("metropolis" for "capital" is in the shipped lexicon already, so it is not
offered.)
>>> subs[0].to_tsv().split(chr(9))
['headmen', 'leaders', '0.5']
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .config import Config
from .errors import ConfigError
from .report._diff import _opcodes as bounded_opcodes

#: Longest phrase (in words) taken on either side of a substitution; the
#: lexicon's own limit (``spun.MAX_NGRAM``) is 6, and a spinner's
#: replacements are one to three words ("go to" for "visit").
MAX_PHRASE = 3
#: Words of each text aligned at most. The alignment is the report's
#: bounded word diff (unique-word anchors, then ``difflib`` on gaps of at
#: most 16 words; ``difflib`` alone is cubic on repetitive text); the head
#: of an article holds enough substitutions.
MAX_ALIGN_WORDS = 5000
#: Weight proposed for a learned entry: below 1.0 because it comes from one
#: corpus and has not been reviewed; at 0.5 it counts on its own
#: (``spun.STRONG_WEIGHT``).
LEARNED_WEIGHT = 0.5

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


@dataclass(frozen=True, slots=True)
class SpinSubstitution:
    """A substitution seen between spun copies and their originals.

    Attributes:
        spun: The spinner's phrase, lower-case.
        original: The original's phrase, lower-case.
        count: How many times it was seen, over all linked pairs.
        n_pairs: In how many (spun copy, original) pairs.
        n_sources: How many distinct sources published spun copies with it.
        examples: Up to three ``(spun copy id, original id)`` pairs.
    """

    spun: str
    original: str
    count: int
    n_pairs: int
    n_sources: int
    examples: tuple[tuple[str, str], ...]

    def to_tsv(self) -> str:
        """The entry as a line of ``spin_lexicon.tsv``."""
        return f"{self.spun}\t{self.original}\t{LEARNED_WEIGHT}"


def _words(text: str) -> list[str]:
    return [m.group().lower() for m in _WORD.finditer(text)][:MAX_ALIGN_WORDS]


def aligned_substitutions(original: str, spun: str) -> list[tuple[str, str]]:
    """``(spun phrase, original phrase)`` for each short replaced span.

    >>> aligned_substitutions("the two leaders shook hands", "the 2 leaders shook fingers")
    [('2', 'two'), ('fingers', 'hands')]
    >>> aligned_substitutions("talks got under way", "talks acquired beneath method")
    [('acquired', 'got'), ('beneath', 'under'), ('method', 'way')]
    >>> aligned_substitutions("the two countries met", "the 2 international locations met")
    [('2 international locations', 'two countries')]
    """
    a, b = _words(original), _words(spun)
    out: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in bounded_opcodes(a, b):
        if op != "replace" or i2 - i1 > MAX_PHRASE or j2 - j1 > MAX_PHRASE:
            continue
        if i2 - i1 == j2 - j1:
            # as long on both sides: the spinner went word by word
            # ("got under way" -> "acquired beneath method")
            out.extend(zip(b[j1:j2], a[i1:i2]))
        else:
            out.append((" ".join(b[j1:j2]), " ".join(a[i1:i2])))
    return out


def learn_spin(
    articles: Iterable[Any],
    *,
    min_count: int = 2,
    min_sources: int = 1,
    include_known: bool = False,
    config: Config | None = None,
    **overrides: Any,
) -> list[SpinSubstitution]:
    """Substitutions that recur between spun copies and their originals.

    Args:
        articles: Anything :func:`newsqa.analyze` accepts.
        min_count: Keep substitutions seen at least this many times.
        min_sources: ... and used by at least this many distinct sources.
        include_known: Also return entries the shipped lexicon already has.
        config, **overrides: Passed to the clustering (e.g. ``threshold``).

    Returns:
        Substitutions, most frequent first (ties: alphabetical).
    """
    if min_count < 1 or min_sources < 1:
        raise ConfigError(f"min_count and min_sources must be >= 1, got {min_count} and {min_sources}")
    from .analyze import analyze
    from .io import coerce_records
    from .model import Article
    from .signals.spun import lexicon

    items = [a for a in coerce_records(articles) if isinstance(a, Article)]
    report = analyze(items, config, **{**overrides, "signals": ("spun",), "progress": False})
    by_id = {a.id: a for a in items}
    known = {e.spun for e in lexicon()} if not include_known else set()
    count: Counter[tuple[str, str]] = Counter()
    pairs: defaultdict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    sources: defaultdict[tuple[str, str], set[str]] = defaultdict(set)
    for c in report.clusters:
        orig = by_id[c.representative]
        for member, rel in c.relation.items():
            if rel != "spun_copy":
                continue
            copy = by_id[member]
            seen = Counter(aligned_substitutions(orig.text, copy.text))
            for key, k in seen.items():
                if key[0] in known:
                    continue
                count[key] += k
                pairs[key].append((member, orig.id))
                sources[key].add(copy.source)
    out = [
        SpinSubstitution(
            spun=k[0],
            original=k[1],
            count=n,
            n_pairs=len(pairs[k]),
            n_sources=len(sources[k]),
            examples=tuple(sorted(pairs[k])[:3]),
        )
        for k, n in count.items()
        if n >= min_count and len(sources[k]) >= min_sources
    ]
    out.sort(key=lambda s: (-s.count, s.spun, s.original))
    return out
