"""Reads of the transfer app, always scoped to one owner."""

from __future__ import annotations

import uuid

from django.db.models import Count, QuerySet
from django.http import Http404

from grapevine.accounts.models import User
from grapevine.contacts.models import Organisation, Person
from grapevine.journal.models import Entry
from grapevine.transfer.models import PendingImport


def export_people(owner: User, *, contact_list: str | None = None) -> QuerySet[Person]:
    people = Person.objects.filter(owner=owner)
    if contact_list:
        people = people.filter(contact_list=contact_list.upper())
    return people.select_related("organisation").prefetch_related("emails", "phones", "tags")


def export_organisations(owner: User) -> QuerySet[Organisation]:
    return (
        Organisation.objects.filter(owner=owner)
        .annotate(people_count=Count("people", distinct=True))
        .prefetch_related("aliases")
    )


def export_entries(owner: User) -> QuerySet[Entry]:
    return (
        Entry.objects.filter(owner=owner)
        .select_related("organisation")
        .prefetch_related("people")
        .order_by("occurred_at", "id")
    )


def pending_import_get(owner: User, public_id: str | uuid.UUID) -> PendingImport:
    try:
        pid = public_id if isinstance(public_id, uuid.UUID) else uuid.UUID(str(public_id))
    except ValueError:
        raise Http404("No such upload.") from None
    pending = PendingImport.objects.filter(owner=owner, public_id=pid).first()
    if pending is None:
        raise Http404("No such upload: it was imported, cancelled or belongs to someone else.")
    return pending
