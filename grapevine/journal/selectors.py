"""Reads from the journal, scoped to one owner."""

from __future__ import annotations

import datetime as dt
import uuid

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from grapevine.accounts.models import User
from grapevine.contacts.models import Organisation, Person
from grapevine.journal.models import Entry


def entry_list(
    owner: User,
    *,
    kind: str | None = None,
    person: Person | None = None,
    contact_list: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[Entry]:
    entries = Entry.objects.filter(owner=owner)
    if kind:
        entries = entries.filter(kind=kind)
    if person is not None:
        entries = entries.filter(people=person)
    if contact_list:
        entries = entries.filter(people__contact_list=contact_list.upper()).distinct()
    if date_from:
        entries = entries.filter(occurred_at__date__gte=date_from)
    if date_to:
        entries = entries.filter(occurred_at__date__lte=date_to)
    return entries.select_related("organisation").prefetch_related(
        Prefetch("people", queryset=Person.objects.only("public_id", "full_name", "contact_list"))
    )


def entry_get(owner: User, public_id: str | uuid.UUID) -> Entry:
    try:
        pid = public_id if isinstance(public_id, uuid.UUID) else uuid.UUID(str(public_id))
    except ValueError:
        raise Http404("No such journal entry.") from None
    entry = (
        Entry.objects.filter(owner=owner, public_id=pid)
        .select_related("organisation")
        .prefetch_related("people")
        .first()
    )
    if entry is None:
        raise Http404("No such journal entry.")
    return entry


def person_timeline(person: Person) -> QuerySet[Entry]:
    return entry_list(person.owner, person=person)


def entry_recent(owner: User, limit: int = 10) -> list[Entry]:
    return list(entry_list(owner)[:limit])


def organisation_timeline(organisation: Organisation) -> QuerySet[Entry]:
    """Journal entries about one organisation."""
    return entry_list(organisation.owner).filter(organisation=organisation)
