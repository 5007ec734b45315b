"""`grapevine meetings …` and `grapevine draft …`: the whole flow from a terminal."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner, Result

from grapevine.accounts.models import User
from grapevine.cli import get_app
from grapevine.contacts.models import Person, Referral
from grapevine.journal.models import Entry, Kind
from grapevine.meetings.models import Meeting, Status
from grapevine.messaging.models import Draft, DraftKind
from tests.factories import OrganisationFactory, PersonEmailFactory, PersonFactory, ReferralFactory

pytestmark = pytest.mark.django_db


def grapevine(*args: str) -> Result:
    return CliRunner(env={"COLUMNS": "200"}).invoke(get_app(), list(args))


@pytest.fixture
def john(owner: User):  # type: ignore[no-untyped-def]
    org = OrganisationFactory(owner=owner, name="Acme Analytics")
    sara = PersonFactory(owner=owner, full_name="Sara Lind", given_name="Sara")
    person = PersonFactory(owner=owner, full_name="John Berg", given_name="John", organisation=org)
    PersonEmailFactory(person=person, address="john@acme.example")
    ReferralFactory(owner=owner, referrer=sara, referred=person, reason="he made the same move")
    return person


def test_45_minutes_is_refused_in_one_sentence(owner: User, john) -> None:  # type: ignore[no-untyped-def]
    result = grapevine("meetings", "request", "John Berg", "--minutes", "45")
    assert result.exit_code == 1
    assert "at most 30 minutes, not 45" in result.stderr and "R4" in result.stderr
    assert "Traceback" not in result.output
    assert not Meeting.objects.exists()


def test_unknown_person_is_one_clear_sentence(owner: User, john) -> None:  # type: ignore[no-untyped-def]
    result = grapevine("meetings", "request", "Jon Bergg")
    assert result.exit_code == 1
    assert "Nobody called “Jon Bergg”" in result.stderr
    assert not Meeting.objects.exists()


def test_ambiguous_name_is_refused(owner: User, john) -> None:  # type: ignore[no-untyped-def]
    PersonFactory(owner=owner, full_name="John Berg")
    result = grapevine("meetings", "request", "John Berg")
    assert result.exit_code == 1 and "2 people are called" in result.stderr


def test_the_flow_from_the_command_line(owner: User, john) -> None:  # type: ignore[no-untyped-def]
    result = grapevine("meetings", "request", "John Berg", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    meeting_id = data["public_id"]
    assert (
        data["minutes"] == 20 and data["referrer"] == "Sara Lind" and data["status"] == "requested"
    )

    result = grapevine("draft", "request", "--meeting", meeting_id, "--json")
    draft = json.loads(result.stdout)
    assert draft["kind"] == DraftKind.REQUEST_WARM
    assert "Sara Lind" in draft["body"] and draft["check"]["ok"] is True

    result = grapevine("meetings", "schedule", meeting_id[:8], "2030-05-06T10:00")
    assert result.exit_code == 0, result.output
    assert "2030-05-06 10:00" in result.stdout
    assert grapevine("meetings", "held", meeting_id).exit_code == 0

    result = grapevine(
        "meetings",
        "debrief",
        meeting_id,
        "--referral",
        "Maria Holm",
        "--referral",
        "Sara Lind",
        "--learned",
        "Dashboards replace Excel reports",
        "--act-on",
        "Take the SQL course",
        "--json",
    )
    assert result.exit_code == 0, result.output
    debrief = json.loads(result.stdout)
    assert sorted(r["referred"] for r in debrief["referrals"]) == ["Maria Holm", "Sara Lind"]
    assert debrief["referral_gap"] == 0
    assert Person.objects.filter(full_name="Maria Holm", contact_list="C").exists()
    assert Referral.objects.filter(referrer=john).count() == 2

    result = grapevine("draft", "thank-you", "--meeting", meeting_id, "--json")
    thank_you = json.loads(result.stdout)
    assert "how I see my next step: Dashboards replace Excel reports" in thank_you["body"]
    assert thank_you["check"]["ok"]
    result = grapevine("draft", "report-back", "--person", "John Berg", "--json")
    report_back = json.loads(result.stdout)
    assert report_back["to"] == "Sara Lind" and "John Berg" in report_back["body"]

    listed = json.loads(grapevine("meetings", "list", "--json").stdout)
    assert [m["status"] for m in listed] == [Status.HELD]
    text = grapevine("meetings", "list").stdout
    assert "John Berg" in text and meeting_id[:8] in text
    subjects = list(Entry.objects.filter(people=john).values_list("kind", flat=True))
    assert Kind.MEETING in subjects


def test_debrief_with_an_unknown_meeting_or_ambiguous_referral_stores_nothing(
    owner: User, john
) -> None:  # type: ignore[no-untyped-def]
    result = grapevine("meetings", "debrief", "deadbeef", "--referral", "X Y")
    assert result.exit_code == 1 and "No meeting with the id" in result.stderr
    meeting_id = json.loads(grapevine("meetings", "request", "John Berg", "--json").stdout)[
        "public_id"
    ]
    grapevine("meetings", "held", meeting_id)
    PersonFactory(owner=owner, full_name="Twin Name")
    PersonFactory(owner=owner, full_name="Twin Name")
    before = Person.objects.count()
    result = grapevine(
        "meetings", "debrief", meeting_id, "--referral", "New Person", "--referral", "Twin Name"
    )
    assert result.exit_code == 1 and "2 people are called “Twin Name”" in result.stderr
    assert Person.objects.count() == before
    assert Meeting.objects.get().debriefed_at is None


def test_draft_needs_exactly_one_target_and_a_known_kind(owner: User, john) -> None:  # type: ignore[no-untyped-def]
    assert grapevine("draft", "request").exit_code == 2
    result = grapevine("draft", "poem", "--person", "John Berg")
    assert result.exit_code == 2 and "no kind “poem”" in result.stderr
    assert not Draft.objects.exists()


def test_commands_act_for_the_given_user_only(owner: User, other: User, john) -> None:  # type: ignore[no-untyped-def]
    result = grapevine("meetings", "request", "John Berg", "--user", other.email)
    assert result.exit_code == 1 and "Nobody called" in result.stderr
    meeting_id = json.loads(
        grapevine("meetings", "request", "John Berg", "--user", owner.email, "--json").stdout
    )["public_id"]
    result = grapevine("meetings", "held", meeting_id, "--user", other.email)
    assert result.exit_code == 1
    assert Meeting.objects.get().status == Status.REQUESTED


def test_requesting_a_senior_list_c_person_first_warns_r3(owner: User) -> None:
    PersonFactory(owner=owner, full_name="Vera Boss", contact_list="C", seniority="executive")
    result = grapevine("meetings", "request", "Vera Boss", "--json")
    assert result.exit_code == 0, result.output
    assert "R3" in result.stderr and "Practise on lists A and B first" in result.stderr
    # The meeting is still recorded: R3 advises, it does not forbid.
    assert json.loads(result.stdout)["person"] == "Vera Boss"


def test_requesting_a_list_a_person_does_not_warn(owner: User) -> None:
    PersonFactory(owner=owner, full_name="Sam Friend", contact_list="A")
    result = grapevine("meetings", "request", "Sam Friend")
    assert result.exit_code == 0, result.output
    assert "R3" not in result.stderr
