"""`grapevine meetings …`: information meetings from a terminal (R4, R10).

Errors are one sentence on stderr with exit code 1 (the root command group turns
ValidationError, Http404 and CommandFailed into that); nothing is stored then.
"""

from __future__ import annotations

import datetime as dt
import uuid
import zoneinfo
from typing import Annotated, Any

import typer
from django.conf import settings
from django.utils import timezone

from grapevine.coach.agenda import r3_request_warning
from grapevine.contacts.cli import person_by_name_or_id
from grapevine.contacts.models import ContactList
from grapevine.contacts.selectors import person_find_by_name
from grapevine.core.cli import (
    BadOption,
    CommandFailed,
    JsonOption,
    UserOption,
    acting_user,
    print_json,
    print_table,
    say,
)
from grapevine.journal.cli import when_from_text
from grapevine.meetings import selectors, services
from grapevine.meetings.models import (
    DEFAULT_MINUTES,
    Meeting,
    MeetingChannel,
    Promise,
    Purpose,
    Status,
)

app = typer.Typer(
    no_args_is_help=True, help="Request, schedule, hold and debrief information meetings."
)


def _user_zone(owner: Any) -> dt.tzinfo:
    """The account's time zone, for reading and printing dates."""
    try:
        return zoneinfo.ZoneInfo(owner.time_zone or settings.TIME_ZONE)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def meeting_by_id(owner: Any, ref: str) -> Meeting:
    meeting = selectors.meeting_find(owner, ref)
    if meeting is None:
        raise CommandFailed(
            f"No meeting with the id “{ref}”: `grapevine meetings list` shows the ids."
        )
    return meeting


def meeting_as_json(meeting: Meeting) -> dict[str, Any]:
    referral = meeting.referral
    produced = list(selectors.meeting_referrals(meeting))
    return {
        "public_id": str(meeting.public_id),
        "person": meeting.person.full_name,
        "person_public_id": str(meeting.person.public_id),
        "organisation": meeting.organisation.name if meeting.organisation else None,
        "status": meeting.status,
        "minutes": meeting.minutes,
        "channel": meeting.channel,
        "place": meeting.place,
        "purpose": meeting.purpose,
        "referrer": referral.referrer.full_name if referral else None,
        "referrer_reason": referral.reason if referral else None,
        "requested_at": meeting.requested_at.isoformat(),
        "scheduled_for": meeting.scheduled_for.isoformat() if meeting.scheduled_for else None,
        "held_at": meeting.held_at.isoformat() if meeting.held_at else None,
        "debriefed_at": meeting.debriefed_at.isoformat() if meeting.debriefed_at else None,
        "referrals": [
            {
                "public_id": str(r.public_id),
                "referred": r.referred.full_name,
                "referred_public_id": str(r.referred.public_id),
                "may_use_name": r.may_use_name,
            }
            for r in produced
        ],
        "referral_gap": max(0, selectors.REFERRALS_TO_AIM_FOR - len(produced)),
    }


def _short(meeting: Meeting) -> str:
    return str(meeting.public_id)[:8]


@app.command("request")
def request(
    person: Annotated[
        str, typer.Argument(metavar="PERSON", help="Full name (or id) of the person.")
    ],
    minutes: Annotated[
        int, typer.Option(help="Length to ask for: 15-20 is best, never more than 30 (R4).")
    ] = DEFAULT_MINUTES,
    channel: Annotated[
        str, typer.Option(help="in_person, phone or video.")
    ] = MeetingChannel.IN_PERSON,
    purpose: Annotated[
        str,
        typer.Option(help="validate_idea, industry_info, advice or referrals — never a job (R1)."),
    ] = Purpose.ADVICE,
    user: UserOption = None,
    as_json: JsonOption = False,
) -> None:
    """Record that you asked PERSON for an information meeting; prints the meeting's id."""
    owner = acting_user(user)
    who = person_by_name_or_id(owner, person)
    warning = r3_request_warning(owner, who)
    meeting = services.meeting_request(
        owner, who, minutes=minutes, channel=channel, purpose=purpose
    )
    meeting = selectors.meeting_get(owner, meeting.public_id)
    if warning:
        # On stderr, so --json output stays parseable.
        typer.echo(f"Note: {warning}", err=True)
    if as_json:
        print_json(meeting_as_json(meeting))
        return
    via = f" (referred by {meeting.referral.referrer})" if meeting.referral else ""
    say(f"Requested a {meeting.minutes}-minute meeting with {who}{via}.")
    say(f"Id: {meeting.public_id}")


@app.command("list")
def list_meetings(
    status: Annotated[
        str | None,
        typer.Option(
            help="Only this status: requested, scheduled, held, declined, no_answer, cancelled."
        ),
    ] = None,
    user: UserOption = None,
    as_json: JsonOption = False,
) -> None:
    """List your meetings, newest request first."""
    owner = acting_user(user)
    if status and status not in Status.values:
        raise CommandFailed(
            f"There is no status “{status}”: use one of {', '.join(Status.values)}."
        )
    meetings = list(selectors.meeting_list(owner, status=status))
    if as_json:
        print_json([meeting_as_json(m) for m in meetings])
        return
    if not meetings:
        say(
            'No meetings yet: ask someone with `grapevine meetings request "NAME"` (start with list A, R3).'
        )
        return
    zone = _user_zone(owner)
    print_table(
        "Meetings",
        ["Id", "Person", "Status", "Minutes", "When"],
        [
            (
                _short(m),
                m.person.full_name,
                m.get_status_display(),
                m.minutes,
                timezone.localtime(m.scheduled_for or m.requested_at, zone).strftime(
                    "%Y-%m-%d %H:%M"
                ),
            )
            for m in meetings
        ],
    )


@app.command("schedule")
def schedule(
    meeting_id: Annotated[
        str, typer.Argument(metavar="ID", help="The meeting's id (or its first 8 characters).")
    ],
    when: Annotated[
        str, typer.Argument(metavar="WHEN", help="ISO date-time, e.g. 2026-11-26T10:00.")
    ],
    place: Annotated[str | None, typer.Option(help="Address, phone number or video link.")] = None,
    user: UserOption = None,
    as_json: JsonOption = False,
) -> None:
    """Give a requested meeting its date and time."""
    owner = acting_user(user)
    meeting = meeting_by_id(owner, meeting_id)
    moment = when_from_text(when, _user_zone(owner))
    services.meeting_schedule(meeting, moment, place=place)
    if as_json:
        print_json(meeting_as_json(selectors.meeting_get(owner, meeting.public_id)))
        return
    local = timezone.localtime(moment, _user_zone(owner))
    say(f"Scheduled the meeting with {meeting.person} for {local:%Y-%m-%d %H:%M}.")


def _close_command(action: str) -> Any:
    def command(
        meeting_id: Annotated[str, typer.Argument(metavar="ID", help="The meeting's id.")],
        user: UserOption = None,
        as_json: JsonOption = False,
    ) -> None:
        owner = acting_user(user)
        meeting = meeting_by_id(owner, meeting_id)
        getattr(services, f"meeting_{action}")(meeting)
        if as_json:
            print_json(meeting_as_json(selectors.meeting_get(owner, meeting.public_id)))
            return
        say(f"The meeting with {meeting.person} is now {meeting.get_status_display().lower()}.")

    return command


app.command("held", help="Mark a meeting as held (it took place).")(_close_command("hold"))
app.command("declined", help="They said no.")(_close_command("decline"))
app.command("no-answer", help="No answer (R15: write to a second person, then follow up).")(
    _close_command("no_answer")
)
app.command("cancel", help="Cancel a requested or scheduled meeting.")(_close_command("cancel"))


def _referral_person(owner: Any, name: str, new_list: str) -> services.ReferralInput:
    """An existing person by name (or id), or a new one to create on ``new_list``."""
    if person_find_by_name(owner, name) or _looks_like_id(name):
        return services.ReferralInput(person=person_by_name_or_id(owner, name, role="referral"))
    return services.ReferralInput(new_name=name, new_list=new_list)


def _looks_like_id(text: str) -> bool:
    try:
        uuid.UUID(text.strip())
    except ValueError:
        return False
    return True


@app.command("debrief")
def debrief(
    meeting_id: Annotated[str, typer.Argument(metavar="ID", help="The meeting's id.")],
    referral: Annotated[
        list[str] | None,
        typer.Option(
            "--referral",
            "-r",
            metavar="NAME",
            help="A person they referred you to (repeat; new names are added to your contacts). Aim for 2-3 (R10).",
        ),
    ] = None,
    new_list: Annotated[
        str, typer.Option("--list", help="List for new names: A, B or C.")
    ] = ContactList.C,
    may_use_name: Annotated[
        bool,
        typer.Option(
            "--may-use-name/--may-not-use-name",
            help="R10: they said you may use their name with these referrals.",
        ),
    ] = False,
    learned: Annotated[str, typer.Option(help="What you learned.")] = "",
    act_on: Annotated[str, typer.Option("--act-on", help="What you will act on (R11).")] = "",
    how: Annotated[str, typer.Option(help="How it went.")] = "",
    help_offered: Annotated[
        str, typer.Option("--help-offered", help="Help you offered them (R13).")
    ] = "",
    promise: Annotated[
        list[str] | None,
        typer.Option(metavar="TEXT", help="A promise to keep within a week (repeat)."),
    ] = None,
    user: UserOption = None,
    as_json: JsonOption = False,
) -> None:
    """Record what came of a held meeting: the referrals (R10), what you learned, promises."""
    owner = acting_user(user)
    meeting = meeting_by_id(owner, meeting_id)
    items = []
    for name in referral or []:
        item = _referral_person(owner, name, new_list.upper())
        item.may_use_name = may_use_name
        items.append(item)
    due = timezone.localdate() + dt.timedelta(days=7)
    promises = [services.PromiseInput(text=t, due_on=due) for t in promise or []]
    services.meeting_debrief(
        meeting,
        how_it_went=how,
        learned=learned,
        will_act_on=act_on,
        help_offered=help_offered,
        referrals=items,
        promises=promises,
    )
    meeting = selectors.meeting_get(owner, meeting.public_id)
    data = meeting_as_json(meeting)
    if as_json:
        print_json(data)
        return
    names = ", ".join(r["referred"] for r in data["referrals"]) or "none"
    say(f"Debrief saved. Referrals from {meeting.person}: {names}.")
    if data["referral_gap"]:
        say(
            f"Gap: {data['referral_gap']} short of two referrals — next time ask “Who else should I talk to?” (R10)."
        )


promises_app = typer.Typer(
    no_args_is_help=True, help="Promises made in meetings: add, list, mark done (R17)."
)
app.add_typer(promises_app, name="promises", help="Promises made in meetings: add, list, done.")


def promise_as_json(promise: Promise) -> dict[str, Any]:
    return {
        "public_id": str(promise.public_id),
        "text": promise.text,
        "due_on": promise.due_on.isoformat(),
        "done_at": promise.done_at.isoformat() if promise.done_at else None,
        "overdue": promise.is_overdue,
        "person": promise.person.full_name if promise.person else None,
        "meeting_public_id": str(promise.meeting.public_id) if promise.meeting else None,
    }


def _promise_by_id(owner: Any, ref: str) -> Promise:
    promise = selectors.promise_find(owner, ref)
    if promise is None:
        raise CommandFailed(
            f"No promise with the id “{ref}”: `grapevine meetings promises list` shows the ids."
        )
    return promise


def _due(text: str | None) -> dt.date:
    if text is None:
        return timezone.localdate() + dt.timedelta(days=7)
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise BadOption(f"--due “{text}” is not a date: write it as 2026-03-17.") from None


@promises_app.command("add")
def promise_add(
    meeting_id: Annotated[str, typer.Argument(metavar="MEETING_ID", help="The meeting's id.")],
    text: Annotated[str, typer.Argument(metavar="TEXT", help="What you promised.")],
    due: Annotated[
        str | None,
        typer.Option(
            metavar="DATE", help="When it is due (YYYY-MM-DD); a week from today by default."
        ),
    ] = None,
    user: UserOption = None,
    as_json: JsonOption = False,
) -> None:
    """Record something you promised in a meeting (send an article, an introduction…)."""
    owner = acting_user(user)
    meeting = meeting_by_id(owner, meeting_id)
    promise = services.promise_create(owner, text=text, due_on=_due(due), meeting=meeting)
    if as_json:
        print_json(promise_as_json(promise))
        return
    say(
        f"Promised {meeting.person}: “{promise.text}”, by {promise.due_on:%Y-%m-%d}. Id: {promise.public_id}"
    )


@promises_app.command("list")
def promise_list_command(
    meeting_id: Annotated[
        str | None, typer.Option("--meeting", metavar="ID", help="Only this meeting's promises.")
    ] = None,
    include_done: Annotated[
        bool, typer.Option("--all", help="Also the promises already kept.")
    ] = False,
    user: UserOption = None,
    as_json: JsonOption = False,
) -> None:
    """List your open promises, the soonest due first."""
    owner = acting_user(user)
    promises = selectors.promise_list(owner, open_only=not include_done)
    if meeting_id:
        promises = promises.filter(meeting=meeting_by_id(owner, meeting_id))
    items = list(promises)
    if as_json:
        print_json([promise_as_json(p) for p in items])
        return
    if not items:
        say("No open promises. Add one with `grapevine meetings promises add MEETING_ID TEXT`.")
        return
    print_table(
        "Promises",
        ["Id", "Due", "To", "Promise", "State"],
        [
            (
                str(p.public_id)[:8],
                f"{p.due_on:%Y-%m-%d}",
                p.person.full_name if p.person else "",
                p.text,
                "done" if p.done_at else ("overdue" if p.is_overdue else "open"),
            )
            for p in items
        ],
    )


@promises_app.command("done")
def promise_done(
    promise_id: Annotated[
        str, typer.Argument(metavar="ID", help="The promise's id (or its first 8 characters).")
    ],
    user: UserOption = None,
    as_json: JsonOption = False,
) -> None:
    """Mark a promise kept."""
    owner = acting_user(user)
    promise = _promise_by_id(owner, promise_id)
    if promise.done_at is not None:
        raise CommandFailed(f"“{promise.text}” was already marked done.")
    services.promise_mark_done(promise)
    if as_json:
        print_json(promise_as_json(promise))
        return
    say(f"Kept: “{promise.text}”.")


def register(app_root: typer.Typer) -> None:
    """Add this app's commands to the root `grapevine` command."""
    app_root.add_typer(
        app, name="meetings", help="Information meetings: request, schedule, hold, debrief."
    )
