"""CSV and vCard out. Reads go through owner-scoped selectors; nothing here writes."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable

import vobject

from grapevine.accounts.models import User
from grapevine.contacts.models import Person
from grapevine.contacts.normalise import format_phone
from grapevine.transfer.selectors import export_entries, export_organisations, export_people

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _csv(header: list[str], rows: Iterable[Iterable[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return out.getvalue()


def people_csv(owner: User, contact_list: str | None = None) -> str:
    people = export_people(owner, contact_list=contact_list)
    return _csv(
        ["id", "name", "given name", "family name", "list", "organisation", "title", "e-mails", "phones",
         "LinkedIn", "tags", "how met", "where met", "closeness", "notes"],
        (
            [
                p.public_id, p.full_name, p.given_name, p.family_name, p.contact_list,
                p.organisation.name if p.organisation else "", p.job_title,
                "; ".join(e.address for e in p.emails.all()),
                "; ".join(t.number for t in p.phones.all()),
                p.linkedin_url, "; ".join(t.name for t in p.tags.all()),
                p.get_met_context_display() if p.met_context else "", p.met_where,
                p.get_closeness_display(), p.notes,
            ]
            for p in people
        ),
    )  # fmt: skip


def organisations_csv(owner: User) -> str:
    return _csv(
        ["id", "name", "aliases", "website", "e-mail", "phone", "people", "notes"],
        (
            [
                o.public_id,
                o.name,
                "; ".join(a.name for a in o.aliases.all()),
                o.website,
                o.email,
                o.phone,
                getattr(o, "people_count", 0),
                o.notes,
            ]
            for o in export_organisations(owner)
        ),
    )


def journal_csv(owner: User) -> str:
    return _csv(
        ["id", "date", "kind", "people", "organisation", "subject", "notes", "source"],
        (
            [
                e.public_id, e.occurred_at.isoformat(), e.get_kind_display(),
                "; ".join(p.full_name for p in e.people.all()),
                e.organisation.name if e.organisation else "", e.subject, e.notes, e.source,
            ]
            for e in export_entries(owner)
        ),
    )  # fmt: skip


def csv_files(owner: User) -> dict[str, str]:
    return {
        "people.csv": people_csv(owner),
        "organisations.csv": organisations_csv(owner),
        "journal.csv": journal_csv(owner),
    }


def csv_zip(owner: User) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in csv_files(owner).items():
            # BOM so that Excel reads the file as UTF-8.
            archive.writestr(name, "\ufeff" + text)
    return buffer.getvalue()


def person_vcard(person: Person) -> str:
    """One vCard 3.0: CRLF, folded at 75 octets, values escaped (vobject does both)."""
    card = vobject.vCard()
    card.add("n").value = vobject.vcard.Name(
        family=person.family_name,
        given=person.given_name,
        additional=person.middle_name,
        prefix=person.title_prefix,
        suffix=person.suffix,
    )
    card.add("fn").value = person.full_name
    if person.nickname:
        card.add("nickname").value = person.nickname
    if person.organisation:
        card.add("org").value = [person.organisation.name]
    if person.job_title:
        card.add("title").value = person.job_title
    for number, email in enumerate(person.emails.all()):
        line = card.add("email")
        line.value = email.address
        line.params["TYPE"] = ["INTERNET", "PREF"] if number == 0 else ["INTERNET"]
    for phone in person.phones.all():
        line = card.add("tel")
        line.value = format_phone(phone.number)
        if phone.label:
            line.params["TYPE"] = [phone.label.upper()]
    if person.linkedin_url:
        card.add("url").value = person.linkedin_url
    if person.notes:
        card.add("note").value = person.notes
    tags = [t.name for t in person.tags.all()]
    if tags:
        card.add("categories").value = tags
    card.add("uid").value = f"urn:uuid:{person.public_id}"
    return str(card.serialize())


def vcard_text(owner: User, contact_list: str | None = None) -> str:
    return "".join(person_vcard(p) for p in export_people(owner, contact_list=contact_list))
