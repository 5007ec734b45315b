"""`grapevine draft …` and `grapevine check-message …`: message drafts and their rule checks.

`check-message` exits with 0 when the message is ok (hints allowed), 1 when a rule is
broken, 2 for a usage error (an unknown --kind, a missing file). The JSON output is
``{"ok": bool, "findings": [{"rule": "R1", "message": "…", "level": "error"|"hint"}]}``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from grapevine.contacts.cli import person_by_name_or_id
from grapevine.core.cli import (
    BadOption,
    CommandFailed,
    JsonOption,
    UserOption,
    acting_user,
    print_json,
    say,
)
from grapevine.messaging import checks, services

CHECK_KIND_HELP = (
    "request, follow-up, thank-you, report-back, not-hiring, confirmation or keep-in-touch."
)


def _read(path: Path) -> str:
    if str(path) == "-":
        import sys

        return sys.stdin.read()
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BadOption(f"There is no file {path}.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BadOption(f"Cannot read {path} as UTF-8 text: {exc}.") from None


def check_message_command(
    file: Annotated[
        Path, typer.Argument(metavar="FILE", help="The message as plain text (- for stdin).")
    ],
    kind: Annotated[str, typer.Option(help=f"What the message is: {CHECK_KIND_HELP}")] = "request",
    referrer: Annotated[
        str, typer.Option(metavar="NAME", help="Who referred you: the request must name them (R7).")
    ] = "",
    notes: Annotated[
        Path | None,
        typer.Option(
            metavar="FILE", help="Meeting notes a thank-you must draw a point from (R11)."
        ),
    ] = None,
    met: Annotated[
        str,
        typer.Option(
            "--met",
            "--person-met",
            metavar="NAME",
            help="For a report-back: the person you met (R12).",
        ),
    ] = "",
    as_json: JsonOption = False,
) -> None:
    """Check a message against the rules (R1, R4, R7, R8, R11, R12, R14, R15).

    Exit 1 when a rule is broken; hints never change the exit code. A first line
    "Subject: …" is read as the subject; the length counts the body only."""
    if kind not in checks.CHECK_KINDS:
        raise BadOption(f"There is no kind “{kind}”: use {CHECK_KIND_HELP}")
    text = _read(file)
    report = checks.check_message(
        text, kind, referrer=referrer, notes=_read(notes) if notes else "", met=met
    )
    if as_json:
        print_json(report.as_dict())
    else:
        n = checks.body_word_count(text)
        say(f"{'OK' if report.ok else 'Not ok'} — {n} words in the body.")
        for finding in report.findings:
            label = "hint" if finding.level == "hint" else "rule"
            say(f"  {finding.rule} ({label}): {finding.message}")
    if not report.ok:
        raise typer.Exit(1)


def draft_command(
    kind: Annotated[
        str,
        typer.Argument(
            metavar="KIND",
            help="request (warm by itself when the person was referred), not-hiring, confirmation, "
            "thank-you, report-back, keep-in-touch or follow-up.",
        ),
    ],
    meeting: Annotated[
        str | None, typer.Option(metavar="ID", help="The meeting it is about.")
    ] = None,
    person: Annotated[
        str | None, typer.Option(metavar="NAME", help="Whom it is for (full name or id).")
    ] = None,
    article: Annotated[
        str, typer.Option(metavar="URL", help="A relevant article to offer in a thank-you (R11).")
    ] = "",
    user: UserOption = None,
    as_json: JsonOption = False,
) -> None:
    """Write a draft from your template, filled from the person, referrer and meeting; check it."""
    from grapevine.meetings.cli import meeting_by_id

    if kind not in services.CLI_KINDS:
        raise BadOption(f"There is no kind “{kind}”: use one of {', '.join(services.CLI_KINDS)}.")
    if (meeting is None) == (person is None):
        raise BadOption("Say whom the draft is for with either --meeting ID or --person NAME.")
    owner = acting_user(user)
    the_meeting = meeting_by_id(owner, meeting) if meeting else None
    the_person = person_by_name_or_id(owner, person) if person else None
    draft = services.draft_create(
        owner, kind, person=the_person, meeting=the_meeting, article=article
    )
    summary = services.draft_summary(draft)
    if as_json:
        print_json(summary)
        return
    say(f"To: {summary['to']} <{summary['email'] or 'no e-mail address'}>")
    say(f"Subject: {summary['subject']}")
    say("")
    say(summary["body"])
    say("")
    check = summary["check"]
    say("Checks: ok" if check["ok"] else "Checks: not ok")
    for finding in check["findings"]:
        say(f"  {finding['rule']}: {finding['message']}")
    say(f"Id: {summary['id']}")


def register(app: typer.Typer) -> None:
    """Add this app's commands to the root `grapevine` command."""
    app.command(
        "draft", help="Draft a message from a template (request, thank-you, report-back, …)."
    )(draft_command)
    app.command(
        "check-message", help="Check a message file against the rules; exit 1 if one is broken."
    )(check_message_command)


__all__ = ["CommandFailed", "register"]
