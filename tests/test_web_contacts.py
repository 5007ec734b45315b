"""The contact book's pages, as a job seeker uses them: lists A/B/C, search, people,
organisations and who referred whom (R2, R7, R10, R12, R14, R20)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from grapevine.accounts.models import User
from grapevine.contacts import services
from grapevine.contacts.models import Organisation, Person, Referral
from grapevine.contacts.services import PersonData
from tests.factories import EntryFactory, PersonFactory, ReferralFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def add(owner: User, name: str, **fields: object) -> Person:
    return services.person_create(owner, PersonData(full_name=name, **fields))  # type: ignore[arg-type]


def person_form(**changes: str) -> dict[str, str]:
    data = {"full_name": "", "contact_list": "B", "closeness": "regular", "may_contact": "on"}
    data.update(changes)
    return data


# --- lists and search ---------------------------------------------------------


def test_created_person_shows_on_their_list_only(owner: User, owner_client: Client) -> None:
    response = owner_client.post(
        reverse("contacts:person_create"),
        person_form(
            full_name="Ada Lovelace", contact_list="A", organisation_name="Analytical Engines Ltd"
        ),
    )
    person = Person.objects.get(owner=owner)
    assert response.status_code == 302
    assert response["Location"] == reverse("contacts:person_detail", args=[person.public_id])

    list_a = owner_client.get(reverse("contacts:person_list"), {"list": "A"})
    list_b = owner_client.get(reverse("contacts:person_list"), {"list": "B"})
    assert "Ada Lovelace" in list_a.content.decode()
    assert "Analytical Engines Ltd" in list_a.content.decode()
    assert "Ada Lovelace" not in list_b.content.decode()
    assert "List B is empty" in list_b.content.decode()


def test_each_list_explains_itself(owner_client: Client) -> None:
    page = owner_client.get(reverse("contacts:person_list"), {"list": "C"}).content.decode()
    assert "People at organisations you target whom you do not know yet." in page


@pytest.mark.parametrize(
    ("query", "why"),
    [
        ("globex", "organisation"),
        ("treasurer", "title"),
        ("hank@example", "e-mail"),
        ("choir", "tag"),
    ],
)
def test_search_finds_people_by_organisation_title_email_and_tag(
    owner: User, owner_client: Client, query: str, why: str
) -> None:
    add(
        owner,
        "Hank Scorpio",
        organisation_name="Globex Corporation",
        job_title="Treasurer",
        emails=["hank@example.com"],
        tags=["choir"],
    )
    add(owner, "Someone Else", organisation_name="Initech")
    page = owner_client.get(reverse("contacts:person_list"), {"q": query}).content.decode()
    assert "Hank Scorpio" in page, f"search by {why}"
    assert "Someone Else" not in page


def test_search_with_no_match_says_so_and_offers_to_clear(
    owner: User, owner_client: Client
) -> None:
    add(owner, "Hank Scorpio")
    page = owner_client.get(reverse("contacts:person_list"), {"q": "zzz"}).content.decode()
    assert "Nobody matches “zzz”" in page
    assert "Clear the search" in page


def test_htmx_search_gets_the_table_and_a_normal_request_the_page(
    owner: User, owner_client: Client
) -> None:
    add(owner, "Hank Scorpio")
    url = reverse("contacts:person_list")
    partial = owner_client.get(url, {"q": "hank"}, **HTMX).content.decode()
    full = owner_client.get(url, {"q": "hank"}).content.decode()
    assert "Hank Scorpio" in partial and "Hank Scorpio" in full
    assert "<html" not in partial
    assert "<html" in full
    assert 'hx-trigger="input changed delay:250ms, search"' in full


def test_filter_by_tag_and_by_organisation(owner: User, owner_client: Client) -> None:
    hank = add(owner, "Hank Scorpio", organisation_name="Globex", tags=["villains"])
    add(owner, "Lisa Simpson", organisation_name="Springfield Elementary", tags=["students"])
    by_tag = owner_client.get(reverse("contacts:person_list"), {"tag": "villains"}).content.decode()
    assert "Hank Scorpio" in by_tag and "Lisa Simpson" not in by_tag
    assert hank.organisation is not None
    by_org = owner_client.get(
        reverse("contacts:person_list"), {"org": str(hank.organisation.public_id)}
    ).content.decode()
    assert "Hank Scorpio" in by_org and "Lisa Simpson" not in by_org


def test_list_pages_fifty_people_at_a_time(owner: User, owner_client: Client) -> None:
    for i in range(55):
        PersonFactory(owner=owner, given_name="Person", family_name=f"Number{i:02d}")
    first = owner_client.get(reverse("contacts:person_list")).content.decode()
    second = owner_client.get(reverse("contacts:person_list"), {"page": 2}).content.decode()
    assert first.count(">Person Number") == 50
    assert "Page 1 of 2" in first
    assert second.count(">Person Number") == 5


def test_empty_contact_book_says_where_to_start(owner_client: Client) -> None:
    page = owner_client.get(reverse("contacts:person_list")).content.decode()
    assert "Your contact book is empty" in page
    assert "Start with list A (R3)" in page


# --- quick add ----------------------------------------------------------------


def test_quick_add_with_htmx_returns_the_table_with_the_new_row(
    owner: User, owner_client: Client
) -> None:
    response = owner_client.post(
        reverse("contacts:person_quick_add"),
        {"full_name": "Marge Bouvier", "contact_list": "A", "organisation_name": "Kwik-E-Mart"},
        **HTMX,
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert "Marge Bouvier" in body and "Kwik-E-Mart" in body
    person = Person.objects.get(owner=owner)
    assert person.contact_list == "A"
    assert person.organisation is not None and person.organisation.name == "Kwik-E-Mart"


def test_quick_add_without_a_name_shows_the_error_on_the_form(
    owner: User, owner_client: Client
) -> None:
    response = owner_client.post(
        reverse("contacts:person_quick_add"), {"full_name": " ", "contact_list": "A"}, **HTMX
    )
    assert response["HX-Retarget"] == "#quick-add"
    assert "Type a name to add someone." in response.content.decode()
    assert not Person.objects.filter(owner=owner).exists()


# --- the person form ------------------------------------------------------------


def test_full_form_stores_every_field(owner: User, owner_client: Client) -> None:
    owner_client.post(
        reverse("contacts:person_create"),
        person_form(
            full_name="Dr. Jane Q. Smith CPA",
            contact_list="B",
            organisation_name="Acme Corp.",
            job_title="Controller",
            emails="jane@acme.example\njane.smith@home.example",
            phones="+1 415 555 2671",
            linkedin_url="https://uk.linkedin.com/in/JaneSmith/?trk=x",
            tags="accounting, alumni",
            met_context="association",
            met_where="Toastmasters downtown",
            closeness="acquaintance",
            is_decision_maker="on",
            seniority="director",
            notes="Runs the **finance** team.",
        ),
    )
    jane = Person.objects.get(owner=owner)
    page = owner_client.get(
        reverse("contacts:person_detail", args=[jane.public_id])
    ).content.decode()
    assert jane.family_name == "Smith" and jane.suffix == "CPA"
    assert 'href="mailto:jane@acme.example"' in page
    assert "+1 415-555-2671" in page
    assert "https://www.linkedin.com/in/janesmith" in page
    assert "Toastmasters downtown" in page
    assert "<strong>finance</strong>" in page
    assert "accounting" in page and "alumni" in page
    assert "decision maker" in page


def test_bad_input_shows_the_error_next_to_the_field_and_stores_nothing(
    owner: User, owner_client: Client
) -> None:
    response = owner_client.post(
        reverse("contacts:person_create"),
        person_form(
            full_name="Bad Email", emails="not-an-address", linkedin_url="https://example.com/jane"
        ),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "“not-an-address” is not an e-mail address." in page
    # The message sits in the e-mail field's block, right after its input.
    assert page.index("not-an-address” is not") > page.index('name="emails"')
    assert "That is not a LinkedIn profile address" in page
    assert not Person.objects.filter(owner=owner).exists()


def test_a_name_is_required(owner: User, owner_client: Client) -> None:
    page = owner_client.post(reverse("contacts:person_create"), person_form()).content.decode()
    assert "Give the person a name." in page
    assert not Person.objects.exists()


def test_script_in_a_name_comes_out_escaped(owner: User, owner_client: Client) -> None:
    person = add(owner, "<script>alert(1)</script> Mallory", notes="<script>alert(2)</script>ok")
    for url in (
        reverse("contacts:person_detail", args=[person.public_id]),
        reverse("contacts:person_list"),
    ):
        page = owner_client.get(url).content.decode()
        assert "<script>alert(" not in page
    detail = owner_client.get(
        reverse("contacts:person_detail", args=[person.public_id])
    ).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Mallory" in detail


def test_edit_keeps_the_old_employer_as_past_employment(owner: User, owner_client: Client) -> None:
    person = add(
        owner,
        "Homer Simpson",
        organisation_name="Springfield Nuclear",
        job_title="Safety inspector",
    )
    owner_client.post(
        reverse("contacts:person_edit", args=[person.public_id]),
        person_form(full_name="Homer Simpson", organisation_name="Mr. Plow", job_title="Owner"),
    )
    page = owner_client.get(
        reverse("contacts:person_detail", args=[person.public_id])
    ).content.decode()
    assert "Mr. Plow" in page
    assert "Past employment" in page and "Springfield Nuclear" in page


def test_inline_edit_of_list_and_closeness(owner: User, owner_client: Client) -> None:
    person = add(owner, "Ned Flanders", contact_list="B")
    response = owner_client.post(
        reverse("contacts:person_set_list", args=[person.public_id]), {"contact_list": "A"}, **HTMX
    )
    assert "Saved" in response.content.decode() and "<html" not in response.content.decode()
    owner_client.post(
        reverse("contacts:person_set_closeness", args=[person.public_id]),
        {"closeness": "close"},
        **HTMX,
    )
    person.refresh_from_db()
    assert (person.contact_list, person.closeness) == ("A", "close")
    refused = owner_client.post(
        reverse("contacts:person_set_list", args=[person.public_id]), {"contact_list": "Z"}, **HTMX
    )
    assert "Select a valid choice" in refused.content.decode()
    person.refresh_from_db()
    assert person.contact_list == "A"


def test_deleting_a_person_asks_first(owner: User, owner_client: Client) -> None:
    person = add(owner, "Barney Gumble")
    url = reverse("contacts:person_delete", args=[person.public_id])
    confirm = owner_client.get(url)
    assert "Delete this person?" in confirm.content.decode()
    assert Person.objects.filter(pk=person.pk).exists()
    owner_client.post(url)
    assert not Person.objects.filter(pk=person.pk).exists()


# --- referrals ----------------------------------------------------------------


def test_referred_by_on_the_form_creates_the_referral(owner: User, owner_client: Client) -> None:
    sara = add(owner, "Sara Smith", contact_list="A")
    owner_client.post(
        reverse("contacts:person_create"),
        person_form(
            full_name="John Public",
            contact_list="C",
            referred_by=str(sara.public_id),
            referral_reason="he knows everyone in town",
            may_use_name="on",
        ),
    )
    referral = Referral.objects.get(owner=owner)
    assert referral.referrer == sara and referral.referred.full_name == "John Public"
    assert referral.may_use_name and referral.reason == "he knows everyone in town"


def test_referral_shows_on_both_pages_and_in_the_chain(owner: User, owner_client: Client) -> None:
    mum = add(owner, "Marge Simpson", contact_list="A")
    sara = add(owner, "Sara Smith", contact_list="B")
    john = add(owner, "John Public", contact_list="C")
    ReferralFactory(owner=owner, referrer=mum, referred=sara)
    ReferralFactory(owner=owner, referrer=sara, referred=john, reason="he knows everyone in town")

    john_page = owner_client.get(
        reverse("contacts:person_detail", args=[john.public_id])
    ).content.decode()
    sara_page = owner_client.get(
        reverse("contacts:person_detail", args=[sara.public_id])
    ).content.decode()
    assert "Referred by" in john_page and "Sara Smith" in john_page
    assert "“he knows everyone in town”" in john_page
    assert "John Public" in sara_page  # "referred you to"
    chain = john_page[john_page.index('aria-label="Referral chain"') :]
    chain = chain[: chain.index("</ol>")]
    assert chain.index("Marge Simpson") < chain.index("Sara Smith") < chain.index("John Public")


def test_mark_reported_back_with_one_click(owner: User, owner_client: Client) -> None:
    referral = ReferralFactory(owner=owner)
    page = owner_client.get(
        reverse("contacts:person_detail", args=[referral.referred.public_id])
    ).content.decode()
    assert "Not yet reported back (R12)" in page
    response = owner_client.post(
        reverse("contacts:referral_report_back", args=[referral.public_id]),
        {"side": "referred_by"},
        **HTMX,
    )
    assert "✓ Reported back to" in response.content.decode()
    referral.refresh_from_db()
    assert referral.reported_back_at is not None


def test_add_referral_from_a_person_page_to_someone_new(owner: User, owner_client: Client) -> None:
    sara = add(owner, "Sara Smith")
    response = owner_client.post(
        reverse("contacts:referral_create", args=[sara.public_id]),
        {
            "new_name": "John Public",
            "new_list": "C",
            "new_organisation": "Initech",
            "reason": "hiring soon",
            "may_contact": "on",
        },
    )
    assert response.status_code == 302
    john = Person.objects.get(owner=owner, full_name="John Public")
    assert john.contact_list == "C" and john.organisation is not None
    assert Referral.objects.get(referrer=sara, referred=john).reason == "hiring soon"


def test_referral_needs_someone(owner: User, owner_client: Client) -> None:
    sara = add(owner, "Sara Smith")
    page = owner_client.post(
        reverse("contacts:referral_create", args=[sara.public_id]), {"reason": "x"}
    ).content.decode()
    assert "Pick the person they referred you to, or type a new name below." in page
    assert not Referral.objects.exists()


def test_the_same_referral_twice_is_refused_and_nothing_new_is_stored(
    owner: User, owner_client: Client
) -> None:
    referral = ReferralFactory(owner=owner)
    page = owner_client.post(
        reverse("contacts:referral_create", args=[referral.referrer.public_id]),
        {"referred": str(referral.referred.public_id)},
    ).content.decode()
    assert "already referred you to" in page
    assert Referral.objects.count() == 1


def test_edit_and_delete_a_referral(owner: User, owner_client: Client) -> None:
    referral = ReferralFactory(owner=owner)
    owner_client.post(
        reverse("contacts:referral_edit", args=[referral.public_id]),
        {"reason": "met at the gym", "will_introduce": "on", "preferred_channel": "call"},
    )
    referral.refresh_from_db()
    assert (
        referral.reason == "met at the gym" and referral.will_introduce and not referral.may_contact
    )
    url = reverse("contacts:referral_delete", args=[referral.public_id])
    assert "Both people are kept" in owner_client.get(url).content.decode()
    owner_client.post(url)
    assert not Referral.objects.exists()
    assert Person.objects.filter(owner=owner).count() == 2


def test_picker_lists_only_my_people(owner: User, other: User, owner_client: Client) -> None:
    add(owner, "Sara Smith")
    add(other, "Sara Someone")
    body = owner_client.get(
        reverse("contacts:person_picker"), {"field": "referred_by", "picker_q": "sara"}, **HTMX
    ).content.decode()
    assert "Sara Smith" in body and "Sara Someone" not in body
    assert 'type="radio" name="referred_by"' in body


# --- organisations ------------------------------------------------------------


def test_organisation_pages(owner: User, owner_client: Client) -> None:
    response = owner_client.post(
        reverse("contacts:organisation_create"),
        {
            "name": "International Business Machines",
            "aliases": "IBM, Big Blue",
            "website": "www.ibm.com",
        },
    )
    org = Organisation.objects.get(owner=owner)
    assert response.status_code == 302
    add(owner, "Ginni Rometty", organisation_name="IBM")  # found by its alias
    listing = owner_client.get(
        reverse("contacts:organisation_list"), {"q": "big blue"}
    ).content.decode()
    assert "International Business Machines" in listing
    page = owner_client.get(
        reverse("contacts:organisation_detail", args=[org.public_id])
    ).content.decode()
    assert "Ginni Rometty" in page and "ibm.com" in page


def test_organisation_name_clash_is_shown_on_the_name_field(
    owner: User, owner_client: Client
) -> None:
    add(owner, "Someone", organisation_name="Acme")
    page = owner_client.post(
        reverse("contacts:organisation_create"), {"name": "ACME Inc."}
    ).content.decode()
    assert "is already in your contact book" in page
    assert Organisation.objects.filter(owner=owner).count() == 1


def test_deleting_an_organisation_asks_and_keeps_its_people(
    owner: User, owner_client: Client
) -> None:
    person = add(owner, "Ginni Rometty", organisation_name="IBM")
    assert person.organisation is not None
    url = reverse("contacts:organisation_delete", args=[person.organisation.public_id])
    assert "The people who work there are kept" in owner_client.get(url).content.decode()
    owner_client.post(url)
    person.refresh_from_db()
    assert person.organisation is None


def test_person_page_shows_their_timeline(owner: User, owner_client: Client) -> None:
    person = add(owner, "Lisa Simpson")
    entry = EntryFactory(owner=owner, kind="call", subject="Talked about the saxophone")
    entry.people.add(person)
    page = owner_client.get(
        reverse("contacts:person_detail", args=[person.public_id])
    ).content.decode()
    assert "Talked about the saxophone" in page


def test_timeline_times_are_in_my_time_zone(owner: User, owner_client: Client) -> None:
    import datetime as dt

    owner.time_zone = "Asia/Tokyo"
    owner.save()
    person = add(owner, "Lisa Simpson")
    made = EntryFactory(owner=owner, occurred_at=dt.datetime(2025, 6, 2, 8, 0, tzinfo=dt.UTC))
    made.people.add(person)
    page = owner_client.get(
        reverse("contacts:person_detail", args=[person.public_id])
    ).content.decode()
    assert "2 Jun 2025, 17:00" in page  # 08:00 UTC is 17:00 in Tokyo


def test_add_someone_from_an_organisation_page_prefills_it(
    owner: User, owner_client: Client
) -> None:
    person = add(owner, "Ginni Rometty", organisation_name="IBM")
    assert person.organisation is not None
    org_page = owner_client.get(
        reverse("contacts:organisation_detail", args=[person.organisation.public_id])
    ).content.decode()
    assert f"?organisation={person.organisation.public_id}" in org_page
    form = owner_client.get(
        reverse("contacts:person_create"), {"organisation": str(person.organisation.public_id)}
    ).content.decode()
    assert 'name="organisation_name" value="IBM"' in form


def test_person_page_offers_a_meeting_and_lists_meetings(owner: User, owner_client: Client) -> None:
    from grapevine.contacts.services import PersonData, person_create
    from grapevine.meetings.services import meeting_request

    john = person_create(owner, PersonData(full_name="John Public", contact_list="C"))
    page = owner_client.get(f"/contacts/{john.public_id}/").content.decode()
    assert f"/meetings/new/?person={john.public_id}" in page
    assert "No meeting with John Public yet" in page
    meeting = meeting_request(owner, john, minutes=20)
    page = owner_client.get(f"/contacts/{john.public_id}/").content.decode()
    assert f"/meetings/{meeting.public_id}/" in page
    assert "20 minutes" in page


def test_pages_lead_to_merge_duplicates_import_and_postings(
    owner: User, owner_client: Client
) -> None:
    person = add(owner, "Dana Wu")
    page = owner_client.get(f"/contacts/{person.public_id}/").content.decode()
    assert reverse("transfer:merge_pick", args=[person.public_id]) in page
    page = owner_client.get("/contacts/").content.decode()
    assert reverse("transfer:duplicates") in page and reverse("transfer:home") in page
    page = owner_client.get("/contacts/organisations/").content.decode()
    assert reverse("targets:posting_list") in page
