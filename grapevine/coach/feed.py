"""The private iCalendar feed: scheduled meetings as events, due actions as to-dos.

Calendar apps (Google Calendar, Outlook, Apple Calendar) subscribe to the secret URL
and poll it; the token in the URL is the only key, so it can be revoked and regenerated.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from icalendar import Calendar, Event, Todo

from grapevine.accounts.models import User
from grapevine.coach.agenda import agenda_for
from grapevine.meetings.models import Status
from grapevine.meetings.selectors import meeting_list

#: Past meetings stay in the feed this long, so last week's calendar is not emptied.
PAST_DAYS = 30


def calendar_feed(user: User, now: dt.datetime | None = None) -> bytes:
    now = now or timezone.now()
    cal = Calendar()
    cal.add("prodid", "-//Grapevine//Coach feed//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"Grapevine — {user.label}")
    cal.add("x-published-ttl", "PT1H")
    cal.add("refresh-interval", dt.timedelta(hours=1), parameters={"VALUE": "DURATION"})

    meetings = (
        meeting_list(user)
        .filter(Q(status=Status.SCHEDULED) | Q(status=Status.HELD, held_at__isnull=False))
        .filter(scheduled_for__isnull=False, scheduled_for__gte=now - dt.timedelta(days=PAST_DAYS))
        .order_by("scheduled_for")
    )
    for meeting in meetings:
        assert meeting.scheduled_for is not None
        event = Event()
        event.add("uid", f"meeting-{meeting.public_id}@grapevine")
        event.add("dtstamp", now)
        event.add("dtstart", meeting.scheduled_for)
        event.add("dtend", meeting.scheduled_for + dt.timedelta(minutes=meeting.minutes))
        event.add(
            "summary",
            f"Information meeting with {meeting.person.full_name} ({meeting.minutes} min)",
        )
        if meeting.place:
            event.add("location", meeting.place)
        lines = [
            f"Ask for advice, never for a job (R1). End on time: {meeting.minutes} minutes (R4).",
            "Bring about ten questions; ask for two or three names at the end (R5, R10).",
        ]
        if meeting.referral_id and meeting.referral:
            lines.insert(
                0, f"Referred by {meeting.referral.referrer.full_name}: name them first (R7)."
            )
        lines.append(f"{settings.SITE_URL}/meetings/{meeting.public_id}/")
        event.add("description", "\n".join(lines))
        event.add("status", "CONFIRMED")
        cal.add_component(event)

    agenda = agenda_for(user, now)
    for action in agenda.actions:
        todo = Todo()
        digest = hashlib.sha256(action.key.encode()).hexdigest()[:32]
        todo.add("uid", f"action-{digest}@grapevine")
        todo.add("dtstamp", now)
        todo.add("summary", action.reason)
        todo.add("due", action.due)
        todo.add("status", "NEEDS-ACTION")
        todo.add("priority", 1 if action.overdue else 5)
        todo.add("categories", [action.rule_label])
        todo.add("description", f"{action.rule_label}: {action.reason}\n{settings.SITE_URL}/coach/")
        cal.add_component(todo)
    return cal.to_ical()
