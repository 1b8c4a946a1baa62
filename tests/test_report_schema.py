"""report.json follows the JSON Schema shipped in the package (data/report.schema.json)."""

from __future__ import annotations

import copy
import json
from importlib import resources

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import newsqa
from newsqa.cli import main

from .conftest import SEEDS
from .strategies import any_text

SCHEMA = json.loads((resources.files("newsqa") / "data" / "report.schema.json").read_text(encoding="utf-8"))


def _validate(data: dict) -> None:
    jsonschema.validate(data, SCHEMA, cls=jsonschema.Draft202012Validator)


def test_schema_is_valid():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


def test_seeds_and_fixture_reports_validate(edited_articles):
    arts = newsqa.read_articles(SEEDS)
    extra = [newsqa.Article("copy", arts[2].text, "copier"), newsqa.Article("blank", "   ", "copier")]
    for report in (newsqa.analyze(arts + extra), newsqa.analyze(edited_articles), newsqa.analyze([])):
        _validate(json.loads(report.to_json()))


def test_streamed_cli_report_validates(tmp_path):
    d = tmp_path / "docs"
    d.mkdir()
    for p in SEEDS.iterdir():
        (d / p.name).write_bytes(p.read_bytes())
    (d / "zz_broken.txt").write_bytes(b"caf\xe9 au lait")  # reported with status "error"
    out = tmp_path / "out"
    assert main(["analyze", str(d), "--out", str(out), "--quiet"]) == 0
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert any(a["status"] == "error" for a in data["articles"])
    _validate(data)


@settings(max_examples=25, deadline=None)
@given(st.lists(any_text, max_size=5))
def test_any_text_gives_a_valid_report(texts):
    report = newsqa.analyze([newsqa.Article(str(i), t, f"s{i % 2}") for i, t in enumerate(texts)])
    _validate(json.loads(report.to_json()))


@pytest.mark.parametrize(
    "breakage",
    [
        lambda d: d.pop("sources"),
        lambda d: d["articles"][0].update(status="fine"),
        lambda d: d["articles"][0]["flags"].append({"kind": "rumour", "start": 0, "end": 1, "reason": "x", "score": 1}),
        lambda d: d["sources"][0].update(score=140.0),
        lambda d: d["articles"][0].pop("signals"),
    ],
)
def test_schema_rejects_broken_reports(breakage):
    data = json.loads(newsqa.analyze(newsqa.read_articles(SEEDS)).to_json())
    broken = copy.deepcopy(data)
    breakage(broken)
    with pytest.raises(jsonschema.ValidationError):
        _validate(broken)


def test_schema_flag_kinds_are_the_signals_declared_kinds():
    from newsqa.signals.registry import FLAG_KINDS

    kind = SCHEMA["$defs"]["flag"]["properties"]["kind"]
    assert tuple(kind["enum"]) == FLAG_KINDS  # a new signal's kinds must reach the shipped schema
