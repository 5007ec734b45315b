"""Address-book CSV exports: Google Contacts (today's and the older "Given Name" layout),
Gmail's 2005-era export ("Name,E-mail,Notes" and "Name,E-mail Address,…,Section 1 - …"),
Outlook (desktop and Outlook.com, with first/last or a single "Name" column), Thunderbird,
and any CSV with a name column and an e-mail, phone or company column.

One parser reads them all by column synonyms; the layout only decides the format name
the import reports. A row with no person's name but a company is an organisation, not a
person named after the company; a row with only an e-mail address is a person known by
that address.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from grapevine.contacts.normalise import canonical_linkedin_url
from grapevine.transfer.formats.base import (
    Item,
    OrganisationRow,
    PersonRow,
    Row,
    RowProblem,
    add_email,
    has_control_characters,
)
from grapevine.transfer.formats.layouts import CsvInput, Layout, register
from grapevine.transfer.formats.names import compose_name

# Google writes several values in one cell separated by " ::: "; older exports and
# hand-made files use ";" or ",", which no address or phone number contains.
_MULTI = re.compile(r"\s*(?::::|;)\s*")
_MULTI_EMAIL = re.compile(r"\s*(?::::|;|,)\s*")

DISPLAY = ("name", "full name", "display name")
GIVEN = ("first name", "given name", "first")
MIDDLE = ("middle name", "additional name", "middle")
FAMILY = ("last name", "family name", "surname", "last")
SUFFIX = ("name suffix", "suffix")
NICKNAME = ("nickname", "nick name", "short name")
ORGANISATION = (
    "organization name",
    "organization 1 name",
    "company",
    "organization",
    "organisation",
    "section 1 company",
    "employer",
)
JOB_TITLE = (
    "job title",
    "organization title",
    "organization 1 title",
    "section 1 title",
    "position",
)
NOTES = ("notes", "note")
TAGS = ("labels", "group membership", "categories", "category")
# Columns that hold e-mail addresses (besides Google's numbered "E-mail N - Value").
EMAIL_COLUMNS = (
    "e mail address",
    "e mail 2 address",
    "e mail 3 address",
    "e mail",
    "email",
    "email address",
    "primary email",
    "secondary email",
    "alternate email 1",
    "alternate email 2",
    "section 1 email",
    "section 2 email",
    "section 3 email",
)
# Outlook's, Thunderbird's and Gmail 2005's phone columns, with the label they mean.
PHONE_COLUMNS = {
    "mobile phone": "mobile",
    "business phone": "work",
    "business phone 2": "work",
    "home phone": "home",
    "home phone 2": "home",
    "primary phone": "",
    "other phone": "other",
    "car phone": "car",
    "company main phone": "work",
    "pager": "pager",
    "business fax": "fax",
    "home fax": "fax",
    "work phone": "work",
    "mobile number": "mobile",
    "pager number": "pager",
    "fax number": "fax",
    "phone": "",
    "phone number": "",
    "telephone": "",
    "mobile": "mobile",
    "section 1 phone": "",
    "section 1 mobile": "mobile",
    "section 1 pager": "pager",
    "section 1 fax": "fax",
}
WEBSITE_COLUMNS = (
    "web page",
    "personal web page",
    "web page 1",
    "web page 2",
    "website",
    "personal website",
    "business website",
    "linkedin",
    "linkedin url",
    "profile url",
)


def _numbered(index: dict[str, int], pattern: str) -> list[tuple[str, str]]:
    """("e mail 3 value", "e mail 3 label") column pairs in their numeric order."""
    regex = re.compile(pattern)
    found = []
    for name in index:
        match = regex.fullmatch(name)
        if match:
            number = match.group(2)
            found.append((int(number), name, f"{match.group(1)} {number} "))
    pairs = []
    for _number, value, stem in sorted(found):
        label = next((stem + w for w in ("label", "type") if stem + w in index), "")
        pairs.append((value, label))
    return pairs


def _label(text: str) -> str:
    """ "* Work" → "work" (Google marks the primary value with a star)."""
    return text.lstrip("* ").strip().lower()[:40]


def parse_address_book(source: CsvInput) -> Iterator[Item]:
    index = source.index
    email_pairs = _numbered(index, r"(e mail) (\d+) value")
    phone_pairs = _numbered(index, r"(phone) (\d+) value")
    web_pairs = _numbered(index, r"(website) (\d+) value")
    email_columns = [c for c in EMAIL_COLUMNS if c in index]
    phone_columns = [(c, label) for c, label in PHONE_COLUMNS.items() if c in index]
    web_columns = [c for c in WEBSITE_COLUMNS if c in index]
    # Outlook's "Title" is the name's prefix (Mr., Dr.) next to its "Job Title"; alone
    # (Yahoo, hand-made files) it is the job.
    has_job_title = any(c in index for c in JOB_TITLE)
    prefix_columns = ("name prefix", "title") if has_job_title else ("name prefix",)
    job_columns = JOB_TITLE if has_job_title else (*JOB_TITLE, "title")
    for line, cells in source.rows():
        row = Row(index, cells)
        if row.is_blank():
            continue
        remarks = []
        if has_control_characters("".join(cells)):
            remarks.append("Control characters in this row were removed.")
        display = row.get(*DISPLAY)
        given, middle, family = row.get(*GIVEN), row.get(*MIDDLE), row.get(*FAMILY)
        prefix, suffix = row.get(*prefix_columns), row.get(*SUFFIX)
        organisation = row.get(*ORGANISATION)
        person = PersonRow(
            line=line,
            given_name=given,
            middle_name=middle,
            family_name=family,
            prefix=prefix,
            suffix=suffix,
            full_name=display,
            nickname=row.get(*NICKNAME),
            organisation=organisation,
            job_title=row.get(*job_columns),
            notes=row.raw(*NOTES),
            remarks=remarks,
        )
        for value_column, label_column in email_pairs:
            label = _label(row.get(label_column)) if label_column else ""
            for part in _MULTI_EMAIL.split(row.get(value_column)):
                if part:
                    add_email(person, part, label)
        for column in email_columns:
            for part in _MULTI_EMAIL.split(row.get(column)):
                if part:
                    add_email(person, part)
        for value_column, label_column in phone_pairs:
            label = _label(row.get(label_column)) if label_column else ""
            _add_phones(person, row.get(value_column), label)
        for column, label in phone_columns:
            _add_phones(person, row.get(column), label)
        websites = [row.get(c) for c, _label_column in web_pairs] + [
            row.get(c) for c in web_columns
        ]
        for value in websites:
            for part in _MULTI.split(value):
                url = canonical_linkedin_url(part) if part else ""
                if url:
                    person.linkedin_url = url
                    break
            if person.linkedin_url:
                break
        for value in (row.get(c) for c in TAGS):
            for tag in _MULTI.split(value):
                # Google's system groups ("* myContacts", "* starred") are not tags.
                if tag and not tag.startswith("*") and tag not in person.tags:
                    person.tags.append(tag)
        if not (display or given or middle or family):
            if organisation and not person.nickname:
                website = next((w for w in websites if w.startswith(("http://", "https://"))), "")
                yield OrganisationRow(
                    line=line,
                    name=organisation,
                    emails=person.emails,
                    phones=person.phones,
                    website=website,
                    notes=person.notes,
                    dropped=person.dropped,
                    remarks=remarks,
                )
                continue
            if not (person.emails or person.nickname):
                reason = "No name, organisation or e-mail address."
                if person.dropped:
                    reason = f"No name or organisation, and {person.dropped[0]}"
                yield RowProblem(line, reason)
                continue
        if not display:
            person.full_name = compose_name(prefix, given, middle, family, suffix)
        yield person


def _add_phones(person: PersonRow, value: str, label: str) -> None:
    for part in _MULTI.split(value) if value else ():
        if part and all(part != have for have, _label in person.phones):
            person.phones.append((part, label))


def _has_name(c: dict[str, int]) -> bool:
    return any(n in c for n in (*DISPLAY, *GIVEN, *FAMILY))


def _has_contact(c: dict[str, int]) -> bool:
    return (
        any(n in c for n in (*EMAIL_COLUMNS, *PHONE_COLUMNS, *ORGANISATION, "notes"))
        or "e mail 1 value" in c
        or "phone 1 value" in c
    )


def _is_google(c: dict[str, int]) -> bool:
    return (
        "e mail 1 value" in c
        or "organization 1 name" in c
        or "organization name" in c
        or "group membership" in c
        or ("name" in c and ("e mail" in c or "section 1 email" in c))  # Gmail 2005
    )


def _is_outlook(c: dict[str, int]) -> bool:
    return "e mail address" in c and any(
        n in c for n in ("job title", "company", "business phone", "mobile phone")
    )


def _is_contacts(c: dict[str, int]) -> bool:
    return _has_name(c) and _has_contact(c)


register(
    Layout(
        name="google-csv",
        order=20,
        matches=lambda c: _is_contacts(c) and _is_google(c),
        parse=parse_address_book,
    ),
    Layout(
        name="outlook-csv",
        order=21,
        matches=lambda c: _is_contacts(c) and _is_outlook(c),
        parse=parse_address_book,
    ),
    Layout(name="contacts-csv", order=29, matches=_is_contacts, parse=parse_address_book),
)

WANTED_COLUMNS = (
    "a name column (First Name and Last Name, or Name) and an e-mail, phone or company column"
)
