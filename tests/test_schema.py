"""The JSON Schema of corpus.json, generated from the msgspec structs."""

from __future__ import annotations

import copy
import json

import pytest
from model_support import REPO, SEEDS

from tui.model.schema import json_schema

import jsonschema  # a test extra: the shipped schema must really validate


@pytest.fixture(scope="module")
def validator():
    schema = json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.fixture(scope="module")
def seed_json():
    return json.loads((SEEDS / "corpus.json").read_text(encoding="utf-8"))


def test_schema_is_draft_2020_12(validator):
    assert json_schema()["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_seed_corpus_is_valid(validator, seed_json):
    assert list(validator.iter_errors(seed_json)) == []


@pytest.mark.parametrize(
    ("mutation", "words"),
    [
        (lambda c: c["events"][0].update(date=2019), "not of type 'string'"),
        (lambda c: c["events"][0].update(titel="x"), "'titel' was unexpected"),
        (lambda c: c.update(evnets=[]), "'evnets' was unexpected"),
        (lambda c: c.update(format="timeline-corpus/2"), "timeline-corpus/1"),
        (lambda c: c["actors"][0].update(kind="nation"), "nation"),
        (lambda c: c["events"][0].update(id="has space"), "does not match"),
        (lambda c: c["events"][0].pop("title"), "'title' is a required property"),
        (lambda c: c["events"][0]["quotes"][0].update(exact=""), "should be non-empty"),
    ],
    ids=["wrong-type", "unknown-field", "unknown-top-field", "format", "kind", "id", "required", "empty"],
)
def test_schema_rejects(validator, seed_json, mutation, words):
    data = copy.deepcopy(seed_json)
    mutation(data)
    errors = [e.message for e in validator.iter_errors(data)]
    assert errors
    assert any(words in m for m in errors), errors


def test_shipped_schema_equals_the_generated_one():
    # docs/corpus.schema.json is what users validate against; it must not drift.
    shipped = REPO / "docs" / "corpus.schema.json"
    assert shipped.is_file(), "docs/corpus.schema.json is missing: write it with `timeline-explorer schema`"
    assert json.loads(shipped.read_text(encoding="utf-8")) == json_schema()
