"""The .ics file of a scheduled meeting, with a reminder (VALARM) before it."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from icalendar import Alarm, Calendar, Event

from grapevine.meetings.models import Meeting

#: Remind an hour before: time to reread the prep sheet (R5).
REMINDER_BEFORE = dt.timedelta(hours=1)


def meeting_ics(meeting: Meeting, prep_url: str = "") -> bytes:
    if meeting.scheduled_for is None:
        raise ValueError("An unscheduled meeting has no calendar file.")
    cal = Calendar()
    cal.add("prodid", "-//Grapevine//Information meetings//EN")
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"meeting-{meeting.public_id}@grapevine")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", meeting.scheduled_for)
    event.add("dtend", meeting.scheduled_for + dt.timedelta(minutes=meeting.minutes))
    org = f" ({meeting.organisation.name})" if meeting.organisation else ""
    event.add("summary", f"Information meeting with {meeting.person.full_name}{org}")
    if meeting.place:
        event.add("location", meeting.place)
    lines = [
        f"{meeting.minutes} minutes, {meeting.get_channel_display().lower()} — end on time (R4).",
        f"Purpose: {meeting.get_purpose_display()}. Ask for advice, never for a job (R1).",
        "Before you leave, ask for two or three names (R10).",
    ]
    if meeting.referral_id and meeting.referral is not None:
        lines.insert(0, f"Referred by {meeting.referral.referrer.full_name}.")
    if prep_url:
        lines.append(f"Prep sheet: {prep_url}")
        event.add("url", prep_url)
    event.add("description", "\n".join(lines))
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add(
        "description",
        f"In one hour: meeting with {meeting.person.full_name}. Reread your prep sheet.",
    )
    alarm.add("trigger", -REMINDER_BEFORE)
    event.add_component(alarm)
    cal.add_component(event)
    return cal.to_ical()
