"""Reads of the coach's own rows, always scoped to one owner."""

from __future__ import annotations

import datetime as dt
import uuid

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from grapevine.accounts.models import User
from grapevine.coach.models import CoachSettings, Dismissal, Snooze, Todo


def settings_for(user: User) -> CoachSettings:
    """The user's coach settings; an unsaved row with the defaults when they never changed any."""
    found = CoachSettings.objects.filter(user=user).first()
    return found if found is not None else CoachSettings(user=user)


def settings_for_calendar_token(token: str) -> CoachSettings:
    """The settings (and so the user) a calendar feed token belongs to; 404 when revoked."""
    if not token or len(token) > 64:
        raise Http404("No such calendar.")
    found = CoachSettings.objects.filter(calendar_token=token).select_related("user").first()
    if found is None or not found.user.is_active:
        raise Http404("No such calendar.")
    return found


def hidden_action_keys(owner: User, today: dt.date) -> tuple[set[str], dict[str, dt.date]]:
    """Keys the user dismissed, and keys snoozed until a later day (with that day)."""
    dismissed = set(Dismissal.objects.filter(owner=owner).values_list("action_key", flat=True))
    snoozed = dict(
        Snooze.objects.filter(owner=owner, until__gt=today).values_list("action_key", "until")
    )
    return dismissed, snoozed


def todo_list(owner: User, *, open_only: bool = True) -> QuerySet[Todo]:
    todos = Todo.objects.filter(owner=owner).select_related("person")
    if open_only:
        todos = todos.filter(done_at__isnull=True)
    return todos


def todo_get(owner: User, public_id: str | uuid.UUID) -> Todo:
    try:
        pid = public_id if isinstance(public_id, uuid.UUID) else uuid.UUID(str(public_id))
    except ValueError:
        raise Http404("No such to-do.") from None
    todo = Todo.objects.filter(owner=owner, public_id=pid).select_related("person").first()
    if todo is None:
        raise Http404("No such to-do.")
    return todo


def dismissal_list(owner: User) -> QuerySet[Dismissal]:
    return Dismissal.objects.filter(owner=owner).order_by("-created_at")


def digest_candidates() -> QuerySet[CoachSettings]:
    """Users who opted in to the digest and were not sent one in the last day (the worker
    still claims each before sending: "today" depends on each user's time zone)."""
    utc_yesterday = timezone.now().date() - dt.timedelta(days=1)
    return (
        CoachSettings.objects.filter(digest_enabled=True, user__is_active=True)
        .filter(
            Q(last_digest_on__isnull=True)
            | Q(last_digest_on__lte=utc_yesterday + dt.timedelta(days=1))
        )
        .select_related("user")
        .order_by("id")
    )
