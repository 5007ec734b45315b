"""Reads of targets and postings, always scoped to one owner."""

from __future__ import annotations

import uuid

from django.db.models import Q, QuerySet
from django.http import Http404

from grapevine.accounts.models import User
from grapevine.targets.models import JobPosting


def posting_list(owner: User, *, query: str = "") -> QuerySet[JobPosting]:
    postings = JobPosting.objects.filter(owner=owner)
    for word in query.split():
        postings = postings.filter(Q(title__icontains=word) | Q(company_name__icontains=word))
    return postings.select_related("organisation")


def posting_get(owner: User, public_id: str | uuid.UUID) -> JobPosting:
    try:
        pid = public_id if isinstance(public_id, uuid.UUID) else uuid.UUID(str(public_id))
    except ValueError:
        raise Http404("No such job posting.") from None
    posting = (
        JobPosting.objects.filter(owner=owner, public_id=pid).select_related("organisation").first()
    )
    if posting is None:
        raise Http404("No such job posting.")
    return posting


def posting_index(owner: User, source: str) -> dict[str, JobPosting]:
    """The owner's postings from ``source`` by external id (for idempotent imports)."""
    return {
        p.external_id: p
        for p in JobPosting.objects.filter(owner=owner, source=source).exclude(external_id="")
    }
