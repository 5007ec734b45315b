"""Address-book CSV exports: Google Contacts and Outlook."""

from __future__ import annotations

import re

from grapevine.contacts.normalise import canonical_linkedin_url
from grapevine.transfer.formats.base import (
    BadRow,
    ParsedFile,
    PersonRow,
    Row,
    RowProblem,
    checked_email,
    csv_rows,
    header_index,
)

# Google writes several values in one cell separated by " ::: ".
_MULTI = re.compile(r"\s*:::\s*")


def _numbered(index: dict[str, int], pattern: str) -> list[str]:
    """Column names like "E-mail 3 - Value", in their numeric order."""
    regex = re.compile(pattern)
    found = [(int(m.group(1)), name) for name in index if (m := regex.fullmatch(name))]
    return [name for _, name in sorted(found)]


def _emails(values: list[str]) -> list[str]:
    out: list[str] = []
    for value in values:
        for part in _MULTI.split(value):
            if part.strip():
                address = checked_email(part)
                if address not in out:
                    out.append(address)
    return out


def _phones(values: list[str]) -> list[str]:
    out: list[str] = []
    for value in values:
        out.extend(p for p in _MULTI.split(value) if p.strip() and p not in out)
    return out


def _linkedin(values: list[str]) -> str:
    for value in values:
        for part in _MULTI.split(value):
            url = canonical_linkedin_url(part)
            if url:
                return url
    return ""


def _with_header(text: str) -> tuple[dict[str, int], list[tuple[int, list[str]]]]:
    rows = list(csv_rows(text))
    if not rows:
        return {}, []
    return header_index(rows[0][1]), rows[1:]


def _finish(parsed: ParsedFile, line: int, row: Row, person: PersonRow) -> None:
    if not (person.given_name or person.family_name or person.full_name):
        if person.organisation:
            person.full_name = person.organisation
        elif person.emails:
            person.full_name = person.emails[0]
        else:
            parsed.skipped.append(RowProblem(line, "No name, organisation or e-mail address."))
            return
    parsed.people.append(person)


def parse_google(text: str) -> ParsedFile:
    parsed = ParsedFile(format="google-csv")
    index, rows = _with_header(text)
    email_cols = _numbered(index, r"e-mail (\d+) - value")
    phone_cols = _numbered(index, r"phone (\d+) - value")
    web_cols = _numbered(index, r"website (\d+) - value")
    for line, cells in rows:
        row = Row(index, cells)
        if row.is_blank():
            continue
        try:
            emails = _emails([row.get(c) for c in email_cols])
        except BadRow as exc:
            parsed.errors.append(RowProblem(line, str(exc)))
            continue
        labels = [
            label
            for label in _MULTI.split(row.get("labels", "group membership"))
            if label and not label.startswith("*")
        ]
        person = PersonRow(
            line=line,
            given_name=row.get("first name", "given name"),
            middle_name=row.get("middle name", "additional name"),
            family_name=row.get("last name", "family name"),
            nickname=row.get("nickname"),
            organisation=row.get("organization name", "organization 1 - name"),
            job_title=row.get("organization title", "organization 1 - title"),
            emails=emails,
            phones=_phones([row.get(c) for c in phone_cols]),
            linkedin_url=_linkedin([row.get(c) for c in web_cols]),
            notes=row.raw("notes"),
            tags=labels,
        )
        person.suffix = row.get("name suffix")
        _finish(parsed, line, row, person)
    return parsed


_OUTLOOK_PHONES = (
    "mobile phone",
    "business phone",
    "business phone 2",
    "home phone",
    "home phone 2",
    "primary phone",
    "other phone",
    "car phone",
    "company main phone",
)


def parse_outlook(text: str) -> ParsedFile:
    parsed = ParsedFile(format="outlook-csv")
    index, rows = _with_header(text)
    for line, cells in rows:
        row = Row(index, cells)
        if row.is_blank():
            continue
        try:
            emails = _emails(
                [
                    row.get("e-mail address"),
                    row.get("e-mail 2 address"),
                    row.get("e-mail 3 address"),
                ]
            )
        except BadRow as exc:
            parsed.errors.append(RowProblem(line, str(exc)))
            continue
        person = PersonRow(
            line=line,
            # Outlook's "Title" is the name prefix (Mr., Dr.); the job is "Job Title".
            given_name=row.get("first name"),
            middle_name=row.get("middle name"),
            family_name=row.get("last name"),
            nickname=row.get("nickname"),
            organisation=row.get("company"),
            job_title=row.get("job title"),
            emails=emails,
            phones=_phones([row.get(c) for c in _OUTLOOK_PHONES]),
            linkedin_url=_linkedin([row.get("web page"), row.get("personal web page")]),
            notes=row.raw("notes"),
            tags=[c for c in _MULTI.split(row.get("categories").replace(";", ":::")) if c],
        )
        person.suffix = row.get("suffix")
        _finish(parsed, line, row, person)
    return parsed
