"""Writes of the coach: settings, snoozes, dismissals, to-dos, acting on an action,
the digest claim and the calendar token."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from grapevine.accounts.models import User
from grapevine.coach.agenda import Action, agenda_for
from grapevine.coach.calendar import local_date, user_zone
from grapevine.coach.models import CoachSettings, Dismissal, Snooze, Todo, new_calendar_token
from grapevine.contacts.models import Person
from grapevine.contacts.selectors import person_get
from grapevine.journal.models import Entry
from grapevine.journal.services import entry_create

SETTINGS_FIELDS = (
    "thank_you_hours",
    "referrals_per_meeting",
    "lead_follow_up_days",
    "second_person_business_days",
    "follow_up_business_days",
    "cadence_close_days",
    "cadence_regular_days",
    "cadence_acquaintance_days",
    "cadence_distant_days",
    "keep_in_touch_per_day",
    "practice_meetings",
    "give_back_days",
    "weekly_requests_goal",
    "weekly_meetings_goal",
    "landed_on",
    "digest_enabled",
    "digest_hour",
)


def settings_ensure(user: User) -> CoachSettings:
    found, _ = CoachSettings.objects.get_or_create(user=user)
    return found


def settings_update(user: User, **fields: Any) -> CoachSettings:
    coach_settings = settings_ensure(user)
    for name, value in fields.items():
        if name not in SETTINGS_FIELDS:
            raise ValidationError(f"Unknown coach setting “{name}”.")
        setattr(coach_settings, name, value)
    if (
        coach_settings.follow_up_business_days
        and coach_settings.second_person_business_days > coach_settings.follow_up_business_days
    ):
        raise ValidationError(
            {
                "second_person_business_days": "R15 (3B7): the second person comes before the "
                "follow-up — make this number smaller than the follow-up's."
            }
        )
    coach_settings.full_clean(exclude=["user"])
    coach_settings.save()
    return coach_settings


# -- snooze, dismiss, done -------------------------------------------------------------


def action_snooze(owner: User, key: str, until: dt.date) -> Snooze:
    today = local_date(timezone.now(), user_zone(owner))
    if until <= today:
        raise ValidationError({"until": "Snooze until a day after today."})
    snooze, _ = Snooze.objects.update_or_create(
        owner=owner, action_key=key[:200], defaults={"until": until}
    )
    return snooze


def action_dismiss(owner: User, key: str) -> Dismissal:
    try:
        with transaction.atomic():
            dismissal, _ = Dismissal.objects.get_or_create(owner=owner, action_key=key[:200])
    except IntegrityError:
        dismissal = Dismissal.objects.get(owner=owner, action_key=key[:200])
    return dismissal


def action_undismiss(owner: User, key: str) -> None:
    Dismissal.objects.filter(owner=owner, action_key=key).delete()


def action_mark_done(
    owner: User, action: Action, *, when: dt.datetime | None = None
) -> Entry | None:
    """Do what "done" means for this action: record it in the journal (so the rule that
    derived it sees it done), close the to-do or promise, or dismiss it when there is
    nothing to record (R10, R3, R17)."""
    when = when or timezone.now()
    if action.todo_id is not None:
        todo = Todo.objects.get(owner=owner, public_id=action.todo_id)
        todo_mark_done(todo, when=when)
        return None
    if action.promise_id is not None:
        from grapevine.meetings.models import Promise

        promise = Promise.objects.get(owner=owner, public_id=action.promise_id)
        try:
            from grapevine.meetings.services import promise_mark_done
        except ImportError:  # meetings' services not there yet: same effect
            promise.done_at = when
            promise.save(update_fields=["done_at", "updated_at"])
        else:
            promise_mark_done(promise, when=when)
        return None
    if not action.done_kind:
        action_dismiss(owner, action.key)
        return None
    people: list[Person] = []
    if action.done_person_id is not None:
        people = [person_get(owner, action.done_person_id)]
    organisation = None
    if not people and action.organisation_name:
        from grapevine.contacts.services import organisation_find

        organisation = organisation_find(owner, action.organisation_name)
    entry = entry_create(
        owner,
        kind=action.done_kind,
        people=people,
        occurred_at=when,
        organisation=organisation,
        subject=f"{action.rule}: done from the agenda",
        notes=action.reason,
        source="coach",
    )
    if action.rule == "R12" and action.key.startswith("R12-report:") and action.meeting_id:
        from grapevine.contacts.services import referral_mark_reported_back
        from grapevine.meetings.models import Meeting

        meeting = (
            Meeting.objects.filter(owner=owner, public_id=action.meeting_id)
            .select_related("referral")
            .first()
        )
        if meeting is not None and meeting.referral is not None:
            referral_mark_reported_back(meeting.referral, when=when)
    return entry


def action_find(owner: User, key: str, now: dt.datetime | None = None) -> Action | None:
    """The action with this key on today's agenda (None when it is gone)."""
    return agenda_for(owner, now).find(key)


# -- hand-made to-dos ----------------------------------------------------------------


def todo_create(
    owner: User, *, title: str, due_on: dt.date, person: Person | None = None, notes: str = ""
) -> Todo:
    title = " ".join(title.split())
    if not title:
        raise ValidationError({"title": "Say what to do, in a few words."})
    if person is not None and person.owner_id != owner.pk:
        raise ValidationError(
            {"person": "A to-do can only name someone from your own contact book."}
        )
    todo = Todo(owner=owner, title=title[:300], due_on=due_on, person=person, notes=notes)
    todo.full_clean()
    todo.save()
    return todo


def todo_mark_done(todo: Todo, *, when: dt.datetime | None = None) -> Todo:
    todo.done_at = when or timezone.now()
    todo.save(update_fields=["done_at", "updated_at"])
    return todo


def todo_delete(todo: Todo) -> None:
    todo.delete()


# -- the digest worker's claim -------------------------------------------------------


def digest_claim(user: User, today: dt.date) -> bool:
    """Claim today's digest for ``user`` with one conditional UPDATE.

    Several workers may run at once: the database lets exactly one UPDATE change the row
    for a given day, so exactly one worker sends the digest (healthchecks' sendreports).
    """
    claimed = CoachSettings.objects.filter(
        Q(last_digest_on__isnull=True) | Q(last_digest_on__lt=today),
        user=user,
        digest_enabled=True,
    ).update(last_digest_on=today)
    return claimed == 1


def digest_release(user: User, today: dt.date, previous: dt.date | None) -> None:
    """Give a claim back when sending failed, so a later run tries again."""
    CoachSettings.objects.filter(user=user, last_digest_on=today).update(last_digest_on=previous)


# -- the private calendar feed -------------------------------------------------------


def calendar_token_regenerate(user: User) -> CoachSettings:
    """A new secret feed URL; the old one stops working at once."""
    coach_settings = settings_ensure(user)
    coach_settings.calendar_token = new_calendar_token()
    coach_settings.save(update_fields=["calendar_token"])
    return coach_settings


def calendar_token_revoke(user: User) -> CoachSettings:
    coach_settings = settings_ensure(user)
    coach_settings.calendar_token = None
    coach_settings.save(update_fields=["calendar_token"])
    return coach_settings
