"""What every parser hands to the import plan: plain rows, one at a time, no database access.

A parser reads a stream and yields ``PersonRow``, ``OrganisationRow``, ``EntryRow``,
``PostingRow`` and ``RowProblem`` items; the plan (``grapevine.transfer.plan``) matches
them against the owner's contact book. Nothing holds the whole file.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TextIO

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from grapevine.contacts.normalise import canonical_linkedin_url, clean_text, normalise_email


class BadFile(Exception):
    """The whole file cannot be imported; the message is one sentence for the user."""


class BadRow(Exception):
    """One row or value cannot be imported; the message says why (the parser adds the line)."""


@dataclass(slots=True)
class PersonRow:
    line: int
    given_name: str = ""
    middle_name: str = ""
    family_name: str = ""
    prefix: str = ""  # honorific: "Dr.", "Mr."
    suffix: str = ""
    # The name as the person or the file writes it (vCard FN, a "Name" column): shown
    # as it is; the parts above are for sorting and matching.
    full_name: str = ""
    nickname: str = ""
    organisation: str = ""
    job_title: str = ""
    emails: list[tuple[str, str]] = field(default_factory=list)  # (address, label)
    phones: list[tuple[str, str]] = field(default_factory=list)  # (as written, label)
    linkedin_url: str = ""
    notes: str = ""
    tags: list[str] = field(default_factory=list)
    connected_on: dt.datetime | None = None
    # Values that were wrong and left out ("“x” is not an e-mail address."): the file
    # fails unless the user skips bad values, and then the person is kept without them.
    dropped: list[str] = field(default_factory=list)
    remarks: list[str] = field(default_factory=list)  # what the plan reports but is no error

    @property
    def label(self) -> str:
        name = self.full_name or " ".join(p for p in (self.given_name, self.family_name) if p)
        return name or (self.emails[0][0] if self.emails else "")


@dataclass(slots=True)
class OrganisationRow:
    """A card or row that is a company, not a person (vCard KIND:org, a name-less card
    with ORG): it becomes an organisation, with its e-mail and phone."""

    line: int
    name: str
    emails: list[tuple[str, str]] = field(default_factory=list)
    phones: list[tuple[str, str]] = field(default_factory=list)
    website: str = ""
    notes: str = ""
    dropped: list[str] = field(default_factory=list)
    remarks: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.name


@dataclass(slots=True)
class PersonRef:
    """Someone an entry names, found by LinkedIn URL first, else by name."""

    name: str = ""
    linkedin_url: str = ""


@dataclass(slots=True)
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


@dataclass(slots=True)
class PostingRow:
    line: int
    source: str
    external_id: str
    title: str
    company_name: str = ""
    description: str = ""
    location: str = ""
    url: str = ""
    posted_at: dt.datetime | None = None
    remote: bool = False
    work_type: str = ""
    remarks: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.title} — {self.company_name}" if self.company_name else self.title


@dataclass(slots=True)
class RowProblem:
    """A row that imports nothing: ``error`` when it is wrong (the file fails unless bad
    rows are skipped), else a row with nothing to import (a draft, a group card)."""

    line: int
    reason: str
    error: bool = False

    def as_dict(self) -> dict[str, object]:
        return {"line": self.line, "reason": self.reason}


Item = PersonRow | OrganisationRow | EntryRow | PostingRow | RowProblem


# ---------------------------------------------------------------------------
# CSV (RFC 4180) read as a stream
# ---------------------------------------------------------------------------

# No contacts or postings export has anywhere near this many columns (Outlook's has 92,
# Google's grows with numbered groups to a few hundred at most).
MAX_COLUMNS = 1000
# The csv module's own limit on one value (131,072 characters): a longer "value" is a
# file that is not CSV, or whose quoting is broken.
MAX_FIELD = csv.field_size_limit()


def _tracked_lines(stream: TextIO, name: str, state: list[int]) -> Iterator[str]:
    """The lines of ``stream``, refusing NUL bytes; ``state`` is [line number, line
    where the last quote still open was opened] for the error messages."""
    opened = 0
    inside = False
    for number, line in enumerate(stream, start=1):
        if "\x00" in line:
            raise BadFile(
                f"Line {number} of “{name}” has a NUL byte, which no text export contains: "
                "the file is damaged or not a CSV file."
            )
        if line.count('"') % 2:
            inside = not inside
            if inside:
                opened = number
        state[0], state[1] = number, opened
        yield line


def csv_rows(stream: TextIO, name: str) -> Iterator[tuple[int, list[str]]]:
    """(first physical line of the row, cells) for every row, quoted newlines included.

    Quoting is read strictly (RFC 4180): a value that opens a quote and never closes it
    is refused with the line it opened on, instead of swallowing the rest of the file.
    """
    state = [0, 0]
    reader = csv.reader(_tracked_lines(stream, name, state), strict=True)
    previous = 0
    try:
        for row in reader:
            if len(row) > MAX_COLUMNS:
                raise BadFile(
                    f"Line {previous + 1} of “{name}” has {len(row):,} columns; no export has "
                    f"more than {MAX_COLUMNS:,}: is it really a contacts or postings file?"
                )
            yield previous + 1, row
            previous = reader.line_num
    except UnicodeDecodeError as exc:
        raise BadFile(
            f"Line {state[0] + 1} of “{name}” is not valid {exc.encoding} text: "
            "save the file again as “CSV UTF-8” or export it again."
        ) from None
    except csv.Error as exc:
        message = str(exc)
        start = previous + 1
        if "field larger than field limit" in message:
            raise BadFile(
                f"Line {start} of “{name}” has a value longer than {MAX_FIELD:,} characters, "
                "which no export writes: a quote is probably never closed."
            ) from None
        if "unexpected end of data" in message:
            opened = state[1] if state[1] >= start else start
            raise BadFile(
                f"“{name}” ends inside a quoted value: the quote opened on line {opened} is "
                "never closed (is the file cut short?)."
            ) from None
        raise BadFile(
            f"Line {reader.line_num} of “{name}” has broken quoting ({message}): a quote inside "
            "a quoted value must be doubled."
        ) from None


_NON_WORD = re.compile(r"[\W_]+")


def column_key(name: str) -> str:
    """A header cell as Grapevine compares it: "E-mail 1 - Value" → "e mail 1 value",
    "job_title" and "Job Title" → "job title"."""
    return _NON_WORD.sub(" ", name.lstrip("\ufeff").lower()).strip()


def header_index(cells: Iterable[str]) -> dict[str, int]:
    """Column key → position; the first of duplicate names wins (for finding a header)."""
    index: dict[str, int] = {}
    for position, name in enumerate(cells):
        index.setdefault(column_key(name), position)
    return index


def checked_header(cells: list[str], name: str, line: int = 1) -> dict[str, int]:
    """``header_index`` for the header a file is read by: a column named twice is refused,
    since Grapevine could not tell which of the two to read."""
    index: dict[str, int] = {}
    for position, cell in enumerate(cells):
        key = column_key(cell)
        if not key:
            continue
        if key in index:
            first = cells[index[key]].strip().lstrip("\ufeff")
            raise BadFile(
                f"The header of “{name}” (line {line}) has the column “{first}” twice "
                f"(columns {index[key] + 1} and {position + 1}): rename or remove one."
            )
        index[key] = position
    return index


class Row:
    """One CSV row read by column key."""

    __slots__ = ("cells", "index")

    def __init__(self, index: dict[str, int], cells: list[str]) -> None:
        self.index = index
        self.cells = cells

    def get(self, *names: str) -> str:
        """The first of the named columns that holds something, as clean one-line text."""
        for name in names:
            position = self.index.get(name)
            if position is not None and position < len(self.cells):
                value = clean_text(self.cells[position])
                if value:
                    return value
        return ""

    def raw(self, *names: str) -> str:
        """The first named column that holds something, as multi-line text."""
        for name in names:
            position = self.index.get(name)
            if position is not None and position < len(self.cells):
                value = clean_multiline(self.cells[position])
                if value:
                    return value
        return ""

    def has(self, name: str) -> bool:
        return name in self.index

    def is_blank(self) -> bool:
        return is_blank(self.cells)


def is_blank(cells: list[str]) -> bool:
    """No cell holds anything but whitespace (one join instead of a strip per cell)."""
    return not "".join(cells).strip()


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def has_control_characters(text: str) -> bool:
    return _CONTROL.search(text) is not None


def clean_multiline(value: str) -> str:
    """Notes and descriptions: line breaks kept (as \\n), control characters dropped."""
    if not value:
        return ""
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    if _CONTROL.search(text):
        text = _CONTROL.sub("", text)
    return text.strip()


def checked_email(value: str) -> str:
    """A normalised e-mail address; ``BadRow`` if it is not one."""
    address = normalise_email(value)
    if len(address) > 254:
        raise BadRow(f"“{address[:60]}…” is too long for an e-mail address.")
    try:
        validate_email(address)
    except ValidationError:
        raise BadRow(f"“{value[:200]}” is not an e-mail address.") from None
    return address


def add_email(
    row: PersonRow | OrganisationRow, value: str, label: str = "", *, quiet: bool = False
) -> None:
    """Add ``value`` to the row's e-mails, or to its dropped values when it is no address
    (``quiet``: keep it in the notes instead, as phones write junk into EMAIL)."""
    try:
        address = checked_email(value)
    except BadRow as exc:
        if quiet:
            row.remarks.append(str(exc))
        else:
            row.dropped.append(str(exc))
        return
    if all(address != have for have, _label in row.emails):
        row.emails.append((address, label))


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
        raise BadRow(f"{what} “{value[:100]}” is not a date Grapevine understands.")
    return when


def profile_url(value: str) -> str:
    """``canonical_linkedin_url`` (which has the fast path for the form exports write)."""
    return canonical_linkedin_url(value)


@functools.lru_cache(maxsize=16384)  # an export repeats the same few thousand dates
def _parse_when(value: str) -> dt.datetime | None:
    text = clean_text(value)
    text = text.replace("\u202f", " ")  # narrow no-break space before AM/PM
    utc = False
    if text.upper().endswith(" UTC"):
        text, utc = text[:-4].strip(), True
    elif text.endswith("Z"):
        text, utc = text[:-1], True
    if len(text) > 40:
        return None
    for fmt in _DATE_FORMATS:
        try:
            when = dt.datetime.strptime(text, fmt)
        except ValueError:
            continue
        return when.replace(tzinfo=dt.UTC) if utc else when
    # ISO 8601 with an offset or fractions ("2024-05-30T14:03:12.000+02:00").
    try:
        when = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    if when.tzinfo is None and utc:
        when = when.replace(tzinfo=dt.UTC)
    return when
