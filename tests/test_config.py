"""Config: validation, overrides, serialisation."""

from __future__ import annotations

import dataclasses

import pytest

from newsqa import Config, ConfigError
from newsqa.config import DedupConfig, RunConfig, _field_owners


def test_overrides_reach_their_section():
    cfg = Config().replace(threshold=0.9, n_jobs=2, verify="signature")
    assert cfg.dedup.threshold == 0.9 and cfg.dedup.verify == "signature" and cfg.run.n_jobs == 2
    assert Config().dedup.threshold == 0.8  # the original is unchanged


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"threshold": 0}, "threshold must be in"),
        ({"threshold": True}, "threshold must be in"),
        ({"num_perm": 100}, "multiple of 8"),
        ({"num_perm": 8}, "num_perm must be an int"),
        ({"ngram": 0}, "ngram"),
        ({"bands": 4}, "give both bands and rows"),
        ({"bands": 20, "rows": 10}, "bands \\* rows"),
        ({"verify": "maybe"}, "verify"),
        ({"hash": "md5"}, "hash"),
        ({"containment": "yes"}, "containment"),
    ],
)
def test_invalid_values_are_named(kwargs, message):
    with pytest.raises(ConfigError, match=message):
        DedupConfig(**kwargs)


def test_run_config_validation():
    with pytest.raises(ConfigError, match="n_jobs"):
        RunConfig(n_jobs=0)
    assert RunConfig(n_jobs=-1).workers >= 1


def test_field_names_are_unique_across_sections():
    names = [f.name for sec in dataclasses.fields(Config) for f in dataclasses.fields(sec.default_factory())]
    assert len(names) == len(set(names)) == len(_field_owners())


def test_config_is_frozen_and_serialisable():
    cfg = Config()
    with pytest.raises(dataclasses.FrozenInstanceError):
        cfg.dedup.threshold = 0.5  # type: ignore[misc]
    assert cfg.to_dict()["dedup"]["num_perm"] == 128
