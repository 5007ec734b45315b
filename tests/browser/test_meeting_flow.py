"""The information meeting end to end in a real browser: request a 20-minute meeting with a
referred person (the draft names the referrer) → schedule → notes with a mention, on a
phone → debrief with two referrals → thank-you with a point from the notes → mark sent →
the journal shows each step."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from grapevine.contacts.models import Referral
from grapevine.journal.models import Entry, Kind
from grapevine.meetings.models import Meeting, Status
from tests.browser.conftest import log_in
from tests.conftest import PASSWORD
from tests.factories import (
    OrganisationFactory,
    PersonEmailFactory,
    PersonFactory,
    ReferralFactory,
    UserFactory,
)


def test_meeting_flow(page, phone_page) -> None:  # type: ignore[no-untyped-def]
    user = UserFactory(email="alex@example.org")
    acme = OrganisationFactory(owner=user, name="Acme Analytics")
    sara = PersonFactory(
        owner=user, full_name="Sara Lind", given_name="Sara", family_name="Lind", contact_list="A"
    )
    john = PersonFactory(
        owner=user, full_name="John Berg", given_name="John", family_name="Berg", organisation=acme
    )
    PersonEmailFactory(person=john, address="john@acme.example")
    ReferralFactory(
        owner=user, referrer=sara, referred=john, reason="he moved from teaching into data"
    )
    log_in(page, user.email, PASSWORD)

    # Request a 20-minute meeting; 45 is refused with the reason first (R4).
    page.get_by_role("link", name="Meetings").first.click()
    page.get_by_role("button", name="Ask someone for a meeting").click()
    page.get_by_label("Person").fill("John Berg")
    page.get_by_label("Length (minutes)").fill("45")
    page.get_by_role("button", name="Record the request").click()
    expect(page.get_by_text("at most 30 minutes, not 45")).to_be_visible()
    page.get_by_label("Length (minutes)").fill("20")
    page.get_by_role("button", name="Record the request").click()
    expect(page.get_by_role("heading", name="Meeting with John Berg")).to_be_visible()
    expect(page.get_by_text("he moved from teaching into data")).to_be_visible()

    # The warm request names the referrer first (R7) and its checks pass.
    page.get_by_role("button", name=re.compile("Draft: Warm request")).click()
    body = page.get_by_label("Message")
    expect(body).to_have_value(
        re.compile(
            r"Sara Lind suggested I contact you, and told me you moved from teaching into data"
        )
    )
    expect(page.locator("#checks")).to_contain_text("ok")
    # The checks follow the typing (htmx): a job ask is flagged with its rule, unsaved.
    body.fill(body.input_value() + "\nIs there an opening in your team?")
    expect(page.locator("#checks")).to_contain_text("R1")
    page.get_by_role("link", name=re.compile("Meeting with John Berg")).click()

    # Schedule it.
    page.get_by_text("They said yes: schedule it").click()
    page.get_by_label("Date and time").fill("2030-05-06T10:00")
    page.get_by_label("Place or link").fill("Café Roma")
    page.get_by_role("button", name="Schedule", exact=True).click()
    expect(page.locator("#meeting-status")).to_have_text("Scheduled")
    expect(page.get_by_role("link", name=re.compile("Add to calendar"))).to_be_visible()
    page.get_by_role("button", name="We met: mark held").click()
    expect(page.get_by_role("heading", name="Notes: John Berg")).to_be_visible()
    meeting = Meeting.objects.get()
    assert meeting.status == Status.HELD

    # Notes on a phone; the mention is picked up to ask about at the end (R9).
    log_in(phone_page, user.email, PASSWORD)
    phone_page.goto(f"/meetings/{meeting.public_id}/notes/")
    phone_page.get_by_label("Notes").fill(
        "- Looker dashboards replace the Excel reports\n- ask @Maria Holm about the analytics bootcamp"
    )
    phone_page.get_by_role("button", name="Save notes").click()
    expect(phone_page.locator("#mentions")).to_contain_text("Maria Holm")
    expect(phone_page.locator("#mentions")).to_contain_text("new")

    # Debrief with two referrals: Maria from the notes (prefilled) and Sara from the book.
    page.goto(f"/meetings/{meeting.public_id}/debrief/")
    expect(page.locator("#id_ref-0-name")).to_have_value("Maria Holm")
    page.locator("#id_ref-0-reason").fill("runs the bootcamp")
    page.locator("#id_ref-1-name").fill("Sara Lind")
    page.get_by_label("What I learned").fill("Looker dashboards replace the Excel reports")
    page.get_by_label("What I will act on").fill("Take the SQL course")
    page.get_by_label("Help I offered").fill("Offered to review his workshop slides")
    page.locator("#id_promise-0-text").fill("Send him the article on data mesh")
    page.get_by_role("button", name="Save the debrief").click()
    referrals = page.locator("#referrals")
    expect(referrals).to_contain_text("Maria Holm")
    expect(referrals).to_contain_text("Sara Lind")
    assert {r.referred.full_name for r in Referral.objects.filter(referrer=john)} == {
        "Maria Holm",
        "Sara Lind",
    }
    page.goto("/contacts/?list=C")
    expect(page.get_by_role("link", name="Maria Holm")).to_be_visible()

    # Thank-you with a point from the notes; mark it sent.
    page.goto(f"/meetings/{meeting.public_id}/")
    page.get_by_role("button", name=re.compile("Draft: Thank-you")).click()
    expect(page.get_by_label("Message")).to_have_value(
        re.compile("Looker dashboards replace the Excel reports")
    )
    expect(page.locator("#checks")).to_contain_text("ok")
    page.get_by_role("button", name="Mark sent").click()
    expect(page.get_by_text("Thanked on")).to_be_visible()

    # The journal shows each step.
    journal = page.locator("#meeting-journal")
    for step in (
        "Asked John Berg for a 20-minute information meeting, referred by Sara Lind",
        "Scheduled the meeting with John Berg",
        "Information meeting with John Berg",
        "Debrief of the meeting with John Berg",
        "Offered help to John Berg",
        "Thank-you: Thank you for your time",
    ):
        expect(journal).to_contain_text(step)
    page.get_by_role("link", name="Journal").first.click()
    for step in ("Information meeting with John Berg", "Thank-you: Thank you for your time"):
        expect(page.get_by_text(step).first).to_be_visible()
    thank_you = Entry.objects.get(kind=Kind.THANK_YOU)
    assert "Looker dashboards replace the Excel reports" in thank_you.notes


def test_prep_sheet_prints_on_at_most_two_pages(page) -> None:  # type: ignore[no-untyped-def]
    """R5: a full prep sheet — research, jargon, ten questions, a two-minute drill and the
    closing asks — prints on one or two A4 pages, without the site's header or buttons."""
    from grapevine.meetings import questions, services

    user = UserFactory(email="alex@example.org")
    acme = OrganisationFactory(owner=user, name="Acme Analytics")
    sara = PersonFactory(owner=user, full_name="Sara Lind")
    john = PersonFactory(
        owner=user, full_name="John Berg", organisation=acme, job_title="Head of Data"
    )
    ReferralFactory(
        owner=user, referrer=sara, referred=john, reason="he moved from teaching into data"
    )
    meeting = services.meeting_request(user, john)
    services.meeting_prep_update(
        meeting,
        research_person="Taught maths for eight years; now leads a team of twelve. " * 4,
        research_organisation="Acme sells churn analytics to retailers; raised a series B in March. "
        * 4,
        jargon="ARR, NPS, cohort retention, dbt, Looker",
    )
    services.meeting_questions_set(meeting, [q.key for q in questions.builtin_questions()[:10]])
    services.drill_save(user, "word " * 255)
    log_in(page, user.email, PASSWORD)
    page.goto(f"/meetings/{meeting.public_id}/prep/sheet/")
    expect(page.get_by_role("heading", name=re.compile("Prep sheet: John Berg"))).to_be_visible()
    page.emulate_media(media="print")
    expect(page.get_by_role("button", name="Print")).to_be_hidden()
    expect(page.locator(".site-header")).to_be_hidden()
    pdf = page.pdf(format="A4")
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
    assert 1 <= pages <= 2, f"the prep sheet prints on {pages} pages"
