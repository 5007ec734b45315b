"""The meeting pages, driven through Django's test client as a user would."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import icalendar
import pytest
import time_machine
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from grapevine.accounts.models import User
from grapevine.contacts.models import ContactList, Referral
from grapevine.journal.models import Entry, Kind
from grapevine.meetings import services
from grapevine.meetings.models import Meeting, Promise, Status
from tests.factories import OrganisationFactory, PersonFactory, ReferralFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def john(owner: User):  # type: ignore[no-untyped-def]
    org = OrganisationFactory(owner=owner, name="Acme Analytics")
    return PersonFactory(
        owner=owner, given_name="John", family_name="Berg", full_name="John Berg", organisation=org
    )


def test_request_form_refuses_45_minutes_with_the_reason(owner_client: Client, john) -> None:  # type: ignore[no-untyped-def]
    response = owner_client.post(
        reverse("meetings:meeting_request"),
        {"person": "John Berg", "minutes": 45, "channel": "in_person", "purpose": "advice"},
    )
    assert response.status_code == 200
    assert "at most 30 minutes, not 45" in response.content.decode()
    assert "R4" in response.content.decode()
    assert not Meeting.objects.exists()


def test_request_form_names_an_unknown_person(owner_client: Client, john) -> None:  # type: ignore[no-untyped-def]
    response = owner_client.post(
        reverse("meetings:meeting_request"),
        {"person": "Nobody Here", "minutes": 20, "channel": "in_person", "purpose": "advice"},
    )
    assert "Nobody called “Nobody Here”" in response.content.decode()


def test_empty_meeting_list_says_what_to_do_first(owner_client: Client) -> None:
    page = owner_client.get(reverse("meetings:meeting_list")).content.decode()
    assert "No meetings yet" in page
    assert "list A" in page


def test_whole_flow_through_the_pages(owner: User, owner_client: Client, john) -> None:  # type: ignore[no-untyped-def]
    sara = PersonFactory(
        owner=owner, full_name="Sara Lind", given_name="Sara", family_name="Lind", contact_list="A"
    )
    ReferralFactory(
        owner=owner, referrer=sara, referred=john, reason="he moved from teaching into data"
    )
    response = owner_client.post(
        reverse("meetings:meeting_request"),
        {"person": "John Berg", "minutes": 20, "channel": "in_person", "purpose": "advice"},
    )
    meeting = Meeting.objects.get()
    assert response.url == reverse("meetings:meeting_detail", args=[meeting.public_id])
    detail = owner_client.get(response.url).content.decode()
    assert "Sara Lind" in detail and "he moved from teaching into data" in detail

    # The warm request names the referrer (R7).
    response = owner_client.post(
        reverse("messaging:draft_new"), {"kind": "request_warm", "meeting": meeting.public_id}
    )
    draft_page = owner_client.get(response.url).content.decode()
    assert "Sara Lind suggested I contact you" in draft_page

    owner_client.post(
        reverse("meetings:meeting_schedule", args=[meeting.public_id]),
        {
            "scheduled_for": "2030-05-06T10:00",
            "channel": "video",
            "place": "https://meet.example/abc",
        },
    )
    meeting.refresh_from_db()
    assert meeting.status == Status.SCHEDULED

    ics = owner_client.get(reverse("meetings:meeting_ics", args=[meeting.public_id]))
    cal = icalendar.Calendar.from_ical(ics.content)
    event = next(iter(cal.walk("VEVENT")))
    assert event.decoded("dtend") - event.decoded("dtstart") == dt.timedelta(minutes=20)
    assert list(event.walk("VALARM")), "the calendar file carries a reminder"

    owner_client.post(reverse("meetings:meeting_set_status", args=[meeting.public_id, "held"]))
    response = owner_client.post(
        reverse("meetings:meeting_notes", args=[meeting.public_id]),
        {
            "notes": "- Data teams at #Acme_Analytics grow by internal moves\n- talk to @Maria Holm about analytics bootcamps"
        },
    )
    notes_page = owner_client.get(
        reverse("meetings:meeting_notes", args=[meeting.public_id])
    ).content.decode()
    assert "Maria Holm" in notes_page and "Ask about at the end" in notes_page

    debrief_page = owner_client.get(
        reverse("meetings:meeting_debrief", args=[meeting.public_id])
    ).content.decode()
    assert 'value="Maria Holm"' in debrief_page, (
        "names from the notes are offered as referrals (R9)"
    )

    data = {
        "how_it_went": "Warm and open.",
        "learned": "Data teams grow by internal moves",
        "will_act_on": "Take the SQL course",
        "help_offered": "Offered to review his workshop slides",
        "ref-TOTAL_FORMS": "3",
        "ref-INITIAL_FORMS": "0",
        "ref-0-name": "Maria Holm",
        "ref-0-new_list": "C",
        "ref-0-reason": "runs the bootcamp",
        "ref-0-may_contact": "on",
        "ref-0-may_use_name": "on",
        "ref-1-name": "Sara Lind",
        "ref-1-new_list": "C",
        "ref-1-may_contact": "on",
        "ref-2-new_list": "C",
        "ref-2-may_contact": "on",
        "promise-TOTAL_FORMS": "2",
        "promise-INITIAL_FORMS": "0",
        "promise-0-text": "Send him the article on data mesh",
        "promise-0-due_on": "2030-05-08",
    }
    response = owner_client.post(
        reverse("meetings:meeting_debrief", args=[meeting.public_id]), data
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    edges = Referral.objects.filter(referrer=john).select_related("referred")
    assert {e.referred.full_name for e in edges} == {"Maria Holm", "Sara Lind"}
    maria = next(e for e in edges if e.referred.full_name == "Maria Holm")
    assert maria.may_use_name and maria.reason == "runs the bootcamp"
    assert maria.referred.contact_list == ContactList.C
    assert Promise.objects.get().text == "Send him the article on data mesh"
    assert Entry.objects.filter(kind=Kind.HELP_GIVEN, people=john).exists()

    response = owner_client.post(
        reverse("messaging:draft_new"), {"kind": "thank_you", "meeting": meeting.public_id}
    )
    thank_you = owner_client.get(response.url).content.decode()
    # The debrief is raised in sentences of the letter, not pasted as jotted (R11).
    assert "how I see my next step: Data teams grow by internal moves." in thank_you
    assert "Next, I will take the SQL course." in thank_you
    draft_id = response.url.rstrip("/").split("/")[-1]
    owner_client.post(reverse("messaging:draft_mark_sent", args=[draft_id]), {"via": "copy"})

    detail = owner_client.get(
        reverse("meetings:meeting_detail", args=[meeting.public_id])
    ).content.decode()
    assert "Thanked on" in detail
    for subject in (
        "Asked John Berg",
        "Scheduled the meeting",
        "Information meeting with John Berg",
        "Debrief of the meeting",
        "Thank-you: ",
    ):
        assert subject in detail, subject


def test_prep_sheet_has_questions_drill_referrer_and_closing_asks(
    owner: User, owner_client: Client, john
) -> None:  # type: ignore[no-untyped-def]
    sara = PersonFactory(owner=owner, full_name="Sara Lind")
    ReferralFactory(owner=owner, referrer=sara, referred=john, reason="knows the field")
    meeting = services.meeting_request(owner, john)
    services.drill_save(owner, "I taught maths for ten years and now I build dashboards.")
    owner_client.post(
        reverse("meetings:meeting_prep", args=[meeting.public_id]),
        {
            "purpose": "industry_info",
            "research_person": "Wrote a post on **churn**",
            "research_organisation": "",
            "jargon": "ARR, NPS",
        },
    )
    owner_client.post(
        reverse("meetings:meeting_questions", args=[meeting.public_id]),
        {"question": ["path-1", "trends-1", "closing-1"]},
    )
    sheet = owner_client.get(
        reverse("meetings:meeting_prep_sheet", args=[meeting.public_id])
    ).content.decode()
    assert "How did you get into this work?" in sheet
    assert "<strong>churn</strong>" in sheet
    assert "I taught maths for ten years" in sheet
    assert "Referred by Sara Lind" in sheet and "knows the field" in sheet
    assert "Who else should I talk to?" in sheet
    assert "meetings/meetings.css" in sheet
    stylesheet = Path(finders.find("meetings/meetings.css")).read_text()
    assert "@media print" in stylesheet, "the sheet prints without the site's header and buttons"
    download = owner_client.get(
        reverse("meetings:meeting_prep_sheet", args=[meeting.public_id]) + "?format=md"
    )
    assert download["Content-Disposition"].startswith("attachment")
    text = download.content.decode()
    assert "1. How did you get into this work?" in text and "ARR, NPS" in text


def test_user_text_is_escaped_in_notes_and_research(
    owner: User, owner_client: Client, john
) -> None:  # type: ignore[no-untyped-def]
    meeting = services.meeting_request(owner, john)
    services.meeting_prep_update(meeting, research_person="<script>alert(1)</script>")
    services.meeting_notes_save(meeting, "@<b>Bad</b> <img src=x onerror=alert(1)>")
    sheet = owner_client.get(
        reverse("meetings:meeting_prep_sheet", args=[meeting.public_id])
    ).content.decode()
    notes = owner_client.get(
        reverse("meetings:meeting_notes", args=[meeting.public_id])
    ).content.decode()
    assert "<script>alert(1)</script>" not in sheet
    assert "<img src=x" not in notes


def test_another_user_gets_404_everywhere(owner: User, other_client: Client, john) -> None:  # type: ignore[no-untyped-def]
    meeting = services.meeting_request(owner, john)
    promise = services.promise_create(
        owner, text="Send the CV", due_on=timezone.localdate(), meeting=meeting
    )
    for name in (
        "meeting_detail",
        "meeting_prep",
        "meeting_prep_sheet",
        "meeting_notes",
        "meeting_debrief",
        "meeting_ics",
    ):
        assert (
            other_client.get(reverse(f"meetings:{name}", args=[meeting.public_id])).status_code
            == 404
        ), name
    assert (
        other_client.post(
            reverse("meetings:meeting_set_status", args=[meeting.public_id, "held"])
        ).status_code
        == 404
    )
    assert (
        other_client.post(reverse("meetings:promise_done", args=[promise.public_id])).status_code
        == 404
    )
    meeting.refresh_from_db()
    assert meeting.status == Status.REQUESTED


def test_question_bank_star_and_own_question(owner: User, owner_client: Client) -> None:
    page = owner_client.get(reverse("meetings:question_bank")).content.decode()
    assert "TIARA — Trends" in page
    response = owner_client.post(
        reverse("meetings:question_star"), {"key": "advice-1"}, HTTP_HX_REQUEST="true"
    )
    assert "★" in response.content.decode()
    owner_client.post(
        reverse("meetings:question_bank"),
        {"group": "closing", "text": "Which meetup should I attend next?"},
    )
    page = owner_client.get(reverse("meetings:question_bank")).content.decode()
    assert "Which meetup should I attend next?" in page


def test_drill_warns_past_two_minutes_and_keeps_versions(owner: User, owner_client: Client) -> None:
    owner_client.post(reverse("meetings:drill"), {"text": "word " * 100})
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=5)):
        response = owner_client.post(
            reverse("meetings:drill"), {"text": "word " * 300}, follow=True
        )
    page = response.content.decode()
    assert "300 words" in page and "over two minutes" in page
    assert "100 words" in page, "the earlier version is kept"


def test_practice_log_suggests_list_a_first(owner: User, owner_client: Client) -> None:
    PersonFactory(owner=owner, full_name="Boss Person", contact_list="B")
    page = owner_client.get(reverse("meetings:drill")).content.decode()
    assert "Practise first with someone on list A" in page
    response = owner_client.post(
        reverse("meetings:drill_practice"),
        {"person": "Boss Person", "practised_on": "2026-01-05"},
        follow=True,
    )
    assert "Practise on list A first" in response.content.decode()


def test_request_form_warns_before_asking_a_senior_list_c_person(owner_client, owner) -> None:  # type: ignore[no-untyped-def]
    from tests.factories import PersonFactory

    boss = PersonFactory(
        owner=owner, full_name="Vera Boss", contact_list="C", seniority="executive"
    )
    friend = PersonFactory(owner=owner, full_name="Sam Friend", contact_list="A")
    page = owner_client.get(f"/meetings/new/?person={boss.public_id}").content.decode()
    assert "Practise on lists A and B first" in page and "(R3)" in page
    page = owner_client.get(f"/meetings/new/?person={friend.public_id}").content.decode()
    assert "Practise on lists A and B first" not in page
