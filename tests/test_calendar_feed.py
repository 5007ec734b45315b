"""The private iCalendar feed: parsed back with icalendar; revoking the token → 404."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from grapevine.accounts.models import User
from grapevine.coach.models import CoachSettings
from grapevine.coach.services import calendar_token_regenerate, settings_update, todo_create
from grapevine.meetings.services import meeting_request, meeting_schedule
from tests.test_coach_rules import person

pytestmark = pytest.mark.django_db


@pytest.fixture
def feed_owner(owner: User) -> User:
    settings_update(owner, practice_meetings=0, weekly_requests_goal=0, weekly_meetings_goal=0)
    john = person(owner, "John Public")
    meeting = meeting_request(owner, john, minutes=20, when=timezone.now() - dt.timedelta(days=1))
    meeting_schedule(
        meeting, timezone.now() + dt.timedelta(days=2), place="Café Central", when=timezone.now()
    )
    todo_create(owner, title="Send Ana the pricing article", due_on=timezone.localdate())
    return owner


def feed_url(user: User) -> str:
    token = CoachSettings.objects.get(user=user).calendar_token
    assert token
    return reverse("coach:calendar_feed", args=[token])


def test_feed_has_meetings_as_events_and_due_actions_as_todos(feed_owner: User) -> None:
    calendar_token_regenerate(feed_owner)
    response = Client().get(feed_url(feed_owner))  # no login: the token is the key
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")

    cal = Calendar.from_ical(response.content)
    assert str(cal["VERSION"]) == "2.0"
    [event] = cal.walk("VEVENT")
    assert str(event["SUMMARY"]) == "Information meeting with John Public (20 min)"
    assert str(event["LOCATION"]) == "Café Central"
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert end - start == dt.timedelta(minutes=20)
    assert "never for a job (R1)" in str(event["DESCRIPTION"])
    todos = cal.walk("VTODO")
    summaries = [str(t["SUMMARY"]) for t in todos]
    assert "Send Ana the pricing article" in summaries
    [todo] = [t for t in todos if str(t["SUMMARY"]) == "Send Ana the pricing article"]
    assert todo.decoded("DUE") == timezone.localdate()
    assert len({str(t["UID"]) for t in todos}) == len(todos)  # stable, unique ids


def test_revoked_or_regenerated_token_answers_404(feed_owner: User, owner_client: Client) -> None:
    owner_client.post(reverse("coach:calendar_token"), {"op": "regenerate"})
    first = feed_url(feed_owner)
    assert Client().get(first).status_code == 200

    owner_client.post(reverse("coach:calendar_token"), {"op": "regenerate"})
    second = feed_url(feed_owner)
    assert second != first
    assert Client().get(first).status_code == 404
    assert Client().get(second).status_code == 200

    # Revoking asks for confirmation first.
    owner_client.post(reverse("coach:calendar_token"), {"op": "revoke"})
    assert Client().get(second).status_code == 200
    owner_client.post(reverse("coach:calendar_token"), {"op": "revoke", "confirm": "yes"})
    assert Client().get(second).status_code == 404
    assert CoachSettings.objects.get(user=feed_owner).calendar_token is None


def test_settings_page_shows_the_address_only_to_its_owner(
    feed_owner: User, owner_client: Client, other_client: Client
) -> None:
    calendar_token_regenerate(feed_owner)
    token = CoachSettings.objects.get(user=feed_owner).calendar_token
    assert token and token in owner_client.get(reverse("coach:settings")).content.decode()
    assert token not in other_client.get(reverse("coach:settings")).content.decode()


def test_a_made_up_token_is_404(feed_owner: User) -> None:
    calendar_token_regenerate(feed_owner)
    assert (
        Client().get(reverse("coach:calendar_feed", args=["not-a-real-token"])).status_code == 404
    )
