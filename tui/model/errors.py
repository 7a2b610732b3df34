"""Located problems in a corpus, and the one exception the loader raises."""

from __future__ import annotations

from typing import Literal

import msgspec

__all__ = ["CorpusError", "Problem", "Problems", "UsageError", "printable"]

Severity = Literal["error", "warning"]

# Characters that must never reach a terminal from data: C0/C1 controls
# (escape sequences start with one), bidi overrides and isolates, zero-width
# characters that hide text.
_UNSAFE = {c: f"\\u{c:04x}" for c in [*range(0x00, 0x20), *range(0x7F, 0xA0)]}
_UNSAFE.update({c: f"\\u{c:04x}" for c in (0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2028, 0x2029,
                                           0x202A, 0x202B, 0x202C, 0x202D, 0x202E,
                                           0x2066, 0x2067, 0x2068, 0x2069, 0xFEFF)})


def printable(text: str) -> str:
    """``text`` with control, bidi-override and zero-width characters escaped.

    For one-line diagnostics: data from a corpus is shown, never obeyed.
    """
    return text.translate(_UNSAFE)


class Problem(msgspec.Struct, frozen=True):
    """One thing wrong with a corpus, located and with a way to fix it.

    ``file`` is the file at fault (``corpus.json`` or a document), ``location``
    a path inside it such as ``events[3].quotes[0]`` (with the record's id when
    it has one), ``line`` the line in ``file`` when known.
    """

    file: str
    location: str
    message: str
    hint: str = ""
    line: int | None = None
    severity: Severity = "error"
    code: str = ""

    def __str__(self) -> str:
        where = self.file + (f":{self.line}" if self.line else "")
        parts = [where]
        if self.location:
            parts.append(self.location)
        text = ": ".join(parts) + ": " + ("warning: " if self.severity == "warning" else "") + self.message
        if self.hint:
            text += f" (fix: {self.hint})"
        return printable(text)

    @property
    def is_anchor_problem(self) -> bool:
        """A quote that does not match its document (the corpus can still open)."""
        return self.code.startswith("anchor")


class CorpusError(Exception):
    """A corpus that cannot be loaded; ``problems`` says everything that is wrong."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = [p for p in problems if p.severity == "error"] or list(problems)
        self.warnings = [p for p in problems if p.severity == "warning"]
        first = str(self.problems[0]) if self.problems else "the corpus cannot be loaded"
        more = f" (and {len(self.problems) - 1} more problem(s))" if len(self.problems) > 1 else ""
        super().__init__(first + more)


class UsageError(Exception):
    """A mistake in the command line that only the loaded corpus reveals
    (an unknown actor, a bad date): exit status 2, never a traceback."""


class Problems:
    """What a holder of a ``problems`` list (a corpus, an event store) says of them, by kind."""

    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def unanchored(self) -> list[Problem]:
        """The errors of quotes that do not anchor in their documents."""
        return [p for p in self.problems if p.is_anchor_problem and p.severity == "error"]
