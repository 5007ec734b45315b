"""Merging two records of one person keeps every e-mail, phone, referral edge and
journal entry; probable duplicates across sources are found (issue 3)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from grapevine.contacts.merge import person_merge, probable_duplicates
from grapevine.contacts.models import Person, PersonEmail, Referral
from grapevine.contacts.services import PersonData, person_create
from grapevine.journal.models import Entry
from grapevine.transfer.services import import_path
from tests.factories import EntryFactory, PersonFactory, ReferralFactory

pytestmark = pytest.mark.django_db
SAMPLES = Path(__file__).parent / "data" / "transfer" / "samples"  # copy of ../shared/samples


def test_merge_moves_everything_and_deletes_the_other(owner):
    keep = person_create(
        owner,
        PersonData(
            full_name="Ken O'Brien",
            emails=["ken@a.example"],
            phones=["+1 212 555 0100"],
            tags=["linkedin"],
        ),
    )
    drop = person_create(
        owner,
        PersonData(
            full_name="Kenneth O'Brien",
            organisation_name="Pied Piper",
            job_title="Author",
            emails=["ken@a.example", "ken@b.example"],
            phones=["+1 212 555 0199"],
            tags=["google"],
            notes="Met at PyCon.",
        ),
    )
    third = PersonFactory(owner=owner)
    fourth = PersonFactory(owner=owner)
    ReferralFactory(owner=owner, referrer=drop, referred=third, reason="from drop")
    ReferralFactory(
        owner=owner, referrer=keep, referred=third, reason="from keep"
    )  # same pair after merge
    ReferralFactory(owner=owner, referrer=fourth, referred=drop, may_use_name=True)
    ReferralFactory(owner=owner, referrer=keep, referred=drop)  # would become a self-referral
    both = EntryFactory(owner=owner, subject="both")
    both.people.set([keep, drop])
    only_drop = EntryFactory(owner=owner, subject="drop only")
    only_drop.people.set([drop])

    merged = person_merge(keep, drop)

    assert not Person.objects.filter(pk=drop.pk).exists()
    assert [e.address for e in merged.emails.all()] == ["ken@a.example", "ken@b.example"]
    assert sorted(p.number for p in merged.phones.all()) == ["+12125550100", "+12125550199"]
    assert sorted(t.name for t in merged.tags.all()) == ["google", "linkedin"]
    assert merged.organisation.name == "Pied Piper" and merged.job_title == "Author"
    assert "PyCon" in merged.notes and "pied piper" in merged.search_text
    assert (
        Referral.objects.filter(owner=owner, referrer=merged, referred=third).get().reason
        == "from keep"
    )
    assert Referral.objects.filter(owner=owner, referrer=fourth, referred=merged).get().may_use_name
    assert not Referral.objects.filter(referrer=merged, referred=merged).exists()
    assert set(Entry.objects.filter(people=merged).values_list("subject", flat=True)) == {
        "both",
        "drop only",
    }
    assert both.people.count() == 1


def test_merge_refuses_the_same_person_or_someone_elses(owner, other):
    a = PersonFactory(owner=owner)
    with pytest.raises(ValidationError):
        person_merge(a, a)
    with pytest.raises(ValidationError):
        person_merge(a, PersonFactory(owner=other))
    assert Person.objects.filter(pk=a.pk).exists()


def test_probable_duplicates_across_linkedin_google_and_outlook(owner, other):
    import_path(owner, SAMPLES / "linkedin" / "Connections.csv")
    import_path(owner, SAMPLES / "google" / "contacts.csv")
    pairs = probable_duplicates(owner)
    names = {(p.first.full_name, p.second.full_name) for p in pairs}
    # Zoë Müller-Lüdenscheidt is in both LinkedIn and Google, at different employers.
    assert ("Zoë Müller-Lüdenscheidt", "Zoë Müller-Lüdenscheidt") in names
    # Two different people who share an address are not proposed.
    assert not any(
        {p.first.full_name, p.second.full_name} == {"Ken O\u2019Brien", "Christopher Lee"}
        for p in pairs
    )
    assert probable_duplicates(other) == []


def test_same_email_with_similar_name_is_the_strongest_reason(owner):
    a = person_create(owner, PersonData(full_name="Jon Smith", emails=["jon@example.org"]))
    b = person_create(owner, PersonData(full_name="Jonathan Smith", emails=["jon@example.org"]))
    person_create(owner, PersonData(full_name="Mary Jones", emails=["jon@example.org"]))
    pairs = probable_duplicates(owner)
    assert len(pairs) == 1
    assert {pairs[0].first, pairs[0].second} == {a, b}
    assert pairs[0].reasons == ["same e-mail jon@example.org"]
    assert PersonEmail.objects.filter(address="jon@example.org").count() == 3
