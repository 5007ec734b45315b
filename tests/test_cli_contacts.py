"""`grapevine contacts …` and `grapevine orgs …`, run in-process as a user would type them."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner, Result

from grapevine.accounts.models import User
from grapevine.cli import get_app
from grapevine.contacts.models import Organisation, Person, Referral
from tests.factories import (
    OrganisationFactory,
    PersonEmailFactory,
    PersonFactory,
    ReferralFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def grapevine(*args: str) -> Result:
    return CliRunner(env={"COLUMNS": "200"}).invoke(get_app(), list(args))


def test_done_when_sara_is_added_on_list_a_at_acme_and_listed(owner: User) -> None:
    added = grapevine(
        "contacts", "add", "Sara Smith", "--list", "A", "--org", "Acme Corp", "--json"
    )
    assert added.exit_code == 0, added.output
    sara = json.loads(added.stdout)
    assert sara["full_name"] == "Sara Smith"
    assert sara["list"] == "A"
    assert sara["organisation"] == "Acme Corp"

    listed = grapevine("contacts", "list", "--json")
    assert listed.exit_code == 0, listed.output
    people = json.loads(listed.stdout)
    assert [(p["full_name"], p["list"], p["organisation"]) for p in people] == [
        ("Sara Smith", "A", "Acme Corp")
    ]
    assert people[0]["public_id"] == sara["public_id"]
    stored = Person.objects.get(owner=owner)
    assert str(stored.public_id) == sara["public_id"]
    assert stored.organisation is not None and stored.organisation.name == "Acme Corp"


def test_done_when_john_referred_by_sara_records_the_referral(owner: User) -> None:
    grapevine("contacts", "add", "Sara Smith", "--list", "A", "--org", "Acme Corp")
    added = grapevine(
        "contacts", "add", "John Public", "--list", "C", "--referred-by", "Sara Smith", "--json"
    )
    assert added.exit_code == 0, added.output
    john = json.loads(added.stdout)
    assert john["list"] == "C"
    assert [r["full_name"] for r in john["referred_by"]] == ["Sara Smith"]

    referral = Referral.objects.get(owner=owner)
    assert referral.referrer.full_name == "Sara Smith"
    assert str(referral.referred.public_id) == john["public_id"]

    shown = grapevine("contacts", "show", "John Public")
    assert shown.exit_code == 0, shown.output
    assert "Referred by Sara Smith" in shown.stdout
    assert "Sara Smith → John Public" in shown.stdout

    listed = json.loads(grapevine("contacts", "list", "--json").stdout)
    by_name = {p["full_name"]: p for p in listed}
    assert (
        by_name["John Public"]["referred_by"][0]["public_id"] == by_name["Sara Smith"]["public_id"]
    )
    assert by_name["Sara Smith"]["referred_by"] == []


def test_add_keeps_title_emails_and_tags(owner: User) -> None:
    result = grapevine(
        "contacts", "add", "Ana Lopez, CPA", "--title", "Controller", "--email", "Ana@Example.COM",
        "--email", "ana.lopez@work.example", "--tag", "finance", "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    ana = json.loads(result.stdout)
    assert ana["list"] == "B"  # professional unless told otherwise
    assert ana["title"] == "Controller"
    assert ana["emails"] == ["ana@example.com", "ana.lopez@work.example"]
    assert ana["tags"] == ["finance"]
    assert Person.objects.get(owner=owner).family_name == "Lopez"


def test_unknown_list_is_refused_and_nothing_is_stored(owner: User) -> None:
    result = grapevine("contacts", "add", "Sara Smith", "--list", "D")
    assert result.exit_code == 2
    assert (
        "There is no list “D”: use A (personal), B (professional) or C (target) — R2."
        in result.stderr
    )
    assert "Traceback" not in result.output
    assert not Person.objects.exists()


def test_ambiguous_referrer_lists_the_candidates_and_stores_nothing(owner: User) -> None:
    first = PersonFactory(owner=owner, given_name="Alex", family_name="Kim", full_name="Alex Kim")
    second = PersonFactory(owner=owner, given_name="Alex", family_name="Kim", full_name="Alex Kim")
    result = grapevine("contacts", "add", "John Public", "--referred-by", "alex kim")
    assert result.exit_code == 1
    assert "2 people are called “alex kim”" in result.stderr
    assert str(first.public_id) in result.stderr and str(second.public_id) in result.stderr
    assert not Person.objects.filter(full_name="John Public").exists()
    assert not Referral.objects.exists()

    # The id settles it.
    chosen = grapevine(
        "contacts", "add", "John Public", "--referred-by", str(second.public_id), "--json"
    )
    assert chosen.exit_code == 0, chosen.output
    assert Referral.objects.get().referrer == second


def test_unknown_referrer_suggests_similar_names(owner: User) -> None:
    PersonFactory(
        owner=owner,
        given_name="Sara",
        family_name="Smith",
        full_name="Sara Smith",
        search_text="sara smith",
    )
    result = grapevine("contacts", "add", "John Public", "--referred-by", "Sara")
    assert result.exit_code == 1
    assert (
        "Nobody called “Sara” in your contact book; did you mean one of: Sara Smith"
        in result.stderr
    )
    assert Person.objects.filter(owner=owner).count() == 1


def test_several_accounts_need_user_and_nothing_is_stored(owner: User, other: User) -> None:
    result = grapevine("contacts", "add", "Sara Smith")
    assert result.exit_code == 1
    assert "This instance has several accounts: say which with --user EMAIL." in result.stderr
    assert not Person.objects.exists()

    chosen = grapevine("contacts", "add", "Sara Smith", "--user", "OTHER@example.org")
    assert chosen.exit_code == 0, chosen.output
    assert Person.objects.get().owner == other


def test_no_account_says_how_to_create_one(db: None) -> None:
    result = grapevine("contacts", "list")
    assert result.exit_code == 1
    assert (
        "There is no account yet: create one with `grapevine user create EMAIL`." in result.stderr
    )


def test_another_users_people_stay_invisible(owner: User, other: User) -> None:
    hidden = PersonFactory(owner=owner, full_name="Sara Smith")
    listed = grapevine("contacts", "list", "--json", "--user", other.email)
    assert json.loads(listed.stdout) == []
    shown = grapevine("contacts", "show", str(hidden.public_id), "--user", other.email)
    assert shown.exit_code == 1
    assert "No such person in your contact book." in shown.stderr
    assert "Sara" not in shown.output
    referred = grapevine(
        "contacts", "add", "John", "--referred-by", "Sara Smith", "--user", other.email
    )
    assert referred.exit_code == 1
    assert not Person.objects.filter(owner=other).exists()


def test_list_filters_by_list_and_organisation(owner: User) -> None:
    acme = OrganisationFactory(owner=owner, name="Acme Corp")
    PersonFactory(owner=owner, full_name="Ann On-A", contact_list="A", organisation=acme)
    PersonFactory(owner=owner, full_name="Bob On-B", contact_list="B", organisation=acme)
    PersonFactory(owner=owner, full_name="Cy On-C", contact_list="C")

    on_b = json.loads(grapevine("contacts", "list", "--list", "b", "--json").stdout)
    assert [p["full_name"] for p in on_b] == ["Bob On-B"]
    at_acme = json.loads(
        grapevine("contacts", "list", "--org", "ACME corporation", "--json").stdout
    )
    assert sorted(p["full_name"] for p in at_acme) == ["Ann On-A", "Bob On-B"]

    unknown = grapevine("contacts", "list", "--org", "Globex")
    assert unknown.exit_code == 1
    assert "No organisation called “Globex” in your contact book." in unknown.stderr


def test_list_table_shows_text_as_typed_and_empty_state_says_what_to_do(owner: User) -> None:
    empty = grapevine("contacts", "list")
    assert empty.exit_code == 0
    assert "Your contact book is empty: start with list A" in empty.stdout

    person = PersonFactory(owner=owner, full_name="[bold]Ann[/bold]", contact_list="A")
    PersonEmailFactory(person=person, address="ann@example.org")
    table = grapevine("contacts", "list")
    assert table.exit_code == 0
    assert "[bold]Ann[/bold]" in table.stdout  # user text is never read as Rich markup
    assert "ann@example.org" in table.stdout


def test_show_gives_referrals_both_ways_as_json(owner: User) -> None:
    first = PersonFactory(owner=owner, full_name="First Contact")
    middle = PersonFactory(owner=owner, full_name="Middle Person")
    last = PersonFactory(owner=owner, full_name="Last Lead")
    ReferralFactory(owner=owner, referrer=first, referred=middle, reason="she knows the sector")
    ReferralFactory(owner=owner, referrer=middle, referred=last)

    shown = grapevine("contacts", "show", "Middle Person", "--json")
    assert shown.exit_code == 0, shown.output
    data = json.loads(shown.stdout)
    assert data["public_id"] == str(middle.public_id)
    assert [r["full_name"] for r in data["referred_by"]] == ["First Contact"]
    assert data["referrals_received"][0]["reason"] == "she knows the sector"
    assert [p["full_name"] for p in data["referred_you_to"]] == ["Last Lead"]

    chain = json.loads(grapevine("contacts", "show", str(last.public_id), "--json").stdout)["chain"]
    assert [p["full_name"] for p in chain] == ["First Contact", "Middle Person", "Last Lead"]


def test_orgs_list_gives_aliases_and_people_counts(owner: User, other: User) -> None:
    grapevine("contacts", "add", "Sara Smith", "--org", "Acme Corp", "--user", owner.email)
    grapevine("contacts", "add", "Sam Stone", "--org", "ACME Corp.", "--user", owner.email)
    org = Organisation.objects.get(owner=owner)
    org.aliases.create(owner=owner, name="Acme Rockets", key="acme rockets")
    OrganisationFactory(owner=other, name="Globex")

    result = grapevine("orgs", "list", "--json", "--user", owner.email)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == [
        {
            "public_id": str(org.public_id),
            "name": "Acme Corp",
            "aliases": ["Acme Rockets"],
            "people": 2,
            "website": "",
        }
    ]
    table = grapevine("orgs", "list", "--user", owner.email)
    assert "Acme Rockets" in table.stdout and "Globex" not in table.stdout


def test_factories_user_can_be_named_by_email_in_any_case(db: None) -> None:
    user = UserFactory(email="seeker@example.org")
    result = grapevine("contacts", "add", "Sara Smith", "--user", "Seeker@Example.org", "--json")
    assert result.exit_code == 0, result.output
    assert Person.objects.get().owner == user


def test_a_bad_email_is_refused_with_the_address(owner: User) -> None:
    result = grapevine("contacts", "add", "Sara Smith", "--email", "sara-at-acme")
    assert result.exit_code == 1
    assert "“sara-at-acme” is not an e-mail address." in result.stderr
    assert not Person.objects.exists()


def test_adding_a_namesake_works_and_says_how_to_tell_them_apart(owner: User) -> None:
    first = json.loads(grapevine("contacts", "add", "Sara Smith", "--json").stdout)
    second = grapevine("contacts", "add", "Sara Smith", "--org", "Globex", "--json")
    assert second.exit_code == 0, second.output
    assert json.loads(second.stdout)["organisation"] == "Globex"  # stdout stays one JSON document
    assert "Note: you now have 2 people called “Sara Smith”" in second.stderr
    assert first["public_id"] in second.stderr
    assert Person.objects.filter(full_name="Sara Smith").count() == 2


def test_grapevine_user_in_the_environment_picks_the_account(owner: User, other: User) -> None:
    result = CliRunner(env={"GRAPEVINE_USER": other.email}).invoke(
        get_app(), ["contacts", "add", "Sara Smith", "--json"]
    )
    assert result.exit_code == 0, result.output
    assert Person.objects.get().owner == other
