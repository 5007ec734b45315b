"""The `grapevine` command: a thin layer over the services and selectors.

Each app contributes a Typer sub-application from its own ``cli.py``; this module
mounts them and sets Django up before any command runs.
"""

from __future__ import annotations

import os
import sys
from typing import Any

import typer

app = typer.Typer(
    name="grapevine",
    help="Grapevine: find work through people — lists, information meetings, messages and a daily coach.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
)


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "grapevine.settings")
    import django

    django.setup()


def _mount() -> None:
    """Register each app's commands. Imported lazily so `--help` stays fast."""
    from grapevine.accounts.cli import app as user_app
    from grapevine.contacts.cli import contacts_app, orgs_app
    from grapevine.core.cli import register as register_core
    from grapevine.journal.cli import app as journal_app
    from grapevine.meetings.cli import register as register_meetings
    from grapevine.messaging.cli import register as register_messaging
    from grapevine.coach.cli import register as register_coach
    from grapevine.transfer.cli import register as register_transfer

    register_core(app)
    app.add_typer(user_app, name="user", help="Create and list accounts (for operators).")
    app.add_typer(contacts_app, name="contacts", help="Add and list people on lists A, B and C.")
    app.add_typer(orgs_app, name="orgs", help="List organisations and who you know there.")
    app.add_typer(journal_app, name="journal", help="Record and list interactions (R17).")
    register_meetings(app)
    register_messaging(app)
    register_coach(app)
    register_transfer(app)


def main(argv: list[str] | None = None) -> Any:
    setup_django()
    _mount()
    return app(args=argv if argv is not None else sys.argv[1:], prog_name="grapevine")


if __name__ == "__main__":
    main()
