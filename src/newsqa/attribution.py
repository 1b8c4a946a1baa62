"""Attribution in the text: which outlet a page says its story comes from.

A copy often says whose story it is: ``Source: Reuters``, ``Originally
published by Politico``, ``This article first appeared on The Conversation``,
``Read the full story at apnews.com``, or a wire dateline
``WASHINGTON (Reuters) -``. :func:`attributions` finds these statements in
English, German, French, Spanish, Italian, Portuguese and Dutch and returns
the outlet each one names, with its character span in the text.

Outlet names are matched to sources and URL hosts by normalisation only
(:func:`outlet_keys`, :func:`host_keys`, :func:`names_match`): ``Politico``
matches ``politico.com``, ``The New York Times`` matches ``nytimes.com``
(initials of all words but the last, then the last), ``Eagle Rising``
matches ``eaglerising.com``. Names that normalisation cannot pair
(``The Associated Press`` and ``apnews.com``) match only through
``aliases``: pairs the corpus itself shows, such as an article whose source
is ``The Associated Press`` and whose URL is on ``apnews.com``
(:func:`corpus_aliases`). No list of outlets is shipped or downloaded.

Everything here is a pure function of its arguments.

>>> [(a.kind, a.outlet) for a in attributions("Kim met Putin.\\nSource: Ambito")]
[('source', 'Ambito')]
>>> names_match("The Associated Press", "apnews.com")
False
>>> aliases = corpus_aliases([("The Associated Press", "https://apnews.com/x")])
>>> names_match("The Associated Press", "apnews.com", aliases=aliases)
True
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

__all__ = [
    "Attribution",
    "attributions",
    "corpus_aliases",
    "host_keys",
    "name_keys",
    "names_match",
    "outlet_keys",
]

#: Kinds of attribution, strongest first. ``source`` (a "Source:" line),
#: ``republished`` ("originally published by", "first appeared on"),
#: ``full_story`` ("read the full story at") say the page is a copy of the
#: named outlet's story; ``dateline`` (``(Reuters) -``) says the story is
#: the named agency's, which may be the page's own source.
KINDS = ("source", "republished", "full_story", "dateline")

# Only attribution lines up to this many characters are read (a "Source:"
# line in the wild is an outlet name, at most a short phrase).
MAX_LINE = 200
# An outlet name runs to at most this many characters.
MAX_OUTLET = 80
# Datelines are looked for at the start of the text (a headline and a
# byline may come first).
DATELINE_WINDOW = 600

# An outlet is a name of up to MAX_OUTLET characters, or a URL of any
# length up to the line's.
_OUTLET = r"(?P<outlet>(?:https?://|www\.)\S{1,%d}|[^\n]{1,%d}?)" % (MAX_LINE, MAX_OUTLET)
_END = r"\s*[.:;!]?\s*$"

# "Source: X" and its translations (a line of its own).
_SOURCE_WORDS = (
    "source|sources|via|credit|courtesy of|"  # en
    "quelle|quellen|"  # de
    "fuente|fuentes|"  # es
    "fonte|fontes|"  # it, pt
    "bron|bronnen"  # nl
)
_SOURCE = re.compile(rf"^\s*(?:{_SOURCE_WORDS})\s*[:\-–—]\s*{_OUTLET}{_END}", re.IGNORECASE)
# "Source X" without punctuation is too common in prose; the French
# "Source : X" has a space before the colon, covered by \s* above.

# "Originally published by / first appeared on X" (anywhere in a short line).
_REPUBLISHED_PHRASES = (
    # en
    r"(?:this (?:article|story|post|piece) )?(?:was )?(?:originally|first) (?:published|appeared|posted|ran)"
    r"(?: (?:by|on|at|in))?",
    r"republished (?:with permission )?(?:from|by)",
    r"reprinted (?:with permission )?(?:from|by)",
    # de
    r"(?:dieser (?:artikel|beitrag) )?(?:erschien|ist) (?:zuerst|ursprünglich|erstmals)(?: erschienen)?(?: (?:bei|auf|in|im))?",
    r"(?:zuerst|ursprünglich|erstmals) (?:erschienen|veröffentlicht)(?: (?:bei|auf|in|im|von))?",
    # fr
    r"(?:cet article a (?:été|d'abord été) )?(?:initialement|originellement|d'abord) (?:publié|paru)(?:e)?(?: (?:par|sur|dans))?",
    r"publié(?:e)? (?:initialement|originellement|à l'origine|d'abord)(?: (?:par|sur|dans))?",
    r"(?:cet article )?est (?:initialement |d'abord )?paru (?:sur|dans)",
    # es
    r"(?:este artículo )?(?:fue |se )?(?:publicado|publicó) (?:originalmente|primero|inicialmente)(?: (?:por|en))?",
    r"(?:originalmente|inicialmente) publicado(?: (?:por|en))?",
    # it
    r"(?:questo articolo è )?(?:pubblicato|apparso) (?:originariamente|originalmente|per la prima volta|inizialmente)"
    r"(?: (?:da|su|in))?",
    r"(?:originariamente|originalmente) pubblicato(?: (?:da|su|in))?",
    # pt
    r"(?:este (?:artigo|texto) )?(?:foi )?publicado (?:originalmente|primeiro|inicialmente)(?: (?:por|em|no|na|pelo|pela))?",
    r"(?:originalmente|inicialmente) publicado(?: (?:por|em|no|na|pelo|pela))?",
    # nl
    r"(?:dit artikel )?(?:verscheen|is) (?:eerder|oorspronkelijk|eerst)(?: verschenen| gepubliceerd)?(?: (?:op|bij|in|door))?",
    r"oorspronkelijk gepubliceerd(?: (?:door|op|bij|in))?",
)


def _phrase_then_outlet(phrases: tuple[str, ...]) -> re.Pattern[str]:
    """One of ``phrases`` (at a line start or after a space or bracket), an
    optional colon or dash, then the outlet to the line's end."""
    return re.compile(r"(?:^|[\s(\[])(?:" + "|".join(phrases) + r")\s*[:\-–—]?\s+" + _OUTLET + _END, re.IGNORECASE)


_REPUBLISHED = _phrase_then_outlet(_REPUBLISHED_PHRASES)

# "Read the full story at X" and its translations.
_FULL_STORY_PHRASES = (
    # en
    r"read (?:the )?(?:full|whole|complete|original|rest of the) (?:story|article|report|piece|post)(?: (?:at|on|in))?",
    r"read (?:the )?(?:full|whole|complete|original) (?:story|article)(?: here)? (?:at|on)",
    r"continue reading (?:at|on)",
    r"(?:the )?full (?:story|article) (?:at|on)",
    # de
    r"(?:den |lesen sie den )?(?:vollständigen|ganzen|kompletten) (?:artikel|beitrag|bericht) (?:lesen sie )?(?:auf|bei|im|in)",
    r"weiterlesen (?:auf|bei|im)",
    # fr
    r"lire (?:l'article|la suite|l'intégralité de l'article|l'article complet|l'article original) (?:sur|dans)",
    r"(?:retrouvez|lisez) (?:l'article|la suite)(?: complet| complète)? (?:sur|dans)",
    # es
    r"(?:lee|lea|leer) (?:la (?:nota|noticia|historia) completa|el artículo completo|el artículo original|más) en",
    r"(?:sigue|seguir) leyendo en",
    # it
    r"(?:leggi|continua a leggere) (?:l'articolo(?: completo| originale)?|la notizia completa)? ?(?:su|in)",
    # pt
    r"(?:leia|ler) (?:a (?:matéria|reportagem|notícia) (?:completa|original)|o artigo (?:completo|original)|mais) (?:em|no|na)",
    r"continue lendo (?:em|no|na)",
    # nl
    r"lees (?:het (?:volledige|hele|complete|originele) (?:artikel|verhaal)|verder) (?:op|bij)",
)
_FULL_STORY = _phrase_then_outlet(_FULL_STORY_PHRASES)

# "PLACE (Agency) -": an upper-case place (optional), an outlet in
# parentheses, then a dash. The outlet must start with a capital.
_DATELINE = re.compile(
    r"(?:^|\n)\s*(?:[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ.'’\- ]{1,40}(?:,\s*[A-Za-zÀ-ÿ. ]{1,30})?\s*)?"
    r"\((?P<outlet>[A-Z][A-Za-z&.'’\- ]{0,38}[A-Za-z.])\)\s*[-–—]"
)

_WS = re.compile(r"\s+")
_KEEP = re.compile(r"[^0-9a-z]+")
# Leading articles dropped from outlet names (one key keeps them).
_ARTICLES = ("the ", "die ", "der ", "das ", "le ", "la ", "les ", "l'", "el ", "los ", "il ", "lo ", "o ", "a ", "de ", "het ")
# Host labels that never name an outlet: www, mobile and AMP prefixes, and
# the generic second-level labels of country domains (co.uk, com.br).
_HOST_NOISE = frozenset({"www", "m", "mobile", "amp", "edition", "news", "co", "com", "org", "net", "gov", "ac", "edu"})


@dataclass(frozen=True, slots=True)
class Attribution:
    """One attribution statement.

    Attributes:
        kind: One of :data:`KINDS`.
        outlet: The outlet as written (a name, a host or a URL).
        start: Start of the statement in the text.
        end: End of the statement in the text.
    """

    kind: str
    outlet: str
    start: int
    end: int

    @property
    def declares_copy(self) -> bool:
        """True when the statement says the page is a copy (not a dateline)."""
        return self.kind != "dateline"


def attributions(text: str) -> tuple[Attribution, ...]:
    """Attribution statements in ``text``, in order of position.

    Lines longer than :data:`MAX_LINE` characters are prose and are not
    read as attribution lines; datelines are looked for in the first
    :data:`DATELINE_WINDOW` characters.

    Examples:
        >>> [(a.kind, a.outlet) for a in attributions("Story.\\nOriginally published by Politico.")]
        [('republished', 'Politico')]
        >>> [(a.kind, a.outlet) for a in attributions("Story.\\nRead the full story at www.apnews.com")]
        [('full_story', 'www.apnews.com')]
        >>> long = "https://www.politico.com/story/2016/09/" + "x" * 120
        >>> [a.outlet == long for a in attributions("Story.\\nRead the full story at " + long)]
        [True]
        >>> [(a.kind, a.outlet) for a in attributions("SEOUL (Reuters) - North Korea said...")]
        [('dateline', 'Reuters')]
        >>> [(a.kind, a.outlet) for a in attributions("Texte.\\nCet article a été initialement publié sur Le Monde.")]
        [('republished', 'Le Monde')]
        >>> [(a.kind, a.outlet) for a in attributions("Quelle: Spiegel Online")]
        [('source', 'Spiegel Online')]
        >>> [(a.kind, a.outlet) for a in attributions("Lees het volledige artikel op nos.nl")]
        [('full_story', 'nos.nl')]
        >>> attributions("")
        ()
        >>> attributions("The source of the leak said on Monday that talks had stalled.")
        ()
    """
    out: list[Attribution] = []
    if not text or not text.strip():
        return ()
    pos = 0
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        if not line.strip() or len(line) > MAX_LINE:
            continue
        for kind, pat in (("source", _SOURCE), ("republished", _REPUBLISHED), ("full_story", _FULL_STORY)):
            m = pat.search(line)
            if m is None:
                continue
            outlet = _clean_outlet(m.group("outlet"))
            if outlet:
                out.append(Attribution(kind, outlet, start, end))
                break
    for m in _DATELINE.finditer(text[:DATELINE_WINDOW]):
        outlet = _clean_outlet(m.group("outlet"))
        if outlet:
            s = m.start() + (1 if text[m.start()] == "\n" else 0)
            out.append(Attribution("dateline", outlet, s, m.end()))
            break
    out.sort(key=lambda a: (a.start, KINDS.index(a.kind)))
    return tuple(out)


def _clean_outlet(value: str) -> str:
    value = _WS.sub(" ", value).strip(" \t.,;:!-–—\"'“”‘’()[]<>")
    if value.lower() in ("", "here", "hier", "ici", "aquí", "qui", "aqui"):
        return ""
    return value


def _fold(value: str) -> str:
    value = unicodedata.normalize("NFKD", value.casefold())
    return "".join(ch for ch in value if not unicodedata.combining(ch))


def outlet_keys(name: str) -> frozenset[str]:
    """Normalised keys of an outlet name, a host or a URL.

    A host or URL gives :func:`host_keys`; a name gives its letters and
    digits with and without a leading article, and for names of three or
    more words the initials of all words but the last followed by the last
    (``The New York Times`` -> ``nytimes``).

    >>> sorted(outlet_keys("The New York Times"))
    ['newyorktimes', 'nytimes', 'thenewyorktimes']
    >>> sorted(outlet_keys("https://www.politico.com/story/1"))
    ['politico']
    >>> outlet_keys("")
    frozenset()
    """
    name = name.strip()
    if not name:
        return frozenset()
    if "://" in name or re.fullmatch(r"[\w.-]+\.[a-z]{2,}(?:/\S*)?", name.casefold()):
        return host_keys(name)
    folded = _fold(name)
    keys = {_KEEP.sub("", folded)}
    bare = folded
    for art in _ARTICLES:
        if bare.startswith(art):
            bare = bare[len(art) :]
            break
    keys.add(_KEEP.sub("", bare))
    words = [w for w in re.split(r"[^0-9a-z]+", bare) if w]
    if len(words) >= 3:
        keys.add("".join(w[0] for w in words[:-1]) + words[-1])
    return frozenset(k for k in keys if len(k) >= 2)


def host_keys(url_or_host: str) -> frozenset[str]:
    """Keys of a URL's or host's name: its labels but the top-level one and noise.

    >>> sorted(host_keys("abcnews.go.com"))
    ['abcnews', 'abcnewsgo']
    >>> sorted(host_keys("http://www.bbc.co.uk/news"))
    ['bbc']
    >>> host_keys("not a host")
    frozenset()
    """
    value = url_or_host.strip().casefold()
    if not value:
        return frozenset()
    host = urlsplit(value).hostname if "://" in value else value.split("/", 1)[0]
    if not host or " " in host or "." not in host:
        return frozenset()
    labels = [_fold(x) for x in host.split(".")[:-1] if x]
    labels = [x for x in labels if x not in _HOST_NOISE]
    if not labels:
        return frozenset()
    keys = {_KEEP.sub("", x) for x in labels if len(x) >= 3 and not x.isdigit()}
    if len(labels) > 1:
        keys.add(_KEEP.sub("", "".join(labels)))
    return frozenset(k for k in keys if len(k) >= 2)


def corpus_aliases(pairs: Iterable[tuple[str | None, str | None]]) -> Mapping[str, frozenset[str]]:
    """Aliases the corpus shows: each (source, url) pair joins their keys.

    Returns a mapping from each key to all keys it is joined with
    (itself included).

    >>> al = corpus_aliases([("The Associated Press", "https://apnews.com/article/1")])
    >>> sorted(al["apnews"])
    ['apnews', 'associatedpress', 'theassociatedpress']
    """
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for source, url in pairs:
        if not source or not url:
            continue
        keys = sorted(outlet_keys(source) | host_keys(url))
        for k in keys[1:]:
            ra, rb = find(keys[0]), find(k)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    groups: dict[str, set[str]] = {}
    for k in list(parent):
        groups.setdefault(find(k), set()).add(k)
    return {k: frozenset(groups[find(k)]) for k in parent}


def _expand(keys: frozenset[str], aliases: Mapping[str, frozenset[str]] | None) -> frozenset[str]:
    if not aliases:
        return keys
    out = set(keys)
    for k in keys:
        out |= aliases.get(k, frozenset())
    return frozenset(out)


def name_keys(name: str | None, aliases: Mapping[str, frozenset[str]] | None = None) -> frozenset[str]:
    """All keys ``name`` (an outlet, a source or a URL) matches through, aliases included.

    Two names match when their keys intersect (:func:`names_match`).

    >>> sorted(name_keys("Politico"))
    ['politico']
    """
    if not name:
        return frozenset()
    return _expand(outlet_keys(name), aliases)


def names_match(
    outlet: str, *names: str | None, aliases: Mapping[str, frozenset[str]] | None = None
) -> bool:
    """Whether ``outlet`` names the same publisher as any of ``names``.

    ``names`` are sources or URLs; ``aliases`` (from :func:`corpus_aliases`)
    adds the pairs the corpus shows.

    >>> names_match("Politico", "politico.com")
    True
    >>> names_match("Eagle Rising", "http://eaglerising.com/1234/story/")
    True
    >>> names_match("Reuters", "politico.com")
    False
    """
    mine = _expand(outlet_keys(outlet), aliases)
    if not mine:
        return False
    for n in names:
        if n and mine & _expand(outlet_keys(n), aliases):
            return True
    return False
