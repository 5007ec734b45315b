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
