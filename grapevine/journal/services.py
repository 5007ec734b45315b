"""Writes to the journal (R17)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from grapevine.accounts.models import User
from grapevine.contacts.models import Organisation, Person
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
