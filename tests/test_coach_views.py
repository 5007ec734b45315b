"""The agenda in the browser's terms: pages, one-click actions (htmx), to-dos, settings."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from grapevine.accounts.models import User
from grapevine.coach.agenda import agenda_for
from grapevine.coach.models import CoachSettings, Dismissal, Snooze, Todo
from grapevine.coach.services import action_dismiss, settings_update, todo_create
from grapevine.contacts.models import ContactList
from grapevine.journal.models import Entry, Kind
from grapevine.meetings.services import meeting_hold, meeting_request
from tests.test_coach_rules import log, person

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def thank_you_due(owner: User) -> str:
    """A meeting held an hour ago: the R11 thank-you is on today's agenda. Returns its key."""
    settings_update(owner, practice_meetings=0, weekly_requests_goal=0, weekly_meetings_goal=0)
    john = person(owner, "John Public")
    meeting = meeting_request(owner, john, when=timezone.now() - dt.timedelta(days=2))
    meeting_hold(meeting, when=timezone.now() - dt.timedelta(hours=1))
    return f"R11:{meeting.public_id}"


def test_agenda_page_shows_each_action_with_rule_reason_and_buttons(
    owner_client: Client, thank_you_due: str
) -> None:
    response = owner_client.get(reverse("coach:agenda"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Today" in html
    assert "You met John Public today; thank John within 24 hours" in html
    assert ">R11</mark>" in html
    assert "Log it done" in html and "Snooze" in html and "Dismiss" in html
    assert "hx-confirm" in html  # dismissing asks first
    assert "/messages/new/?kind=thank_you&amp;meeting=" in html  # draft the message


def test_empty_agenda_says_what_to_do_first(owner_client: Client, owner: User) -> None:
    settings_update(owner, weekly_requests_goal=0, weekly_meetings_goal=0)
    html = owner_client.get(reverse("coach:agenda")).content.decode()
    assert "Nothing due this week" in html
    assert "add someone to list A" in html


def test_log_done_with_htmx_writes_the_journal_and_returns_the_fresh_agenda(
    owner_client: Client, owner: User, thank_you_due: str
) -> None:
    response = owner_client.post(
        reverse("coach:action"), {"key": thank_you_due, "op": "done"}, **HTMX
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="coach-today"' in html and "<html" not in html
    assert "thank John" not in html
    entry = Entry.objects.get(owner=owner, kind=Kind.THANK_YOU)
    assert [p.full_name for p in entry.people.all()] == ["John Public"]


def test_snooze_and_dismiss_without_javascript_redirect_back(
    owner_client: Client, owner: User, thank_you_due: str
) -> None:
    response = owner_client.post(
        reverse("coach:action"),
        {"key": thank_you_due, "op": "snooze", "days": "3", "next": "/today/"},
    )
    assert response.status_code == 302 and response["Location"] == "/today/"
    snooze = Snooze.objects.get(owner=owner)
    assert snooze.until == timezone.localdate() + dt.timedelta(days=3)
    assert agenda_for(owner).find(thank_you_due) is None
    snooze.delete()

    response = owner_client.post(
        reverse("coach:action"),
        {"key": thank_you_due, "op": "dismiss", "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("coach:agenda")  # never off-site
    assert Dismissal.objects.filter(owner=owner, action_key=thank_you_due).exists()


def test_another_user_cannot_act_on_my_actions(
    other_client: Client, owner: User, thank_you_due: str
) -> None:
    response = other_client.post(reverse("coach:action"), {"key": thank_you_due, "op": "done"})
    assert response.status_code == 404
    assert not Entry.objects.filter(kind=Kind.THANK_YOU).exists()
    assert agenda_for(owner).find(thank_you_due) is not None
    # and my agenda is not on theirs
    assert "John Public" not in other_client.get(reverse("coach:agenda")).content.decode()


def test_todo_form_adds_to_the_agenda_and_explains_errors(
    owner_client: Client, owner: User
) -> None:
    url = reverse("coach:todo_create")
    bad = owner_client.post(url, {"title": "  ", "due_on": "next tuesday"}, **HTMX)
    assert bad.status_code == 400
    html = bad.content.decode()
    assert "Say what to do, in a few words." in html
    assert "Write the day as YYYY-MM-DD" in html
    assert not Todo.objects.exists()

    ok = owner_client.post(
        url, {"title": "Call the alumni office", "due_on": timezone.localdate().isoformat()}
    )
    assert ok.status_code == 302
    assert "Call the alumni office" in owner_client.get(reverse("coach:agenda")).content.decode()


def test_user_text_is_escaped(owner_client: Client, owner: User) -> None:
    todo_create(owner, title="<script>alert(1)</script>", due_on=timezone.localdate())
    html = owner_client.get(reverse("coach:agenda")).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_settings_save_and_refuse_a_second_person_after_the_follow_up(
    owner_client: Client, owner: User
) -> None:
    url = reverse("coach:settings")
    page = owner_client.get(url).content.decode()
    assert "R11: after a meeting is held" in page  # help text on the fields
    data = {
        field: value
        for field, value in {
            "thank_you_hours": 24,
            "referrals_per_meeting": 3,
            "lead_follow_up_days": 7,
            "second_person_business_days": 9,
            "follow_up_business_days": 7,
            "cadence_close_days": 21,
            "cadence_regular_days": 61,
            "cadence_acquaintance_days": 182,
            "cadence_distant_days": 365,
            "keep_in_touch_per_day": 5,
            "practice_meetings": 3,
            "give_back_days": 7,
            "weekly_requests_goal": 5,
            "weekly_meetings_goal": 2,
            "landed_on": "",
            "digest_hour": 7,
        }.items()
    }
    bad = owner_client.post(url, data)
    assert bad.status_code == 400
    assert "write to the second person before the follow-up" in bad.content.decode()

    data["second_person_business_days"] = 3
    data["digest_enabled"] = "on"
    assert owner_client.post(url, data).status_code == 302
    saved = CoachSettings.objects.get(user=owner)
    assert saved.referrals_per_meeting == 3 and saved.digest_enabled


def test_dismissed_actions_can_be_brought_back(
    owner_client: Client, owner: User, thank_you_due: str
) -> None:
    action_dismiss(owner, thank_you_due)
    assert thank_you_due in owner_client.get(reverse("coach:settings")).content.decode()
    owner_client.post(reverse("coach:undismiss"), {"key": thank_you_due})
    assert agenda_for(owner).find(thank_you_due) is not None


def test_template_tag_renders_today_for_the_dashboard(owner: User, thank_you_due: str) -> None:
    request = RequestFactory().get("/today/")
    request.user = owner
    html = Template("{% load coach %}{% agenda_today %}").render(Context({"request": request}))
    assert 'id="coach-today"' in html
    assert "thank John within 24 hours" in html
    assert "The whole agenda" in html


def test_r3_suggestion_offers_a_request_draft(owner_client: Client, owner: User) -> None:
    settings_update(owner, weekly_requests_goal=0, weekly_meetings_goal=0)
    sara = person(owner, "Sara Smith", contact_list=ContactList.A)
    log(owner, Kind.NOTE, sara, timezone.now())
    html = owner_client.get(reverse("coach:agenda")).content.decode()
    assert f"kind=request_cold&amp;person={sara.public_id}" in html


def test_dashboard_wiring_is_one_line(owner: User, thank_you_due: str) -> None:
    """What the dashboard needs: `{% load coach %}` and `{% agenda_today %}` in its block."""
    from django.template import RequestContext

    request = RequestFactory().get("/today/")
    request.user = owner
    page = Template(
        '{% extends "core/dashboard.html" %}{% load coach %}'
        "{% block today %}{% agenda_today %}{% endblock %}"
    ).render(RequestContext(request, {"counts": {"A": 0, "B": 1, "C": 0}, "total": 1}))
    assert 'id="coach-today"' in page
    assert "thank John within 24 hours" in page
    assert "csrfmiddlewaretoken" in page  # the one-click forms carry the token


def test_agenda_says_when_more_people_wait_for_keeping_in_touch(
    owner_client: Client, owner: User
) -> None:
    from grapevine.contacts.models import Closeness

    settings_update(
        owner,
        practice_meetings=0,
        weekly_requests_goal=0,
        weekly_meetings_goal=0,
        keep_in_touch_per_day=1,
    )
    long_ago = timezone.now() - dt.timedelta(days=400)
    for name in ("Old Friend", "Other Friend"):
        log(owner, Kind.CALL, person(owner, name, closeness=Closeness.CLOSE), long_ago)
    html = owner_client.get(reverse("coach:agenda")).content.decode()
    assert html.count("Keep in touch with") == 1  # one a day, as set
    assert "More people are due for keeping in touch (R14) than the 1 a day suggested" in html
