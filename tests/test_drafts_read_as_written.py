"""Every draft kind reads as a person writes and passes Grapevine's own checks, across the
shapes real data takes: with and without a referrer, notes, a debrief, an organisation;
lists A, B and C (R7, R11, R12, R14, R15)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from grapevine.accounts.models import User
from grapevine.contacts.models import ContactList
from grapevine.meetings import services as meeting_services
from grapevine.messaging import services
from grapevine.messaging.models import Draft, DraftKind, SentVia
from tests.factories import OrganisationFactory, PersonFactory, ReferralFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC)
THIRD_PERSON = re.compile(r"\b(he|she|him|his|her|hers|himself|herself)\b", re.IGNORECASE)


@pytest.fixture(autouse=True)
def frozen():  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def me(owner: User) -> User:
    owner.display_name = "Alex Martin"
    owner.save(update_fields=["display_name"])
    return owner


def _person(owner: User, name: str, contact_list: str = ContactList.C, org: str = "", **extra):  # type: ignore[no-untyped-def]
    given, family = name.split(" ", 1)
    organisation = OrganisationFactory(owner=owner, name=org) if org else None
    return PersonFactory(
        owner=owner,
        full_name=name,
        given_name=given,
        family_name=family,
        contact_list=contact_list,
        organisation=organisation,
        **extra,
    )


def _held(
    owner: User, person, *, notes: str = "", learned: str = "", act_on: str = "", referrals=()
):  # type: ignore[no-untyped-def]
    meeting = meeting_services.meeting_request(owner, person, when=NOW - dt.timedelta(days=9))
    meeting_services.meeting_schedule(
        meeting, NOW - dt.timedelta(days=2), when=NOW - dt.timedelta(days=8)
    )
    meeting_services.meeting_hold(meeting)
    if notes:
        meeting_services.meeting_notes_save(meeting, notes)
    meeting_services.meeting_debrief(
        meeting,
        learned=learned,
        will_act_on=act_on,
        referrals=[meeting_services.ReferralInput(new_name=n) for n in referrals],
    )
    return meeting


def _assert_sendable(draft: Draft) -> None:
    """What a user would notice before sending: it passes the checks with no finding, has no
    gap or placeholder, no pronoun about the recipient, and is signed with their name."""
    report = services.draft_check(draft)
    assert report.findings == [], (draft.kind, draft.body, report.findings)
    text = f"{draft.subject}\n{draft.body}"
    assert "[" not in text and "{" not in text, text
    assert "your organisation" not in text
    assert not THIRD_PERSON.search(draft.body), draft.body
    assert draft.body.rstrip().endswith("Alex Martin")


@pytest.mark.parametrize(
    ("contact_list", "org", "title"),
    [
        (ContactList.C, "Acme Analytics", "Head of Data"),
        (ContactList.C, "", ""),
        (ContactList.B, "Hydra Engineering", ""),
        (ContactList.A, "", ""),
    ],
)
def test_requests_not_hiring_answers_and_follow_ups(
    me: User, contact_list: str, org: str, title: str
) -> None:
    person = _person(me, "John Public", contact_list, org, job_title=title)
    request = services.draft_create(me, "request", person=person)
    _assert_sendable(request)
    if org:
        assert org in request.body
    if contact_list == ContactList.A:
        assert request.body.startswith("Hi John,") and "caught my attention" not in request.body
    _assert_sendable(services.draft_create(me, "not-hiring", person=person))
    # Nothing was sent yet: a follow-up would claim what the journal does not hold.
    with pytest.raises(ValidationError, match="no message to John Public"):
        services.draft_create(me, "follow-up", person=person)
    services.draft_mark_sent(request, via=SentVia.COPY, when=NOW - dt.timedelta(days=9))
    follow_up = services.draft_create(me, "follow-up", person=person)
    _assert_sendable(follow_up)
    assert "I wrote to you on Sunday 1 March" in follow_up.body


@pytest.mark.parametrize(
    ("reason", "said"),
    [
        ("he knows everyone in town", "told me you know everyone in town"),
        ("John made the same move ten years ago", "told me you made the same move ten years ago"),
        (
            "the best person for water utilities",
            "told me you are the best person for water utilities",
        ),
        ("because his team runs the city's data", "told me your team runs the city's data"),
        ("he helped me move house once; owes me one", None),
        ("", None),
    ],
)
def test_warm_request_gives_the_reason_to_the_person_it_is_about(
    me: User, reason: str, said: str | None
) -> None:
    sara = _person(me, "Sara Smith", ContactList.A)
    john = _person(me, "John Public", ContactList.C, "Northwind")
    ReferralFactory(owner=me, referrer=sara, referred=john, reason=reason)
    draft = services.draft_create(me, "request", person=john)
    assert draft.kind == DraftKind.REQUEST_WARM
    first = draft.body.split("\n\n")[1]
    assert first.startswith("Sara Smith suggested I contact you")
    if said:
        assert said in first
    else:
        assert first.startswith("Sara Smith suggested I contact you. I am exploring")
    _assert_sendable(draft)
    # The follow-up reminds them who sent you (R7), with the real date of the request.
    meeting_services.meeting_request(me, john, when=NOW - dt.timedelta(days=10))
    follow_up = services.draft_create(me, "follow-up", person=john)
    assert "(Sara Smith suggested I contact you)" in follow_up.body
    assert "on Saturday 28 February" in follow_up.body
    _assert_sendable(follow_up)


def test_confirmation_says_when_and_refuses_an_unscheduled_meeting(me: User) -> None:
    john = _person(me, "John Public", ContactList.C, "Northwind")
    meeting = meeting_services.meeting_request(me, john, channel="phone")
    with pytest.raises(ValidationError, match="Schedule the meeting"):
        services.draft_create(me, "confirmation", meeting=meeting)
    meeting_services.meeting_schedule(meeting, NOW + dt.timedelta(days=2, hours=1))
    draft = services.draft_create(me, "confirmation", meeting=meeting)
    assert "Thursday 12 March at" in draft.body and "by phone" in draft.body
    _assert_sendable(draft)


@pytest.mark.parametrize(
    ("org", "notes", "learned", "act_on", "referrals"),
    [
        ("", "- SQL first, Python later\n- @Maria Holm runs the internal bootcamp", "", "", ()),
        ("Acme", "", "Internal moves matter more than job boards", "Take the SQL course", ()),
        ("", "", "", "", ("Mary Major", "Tom Ray")),
        ("Acme", "", "", "", ()),
        (
            "",
            "- dashboards replace the Excel packs",
            "",
            "Sign up for the Looker course",
            ("Ann Lee",),
        ),
    ],
)
def test_thank_you_and_report_back(
    me: User, org: str, notes: str, learned: str, act_on: str, referrals: tuple[str, ...]
) -> None:
    sara = _person(me, "Sara Smith", ContactList.A)
    john = _person(me, "John Public", ContactList.C, org)
    ReferralFactory(owner=me, referrer=sara, referred=john, reason="he knows everyone")
    meeting = _held(me, john, notes=notes, learned=learned, act_on=act_on, referrals=referrals)
    thanks = services.draft_create(me, "thank-you", meeting=meeting)
    _assert_sendable(thanks)
    assert "@" not in thanks.body and "- " not in thanks.body  # notes are not pasted as jotted
    for name in referrals:
        assert name in thanks.body
    report_back = services.draft_create(me, "report-back", meeting=meeting)
    assert report_back.person == sara and report_back.body.startswith("Dear Sara,") is False
    assert report_back.body.startswith("Hi Sara,")  # Sara is on list A
    assert "putting me in touch with John Public" in report_back.body
    _assert_sendable(report_back)


def test_keep_in_touch_tells_news_from_the_journal(me: User) -> None:
    sara = _person(me, "Sara Smith", ContactList.A)
    john = _person(me, "John Public", ContactList.C, "Northwind")
    ReferralFactory(owner=me, referrer=sara, referred=john)
    _held(me, john, learned="Data teams grow by internal moves")
    draft = services.draft_create(me, "keep-in-touch", person=sara)
    assert "one conversation, at Northwind" in draft.body
    assert "Thank you again for introducing me to John Public." in draft.body
    _assert_sendable(draft)
    # With nothing to tell, the news is a gap the checks flag — never an invented update.
    lone = _person(me, "Tom Ray", ContactList.B)
    with time_machine.travel(NOW + dt.timedelta(days=1), tick=False):
        meeting_services.meeting_request(me, lone)
        empty = services.draft_create(me, "keep-in-touch", person=lone)
    assert "[what happened since you were last in touch]" in empty.body
    assert not services.draft_check(empty).ok


def test_signed_with_the_name_given_at_user_create_else_from_the_email() -> None:
    user = User.objects.create_user("alex.martin@example.org", "correct horse battery staple")
    assert user.sign_name == "Alex Martin"
    user.display_name = "Alexandra Martin-Ruiz"
    assert user.sign_name == "Alexandra Martin-Ruiz"


def test_thank_you_day_is_the_day_held(me: User) -> None:
    john = _person(me, "John Public", ContactList.C, "Acme")
    meeting = _held(me, john, learned="Internal moves matter")
    draft = services.draft_create(me, "thank-you", meeting=meeting)
    held = timezone.localtime(meeting.held_at)
    assert f"on {held:%A} {held.day} {held:%B}" in draft.body
