"""``timeline-explorer edit CORPUS ...``: the chronology edited from scripts (``model.editing``)."""

from __future__ import annotations

import argparse
import sys

PROG = "timeline-explorer"

EXAMPLES_EDIT = f"""\
examples:
  {PROG} edit my-corpus add-event --date 2019-07-18 --title "Qatar withdraws" \\
      --actor qatar --type letter --quote mec-qatar "Qatar has withdrawn its signature"
  {PROG} edit my-corpus add-quote qatar-withdraws theprint-qatar "Qatar withdrew"
  {PROG} edit my-corpus accept draft-3
  {PROG} edit my-corpus reject draft-4
  {PROG} edit my-corpus merge draft-5 july-12-letter
  {PROG} edit my-corpus set july-12-letter date 2019-07-12
  {PROG} edit my-corpus add-claim --about "How many states signed" --event july-12-letter \
      --statement theprint-qatar "Thirty-seven countries" "37 states"
  {PROG} edit my-corpus add-statement how-many-states-signed mec-qatar "the 13 countries" --value "13 states"
  {PROG} edit my-corpus set-actor qatar --name "State of Qatar" --aliases "Qatari, Doha"
  {PROG} edit my-corpus exclude theprint-qatar "Subscribe to our YouTube channel." --reason "site boilerplate"
  {PROG} edit my-corpus include theprint-qatar "Subscribe to our YouTube channel."

Each change is checked as `check` checks the corpus and written to corpus.json at once
(atomically; the other records are left byte for byte as they were). A quote must be
verbatim, unique in its document and citable: otherwise the change is refused with the
nearest passage. Only a corpus folder is edited: import a TimelineJS or CSV file first.
exit status: 0 done (the id of the event made or changed is printed); 1 refused (the
problems are listed, nothing is written); 2 a usage error.
"""


def add_edit_parser(sub) -> None:
    p = sub.add_parser(
        "edit", help="add events and quotes, set fields, accept or reject drafts",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Edit a corpus folder's chronology from a script, with the app's guarantees.",
        epilog=EXAMPLES_EDIT,
    )
    p.add_argument("corpus", metavar="CORPUS", help="a corpus folder (or its corpus.json)")
    ops = p.add_subparsers(dest="operation", metavar="OPERATION", required=True)
    a = ops.add_parser("add-event", help="a new event, with its quotes")
    a.add_argument("--date", required=True, help="the date, in EDTF (2019-07-12, 2019-07, 2019-07-12/2019-07-18...)")
    a.add_argument("--title", required=True)
    a.add_argument("--actor", action="append", default=[], metavar="ID", help="an actor's id (repeatable)")
    a.add_argument("--type", default="")
    a.add_argument("--summary", default="")
    a.add_argument("--date-note", default="")
    a.add_argument("--id", default=None, help="the new event's id (made from the title otherwise)")
    a.add_argument("--quote", nargs=2, action="append", default=[], metavar=("DOC_ID", "EXACT"),
                   help="a verbatim passage of a document (repeatable)")
    q = ops.add_parser("add-quote", help="a quote added to an event")
    q.add_argument("event", metavar="EVENT_ID")
    q.add_argument("doc", metavar="DOC_ID")
    q.add_argument("exact", metavar="EXACT")
    for name, text in (("accept", "a draft becomes an event"), ("reject", "a draft is removed")):
        o = ops.add_parser(name, help=text)
        o.add_argument("draft", metavar="DRAFT_ID")
    m = ops.add_parser("merge", help="a draft's quotes and actors join an event; the draft is removed")
    m.add_argument("draft", metavar="DRAFT_ID")
    m.add_argument("event", metavar="EVENT_ID")
    s = ops.add_parser("set", help="set one field of an event")
    s.add_argument("event", metavar="EVENT_ID")
    s.add_argument("field", metavar="FIELD",
                   help="date, title, summary, type, date_note, note, tags or actors (comma-separated), "
                        "confidence, draft")
    s.add_argument("value", metavar="VALUE", help="the new value; empty removes an optional field")
    c = ops.add_parser("add-claim", help="a new claim (a point the sources disagree on), with its first statement")
    c.add_argument("--about", required=True, help="what is disputed")
    c.add_argument("--event", action="append", default=[], metavar="EVENT_ID", help="an event it is about (repeatable)")
    c.add_argument("--id", default=None, help="the new claim's id (made from --about otherwise)")
    c.add_argument("--statement", nargs=3, required=True, metavar=("DOC_ID", "EXACT", "VALUE"),
                   help="one source's version: a verbatim passage and a short label of it (VALUE may be empty)")
    st = ops.add_parser("add-statement", help="one source's version added to a claim")
    st.add_argument("claim", metavar="CLAIM_ID")
    st.add_argument("doc", metavar="DOC_ID")
    st.add_argument("exact", metavar="EXACT")
    st.add_argument("--value", default="", help="a short label of this version (\"37 states\")")
    ac = ops.add_parser("set-actor", help="an actor's name, aliases or members")
    ac.add_argument("actor", metavar="ACTOR_ID")
    ac.add_argument("--name", default=None)
    ac.add_argument("--aliases", default=None, help="comma-separated; empty removes them")
    ac.add_argument("--members", default=None, help="actor ids, comma-separated; empty removes them")
    ex = ops.add_parser("exclude", help="a passage of a document marked as not citable")
    ex.add_argument("doc", metavar="DOC_ID")
    ex.add_argument("exact", metavar="EXACT", help="the passage, verbatim (unique in the document)")
    ex.add_argument("--reason", required=True, help="why: site boilerplate, photo caption, reader comment…")
    inc = ops.add_parser("include", help="a passage marked as not citable made citable again")
    inc.add_argument("doc", metavar="DOC_ID")
    inc.add_argument("exact", metavar="EXACT", help="text inside the marked passage, verbatim (unique in the document)")


def cmd_edit(args: argparse.Namespace) -> int:
    from .model.editing import Editor, EditError
    from .model.errors import printable

    try:
        editor = Editor(args.corpus)
        op = args.operation
        if op == "add-event":
            quotes = [editor.quote_of(doc, exact) for doc, exact in args.quote]
            change = editor.add_event(date=args.date, title=args.title, quotes=quotes, actors=args.actor,
                                      type=args.type, summary=args.summary, date_note=args.date_note, id=args.id)
        elif op == "add-quote":
            change = editor.add_quote(args.event, editor.quote_of(args.doc, args.exact))
        elif op == "accept":
            change = editor.accept(args.draft)
        elif op == "reject":
            change = editor.reject(args.draft)
        elif op == "merge":
            change = editor.merge(args.draft, args.event)
        elif op == "add-claim":
            doc, exact, value = args.statement
            change = editor.add_claim(about=args.about, quote=editor.quote_of(doc, exact), value=value,
                                      events=args.event, id=args.id)
        elif op == "add-statement":
            change = editor.add_statement(args.claim, editor.quote_of(args.doc, args.exact), args.value)
        elif op == "set-actor":
            def split(value):
                return None if value is None else [v for v in value.split(",")]

            change = editor.set_actor(args.actor, name=args.name, aliases=split(args.aliases),
                                      members=split(args.members))
        elif op == "exclude":
            start, end = editor.span_of(args.doc, args.exact)
            change = editor.exclude(args.doc, start, end, args.reason)
        elif op == "include":
            start, end = editor.span_in_document(args.doc, args.exact)
            change = editor.include(args.doc, start, end)
        else:
            change = editor.set_field(args.event, args.field, args.value)
    except EditError as exc:
        for p in exc.problems:
            sys.stderr.write(f"{p}\n")
        sys.stderr.write("nothing was written\n")
        return 1
    if change.rebased:
        sys.stderr.write("note: corpus.json had changed on disk; the change was made on the file as it is now\n")
    sys.stdout.write(printable(change.id) + "\n")
    return 0
