"""HTML to plain text, safely: the text a reader sees, and nothing else.

TimelineJS files (and other tools' exports) carry HTML in their text
fields.  This module turns it into plain text with the standard library's
``html.parser``, and never interprets it further: tags are dropped, the
contents of ``script``, ``style`` and ``template`` are dropped entirely,
entities are unescaped once, block elements become line breaks, and runs of
white space collapse as a browser collapses them (except inside ``pre``).
Whatever is left is data: text that merely looks like markup (``[bold]x[/]``,
``&lt;b&gt;`` which becomes ``<b>``) stays exactly as it is.

``convert`` also returns the passages of every top-level ``blockquote``,
without their ``cite`` (the attribution), so that a caller can quote them.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from .safetext import for_people

__all__ = ["Blockquote", "Converted", "convert", "html_to_text", "one_line", "text_to_html"]

# Their content is not text for a reader.
_DROP = frozenset({"script", "style", "template"})
# A new line before and after.
_LINE = frozenset({"br", "div", "li", "tr", "dt", "dd", "figcaption", "caption", "option", "legend", "summary"})
# A blank line before and after (a paragraph).
_PARAGRAPH = frozenset({
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "ul", "ol", "dl", "table", "hr",
    "section", "article", "header", "footer", "aside", "nav", "main", "figure", "address", "details",
    "form", "fieldset",
})
_CELL = frozenset({"td", "th"})
_SPACE = re.compile(r"[ \t\n\r\f\v]+")


@dataclass
class Blockquote:
    """A quotation found in the HTML: its text (without the attribution) and its ``cite``."""

    text: str
    cite: str = ""


@dataclass
class Converted:
    text: str
    blockquotes: list[Blockquote] = field(default_factory=list)


class _Collector(HTMLParser):
    """Turns the parser's events into a list of atoms: text, breaks and blockquote marks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.atoms: list[tuple[str, object]] = []
        self.drop = 0  # inside script/style/template
        self.pre = 0  # inside pre: keep white space
        self.quote_depth = 0
        self.cite_depth = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in _DROP:
            self.drop += 1
            return
        if self.drop:
            return
        self._open(tag)

    def handle_startendtag(self, tag: str, attrs) -> None:
        if tag in _DROP or self.drop:
            return
        if tag == "br":
            self.atoms.append(("break", 1))
        elif tag == "hr":
            self.atoms.append(("break", 2))
        # other self-closing tags (<img/>, <p/>) carry no text

    def _open(self, tag: str) -> None:
        if tag == "br":
            self.atoms.append(("break", 1))
            return
        if tag == "pre":
            self.pre += 1
        if tag == "blockquote":
            self.quote_depth += 1
            if self.quote_depth == 1:
                self.atoms.append(("break", 2))
                self.atoms.append(("quote", True))
                return
        if tag == "cite" and self.quote_depth:
            self.cite_depth += 1
            if self.cite_depth == 1:
                self.atoms.append(("break", 1))
                self.atoms.append(("cite", True))
            return
        self._block(tag)

    def _block(self, tag: str) -> None:
        if tag in _PARAGRAPH:
            self.atoms.append(("break", 2))
        elif tag in _LINE:
            self.atoms.append(("break", 1))
        elif tag in _CELL:
            self.atoms.append(("text", " "))

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROP:
            self.drop = max(0, self.drop - 1)
            return
        if self.drop:
            return
        if tag == "pre":
            self.pre = max(0, self.pre - 1)
        if tag == "blockquote" and self.quote_depth:
            self.quote_depth -= 1
            if self.quote_depth == 0:
                if self.cite_depth:
                    self.cite_depth = 0
                    self.atoms.append(("cite", False))
                self.atoms.append(("quote", False))
                self.atoms.append(("break", 2))
                return
        if tag == "cite" and self.cite_depth:
            self.cite_depth -= 1
            if self.cite_depth == 0:
                self.atoms.append(("cite", False))
                self.atoms.append(("break", 1))
            return
        if tag != "br":  # </br> is a stray end tag some editors write: nothing to close
            self._block(tag)
        else:
            self.atoms.append(("break", 1))

    def handle_data(self, data: str) -> None:
        if self.drop or not data:
            return
        self.atoms.append(("pre" if self.pre else "text", data))

    # Comments, declarations, processing instructions and CDATA are not text.
    def handle_comment(self, data: str) -> None:
        pass

    def handle_decl(self, decl: str) -> None:
        pass

    def handle_pi(self, data: str) -> None:
        pass

    def unknown_decl(self, data: str) -> None:
        pass


def _assemble(atoms: list[tuple[str, object]]) -> Converted:
    out: list[str] = []
    length = 0  # characters in out
    pending = 0  # the line breaks owed before the next text (0, 1 or 2)
    # Marks waiting for the first text after them: ("quote"|"cite", True) open at
    # that text; closing marks take the current length.
    waiting: list[str] = []
    spans: list[dict] = []
    current: dict | None = None

    def emit(piece: str) -> None:
        nonlocal length, pending
        if pending and length:
            # Trailing spaces before a break go.
            while out and out[-1].endswith(" "):
                stripped = out[-1].rstrip(" ")
                length -= len(out[-1]) - len(stripped)
                if stripped:
                    out[-1] = stripped
                else:
                    out.pop()
            out.append("\n" * pending)
            length += pending
        pending = 0
        for mark in waiting:
            if current is not None and current.get(mark) is None:
                current[mark] = length
        waiting.clear()
        out.append(piece)
        length += len(piece)

    for kind, value in atoms:
        if kind == "break":
            pending = max(pending, value)  # type: ignore[arg-type]
        elif kind == "text":
            text = _SPACE.sub(" ", value)  # type: ignore[arg-type]
            if pending or not length or out[-1].endswith(("\n", " ")):
                text = text.lstrip(" ")
            if text:
                emit(text)
        elif kind == "pre":
            emit(value)  # type: ignore[arg-type]
        elif kind == "quote":
            if value:
                current = {"quote": None, "cite": None, "cite_end": None}
                waiting.append("quote")
            elif current is not None:
                current["end"] = length
                if current["quote"] is not None:
                    spans.append(current)
                current = None
                waiting.clear()
        elif kind == "cite" and current is not None:
            if value:
                waiting.append("cite")
            elif current["cite"] is not None:
                current["cite_end"] = length
    text = "".join(out).rstrip()
    blockquotes = []
    for span in spans:
        start, end = span["quote"], min(span["end"], len(text))
        c_start, c_end = span["cite"], span["cite_end"]
        if c_start is not None:
            c_end = end if c_end is None else min(c_end, end)
            body = text[start:c_start].strip()
            cite = one_line(text[c_start:c_end])
            if not body:  # the attribution came first: the rest is the quotation
                body = text[c_end:end].strip()
        else:
            body, cite = text[start:end].strip(), ""
        if body:
            blockquotes.append(Blockquote(body, cite))
    return Converted(text, blockquotes)


def convert(markup: str) -> Converted:
    """The plain text of an HTML fragment, and its blockquotes."""
    if not markup:
        return Converted("")
    if "<" not in markup and "&" not in markup:
        return Converted(_plain(markup))
    parser = _Collector()
    try:
        parser.feed(markup)
        parser.close()
    except Exception:  # pragma: no cover - html.parser is lenient; never let a file crash us
        return Converted(_plain(html.unescape(re.sub(r"<[^>]*>", " ", markup))))
    return _assemble(parser.atoms)


def _plain(text: str) -> str:
    """Text without markup, white space collapsed as HTML collapses it."""
    return _SPACE.sub(" ", text).strip()


def html_to_text(markup: str) -> str:
    """The plain text of an HTML fragment (see the module's documentation)."""
    return convert(markup).text


def one_line(text: str) -> str:
    """Text on one line: every run of white space (line breaks included) becomes one space."""
    return " ".join(text.split())


def title_of_text(text: str, limit: int = 100) -> str:
    """A one-line title from longer text: its first non-blank line, cut at a word near ``limit``."""
    first = next((line for line in text.split("\n") if line.strip()), "")
    line = one_line(first)
    if len(line) <= limit:
        return line
    cut = line[:limit - 1]
    if " " in cut[limit // 2:]:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:") + "…"


def text_to_html(text: str) -> str:
    """Plain text as HTML that shows it literally: escaped, line breaks as ``<br>``, and no
    control character (``safetext.for_people``)."""
    escaped = html.escape(for_people(text), quote=False)
    paragraphs = [p.replace("\n", "<br>") for p in re.split(r"\n[ \t]*\n", escaped)]
    if len(paragraphs) == 1:
        return paragraphs[0]
    return "".join(f"<p>{p}</p>" for p in paragraphs)
