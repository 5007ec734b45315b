"""CSV layouts Grapevine knows, recognised by their header, in the order they are tried.

A layout is a name, a test on the header's column keys (``column_key``: "E-mail 1 -
Value" → "e mail 1 value"), a parser and its place in the order (``order``: lower is
tried first, so that a precise layout wins over a broad one). Each format module
registers its layouts; adding one (LinkedIn's Saved Jobs, JobSpy) is one more
``register(Layout(...))`` with an ``order`` before the broad layout it would also
match: LinkedIn 10 to 19, address books 20 to 29, the generic postings CSV 90.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from grapevine.transfer.formats.base import Item, checked_header

Rows = Iterator[tuple[int, list[str]]]

# A header is looked for in the first rows: LinkedIn's 2022+ Connections.csv opens
# with a "Notes:" paragraph and a blank line before it.
HEADER_SEARCH_ROWS = 12


@dataclass
class CsvInput:
    """A recognised CSV: its header and a fresh stream of the rows after it, on demand."""

    name: str
    header_line: int
    header: list[str]
    open_rows: Callable[[], Rows]
    index: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.index = checked_header(self.header, self.name, self.header_line)

    def rows(self) -> Rows:
        rows = self.open_rows()
        for line, _cells in rows:
            if line == self.header_line:
                break
        yield from rows


@dataclass(frozen=True)
class Layout:
    name: str
    matches: Callable[[dict[str, int]], bool]
    parse: Callable[[CsvInput], Iterator[Item]]
    order: int
    # The format the import reports ("google-csv"); the layout's name when empty.
    format: str = ""


LAYOUTS: list[Layout] = []


def register(*layouts: Layout) -> None:
    LAYOUTS.extend(layouts)
    LAYOUTS.sort(key=lambda layout: layout.order)


def recognise(
    candidates: list[tuple[int, dict[str, int], list[str]]],
) -> tuple[Layout, int, list[str]] | None:
    """The first layout whose test a header among the first rows passes, with that row."""
    for layout in LAYOUTS:
        for line, index, cells in candidates:
            if layout.matches(index):
                return layout, line, cells
    return None
