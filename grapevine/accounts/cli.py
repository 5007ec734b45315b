"""`grapevine user …`: accounts, for whoever runs the instance."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from django.utils import timezone

from grapevine.accounts.models import User
from grapevine.accounts.selectors import user_list
from grapevine.accounts.services import user_create
from grapevine.core.cli import JsonOption, database_migrate, fail, print_json, print_table, say

app = typer.Typer(no_args_is_help=True, help="Create and list accounts (for operators).")


def _stdin_is_terminal() -> bool:
    return sys.stdin.isatty()


def _user_as_json(user: User) -> dict[str, object]:
    return {
        "email": user.email,
        "name": user.display_name,
        "is_admin": user.is_superuser,
        "is_staff": user.is_staff,
        "is_active": user.is_active,
        "date_joined": user.date_joined.isoformat(),
        "last_login": user.last_login.isoformat() if user.last_login else None,
    }


@app.command("create")
def create(
    email: Annotated[str, typer.Argument(help="The e-mail address the person signs in with.")],
    password: Annotated[
        str | None,
        typer.Option(
            help="The password. Leave out to be asked for it twice (it then never shows in your shell history)."
        ),
    ] = None,
    name: Annotated[
        str,
        typer.Option(
            "--name", help="The person's name, as their drafts are signed (e.g. “Alex Martin”)."
        ),
    ] = "",
    as_json: JsonOption = False,
) -> None:
    """Create an account (the first one administers the instance). Passwords follow Django's rules."""
    database_migrate()  # an operator may create the first account before the first `serve`
    if password is None:
        if not _stdin_is_terminal():
            fail("Give the password with --password: there is no terminal to ask for it.")
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    user = user_create(email, password, display_name=name)
    if as_json:
        print_json(_user_as_json(user))
        return
    role = " It administers this instance, being the first." if user.is_superuser else ""
    say(f"Created the account {user.email}.{role}")


@app.command("list")
def list_users(as_json: JsonOption = False) -> None:
    """List the accounts of this instance."""
    # The operator's view of the whole instance: not scoped to one owner on purpose.
    users = user_list()
    if as_json:
        print_json([_user_as_json(u) for u in users])
        return
    if not users:
        say("There is no account yet: create one with `grapevine user create EMAIL`.")
        return
    print_table(
        f"{len(users)} account(s)",
        ["E-mail", "Admin", "Joined", "Last login"],
        (
            [
                u.email,
                "yes" if u.is_superuser else "",
                timezone.localtime(u.date_joined).strftime("%Y-%m-%d"),
                timezone.localtime(u.last_login).strftime("%Y-%m-%d %H:%M")
                if u.last_login
                else "never",
            ]
            for u in users
        ),
    )
