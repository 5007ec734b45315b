"""`grapevine journal …`: record and list interactions from a terminal (R17)."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from typing import Annotated, Any

import typer
from django.conf import settings
from django.utils import timezone

from grapevine.accounts.models import User
from grapevine.contacts.cli import contact_list_from_option, person_by_name_or_id
from grapevine.core.cli import (
    BadOption,
    JsonOption,
    UserOption,
    acting_user,
    print_json,
    print_table,
    say,
)
from grapevine.journal.models import Entry, Kind
from grapevine.journal.selectors import entry_get, entry_list
from grapevine.journal.services import entry_create

app = typer.Typer(no_args_is_help=True, help="Record and list interactions (R17).")

# Other words people use for a kind.
KIND_SYNONYMS = {
    "thanks": Kind.THANK_YOU,
    "thankyou": Kind.THANK_YOU,
    "sent": Kind.MESSAGE_SENT,
    "received": Kind.MESSAGE_RECEIVED,
    "reply": Kind.MESSAGE_RECEIVED,
    "phone": Kind.CALL,
    "phone_call": Kind.CALL,
    "article": Kind.ARTICLE_SHARED,
    "reported_back": Kind.REPORT_BACK,
}


def _kind_key(text: str) -> str:
    return re.sub(r"[\s\-]+", "_", text.strip().lower())


def friendly_kind(value: str) -> str:
    """``thank_you`` as a user types it: ``thank-you``."""
    return value.replace("_", "-")


def kind_from_text(text: str) -> str:
    """A Kind value from what a user typed: ``thank-you``, ``Thank you``, ``thank_you``, ``thanks``."""
    key = _kind_key(text)
    for value, label in Kind.choices:
        if key in (value, _kind_key(str(label))):
            return str(value)
    if key in KIND_SYNONYMS:
        return str(KIND_SYNONYMS[key])
    valid = ", ".join(friendly_kind(v) for v in Kind.values)
    raise BadOption(f"There is no kind “{text}”: use one of {valid}.")


def _user_zone(owner: User) -> dt.tzinfo:
    try:
        return zoneinfo.ZoneInfo(owner.time_zone or settings.TIME_ZONE)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def when_from_text(text: str, zone: dt.tzinfo) -> dt.datetime:
    """``today``, ``yesterday``, ``2026-03-14`` or ``2026-03-14T15:30`` (in the user's zone).

    A date alone is taken as noon that day, so it stays the same day in every view.
    """
    value = text.strip().lower()
    today = timezone.now().astimezone(zone).date()
    day: dt.date | None = None
    if value == "today":
        day = today
    elif value == "yesterday":
        day = today - dt.timedelta(days=1)
    else:
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            day = None
    if day is not None:
        return dt.datetime.combine(day, dt.time(12, 0), tzinfo=zone)
    try:
        moment = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise BadOption(
            f"“{text}” is not a date: give --when as 2026-03-14, 2026-03-14T15:30, today or yesterday."
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


def entry_as_json(entry: Entry) -> dict[str, Any]:
    org = entry.organisation if entry.organisation_id else None
    return {
        "public_id": str(entry.public_id),
        "kind": entry.kind,
        "kind_label": entry.get_kind_display(),
        "occurred_at": entry.occurred_at.isoformat(),
        "people": [
            {"public_id": str(p.public_id), "full_name": p.full_name} for p in entry.people.all()
        ],
        "organisation": org.name if org else None,
        "organisation_public_id": str(org.public_id) if org else None,
        "subject": entry.subject,
        "notes": entry.notes,
    }


@app.command("add")
def add(
    kind: Annotated[
        str,
        typer.Argument(
            metavar="KIND",
            help="message-sent, message-received, call, meeting, event, thank-you, article-shared, "
            "help-given, help-received, report-back, connected or note.",
        ),
    ],
    person: Annotated[
        list[str],
        typer.Option(
            "--person",
            "-p",
            metavar="NAME",
            help="Who it was with (name or id; repeat for several).",
        ),
    ],
    when: Annotated[
        str | None,
        typer.Option(
            metavar="DATE",
            help="When it happened: 2026-03-14, 2026-03-14T15:30, today or yesterday. Default: now.",
            show_default=False,
        ),
    ] = None,
    subject: Annotated[str, typer.Option(help="A short line saying what it was about.")] = "",
    notes: Annotated[str, typer.Option(help="What was said, promised or learnt (markdown).")] = "",
    user: UserOption = None,
    as_json: JsonOption = False,
) -> None:
    """Record an interaction with one or more people (R17: every contact goes in the journal)."""
    owner = acting_user(user)
    kind_value = kind_from_text(kind)
    occurred_at = when_from_text(when, _user_zone(owner)) if when else None
    people = []
    for name in person:
        found = person_by_name_or_id(owner, name)
        if found not in people:
            people.append(found)
    entry = entry_create(
        owner, kind=kind_value, people=people, occurred_at=occurred_at, subject=subject, notes=notes
    )
    entry = entry_get(owner, entry.public_id)
    if as_json:
        print_json(entry_as_json(entry))
        return
    names = ", ".join(p.full_name for p in people)
    moment = timezone.localtime(entry.occurred_at, _user_zone(owner))
    say(
        f"Recorded: {entry.get_kind_display()} with {names} on {moment:%Y-%m-%d %H:%M}. Id: {entry.public_id}"
    )


@app.command("list")
def list_entries(
    kind: Annotated[
        str | None, typer.Option(help="Only this kind (thank-you, meeting, …).")
    ] = None,
    person: Annotated[
        str | None,
        typer.Option("--person", "-p", metavar="NAME", help="Only entries with this person."),
    ] = None,
    contact_list: Annotated[
        str | None,
        typer.Option(
            "--list", "-l", metavar="A|B|C", help="Only entries with people on this list."
        ),
    ] = None,
    limit: Annotated[
        int, typer.Option(min=0, help="Show at most this many, newest first; 0 for all.")
    ] = 50,
    user: UserOption = None,
    as_json: JsonOption = False,
) -> None:
    """List journal entries, newest first."""
    owner = acting_user(user)
    kind_value = kind_from_text(kind) if kind else None
    letter = contact_list_from_option(contact_list)
    who = person_by_name_or_id(owner, person) if person else None
    entries_qs = entry_list(owner, kind=kind_value, person=who, contact_list=letter)
    # In chunks: each chunk's prefetch stays under SQLite's limit on query parameters.
    entries = list((entries_qs[:limit] if limit else entries_qs).iterator(chunk_size=2000))
    if as_json:
        print_json([entry_as_json(e) for e in entries])
        return
    if not entries:
        say(
            "No journal entries yet: after each message, call or meeting, record it with "
            "`grapevine journal add KIND --person NAME` (R17)."
            if not (kind or person or contact_list)
            else "No journal entries match."
        )
        return
    zone = _user_zone(owner)
    print_table(
        f"Journal ({len(entries)} shown)",
        ["When", "Kind", "People", "Organisation", "Subject"],
        (
            [
                timezone.localtime(e.occurred_at, zone).strftime("%Y-%m-%d %H:%M"),
                e.get_kind_display(),
                ", ".join(p.full_name for p in e.people.all()),
                e.organisation.name if e.organisation else "",
                e.subject or (e.notes.splitlines()[0][:60] if e.notes else ""),
            ]
            for e in entries
        ),
    )
    if limit and len(entries) == limit:
        say(f"Showing the newest {limit}: use --limit 0 to see all.")
