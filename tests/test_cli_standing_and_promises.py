"""What could only be set in the web, from a terminal: a person's seniority, closeness and
decision-maker flag (R3, R14, R18), and a meeting's promises (R17)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine
from typer.testing import CliRunner, Result

from grapevine.accounts.models import User
from grapevine.cli import get_app
from grapevine.meetings import services as meeting_services
from grapevine.meetings.models import Promise
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def grapevine(*args: str) -> Result:
    return CliRunner(env={"COLUMNS": "200"}).invoke(get_app(), list(args))


def test_contacts_set_seniority_closeness_and_decision_maker(owner: User) -> None:
    mary = PersonFactory(owner=owner, full_name="Mary Major", given_name="Mary")
    result = grapevine(
        "contacts",
        "set",
        "Mary Major",
        "--seniority",
        "Director",
        "--closeness",
        "close",
        "--decision-maker",
        "--json",
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["seniority"], data["closeness"], data["decision_maker"]) == (
        "director",
        "close",
        True,
    )
    mary.refresh_from_db()
    assert (mary.seniority, mary.closeness, mary.is_decision_maker) == ("director", "close", True)

    # Only what is given changes; the text output says the whole standing.
    result = grapevine("contacts", "set", "Mary Major", "--not-decision-maker", "--list", "A")
    assert result.exit_code == 0, result.output
    assert (
        "Mary Major: seniority director, closeness close, not a decision maker, list A."
        in result.stdout
    )
    result = grapevine("contacts", "set", "Mary Major", "--seniority", "unknown", "--json")
    assert json.loads(result.stdout)["seniority"] is None


def test_contacts_set_refuses_bad_values_and_changes_nothing(owner: User) -> None:
    mary = PersonFactory(owner=owner, full_name="Mary Major", closeness="regular")
    result = grapevine(
        "contacts", "set", "Mary Major", "--closeness", "close", "--seniority", "boss"
    )
    assert result.exit_code == 1 and "Seniority must be one of" in result.stderr
    mary.refresh_from_db()
    assert mary.closeness == "regular" and mary.seniority == ""
    result = grapevine("contacts", "set", "Mary Major")
    assert result.exit_code == 2 and "Say what to set" in result.stderr
    result = grapevine("contacts", "set", "Nobody Here", "--closeness", "close")
    assert result.exit_code == 1 and "Nobody called" in result.stderr


def test_contacts_set_is_scoped_to_the_acting_user(owner: User, other: User) -> None:
    PersonFactory(owner=other, full_name="Mary Major")
    result = grapevine(
        "contacts", "set", "Mary Major", "--closeness", "close", "--user", owner.email
    )
    assert result.exit_code == 1 and "Nobody called" in result.stderr


@time_machine.travel(dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC), tick=False)
def test_meeting_promises_add_list_done(owner: User, other: User) -> None:
    def mine(*args: str) -> Result:
        return grapevine(*args, "--user", owner.email)

    john = PersonFactory(owner=owner, full_name="John Berg")
    meeting = meeting_services.meeting_request(owner, john)
    result = mine(
        "meetings",
        "promises",
        "add",
        str(meeting.public_id)[:8],
        "Send the dbt article",
        "--due",
        "2026-03-12",
        "--json",
    )
    assert result.exit_code == 0, result.output
    added = json.loads(result.stdout)
    assert added["text"] == "Send the dbt article" and added["due_on"] == "2026-03-12"
    assert added["person"] == "John Berg" and added["done_at"] is None
    default = mine(
        "meetings", "promises", "add", str(meeting.public_id), "Introduce him to Ana", "--json"
    )
    assert json.loads(default.stdout)["due_on"] == "2026-03-17"  # a week by default

    listed = json.loads(mine("meetings", "promises", "list", "--json").stdout)
    assert [p["text"] for p in listed] == ["Send the dbt article", "Introduce him to Ana"]
    table = mine("meetings", "promises", "list").stdout
    assert "Send the dbt article" in table and added["public_id"][:8] in table

    done = mine("meetings", "promises", "done", added["public_id"][:8], "--json")
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout)["done_at"] is not None
    assert [
        p["text"] for p in json.loads(mine("meetings", "promises", "list", "--json").stdout)
    ] == ["Introduce him to Ana"]
    every = json.loads(mine("meetings", "promises", "list", "--all", "--json").stdout)
    assert len(every) == 2
    again = mine("meetings", "promises", "done", added["public_id"])
    assert again.exit_code == 1 and "already marked done" in again.stderr

    bad = mine("meetings", "promises", "add", str(meeting.public_id), "x", "--due", "next week")
    assert bad.exit_code == 2 and "not a date" in bad.stderr
    assert Promise.objects.count() == 2
    # Another user's promise is not found by its id.
    theirs = grapevine("meetings", "promises", "done", added["public_id"], "--user", other.email)
    assert theirs.exit_code == 1 and "No promise with the id" in theirs.stderr
