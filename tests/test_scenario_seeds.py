"""The seeds' story replayed day by day with frozen time (issue 5, "Done when").

Sara (list A) suggests John Public; the warm request goes out on Monday; no answer by
Thursday → the agenda proposes a second person at John's organisation (R15, 3B7);
John answers and the meeting is held on Friday → the thank-you is due (R11), overdue
on Saturday; once logged it is gone; the report-back to Sara is due (R12); John's two
referrals appear as leads to follow up within 7 days (R12). ``grapevine today --date``
prints the same actions on each day.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import time_machine
from typer.testing import CliRunner

from grapevine.accounts.models import User
from grapevine.cli import get_app
from grapevine.coach.agenda import Agenda, agenda_for
from grapevine.coach.services import action_mark_done
from grapevine.contacts.models import ContactList, Person, Seniority
from grapevine.contacts.services import referral_create
from grapevine.journal.models import Kind
from grapevine.journal.services import entry_create
from grapevine.meetings.models import Meeting
from grapevine.meetings.services import (
    ReferralInput,
    meeting_debrief,
    meeting_hold,
    meeting_request,
    meeting_schedule,
)
from tests.test_coach_rules import at, org, person

pytestmark = pytest.mark.django_db

# The rules the story is about; R3 (start modest) and R17 (weekly goals) are checked apart.
STORY_RULES = {"R10", "R11", "R12", "R13", "R14", "R15", "R19", "promise", "todo"}


@contextmanager
def on(day: str, hour: int, minute: int = 0) -> Iterator[None]:
    with time_machine.travel(at(day, hour, minute), tick=False):
        yield


def story(agenda: Agenda) -> set[tuple[str, str]]:
    return {(a.rule, a.person_name) for a in agenda.actions if a.rule in STORY_RULES}


def today_cli(owner: User, day: str) -> dict:  # type: ignore[type-arg]
    result = CliRunner().invoke(
        get_app(), ["today", "--date", day, "--json", "--user", owner.email]
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def cli_story(owner: User, day: str) -> set[tuple[str, str]]:
    printed = today_cli(owner, day)
    assert printed["date"] == day
    for action in printed["actions"]:
        assert set(action) >= {"rule", "reason", "due", "person", "id"}
    return {(a["rule"], a["person"] or "") for a in printed["actions"] if a["rule"] in STORY_RULES}


def check_day(owner: User, day: str, expected: set[tuple[str, str]]) -> Agenda:
    """The agenda now, and `grapevine today --date DAY`, both show exactly ``expected``."""
    agenda = agenda_for(owner)
    assert agenda.today == dt.date.fromisoformat(day)
    assert story(agenda) == expected
    assert cli_story(owner, day) == expected
    return agenda


def test_the_seed_story_day_by_day(owner: User) -> None:
    owner.country = "US"
    owner.save()
    acme = org(owner, "Acme Corp")
    sara = person(owner, "Sara Smith", contact_list=ContactList.A)
    john = person(owner, "John Public", contact_list=ContactList.C, organisation=acme)
    person(owner, "Mary Major", contact_list=ContactList.C, organisation=acme)
    person(
        owner,
        "Dana Chief",
        contact_list=ContactList.C,
        organisation=acme,
        seniority=Seniority.EXECUTIVE,
    )

    # Saturday 28 February: Sara suggests John Public.
    with on("2026-02-28", 12):
        referral_create(
            owner, referrer=sara, referred=john, reason="John ran the analytics team at Acme"
        )
        agenda = check_day(owner, "2026-02-28", {("R12", "John Public")})
        [lead] = [a for a in agenda.actions if a.rule == "R12"]
        assert lead.due == dt.date(2026, 3, 7)
        assert "naming Sara first" in lead.reason
        # R3: nothing held yet, so start with Sara (list A) — never the list C executive.
        assert [a.person_name for a in agenda.actions if a.rule == "R3"] == ["Sara Smith"]

    # Monday 2 March: the warm request goes out.
    with on("2026-03-02", 9):
        meeting = meeting_request(owner, john)
        assert meeting.referral is not None and meeting.referral.referrer_id == sara.pk
        check_day(owner, "2026-03-02", set())
        agenda = agenda_for(owner)
        [goal, _] = agenda.goals  # R17: this week's progress counts the request
        assert (goal.done, goal.target) == (1, 5)

    for day in ("2026-03-03", "2026-03-04"):
        with on(day, 9):
            check_day(owner, day, set())

    # Thursday 5 March: no answer after 3 business days → a second person at Acme.
    with on("2026-03-05", 9):
        agenda = check_day(owner, "2026-03-05", {("R15", "Mary Major")})
        [second] = [a for a in agenda.actions if a.rule == "R15"]
        assert "No answer from John Public after 3 business days" in second.reason
        assert "Acme Corp" in second.reason

    # John answers that afternoon and the meeting is set for Friday.
    with on("2026-03-05", 14):
        entry_create(owner, kind=Kind.MESSAGE_RECEIVED, people=[john], subject="Happy to meet")
        meeting_schedule(meeting, at("2026-03-06", 10))
        check_day(owner, "2026-03-05", set())

    # Friday 6 March: the meeting is held; John gives two names.
    with on("2026-03-06", 10, 30):
        meeting_hold(meeting)
    with on("2026-03-06", 11):
        meeting_debrief(
            meeting,
            learned="Pricing teams hire analysts from consulting",
            will_act_on="Read the pricing report",
            referrals=[
                ReferralInput(
                    new_name="Ana Analyst", new_list=ContactList.B, reason="pricing lead"
                ),
                ReferralInput(new_name="Ben Builder", new_list=ContactList.B, reason="ex-Acme"),
            ],
        )
    with on("2026-03-06", 12):
        agenda = check_day(
            owner,
            "2026-03-06",
            {
                ("R11", "John Public"),
                ("R12", "Sara Smith"),
                ("R12", "Ana Analyst"),
                ("R12", "Ben Builder"),
            },
        )
        [thanks] = [a for a in agenda.actions if a.rule == "R11"]
        assert thanks in agenda.due_today and not thanks.overdue
        assert agenda.actions[0] == thanks  # most important first
        leads = [a for a in agenda.actions if a.key.startswith("R12-lead:")]
        assert {a.due for a in leads} == {dt.date(2026, 3, 13)}
        assert all(a in agenda.this_week for a in leads)

    # Saturday 7 March: the thank-you is overdue …
    with on("2026-03-07", 11):
        agenda = agenda_for(owner)
        [thanks] = [a for a in agenda.actions if a.rule == "R11"]
        assert thanks.overdue and agenda.overdue[0] == thanks
        printed = today_cli(owner, "2026-03-07")
        assert [a["overdue"] for a in printed["actions"] if a["rule"] == "R11"] == [True]

    # … until it is logged; then the report-back to Sara is due today.
    with on("2026-03-07", 13):
        action_mark_done(owner, thanks)
        agenda = check_day(
            owner,
            "2026-03-07",
            {("R12", "Sara Smith"), ("R12", "Ana Analyst"), ("R12", "Ben Builder")},
        )
        [report] = [a for a in agenda.actions if a.key.startswith("R12-report:")]
        assert report in agenda.due_today
        assert "tell Sara how it went" in report.reason

    # Replaying the week later gives each day's agenda as it was at the end of that day.
    with on("2026-03-09", 9):
        assert cli_story(owner, "2026-03-04") == set()
        assert cli_story(owner, "2026-03-06") == {
            ("R11", "John Public"),
            ("R12", "Sara Smith"),
            ("R12", "Ana Analyst"),
            ("R12", "Ben Builder"),
        }
        assert Meeting.objects.filter(owner=owner).count() == 1


def test_today_prints_a_readable_agenda_and_refuses_a_bad_date(owner: User) -> None:
    sara: Person = person(owner, "Sara Smith", contact_list=ContactList.A)
    with on("2026-03-02", 9):
        result = CliRunner(env={"COLUMNS": "200"}).invoke(
            get_app(), ["today", "--user", owner.email]
        )
    assert result.exit_code == 0, result.output
    assert "Agenda for Monday 2026-03-02" in result.stdout
    assert f"[R3] 2026-03-02  Start modest: ask {sara.full_name}" in result.stdout

    bad = CliRunner().invoke(get_app(), ["today", "--date", "2nd March", "--user", owner.email])
    assert bad.exit_code == 2
    assert "YYYY-MM-DD" in bad.output
