"""Reads of the transfer app, always scoped to one owner."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

from django.db.models import Count, Max, QuerySet
from django.http import Http404

from grapevine.accounts.models import User
from grapevine.contacts.models import (
    Organisation,
    OrganisationAlias,
    Person,
    PersonEmail,
    PersonPhone,
    Tag,
)
from grapevine.journal.models import Entry
from grapevine.targets.models import JobPosting
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


# ---------------------------------------------------------------------------
# What an import plan reads once, to match the rows of a file (grapevine.transfer.plan)
# ---------------------------------------------------------------------------


def people_for_matching(owner: User) -> Iterator[tuple[Any, ...]]:
    """(id, given, family, full name, LinkedIn URL, organisation id, title, notes)."""
    return (
        Person.objects.filter(owner=owner)
        .order_by("id")
        .values_list(
            "id",
            "given_name",
            "family_name",
            "full_name",
            "linkedin_url",
            "organisation_id",
            "job_title",
            "notes",
        )
        .iterator(chunk_size=5000)
    )


def person_emails_for_matching(owner: User) -> QuerySet[PersonEmail, tuple[int, str]]:
    return (
        PersonEmail.objects.filter(person__owner=owner)
        .order_by("person_id", "position", "id")
        .values_list("person_id", "address")
    )


def person_phones_for_matching(owner: User) -> QuerySet[PersonPhone, tuple[int, str]]:
    return (
        PersonPhone.objects.filter(person__owner=owner)
        .order_by("person_id", "position", "id")
        .values_list("person_id", "number")
    )


def person_tags_for_matching(owner: User) -> QuerySet[Any, tuple[int, str]]:
    return Person.tags.through.objects.filter(person__owner=owner).values_list(
        "person_id", "tag__name"
    )


def organisations_for_matching(owner: User) -> Any:
    return Organisation.objects.filter(owner=owner).values(
        "id", "key", "name", "email", "phone", "website", "notes"
    )


def organisation_aliases_for_matching(owner: User) -> QuerySet[OrganisationAlias, tuple[str, int]]:
    return OrganisationAlias.objects.filter(owner=owner).values_list("key", "organisation_id")


def entry_keys_for_matching(owner: User) -> set[tuple[str, str]]:
    return set(
        Entry.objects.filter(owner=owner)
        .exclude(external_key="")
        .values_list("source", "external_key")
    )


def postings_for_matching(owner: User, source: str) -> dict[str, tuple[int | None, dict[str, Any]]]:
    """External id → (id, the fields an import compares) of the owner's postings from ``source``."""
    fields = (
        "title",
        "company_name",
        "description",
        "location",
        "url",
        "posted_at",
        "remote",
        "work_type",
        "organisation_id",
    )
    return {
        row["external_id"]: (row["id"], row)
        for row in JobPosting.objects.filter(owner=owner, source=source)
        .exclude(external_id="")
        .values("id", "external_id", *fields)
    }


def data_version(owner: User) -> list[Any]:
    """What changes whenever the owner's people, organisations, tags, journal or postings
    change: per table, the number of rows and the latest ``updated_at`` (every writer
    stamps it). An import plan notes it and is applied only if it is still the same."""
    version: list[Any] = []
    for model in (Person, Organisation, OrganisationAlias, Tag, Entry, JobPosting):
        found = model.objects.filter(owner=owner).aggregate(n=Count("id"), latest=Max("updated_at"))
        latest = found["latest"]
        version.append([found["n"], latest.isoformat() if latest else None])
    return version


def pending_import_preview(
    pending: PendingImport, *, start: int, stop: int, action: str = ""
) -> tuple[dict[str, Any], list[Any], int]:
    """The stored plan's header and rows ``start``…``stop`` (only ``action``'s, if given),
    read from the plan file: the preview reads, it never writes."""
    from grapevine.transfer.formats import BadFile
    from grapevine.transfer.plan import plan_header, plan_rows

    try:
        with pending.plan_path.open(encoding="utf-8") as lines:
            header = plan_header(lines)
        with pending.plan_path.open(encoding="utf-8") as lines:
            rows, total = plan_rows(lines, start=start, stop=stop, action=action)
    except FileNotFoundError:
        raise BadFile(
            "The uploaded file is gone (uploads are kept for a day): upload it again."
        ) from None
    except (ValueError, KeyError, TypeError, IndexError, StopIteration):
        raise BadFile("The stored preview cannot be read: upload the file again.") from None
    return header, rows, total
