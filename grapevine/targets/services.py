"""Writes of job postings (R16)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from grapevine.accounts.models import User
from grapevine.targets.models import JobPosting

POSTING_FIELDS = (
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


@dataclass(slots=True, eq=False)
class PostingWrite:
    """A posting to create (``pk`` None) or change: ``values`` are ``POSTING_FIELDS``."""

    source: str
    external_id: str
    values: dict[str, Any]
    pk: int | None = None


def postings_write(owner: User, writes: Sequence[PostingWrite]) -> None:
    """Create and change ``owner``'s postings in bulk; a changed posting gets a fresh
    ``updated_at`` (``bulk_update`` alone would keep the old one)."""
    now = timezone.now()
    new = [
        JobPosting(owner=owner, source=w.source, external_id=w.external_id, **w.values)
        for w in writes
        if w.pk is None
    ]
    JobPosting.objects.bulk_create(new, batch_size=1000)
    changed = []
    for write in writes:
        if write.pk is None:
            continue
        posting = JobPosting(pk=write.pk, owner=owner, updated_at=now, **write.values)
        changed.append(posting)
    if changed:
        JobPosting.objects.bulk_update(changed, [*POSTING_FIELDS, "updated_at"], batch_size=500)
    created = iter(new)
    for write in writes:
        if write.pk is None:
            write.pk = next(created).pk
