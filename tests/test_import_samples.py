"""Every sample export (a copy of ../shared/samples) imports, and importing it again creates nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from grapevine.contacts.models import Organisation, PastEmployment, Person
from grapevine.journal.models import Entry, Kind
from grapevine.targets.models import JobPosting
from grapevine.transfer.services import import_path

# ../shared/samples when it is there (so a new sample is tested at once), else our copy of it.
SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "samples"
if not SAMPLES.exists():
    SAMPLES = Path(__file__).parent / "data" / "transfer" / "samples"
FILES = sorted(p for p in SAMPLES.glob("*/*") if p.suffix.lower() in {".csv", ".vcf"})


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_sample_imports_and_reimport_creates_nothing(owner, path):
    first = import_path(owner, path)
    assert first.created > 0
    second = import_path(owner, path)
    assert second.created == 0
    assert second.updated == 0
    assert second.unchanged == first.created + first.updated + first.unchanged


def person(owner, name):
    return Person.objects.get(owner=owner, full_name=name)


def test_linkedin_sample_people_land_on_list_b_with_connection_entries(owner):
    result = import_path(owner, SAMPLES / "linkedin" / "Connections.csv")
    assert result.format == "linkedin-connections"
    assert result.created == 60
    assert [p.line for p in result.skipped] == [65]  # only a date: someone who left LinkedIn
    christina = person(owner, "Christina Lopez, CPA")
    assert (christina.family_name, christina.suffix) == ("Lopez", "CPA")
    james = Person.objects.get(owner=owner, family_name="Brooks")
    assert (james.given_name, james.nickname) == ("James", "Tyler")
    ken = Person.objects.get(owner=owner, given_name="Ken")
    assert ken.linkedin_url == "https://www.linkedin.com/in/ken-o\u2019brien-4b1a2"
    assert ken.primary_email == "larsonrandy@example.com"
    assert Person.objects.filter(owner=owner, full_name="李 娜").exists()
    assert Person.objects.filter(owner=owner, given_name="Cindy 🚀").exists()
    assert set(Person.objects.filter(owner=owner).values_list("contact_list", flat=True)) == {"B"}
    connected = Entry.objects.filter(owner=owner, kind=Kind.CONNECTED, people=christina).get()
    assert connected.occurred_at.date().isoformat() == "2021-04-27"
    # "Acme Corporation" and "ACME Corp." are one organisation.
    ray, miguel = person(owner, "Ray Jones"), person(owner, "Miguel Armstrong")
    assert ray.organisation.name == "Acme Corporation"
    assert miguel.organisation == ray.organisation
    assert Organisation.objects.filter(owner=owner, key="acme").count() == 1


def test_reimport_with_a_new_employer_keeps_the_old_one(owner, tmp_path):
    import_path(owner, SAMPLES / "linkedin" / "Connections.csv")
    text = (SAMPLES / "linkedin" / "Connections.csv").read_text(encoding="utf-8")
    changed = text.replace(
        "Shaun,Castro,https://www.linkedin.com/in/shaun-castro,,Massive Dynamic,",
        "Shaun,Castro,https://www.linkedin.com/in/shaun-castro,,Initech,",
    )
    assert changed != text
    path = tmp_path / "Connections.csv"
    path.write_text(changed, encoding="utf-8")
    result = import_path(owner, path)
    assert (result.created, result.updated) == (0, 1)
    shaun = person(owner, "Shaun Castro")
    assert shaun.organisation.name == "Initech"
    past = PastEmployment.objects.get(person=shaun)
    assert past.organisation_name == "Massive Dynamic"


def test_google_sample_fields(owner):
    import_path(owner, SAMPLES / "google" / "contacts.csv", contact_list="A")
    thomas = person(owner, "Thomas Sandoval")
    assert thomas.contact_list == "A"
    assert [e.address for e in thomas.emails.all()] == [
        "douglas05@example.com",
        "hadams@example.net",
    ]
    assert thomas.job_title == "Maintenance engineer"
    assert "alumni mixer" in thomas.notes
    steve = Person.objects.get(owner=owner, given_name="Steve")
    assert (steve.family_name, steve.suffix) == ("Lin", "CPA")
    assert steve.organisation.name == "Acme Corporation"
    james = Person.objects.get(owner=owner, family_name="Brooks")
    assert [t.name for t in james.tags.all()] == ["Work"]
    # Two people share michael56@example.net; they stay two people.
    assert Person.objects.filter(owner=owner, emails__address="michael56@example.net").count() == 2


def test_outlook_sample_fields(owner):
    import_path(owner, SAMPLES / "outlook" / "contacts.csv")
    amanda = Person.objects.get(owner=owner, given_name="Amanda")
    assert (amanda.family_name, amanda.suffix) == ("Lewis", "CPA")
    assert amanda.job_title == "Hospital pharmacist"
    james = Person.objects.get(owner=owner, family_name="Brooks")
    assert james.organisation.name == "Initech"
    assert james.phones.get().number.startswith("+1876724")
    # Ken O'Brien shares James's address but is another person.
    assert Person.objects.filter(owner=owner, emails__address="kaisermary@example.org").count() == 2


def test_postings_sample_matches_organisations(owner):
    result = import_path(owner, SAMPLES / "postings" / "postings.csv")
    assert result.format == "linkedin-postings"
    assert JobPosting.objects.filter(owner=owner).count() == result.created
    posting = JobPosting.objects.get(owner=owner, external_id="3900000000")
    assert posting.company_name == "ACME CORPORATION"
    other = JobPosting.objects.get(owner=owner, external_id="3900007919")
    assert other.organisation == posting.organisation
    assert posting.posted_at is not None and posting.url.endswith("/3900000000")


def test_a_changed_posting_is_updated_not_duplicated(owner, tmp_path):
    import_path(owner, SAMPLES / "postings" / "postings.csv")
    text = (SAMPLES / "postings" / "postings.csv").read_text(encoding="utf-8")
    changed = text.replace(
        "3900000000,ACME CORPORATION,Secretary/administrator,",
        "3900000000,ACME CORPORATION,Office manager,",
    )
    assert changed != text
    path = tmp_path / "postings.csv"
    path.write_text(changed, encoding="utf-8")
    result = import_path(owner, path)
    assert (result.created, result.updated) == (0, 1)
    assert JobPosting.objects.get(owner=owner, external_id="3900000000").title == "Office manager"
