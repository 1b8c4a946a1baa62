"""A thesaurus article spinner, for the spun-text benchmark (``bench_spun.py``).

It does what the free "article rewriter" sites and the classic spinners
(Spin Rewriter, WordAI's free tier, SpinBot) do: it walks the text and
swaps words and short fixed phrases for synonyms from its own dictionary,
without looking at the sense ("left" the verb and "left" the direction get
the same synonyms, as do the noun and the verb "attack"). It keeps the
case of the first letter, the punctuation and the white space, and leaves
alone:

* stop words (:data:`STOP_WORDS`: articles, pronouns, prepositions,
  auxiliaries, conjunctions) and number words;
* tokens with digits, ALL-CAPS tokens (acronyms) and mixed-case tokens
  ("iPhone");
* proper names: a capitalised token is a name unless it starts a sentence
  (after ``.``, ``!``, ``?``, ``:`` or a line break, opening quotes
  allowed) and the token after it is not capitalised too ("Officials said"
  can be spun, "Bill Clinton" cannot);
* tokens glued to URLs, handles, hashtags and hyphenated compounds
  (a ``@ # / \\ _ = & % + -`` next to them, or a ``.`` followed by a
  letter); a dictionary phrase may span one hyphen ("well-known").

**Rate.** ``spin(text, rate, seed)`` substitutes ``round(rate * n)`` of
the ``n`` *eligible* words of the text: the words a spinner may touch under
the rules above (so stop words, numbers and names are not counted), whether
or not its dictionary has them. Units (a word or a dictionary phrase,
matched longest first, left to right) are drawn in a seeded random order and
taken while they fit the target; a phrase counts as the eligible words in
it ("in addition" as one). When the dictionary covers fewer eligible words
than the target, all of them are substituted and :attr:`SpinResult.rate`
says what was reached; :attr:`SpinResult.rate_all_words` gives the share of
all word tokens replaced (about half the rate on news prose).

**Dictionary.** ``data/spinner_thesaurus.txt``, written for this benchmark,
one lemma a line::

    v say = state, declare, remark, mention, assert
    n country = nation, land, state, realm
    n man/men = guy, gentleman/gentlemen, fellow, male
    a huge = enormous, massive, vast, immense
    p in addition = additionally, moreover, furthermore, besides

``v`` verbs are expanded to their five forms (base, -s, past, past
participle, -ing; the first word of a phrasal verb is inflected; irregular
verbs from :data:`_IRREGULAR`), ``n`` nouns to singular and plural (the last
word is inflected; ``word/plural`` gives an irregular plural; a synonym that
already ends in a plural ``s`` is used as it is), and ``u`` (no plural), ``a``
(adjectives), ``r`` (adverbs) and ``p`` (fixed phrases) are used as they are.
Surface forms shared by several lemmas pool their synonyms, as a sense-blind
spinner's do.

>>> th = Thesaurus.from_lines(["v say = state, declare", "n country = nation"])
>>> sorted(th.synonyms("said"))
['declared', 'stated']
>>> r = Spinner(th).spin("Officials said the country voted.", rate=0.5, seed=1)
>>> r.text
'Officials stated the nation voted.'
>>> (r.n_tokens, r.n_eligible, r.n_substituted, r.rate)
(5, 4, 2, 0.5)
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

DEFAULT_THESAURUS = Path(__file__).resolve().parent / "data" / "spinner_thesaurus.txt"

#: Function words a thesaurus spinner leaves alone (the usual English stop
#: list: articles, pronouns, prepositions, conjunctions, auxiliaries and
#: modals, negation, a few quantifiers), written for this benchmark.
STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "this",
        "that",
        "these",
        "those",
        "i",
        "me",
        "my",
        "mine",
        "myself",
        "we",
        "us",
        "our",
        "ours",
        "ourselves",
        "you",
        "your",
        "yours",
        "yourself",
        "yourselves",
        "he",
        "him",
        "his",
        "himself",
        "she",
        "her",
        "hers",
        "herself",
        "it",
        "its",
        "itself",
        "they",
        "them",
        "their",
        "theirs",
        "themselves",
        "who",
        "whom",
        "whose",
        "which",
        "what",
        "whatever",
        "whoever",
        "when",
        "where",
        "why",
        "how",
        "whether",
        "am",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "have",
        "has",
        "had",
        "having",
        "do",
        "does",
        "did",
        "doing",
        "done",
        "will",
        "would",
        "shall",
        "should",
        "can",
        "could",
        "may",
        "might",
        "must",
        "ought",
        "not",
        "no",
        "nor",
        "never",
        "none",
        "and",
        "or",
        "but",
        "if",
        "then",
        "else",
        "than",
        "so",
        "because",
        "as",
        "while",
        "until",
        "although",
        "though",
        "unless",
        "since",
        "of",
        "at",
        "by",
        "for",
        "with",
        "about",
        "against",
        "between",
        "into",
        "through",
        "during",
        "before",
        "after",
        "above",
        "below",
        "to",
        "from",
        "up",
        "down",
        "in",
        "out",
        "on",
        "off",
        "over",
        "under",
        "again",
        "further",
        "once",
        "here",
        "there",
        "all",
        "any",
        "both",
        "each",
        "few",
        "more",
        "most",
        "other",
        "some",
        "such",
        "only",
        "own",
        "same",
        "too",
        "very",
        "just",
        "also",
        "s",
        "t",
        "d",
        "ll",
        "m",
        "o",
        "re",
        "ve",
        "y",
        "don't",
        "can't",
        "won't",
        "isn't",
        "aren't",
        "wasn't",
        "weren't",
        "didn't",
        "doesn't",
        "i'm",
        "i've",
        "i'd",
        "i'll",
        "you're",
        "you've",
        "you'd",
        "you'll",
        "he's",
        "she's",
        "it's",
        "we're",
        "we've",
        "we'd",
        "we'll",
        "they're",
        "they've",
        "they'd",
        "they'll",
        "that's",
        "there's",
        "here's",
        "what's",
        "who's",
        "let's",
        "per",
        "via",
        "upon",
        "onto",
        "within",
        "without",
        "among",
        "amongst",
        "across",
        "along",
        "around",
        "toward",
        "towards",
        "yes",
        "okay",
        "ok",
        "oh",
        "mr",
        "mrs",
        "ms",
        "dr",
        "st",
    ]
)

#: Number words count as numbers: never substituted.
NUMBER_WORDS = frozenset(
    [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
        "twenty",
        "thirty",
        "forty",
        "fifty",
        "sixty",
        "seventy",
        "eighty",
        "ninety",
        "hundred",
        "hundreds",
        "thousand",
        "thousands",
        "million",
        "millions",
        "billion",
        "billions",
        "trillion",
        "first",
        "second",
        "third",
        "fourth",
        "fifth",
        "sixth",
        "seventh",
        "eighth",
        "ninth",
        "tenth",
        "half",
        "dozen",
        "dozens",
        "once",
        "twice",
    ]
)

# lemma past past-participle, for the verbs of the dictionary (headwords and synonyms).
_IRREGULAR_TEXT = """
arise arose arisen; awake awoke awoken; bear bore borne; beat beat beaten; become became become;
begin began begun; bend bent bent; bet bet bet; bind bound bound; bite bit bitten; bleed bled bled;
blow blew blown; break broke broken; breed bred bred; bring brought brought; broadcast broadcast broadcast;
build built built; burn burned burned; burst burst burst; buy bought bought; cast cast cast;
catch caught caught; choose chose chosen; cling clung clung; come came come; cost cost cost;
creep crept crept; cut cut cut; deal dealt dealt; dig dug dug; do did done; draw drew drawn;
dream dreamed dreamed; drink drank drunk; drive drove driven; eat ate eaten; fall fell fallen;
feed fed fed; feel felt felt; fight fought fought; find found found; flee fled fled; fling flung flung;
fly flew flown; forbid forbade forbidden; forecast forecast forecast; foresee foresaw foreseen;
forget forgot forgotten; forgive forgave forgiven; forgo forwent forgone; forsake forsook forsaken;
freeze froze frozen; get got gotten; give gave given; go went gone; grind ground ground; grow grew grown;
hang hung hung; have had had; hear heard heard; hide hid hidden; hit hit hit; hold held held;
hurt hurt hurt; keep kept kept; kneel knelt knelt; know knew known; lay laid laid; lead led led;
leap leapt leapt; leave left left; lend lent lent; let let let; lie lay lain; light lit lit;
lose lost lost; make made made; mean meant meant; meet met met; mislead misled misled;
mistake mistook mistaken; outdo outdid outdone; overcome overcame overcome; overtake overtook overtaken;
overthrow overthrew overthrown; oversee oversaw overseen; pay paid paid; put put put; quit quit quit;
read read read; rebuild rebuilt rebuilt; redo redid redone; rethink rethought rethought; rid rid rid;
ride rode ridden; ring rang rung; rise rose risen; run ran run; say said said; see saw seen;
seek sought sought; sell sold sold; send sent sent; set set set; shake shook shaken; shed shed shed;
shine shone shone; shoot shot shot; show showed shown; shrink shrank shrunk; shut shut shut;
sing sang sung; sink sank sunk; sit sat sat; slay slew slain; sleep slept slept; slide slid slid;
speak spoke spoken; speed sped sped; spend spent spent; spin spun spun; split split split;
spread spread spread; spring sprang sprung; stand stood stood; steal stole stolen; stick stuck stuck;
sting stung stung; stride strode stridden; strike struck struck; strive strove striven;
swear swore sworn; sweep swept swept; swell swelled swollen; swim swam swum; swing swung swung;
take took taken; teach taught taught; tear tore torn; tell told told; think thought thought;
throw threw thrown; thrust thrust thrust; tread trod trodden; undergo underwent undergone;
understand understood understood; undertake undertook undertaken; undo undid undone; upset upset upset;
uphold upheld upheld; wake woke woken; wear wore worn; weave wove woven; wed wed wed; weep wept wept;
win won won; wind wound wound; withdraw withdrew withdrawn; withhold withheld withheld;
withstand withstood withstood; wring wrung wrung; write wrote written; be was been
"""
_IRREGULAR: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        p[0]: (p[1], p[2])
        for p in (e.split() for e in _IRREGULAR_TEXT.split(";"))
        if len(p) == 3
    }
)
_THIRD_PERSON = MappingProxyType(
    {"be": "is", "have": "has", "do": "does", "go": "goes"}
)
# Two-syllable verbs stressed on the last syllable double their final consonant.
_DOUBLING = frozenset(
    [
        "admit",
        "commit",
        "submit",
        "permit",
        "omit",
        "emit",
        "refer",
        "prefer",
        "occur",
        "recur",
        "incur",
        "deter",
        "confer",
        "transfer",
        "infer",
        "regret",
        "control",
        "patrol",
        "compel",
        "expel",
        "propel",
        "repel",
        "equip",
        "acquit",
        "rebut",
        "format",
        "kidnap",
        "outstrip",
        "abet",
        "embed",
        "allot",
        "rebel",
        "concur",
    ]
)
_VOWELS = frozenset("aeiou")

_TOKEN_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
# Glued to a URL, handle, hashtag or compound on this side: leave the token alone.
_GLUE_BEFORE = frozenset("@#/\\_=&%+-.")
_GLUE_AFTER = frozenset("@#/\\_=&%+-")

_SENTENCE_END = frozenset(".!?:")


# --------------------------------------------------------------------------
# Morphology


def _syllables(word: str) -> int:
    w = word.replace("qu", "qw")
    groups, prev = 0, False
    for k, ch in enumerate(w):
        v = ch in _VOWELS or (ch == "y" and k > 0)
        if v and not prev:
            groups += 1
        prev = v
    return groups


def _doubles(word: str) -> bool:
    if len(word) < 3 or word[-1] in "wxy" or word[-1] in _VOWELS:
        return False
    if word in _DOUBLING:
        return True
    w = word.replace("qu", "qw")
    return _syllables(word) == 1 and w[-2] in _VOWELS and w[-3] not in _VOWELS


def _verb_forms(word: str) -> tuple[str, str, str, str, str]:
    """(base, third person, past, past participle, -ing) of a one-word verb."""
    if word in _IRREGULAR:
        past, pp = _IRREGULAR[word]
    elif word.endswith("e"):
        past = pp = word + "d"
    elif len(word) > 1 and word.endswith("y") and word[-2] not in _VOWELS:
        past = pp = word[:-1] + "ied"
    elif word.endswith("c"):
        past = pp = word + "ked"
    elif _doubles(word):
        past = pp = word + word[-1] + "ed"
    else:
        past = pp = word + "ed"
    if word in _THIRD_PERSON:
        third = _THIRD_PERSON[word]
    elif word.endswith(("s", "x", "z", "ch", "sh", "o")):
        third = word + "es"
    elif len(word) > 1 and word.endswith("y") and word[-2] not in _VOWELS:
        third = word[:-1] + "ies"
    else:
        third = word + "s"
    if word.endswith("ie"):
        ing = word[:-2] + "ying"
    elif word.endswith(("ee", "ye", "oe")) or word == "be":
        ing = word + "ing"
    elif word.endswith("e"):
        ing = word[:-1] + "ing"
    elif word.endswith("c"):
        ing = word + "king"
    elif _doubles(word):
        ing = word + word[-1] + "ing"
    else:
        ing = word + "ing"
    return word, third, past, pp, ing


def _phrasal_forms(phrase: str) -> tuple[str, str, str, str, str]:
    head, _, rest = phrase.partition(" ")
    tail = " " + rest if rest else ""
    return tuple(f + tail for f in _verb_forms(head))  # type: ignore[return-value]


def _plural(word: str) -> str:
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word  # already plural ("relatives", "means", "news")
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    if len(word) > 1 and word.endswith("y") and word[-2] not in _VOWELS:
        return word[:-1] + "ies"
    return word + "s"


def _noun_forms(item: str) -> tuple[str, str]:
    """(singular, plural) of ``item`` (``word/plural`` or a phrase whose last word is inflected)."""
    if "/" in item:
        sing, plural = (x.strip() for x in item.split("/", 1))
        return sing, plural
    head, _, last = item.rpartition(" ")
    prefix = head + " " if head else ""
    return item, prefix + _plural(last)


# --------------------------------------------------------------------------
# The dictionary


def _norm(phrase: str) -> str:
    """Lower case, one space between tokens (hyphens count as spaces)."""
    return " ".join(_TOKEN_RE.findall(phrase.lower().replace("’", "'")))


@dataclass(frozen=True, slots=True)
class Thesaurus:
    """Surface form (lower-case, tokens joined by spaces) -> synonyms.

    ``n_lemmas`` counts the dictionary's lines (distinct ``pos headword``
    pairs); ``entries`` holds every inflected surface form.
    """

    entries: Mapping[str, tuple[str, ...]]
    n_lemmas: int = 0

    @classmethod
    def from_lines(cls, lines: Iterable[str]) -> Thesaurus:
        """Parse dictionary lines (``pos headword = synonym, synonym``; ``#`` comments).

        Raises:
            ValueError: on a line without ``=`` or an unknown part of speech.
        """
        table: dict[str, dict[str, None]] = {}
        lemmas: set[tuple[str, str]] = set()

        def put(head: str, syn: str) -> None:
            key = _norm(head)
            if (
                not key
                or not syn.strip()
                or _norm(syn) == key
                or any(c.isdigit() for c in syn)
            ):
                return
            if all(w in STOP_WORDS or w in NUMBER_WORDS for w in key.split(" ")):
                return  # stop words stay, alone or in a phrase of them ("as well as")
            table.setdefault(key, {})[syn.strip()] = None

        for n, raw in enumerate(lines, 1):
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            left, eq, right = line.partition("=")
            pos, _, head = left.strip().partition(" ")
            head = head.strip()
            if not eq or not head:
                raise ValueError(
                    f"thesaurus line {n}: expected 'pos headword = synonym, ...', got {raw!r}"
                )
            syns = [s.strip() for s in right.split(",") if s.strip()]
            lemmas.add((pos, head))
            if pos == "v":
                hf = _phrasal_forms(head)
                sf = [_phrasal_forms(s) for s in syns]
                for slot in (0, 1, 4):
                    for f in sf:
                        put(hf[slot], f[slot])
                if hf[2] == hf[3]:
                    # "said" is past and participle: prefer synonyms whose two agree.
                    same = [f for f in sf if f[2] == f[3]] or sf
                    for f in same:
                        put(hf[2], f[2])
                else:
                    for f in sf:
                        put(hf[2], f[2])
                        put(hf[3], f[3])
            elif pos == "n":
                hs, hp = _noun_forms(head)
                for s in syns:
                    ss, sp = _noun_forms(s)
                    put(hs, ss)
                    put(hp, sp)
            elif pos in ("u", "a", "r", "p"):
                for s in syns:
                    put(head, s)
            else:
                raise ValueError(
                    f"thesaurus line {n}: part of speech must be v, n, u, a, r or p, got {pos!r}"
                )
        entries = {k: tuple(v) for k, v in table.items() if v}
        return cls(MappingProxyType(entries), len(lemmas))

    @classmethod
    def load(cls, path: str | Path = DEFAULT_THESAURUS) -> Thesaurus:
        with open(path, encoding="utf-8") as fh:
            return cls.from_lines(fh)

    def synonyms(self, phrase: str) -> tuple[str, ...]:
        return self.entries.get(_norm(phrase), ())

    def pairs(self) -> frozenset[tuple[str, str]]:
        """Every (surface form, synonym) pair, both normalised."""
        return frozenset(
            (k, _norm(s)) for k, syns in self.entries.items() for s in syns
        )

    def without(self, drop: Iterable[tuple[str, str]]) -> Thesaurus:
        """A copy without the given (surface form, normalised synonym) pairs."""
        gone = set(drop)
        entries: dict[str, tuple[str, ...]] = {}
        for k, syns in self.entries.items():
            keep = tuple(s for s in syns if (k, _norm(s)) not in gone)
            if keep:
                entries[k] = keep
        return Thesaurus(MappingProxyType(entries), self.n_lemmas)

    @property
    def n_pairs(self) -> int:
        return sum(len(v) for v in self.entries.values())

    @property
    def max_words(self) -> int:
        return max((k.count(" ") + 1 for k in self.entries), default=1)


# --------------------------------------------------------------------------
# The spinner


@dataclass(frozen=True, slots=True)
class SpinResult:
    """A spun text and what was done to it.

    Attributes:
        text: The spun text.
        n_tokens: Word tokens of the input (runs of letters or digits).
        n_eligible: Words a spinner may touch: not stop words, numbers,
            names, acronyms or glued to a URL (the denominator of ``rate``).
        n_substitutable: Eligible words the dictionary covers.
        n_substituted: Eligible words replaced.
        n_replaced_tokens: All word tokens replaced (stop words inside a
            replaced phrase, such as "in" of "in addition", included).
        target: ``round(rate asked * n_eligible)``.
        substitutions: ``(start, end, old, new)`` per replaced unit, in the input's offsets.
    """

    text: str
    n_tokens: int
    n_eligible: int
    n_substitutable: int
    n_substituted: int
    n_replaced_tokens: int
    target: int
    substitutions: tuple[tuple[int, int, str, str], ...] = field(default=())

    @property
    def rate(self) -> float:
        """Share of the eligible words replaced (0.0 for a text without any)."""
        return self.n_substituted / self.n_eligible if self.n_eligible else 0.0

    @property
    def rate_all_words(self) -> float:
        """Share of all word tokens replaced."""
        return self.n_replaced_tokens / self.n_tokens if self.n_tokens else 0.0


def _is_title(tok: str) -> bool:
    return tok[:1].isupper() and (
        len(tok) == 1 or tok[1:].islower() or tok[1:] in ("'s", "’s")
    )


class Spinner:
    """Substitutes synonyms from a :class:`Thesaurus` (see the module docstring)."""

    __slots__ = ("_first", "thesaurus")

    def __init__(self, thesaurus: Thesaurus | None = None) -> None:
        self.thesaurus = thesaurus if thesaurus is not None else Thesaurus.load()
        first: dict[str, int] = {}
        for k in self.thesaurus.entries:
            parts = k.split(" ")
            first[parts[0]] = max(first.get(parts[0], 0), len(parts))
        self._first = first

    def spin(self, text: str, rate: float, seed: int | str = 0) -> SpinResult:
        """Spin ``text``, replacing about ``rate`` of its eligible words.

        Deterministic for a given ``(text, rate, seed)``; never raises on a
        ``str``.
        """
        if not isinstance(text, str):
            raise TypeError(f"text must be a str, got {type(text).__name__}")
        rate = min(1.0, max(0.0, float(rate)))
        toks = _Tokens(text)
        n = len(toks.words)
        eligible = [
            toks.ok[i]
            and toks.plain[i] not in STOP_WORDS
            and toks.plain[i] not in NUMBER_WORDS
            and toks.edge_ok(i, 1)
            for i in range(n)
        ]
        n_eligible = sum(eligible)
        target = round(rate * n_eligible)
        units = self._units(toks)
        weight = [max(1, sum(eligible[i : i + w])) for i, w, _, _ in units]
        rng = random.Random(seed)
        order = list(range(len(units)))
        rng.shuffle(order)
        chosen: list[int] = []
        covered = 0
        for k in order:
            if covered >= target:
                break
            if covered + weight[k] <= target:
                chosen.append(k)
                covered += weight[k]
        chosen.sort()
        out: list[str] = []
        subs: list[tuple[int, int, str, str]] = []
        last = 0
        for k in chosen:
            i, width, key, suffix = units[k]
            start, end = toks.starts[i], toks.ends[i + width - 1] - len(suffix)
            new = rng.choice(self.thesaurus.entries[key])
            if _is_title(toks.words[i]):
                new = new[:1].upper() + new[1:]
            out.append(text[last:start])
            out.append(new)
            subs.append((start, end, text[start:end], new))
            last = end
        out.append(text[last:])
        return SpinResult(
            text="".join(out),
            n_tokens=n,
            n_eligible=n_eligible,
            n_substitutable=sum(weight),
            n_substituted=covered,
            n_replaced_tokens=sum(units[k][1] for k in chosen),
            target=target,
            substitutions=tuple(subs),
        )

    def _units(self, toks: _Tokens) -> list[tuple[int, int, str, str]]:
        """Non-overlapping substitutable units: (first token, n tokens, key, possessive suffix)."""
        units: list[tuple[int, int, str, str]] = []
        entries = self.thesaurus.entries
        n = len(toks.words)
        i = 0
        while i < n:
            width = self._first.get(toks.lower[i], 0) or self._first.get(
                toks.plain[i], 0
            )
            found = None
            if width and toks.ok[i]:
                for w in range(min(width, n - i), 0, -1):
                    if not toks.phrase_ok(i, w):
                        continue
                    words = toks.lower[i : i + w]
                    suffix = ""
                    key = " ".join(words)
                    if key not in entries and words[-1].endswith("'s"):
                        key = " ".join([*words[:-1], words[-1][:-2]])
                        suffix = toks.words[i + w - 1][-2:]
                    if key not in entries:
                        continue
                    if not toks.edge_ok(i, w):
                        continue
                    found = (i, w, key, suffix)
                    break
            if found:
                units.append(found)
                i += found[1]
            else:
                i += 1
        return units


_GAP_SENTENCE = re.compile(r"[\s\"'“‘(\[«.!?:”’)\]]*")


class _Tokens:
    """The word tokens of a text, with what the spinner needs to know about each."""

    __slots__ = ("ends", "lower", "ok", "plain", "starts", "text", "words")

    def __init__(self, text: str) -> None:
        self.text = text
        matches = list(_TOKEN_RE.finditer(text))
        self.words = [m.group() for m in matches]
        self.starts = [m.start() for m in matches]
        self.ends = [m.end() for m in matches]
        self.lower = [w.lower().replace("’", "'") for w in self.words]
        self.plain = [w.removesuffix("'s") for w in self.lower]
        self.ok = [self._context_ok(i) for i in range(len(self.words))]

    def _context_ok(self, i: int) -> bool:
        """Token ``i`` may start a unit: lower case, or a capitalised sentence start that is no name."""
        tok = self.words[i]
        if not self.plain[i].replace("'", "").isalpha():
            return False  # digits
        if tok.islower():
            return True
        if not _is_title(tok):
            return False  # ALL CAPS, mixed case
        # Sentence start: only white space, quotes and sentence ends since the
        # previous token, with a line break or a sentence end among them.
        if i:
            gap = self.text[self.ends[i - 1] : self.starts[i]]
            if not _GAP_SENTENCE.fullmatch(gap):
                return False
            if "\n" not in gap and not any(c in _SENTENCE_END for c in gap):
                return False
        # Followed by another capitalised word: a name ("Bill Clinton", "Hope Hicks").
        return not (i + 1 < len(self.words) and self.words[i + 1][:1].isupper())

    def phrase_ok(self, i: int, w: int) -> bool:
        """Tokens ``i .. i+w-1`` are one space or hyphen apart and all but the first lower case."""
        text = self.text
        for j in range(i, i + w - 1):
            if (
                text[self.ends[j] : self.starts[j + 1]] not in (" ", "-")
                or not self.words[j + 1].islower()
            ):
                return False
        return True

    def edge_ok(self, i: int, w: int) -> bool:
        """Tokens ``i .. i+w-1`` are not glued to a URL, handle, hashtag or compound."""
        text = self.text
        start, end = self.starts[i], self.ends[i + w - 1]
        if start > 0 and text[start - 1] in _GLUE_BEFORE:
            return False
        if end < len(text):
            nxt = text[end]
            if nxt in _GLUE_AFTER:
                return False
            if nxt == "." and end + 1 < len(text) and text[end + 1].isalnum():
                return False
        return True
