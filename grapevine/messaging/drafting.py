"""What a draft says, from what Grapevine knows: the person, the referral, the meeting and the
journal (R7, R11, R12, R14, R15). Reads only; ``services.draft_create`` stores the draft.

Every clause comes from a recorded fact, or is left out: a draft never claims what the
journal does not hold ("I wrote to you a week ago" only when a message was sent, with its
date), never pastes a referrer's reason with its pronoun ("he knows everyone" becomes "…
told me you know everyone"), and never pastes notes. In a user's own template a fact that is
unknown shows as a gap in brackets, which the checks flag before sending.
"""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils import timezone

from grapevine.accounts.models import User
from grapevine.contacts.models import ContactList, Person, Referral
from grapevine.journal.models import Entry, Kind
from grapevine.meetings.models import DEFAULT_MINUTES, Meeting, MeetingChannel, Status
from grapevine.messaging import prose
from grapevine.messaging.models import DraftKind
from grapevine.messaging.text import HONORIFICS

_SENT = (Kind.MESSAGE_SENT, Kind.THANK_YOU, Kind.REPORT_BACK, Kind.ARTICLE_SHARED)


def first_name(person: Person) -> str:
    if person.given_name.strip():
        return person.given_name.strip()
    words = [w for w in person.full_name.split() if w.lower().rstrip(".") not in HONORIFICS]
    return words[0] if words else person.full_name


def _local(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value)


def day(value: dt.datetime | None) -> str:
    """ "today", "yesterday" or "on Tuesday 3 March"."""
    if value is None:
        return "recently"
    local = _local(value)
    if local.date() == timezone.localdate():
        return "today"
    if local.date() == timezone.localdate() - dt.timedelta(days=1):
        return "yesterday"
    return f"on {local:%A} {local.day} {local:%B}"


def _date(value: dt.datetime) -> str:
    local = _local(value)
    return f"{local:%A} {local.day} {local:%B} at {local:%H:%M}"


def _place(meeting: Meeting) -> str:
    place = meeting.place.strip()
    if meeting.channel == MeetingChannel.PHONE:
        return f"by phone ({place})" if place else "by phone"
    if meeting.channel == MeetingChannel.VIDEO:
        return f"on video ({place})" if place else "on video"
    return f"at {place}" if place else "in person"


def _greeting(person: Person) -> str:
    word = "Hi" if person.contact_list == ContactList.A else "Dear"
    return f"{word} {first_name(person)}"


def _opening(person: Person) -> str:
    """A request's first lines, as one writes to a friend (A), a former colleague (B) or
    someone one does not know yet (C)."""
    org = person.organisation.name if person.organisation_id and person.organisation else ""
    view = f" and your view of the work at {org}" if org else ""
    if person.contact_list == ContactList.A:
        return (
            "I am exploring the next step in my career, and you are one of the first people "
            f"whose advice I would like{view.replace(' and your', ', with your')}."
        )
    if person.contact_list == ContactList.B:
        return (
            "I am exploring the next step in my career, and as someone who knows my work you "
            f"would be a great person to ask. I would value your advice{view}."
        )
    title = person.job_title.strip()
    what = f"Your work as {title}" if title else "Your work"
    where = f" at {org}" if org else ""
    return (
        f"{what}{where} caught my attention. I am exploring the next step in my career and "
        "would value your advice and your view of the field."
    )


def _referrer_line(person: Person, referral: Referral) -> tuple[str, str]:
    """("Sara Lind suggested I contact you, and told me you know everyone in town.", reason)."""
    referrer = referral.referrer.full_name
    said = prose.reason_to_you(
        referral.reason, names=(person.full_name, first_name(person), person.family_name)
    )
    if said:
        return f"{referrer} suggested I contact you, and told me {said}.", said
    return f"{referrer} suggested I contact you.", ""


def last_written(owner: User, person: Person) -> dt.datetime | None:
    """When the journal last records a message to ``person`` (or asking them for a meeting)."""
    sent = (
        Entry.objects.filter(owner=owner, people=person, kind__in=_SENT)
        .order_by("-occurred_at")
        .values_list("occurred_at", flat=True)
        .first()
    )
    asked = (
        Meeting.objects.filter(owner=owner, person=person)
        .order_by("-requested_at")
        .values_list("requested_at", flat=True)
        .first()
    )
    return max((d for d in (sent, asked) if d is not None), default=None)


def _follow_up_opening(owner: User, person: Person, referral: Referral | None) -> str:
    when = last_written(owner, person)
    if when is None:
        raise ValidationError(
            f"Your journal has no message to {person} yet, so there is nothing to follow up: "
            "write the request first, and follow up once after seven business days (R15)."
        )
    mention = f" ({referral.referrer.full_name} suggested I contact you)" if referral else ""
    org = person.organisation.name if person.organisation_id and person.organisation else ""
    about = f" about your work at {org}" if org else ""
    local = _local(when)
    return (
        f"I wrote to you on {local:%A} {local.day} {local:%B}{mention} to ask for a short "
        f"conversation{about}."
    )


def _plain_points(notes: str) -> list[str]:
    """Short points of the notes that mention nobody (mentions are named on their own)."""
    out = []
    for line in notes.splitlines():
        point = re.sub(r"^\s*(?:[-*•]|\d+[.)])\s*", "", line).strip()
        if not re.search(r"\w{3,}", point) or re.search(r"[@#]", point) or len(point.split()) > 10:
            continue
        said = prose.clause(point)
        if said:
            out.append(said)
    return out


def _produced_names(meeting: Meeting) -> list[str]:
    return [
        mr.referral.referred.full_name
        for mr in meeting.produced.select_related("referral__referred")
    ]


def _thank_you_points(person: Person, meeting: Meeting | None) -> str:
    if meeting is None:
        return "Thank you for your time. [One thing they said, and what you will do about it]"
    org = meeting.organisation.name if meeting.organisation_id and meeting.organisation else ""
    sentences = [
        f"Thank you for the time you gave me {day(meeting.held_at or meeting.scheduled_for)}."
    ]
    specific = False
    learned = prose.clause(meeting.learned)
    if learned:
        sentences.append(f"One thing you said changed how I see my next step: {learned}.")
        specific = True
    else:
        mentions = prose.note_mentions(meeting.notes)
        points = _plain_points(meeting.notes)
        if points:
            sentences.append(f"I keep coming back to one thing you said: {points[0]}.")
            specific = True
        if mentions:
            sentences.append(f"I am glad you told me about {prose.listing(mentions[:2])}.")
            specific = True
    names = _produced_names(meeting)
    if names:
        sentences.append(
            f"I will get in touch with {prose.listing(names[:3])}, as you suggested, and let you "
            "know how it goes."
        )
        specific = True
    act = prose.action(meeting.will_act_on)
    if act:
        sentences.append(f"Next, {act}.")
        specific = True
    if not specific:
        if org:
            sentences.append(f"I learned a great deal about the work at {org}.")
        else:
            sentences.append("[One thing they said, and what you will do about it]")
    return " ".join(sentences)


def _report_meeting(met: Person, meeting: Meeting | None) -> str:
    met_first = first_name(met)
    if meeting is None or meeting.status != Status.HELD:
        return f"[How it went with {met_first}, and what you will do next]"
    sentences = [f"We met {day(meeting.held_at)}."]
    learned = prose.clause(meeting.learned)
    names = _produced_names(meeting)
    also = f", and suggested I talk to {prose.listing(names[:3])}" if names else ""
    if learned:
        sentences.append(f"{met_first} was generous with advice: {learned}{also}.")
    else:
        sentences.append(f"{met_first} was generous with time and advice{also}.")
    act = prose.action(meeting.will_act_on)
    if act:
        sentences.append(f"My next step: {act}.")
    return " ".join(sentences)


def _keep_in_touch_news(owner: User, person: Person) -> str:
    """News since the last contact with ``person``, from the journal."""
    since = (
        Entry.objects.filter(owner=owner, people=person)
        .order_by("-occurred_at")
        .values_list("occurred_at", flat=True)
        .first()
    )
    held = Meeting.objects.filter(owner=owner, status=Status.HELD).exclude(person=person)
    if since is not None:
        held = held.filter(held_at__gt=since)
    held_list = list(held.select_related("organisation").order_by("held_at")[:50])
    orgs = list(
        dict.fromkeys(
            m.organisation.name for m in held_list if m.organisation_id and m.organisation
        )
    )
    referred = list(
        Referral.objects.filter(owner=owner, referrer=person)
        .select_related("referred")
        .order_by("-referred_on")[:2]
    )
    sentences = []
    if held_list:
        count = len(held_list)
        talks = "one conversation" if count == 1 else f"{count} conversations"
        at = f", at {prose.listing(orgs[:3])}" if orgs else ""
        sentences.append(
            "A quick update on my search, since you helped me along the way: since we were "
            f"last in touch I have had {talks}{at}, and I am learning a lot about the field."
        )
    if referred:
        names = prose.listing([r.referred.full_name for r in referred])
        sentences.append(f"Thank you again for introducing me to {names}.")
    if not sentences:
        return "A quick update on my search: [what happened since you were last in touch]"
    return " ".join(sentences)


def draft_context(
    owner: User, kind: str, person: Person, meeting: Meeting | None, referral: Referral | None
) -> dict[str, str]:
    """Everything a template can use. ``person`` is the recipient; for a report-back the
    meeting's person is the one met."""
    org = person.organisation.name if person.organisation_id and person.organisation else ""
    referrer = referral.referrer.full_name if referral else ""
    when = None
    if meeting is not None:
        when = meeting.held_at or meeting.scheduled_for
    context = {
        "greeting": _greeting(person),
        "first_name": first_name(person),
        "full_name": person.full_name,
        "organisation": org or "[their organisation]",
        "at_organisation": f" at {org}" if org else "",
        "request_subject": f"A question about your work{f' at {org}' if org else ''}"
        if person.contact_list == ContactList.C
        else "Your advice on my next step",
        "on_the_work": f" and your view of the work at {org}" if org else "",
        "opening": _opening(person),
        "referrer": referrer or "[who referred you]",
        "referrer_reason": "[the reason they gave]",
        "referrer_line": "",
        "referrer_mention": f" ({referrer} suggested I contact you)" if referrer else "",
        "minutes": str(meeting.minutes if meeting else DEFAULT_MINUTES),
        "meeting_date": _date(meeting.scheduled_for)
        if meeting and meeting.scheduled_for
        else "[date and time]",
        "meeting_day": day(when),
        "place": _place(meeting) if meeting else "[place]",
        "follow_up_opening": "",
        "thank_you_points": "",
        "points": "[a point you discussed]",
        "act_on": prose.action(meeting.will_act_on) or "[what you will do next]"
        if meeting
        else "[what you will do next]",
        "learned": prose.clause(meeting.learned) or "[what you learned]"
        if meeting
        else "[what you learned]",
        "article": "",
        "met_name": meeting.person.full_name if meeting else "[the person you met]",
        "met_first": first_name(meeting.person) if meeting else "[them]",
        "report_meeting": "",
        "keep_in_touch_news": "",
        "my_name": owner.sign_name,
    }
    if referral is not None:
        line, said = _referrer_line(person, referral)
        context["referrer_line"] = line
        if said:
            context["referrer_reason"] = said
    if meeting is not None:
        points = _plain_points(meeting.notes)
        if points:
            context["points"] = points[0]
    if kind == DraftKind.FOLLOW_UP:
        context["follow_up_opening"] = _follow_up_opening(owner, person, referral)
    elif kind == DraftKind.THANK_YOU:
        context["thank_you_points"] = _thank_you_points(person, meeting)
    elif kind == DraftKind.REPORT_BACK and meeting is not None:
        context["report_meeting"] = _report_meeting(meeting.person, meeting)
    elif kind == DraftKind.KEEP_IN_TOUCH:
        context["keep_in_touch_news"] = _keep_in_touch_news(owner, person)
    elif kind == DraftKind.CONFIRMATION and (meeting is None or meeting.scheduled_for is None):
        raise ValidationError(
            f"Schedule the meeting with {person} first: a confirmation says when you meet (R4)."
        )
    return context
