"""`grapevine today` and `grapevine remind`: the coach from a terminal."""

from __future__ import annotations

import datetime as dt
import signal
import threading
from typing import Annotated, Any

import typer

from grapevine.core.cli import BadOption, JsonOption, UserOption, acting_user, print_json, say


def _parse_date(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise BadOption(
            f"--date must be a day written YYYY-MM-DD, like 2026-03-02; got “{text}”."
        ) from None


def today(
    date: Annotated[
        str | None,
        typer.Option(
            "--date",
            metavar="YYYY-MM-DD",
            help="Show the agenda as of the end of this day (replay a past day). Default: now.",
        ),
    ] = None,
    user: UserOption = None,
    as_json: JsonOption = False,
) -> None:
    """The day's next actions, most important first, each with its rule and reason."""
    from grapevine.coach.agenda import agenda_for, agenda_now_for_date

    day = _parse_date(date)
    owner = acting_user(user)
    agenda = agenda_for(owner, agenda_now_for_date(owner, day))
    if as_json:
        print_json(agenda.as_json())
        return
    say(f"Agenda for {agenda.today:%A} {agenda.today.isoformat()}")
    for goal in agenda.goals:
        say(f"  {goal.rule} goal: {goal.done} of {goal.target} {goal.label} this week")
    if not agenda.actions:
        say(
            "Nothing to do: add people to list A and ask one of them for 20 minutes of advice (R3)."
        )
        return
    for title, actions in (
        ("Overdue", agenda.overdue),
        ("Today", agenda.due_today),
        ("This week", agenda.this_week),
    ):
        if not actions:
            continue
        say(f"\n{title}")
        for action in actions:
            say(f"  [{action.rule_label}] {action.due.isoformat()}  {action.reason}")
    if agenda.keep_in_touch_waiting:
        say(
            f"\nMore people are due for keeping in touch (R14) than the "
            f"{agenda.keep_in_touch_per_day} a day suggested; the others come up on the next days."
        )


def remind(
    loop: Annotated[
        bool, typer.Option("--loop", help="Keep running; send each digest when it is due.")
    ] = False,
    interval: Annotated[
        float, typer.Option(min=0.2, help="Seconds between two runs with --loop.")
    ] = 60.0,
) -> None:
    """Send each opted-in user one digest e-mail a day with their due actions.

    Several workers may run at once: each digest is claimed in the database first.
    SIGTERM or Ctrl-C stops the loop cleanly after the e-mail being sent.
    """
    from django.conf import settings

    from grapevine.coach.digest import digest_loop, digest_send_due

    if "console" in settings.EMAIL_BACKEND:
        typer.echo(
            "No SMTP server is set (GRAPEVINE_SMTP_HOST): digests are printed here, not sent.",
            err=True,
        )
    if not loop:
        sent = digest_send_due()
        say(f"{sent} digest e-mail{'s' if sent != 1 else ''} sent.")
        return
    stop = threading.Event()

    def _stop(signum: int, frame: Any) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    say(f"Sending digests every {interval:g} seconds; stop with Ctrl-C or SIGTERM.")
    sent = digest_loop(stop, interval)
    say(f"Stopped; {sent} digest e-mail{'s' if sent != 1 else ''} sent.")


def register(app: typer.Typer) -> None:
    """Add this app's commands to the root `grapevine` command."""
    app.command("today")(today)
    app.command("remind")(remind)
