"""The benchmark's generator: reproducible, and its rows are found as real rows are."""

from __future__ import annotations

import pytest

from bench.contacts import percentile
from bench.generate import generate, parse_args
from grapevine.accounts.models import User
from grapevine.contacts.models import Organisation, Person, Referral
from grapevine.contacts.selectors import person_list
from grapevine.contacts.services import person_search_text
from grapevine.journal.models import Entry

pytestmark = pytest.mark.django_db


def quiet(*args: object) -> None:
    pass


def snapshot() -> list[tuple[object, ...]]:
    return list(
        Person.objects.order_by("public_id").values_list(
            "public_id", "full_name", "contact_list", "search_text"
        )
    )


def test_same_seed_same_data_and_counts_as_asked() -> None:
    made = generate(contacts=300, seed=7, orgs=20, journal=150, say=quiet)
    first = snapshot()
    assert (made.people, made.organisations, made.journal_entries) == (300, 20, 150)
    assert Person.objects.count() == 300 and Organisation.objects.count() == 20
    assert Entry.objects.count() == 150
    assert Referral.objects.count() == made.referrals > 0
    assert {p[2] for p in first} == {"A", "B", "C"}

    generate(contacts=300, seed=7, orgs=20, journal=150, replace=True, say=quiet)
    assert snapshot() == first

    generate(contacts=300, seed=8, orgs=20, journal=150, replace=True, say=quiet)
    assert snapshot() != first


def test_search_text_is_what_the_services_would_store() -> None:
    generate(contacts=200, seed=3, orgs=10, say=quiet)
    for person in Person.objects.select_related("organisation"):
        assert person.search_text == person_search_text(person), person.full_name
    owner = User.objects.get()
    someone = Person.objects.exclude(organisation=None).first()
    assert someone is not None and someone.organisation is not None
    word = someone.organisation.name.split()[0]
    assert someone in person_list(owner, query=word)


def test_an_existing_owner_is_kept_unless_replaced() -> None:
    generate(contacts=20, seed=1, say=quiet)
    with pytest.raises(SystemExit, match="already has an account here: use --replace"):
        generate(contacts=20, seed=1, say=quiet)
    assert Person.objects.count() == 20


def test_arguments_are_checked() -> None:
    assert parse_args(["--contacts", "30000", "--seed", "2"]).contacts == 30000
    with pytest.raises(SystemExit):
        parse_args(["--contacts", "0"])


def test_percentile_is_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 0.95) == 95.0
    assert percentile(values, 0.5) == 50.0
    assert percentile([3.0], 0.95) == 3.0
