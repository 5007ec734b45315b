"""What every parser hands to the importer: plain rows, no database access.

Parsers read a whole file and return a ``ParsedFile``; the importer
(``grapevine.transfer.services``) matches the rows against the owner's contact book
and does the writes through the contacts and journal services.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from grapevine.contacts.normalise import canonical_linkedin_url, clean_text, normalise_email


class BadFile(Exception):
    """The whole file cannot be imported; the message is one sentence for the user."""


class BadRow(Exception):
    """One row cannot be imported; the message says why (the line is added by the parser)."""


@dataclass
class PersonRow:
    line: int
    given_name: str = ""
    middle_name: str = ""
    family_name: str = ""
    suffix: str = ""
    full_name: str = ""
    nickname: str = ""
    organisation: str = ""
    job_title: str = ""
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    linkedin_url: str = ""
    notes: str = ""
    tags: list[str] = field(default_factory=list)
    connected_on: dt.datetime | None = None

    @property
    def label(self) -> str:
        name = self.full_name or " ".join(p for p in (self.given_name, self.family_name) if p)
        return name or (self.emails[0] if self.emails else "")


@dataclass
class PersonRef:
    """Someone an entry names, found by LinkedIn URL first, else by name."""

    name: str = ""
    linkedin_url: str = ""


@dataclass
class EntryRow:
    line: int
    kind: str
    occurred_at: dt.datetime
    source: str
    external_key: str
    subject: str = ""
    notes: str = ""
    people: list[PersonRef] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.subject


@dataclass
class PostingRow:
    line: int
    external_id: str
    title: str
    company_name: str = ""
    description: str = ""
    location: str = ""
    url: str = ""
    posted_at: dt.datetime | None = None
    remote: bool = False
    work_type: str = ""

    @property
    def label(self) -> str:
        return f"{self.title} — {self.company_name}" if self.company_name else self.title


@dataclass
class RowProblem:
    line: int
    reason: str

    def as_dict(self) -> dict[str, object]:
        return {"line": self.line, "reason": self.reason}


@dataclass
class ParsedFile:
    format: str
    people: list[PersonRow] = field(default_factory=list)
    entries: list[EntryRow] = field(default_factory=list)
    postings: list[PostingRow] = field(default_factory=list)
    # Rows that carry nothing to import (a connection who left LinkedIn, a draft):
    # reported, never an error.
    skipped: list[RowProblem] = field(default_factory=list)
    # Rows that are wrong: the file fails unless the user asked to skip bad rows.
    errors: list[RowProblem] = field(default_factory=list)

    @property
    def row_count(self) -> int:
        return len(self.people) + len(self.entries) + len(self.postings)

    def extend(self, other: ParsedFile, prefix: str = "") -> None:
        self.people.extend(other.people)
        self.entries.extend(other.entries)
        self.postings.extend(other.postings)
        for mine, theirs in ((self.skipped, other.skipped), (self.errors, other.errors)):
            mine.extend(RowProblem(p.line, f"{prefix}{p.reason}") for p in theirs)


# ---------------------------------------------------------------------------
# Helpers shared by the CSV parsers
# ---------------------------------------------------------------------------


def csv_rows(text: str) -> Iterator[tuple[int, list[str]]]:
    """(first physical line of the row, cells) for every row, quoted newlines included."""
    reader = csv.reader(io.StringIO(text, newline=""))
    previous = 0
    try:
        for row in reader:
            yield previous + 1, row
            previous = reader.line_num
    except csv.Error as exc:
        raise BadFile(f"The CSV is malformed near line {reader.line_num}: {exc}.") from None


def header_index(cells: list[str]) -> dict[str, int]:
    """Column name (lower-cased, trimmed) → position; the first of duplicate names wins."""
    index: dict[str, int] = {}
    for position, name in enumerate(cells):
        index.setdefault(name.strip().lstrip("\ufeff").lower(), position)
    return index


class Row:
    """One CSV row read by column name."""

    __slots__ = ("cells", "index")

    def __init__(self, index: dict[str, int], cells: list[str]) -> None:
        self.index = index
        self.cells = cells

    def get(self, *names: str) -> str:
        for name in names:  # callers pass lower-case names
            position = self.index.get(name)
            if position is not None and position < len(self.cells):
                value = clean_text(self.cells[position])
                if value:
                    return value
        return ""

    def raw(self, name: str) -> str:
        position = self.index.get(name.lower())
        if position is None or position >= len(self.cells):
            return ""
        return self.cells[position].replace("\r\n", "\n").strip()

    def is_blank(self) -> bool:
        return is_blank(self.cells)


def is_blank(cells: list[str]) -> bool:
    """No cell holds anything but whitespace (one join instead of a strip per cell)."""
    return not "".join(cells).strip()


def checked_email(value: str) -> str:
    """A normalised e-mail address; ``BadRow`` if it is not one."""
    address = normalise_email(value)
    try:
        validate_email(address)
    except ValidationError:
        raise BadRow(f"“{value}” is not an e-mail address.") from None
    return address[:254]


_DATE_FORMATS = (
    "%d %b %Y",  # 30 May 2024 (LinkedIn 2022+)
    "%d-%b-%y",  # 23-Apr-23 (re-saved by Excel)
    "%d-%b-%Y",
    "%m/%d/%y, %I:%M %p",  # 1/8/18, 6:14 PM (LinkedIn 2018, Invitations)
    "%m/%d/%Y, %I:%M %p",
    "%m/%d/%y %I:%M %p",
    "%m/%d/%y %H:%M",
    "%m/%d/%y",
    "%m/%d/%Y",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
    "%d %B %Y",
    "%b %d, %Y",
    "%B %d, %Y",
)


def parse_when(value: str, what: str) -> dt.datetime:
    """A date or date-time as exports write them. Naive unless the text says UTC."""
    when = _parse_when(value)
    if when is None:
        raise BadRow(f"{what} “{value}” is not a date Grapevine understands.")
    return when


def profile_url(value: str) -> str:
    """``canonical_linkedin_url`` (which has the fast path for the form exports write)."""
    return canonical_linkedin_url(value)


@functools.lru_cache(maxsize=16384)  # an export repeats the same few thousand dates
def _parse_when(value: str) -> dt.datetime | None:
    text = clean_text(value)
    text = re.sub(r"\u202f", " ", text)  # narrow no-break space before AM/PM
    utc = False
    if text.upper().endswith(" UTC"):
        text, utc = text[:-4].strip(), True
    elif text.endswith("Z"):
        text, utc = text[:-1], True
    for fmt in _DATE_FORMATS:
        try:
            when = dt.datetime.strptime(text, fmt)
        except ValueError:
            continue
        return when.replace(tzinfo=dt.UTC) if utc else when
    return None
