"""Textual's command palette, with its page keys made safe (a bug of Textual 8.2.8).

``OptionList`` measures a page from the lines it has laid out its options
on, and lays them out only when it has a size. The palette's list is as high
as its options: while it has none it has no height, so right after new
options arrive (at each key typed), and until the next refresh, it knows no
line of them, and ``page_down``/``page_up`` raise ``KeyError`` in
``OptionList._move_page``. Keys typed in a burst (a search, down, page down)
reach it in that window. Reported upstream: docs/upstream/textual-optionlist-page-keyerror.md.

Here a page key that arrives in that window waits for the refresh (once);
every other key goes to the palette as it is.
"""

from __future__ import annotations

from textual.command import CommandList
from textual.command import CommandPalette as _TextualCommandPalette

__all__ = ["CommandPalette"]

_PAGE_ACTIONS = ("page_down", "page_up")


def _laid_out(commands: CommandList) -> bool:
    """Does the list know the lines of its highlighted option (and so the size of a page)?"""
    highlighted = commands.highlighted
    return highlighted is None or highlighted in commands._index_to_line


class CommandPalette(_TextualCommandPalette):
    """Textual's command palette; a page key before its list is laid out waits for it."""

    def _action_command_list(self, action: str) -> None:
        if action in _PAGE_ACTIONS and not _laid_out(self.query_one(CommandList)):
            self.call_after_refresh(self._page_when_laid_out, action)
            return
        super()._action_command_list(action)

    def _page_when_laid_out(self, action: str) -> None:
        if self.is_attached and _laid_out(self.query_one(CommandList)):
            super()._action_command_list(action)
