"""The dashboard: counts per list, the coach's Today, and where to start when empty."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from grapevine.accounts.models import User
from grapevine.contacts.services import PersonData, person_create
from grapevine.meetings.services import meeting_hold, meeting_request, meeting_schedule

pytestmark = pytest.mark.django_db


def test_empty_dashboard_says_where_to_start(owner_client: Client) -> None:
    page = owner_client.get("/today/").content.decode()
    assert "Where to start" in page
    assert "List A first" in page


def test_dashboard_shows_the_thank_you_due_after_a_meeting(
    owner: User, owner_client: Client
) -> None:
    with time_machine.travel(dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC), tick=False):
        john = person_create(owner, PersonData(full_name="John Public", contact_list="B"))
        meeting = meeting_request(owner, john, minutes=20)
        meeting_schedule(meeting, timezone.now() + dt.timedelta(hours=2))
        meeting_hold(meeting)
    with time_machine.travel(dt.datetime(2026, 11, 20, 15, 0, tzinfo=dt.UTC), tick=False):
        page = owner_client.get("/today/").content.decode()
    assert "Where to start" not in page
    assert "John Public" in page
    assert "R11" in page
    assert "List B" in page
