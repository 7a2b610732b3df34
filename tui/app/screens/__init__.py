"""The side screens, one per file: the document view, dialogs, and the research
screens (marks, notes, saved views, export, disagreements, coverage).

Everything from the corpus or from the user's notes is shown as ``Text`` built
from plain strings (``safe_line``), never as markup.
"""
