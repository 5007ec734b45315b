"""Writes for information meetings. Every status change is dated on the meeting and
written to the journal (R17); the pair is kept as a MeetingEvent."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from grapevine.accounts.models import User
from grapevine.contacts.models import Channel, ContactList, MetContext, Person, Referral
from grapevine.contacts.services import PersonData, person_create, referral_create
from grapevine.journal.models import Entry, Kind
from grapevine.journal.services import entry_create
from grapevine.meetings import questions as bank
from grapevine.meetings.models import (
    DEFAULT_MINUTES,
    MAX_MINUTES,
    DrillPractice,
    DrillVersion,
    Meeting,
    MeetingChannel,
    MeetingEvent,
    MeetingQuestion,
    MeetingReferral,
    OwnQuestion,
    Promise,
    Purpose,
    QuestionGroup,
    QuestionStar,
    Status,
)

R4_TOO_LONG = (
    "Ask for at most {max} minutes, not {minutes}: a short request gets a yes, and the other "
    "person may choose to go on (R4)."
)

#: R5: bring about ten questions; more than this does not fit in 20 minutes.
MAX_QUESTIONS = 15


def _now(when: dt.datetime | None) -> dt.datetime:
    return when or timezone.now()


def minutes_validate(minutes: int) -> int:
    """R4: 15-20 minutes by default, never more than 30."""
    if minutes > MAX_MINUTES:
        raise ValidationError({"minutes": R4_TOO_LONG.format(max=MAX_MINUTES, minutes=minutes)})
    if minutes < 5:
        raise ValidationError({"minutes": "Ask for at least 5 minutes; 15-20 is usual (R4)."})
    return minutes


def _event(meeting: Meeting, action: str, when: dt.datetime, entry: Entry | None) -> MeetingEvent:
    return MeetingEvent.objects.create(
        meeting=meeting, action=action, occurred_at=when, entry=entry
    )


def _journal(
    meeting: Meeting, kind: str, when: dt.datetime, subject: str, notes: str = ""
) -> Entry:
    return entry_create(
        meeting.owner,
        kind=kind,
        people=[meeting.person],
        organisation=meeting.organisation,
        occurred_at=when,
        subject=subject,
        notes=notes,
        source="meetings",
    )


def _require_status(meeting: Meeting, allowed: Iterable[str], doing: str) -> None:
    if meeting.status not in set(allowed):
        raise ValidationError(
            f"This meeting is {meeting.get_status_display().lower()}, so it cannot be {doing}."
        )


def meeting_request(
    owner: User,
    person: Person,
    *,
    minutes: int = DEFAULT_MINUTES,
    channel: str = MeetingChannel.IN_PERSON,
    place: str = "",
    purpose: str = Purpose.ADVICE,
    referral: Referral | None = None,
    when: dt.datetime | None = None,
) -> Meeting:
    """Record that you asked ``person`` for an information meeting (R1, R4, R7).

    ``referral`` defaults to the latest referral to this person, so a referred
    person's meeting knows whom to name first (R7)."""
    if person.owner_id != owner.pk:
        raise ValidationError("You can only ask people from your own contact book.")
    minutes_validate(minutes)
    if channel not in MeetingChannel.values:
        raise ValidationError({"channel": "Choose in person, phone or video."})
    if purpose not in Purpose.values:
        raise ValidationError(
            {"purpose": "Choose a purpose: information or advice, never a job (R1)."}
        )
    open_meeting = Meeting.objects.filter(
        owner=owner, person=person, status__in=[Status.REQUESTED, Status.SCHEDULED]
    ).first()
    if open_meeting is not None:
        raise ValidationError(
            f"You already asked {person} for a meeting on "
            f"{timezone.localtime(open_meeting.requested_at):%Y-%m-%d}; "
            "schedule, hold or close that one first."
        )
    if referral is None:
        referral = (
            Referral.objects.filter(owner=owner, referred=person)
            .select_related("referrer")
            .order_by("-referred_on", "-id")
            .first()
        )
    elif referral.owner_id != owner.pk or referral.referred_id != person.pk:
        raise ValidationError("That referral is not a referral to this person.")
    now = _now(when)
    with transaction.atomic():
        meeting = Meeting.objects.create(
            owner=owner,
            person=person,
            organisation=person.organisation,
            referral=referral,
            minutes=minutes,
            channel=channel,
            place=place.strip()[:300],
            purpose=purpose,
            requested_at=now,
        )
        via = f", referred by {referral.referrer}" if referral else ""
        entry = _journal(
            meeting,
            Kind.NOTE,
            now,
            f"Asked {person} for a {minutes}-minute information meeting{via}",
            f"Purpose: {meeting.get_purpose_display()}.",
        )
        _event(meeting, Status.REQUESTED, now, entry)
    return meeting


def meeting_schedule(
    meeting: Meeting,
    scheduled_for: dt.datetime,
    *,
    channel: str | None = None,
    place: str | None = None,
    when: dt.datetime | None = None,
) -> Meeting:
    """They said yes: the meeting has a date (a reschedule moves it)."""
    _require_status(meeting, [Status.REQUESTED, Status.SCHEDULED, Status.NO_ANSWER], "scheduled")
    if timezone.is_naive(scheduled_for):
        scheduled_for = timezone.make_aware(scheduled_for)
    if channel is not None:
        if channel not in MeetingChannel.values:
            raise ValidationError({"channel": "Choose in person, phone or video."})
        meeting.channel = channel
    if place is not None:
        meeting.place = place.strip()[:300]
    now = _now(when)
    again = meeting.status == Status.SCHEDULED
    with transaction.atomic():
        meeting.status = Status.SCHEDULED
        meeting.scheduled_at = now
        meeting.scheduled_for = scheduled_for
        meeting.save()
        local = timezone.localtime(scheduled_for)
        entry = _journal(
            meeting,
            Kind.NOTE,
            now,
            f"{'Moved' if again else 'Scheduled'} the meeting with {meeting.person} "
            f"to {local:%Y-%m-%d %H:%M}",
            f"{meeting.get_channel_display()}{': ' + meeting.place if meeting.place else ''}, "
            f"{meeting.minutes} minutes.",
        )
        _event(meeting, Status.SCHEDULED, now, entry)
    return meeting


def meeting_hold(meeting: Meeting, *, when: dt.datetime | None = None) -> Meeting:
    """The meeting took place: at ``when``, else at its scheduled time when that has passed
    (marking it held the next morning still dates it right), else now."""
    _require_status(meeting, [Status.REQUESTED, Status.SCHEDULED], "marked held")
    now = _now(when)
    if when is None and meeting.scheduled_for is not None and meeting.scheduled_for <= now:
        now = meeting.scheduled_for
    with transaction.atomic():
        meeting.status = Status.HELD
        meeting.held_at = now
        meeting.save()
        entry = _journal(
            meeting,
            Kind.MEETING,
            now,
            f"Information meeting with {meeting.person}",
            f"{meeting.minutes} minutes, {meeting.get_channel_display().lower()}.",
        )
        _event(meeting, Status.HELD, now, entry)
    return meeting


def _close(
    meeting: Meeting, status: Status, field: str, subject: str, when: dt.datetime | None
) -> Meeting:
    now = _now(when)
    with transaction.atomic():
        meeting.status = status
        setattr(meeting, field, now)
        meeting.save()
        entry = _journal(meeting, Kind.NOTE, now, subject)
        _event(meeting, status, now, entry)
    return meeting


def meeting_decline(meeting: Meeting, *, when: dt.datetime | None = None) -> Meeting:
    _require_status(meeting, [Status.REQUESTED, Status.SCHEDULED, Status.NO_ANSWER], "declined")
    return _close(
        meeting, Status.DECLINED, "declined_at", f"{meeting.person} declined the meeting", when
    )


def meeting_no_answer(meeting: Meeting, *, when: dt.datetime | None = None) -> Meeting:
    """No answer yet; R15 suggests a second person at the organisation, then one follow-up."""
    _require_status(meeting, [Status.REQUESTED], "marked unanswered")
    return _close(
        meeting, Status.NO_ANSWER, "no_answer_at", f"No answer from {meeting.person} (R15)", when
    )


def meeting_cancel(meeting: Meeting, *, when: dt.datetime | None = None) -> Meeting:
    _require_status(meeting, [Status.REQUESTED, Status.SCHEDULED], "cancelled")
    return _close(
        meeting,
        Status.CANCELLED,
        "cancelled_at",
        f"Cancelled the meeting with {meeting.person}",
        when,
    )


def meeting_prep_update(
    meeting: Meeting,
    *,
    research_person: str | None = None,
    research_organisation: str | None = None,
    jargon: str | None = None,
    purpose: str | None = None,
    minutes: int | None = None,
    channel: str | None = None,
    place: str | None = None,
) -> Meeting:
    if minutes is not None:
        meeting.minutes = minutes_validate(minutes)
    if purpose is not None:
        if purpose not in Purpose.values:
            raise ValidationError({"purpose": "Choose a purpose: information or advice (R1)."})
        meeting.purpose = purpose
    if channel is not None:
        meeting.channel = channel
    for attr, value in (
        ("research_person", research_person),
        ("research_organisation", research_organisation),
        ("jargon", jargon),
        ("place", place),
    ):
        if value is not None:
            setattr(meeting, attr, value)
    meeting.save()
    return meeting


def meeting_notes_save(meeting: Meeting, notes: str) -> Meeting:
    """R9: notes taken during or right after the meeting."""
    meeting.notes = notes
    meeting.save(update_fields=["notes", "updated_at"])
    return meeting


# ---------------------------------------------------------------------------
# Questions (R5)
# ---------------------------------------------------------------------------


def own_question_create(owner: User, *, group: str, text: str) -> OwnQuestion:
    text = " ".join(text.split())
    if not text:
        raise ValidationError({"text": "Write the question."})
    if group not in QuestionGroup.values:
        raise ValidationError({"group": "Choose the group the question belongs to."})
    return OwnQuestion.objects.create(owner=owner, group=group, text=text[:500])


def question_star_toggle(owner: User, key: str) -> bool:
    """Star or unstar a question; returns True when it is now starred."""
    if bank.question_text(owner, key) is None:
        raise ValidationError("No such question in your bank.")
    star = QuestionStar.objects.filter(owner=owner, key=key).first()
    if star is not None:
        star.delete()
        return False
    QuestionStar.objects.create(owner=owner, key=key)
    return True


def meeting_questions_set(meeting: Meeting, keys: Sequence[str]) -> list[MeetingQuestion]:
    """Choose this meeting's questions (R5: about ten), in the given order."""
    texts: list[tuple[str, str]] = []
    for key in dict.fromkeys(keys):
        text = bank.question_text(meeting.owner, key)
        if text is None:
            raise ValidationError(f"No question “{key}” in your bank.")
        texts.append((key, text))
    if len(texts) > MAX_QUESTIONS:
        raise ValidationError(
            f"Pick at most {MAX_QUESTIONS} questions — about ten fit in {meeting.minutes} minutes (R5)."
        )
    with transaction.atomic():
        meeting.questions.all().delete()
        return MeetingQuestion.objects.bulk_create(
            MeetingQuestion(meeting=meeting, key=key, text=text, position=i)
            for i, (key, text) in enumerate(texts)
        )


# ---------------------------------------------------------------------------
# The two-minute drill (R6)
# ---------------------------------------------------------------------------

WORDS_PER_MINUTE = 130
DRILL_SECONDS = 120


def word_count(text: str) -> int:
    return len(text.split())


def spoken_seconds(words: int) -> int:
    return round(words * 60 / WORDS_PER_MINUTE)


def drill_too_long(words: int) -> bool:
    """R6: past two minutes when spoken at about 130 words a minute."""
    return words * 60 > DRILL_SECONDS * WORDS_PER_MINUTE


def drill_save(owner: User, text: str) -> DrillVersion:
    """Keep a new version unless it is the same as the current one."""
    text = text.strip()
    if not text:
        raise ValidationError({"text": "Write your two-minute drill first."})
    current = DrillVersion.objects.filter(owner=owner).order_by("-created_at", "-id").first()
    if current is not None and current.text == text:
        return current
    return DrillVersion.objects.create(owner=owner, text=text, word_count=word_count(text))


def drill_practice_log(
    owner: User,
    *,
    person: Person,
    practised_on: dt.date | None = None,
    feedback: str = "",
) -> DrillPractice:
    if person.owner_id != owner.pk:
        raise ValidationError("Pick someone from your own contact book.")
    version = DrillVersion.objects.filter(owner=owner).order_by("-created_at", "-id").first()
    return DrillPractice.objects.create(
        owner=owner,
        person=person,
        version=version,
        practised_on=practised_on or timezone.localdate(),
        feedback=feedback.strip(),
    )


# ---------------------------------------------------------------------------
# Debrief (R10, R11, R13)
# ---------------------------------------------------------------------------


@dataclass
class ReferralInput:
    """One name the person met gave you: an existing person, or a new one to create."""

    person: Person | None = None
    new_name: str = ""
    new_list: str = ContactList.C
    new_organisation: str = ""
    reason: str = ""
    may_contact: bool = True
    may_use_name: bool = False
    will_introduce: bool = False
    preferred_channel: str = Channel.UNKNOWN


@dataclass
class PromiseInput:
    text: str
    due_on: dt.date


def meeting_referral_add(
    meeting: Meeting, item: ReferralInput, *, when: dt.date | None = None
) -> Referral:
    """R10: a referral edge from the person met to someone new, with their permissions."""
    owner = meeting.owner
    person = item.person
    if person is None:
        name = item.new_name.strip()
        if not name:
            raise ValidationError({"referrals": "Give the referred person's name."})
        person = person_create(
            owner,
            PersonData(
                full_name=name,
                contact_list=item.new_list or ContactList.C,
                organisation_name=item.new_organisation or None,
                met_context=MetContext.REFERRAL,
            ),
        )
    if person.pk == meeting.person_id:
        raise ValidationError({"referrals": f"{person} cannot refer you to themselves."})
    if Referral.objects.filter(owner=owner, referrer=meeting.person, referred=person).exists():
        raise ValidationError({"referrals": f"{meeting.person} already referred you to {person}."})
    referral = referral_create(
        owner,
        referrer=meeting.person,
        referred=person,
        referred_on=when or timezone.localdate(),
        reason=item.reason,
        may_contact=item.may_contact,
        may_use_name=item.may_use_name,
        will_introduce=item.will_introduce,
        preferred_channel=item.preferred_channel,
    )
    MeetingReferral.objects.create(meeting=meeting, referral=referral)
    return referral


def promise_create(
    owner: User,
    *,
    text: str,
    due_on: dt.date,
    meeting: Meeting | None = None,
    person: Person | None = None,
) -> Promise:
    text = " ".join(text.split())
    if not text:
        raise ValidationError({"promises": "Say what was promised."})
    if person is None and meeting is not None:
        person = meeting.person
    return Promise.objects.create(
        owner=owner, meeting=meeting, person=person, text=text[:300], due_on=due_on
    )


def promise_mark_done(promise: Promise, when: dt.datetime | None = None) -> Promise:
    promise.done_at = _now(when)
    promise.save(update_fields=["done_at", "updated_at"])
    return promise


def meeting_debrief(
    meeting: Meeting,
    *,
    how_it_went: str = "",
    learned: str = "",
    will_act_on: str = "",
    help_offered: str = "",
    referrals: Sequence[ReferralInput] = (),
    promises: Sequence[PromiseInput] = (),
    when: dt.datetime | None = None,
) -> Meeting:
    """Record what came of a held meeting: all of it or none of it.

    Referrals become edges from the person met (R10); promises become dated to-dos;
    help offered is written to the journal as help given (R13)."""
    if meeting.status != Status.HELD:
        raise ValidationError("Mark the meeting held before the debrief.")
    now = _now(when)
    with transaction.atomic():
        meeting.how_it_went = how_it_went.strip()
        meeting.learned = learned.strip()
        meeting.will_act_on = will_act_on.strip()
        meeting.help_offered = help_offered.strip()
        meeting.debriefed_at = now
        meeting.save()
        created = [
            meeting_referral_add(meeting, item, when=timezone.localdate(now)) for item in referrals
        ]
        for promise in promises:
            promise_create(meeting.owner, text=promise.text, due_on=promise.due_on, meeting=meeting)
        names = ", ".join(str(r.referred) for r in created) or "none"
        total = meeting.produced.count()
        gap = "" if total >= 2 else f" — {2 - total} short of the two referrals to aim for (R10)"
        lines = [f"Referrals: {names}{gap}."]
        if meeting.learned:
            lines.append(f"Learned: {meeting.learned}")
        if meeting.will_act_on:
            lines.append(f"Will act on: {meeting.will_act_on}")
        for promise in promises:
            lines.append(f"Promised: {promise.text} (by {promise.due_on:%Y-%m-%d})")
        entry = _journal(
            meeting,
            Kind.NOTE,
            now,
            f"Debrief of the meeting with {meeting.person}",
            "\n\n".join(lines),
        )
        _event(meeting, "debriefed", now, entry)
        if meeting.help_offered:
            help_entry = _journal(
                meeting,
                Kind.HELP_GIVEN,
                now,
                f"Offered help to {meeting.person}",
                meeting.help_offered,
            )
            _event(meeting, "help_offered", now, help_entry)
    return meeting
