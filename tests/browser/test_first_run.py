"""A new user's first minutes, in a real browser: create the account, add someone on
list A with their organisation, find them by typing in the search box, open their page."""

from __future__ import annotations

import re

from grapevine.contacts.models import Person

PASSWORD = "a long enough pass phrase"


def test_first_run_from_empty_instance_to_a_found_person(page) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    page.goto("/")
    expect(page.get_by_role("heading", name="Create your account")).to_be_visible()
    page.get_by_label("E-mail address").fill("seeker@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Create your account").click()
    expect(page.get_by_text("Where to start")).to_be_visible()

    # Add a person on list A with an organisation, through the full form.
    # Pico styles this link as a button, so its role is "button".
    page.get_by_role("button", name="Add someone to list A").click()
    expect(page.get_by_role("heading", name="Add a person")).to_be_visible()
    page.get_by_label("Full name").fill("Sara Smith")
    expect(page.get_by_role("radio", name=re.compile(r"^A — personal"))).to_be_checked()
    page.get_by_label("Organisation", exact=True).fill("Acme Corp")
    page.get_by_label("Title", exact=True).fill("Head of Logistics")
    page.get_by_role("button", name="Add this person").click()
    expect(page.get_by_role("heading", name="Sara Smith")).to_be_visible()

    # A second person, so that the search has something to leave out.
    page.get_by_role("banner").get_by_role("link", name="People", exact=True).click()
    page.get_by_label("Name", exact=True).fill("John Public")
    page.get_by_role("button", name="Add", exact=True).click()
    table = page.locator("#people-table table")
    expect(table.get_by_role("link", name="John Public")).to_be_visible()
    expect(page.get_by_label("Name", exact=True)).to_have_value("")  # ready for the next name
    assert Person.objects.filter(full_name="John Public").exists()

    # Search as you type: the table updates without a page load.
    page.evaluate("window.__same_page = true")
    page.get_by_role("searchbox", name="Search people").press_sequentially("acme", delay=40)
    expect(table.get_by_role("link", name="John Public")).to_have_count(0)
    expect(table.get_by_role("link", name="Sara Smith")).to_be_visible()
    assert page.evaluate("window.__same_page === true"), "the search reloaded the page"
    expect(page).to_have_url(re.compile(r"q=acme"))

    table.get_by_role("link", name="Sara Smith").click()
    expect(page.get_by_role("heading", name="Sara Smith")).to_be_visible()
    expect(page.locator("hgroup").get_by_role("link", name="Acme Corp")).to_be_visible()
    sara = Person.objects.get(full_name="Sara Smith")
    assert sara.contact_list == "A"


def test_log_a_meeting_with_two_people_picked_by_search(page) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    from grapevine.contacts import services
    from grapevine.contacts.services import PersonData
    from grapevine.journal.models import Entry
    from tests.browser.conftest import log_in
    from tests.conftest import PASSWORD as FACTORY_PASSWORD
    from tests.factories import UserFactory

    user = UserFactory(email="seeker@example.org")
    sara = services.person_create(
        user, PersonData(full_name="Sara Smith", organisation_name="Acme")
    )
    john = services.person_create(
        user, PersonData(full_name="John Public", organisation_name="Initech")
    )
    log_in(page, "seeker@example.org", FACTORY_PASSWORD)

    page.goto(f"/journal/new/?person={sara.public_id}")
    expect(page.get_by_role("checkbox", name="Sara Smith — Acme")).to_be_checked()
    page.get_by_label("What happened").select_option("meeting")
    search = page.get_by_placeholder("Type a name, organisation or e-mail")
    search.press_sequentially("initech", delay=30)
    page.get_by_role("checkbox", name="John Public — Initech").check()
    # Searching again keeps the people already ticked.
    search.fill("")
    search.press_sequentially("nobody-matches", delay=30)
    expect(page.get_by_text("Nobody in your contacts matches")).to_be_visible()
    search.press("Enter")  # must not submit the form half-filled
    expect(page.get_by_role("checkbox", name="John Public — Initech")).to_be_checked()
    assert not Entry.objects.exists()
    page.get_by_label("Subject").fill("Coffee with both")
    page.get_by_role("button", name="Record it").click()
    expect(page.get_by_role("heading", name="Meeting: Coffee with both")).to_be_visible()
    assert set(Entry.objects.get().people.all()) == {sara, john}


def test_person_page_fits_a_phone(phone_page) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    from grapevine.contacts import services
    from grapevine.contacts.services import PersonData
    from tests.browser.conftest import log_in
    from tests.conftest import PASSWORD as FACTORY_PASSWORD
    from tests.factories import UserFactory

    user = UserFactory(email="seeker@example.org")
    sara = services.person_create(
        user,
        PersonData(
            full_name="Sara Smith",
            organisation_name="Acme Corporation International Holdings",
            emails=["sara.smith.with.a.long.address@acme-corporation.example"],
        ),
    )
    log_in(phone_page, "seeker@example.org", FACTORY_PASSWORD)
    phone_page.goto(f"/contacts/{sara.public_id}/")
    expect(phone_page.get_by_role("heading", name="Sara Smith")).to_be_visible()
    overflow = phone_page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"the page scrolls sideways by {overflow}px on a phone"
