"""Fixtures and helpers shared by the spun-text tests (test_spun.py, test_spun_context.py)."""

from __future__ import annotations

import zlib

import pytest

from newsqa.signals.spun import Entry, lexicon

from ..conftest import SEEDS

SPUN_SEED = "003_0d86604bd71b6e9d"
CLEAN_SEEDS = ("000_a431440b9d50f282", "001_0232089537fc7084", "002_80eacc2ad29eea72", "004_4f5cf9240b2c00f6")


@pytest.fixture(scope="module")
def seed_texts() -> dict[str, str]:
    return {p.stem: p.read_text(encoding="utf-8") for p in SEEDS.glob("0*.txt")}


def lexicon_halves() -> tuple[list[Entry], list[Entry]]:
    """Fixed split of the lexicon: CRC-32 of the spun phrase, even (A) or odd (B)."""
    a, b = [], []
    for e in lexicon():
        (a if zlib.crc32(e.spun.encode()) % 2 == 0 else b).append(e)
    return a, b
