"""Recognise a file and parse it: ``read_file(name, data)`` → ``ParsedFile`` or ``BadFile``.

Formats are told apart by their content (a zip's members, a vCard's first line, a CSV's
header), never by the file name alone, so a renamed export still imports.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import PurePosixPath

from django.conf import settings

from grapevine.transfer.formats.addressbook import parse_google, parse_outlook
from grapevine.transfer.formats.base import BadFile, ParsedFile, csv_rows, header_index
from grapevine.transfer.formats.linkedin import (
    parse_connections,
    parse_invitations,
    parse_messages,
)
from grapevine.transfer.formats.postings import parse_postings
from grapevine.transfer.formats.vcard import parse_vcard

__all__ = ["BadFile", "ParsedFile", "read_file"]

SUPPORTED = (
    "LinkedIn Connections.csv, Invitations.csv, messages.csv or the export .zip, "
    "Google or Outlook contacts CSV, vCard (.vcf), or a job postings CSV"
)


def max_bytes() -> int:
    return int(settings.MAX_UPLOAD_MB) * 1024 * 1024


def check_size(name: str, size: int) -> None:
    if size > max_bytes():
        raise BadFile(
            f"“{name}” is {size / 1024 / 1024:.1f} MB; the limit is {settings.MAX_UPLOAD_MB} MB "
            "(GRAPEVINE_MAX_UPLOAD_MB)."
        )


def decode(name: str, data: bytes) -> str:
    """Text of the file: UTF-8 (with or without BOM) or UTF-16 with a BOM."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise BadFile(f"“{name}” says it is UTF-16 but is not valid UTF-16.") from None
    if b"\x00" in data[:8192]:
        raise BadFile(
            f"“{name}” is a binary file, not a CSV export or a vCard. Supported: {SUPPORTED}."
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadFile(
            f"“{name}” is not UTF-8 text (byte {data[exc.start]:#04x} at position {exc.start}): "
            "save it again as “CSV UTF-8” or export it again."
        ) from None
    return text.lstrip("\ufeff")


def _csv_parser(text: str) -> Callable[[str], ParsedFile] | None:
    for _line, cells in list(csv_rows("\n".join(text.splitlines()[:12])))[:12]:
        index = header_index(cells)
        if {"first name", "last name"} <= index.keys() and (
            "connected on" in index or "position" in index
        ):
            return parse_connections
        if {"from", "to", "sent at"} <= index.keys():
            return parse_invitations
        if {"from", "date", "content"} <= index.keys():
            return parse_messages
        if (
            "e-mail 1 - value" in index
            or "organization name" in index
            or "organization 1 - name" in index
        ):
            return parse_google
        if "e-mail address" in index and ("job title" in index or "company" in index):
            return parse_outlook
        if {"job_id", "company_name", "title"} <= index.keys():
            return parse_postings
    return None


def parse_text(name: str, text: str) -> ParsedFile:
    if not text.strip():
        raise BadFile(f"“{name}” is empty: there is nothing to import.")
    if text.lstrip()[:11].upper() == "BEGIN:VCARD":
        return parse_vcard(text)
    parser = _csv_parser(text)
    if parser is None:
        raise BadFile(f"Grapevine does not recognise “{name}”. Supported: {SUPPORTED}.")
    return parser(text)


_LINKEDIN_MEMBERS = {"connections.csv": 0, "invitations.csv": 1, "messages.csv": 2}


def _parse_zip(name: str, data: bytes) -> ParsedFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise BadFile(f"“{name}” looks like a zip file but cannot be opened.") from None
    members = sorted(
        (
            info
            for info in archive.infolist()
            if PurePosixPath(info.filename).name.lower() in _LINKEDIN_MEMBERS
        ),
        key=lambda info: _LINKEDIN_MEMBERS[PurePosixPath(info.filename).name.lower()],
    )
    if not members:
        raise BadFile(
            f"“{name}” holds no Connections.csv, Invitations.csv or messages.csv: is it a LinkedIn export?"
        )
    combined = ParsedFile(format="linkedin-export")
    for info in members:
        member = PurePosixPath(info.filename).name
        check_size(member, info.file_size)  # a zip bomb stops here
        try:
            combined.extend(
                parse_text(member, decode(member, archive.read(info))), prefix=f"{member}: "
            )
        except BadFile as exc:
            raise BadFile(f"In “{name}”: {exc}") from None
    return combined


def read_file(name: str, data: bytes) -> ParsedFile:
    """Parse an uploaded or local file; ``BadFile`` with one sentence when it cannot be imported."""
    check_size(name, len(data))
    if not data.strip():
        raise BadFile(f"“{name}” is empty: there is nothing to import.")
    if data.startswith(b"PK\x03\x04"):
        return _parse_zip(name, data)
    return parse_text(name, decode(name, data))
