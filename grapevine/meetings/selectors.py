"""Reads of meetings, always scoped to one owner."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from grapevine.accounts.models import User
from grapevine.contacts.models import Organisation, Person, Referral
from grapevine.journal.models import Entry, Kind
from grapevine.meetings.models import (
    DrillPractice,
    DrillVersion,
    Meeting,
    MeetingEvent,
    Promise,
    Status,
)

#: R10: never leave without two or three referrals.
REFERRALS_TO_AIM_FOR = 2


def _as_uuid(public_id: str | uuid.UUID) -> uuid.UUID:
    try:
        return public_id if isinstance(public_id, uuid.UUID) else uuid.UUID(str(public_id))
    except ValueError:
        raise Http404("No such meeting.") from None


def meeting_list(owner: User, *, status: str | None = None) -> QuerySet[Meeting]:
    meetings = Meeting.objects.filter(owner=owner)
    if status:
        meetings = meetings.filter(status=status)
    return meetings.select_related("person", "organisation", "referral__referrer")


def meeting_get(owner: User, public_id: str | uuid.UUID) -> Meeting:
    meeting = (
        Meeting.objects.filter(owner=owner, public_id=_as_uuid(public_id))
        .select_related("person", "person__organisation", "organisation", "referral__referrer")
        .first()
    )
    if meeting is None:
        raise Http404("No such meeting.")
    return meeting


def meeting_find(owner: User, ref: str) -> Meeting | None:
    """A meeting by its public id or a unique prefix of it (the CLI prints short ids)."""
    ref = ref.strip().lower()
    if not re.fullmatch(r"[0-9a-f-]{4,36}", ref):
        return None
    try:
        return meeting_get(owner, ref)
    except Http404:
        pass
    matches = [
        m
        for m in Meeting.objects.filter(owner=owner).only("public_id")
        if str(m.public_id).startswith(ref)
    ]
    return meeting_get(owner, matches[0].public_id) if len(matches) == 1 else None


def meeting_events(meeting: Meeting) -> QuerySet[MeetingEvent]:
    return meeting.events.select_related("entry")


def meeting_referrals(meeting: Meeting) -> QuerySet[Referral]:
    """The referrals this meeting produced (edges from the person met)."""
    return Referral.objects.filter(
        owner=meeting.owner, from_meeting__meeting=meeting
    ).select_related("referred", "referred__organisation")


def meeting_referral_gap(meeting: Meeting) -> int:
    """How many referrals short of two this meeting is (R10); 0 when there is no gap."""
    return max(0, REFERRALS_TO_AIM_FOR - meeting.produced.count())


def meeting_promises(meeting: Meeting) -> QuerySet[Promise]:
    return Promise.objects.filter(owner=meeting.owner, meeting=meeting)


def meeting_for_person(owner: User, person: Person) -> Meeting | None:
    """The latest meeting with ``person``."""
    return meeting_list(owner).filter(person=person).order_by("-requested_at", "-id").first()


def promise_list(owner: User, *, open_only: bool = True) -> QuerySet[Promise]:
    promises = Promise.objects.filter(owner=owner).select_related("person", "meeting")
    if open_only:
        promises = promises.filter(done_at__isnull=True)
    return promises.order_by("due_on", "id")


def promise_get(owner: User, public_id: str | uuid.UUID) -> Promise:
    promise = Promise.objects.filter(owner=owner, public_id=_as_uuid(public_id)).first()
    if promise is None:
        raise Http404("No such to-do.")
    return promise


def promise_find(owner: User, ref: str) -> Promise | None:
    """A promise by its public id or a unique prefix of it (the CLI prints short ids)."""
    ref = ref.strip().lower()
    if not re.fullmatch(r"[0-9a-f-]{4,36}", ref):
        return None
    try:
        return promise_get(owner, ref)
    except Http404:
        pass
    matches = [
        p
        for p in Promise.objects.filter(owner=owner).only("public_id")
        if str(p.public_id).startswith(ref)
    ]
    return promise_get(owner, matches[0].public_id) if len(matches) == 1 else None


# R11: the one rule for "thanked" — see the docstring of meetings.models.
def _thank_you_entries(owner: User) -> QuerySet[Entry]:
    return Entry.objects.filter(owner=owner, kind=Kind.THANK_YOU)


def meeting_thank_you_entry(meeting: Meeting) -> Entry | None:
    """The journal's thank-you to the person met, at or after the meeting (R11)."""
    if meeting.held_at is None:
        return None
    return (
        _thank_you_entries(meeting.owner)
        .filter(people=meeting.person, occurred_at__gte=meeting.held_at)
        .order_by("occurred_at", "id")
        .first()
    )


def meetings_awaiting_thank_you(owner: User) -> QuerySet[Meeting]:
    """Held meetings whose person has not been thanked since (R11)."""
    thanked = _thank_you_entries(owner).filter(
        people=OuterRef("person"), occurred_at__gte=OuterRef("held_at")
    )
    return meeting_list(owner, status=Status.HELD).filter(~Exists(thanked)).order_by("held_at")


def drill_current(owner: User) -> DrillVersion | None:
    return DrillVersion.objects.filter(owner=owner).order_by("-created_at", "-id").first()


def drill_versions(owner: User) -> QuerySet[DrillVersion]:
    return DrillVersion.objects.filter(owner=owner).order_by("-created_at", "-id")


def drill_practices(owner: User) -> QuerySet[DrillPractice]:
    return DrillPractice.objects.filter(owner=owner).select_related("person")


# ---------------------------------------------------------------------------
# R9: people and organisations mentioned in the notes
# ---------------------------------------------------------------------------

_NAME_WORD = r"[A-ZÀ-ÖØ-Þ][\w'\u2019.-]*"
_AT = re.compile(rf"@({_NAME_WORD}(?:[ _]{_NAME_WORD})*)")
_HASH = re.compile(r"#([\w&'\u2019.-]+(?:[ _][A-ZÀ-ÖØ-Þ][\w&'\u2019.-]*)*)")


@dataclass(frozen=True)
class Mention:
    """A person or organisation named in meeting notes, to ask about at the end (R9)."""

    kind: str  # "person" or "organisation"
    name: str
    person: Person | None = None
    organisation: Organisation | None = None

    @property
    def known(self) -> bool:
        return self.person is not None or self.organisation is not None


def _clean_mention(raw: str) -> str:
    return raw.replace("_", " ").strip(" .,'\u2019-")


def notes_mentions(owner: User, notes: str, *, exclude: Person | None = None) -> list[Mention]:
    """``@Name`` and ``#Organisation`` mentions, plus names from the contact book written
    plainly, in the order they appear; each linked to the contact when known."""
    if not notes.strip():
        return []
    lowered = notes.lower()
    found: list[tuple[int, Mention]] = []
    seen: set[tuple[str, str]] = set()
    people = list(Person.objects.filter(owner=owner).only("id", "public_id", "full_name"))
    orgs = list(Organisation.objects.filter(owner=owner).only("id", "public_id", "name"))
    people_by_name = {p.full_name.lower(): p for p in people}
    orgs_by_name = {o.name.lower(): o for o in orgs}

    def add(pos: int, mention: Mention) -> None:
        key = (mention.kind, mention.name.lower())
        if exclude is not None and mention.person is not None and mention.person.pk == exclude.pk:
            return
        if key not in seen:
            seen.add(key)
            found.append((pos, mention))

    for match in _AT.finditer(notes):
        name = _clean_mention(match.group(1))
        add(match.start(), Mention("person", name, person=people_by_name.get(name.lower())))
    for match in _HASH.finditer(notes):
        name = _clean_mention(match.group(1))
        add(
            match.start(),
            Mention("organisation", name, organisation=orgs_by_name.get(name.lower())),
        )
    words = set(re.findall(r"\w+", lowered))
    for person in people:
        name = person.full_name.lower()
        first = name.split()[0] if name.split() else ""
        if first in words:
            hit = re.search(rf"(?<!\w){re.escape(name)}(?!\w)", lowered)
            if hit:
                add(hit.start(), Mention("person", person.full_name, person=person))
    for org in orgs:
        name = org.name.lower()
        first = name.split()[0] if name.split() else ""
        if first in words:
            hit = re.search(rf"(?<!\w){re.escape(name)}(?!\w)", lowered)
            if hit:
                add(hit.start(), Mention("organisation", org.name, organisation=org))
    found.sort(key=lambda pair: pair[0])
    return [mention for _, mention in found]


def meeting_mentions(meeting: Meeting) -> list[Mention]:
    return notes_mentions(meeting.owner, meeting.notes, exclude=meeting.person)


def meeting_search(owner: User, query: str) -> QuerySet[Meeting]:
    query = query.strip()
    meetings = meeting_list(owner)
    if query:
        meetings = meetings.filter(
            Q(person__full_name__icontains=query) | Q(organisation__name__icontains=query)
        )
    return meetings
