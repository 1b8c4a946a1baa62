"""Shared test set-up: hypothesis profiles and the in-repo fixture corpus."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

import newsqa

settings.register_profile(
    "default", deadline=None, max_examples=60, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("ci", deadline=None, max_examples=120, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("ci" if os.environ.get("CI") else "default")

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="session")
def edited_records() -> list[dict]:
    """The edited-copies fixture: originals written for the tests plus their variants."""
    with open(FIXTURES / "edited_copies.jsonl", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


@pytest.fixture(scope="session")
def edited_articles(edited_records) -> list[newsqa.Article]:
    return [
        newsqa.Article(r["id"], r["text"], r["source"], published=r.get("published")) for r in edited_records
    ]
