"""The actor list's lines, worked out on demand, are the lines written out one by one."""

from __future__ import annotations

import random

from tui.app.widgets.actors import _Block, _Line, _Lines
from tui.model.corpus import Actor


def eager(blocks: list[_Block]) -> list[_Line]:
    lines = []
    for block in blocks:
        lines.append(_Line("heading", block.title))
        for i, actor in enumerate(block.actors):
            lines.append(_Line("actor", actor=actor.id))
            lines.extend(_Line("members", text, actor.id) for text in block.members.get(i, []))
    return lines


def test_lines_on_demand_match_the_lines_written_out():
    rng = random.Random(5)
    for _ in range(50):
        blocks, row = [], 0
        for k in range(rng.randint(0, 4)):
            actors = [Actor(f"a{k}-{i}", f"Actor {k}-{i}", "state") for i in range(rng.randint(1, 30))]
            members = {i: [f"m{j}" for j in range(rng.randint(1, 3))] for i in range(len(actors)) if rng.random() < 0.3}
            offsets, below = None, len(actors)
            if members:
                offsets, below = [], 0
                for i in range(len(actors)):
                    offsets.append(below)
                    below += 1 + len(members.get(i, []))
            blocks.append(_Block(row, f"Kind {k}", actors, offsets, members, 1 + below))
            row += 1 + below
        expected = eager(blocks)
        lines = _Lines(blocks)
        assert len(lines) == len(expected)
        assert [lines[i] for i in range(len(lines))] == expected
        assert lines[-1:] == expected[-1:] and lines[:3] == expected[:3]
