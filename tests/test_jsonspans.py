"""Offsets of a JSON object's members, for located error messages."""

from __future__ import annotations

from tui.model.jsonspans import top_level_spans


def test_spans_of_members_and_of_the_items_of_the_arrays_asked_for():
    text = '{\n  "title": "T",\n  "events": [ {"id": "a"},\n {"id": "b"} ],\n  "tags": [1, 2]\n}'
    spans = top_level_spans(text, {"events"})
    start, end = spans["title"]
    assert text[start:end] == '"T"'
    assert [text[a:b] for a, b in spans["events"]] == ['{"id": "a"}', '{"id": "b"}']
    start, end = spans["tags"]  # not asked for: one span for the whole array
    assert text[start:end] == "[1, 2]"


def test_a_broken_structure_keeps_what_came_before_it():
    text = '{"title": "T", "events": [{"id": "a"}, {"id": "b",, }], "after": 1}'
    spans = top_level_spans(text, {"events"})
    start, end = spans["title"]
    assert text[start:end] == "\"T\""
    assert [text[a:b] for a, b in spans["events"]] == ['{"id": "a"}']
    assert "after" not in spans


def test_not_an_object_gives_nothing():
    assert top_level_spans("[1, 2, 3]", {"events"}) == {}
    assert top_level_spans("", {"events"}) == {}
    assert top_level_spans('{"a" 1}', {"events"}) == {}
