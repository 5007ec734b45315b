"""Each rule of the agenda: when it fires and when it stays silent (DESIGN.md rule ids)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from grapevine.accounts.models import User
from grapevine.coach.agenda import Agenda, agenda_for
from grapevine.coach.services import (
    action_dismiss,
    action_mark_done,
    action_snooze,
    settings_update,
    todo_create,
)
from grapevine.contacts.models import Closeness, ContactList, Organisation, Person, Seniority
from grapevine.contacts.normalise import organisation_key
from grapevine.journal.models import Entry, Kind
from grapevine.journal.services import entry_create
from grapevine.meetings.models import Meeting
from grapevine.meetings.services import (
    ReferralInput,
    meeting_debrief,
    meeting_hold,
    meeting_request,
    meeting_schedule,
    promise_create,
)
from tests.factories import PersonFactory, ReferralFactory

UTC = dt.UTC


def at(day: str, hour: int = 10, minute: int = 0) -> dt.datetime:
    """A moment in UTC: ``at("2026-03-02", 9)``."""
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour, minute), tzinfo=UTC)


def org(owner: User, name: str) -> Organisation:
    return Organisation.objects.create(owner=owner, name=name, key=organisation_key(name))


def person(owner: User, name: str, **fields: object) -> Person:
    given, _, family = name.partition(" ")
    return PersonFactory(
        owner=owner, full_name=name, given_name=given, family_name=family, **fields
    )


def log(
    owner: User, kind: str, who: Person | list[Person], when: dt.datetime, **fields: object
) -> Entry:
    people = who if isinstance(who, list) else [who]
    return entry_create(owner, kind=kind, people=people, occurred_at=when, **fields)  # type: ignore[arg-type]


def held_meeting(owner: User, who: Person, when: dt.datetime, referrals: int = 0) -> Meeting:
    meeting = meeting_request(owner, who, when=when - dt.timedelta(days=3))
    meeting_hold(meeting, when=when)
    for n in range(referrals):
        meeting_debrief(
            meeting,
            referrals=[ReferralInput(new_name=f"Referred Person{n}", new_list=ContactList.B)],
            when=when,
        )
    return meeting


def agenda_on(owner: User, moment: dt.datetime) -> Agenda:
    return agenda_for(owner, moment)


def rules_of(agenda: Agenda, rule: str) -> list[tuple[str, str]]:
    return [(a.key, a.person_name) for a in agenda.actions if a.rule == rule]


@pytest.fixture
def quiet(owner: User) -> User:
    """An owner whose R3 practice suggestions and R17 goals are off, so each test sees one rule."""
    settings_update(owner, practice_meetings=0, weekly_requests_goal=0, weekly_meetings_goal=0)
    return owner


# -- R11 -----------------------------------------------------------------------------


def test_r11_thank_you_is_due_the_day_of_the_meeting_and_overdue_after_24_hours(
    quiet: User,
) -> None:
    john = person(quiet, "John Public")
    meeting = held_meeting(quiet, john, at("2026-03-06", 10))

    same_day = agenda_on(quiet, at("2026-03-06", 18))
    [action] = [a for a in same_day.actions if a.rule == "R11"]
    assert action.person_name == "John Public"
    assert action.due == dt.date(2026, 3, 6)
    assert not action.overdue
    assert "thank John within 24 hours" in action.reason
    assert action.meeting_id == meeting.public_id
    assert action in same_day.due_today

    next_day = agenda_on(quiet, at("2026-03-07", 11))
    [late] = [a for a in next_day.actions if a.rule == "R11"]
    assert late.overdue and late in next_day.overdue


def test_r11_is_silent_once_a_thank_you_is_in_the_journal(quiet: User) -> None:
    john = person(quiet, "John Public")
    held_meeting(quiet, john, at("2026-03-06", 10))
    log(quiet, Kind.THANK_YOU, john, at("2026-03-06", 16))
    assert rules_of(agenda_on(quiet, at("2026-03-07", 12)), "R11") == []


def test_r11_a_thank_you_before_the_meeting_does_not_count(quiet: User) -> None:
    john = person(quiet, "John Public")
    log(quiet, Kind.THANK_YOU, john, at("2026-03-01", 16))
    held_meeting(quiet, john, at("2026-03-06", 10))
    assert len(rules_of(agenda_on(quiet, at("2026-03-06", 12)), "R11")) == 1


def test_r11_hours_follow_the_users_setting(quiet: User) -> None:
    settings_update(quiet, thank_you_hours=48)
    john = person(quiet, "John Public")
    held_meeting(quiet, john, at("2026-03-06", 10))
    [action] = [a for a in agenda_on(quiet, at("2026-03-07", 12)).actions if a.rule == "R11"]
    assert not action.overdue
    assert "within 48 hours" in action.reason


def test_r11_meeting_not_yet_held_on_the_replayed_day_is_silent(quiet: User) -> None:
    john = person(quiet, "John Public")
    held_meeting(quiet, john, at("2026-03-06", 10))
    assert rules_of(agenda_on(quiet, at("2026-03-05", 23)), "R11") == []


# -- R10 -----------------------------------------------------------------------------


def test_r10_fires_with_fewer_than_two_referrals(quiet: User) -> None:
    held_meeting(quiet, person(quiet, "John Public"), at("2026-03-06", 10), referrals=1)
    [(_, name)] = rules_of(agenda_on(quiet, at("2026-03-06", 18)), "R10")
    assert name == "John Public"
    [action] = [a for a in agenda_on(quiet, at("2026-03-06", 18)).actions if a.rule == "R10"]
    assert "1 of 2 names" in action.reason


def test_r10_is_silent_with_two_referrals(quiet: User) -> None:
    held_meeting(quiet, person(quiet, "John Public"), at("2026-03-06", 10), referrals=2)
    assert rules_of(agenda_on(quiet, at("2026-03-06", 18)), "R10") == []


# -- R12 -----------------------------------------------------------------------------


def test_r12_report_back_to_the_referrer_after_meeting_the_person_they_suggested(
    quiet: User,
) -> None:
    sara = person(quiet, "Sara Friend", contact_list=ContactList.A)
    john = person(quiet, "John Public")
    ReferralFactory(owner=quiet, referrer=sara, referred=john, referred_on=dt.date(2026, 2, 28))
    meeting = held_meeting(quiet, john, at("2026-03-06", 10))
    agenda = agenda_on(quiet, at("2026-03-06", 18))
    [action] = [a for a in agenda.actions if a.key == f"R12-report:{meeting.public_id}"]
    assert action.person_name == "Sara Friend"
    assert "tell Sara how it went" in action.reason

    # Logging it done writes the report-back to the journal and marks the referral.
    entry = action_mark_done(quiet, action, when=at("2026-03-07", 9))
    assert entry is not None and entry.kind == Kind.REPORT_BACK
    assert rules_of(agenda_on(quiet, at("2026-03-07", 18)), "R12") == []
    assert meeting.referral is not None
    meeting.referral.refresh_from_db()
    assert meeting.referral.reported_back_at is not None


def test_r12_no_report_back_when_nobody_referred_you(quiet: User) -> None:
    held_meeting(quiet, person(quiet, "John Public"), at("2026-03-06", 10))
    assert [k for k, _ in rules_of(agenda_on(quiet, at("2026-03-06", 18)), "R12")] == []


def test_r12_open_lead_is_due_within_7_days_and_goes_once_contacted(quiet: User) -> None:
    john = person(quiet, "John Public")
    ana = person(quiet, "Ana Lead")
    referral = ReferralFactory(
        owner=quiet, referrer=john, referred=ana, referred_on=dt.date(2026, 3, 6)
    )
    agenda = agenda_on(quiet, at("2026-03-06", 18))
    [action] = [a for a in agenda.actions if a.key == f"R12-lead:{referral.public_id}"]
    assert action.due == dt.date(2026, 3, 13)
    assert action in agenda.this_week
    assert "naming John first" in action.reason
    assert [a.key for a in agenda_on(quiet, at("2026-03-14", 9)).overdue] == [action.key]

    log(quiet, Kind.MESSAGE_SENT, ana, at("2026-03-09", 9))
    assert rules_of(agenda_on(quiet, at("2026-03-14", 9)), "R12") == []


def test_r12_lead_is_silent_once_a_meeting_was_requested(quiet: User) -> None:
    john, ana = person(quiet, "John Public"), person(quiet, "Ana Lead")
    ReferralFactory(owner=quiet, referrer=john, referred=ana, referred_on=dt.date(2026, 3, 6))
    meeting_request(quiet, ana, when=at("2026-03-07", 9))
    assert rules_of(agenda_on(quiet, at("2026-03-09", 9)), "R12") == []


# -- R15 (3B7) -------------------------------------------------------------------------


@pytest.fixture
def acme_request(quiet: User) -> tuple[Meeting, Person]:
    acme = org(quiet, "Acme Corp")
    john = person(quiet, "John Public", organisation=acme)
    mary = person(quiet, "Mary Other", organisation=acme, contact_list=ContactList.C)
    meeting = meeting_request(quiet, john, when=at("2026-03-02", 9))  # a Monday
    return meeting, mary


def test_r15_second_person_after_3_business_days_names_a_candidate(
    quiet: User, acme_request: tuple[Meeting, Person]
) -> None:
    meeting, _ = acme_request
    assert rules_of(agenda_on(quiet, at("2026-03-04", 23)), "R15") == []  # Wednesday
    [action] = [
        a for a in agenda_on(quiet, at("2026-03-05", 9)).actions if a.rule == "R15"
    ]  # Thursday
    assert action.key == f"R15-second:{meeting.public_id}"
    assert action.person_name == "Mary Other"
    assert "Acme Corp" in action.reason and "Mary Other" in action.reason


def test_r15_counts_business_days_only(quiet: User) -> None:
    acme = org(quiet, "Acme Corp")
    john = person(quiet, "John Public", organisation=acme)
    meeting_request(quiet, john, when=at("2026-03-05", 9))  # a Thursday
    # Fri, Mon → only 2 business days by Monday; Tuesday is the 3rd.
    assert rules_of(agenda_on(quiet, at("2026-03-09", 20)), "R15") == []
    assert len(rules_of(agenda_on(quiet, at("2026-03-10", 9)), "R15")) == 1


def test_r15_skips_the_public_holidays_of_the_users_country(quiet: User) -> None:
    quiet.country = "US"
    quiet.save()
    acme = org(quiet, "Acme Corp")
    john = person(quiet, "John Public", organisation=acme)
    # Asked on Tuesday 24 November; Thursday 26 is Thanksgiving: Wed (1), Fri (2), Mon (3).
    meeting_request(quiet, john, when=at("2026-11-24", 9))
    assert rules_of(agenda_on(quiet, at("2026-11-27", 20)), "R15") == []
    assert len(rules_of(agenda_on(quiet, at("2026-11-30", 9)), "R15")) == 1
    quiet.country = "FR"  # in France the Thursday is a working day
    quiet.save()
    assert len(rules_of(agenda_on(quiet, at("2026-11-27", 20)), "R15")) == 1


def test_r15_is_silent_when_they_answered(
    quiet: User, acme_request: tuple[Meeting, Person]
) -> None:
    meeting, _ = acme_request
    log(quiet, Kind.MESSAGE_RECEIVED, meeting.person, at("2026-03-04", 15))
    assert rules_of(agenda_on(quiet, at("2026-03-12", 9)), "R15") == []


def test_r15_is_silent_once_scheduled(quiet: User, acme_request: tuple[Meeting, Person]) -> None:
    meeting, _ = acme_request
    meeting_schedule(meeting, at("2026-03-20", 10), when=at("2026-03-04", 15))
    assert rules_of(agenda_on(quiet, at("2026-03-12", 9)), "R15") == []


def test_r15_follow_up_after_7_business_days_then_let_go(
    quiet: User, acme_request: tuple[Meeting, Person]
) -> None:
    meeting, mary = acme_request
    log(quiet, Kind.MESSAGE_SENT, mary, at("2026-03-05", 10))  # the second person was written to
    assert rules_of(agenda_on(quiet, at("2026-03-10", 20)), "R15") == []
    [(key, name)] = rules_of(agenda_on(quiet, at("2026-03-11", 9)), "R15")  # 7th business day
    assert key == f"R15-follow:{meeting.public_id}" and name == "John Public"
    log(quiet, Kind.MESSAGE_SENT, meeting.person, at("2026-03-11", 10))
    assert rules_of(agenda_on(quiet, at("2026-03-25", 9)), "R15") == []


def test_r15_no_second_person_without_an_organisation(quiet: User) -> None:
    loner = person(quiet, "Lone Wolf")
    meeting_request(quiet, loner, when=at("2026-03-02", 9))
    assert rules_of(agenda_on(quiet, at("2026-03-06", 9)), "R15") == []


# -- R14 -----------------------------------------------------------------------------


def test_r14_cadence_by_closeness_and_any_entry_resets_the_clock(quiet: User) -> None:
    close = person(quiet, "Close Friend", closeness=Closeness.CLOSE)
    distant = person(quiet, "Distant Cousin", closeness=Closeness.DISTANT)
    log(quiet, Kind.CALL, [close, distant], at("2026-01-05", 10))

    assert rules_of(agenda_on(quiet, at("2026-01-25", 9)), "R14") == []  # 20 days
    [action] = [a for a in agenda_on(quiet, at("2026-01-26", 9)).actions if a.rule == "R14"]
    assert action.person_name == "Close Friend"  # 21 days: close is due, distant is not
    assert "Monday 5 January" in action.reason

    log(quiet, Kind.NOTE, close, at("2026-01-26", 12))  # any entry resets the clock
    assert rules_of(agenda_on(quiet, at("2026-01-27", 9)), "R14") == []


def test_r14_someone_never_in_touch_is_due_a_cadence_after_being_added(quiet: User) -> None:
    added = person(quiet, "Imported Connection", closeness=Closeness.CLOSE)
    Person.objects.filter(pk=added.pk).update(created_at=at("2026-01-05", 10))
    person(quiet, "Added Later", closeness=Closeness.CLOSE)  # added now: not due in January

    assert rules_of(agenda_on(quiet, at("2026-01-25", 9)), "R14") == []  # 20 days
    [action] = [a for a in agenda_on(quiet, at("2026-01-26", 9)).actions if a.rule == "R14"]
    assert action.person_name == "Imported Connection"
    assert "added Monday 5 January and never in touch since" in action.reason

    log(quiet, Kind.MESSAGE_SENT, added, at("2026-01-26", 12))  # in touch: the clock restarts
    assert rules_of(agenda_on(quiet, at("2026-01-27", 9)), "R14") == []
    assert len(rules_of(agenda_on(quiet, at("2026-02-16", 9)), "R14")) == 1  # 21 days later


def test_r14_finds_the_overdue_person_in_a_big_tier_behind_older_entries(quiet: User) -> None:
    """Many close people whose oldest entries are older than the one overdue person's
    only entry, but who were all in touch last week: the overdue one must still come up
    (a scan of the tier's oldest entries only would stop before reaching them)."""
    settings_update(quiet, keep_in_touch_per_day=3)
    busy_people = Person.objects.bulk_create(
        Person(
            owner=quiet,
            full_name=f"Kept Up{n}",
            given_name="Kept",
            family_name=f"Up{n}",
            closeness=Closeness.CLOSE,
            search_text=f"kept up{n}",
        )
        for n in range(160)
    )
    link = Entry.people.through
    old = Entry.objects.bulk_create(
        Entry(owner=quiet, kind=Kind.CALL, occurred_at=at("2025-06-01") + dt.timedelta(hours=n))
        for n in range(len(busy_people))
    )
    recent = Entry.objects.bulk_create(
        Entry(owner=quiet, kind=Kind.NOTE, occurred_at=at("2026-01-05") + dt.timedelta(minutes=n))
        for n in range(len(busy_people))
    )
    link.objects.bulk_create(
        link(entry_id=entry.pk, person_id=someone.pk)
        for entries in (old, recent)
        for entry, someone in zip(entries, busy_people, strict=True)
    )
    overdue = person(quiet, "Overdue Friend", closeness=Closeness.CLOSE)
    log(quiet, Kind.CALL, overdue, at("2025-11-20"))

    agenda = agenda_on(quiet, at("2026-01-10"))
    assert [name for _, name in rules_of(agenda, "R14")] == ["Overdue Friend"]
    assert not agenda.keep_in_touch_waiting


def test_r14_cadence_follows_the_users_setting(quiet: User) -> None:
    settings_update(quiet, cadence_close_days=7)
    close = person(quiet, "Close Friend", closeness=Closeness.CLOSE)
    log(quiet, Kind.CALL, close, at("2026-01-05", 10))
    assert len(rules_of(agenda_on(quiet, at("2026-01-12", 9)), "R14")) == 1


def test_r14_caps_suggestions_per_day_most_overdue_first(quiet: User) -> None:
    settings_update(quiet, keep_in_touch_per_day=2)
    for n, day in enumerate(["2025-01-10", "2025-03-10", "2025-02-10"]):
        someone = person(quiet, f"Friend Number{n}", closeness=Closeness.CLOSE)
        log(quiet, Kind.CALL, someone, at(day))
    agenda = agenda_on(quiet, at("2026-01-10"))
    names = [name for _, name in rules_of(agenda, "R14")]
    assert names == ["Friend Number0", "Friend Number2"]
    assert agenda.keep_in_touch_waiting  # Friend Number1 waits for another day


def test_r14_mixes_people_never_in_touch_with_silent_ones_by_due_day(quiet: User) -> None:
    """When the people in touch already fill the day, someone never in touch still comes
    first when they are due earlier, and counts towards "more are waiting"."""
    settings_update(quiet, keep_in_touch_per_day=2)
    for n, day in enumerate(["2025-03-10", "2025-04-10", "2025-05-10"]):
        someone = person(quiet, f"Friend Number{n}", closeness=Closeness.CLOSE)
        log(quiet, Kind.CALL, someone, at(day))
    early = person(quiet, "Early Import", closeness=Closeness.CLOSE)
    late = person(quiet, "Late Import", closeness=Closeness.CLOSE)
    Person.objects.filter(pk=early.pk).update(created_at=at("2025-02-01"))
    Person.objects.filter(pk=late.pk).update(created_at=at("2025-04-20"))
    agenda = agenda_on(quiet, at("2026-01-10"))
    assert [name for _, name in rules_of(agenda, "R14")] == ["Early Import", "Friend Number0"]
    assert agenda.keep_in_touch_waiting

    log(quiet, Kind.CALL, early, at("2025-06-01"))  # in touch now: Friend Number1 moves up
    agenda = agenda_on(quiet, at("2026-01-10"))
    assert [name for _, name in rules_of(agenda, "R14")] == ["Friend Number0", "Friend Number1"]
    assert agenda.keep_in_touch_waiting


def test_r14_skips_someone_with_another_action_and_suggests_the_next(quiet: User) -> None:
    settings_update(quiet, keep_in_touch_per_day=1)
    lead = person(quiet, "Lead Friend", closeness=Closeness.CLOSE)
    nxt = person(quiet, "Next Friend", closeness=Closeness.CLOSE)
    log(quiet, Kind.CALL, lead, at("2025-01-10"))
    log(quiet, Kind.CALL, nxt, at("2025-02-10"))
    referrer = person(quiet, "Sara Referrer")
    ReferralFactory(owner=quiet, referrer=referrer, referred=lead, referred_on=dt.date(2026, 1, 5))
    agenda = agenda_on(quiet, at("2026-01-10"))
    assert [name for _, name in rules_of(agenda, "R12")] == ["Lead Friend"]
    assert [name for _, name in rules_of(agenda, "R14")] == ["Next Friend"]


# -- R13 -----------------------------------------------------------------------------


def test_r13_give_back_after_help_received_until_help_given(quiet: User) -> None:
    ana = person(quiet, "Ana Helper")
    log(quiet, Kind.HELP_RECEIVED, ana, at("2026-03-02"), subject="reviewed my portfolio")
    [action] = [a for a in agenda_on(quiet, at("2026-03-03")).actions if a.rule == "R13"]
    assert action.person_name == "Ana Helper"
    assert "reviewed my portfolio" in action.reason
    assert action.due == dt.date(2026, 3, 9)

    log(quiet, Kind.ARTICLE_SHARED, ana, at("2026-03-04"))
    assert rules_of(agenda_on(quiet, at("2026-03-05")), "R13") == []


def test_r13_silent_without_help_received(quiet: User) -> None:
    log(quiet, Kind.CALL, person(quiet, "Ana Helper"), at("2026-03-02"))
    assert rules_of(agenda_on(quiet, at("2026-03-03")), "R13") == []


# -- R17 -----------------------------------------------------------------------------


def test_r17_weekly_goal_progress_and_action_until_reached(owner: User) -> None:
    settings_update(owner, practice_meetings=0, weekly_requests_goal=2, weekly_meetings_goal=0)
    meeting_request(owner, person(owner, "Ann One"), when=at("2026-03-02"))
    agenda = agenda_on(owner, at("2026-03-03"))
    [goal] = agenda.goals
    assert (goal.done, goal.target) == (1, 2)
    [action] = [a for a in agenda.actions if a.rule == "R17"]
    assert "1 of 2 meeting requests" in action.reason and "Friday 6 March" in action.reason

    meeting_request(owner, person(owner, "Ben Two"), when=at("2026-03-03", 11))
    assert rules_of(agenda_on(owner, at("2026-03-03", 12)), "R17") == []
    # A new week starts from zero.
    assert len(rules_of(agenda_on(owner, at("2026-03-09")), "R17")) == 1


def test_r17_silent_when_goals_are_off(quiet: User) -> None:
    assert agenda_on(quiet, at("2026-03-03")).goals == []
    assert rules_of(agenda_on(quiet, at("2026-03-03")), "R17") == []


# -- R3 ------------------------------------------------------------------------------


def test_r3_suggests_lists_a_and_b_first_and_warns_about_a_senior_c(owner: User) -> None:
    settings_update(owner, weekly_requests_goal=0, weekly_meetings_goal=0)
    person(owner, "Zed Target", contact_list=ContactList.C)
    person(owner, "Mum Family", contact_list=ContactList.A)
    boss = person(owner, "Big Boss", contact_list=ContactList.C, seniority=Seniority.DIRECTOR)
    meeting = meeting_request(owner, boss, when=at("2026-03-02"))
    agenda = agenda_on(owner, at("2026-03-02", 12))
    r3 = {a.key: a for a in agenda.actions if a.rule == "R3"}
    assert f"R3-senior:{meeting.public_id}" in r3
    assert "first meeting" in r3[f"R3-senior:{meeting.public_id}"].reason
    suggested = [a.person_name for a in r3.values() if a.key.startswith("R3-start")]
    assert suggested == ["Mum Family"]  # list A; never list C


def test_r3_silent_after_three_meetings(owner: User) -> None:
    settings_update(owner, weekly_requests_goal=0, weekly_meetings_goal=0)
    for n in range(3):
        held_meeting(
            owner, person(owner, f"Friend Number{n}", contact_list=ContactList.A), at("2026-03-02")
        )
    person(owner, "Mum Family", contact_list=ContactList.A)
    boss = person(owner, "Big Boss", contact_list=ContactList.C, seniority=Seniority.DIRECTOR)
    meeting_request(owner, boss, when=at("2026-03-03"))
    assert rules_of(agenda_on(owner, at("2026-03-03", 12)), "R3") == []


# -- R19 -----------------------------------------------------------------------------


def test_r19_landed_switches_to_keep_in_touch_and_thanks_everyone_who_helped(quiet: User) -> None:
    john = person(quiet, "John Public")
    sara = person(quiet, "Sara Friend", contact_list=ContactList.A)
    ReferralFactory(owner=quiet, referrer=sara, referred=john, referred_on=dt.date(2026, 2, 28))
    held_meeting(quiet, john, at("2026-03-06"))  # R11 and R12 would be due
    settings_update(quiet, landed_on=dt.date(2026, 3, 6))
    agenda = agenda_on(quiet, at("2026-03-07"))
    assert agenda.landed
    assert {a.rule for a in agenda.actions} == {"R19"}
    assert sorted(a.person_name for a in agenda.actions) == ["John Public", "Sara Friend"]

    log(quiet, Kind.THANK_YOU, sara, at("2026-03-08"))
    assert [a.person_name for a in agenda_on(quiet, at("2026-03-08", 12)).actions] == [
        "John Public"
    ]


def test_r19_silent_before_landing(quiet: User) -> None:
    held_meeting(quiet, person(quiet, "John Public"), at("2026-03-06"))
    assert rules_of(agenda_on(quiet, at("2026-03-07")), "R19") == []


# -- promises, to-dos, snooze, dismiss ------------------------------------------------


def test_promises_and_todos_appear_when_due_and_go_when_done(quiet: User) -> None:
    john = person(quiet, "John Public")
    meeting = held_meeting(quiet, john, at("2026-03-06"))
    log(quiet, Kind.THANK_YOU, john, at("2026-03-06", 12))
    promise_create(
        quiet, text="send the pricing article", due_on=dt.date(2026, 3, 20), meeting=meeting
    )
    todo = todo_create(quiet, title="Call the alumni office", due_on=dt.date(2026, 3, 9))

    early = agenda_on(quiet, at("2026-03-06", 13))
    assert [a.reason for a in early.actions if a.rule == "todo"] == ["Call the alumni office"]
    assert [a for a in early.actions if a.rule == "promise"] == []  # not within the week yet

    later = agenda_on(quiet, at("2026-03-21"))
    [promise] = [a for a in later.actions if a.rule == "promise"]
    assert "send the pricing article" in promise.reason and promise.overdue
    action_mark_done(quiet, promise, when=at("2026-03-21"))
    [todo_action] = [a for a in later.actions if a.rule == "todo"]
    action_mark_done(quiet, todo_action, when=at("2026-03-21"))
    todo.refresh_from_db()
    assert todo.done_at is not None
    assert [
        a for a in agenda_on(quiet, at("2026-03-21")).actions if a.rule in ("todo", "promise")
    ] == []


def test_snooze_hides_until_the_day_and_dismiss_hides_for_good(quiet: User) -> None:
    now = timezone.now()
    a_friend = person(quiet, "Ana Helper")
    log(quiet, Kind.HELP_RECEIVED, a_friend, now - dt.timedelta(days=1))
    [action] = [a for a in agenda_for(quiet).actions if a.rule == "R13"]
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    action_snooze(quiet, action.key, tomorrow)
    assert rules_of(agenda_for(quiet), "R13") == []
    assert len(rules_of(agenda_for(quiet, now + dt.timedelta(days=1)), "R13")) == 1
    action_dismiss(quiet, action.key)
    assert rules_of(agenda_for(quiet, now + dt.timedelta(days=2)), "R13") == []


def test_dates_are_the_users_local_dates(quiet: User) -> None:
    quiet.time_zone = "Pacific/Auckland"
    quiet.save()
    john = person(quiet, "John Public")
    # 2026-03-05 20:00 UTC is already Friday 6 March in Auckland.
    held_meeting(quiet, john, at("2026-03-05", 20))
    [action] = [a for a in agenda_on(quiet, at("2026-03-05", 21)).actions if a.rule == "R11"]
    assert action.due == dt.date(2026, 3, 6)
    assert (
        agenda_on(quiet, at("2026-03-05", 21)).today
        == dt.datetime(2026, 3, 6, 10, tzinfo=ZoneInfo("Pacific/Auckland")).date()
    )


def test_another_users_data_never_reaches_the_agenda(quiet: User, other: User) -> None:
    stranger = person(other, "Their Contact")
    held_meeting(other, stranger, at("2026-03-06"))
    log(other, Kind.HELP_RECEIVED, stranger, at("2026-03-06"))
    assert agenda_on(quiet, at("2026-03-06", 18)).actions == []


# -- a fixed number of queries --------------------------------------------------------


def _busy_contact_book(owner: User, n: int) -> None:
    settings_update(
        owner, practice_meetings=0
    )  # R3 stops at three meetings held: a shape, not a size
    for i in range(n):
        workplace = org(owner, f"Organisation {n}-{i}")
        someone = person(
            owner, f"Person Number{i}", organisation=workplace, closeness=Closeness.CLOSE
        )
        log(owner, Kind.HELP_RECEIVED, someone, at("2026-03-01"))
        log(owner, Kind.CALL, someone, at("2026-01-01"))
        if i % 2:
            held_meeting(owner, someone, at("2026-03-04"), referrals=1)
        else:
            meeting_request(owner, someone, when=at("2026-03-02"))


def test_the_agenda_takes_the_same_number_of_queries_for_3_or_12_people(
    owner: User, other: User
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _busy_contact_book(owner, 3)
    _busy_contact_book(other, 12)
    counts = []
    for user in (owner, other):
        with CaptureQueriesContext(connection) as queries:
            agenda = agenda_on(user, at("2026-03-09"))
        assert {"R11", "R12", "R13", "R15", "R10"} <= {a.rule for a in agenda.actions}
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_r3_request_warning_for_a_senior_c_person_until_three_meetings(owner: User) -> None:
    from grapevine.coach.agenda import r3_request_warning

    boss = person(owner, "Big Boss", contact_list=ContactList.C, seniority=Seniority.DIRECTOR)
    peer = person(owner, "Pat Peer", contact_list=ContactList.C, seniority=Seniority.MID)
    warning = r3_request_warning(owner, boss)
    assert "list C and director" in warning and "(R3)" in warning
    assert r3_request_warning(owner, peer) == ""
    for n in range(3):
        held_meeting(
            owner, person(owner, f"Friend Number{n}", contact_list=ContactList.A), at("2026-03-02")
        )
    assert r3_request_warning(owner, boss) == ""


def test_r12_reports_back_again_when_something_comes_of_an_introduction(quiet: User) -> None:
    sara = person(quiet, "Sara Friend", contact_list=ContactList.A)
    john = person(quiet, "John Public")
    ana = person(quiet, "Ana Lead")
    ReferralFactory(owner=quiet, referrer=sara, referred=john, referred_on=dt.date(2026, 2, 20))
    ReferralFactory(owner=quiet, referrer=john, referred=ana, referred_on=dt.date(2026, 3, 2))
    meeting = held_meeting(quiet, ana, at("2026-03-06"))
    r12 = dict(rules_of(agenda_on(quiet, at("2026-03-06", 18)), "R12"))
    assert r12[f"R12-report:{meeting.public_id}"] == "John Public"
    assert r12[f"R12-again:{meeting.public_id}:{sara.public_id}"] == "Sara Friend"

    log(quiet, Kind.REPORT_BACK, sara, at("2026-03-07"))
    r12 = dict(rules_of(agenda_on(quiet, at("2026-03-07", 18)), "R12"))
    assert f"R12-again:{meeting.public_id}:{sara.public_id}" not in r12  # Sara has heard
    assert r12[f"R12-report:{meeting.public_id}"] == "John Public"  # John not yet


def test_r15_done_writes_to_the_candidate_or_dismisses_when_there_is_none(quiet: User) -> None:
    acme, beta = org(quiet, "Acme Corp"), org(quiet, "Beta Ltd")
    mary = person(quiet, "Mary Other", organisation=acme)
    meeting_request(quiet, person(quiet, "John Public", organisation=acme), when=at("2026-03-02"))
    meeting_request(quiet, person(quiet, "Kim Lee", organisation=beta), when=at("2026-03-02"))
    actions = {
        a.organisation_name: a
        for a in agenda_on(quiet, at("2026-03-05")).actions
        if a.rule == "R15"
    }

    entry = action_mark_done(quiet, actions["Acme Corp"], when=at("2026-03-05", 11))
    assert entry is not None and list(entry.people.all()) == [mary]
    assert action_mark_done(quiet, actions["Beta Ltd"], when=at("2026-03-05", 11)) is None
    assert rules_of(agenda_on(quiet, at("2026-03-05", 12)), "R15") == []
