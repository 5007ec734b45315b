"""Meeting services: the lifecycle, the journal it writes, the debrief and the R9/R11 rules."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from grapevine.accounts.models import User
from grapevine.contacts.models import Referral
from grapevine.journal.models import Entry, Kind
from grapevine.journal.services import entry_create
from grapevine.meetings import questions, selectors, services
from grapevine.meetings.models import Meeting, MeetingEvent, QuestionGroup, Status
from tests.factories import OrganisationFactory, PersonFactory, ReferralFactory

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 11, 16, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def john(owner: User):  # type: ignore[no-untyped-def]
    org = OrganisationFactory(owner=owner, name="Acme Analytics")
    return PersonFactory(owner=owner, full_name="John Berg", given_name="John", organisation=org)


def test_45_minutes_is_refused_with_the_reason_and_nothing_is_stored(owner: User, john) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as excinfo:
        services.meeting_request(owner, john, minutes=45)
    message = " ".join(excinfo.value.messages)
    assert "at most 30 minutes, not 45" in message and "R4" in message
    assert not Meeting.objects.exists() and not Entry.objects.exists()


def test_each_step_is_dated_and_journaled(owner: User, john) -> None:  # type: ignore[no-untyped-def]
    meeting = services.meeting_request(owner, john, when=T0)
    assert meeting.minutes == 20 and meeting.organisation == john.organisation
    services.meeting_schedule(
        meeting, T0 + dt.timedelta(days=3), place="Café Roma", when=T0 + dt.timedelta(hours=5)
    )
    services.meeting_hold(meeting, when=T0 + dt.timedelta(days=3, minutes=25))
    meeting.refresh_from_db()
    assert meeting.status == Status.HELD
    assert meeting.requested_at == T0
    assert meeting.scheduled_at == T0 + dt.timedelta(hours=5)
    assert meeting.scheduled_for == T0 + dt.timedelta(days=3)
    assert meeting.held_at == T0 + dt.timedelta(days=3, minutes=25)
    events = list(MeetingEvent.objects.filter(meeting=meeting))
    assert [e.action for e in events] == ["requested", "scheduled", "held"]
    kinds = [e.entry.kind for e in events if e.entry]
    assert kinds == [Kind.NOTE, Kind.NOTE, Kind.MEETING]
    assert all(list(e.entry.people.all()) == [john] for e in events if e.entry)


def test_held_later_is_dated_at_the_scheduled_time(owner: User, john) -> None:  # type: ignore[no-untyped-def]
    meeting = services.meeting_request(owner, john, when=T0)
    services.meeting_schedule(meeting, T0 + dt.timedelta(days=1), when=T0)
    with time_machine.travel(T0 + dt.timedelta(days=2), tick=False):
        services.meeting_hold(meeting)
    assert meeting.held_at == T0 + dt.timedelta(days=1)
    assert meeting.events.get(action="held").entry.occurred_at == T0 + dt.timedelta(days=1)
    # Held before the planned time (moved earlier): dated now.
    other = services.meeting_request(owner, PersonFactory(owner=owner), when=T0)
    services.meeting_schedule(other, T0 + dt.timedelta(days=5), when=T0)
    with time_machine.travel(T0 + dt.timedelta(days=2), tick=False):
        services.meeting_hold(other)
    assert other.held_at == T0 + dt.timedelta(days=2)


def test_declined_no_answer_and_cancelled(owner: User, john) -> None:  # type: ignore[no-untyped-def]
    meeting = services.meeting_request(owner, john, when=T0)
    services.meeting_no_answer(meeting, when=T0 + dt.timedelta(days=8))
    assert meeting.no_answer_at and meeting.status == Status.NO_ANSWER
    services.meeting_decline(meeting, when=T0 + dt.timedelta(days=9))
    assert meeting.declined_at and meeting.status == Status.DECLINED
    with pytest.raises(ValidationError, match="declined"):
        services.meeting_hold(meeting)
    other = PersonFactory(owner=owner)
    second = services.meeting_request(owner, other)
    services.meeting_cancel(second)
    assert second.status == Status.CANCELLED and second.cancelled_at is not None
    assert Entry.objects.filter(subject__contains="declined").exists()


def test_a_second_open_request_to_the_same_person_is_refused(owner: User, john) -> None:  # type: ignore[no-untyped-def]
    services.meeting_request(owner, john)
    with pytest.raises(ValidationError, match="already asked John Berg"):
        services.meeting_request(owner, john)


def test_request_picks_up_the_referral_r7(owner: User, john) -> None:  # type: ignore[no-untyped-def]
    sara = PersonFactory(owner=owner, full_name="Sara Lind")
    referral = ReferralFactory(owner=owner, referrer=sara, referred=john)
    meeting = services.meeting_request(owner, john)
    assert meeting.referral == referral
    assert "referred by Sara Lind" in meeting.events.get().entry.subject


def test_someone_elses_person_is_refused(owner: User, other: User) -> None:
    stranger = PersonFactory(owner=other)
    with pytest.raises(ValidationError):
        services.meeting_request(owner, stranger)


def test_debrief_creates_edges_promises_help_and_shows_the_gap(owner: User, john) -> None:  # type: ignore[no-untyped-def]
    meeting = services.meeting_request(owner, john)
    services.meeting_hold(meeting)
    existing = PersonFactory(owner=owner, full_name="Sara Lind")
    services.meeting_debrief(
        meeting,
        learned="Internal moves matter",
        help_offered="Offered to proofread his talk",
        referrals=[
            services.ReferralInput(person=existing, reason="old colleague", may_use_name=True)
        ],
        promises=[services.PromiseInput(text="Send the article", due_on=dt.date(2026, 11, 20))],
    )
    edge = Referral.objects.get(referrer=john)
    assert edge.referred == existing and edge.may_use_name and edge.reason == "old colleague"
    assert list(selectors.meeting_referrals(meeting)) == [edge]
    assert selectors.meeting_referral_gap(meeting) == 1
    debrief_entry = Entry.objects.get(subject__startswith="Debrief")
    assert "1 short of the two referrals" in debrief_entry.notes
    assert Entry.objects.get(kind=Kind.HELP_GIVEN).notes == "Offered to proofread his talk"
    promise = selectors.promise_list(owner).get()
    assert promise.person == john and promise.due_on == dt.date(2026, 11, 20)
    services.meeting_debrief(
        meeting,
        referrals=[services.ReferralInput(new_name="Maria Holm", new_organisation="DataCamp Lyon")],
    )
    assert selectors.meeting_referral_gap(meeting) == 0
    maria = Referral.objects.get(referrer=john, referred__full_name="Maria Holm").referred
    assert maria.organisation is not None and maria.organisation.name == "DataCamp Lyon"


def test_debrief_is_all_or_nothing(owner: User, john) -> None:  # type: ignore[no-untyped-def]
    meeting = services.meeting_request(owner, john)
    services.meeting_hold(meeting)
    with pytest.raises(ValidationError):
        services.meeting_debrief(
            meeting,
            learned="something",
            referrals=[
                services.ReferralInput(new_name="New Person"),
                services.ReferralInput(person=john),
            ],
        )
    meeting.refresh_from_db()
    assert meeting.debriefed_at is None and meeting.learned == ""
    assert not Referral.objects.exists()


def test_debrief_needs_a_held_meeting(owner: User, john) -> None:  # type: ignore[no-untyped-def]
    meeting = services.meeting_request(owner, john)
    with pytest.raises(ValidationError, match="held"):
        services.meeting_debrief(meeting)


def test_thank_you_rule_is_a_journal_thank_you_after_the_meeting(owner: User, john) -> None:  # type: ignore[no-untyped-def]
    meeting = services.meeting_request(owner, john, when=T0)
    services.meeting_hold(meeting, when=T0 + dt.timedelta(days=2))
    # A thank-you from before the meeting does not count.
    entry_create(owner, kind=Kind.THANK_YOU, people=[john], occurred_at=T0 + dt.timedelta(days=1))
    assert selectors.meeting_thank_you_entry(meeting) is None
    assert list(selectors.meetings_awaiting_thank_you(owner)) == [meeting]
    after = entry_create(
        owner, kind=Kind.THANK_YOU, people=[john], occurred_at=T0 + dt.timedelta(days=2, hours=3)
    )
    assert selectors.meeting_thank_you_entry(meeting) == after
    assert list(selectors.meetings_awaiting_thank_you(owner)) == []


def test_mentions_from_notes_r9(owner: User, john) -> None:  # type: ignore[no-untyped-def]
    known = PersonFactory(owner=owner, full_name="Sara Lind")
    OrganisationFactory(owner=owner, name="Datacorp")
    notes = (
        "- talk to @Maria Holm about bootcamps\n"
        "- #Globex is hiring analysts; Datacorp too\n"
        "- sara lind knows the CTO\n"
        "- John Berg himself is not listed\n"
    )
    mentions = selectors.notes_mentions(owner, notes, exclude=john)
    listed = [(m.kind, m.name, m.known) for m in mentions]
    assert listed == [
        ("person", "Maria Holm", False),
        ("organisation", "Globex", False),
        ("organisation", "Datacorp", True),
        ("person", "Sara Lind", True),
    ]
    assert mentions[3].person == known


def test_mentions_ignore_other_owners_contacts(owner: User, other: User) -> None:
    PersonFactory(owner=other, full_name="Secret Person")
    assert selectors.notes_mentions(owner, "met Secret Person at lunch") == []


def test_question_bank_has_60_grouped_questions_and_own_ones(owner: User) -> None:
    builtin = questions.builtin_questions()
    assert len(builtin) >= 60
    assert {q.group for q in builtin} == set(QuestionGroup.values)
    assert len({q.key for q in builtin}) == len(builtin)
    own = services.own_question_create(owner, group="closing", text="  Which   meetup?  ")
    key = f"own:{own.public_id}"
    assert services.question_star_toggle(owner, key) is True
    bank = dict((g, qs) for g, _, qs in questions.question_bank(owner))
    assert any(q.key == key and q.starred and q.text == "Which meetup?" for q in bank["closing"])
    services.question_star_toggle(owner, "closing-3")
    picker = dict((g, qs) for g, _, qs in questions.question_bank(owner, starred_first=True))
    assert [q.key for q in picker["closing"]][:2] == ["closing-3", key]
    assert services.question_star_toggle(owner, key) is False


def test_questions_are_copied_onto_the_meeting(owner: User, john, other: User) -> None:  # type: ignore[no-untyped-def]
    meeting = services.meeting_request(owner, john)
    services.meeting_questions_set(meeting, ["path-1", "closing-1"])
    assert [q.text for q in meeting.questions.all()] == [
        "How did you get into this work?",
        "Who else should I talk to?",
    ]
    foreign = services.own_question_create(other, group="closing", text="Not yours")
    with pytest.raises(ValidationError):
        services.meeting_questions_set(meeting, [f"own:{foreign.public_id}"])
    with pytest.raises(ValidationError, match="at most 15"):
        services.meeting_questions_set(meeting, [q.key for q in questions.builtin_questions()[:16]])


def test_drill_versions_and_spoken_time(owner: User) -> None:
    first = services.drill_save(owner, "one two three")
    assert services.drill_save(owner, "one two three") == first, (
        "an unchanged text is not a new version"
    )
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=1)):
        second = services.drill_save(owner, "word " * 260)
    assert selectors.drill_current(owner) == second
    assert second.word_count == 260 and services.spoken_seconds(260) == 120
    assert not services.drill_too_long(260) and services.drill_too_long(261)
    assert selectors.drill_versions(owner).count() == 2
