"""A quote with its citation, formatted in a CSL style by citeproc-py.

``y`` copies a quote with its citation: the plain one (``Document.citation``)
by default, or the document's reference formatted in a Citation Style
Language style, shipped (``tui/styles``: apa, chicago-author-date,
modern-language-association, harvard-cite-them-right) or any ``.csl``
file. The formatting is citeproc-py's, a maintained CSL processor (the
``citations`` extra): nothing here formats a reference itself. citeproc-py
is imported only when a quote is copied with a style, never at start-up.

What goes to the clipboard is document data: control characters and escape
sequences are shown as stand-ins, never passed on (``safetext.for_people``).
"""

from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path

from .citations import csl_item
from .corpus import Document, Quote
from .errors import printable
from .safetext import for_people

__all__ = ["STYLES", "ProcessorMissing", "StyleError", "clipboard_citation", "format_reference", "plain_citation",
           "style_path"]

STYLES_DIR = Path(__file__).resolve().parent.parent / "styles"
# The styles shipped, by the name a setting gives them.
STYLES = ("apa", "chicago-author-date", "modern-language-association", "harvard-cite-them-right")
INSTALL_HINT = "pip install 'timeline-explorer[citations]'"


class StyleError(Exception):
    """A style that cannot be used: unknown name, missing or unreadable file."""


class ProcessorMissing(Exception):
    """citeproc-py is not installed."""


def style_path(style: str) -> Path:
    """The CSL file of ``style``: a shipped style's name, or the path of a ``.csl`` file."""
    name = style.strip()
    if name in STYLES:
        return STYLES_DIR / f"{name}.csl"
    path = Path(name).expanduser()
    if path.suffix.lower() == ".csl":
        if not path.is_file():
            raise StyleError(f"the style file {name} does not exist")
        return path
    raise StyleError(f"no style {name!r}: the shipped ones are {', '.join(STYLES)}; or give the path of a .csl file")


def plain_citation(quote: Quote) -> str:
    """A quote as a researcher pastes it: “text” — Title, Outlet, date. URL"""
    doc = quote.document
    text = f"“{quote.text}” — {for_people(doc.citation(), multiline=False)}"
    if doc.url:
        text += f". {for_people(doc.url, multiline=False)}"
    return for_people(text)


_patch_lock = threading.Lock()


def _repress_substituted(model) -> None:
    """Make citeproc-py suppress what a ``cs:substitute`` rendered, as the CSL specification says.

    citeproc-py suppresses a substituted variable only when the substitute names it directly;
    the common styles substitute the title for a missing author through a macro, and the
    title then appears twice (“Title. (2019). Title.”). Every variable rendered while a
    substitute renders is recorded and suppressed for the rest of the entry.
    """
    with _patch_lock:
        if getattr(model.Substitute, "_suppresses_rendered_variables", False):
            return
        original_render = model.Substitute.render
        original_variable = model.Text._variable
        local = threading.local()

        def _variable(self, item, context):
            text = original_variable(self, item, context)
            rendered = getattr(local, "rendered", None)
            if rendered is not None and text:
                rendered.append((self.tag, self.get("variable")))
            return text

        def render(self, item, context=None, **kwargs):
            outer = getattr(local, "rendered", None)
            local.rendered = []
            try:
                text = original_render(self, item, context=context, **kwargs)
            finally:
                rendered, local.rendered = local.rendered, outer
            if outer is not None:
                outer.extend(rendered)
            if text and rendered and context is not None:
                repressed = context.get_layout().repressed
                for tag, variable in rendered:
                    repressed.setdefault(tag, []).append(variable)
            return text

        model.Text._variable = _variable
        model.Substitute.render = render
        model.Substitute._suppresses_rendered_variables = True


@lru_cache(maxsize=8)
def _style(path: str, stamp: float):
    try:
        from citeproc import CitationStylesStyle
        from citeproc import model as citeproc_model
    except ImportError:
        raise ProcessorMissing() from None
    _repress_substituted(citeproc_model)
    try:
        return CitationStylesStyle(path, validate=False)
    except Exception as exc:  # lxml's XML errors, and whatever a broken style raises
        raise StyleError(f"the style {path} cannot be read: {exc}") from None


def format_reference(doc: Document, style: str) -> str:
    """The reference of ``doc`` (its bibliography entry) in ``style``, as plain text.

    Raises ``ProcessorMissing`` without citeproc-py and ``StyleError`` for a style that
    cannot be used.
    """
    path = style_path(style)
    try:
        stamp = path.stat().st_mtime
    except OSError as exc:
        raise StyleError(f"the style file {path} cannot be read: {exc.strerror or exc}") from None
    csl_style = _style(str(path), stamp)
    from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
    from citeproc.source.json import CiteProcJSON

    item = csl_item(doc)
    item["id"] = "ref"  # citeproc-py lower-cases ids; the key does not show
    for name in ("issued", "accessed"):
        # citeproc-py reads date-parts and literal dates, not an EDTF string: an uncertain date is
        # given to it as its parts, marked circa (shown "ca."), the nearest CSL has.
        date = getattr(doc, "published" if name == "issued" else "accessed")
        if name in item and "raw" in item[name] and date is not None:
            from .citations import csl_date

            item[name] = csl_date(date, uncertain_as_circa=True)
    try:
        bibliography = CitationStylesBibliography(csl_style, CiteProcJSON([item]), formatter.plain)
        citation = Citation([CitationItem("ref")])
        bibliography.register(citation)
        entries = bibliography.bibliography()
    except Exception as exc:  # a style feature citeproc-py does not handle
        raise StyleError(f"citeproc-py cannot format this reference in {style}: {type(exc).__name__}: {exc}") from None
    if not entries:
        raise StyleError(f"the style {style} gives no bibliography entry")
    return " ".join(str(entries[0]).split())


def clipboard_citation(quote: Quote, style: str = "") -> tuple[str, str]:
    """The quote with its citation for the clipboard, and a problem to report (else "").

    Without a style, or when the style cannot be used, the plain citation.
    """
    if not style.strip() or style.strip() == "plain":
        return plain_citation(quote), ""
    try:
        reference = format_reference(quote.document, style)
    except ProcessorMissing:
        return plain_citation(quote), (f"the citation style {style} needs citeproc-py, which is not installed "
                                       f"({INSTALL_HINT}): copied with the plain citation")
    except StyleError as exc:
        return plain_citation(quote), printable(f"{exc}: copied with the plain citation")
    return for_people(f"“{quote.text}” — {reference}"), ""
