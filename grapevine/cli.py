"""The `grapevine` command: a thin layer over the services and selectors.

Each app contributes its commands from its own ``cli.py``; this module mounts them
once Django is set up. Errors a user can act on are printed as one sentence by
``GrapevineGroup`` (grapevine/core/cli.py); anything else becomes one sentence
here, with the traceback only when GRAPEVINE_DEBUG is on.
"""

from __future__ import annotations

import os
import sys
from typing import Any

import typer

from grapevine.env import env_bool

app = typer.Typer(
    name="grapevine",
    help="Grapevine: find work through people — lists, information meetings, messages and a daily coach.",
    epilog=(
        "Commands act as the only account, or the one given with --user EMAIL "
        "(or GRAPEVINE_USER). Data lives in GRAPEVINE_DATA_DIR, else your own data folder."
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)
_mounted = False


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "grapevine.settings")
    import django

    django.setup()


def _mount() -> None:
    """Register each app's commands. Imported here because they need Django set up."""
    from grapevine.accounts.cli import app as user_app
    from grapevine.coach.cli import register as register_coach
    from grapevine.contacts.cli import contacts_app, orgs_app
    from grapevine.core.cli import GrapevineGroup
    from grapevine.core.cli import register as register_core
    from grapevine.journal.cli import app as journal_app
    from grapevine.meetings.cli import register as register_meetings
    from grapevine.messaging.cli import register as register_messaging
    from grapevine.transfer.cli import register as register_transfer

    app.info.cls = GrapevineGroup
    register_core(app)
    app.add_typer(user_app, name="user", help="Create and list accounts (for operators).")
    app.add_typer(
        contacts_app, name="contacts", help="Add, list and show people on lists A, B and C (R2)."
    )
    app.add_typer(
        orgs_app, name="orgs", help="List organisations and how many people you know there."
    )
    app.add_typer(journal_app, name="journal", help="Record and list interactions (R17).")
    register_meetings(app)
    register_messaging(app)
    register_coach(app)
    register_transfer(app)


def get_app() -> typer.Typer:
    """The root command with every app's commands mounted (Django must be set up)."""
    global _mounted
    if not _mounted:
        _mount()
        _mounted = True
    return app


def main(argv: list[str] | None = None) -> Any:
    try:
        setup_django()
        root = get_app()
        return root(args=argv if argv is not None else sys.argv[1:], prog_name="grapevine")
    except Exception as exc:
        from grapevine.core.cli import error_message

        found = error_message(exc)
        if env_bool("GRAPEVINE_DEBUG", False) and found is None:
            raise
        message, code = found or (
            f"Grapevine stopped on an unexpected error ({exc.__class__.__name__}: {exc}). "
            "Run again with GRAPEVINE_DEBUG=1 to see where.",
            1,
        )
        typer.echo(message, err=True)
        sys.exit(code)


if __name__ == "__main__":
    main()
