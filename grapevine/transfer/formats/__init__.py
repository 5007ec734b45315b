"""Recognise a file and read it as a stream of rows: ``read_source(source)`` → ``Reading``.

Formats are told apart by their content (a zip's members, a vCard's first line, a CSV's
header), never by the file name alone, so a renamed export still imports. Nothing here
holds a whole file: rows are parsed as the import plan asks for them.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass

from grapevine.transfer.formats import addressbook, linkedin, postings  # register layouts
from grapevine.transfer.formats.base import (
    BadFile,
    Item,
    OrganisationRow,
    PersonRow,
    PostingRow,
    RowProblem,
    csv_rows,
    header_index,
)
from grapevine.transfer.formats.layouts import HEADER_SEARCH_ROWS, CsvInput, recognise
from grapevine.transfer.formats.source import (
    Source,
    check_size,
    max_bytes,
    source_from_bytes,
    source_from_path,
    zip_members,
)
from grapevine.transfer.formats.text import Encoding, detect_encoding, open_text
from grapevine.transfer.formats.vcard import parse_vcard

__all__ = [
    "BadFile",
    "Reading",
    "Source",
    "check_size",
    "max_bytes",
    "read_source",
    "source_from_bytes",
    "source_from_path",
]

SUPPORTED = (
    "LinkedIn Connections.csv, Invitations.csv, messages.csv or the export .zip, "
    "Google or Outlook contacts CSV, vCard (.vcf), or a job postings CSV"
)
CSV_ADVICE = "save it again as “CSV UTF-8” or export it again."
VCARD_ADVICE = "export the contacts again as a vCard (.vcf) file."
WANTED = (
    "Grapevine reads LinkedIn's Connections.csv (First Name, Last Name, Connected On), "
    f"Invitations.csv and messages.csv, a contacts CSV with {addressbook.WANTED_COLUMNS}, "
    f"or a postings CSV with {postings.WANTED_COLUMNS}"
)


@dataclass
class Reading:
    """A recognised file: its format and its rows, parsed one at a time when iterated."""

    format: str
    items: Iterator[Item]


def _rows(source: Source, encoding: Encoding) -> Iterator[tuple[int, list[str]]]:
    stream = open_text(source, encoding)
    try:
        yield from csv_rows(stream, source.name)
    finally:
        stream.close()


def _csv(source: Source, encoding: Encoding) -> Reading:
    candidates = [
        (line, header_index(cells), cells)
        for line, cells in itertools.islice(_rows(source, encoding), HEADER_SEARCH_ROWS)
    ]
    found = recognise(candidates)
    if found is None:
        raise BadFile(f"Grapevine does not recognise the columns of “{source.name}”: {WANTED}.")
    layout, line, cells = found
    csv_input = CsvInput(
        name=source.name, header_line=line, header=cells, open_rows=lambda: _rows(source, encoding)
    )
    return Reading(layout.format or layout.name, layout.parse(csv_input))


def _is_empty(source: Source) -> bool:
    return source.size == 0 or (source.size <= 65536 and not source.head().strip())


def read_text_source(source: Source, *, country: str = "") -> Reading:
    if _is_empty(source):
        raise BadFile(f"“{source.name}” is empty: there is nothing to import.")
    head = source.head(4096)
    vcard_like = b"BEGIN:VCARD" in head[:1024].upper().replace(b"\x00", b"")
    vcard = vcard_like or source.name.lower().endswith((".vcf", ".vcard"))
    encoding = detect_encoding(
        source,
        country=country,
        advice=VCARD_ADVICE if vcard else CSV_ADVICE,
        noun="a vCard" if vcard else "a CSV export or a vCard",
    )
    text = head.decode(encoding.codec, errors="ignore").lstrip("\ufeff \t\r\n")
    if text[:11].upper() == "BEGIN:VCARD":
        return Reading("vcard", parse_vcard(source, encoding=encoding))
    return _csv(source, encoding)


_LINKEDIN_MEMBERS = {"connections.csv": 0, "invitations.csv": 1, "messages.csv": 2}


def _zip(source: Source, country: str) -> Reading:
    members = zip_members(source, _LINKEDIN_MEMBERS)
    if not members:
        raise BadFile(
            f"“{source.name}” holds no Connections.csv, Invitations.csv or messages.csv: "
            "is it a LinkedIn export?"
        )

    def items() -> Iterator[Item]:
        for member in members:
            prefix = member.name.removeprefix(f"{source.name}: ") + ": "
            try:
                reading = read_text_source(member, country=country)
                for item in reading.items:
                    yield _prefixed(item, prefix)
            except BadFile as exc:
                message = str(exc)
                if source.name in message:
                    raise
                raise BadFile(f"In “{source.name}”: {message}") from None

    return Reading("linkedin-export", items())


def _prefixed(item: Item, prefix: str) -> Item:
    """A zip member's row, its problems named by the member (line numbers are the
    member's own)."""
    if isinstance(item, RowProblem):
        item.reason = prefix + item.reason
    elif isinstance(item, PersonRow | OrganisationRow | PostingRow):
        item.remarks = [prefix + r for r in item.remarks]
        if not isinstance(item, PostingRow):
            item.dropped = [prefix + r for r in item.dropped]
    return item


def read_source(source: Source, *, country: str = "") -> Reading:
    """Recognise ``source``; ``BadFile`` with one sentence when it cannot be imported.

    ``country`` (the account's) settles what the encoding detector cannot: see ``text``.
    """
    if _is_empty(source):
        raise BadFile(f"“{source.name}” is empty: there is nothing to import.")
    if source.head(4).startswith(b"PK\x03\x04"):
        return _zip(source, country)
    return read_text_source(source, country=country)


# Keep the modules' names used: importing them registers their layouts.
_LAYOUT_MODULES = (linkedin, addressbook, postings)
