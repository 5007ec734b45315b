"""Reads of templates and drafts, scoped to one owner."""

from __future__ import annotations

import uuid

from django.db.models import QuerySet
from django.http import Http404

from grapevine.accounts.models import User
from grapevine.meetings.models import Meeting
from grapevine.messaging.models import Draft


def _as_uuid(public_id: str | uuid.UUID) -> uuid.UUID:
    try:
        return public_id if isinstance(public_id, uuid.UUID) else uuid.UUID(str(public_id))
    except ValueError:
        raise Http404("No such message.") from None


def draft_list(owner: User, *, sent: bool | None = None) -> QuerySet[Draft]:
    drafts = Draft.objects.filter(owner=owner).select_related(
        "person", "meeting", "meeting__person"
    )
    if sent is True:
        drafts = drafts.filter(sent_at__isnull=False)
    elif sent is False:
        drafts = drafts.filter(sent_at__isnull=True)
    return drafts


def draft_get(owner: User, public_id: str | uuid.UUID) -> Draft:
    draft = (
        Draft.objects.filter(owner=owner, public_id=_as_uuid(public_id))
        .select_related(
            "person",
            "meeting",
            "meeting__person",
            "referral",
            "referral__referrer",
            "entry",
        )
        .prefetch_related("person__emails")
        .first()
    )
    if draft is None:
        raise Http404("No such message.")
    return draft


def meeting_drafts(meeting: Meeting) -> QuerySet[Draft]:
    return Draft.objects.filter(owner=meeting.owner, meeting=meeting).select_related("person")
