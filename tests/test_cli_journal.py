"""`grapevine journal …` (R17): recording and listing interactions from a terminal."""

from __future__ import annotations

import datetime as dt
import json
import zoneinfo

import pytest
import time_machine
from typer.testing import CliRunner, Result

from grapevine.accounts.models import User
from grapevine.cli import get_app
from grapevine.journal.models import Entry, Kind
from tests.factories import EntryFactory, OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def grapevine(*args: str) -> Result:
    return CliRunner(env={"COLUMNS": "200"}).invoke(get_app(), list(args))


@pytest.fixture
def sara(owner: User):  # type: ignore[no-untyped-def]
    acme = OrganisationFactory(owner=owner, name="Acme Corp")
    return PersonFactory(owner=owner, full_name="Sara Smith", organisation=acme)


@pytest.mark.parametrize("typed", ["thank-you", "Thank you", "thank_you", "THANKS"])
def test_friendly_kind_names_are_understood(owner: User, sara, typed: str) -> None:  # type: ignore[no-untyped-def]
    result = grapevine("journal", "add", typed, "--person", "Sara Smith", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["kind"] == "thank_you"
    assert Entry.objects.get(owner=owner).kind == Kind.THANK_YOU


def test_add_with_date_people_and_notes(owner: User, sara) -> None:  # type: ignore[no-untyped-def]
    owner.time_zone = "Europe/Paris"
    owner.save()
    bob = PersonFactory(owner=owner, full_name="Bob Jones")
    result = grapevine(
        "journal", "add", "meeting", "--person", "Sara Smith", "--person", str(bob.public_id),
        "--when", "2026-03-14", "--notes", "Talked about **audit** jobs.", "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    entry = Entry.objects.get(owner=owner)
    assert data["public_id"] == str(entry.public_id)
    assert sorted(p["full_name"] for p in data["people"]) == ["Bob Jones", "Sara Smith"]
    assert entry.notes == "Talked about **audit** jobs."
    # A date alone is noon that day where the user lives.
    paris = zoneinfo.ZoneInfo("Europe/Paris")
    assert entry.occurred_at.astimezone(paris) == dt.datetime(2026, 3, 14, 12, 0, tzinfo=paris)


def test_one_person_brings_their_organisation(owner: User, sara) -> None:  # type: ignore[no-untyped-def]
    result = grapevine(
        "journal", "add", "call", "--person", "Sara Smith", "--when", "2026-03-14T09:30", "--json"
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["organisation"] == "Acme Corp"
    assert data["occurred_at"].startswith("2026-03-14T09:30")


@time_machine.travel(dt.datetime(2026, 5, 6, 10, 0, tzinfo=dt.UTC), tick=False)
def test_yesterday_is_the_day_before_today(owner: User, sara) -> None:  # type: ignore[no-untyped-def]
    result = grapevine("journal", "add", "note", "--person", "Sara Smith", "--when", "yesterday")
    assert result.exit_code == 0, result.output
    assert Entry.objects.get().occurred_at.date() == dt.date(2026, 5, 5)


def test_unknown_kind_lists_the_valid_ones_and_stores_nothing(owner: User, sara) -> None:  # type: ignore[no-untyped-def]
    result = grapevine("journal", "add", "lunch", "--person", "Sara Smith")
    assert result.exit_code == 2
    assert (
        "There is no kind “lunch”: use one of message-sent, message-received, call, meeting"
        in result.stderr
    )
    assert "thank-you" in result.stderr
    assert not Entry.objects.exists()


def test_bad_date_is_refused(owner: User, sara) -> None:  # type: ignore[no-untyped-def]
    result = grapevine("journal", "add", "call", "--person", "Sara Smith", "--when", "14/03/2026")
    assert result.exit_code == 2
    assert "“14/03/2026” is not a date" in result.stderr
    assert not Entry.objects.exists()


def test_unknown_person_stores_nothing(owner: User, sara) -> None:  # type: ignore[no-untyped-def]
    result = grapevine(
        "journal", "add", "call", "--person", "Sara Smith", "--person", "Nobody Here"
    )
    assert result.exit_code == 1
    assert "Nobody called “Nobody Here” in your contact book" in result.stderr
    assert not Entry.objects.exists()


def test_person_is_required(owner: User) -> None:
    result = grapevine("journal", "add", "call")
    assert result.exit_code == 2
    assert "--person" in result.output


def test_list_filters_by_kind_and_person(owner: User, other: User, sara) -> None:  # type: ignore[no-untyped-def]
    bob = PersonFactory(owner=owner, full_name="Bob Jones")
    thanks = EntryFactory(owner=owner, kind=Kind.THANK_YOU, subject="Thanks for the coffee")
    thanks.people.set([sara])
    call = EntryFactory(owner=owner, kind=Kind.CALL)
    call.people.set([bob])
    EntryFactory(owner=other, kind=Kind.THANK_YOU, subject="Someone else's")

    everything = json.loads(grapevine("journal", "list", "--json", "--user", owner.email).stdout)
    assert {e["public_id"] for e in everything} == {str(thanks.public_id), str(call.public_id)}

    by_kind = json.loads(
        grapevine("journal", "list", "--kind", "thank-you", "--json", "--user", owner.email).stdout
    )
    assert [e["subject"] for e in by_kind] == ["Thanks for the coffee"]

    by_person = json.loads(
        grapevine(
            "journal", "list", "--person", "Bob Jones", "--json", "--user", owner.email
        ).stdout
    )
    assert [e["kind"] for e in by_person] == ["call"]

    table = grapevine("journal", "list", "--user", owner.email)
    assert "Thanks for the coffee" in table.stdout
    assert "Someone else's" not in table.stdout


def test_empty_journal_says_what_to_do(owner: User) -> None:
    result = grapevine("journal", "list")
    assert result.exit_code == 0
    assert "record it with `grapevine journal add KIND --person NAME` (R17)" in result.stdout
