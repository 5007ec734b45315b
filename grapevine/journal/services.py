"""Writes to the journal (R17)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from grapevine.accounts.models import User
from grapevine.contacts.models import Organisation, Person
from grapevine.core.bulk import NewRow, fast_insert, insert_values
from grapevine.journal.models import Entry, Kind


def entry_create(
    owner: User,
    *,
    kind: str,
    people: Iterable[Person] = (),
    occurred_at: dt.datetime | None = None,
    organisation: Organisation | None = None,
    subject: str = "",
    notes: str = "",
    source: str = "",
    external_key: str = "",
) -> Entry:
    if kind not in Kind.values:
        raise ValidationError(
            {"kind": f"Unknown kind “{kind}”. Choose one of: {', '.join(Kind.values)}."}
        )
    people = list(people)
    for person in people:
        if person.owner_id != owner.pk:
            raise ValidationError(
                "A journal entry can only name people from your own contact book."
            )
    if organisation is not None and organisation.owner_id != owner.pk:
        raise ValidationError("A journal entry can only name your own organisations.")
    if organisation is None and len(people) == 1 and people[0].organisation_id:
        organisation = people[0].organisation
    with transaction.atomic():
        entry = Entry.objects.create(
            owner=owner,
            kind=kind,
            occurred_at=occurred_at or timezone.now(),
            organisation=organisation,
            subject=subject[:300],
            notes=notes,
            source=source,
            external_key=external_key[:200],
        )
        if people:
            entry.people.set(people)
    return entry


def entry_update(
    entry: Entry,
    *,
    kind: str,
    occurred_at: dt.datetime,
    people: Iterable[Person],
    organisation: Organisation | None,
    subject: str,
    notes: str,
) -> Entry:
    if kind not in Kind.values:
        raise ValidationError({"kind": f"Unknown kind “{kind}”."})
    with transaction.atomic():
        entry.kind = kind
        entry.occurred_at = occurred_at
        entry.organisation = organisation
        entry.subject = subject[:300]
        entry.notes = notes
        entry.save()
        entry.people.set([p for p in people if p.owner_id == entry.owner_id])
    return entry


def entry_delete(entry: Entry) -> None:
    entry.delete()


@dataclass(slots=True, eq=False)
class EntryWrite:
    """One journal entry to create in bulk (an import's messages and invitations)."""

    kind: str
    occurred_at: dt.datetime
    source: str = ""
    external_key: str = ""
    subject: str = ""
    notes: str = ""
    organisation_id: int | None = None
    person_ids: Sequence[int] = ()
    pk: int | None = None


def entries_create_many(owner: User, entries: Sequence[EntryWrite]) -> None:
    """Create many entries with their people in two set-based inserts; sets ``pk``.

    The people and organisation ids must be ``owner``'s (the caller read them through
    owner-scoped selectors or created them in the same transaction)."""
    if not entries:
        return
    kinds = set(Kind.values)  # Kind.values builds a new list at each call
    for entry in entries:
        if entry.kind not in kinds:
            raise ValidationError({"kind": f"Unknown kind “{entry.kind}”."})
    rows = [
        NewRow(
            owner_id=owner.pk,
            kind=e.kind,
            occurred_at=e.occurred_at,
            organisation_id=e.organisation_id,
            subject=e.subject,
            notes=e.notes,
            source=e.source,
            external_key=e.external_key,
        )
        for e in entries
    ]
    fast_insert(Entry, rows)
    links = []
    for entry, row in zip(entries, rows, strict=True):
        entry.pk = row.pk
        links += [(row.pk, person_id) for person_id in dict.fromkeys(entry.person_ids)]
    insert_values(Entry.people.through, ("entry_id", "person_id"), links)
