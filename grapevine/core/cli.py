"""What every `grapevine` command shares, and the commands every instance needs.

Shared: the acting account (``--user``), ``--json`` output, Rich tables and errors
as one sentence on stderr with exit code 1 (2 for a bad option value), never a
traceback. Commands: ``serve`` (migrate, then a production WSGI server) and
``migrate``.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import signal
import sys
import threading
import webbrowser
from collections.abc import Iterable
from typing import Annotated, Any, NoReturn

import typer
from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.http import Http404
from rich.console import Console
from rich.table import Table
from rich.text import Text
from typer.core import TyperGroup

from grapevine.accounts.models import User
from grapevine.accounts.selectors import UserNotFound, user_for_cli


def console() -> Console:
    """Rich output on the current stdout; COLUMNS sets the width, else the terminal's, else 120."""
    wide = None if sys.stdout.isatty() or os.environ.get("COLUMNS") else 120
    return Console(highlight=False, width=wide)


LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}


# ---------------------------------------------------------------------------
# Errors: one sentence on stderr, never a traceback
# ---------------------------------------------------------------------------


class CommandFailed(Exception):
    """A command cannot do what was asked; the message is printed as it is."""

    exit_code = 1


class BadOption(CommandFailed):
    """An option's value is not one Grapevine understands (a usage error)."""

    exit_code = 2


def fail(message: str) -> NoReturn:
    raise CommandFailed(message)


def validation_message(exc: ValidationError) -> str:
    """The messages of a ValidationError as plain sentences, without field names."""
    if hasattr(exc, "error_dict"):
        messages = [m for errors in exc.message_dict.values() for m in errors]
    else:
        messages = list(exc.messages)
    return " ".join(m if m.endswith((".", "!", "?")) else f"{m}." for m in messages)


def database_message(exc: DatabaseError) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__
    if "no such table" in text or ("relation" in text and "does not exist" in text):
        return (
            "The database is not set up yet: run `grapevine migrate` "
            "(or `grapevine serve`, which does it) first."
        )
    return f"Grapevine could not use its database: {text}."


def error_message(exc: BaseException) -> tuple[str, int] | None:
    """The sentence and exit code for an error a user can act on, or None."""
    if isinstance(exc, CommandFailed):
        return str(exc), exc.exit_code
    if isinstance(exc, ValidationError):
        return validation_message(exc), 1
    if isinstance(exc, UserNotFound | Http404):
        return str(exc), 1
    if isinstance(exc, DatabaseError):
        return database_message(exc), 1
    return None


class GrapevineGroup(TyperGroup):
    """The root command group: turns the errors a user can act on into one sentence.

    Every sub-command (those of other apps too) runs inside ``invoke`` of the root
    group, so this is the one place that catches them.
    """

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except Exception as exc:
            found = error_message(exc)
            if found is None:
                raise
            message, code = found
            typer.echo(message, err=True)
            raise typer.Exit(code) from None


# ---------------------------------------------------------------------------
# The acting account and output helpers
# ---------------------------------------------------------------------------

UserOption = Annotated[
    str | None,
    typer.Option(
        "--user",
        "-u",
        metavar="EMAIL",
        envvar="GRAPEVINE_USER",
        help="The account to act as. Defaults to the only account of this instance.",
        show_default=False,
    ),
]
JsonOption = Annotated[
    bool,
    typer.Option("--json", help="Print JSON (with each object's public_id) instead of a table."),
]


def acting_user(email: str | None) -> User:
    """``--user EMAIL``, or the only account; a clear sentence otherwise."""
    return user_for_cli(email)


def print_json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def print_table(title: str, columns: Iterable[str], rows: Iterable[Iterable[Any]]) -> None:
    """A Rich table; user text is shown as text, never read as Rich markup."""
    table = Table(title=title, title_justify="left", show_lines=False)
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*(Text("" if value is None else str(value)) for value in row))
    console().print(table)


def say(message: str) -> None:
    """A line for a person at a terminal (never parsed: use --json for scripts)."""
    console().print(Text(message), soft_wrap=True)


# ---------------------------------------------------------------------------
# Commands: migrate, serve
# ---------------------------------------------------------------------------


def database_migrate(verbosity: int = 0) -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=verbosity)


def database_label() -> str:
    from django.conf import settings

    db = settings.DATABASES["default"]
    if "sqlite" in db["ENGINE"]:
        return f"SQLite, {db['NAME']}"
    host = db.get("HOST") or "local socket"
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"PostgreSQL, database {db.get('NAME')} on {host}{port}"


def migrate() -> None:
    """Create or update the database tables (serve does this on start)."""
    database_migrate(verbosity=0)
    say(f"The database is up to date ({database_label()}).")


def _url(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host and not host.startswith("[") else host
    return f"http://{shown}:{port}"


def _report_checks(host: str) -> None:
    """Django's system checks; Grapevine's deployment checks when reachable from elsewhere."""
    from django.core import checks

    found = checks.run_checks()
    if host not in LOOPBACK_HOSTS:
        found += [
            m
            for m in checks.run_checks(include_deployment_checks=True)
            if str(m.id).startswith("grapevine.") and m not in found
        ]
    serious = [m for m in found if m.level >= checks.ERROR]
    for message in found:
        if message.level >= checks.WARNING and not message.is_silenced():
            hint = f" {message.hint}" if message.hint else ""
            typer.echo(f"Warning: {message.msg}{hint}", err=True)
    if serious:
        fail("Grapevine's set-up has errors (see above); fix them and start again.")


def _open_browser(url: str) -> None:
    """Open the page in the user's browser, if there is one; never fail when there is none."""
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    ):
        return  # no desktop: a text browser would take over this terminal

    def _open() -> None:
        with contextlib.suppress(Exception):  # a missing browser must never stop the server
            webbrowser.open(url, new=2)

    threading.Thread(target=_open, daemon=True).start()


def _stop_on_sigterm(signum: int, frame: Any) -> None:
    # waitress stops its loop and its worker threads cleanly on KeyboardInterrupt.
    raise KeyboardInterrupt


def serve(
    host: Annotated[
        str, typer.Option(help="Address to listen on. Keep 127.0.0.1 unless others must reach it.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    no_browser: Annotated[
        bool, typer.Option("--no-browser", help="Do not open Grapevine in a web browser.")
    ] = False,
    threads: Annotated[int, typer.Option(min=1, max=64, help="Requests served at once.")] = 8,
) -> None:
    """Start Grapevine: apply migrations, then serve it with waitress (Ctrl-C stops it)."""
    from django.conf import settings
    from django.core.wsgi import get_wsgi_application
    from django.db import connections
    from waitress.server import create_server

    # No collectstatic: with WHITENOISE_USE_FINDERS whitenoise serves the files straight
    # from the installed package, so there is nothing to copy and nothing to go stale.
    application = get_wsgi_application()
    try:
        server: Any = create_server(
            application, host=host, port=port, threads=threads, ident="Grapevine"
        )
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            fail(
                f"Port {port} on {host} is already in use (is Grapevine already running?): "
                "stop the other program or choose another port with --port."
            )
        if exc.errno == errno.EACCES:
            fail(f"Not allowed to listen on port {port}: choose a port above 1023 with --port.")
        reason = exc.strerror or str(exc)
        fail(f"Cannot listen on {host}:{port}: {reason}.")

    try:
        say("Preparing the database…")
        database_migrate(verbosity=0)
        _report_checks(host)
    except BaseException:
        server.close()
        raise
    connections.close_all()  # each server thread opens its own connection

    url = _url(host, port)
    say(f"Grapevine is running at {url}")
    say(f"Data folder: {settings.DATA_DIR}")
    say(f"Database: {database_label()}")
    if host not in LOOPBACK_HOSTS:
        say(
            "Others on the network can reach this address: set GRAPEVINE_ALLOWED_HOSTS to the "
            "names they use, and GRAPEVINE_SECRET_KEY."
        )
    say("Press Ctrl-C to stop.")
    sys.stdout.flush()

    if not no_browser:
        _open_browser(url)
    previous = signal.signal(signal.SIGTERM, _stop_on_sigterm)
    try:
        server.run()  # returns after Ctrl-C or SIGTERM, once waitress has stopped
    finally:
        signal.signal(signal.SIGTERM, previous)
        with contextlib.suppress(Exception):  # waitress may have closed it already
            server.close()
    say("Grapevine stopped.")


def register(app: typer.Typer) -> None:
    """Add the commands every instance needs to the root `grapevine` command."""
    app.command("serve", help="Start Grapevine on http://127.0.0.1:8000 (migrates first).")(serve)
    app.command("migrate", help="Create or update the database tables (serve does this too).")(
        migrate
    )
