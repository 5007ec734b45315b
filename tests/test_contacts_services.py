"""The contact book's writes: people, organisations, referrals (R2, R7, R10, R12)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from grapevine.accounts.models import User
from grapevine.contacts import selectors, services
from grapevine.contacts.models import Organisation, Person, Referral
from grapevine.contacts.services import PersonData
from grapevine.journal import selectors as journal_selectors
from grapevine.journal import services as journal_services

pytestmark = pytest.mark.django_db


def test_person_lands_on_one_list_with_organisation_and_normalised_details(owner: User) -> None:
    person = services.person_create(
        owner,
        PersonData(
            full_name="Sara Smith",
            contact_list="a",
            organisation_name="Acme Corp.",
            job_title="Head of Design",
            emails=["Sara@Example.COM", "sara@example.com"],
            phones=["(415) 555-0134"],
            linkedin_url="uk.linkedin.com/in/sara-smith/",
            tags=["design", "Neighbour"],
        ),
    )
    assert person.contact_list == "A"
    assert person.organisation is not None and person.organisation.name == "Acme Corp."
    assert [e.address for e in person.emails.all()] == ["sara@example.com"]
    assert [p.number for p in person.phones.all()] == ["+14155550134"]
    assert person.linkedin_url == "https://www.linkedin.com/in/sara-smith"
    assert sorted(t.name for t in person.tags.all()) == ["Neighbour", "design"]


def test_the_same_organisation_written_differently_is_one_row(owner: User) -> None:
    a = services.person_create(
        owner, PersonData(full_name="A One", organisation_name="ACME CORPORATION")
    )
    b = services.person_create(owner, PersonData(full_name="B Two", organisation_name="Acme Corp"))
    assert a.organisation == b.organisation
    assert Organisation.objects.filter(owner=owner).count() == 1


def test_alias_finds_the_organisation(owner: User) -> None:
    org = services.organisation_create(
        owner, name="International Business Machines", aliases=["IBM"]
    )
    person = services.person_create(owner, PersonData(full_name="Ann Lee", organisation_name="IBM"))
    assert person.organisation == org
    assert services.organisation_find(owner, "ibm") == org


def test_alias_cannot_be_another_organisations_name(owner: User) -> None:
    services.organisation_create(owner, name="Globex")
    with pytest.raises(ValidationError, match="another organisation"):
        services.organisation_create(owner, name="Initech", aliases=["Globex Inc"])
    assert not Organisation.objects.filter(owner=owner, name="Initech").exists()


def test_list_must_be_a_b_or_c(owner: User) -> None:
    with pytest.raises(ValidationError, match="R2"):
        services.person_create(owner, PersonData(full_name="Nobody", contact_list="D"))
    assert not Person.objects.exists()


def test_bad_email_stores_nothing(owner: User) -> None:
    with pytest.raises(ValidationError, match="not an e-mail address"):
        services.person_create(owner, PersonData(full_name="Bad Mail", emails=["not-an-address"]))
    assert not Person.objects.exists()


def test_changed_employer_keeps_the_previous_one(owner: User) -> None:
    person = services.person_create(
        owner, PersonData(full_name="Tom Ray", organisation_name="Initech", job_title="Analyst")
    )
    services.person_update(
        person,
        PersonData(
            full_name="Tom Ray", contact_list="B", organisation_name="Globex", job_title="Manager"
        ),
        changed_on=dt.date(2026, 10, 1),
    )
    person.refresh_from_db()
    assert person.organisation is not None and person.organisation.name == "Globex"
    past = list(person.past_employment.all())
    assert [(p.organisation_name, p.job_title, p.until) for p in past] == [
        ("Initech", "Analyst", dt.date(2026, 10, 1))
    ]
    # The former employer still lists them among its alumni (warm paths, R16).
    initech = services.organisation_find(owner, "Initech")
    assert initech is not None and list(selectors.organisation_alumni(initech)) == [person]


def test_search_covers_name_org_title_email_and_tags(owner: User) -> None:
    person = services.person_create(
        owner,
        PersonData(
            full_name="Dana Wu",
            organisation_name="Umbrella",
            job_title="Recruiter",
            emails=["dana@umbrella.example"],
            tags=["alumni"],
        ),
    )
    services.person_create(owner, PersonData(full_name="Other Person"))
    for query in ("dana", "UMBRELLA", "recruit", "umbrella.example", "alumni", "wu dana"):
        assert list(selectors.person_list(owner, query=query)) == [person], query


def test_renaming_an_organisation_updates_search(owner: User) -> None:
    person = services.person_create(
        owner, PersonData(full_name="Eve Adams", organisation_name="Hooli")
    )
    assert person.organisation is not None
    services.organisation_update(person.organisation, name="Hooli XYZ")
    assert list(selectors.person_list(owner, query="xyz")) == [person]


def test_referral_records_r10_permissions_and_the_chain(owner: User) -> None:
    sara = services.person_create(owner, PersonData(full_name="Sara Smith", contact_list="A"))
    john = services.person_create(owner, PersonData(full_name="John Public", contact_list="C"))
    mary = services.person_create(owner, PersonData(full_name="Mary Major", contact_list="C"))
    services.referral_create(
        owner,
        referrer=sara,
        referred=john,
        reason="he knows everyone in town",
        may_use_name=True,
        will_introduce=True,
    )
    services.referral_create(owner, referrer=john, referred=mary)
    assert selectors.person_referral_chain(mary) == [sara, john, mary]
    edge = selectors.person_referrer_edges(john).get()
    assert (edge.referrer, edge.reason, edge.may_use_name, edge.will_introduce) == (
        sara,
        "he knows everyone in town",
        True,
        True,
    )
    assert edge.reported_back_at is None
    services.referral_mark_reported_back(edge)
    assert Referral.objects.get(pk=edge.pk).reported_back_at is not None


def test_referral_refuses_self_duplicates_and_other_owners(owner: User, other: User) -> None:
    sara = services.person_create(owner, PersonData(full_name="Sara Smith"))
    john = services.person_create(owner, PersonData(full_name="John Public"))
    stranger = services.person_create(other, PersonData(full_name="Stranger"))
    with pytest.raises(ValidationError):
        services.referral_create(owner, referrer=sara, referred=sara)
    services.referral_create(owner, referrer=sara, referred=john)
    with pytest.raises(ValidationError, match="already referred"):
        services.referral_create(owner, referrer=sara, referred=john)
    with pytest.raises(ValidationError, match="your own contact book"):
        services.referral_create(owner, referrer=sara, referred=stranger)


def test_chain_stops_on_a_cycle(owner: User) -> None:
    a = services.person_create(owner, PersonData(full_name="A A"))
    b = services.person_create(owner, PersonData(full_name="B B"))
    services.referral_create(owner, referrer=a, referred=b)
    services.referral_create(owner, referrer=b, referred=a)
    assert selectors.person_referral_chain(b) == [a, b]


def test_selectors_never_cross_owners(owner: User, other: User) -> None:
    mine = services.person_create(
        owner, PersonData(full_name="Mine Only", organisation_name="Secret Co")
    )
    assert list(selectors.person_list(other)) == []
    assert list(selectors.person_list(other, query="mine")) == []
    assert list(selectors.organisation_list(other)) == []
    with pytest.raises(Http404):
        selectors.person_get(other, mine.public_id)
    assert mine.organisation is not None
    with pytest.raises(Http404):
        selectors.organisation_get(other, mine.organisation.public_id)
    with pytest.raises(Http404):
        selectors.person_get(owner, "not-a-uuid")


def test_journal_entry_with_people_and_filters(owner: User, other: User) -> None:
    sara = services.person_create(
        owner, PersonData(full_name="Sara Smith", contact_list="A", organisation_name="Acme")
    )
    entry = journal_services.entry_create(
        owner, kind="call", people=[sara], notes="Talked about design"
    )
    assert entry.organisation == sara.organisation  # one person: their organisation by default
    assert list(journal_selectors.person_timeline(sara)) == [entry]
    assert list(journal_selectors.entry_list(owner, kind="call", contact_list="A")) == [entry]
    assert list(journal_selectors.entry_list(owner, contact_list="C")) == []
    assert list(journal_selectors.entry_list(other)) == []
    with pytest.raises(ValidationError, match="Unknown kind"):
        journal_services.entry_create(owner, kind="lunch", people=[sara])
    stranger = services.person_create(other, PersonData(full_name="Stranger"))
    with pytest.raises(ValidationError):
        journal_services.entry_create(owner, kind="note", people=[stranger])


def test_deleting_a_person_keeps_shared_journal_entries(owner: User) -> None:
    a = services.person_create(owner, PersonData(full_name="A A"))
    b = services.person_create(owner, PersonData(full_name="B B"))
    entry = journal_services.entry_create(owner, kind="meeting", people=[a, b])
    services.person_delete(a)
    assert list(entry.people.all()) == [b]
