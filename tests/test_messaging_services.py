"""Drafts from templates, marking sent, .eml/mailto, and SMTP against a real local server."""

from __future__ import annotations

import email
import html
import re
import socket
import time
from collections.abc import Iterator
from email import policy

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from grapevine.accounts.models import User
from grapevine.journal.models import Entry, Kind
from grapevine.meetings import services as meeting_services
from grapevine.messaging import services
from grapevine.messaging.models import Draft, DraftKind, MessageTemplate, SentVia
from grapevine.messaging.templates_builtin import BUILTIN
from tests.factories import OrganisationFactory, PersonEmailFactory, PersonFactory, ReferralFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def john(owner: User):  # type: ignore[no-untyped-def]
    org = OrganisationFactory(owner=owner, name="Acme Analytics")
    person = PersonFactory(owner=owner, full_name="John Berg", given_name="John", organisation=org)
    PersonEmailFactory(person=person, address="john@acme.example")
    return person


@pytest.fixture
def sara(owner: User):  # type: ignore[no-untyped-def]
    return PersonFactory(owner=owner, full_name="Sara Lind", given_name="Sara")


def _held_meeting(owner: User, person, notes: str = "", learned: str = "", act_on: str = ""):  # type: ignore[no-untyped-def]
    meeting = meeting_services.meeting_request(owner, person)
    meeting_services.meeting_hold(meeting)
    meeting_services.meeting_notes_save(meeting, notes)
    meeting_services.meeting_debrief(meeting, learned=learned, will_act_on=act_on)
    return meeting


def test_request_is_cold_without_referral_and_warm_with_one(owner: User, john, sara) -> None:  # type: ignore[no-untyped-def]
    cold = services.draft_create(owner, "request", person=john)
    assert cold.kind == DraftKind.REQUEST_COLD
    assert "Dear John" in cold.body and "Acme Analytics" in cold.body and "20 minutes" in cold.body
    assert services.draft_check(cold).ok
    ReferralFactory(
        owner=owner, referrer=sara, referred=john, reason="he made the same move ten years ago"
    )
    warm = services.draft_create(owner, "request", person=john)
    assert warm.kind == DraftKind.REQUEST_WARM
    assert warm.subject == "Sara Lind suggested I contact you"
    assert warm.body.split("\n\n")[1].startswith(
        "Sara Lind suggested I contact you, and told me you made the same move"
    )
    assert services.draft_check(warm).ok


def test_every_builtin_template_fills_and_passes_its_checks(owner: User, john, sara) -> None:  # type: ignore[no-untyped-def]
    ReferralFactory(owner=owner, referrer=sara, referred=john, reason="knows the field")
    meeting = _held_meeting(
        owner,
        john,
        notes="- Looker dashboards replace Excel",
        learned="Internal moves matter",
        act_on="Take the SQL course",
    )
    meeting.scheduled_for = meeting.held_at
    meeting.save(update_fields=["scheduled_for"])
    for kind in DraftKind.values:
        draft = services.draft_create(owner, kind, meeting=meeting)
        assert "{" not in draft.body and "{" not in draft.subject, kind
        report = services.draft_check(draft)
        if kind == DraftKind.KEEP_IN_TOUCH:
            # News Grapevine cannot know (nothing since the meeting) is a visible, flagged gap.
            assert not report.ok and "Fill in “[" in report.errors[0].message, kind
        else:
            assert report.ok, (kind, report.findings)


def test_builtin_requests_are_short(owner: User) -> None:
    from grapevine.messaging.checks import word_count

    for kind in (DraftKind.REQUEST_COLD, DraftKind.REQUEST_WARM, DraftKind.FOLLOW_UP):
        assert word_count(BUILTIN[kind][1]) <= 75, kind


def test_thank_you_can_offer_an_article_r11(owner: User, john) -> None:  # type: ignore[no-untyped-def]
    meeting = _held_meeting(owner, john, notes="- dashboards", act_on="Try Looker")
    plain = services.draft_create(owner, "thank-you", meeting=meeting)
    assert "article" not in plain.body
    draft = services.draft_create(
        owner, "thank-you", meeting=meeting, article="https://example.org/dbt"
    )
    assert "You might like this article on what we discussed: https://example.org/dbt" in draft.body


def test_unfilled_gaps_are_flagged(owner: User, sara) -> None:  # type: ignore[no-untyped-def]
    meeting = _held_meeting(owner, sara)  # nothing recorded, no organisation
    draft = services.draft_create(owner, "thank-you", meeting=meeting)
    assert "[One thing they said, and what you will do about it]" in draft.body
    errors = services.draft_check(draft).errors
    assert {f.rule for f in errors} == {"R11"}
    assert any("[One thing they said" in f.message for f in errors)


def test_thank_you_raises_points_from_the_notes_r11(owner: User, john) -> None:  # type: ignore[no-untyped-def]
    meeting = _held_meeting(
        owner,
        john,
        notes="- @Maria Holm runs the bootcamp\n- SQL matters more than Python here",
        act_on="Sign up for the SQL course",
    )
    draft = services.draft_create(owner, "thank-you", meeting=meeting)
    assert "I am glad you told me about Maria Holm." in draft.body
    assert "one thing you said: SQL matters more than Python here." in draft.body
    assert "Next, I will sign up for the SQL course." in draft.body
    assert services.draft_check(draft).ok
    services.draft_update(
        draft, subject=draft.subject, body="Dear John, thank you, it was very helpful. Alex"
    )
    findings = services.draft_check(draft).errors
    assert [f.rule for f in findings] == ["R11"]


def test_report_back_goes_to_the_referrer_and_marks_it_r12(owner: User, john, sara) -> None:  # type: ignore[no-untyped-def]
    referral = ReferralFactory(owner=owner, referrer=sara, referred=john)
    meeting = _held_meeting(owner, john, learned="Data teams grow by internal moves")
    draft = services.draft_create(owner, "report-back", meeting=meeting)
    assert draft.person == sara and draft.referral == referral
    assert "putting me in touch with John Berg" in draft.body
    services.draft_mark_sent(draft, via=SentVia.COPY)
    referral.refresh_from_db()
    assert referral.reported_back_at == draft.sent_at
    entry = Entry.objects.get(kind=Kind.REPORT_BACK)
    assert set(entry.people.all()) == {sara, john}


def test_report_back_without_referrer_is_refused(owner: User, john) -> None:  # type: ignore[no-untyped-def]
    meeting = _held_meeting(owner, john)
    with pytest.raises(ValidationError, match="no one to report back to"):
        services.draft_create(owner, "report-back", meeting=meeting)


def test_mark_sent_writes_the_text_to_the_journal(owner: User, john) -> None:  # type: ignore[no-untyped-def]
    meeting = _held_meeting(owner, john, notes="- dashboards")
    draft = services.draft_create(owner, "thank-you", meeting=meeting)
    services.draft_mark_sent(draft, via=SentVia.MAILTO)
    entry = draft.entry
    assert entry is not None and entry.kind == Kind.THANK_YOU and entry.notes == draft.body
    with pytest.raises(ValidationError, match="already"):
        services.draft_mark_sent(draft)
    with pytest.raises(ValidationError):
        services.draft_update(draft, subject="x", body="changed")
    with pytest.raises(ValidationError):
        services.draft_delete(draft)


def test_own_template_replaces_the_builtin_and_unknown_placeholders_are_refused(
    owner: User, john
) -> None:  # type: ignore[no-untyped-def]
    services.template_save(
        owner,
        DraftKind.REQUEST_COLD,
        subject="Hello {first_name}",
        body="Hi {first_name}, 15 minutes? {my_name}",
    )
    draft = services.draft_create(owner, "request", person=john)
    assert draft.subject == "Hello John" and draft.body.startswith("Hi John, 15 minutes?")
    with pytest.raises(ValidationError, match=r"\{nickname\}"):
        services.template_save(owner, DraftKind.REQUEST_COLD, subject="x", body="Hi {nickname}")
    services.template_reset(owner, DraftKind.REQUEST_COLD)
    assert (
        services.draft_create(owner, "request", person=john).subject
        == "Your advice on my next step"  # John is on list B: someone who knows your work
    )


def test_eml_and_mailto(owner: User, john) -> None:  # type: ignore[no-untyped-def]
    draft = services.draft_create(owner, "request", person=john)
    message = email.message_from_bytes(services.draft_eml(draft), policy=policy.default)
    assert message["To"] == "john@acme.example"
    assert message["Subject"] == draft.subject
    assert "Dear John" in message.get_content()
    link = services.draft_mailto(draft)
    assert link.startswith("mailto:john%40acme.example?subject=") and "Dear%20John" in link


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Inbox(Message):
    def __init__(self) -> None:
        super().__init__()
        self.messages: list[email.message.Message] = []

    def handle_message(self, message: email.message.Message) -> None:
        self.messages.append(message)


@pytest.fixture
def smtp_server(settings) -> Iterator[Inbox]:  # type: ignore[no-untyped-def]
    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.DEFAULT_FROM_EMAIL = "grapevine@example.org"
    try:
        yield inbox
    finally:
        controller.stop()


def test_send_through_a_real_smtp_server(
    owner: User, owner_client: Client, john, smtp_server: Inbox
) -> None:  # type: ignore[no-untyped-def]
    draft = services.draft_create(owner, "request", person=john)
    page = owner_client.get(
        reverse("messaging:draft_detail", args=[draft.public_id])
    ).content.decode()
    assert "Send from Grapevine" in page
    response = owner_client.post(reverse("messaging:draft_send", args=[draft.public_id]))
    assert response.status_code == 302
    for _ in range(50):  # the server hands the message over on its own thread
        if smtp_server.messages:
            break
        time.sleep(0.05)
    [received] = smtp_server.messages
    assert received["To"] == "john@acme.example"
    assert received["Reply-To"] == owner.email
    assert "Dear John" in received.get_payload(decode=True).decode()
    draft.refresh_from_db()
    assert draft.sent_via == SentVia.SMTP and draft.entry is not None


def test_send_is_hidden_and_refused_without_smtp(
    owner: User, owner_client: Client, john, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.EMAIL_HOST = ""
    draft = services.draft_create(owner, "request", person=john)
    page = owner_client.get(
        reverse("messaging:draft_detail", args=[draft.public_id])
    ).content.decode()
    assert "Send from Grapevine" not in page and "Copy the text" in page
    owner_client.post(reverse("messaging:draft_send", args=[draft.public_id]))
    draft.refresh_from_db()
    assert draft.sent_at is None


def test_draft_page_checks_live_and_other_user_gets_404(
    owner: User, owner_client: Client, other_client: Client, john
) -> None:  # type: ignore[no-untyped-def]
    draft = services.draft_create(owner, "request", person=john)
    response = owner_client.post(
        reverse("messaging:draft_check", args=[draft.public_id]),
        {"subject": "Hi", "body": "Do you have a job for me? 20 minutes?"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert "R1" in html and "“Do you have a job for me?”" in html
    draft.refresh_from_db()
    assert "job" not in draft.body, "checking does not save"
    for name in ("draft_detail", "draft_eml", "draft_delete"):
        assert (
            other_client.get(reverse(f"messaging:{name}", args=[draft.public_id])).status_code
            == 404
        )
    assert (
        other_client.post(reverse("messaging:draft_mark_sent", args=[draft.public_id])).status_code
        == 404
    )
    assert Draft.objects.get().sent_at is None


def test_delete_asks_first(owner: User, owner_client: Client, john) -> None:  # type: ignore[no-untyped-def]
    draft = services.draft_create(owner, "request", person=john)
    page = owner_client.get(
        reverse("messaging:draft_delete", args=[draft.public_id])
    ).content.decode()
    assert "Delete this draft?" in page
    assert Draft.objects.exists()
    owner_client.post(reverse("messaging:draft_delete", args=[draft.public_id]))
    assert not Draft.objects.exists()


@pytest.mark.parametrize(
    ("body", "named"),
    [
        ("Hi {first_name:>2000000000}", "{first_name:>2000000000}"),
        ("Hi {first_name!r}", "{first_name!r}"),
        ("Hi {0}", "{0}"),
        ("Hi {first_name.__class__}", "{first_name.__class__}"),
        ("Hi {first_name", "{first_name"),
        ("Hi first_name}", "}"),
    ],
)
def test_a_template_with_anything_but_plain_placeholders_is_refused(
    owner: User, owner_client: Client, body: str, named: str
) -> None:
    with pytest.raises(ValidationError, match=re.escape(f"“{named}”")):
        services.template_save(owner, DraftKind.REQUEST_COLD, subject="x", body=body)
    response = owner_client.post(
        reverse("messaging:template_edit", args=[DraftKind.REQUEST_COLD]),
        {"subject": "Hello", "body": body},
    )
    assert response.status_code == 200 and html.escape(named) in response.content.decode()
    assert not MessageTemplate.objects.exists()


def test_filling_is_a_plain_substitution(owner: User, john) -> None:  # type: ignore[no-untyped-def]
    # A template saved before the check, with a format spec, is left as written: never expanded.
    MessageTemplate.objects.create(
        owner=owner, kind=DraftKind.REQUEST_COLD, subject="Hi", body="Hi {first_name:>2000000000}!"
    )
    draft = services.draft_create(owner, "request", person=john)
    assert draft.body == "Hi {first_name:>2000000000}!"
    assert (
        services.fill("{first_name} {unknown} {{x}}", {"first_name": "John"})
        == "John {unknown} {{x}}"
    )
