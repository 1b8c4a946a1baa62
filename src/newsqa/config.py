"""One way to configure newsqa: a :class:`Config` of frozen sections.

Every entry point takes ``config=None, **overrides``; an override names a
field of any section (``threshold=0.9``) and is validated like the rest.

>>> cfg = Config().replace(threshold=0.9, num_perm=64)
>>> cfg.dedup.threshold, cfg.dedup.num_perm
(0.9, 64)
>>> Config().replace(treshold=0.9)
Traceback (most recent call last):
...
newsqa.errors.ConfigError: unknown option 'treshold'; did you mean 'threshold'? Known options: ...
"""

from __future__ import annotations

import difflib
import os
import sys
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any, Literal

from .errors import ConfigError
from .signals.registry import SIGNAL_NAMES

# Default Jaccard threshold for near duplicates. 0.8 on word 5-grams is the
# threshold of the near-duplicate literature for web text (Broder 1997; the
# C4/Gopher/FineWeb dedup stages use 0.7-0.8) and the accuracy target.
DEFAULT_THRESHOLD = 0.8
# 128 permutations: datasketch's default; the standard error of a Jaccard
# estimate is sqrt(J(1-J)/128) = 0.035 at J = 0.8.
DEFAULT_NUM_PERM = 128
# Word 5-grams: the shingle size of the benchmarks, and the one
# Gopher/FineWeb use for news-length documents.
DEFAULT_NGRAM = 5
# An aggregator page embedding a whole article among up to 60% unrelated
# text still holds >= 0.8 of the article's shingles once edge shingles are
# lost; distinct articles on one story share < 0.3 of their 5-grams
# (measured on buzzfeed-webis-2016, see docs/benchmarks.md).
DEFAULT_CONTAINMENT_THRESHOLD = 0.8
# Below this many shingles an article is too short to be called "contained"
# in another: 3-sentence snippets and one-line teasers are contained in many
# unrelated pages that quote them. 50 shingles is about two paragraphs.
DEFAULT_MIN_CONTAINMENT_SHINGLES = 50


@dataclass(frozen=True, slots=True)
class DedupConfig:
    """Near-duplicate detection.

    Attributes:
        threshold: Jaccard similarity of word n-gram sets at or above which
            two articles are near duplicates, in (0, 1].
        num_perm: MinHash permutations (signature length), 16..4096, a
            multiple of 8.
        ngram: Shingle length in tokens (words; single characters for
            scripts written without spaces), 1..32.
        seed: Seed of the permutations; signatures with different seeds are
            not comparable.
        bands, rows: LSH banding; ``None`` chooses them for ``threshold`` by
            minimising weighted false positive and false negative probability.
        verify: ``"exact"`` recomputes the exact shingle Jaccard of every
            candidate pair (needs the texts); ``"signature"`` trusts the
            MinHash estimate.
        containment: Also link articles embedded in longer pages.
        spin_links: Also link spun copies through their spinner-invariant
            skeletons (function words, numbers and names in order; see
            :mod:`newsqa.skeleton`), whatever words the spinner replaced.
        containment_threshold: Share of the shorter article's shingles that
            must appear in the longer one.
        min_containment_shingles: Shortest article (in shingles) that may be
            linked by containment.
        hash: ``"fast"`` (newsqa's compiled shingle hash) or ``"sha1"``
            (datasketch's default ``sha1_hash32``, bit-for-bit, much slower).
    """

    threshold: float = DEFAULT_THRESHOLD
    num_perm: int = DEFAULT_NUM_PERM
    ngram: int = DEFAULT_NGRAM
    seed: int = 1
    bands: int | None = None
    rows: int | None = None
    verify: Literal["exact", "signature"] = "exact"
    containment: bool = True
    spin_links: bool = True
    containment_threshold: float = DEFAULT_CONTAINMENT_THRESHOLD
    min_containment_shingles: int = DEFAULT_MIN_CONTAINMENT_SHINGLES
    hash: Literal["fast", "sha1"] = "fast"

    def __post_init__(self) -> None:
        _check_unit("threshold", self.threshold)
        _check_unit("containment_threshold", self.containment_threshold)
        _check_int("num_perm", self.num_perm, 16, 4096)
        if self.num_perm % 8:
            raise ConfigError(f"num_perm must be a multiple of 8, got {self.num_perm}")
        _check_int("ngram", self.ngram, 1, 32)
        _check_int("seed", self.seed, 0, 2**32 - 1)
        _check_int("min_containment_shingles", self.min_containment_shingles, 1, 10**9)
        if (self.bands is None) != (self.rows is None):
            raise ConfigError("give both bands and rows, or neither (newsqa then chooses them)")
        if self.bands is not None:
            _check_int("bands", self.bands, 1, self.num_perm)
            _check_int("rows", self.rows, 1, self.num_perm)
            if self.bands * self.rows > self.num_perm:  # type: ignore[operator]
                raise ConfigError(
                    f"bands * rows must be at most num_perm, got {self.bands} * {self.rows} > {self.num_perm}"
                )
        if self.verify not in ("exact", "signature"):
            raise ConfigError(f"verify must be 'exact' or 'signature', got {self.verify!r}")
        if self.hash not in ("fast", "sha1"):
            raise ConfigError(f"hash must be 'fast' or 'sha1', got {self.hash!r}")
        if not isinstance(self.containment, bool):
            raise ConfigError(f"containment must be True or False, got {self.containment!r}")


# Every signal the registry found (newsqa.signals: one module each), in run order.
ALL_SIGNALS: tuple[str, ...] = SIGNAL_NAMES


@dataclass(frozen=True, slots=True)
class SignalsConfig:
    """Article signals.

    Attributes:
        signals: Names of the signals to compute (default: every signal
            of :mod:`newsqa.signals`: ``spam_links``, ``boilerplate``,
            ``engagement``, ``language``, ``mojibake``, ``readability``,
            ``spun``, ``practice``); an empty tuple computes none.
        templates: Learn per-source template lines (boilerplate that recurs
            across a source's stories).
    """

    signals: tuple[str, ...] = ALL_SIGNALS
    templates: bool = True

    def __post_init__(self) -> None:
        if isinstance(self.signals, str):
            object.__setattr__(self, "signals", tuple(x.strip() for x in self.signals.split(",") if x.strip()))
        if not isinstance(self.signals, (tuple, list)):
            raise ConfigError(f"signals must be a tuple of names, got {self.signals!r}")
        object.__setattr__(self, "signals", tuple(self.signals))
        unknown = [x for x in self.signals if x not in ALL_SIGNALS]
        if unknown:
            raise ConfigError(f"unknown signal(s) {', '.join(map(repr, unknown))}; known: {', '.join(ALL_SIGNALS)}")
        if not isinstance(self.templates, bool):
            raise ConfigError(f"templates must be True or False, got {self.templates!r}")


ENGINES = ("local", "ray")
# Articles per chunk of a streamed run: 10,000 500-word articles are about
# 30 MB of text, a few hundred MB with their shingle sets in verification,
# far below the 4 GB bound of a million-article run (docs/benchmarks.md,
# "Scale"), while per-chunk overhead stays under 1% of the work.
DEFAULT_CHUNK_SIZE = 10_000


@dataclass(frozen=True, slots=True)
class RunConfig:
    """How to run.

    Attributes:
        n_jobs: Worker threads for signatures and worker processes for
            the article signals (chunks of 200 articles or more); ``-1``
            (the default) means one per core, ``1`` keeps everything in
            this process. Results do not depend on it.
        progress: Show a progress bar on stderr for runs longer than
            two seconds: ``True``, ``False``, or ``None`` (the default) for
            "when stderr is a terminal", so that notebooks and shells see
            progress while tests, pipes and logs stay quiet.
        engine: ``"local"`` (this process) or ``"ray"`` (Ray Data; needs
            ``pip install 'newsqa[ray]'``). Both give the same report.
        ray_address: Address of a running Ray cluster (``ray://host:10001``
            or ``auto``); ``None`` starts a local Ray instance. Only with
            ``engine="ray"``.
        chunk_size: Articles per chunk: bounds the texts held in memory
            at once (the rest wait in a spill file on disk).
        strict: Stop at the first input record that cannot be used (an
            :class:`~newsqa.InputError`) instead of reporting it with
            status ``error`` and going on.
    """

    n_jobs: int = -1
    progress: bool | None = None
    engine: Literal["local", "ray"] = "local"
    ray_address: str | None = None
    chunk_size: int = DEFAULT_CHUNK_SIZE
    strict: bool = False

    def __post_init__(self) -> None:
        if not isinstance(self.n_jobs, int) or isinstance(self.n_jobs, bool) or (self.n_jobs < 1 and self.n_jobs != -1):
            raise ConfigError(f"n_jobs must be a positive int or -1 (all cores), got {self.n_jobs!r}")
        if self.engine not in ENGINES:
            raise ConfigError(f"engine must be one of {', '.join(map(repr, ENGINES))}, got {self.engine!r}")
        if self.ray_address is not None:
            if not isinstance(self.ray_address, str) or not self.ray_address.strip():
                raise ConfigError(f"ray_address must be a non-empty str or None, got {self.ray_address!r}")
            if self.engine != "ray":
                raise ConfigError("ray_address is only used with engine='ray'; add engine='ray' or drop ray_address")
        _check_int("chunk_size", self.chunk_size, 1, 10**9)
        if self.progress is not None and not isinstance(self.progress, bool):
            raise ConfigError(f"progress must be True, False or None (when stderr is a terminal), got {self.progress!r}")
        if not isinstance(self.strict, bool):
            raise ConfigError(f"strict must be True or False, got {self.strict!r}")

    @property
    def shows_progress(self) -> bool:
        """Whether this run shows a progress bar (``progress``, or stderr being a terminal)."""
        if self.progress is not None:
            return self.progress
        try:
            return sys.stderr.isatty()
        except (AttributeError, ValueError):  # replaced or closed stderr
            return False

    @property
    def workers(self) -> int:
        return os.cpu_count() or 1 if self.n_jobs == -1 else self.n_jobs


# The relations of a cluster member that are not copies: "original" (the
# representative) and "update" (a source republishing its own story with
# changes). Any other relation, including ones a later newsqa adds, counts
# as a copy, so the keep policy errs on the side of dropping duplicates.
DEFAULT_NOT_COPIES = ("original", "update")
# "Mostly boilerplate or spam": more than half of the text's characters
# flagged. Seed 003 (a link farm) carries a 10% boilerplate share and
# clean agency copy stays under 7% (docs/signals.md), so 0.5 leaves a
# wide margin for legitimate pages.
DEFAULT_MAX_FLAGGED_SHARE = 0.5
# strict: drop an article once a fifth of it is boilerplate, any of it is a
# spam link block, or 1% of it is mojibake (a few damaged words per page).
STRICT_MAX_BOILERPLATE_SHARE = 0.2
STRICT_MAX_SPAM_LINKS_SHARE = 0.0
STRICT_MAX_MOJIBAKE_SHARE = 0.01
KEEP_PRESETS = ("dedup_only", "default", "strict")


@dataclass(frozen=True, slots=True)
class KeepConfig:
    """Which articles to keep for a training or archive set (the ``keep``
    and ``drop_reason`` columns of :mod:`newsqa.table`).

    An article is dropped for the first of these reasons that applies, in
    this order; otherwise it is kept (``drop_reason`` is then ``None``):

    ``error``: the record could not be read (``drop_errors``);
    ``empty``: it has no words (``drop_empty``);
    ``copy``: it is a cluster member other than the representative whose
    relation is not in ``not_copies`` (``drop_copies``);
    ``spun``: the ``spun`` signal is true (``drop_spun``);
    ``boilerplate``, ``spam_links``, ``mojibake``: the share of its
    characters flagged with that kind is above the ``max_*_share``
    threshold (``None``: never dropped for it).

    A kept article's text for the training set is
    :func:`newsqa.clean_text` of it (boilerplate and spam removed, mojibake
    repaired). Named presets: :meth:`preset` (``dedup_only``, ``default``,
    ``strict``).

    Attributes:
        drop_copies: Drop cluster members that copy the representative.
        not_copies: Relations that are not copies (default ``original``
            and ``update``); every other relation is a copy.
        drop_spun: Drop articles whose ``spun`` signal is true.
        drop_empty: Drop records without words (status ``empty``).
        drop_errors: Drop unreadable records (status ``error``).
        max_boilerplate_share: Drop above this boilerplate share, in [0, 1]
            or ``None``.
        max_spam_links_share: Likewise for spam link blocks.
        max_mojibake_share: Likewise for mojibake.

    Example:
        >>> KeepConfig.preset("strict").max_boilerplate_share
        0.2
        >>> Config().replace(max_spam_links_share=0.1).keep.max_spam_links_share
        0.1
    """

    drop_copies: bool = True
    not_copies: tuple[str, ...] = DEFAULT_NOT_COPIES
    drop_spun: bool = True
    drop_empty: bool = True
    drop_errors: bool = True
    max_boilerplate_share: float | None = DEFAULT_MAX_FLAGGED_SHARE
    max_spam_links_share: float | None = DEFAULT_MAX_FLAGGED_SHARE
    max_mojibake_share: float | None = None

    def __post_init__(self) -> None:
        for name in ("drop_copies", "drop_spun", "drop_empty", "drop_errors"):
            if not isinstance(getattr(self, name), bool):
                raise ConfigError(f"{name} must be True or False, got {getattr(self, name)!r}")
        if isinstance(self.not_copies, str):
            object.__setattr__(self, "not_copies", tuple(x.strip() for x in self.not_copies.split(",") if x.strip()))
        if not isinstance(self.not_copies, (tuple, list)) or not all(isinstance(x, str) for x in self.not_copies):
            raise ConfigError(f"not_copies must be a tuple of relation names, got {self.not_copies!r}")
        object.__setattr__(self, "not_copies", tuple(self.not_copies))
        for name in ("max_boilerplate_share", "max_spam_links_share", "max_mojibake_share"):
            value = getattr(self, name)
            if value is not None and (
                isinstance(value, bool) or not isinstance(value, (int, float)) or not 0.0 <= value <= 1.0
            ):
                raise ConfigError(f"{name} must be in [0, 1] or None, got {value!r}")

    @classmethod
    def preset(cls, name: str) -> KeepConfig:
        """A named policy.

        * ``dedup_only``: drop copies, empty and unreadable records only;
        * ``default``: also spun articles and those more than half
          boilerplate or spam links (the defaults of this class);
        * ``strict``: also more than 20% boilerplate, any spam link block,
          more than 1% mojibake.

        Raises:
            ConfigError: An unknown name (the message lists the known ones).
        """
        if name == "dedup_only":
            return cls(drop_spun=False, max_boilerplate_share=None, max_spam_links_share=None)
        if name == "default":
            return cls()
        if name == "strict":
            return cls(
                max_boilerplate_share=STRICT_MAX_BOILERPLATE_SHARE,
                max_spam_links_share=STRICT_MAX_SPAM_LINKS_SHARE,
                max_mojibake_share=STRICT_MAX_MOJIBAKE_SHARE,
            )
        close = difflib.get_close_matches(str(name), KEEP_PRESETS, n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        raise ConfigError(f"unknown keep preset {name!r}; {hint}known: {', '.join(KEEP_PRESETS)}")


@dataclass(frozen=True, slots=True)
class Config:
    """All of newsqa's settings, in sections. See each section's docstring."""

    dedup: DedupConfig = field(default_factory=DedupConfig)
    signals: SignalsConfig = field(default_factory=SignalsConfig)
    run: RunConfig = field(default_factory=RunConfig)
    keep: KeepConfig = field(default_factory=KeepConfig)

    def replace(self, **overrides: Any) -> Config:
        """A copy with fields of any section replaced by name."""
        if not overrides:
            return self
        owners = _field_owners()
        by_section: dict[str, dict[str, Any]] = {}
        for key, value in overrides.items():
            if key not in owners:
                close = difflib.get_close_matches(key, owners, n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                raise ConfigError(f"unknown option {key!r}{hint} Known options: {', '.join(sorted(owners))}")
            by_section.setdefault(owners[key], {})[key] = value
        changes = {sec: replace(getattr(self, sec), **vals) for sec, vals in by_section.items()}
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _field_owners() -> dict[str, str]:
    owners: dict[str, str] = {}
    for sec in fields(Config):
        for f in fields(sec.default_factory()):  # type: ignore[misc]
            owners[f.name] = sec.name
    return owners


def resolve_config(config: Config | None, overrides: dict[str, Any]) -> Config:
    """Merge ``config`` (default :class:`Config`) with keyword overrides."""
    if config is not None and not isinstance(config, Config):
        raise ConfigError(f"config must be a newsqa.Config, got {type(config).__name__}")
    return (config or Config()).replace(**overrides)


def _check_unit(name: str, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0.0 < value <= 1.0:
        raise ConfigError(f"{name} must be in (0, 1], got {value!r}")


def _check_int(name: str, value: Any, lo: int, hi: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        raise ConfigError(f"{name} must be an int in [{lo}, {hi}], got {value!r}")
