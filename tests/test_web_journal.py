"""The journal's pages (R17): record, filter, edit and delete interactions; the dashboard."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from grapevine.accounts.models import User
from grapevine.contacts import services as contact_services
from grapevine.contacts.models import Person
from grapevine.contacts.services import PersonData
from grapevine.journal.models import Entry
from tests.factories import EntryFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def add(owner: User, name: str, **fields: object) -> Person:
    return contact_services.person_create(owner, PersonData(full_name=name, **fields))  # type: ignore[arg-type]


def entry(owner: User, *people: Person, **fields: object) -> Entry:
    made = EntryFactory(owner=owner, **fields)
    made.people.set(people)
    return made


def test_record_an_entry_for_a_person_from_their_page(owner: User, owner_client: Client) -> None:
    lisa = add(owner, "Lisa Simpson", organisation_name="Springfield Elementary")
    form = owner_client.get(
        reverse("journal:entry_create"), {"person": str(lisa.public_id)}
    ).content.decode()
    assert f'value="{lisa.public_id}" checked' in form  # prefilled from the person page

    response = owner_client.post(
        reverse("journal:entry_create"),
        {
            "kind": "meeting",
            "occurred_at": "2025-03-14T09:30",
            "people": [str(lisa.public_id)],
            "subject": "Coffee about teaching",
            "notes": "She named **two** people to call.",
        },
    )
    assert response.status_code == 302
    recorded = Entry.objects.get(owner=owner)
    assert recorded.kind == "meeting" and list(recorded.people.all()) == [lisa]
    assert recorded.organisation == lisa.organisation  # the one person's organisation
    person_page = owner_client.get(response["Location"]).content.decode()
    assert "Coffee about teaching" in person_page
    assert "<strong>two</strong>" in person_page


def test_bad_date_is_reported_on_the_field_and_nothing_is_stored(
    owner: User, owner_client: Client
) -> None:
    page = owner_client.post(
        reverse("journal:entry_create"), {"kind": "call", "occurred_at": "next tuesday"}
    ).content.decode()
    assert "Write the date and time like 2025-03-14 09:30." in page
    assert not Entry.objects.exists()


def test_someone_elses_person_cannot_be_put_in_my_entry(
    owner: User, other: User, owner_client: Client
) -> None:
    stranger = add(other, "Zanzibar Quillfeather")
    page = owner_client.post(
        reverse("journal:entry_create"),
        {"kind": "call", "occurred_at": "2025-03-14T09:30", "people": [str(stranger.public_id)]},
    ).content.decode()
    assert "Pick people from your contacts" in page
    assert "Zanzibar" not in page
    assert not Entry.objects.exists()


def test_filters_by_kind_person_list_and_dates(owner: User, owner_client: Client) -> None:
    ann = add(owner, "Ann Alpha", contact_list="A")
    bob = add(owner, "Bob Bravo", contact_list="C")
    march = timezone.make_aware(dt.datetime(2025, 3, 10, 12))
    may = timezone.make_aware(dt.datetime(2025, 5, 10, 12))
    entry(owner, ann, kind="call", subject="Call with Ann", occurred_at=march)
    entry(owner, bob, kind="meeting", subject="Meeting Bob", occurred_at=may)
    url = reverse("journal:entry_list")

    def shown(**params: str) -> set[str]:
        page = owner_client.get(url, params).content.decode()
        return {s for s in ("Call with Ann", "Meeting Bob") if s in page}

    assert shown() == {"Call with Ann", "Meeting Bob"}
    assert shown(kind="call") == {"Call with Ann"}
    assert shown(person=str(bob.public_id)) == {"Meeting Bob"}
    assert shown(list="A") == {"Call with Ann"}
    assert shown(date_from="2025-04-01") == {"Meeting Bob"}
    assert shown(date_to="2025-04-01") == {"Call with Ann"}
    page = owner_client.get(
        url, {"date_from": "2025-05-01", "date_to": "2025-04-01"}
    ).content.decode()
    assert "The end date is before the start date." in page


def test_htmx_filter_gets_the_results_only(owner: User, owner_client: Client) -> None:
    entry(owner, kind="call", subject="Call one")
    partial = owner_client.get(
        reverse("journal:entry_list"), {"kind": "call"}, **HTMX
    ).content.decode()
    assert "Call one" in partial and "<html" not in partial


def test_empty_journal_says_what_to_do(owner_client: Client) -> None:
    page = owner_client.get(reverse("journal:entry_list")).content.decode()
    assert "Your journal is empty" in page and "Record the first one" in page


def test_journal_pages_fifty_at_a_time(owner: User, owner_client: Client) -> None:
    for i in range(51):
        entry(owner, subject=f"Entry number {i}")
    page = owner_client.get(reverse("journal:entry_list")).content.decode()
    assert page.count("Entry number") == 50
    assert "Page 1 of 2" in page


def test_edit_an_entry(owner: User, owner_client: Client) -> None:
    ann = add(owner, "Ann Alpha")
    bob = add(owner, "Bob Bravo")
    made = entry(owner, ann, kind="note", subject="First draft")
    response = owner_client.post(
        reverse("journal:entry_edit", args=[made.public_id]),
        {
            "kind": "call",
            "occurred_at": "2025-03-14T09:30",
            "people": [str(ann.public_id), str(bob.public_id)],
            "organisation_name": "Initech",
            "subject": "Second draft",
        },
    )
    assert response.status_code == 302
    made.refresh_from_db()
    assert made.kind == "call" and made.subject == "Second draft"
    assert set(made.people.all()) == {ann, bob}
    assert made.organisation is not None and made.organisation.name == "Initech"


def test_deleting_an_entry_asks_first(owner: User, owner_client: Client) -> None:
    made = entry(owner, subject="To go")
    url = reverse("journal:entry_delete", args=[made.public_id])
    assert "Delete this journal entry?" in owner_client.get(url).content.decode()
    assert Entry.objects.filter(pk=made.pk).exists()
    owner_client.post(url)
    assert not Entry.objects.filter(pk=made.pk).exists()


def test_notes_are_sanitised_markdown(owner: User, owner_client: Client) -> None:
    made = entry(owner, notes="*fine* <script>alert(1)</script><img src=x onerror=alert(2)>")
    page = owner_client.get(reverse("journal:entry_detail", args=[made.public_id])).content.decode()
    assert "<em>fine</em>" in page
    assert "<script>alert(1)" not in page and "onerror" not in page


@time_machine.travel(dt.datetime(2025, 6, 2, 8, 0, tzinfo=dt.UTC), tick=False)
def test_times_are_typed_and_shown_in_my_time_zone(owner: User, owner_client: Client) -> None:
    owner.time_zone = "Europe/Paris"
    owner.save()
    form = owner_client.get(reverse("journal:entry_create")).content.decode()
    assert 'value="2025-06-02T10:00"' in form  # 08:00 UTC is 10:00 in Paris
    owner_client.post(
        reverse("journal:entry_create"), {"kind": "call", "occurred_at": "2025-06-02T10:00"}
    )
    assert Entry.objects.get().occurred_at == dt.datetime(2025, 6, 2, 8, 0, tzinfo=dt.UTC)


def test_dashboard_counts_lists_and_shows_recent_journal(owner: User, owner_client: Client) -> None:
    add(owner, "Ann Alpha", contact_list="A")
    add(owner, "Alan Alpha", contact_list="A")
    add(owner, "Cy Charlie", contact_list="C")
    entry(owner, kind="thank_you", subject="Thanked Ann")
    page = owner_client.get(reverse("core:dashboard")).content.decode()
    stats = page[page.index('aria-label="People per list"') :]
    assert '<span class="count list-A">2</span>' in stats
    assert '<span class="count list-B">0</span>' in stats
    assert '<span class="count list-C">1</span>' in stats
    assert "Thanked Ann" in page
    assert "Where to start" not in page


def test_dashboard_when_empty_says_where_to_start(owner_client: Client) -> None:
    page = owner_client.get(reverse("core:dashboard")).content.decode()
    assert "Where to start" in page and "Add someone to list A" in page
