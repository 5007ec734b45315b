"""`grapevine user …` for operators, and what every command shares: help, errors, --user."""

from __future__ import annotations

import json

import pytest
import typer
from typer.testing import CliRunner, Result

from grapevine.accounts.models import User
from grapevine.cli import get_app
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def grapevine(*args: str, input: str | None = None) -> Result:
    return CliRunner(env={"COLUMNS": "200"}).invoke(get_app(), list(args), input=input)


def test_first_account_administers_the_instance(db: None) -> None:
    result = grapevine("user", "create", "Seeker@Example.org", "--password", PASSWORD, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["email"] == "seeker@example.org"
    user = User.objects.get()
    assert user.is_superuser and user.check_password(PASSWORD)

    second = grapevine("user", "create", "coach@example.org", "--password", PASSWORD)
    assert second.exit_code == 0, second.output
    assert "Created the account coach@example.org." in second.stdout
    assert not User.objects.get(email="coach@example.org").is_superuser


def test_weak_password_is_refused_with_djangos_reason(db: None) -> None:
    result = grapevine("user", "create", "seeker@example.org", "--password", "password")
    assert result.exit_code == 1
    assert "This password is too common." in result.stderr
    assert "Traceback" not in result.output
    assert not User.objects.exists()


def test_same_email_twice_is_refused(owner: User) -> None:
    result = grapevine("user", "create", "OWNER@example.org", "--password", PASSWORD)
    assert result.exit_code == 1
    assert "An account with this e-mail address already exists." in result.stderr
    assert User.objects.count() == 1


def test_not_an_email_is_refused(db: None) -> None:
    result = grapevine("user", "create", "seeker", "--password", PASSWORD)
    assert result.exit_code == 1
    assert "“seeker” is not an e-mail address." in result.stderr


def test_without_password_and_terminal_it_says_how(db: None) -> None:
    result = grapevine("user", "create", "seeker@example.org")
    assert result.exit_code == 1
    assert "Give the password with --password: there is no terminal to ask for it." in result.stderr
    assert not User.objects.exists()


def test_password_is_asked_twice_in_a_terminal(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("grapevine.accounts.cli._stdin_is_terminal", lambda: True)
    result = grapevine("user", "create", "seeker@example.org", input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert "Repeat for confirmation" in result.output
    assert User.objects.get().check_password(PASSWORD)


def test_user_list(owner: User, other: User) -> None:
    as_json = json.loads(grapevine("user", "list", "--json").stdout)
    assert [u["email"] for u in as_json] == ["other@example.org", "owner@example.org"]
    table = grapevine("user", "list")
    assert "owner@example.org" in table.stdout and "2 account(s)" in table.stdout


def test_help_lists_every_command_with_a_line() -> None:
    result = grapevine("--help")
    assert result.exit_code == 0
    for name in ("serve", "user", "contacts", "orgs", "journal"):
        assert f" {name} " in result.stdout


def _commands(group: typer.main.TyperGroup, prefix: str = ""):  # type: ignore[no-untyped-def]
    for name, command in group.commands.items():
        yield f"{prefix}{name}", command
        if isinstance(command, typer.main.TyperGroup):
            yield from _commands(command, f"{prefix}{name} ")


def test_every_command_has_help_text() -> None:
    root = typer.main.get_command(get_app())
    assert isinstance(root, typer.main.TyperGroup)
    missing = [
        name for name, command in _commands(root) if not (command.help or command.short_help)
    ]
    assert missing == []
    data_commands = [
        "contacts add",
        "contacts list",
        "contacts show",
        "orgs list",
        "journal add",
        "journal list",
    ]
    found = dict(_commands(root))
    for name in data_commands:
        assert "--user" in [opt for p in found[name].params for opt in p.opts], name
        assert "--json" in [opt for p in found[name].params for opt in p.opts], name


def test_unmigrated_database_gives_a_sentence_not_a_traceback(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.db import OperationalError

    def broken(owner_email: str | None) -> User:
        raise OperationalError("no such table: accounts_user")

    monkeypatch.setattr("grapevine.contacts.cli.acting_user", broken)
    result = grapevine("contacts", "list")
    assert result.exit_code == 1
    assert "The database is not set up yet: run `grapevine migrate`" in result.stderr


def test_an_unexpected_error_is_one_sentence_from_the_grapevine_command(
    owner: User, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from grapevine.cli import main

    def broken(email: str | None) -> User:
        raise RuntimeError("the disk is full")

    monkeypatch.setattr("grapevine.contacts.cli.acting_user", broken)
    monkeypatch.delenv("GRAPEVINE_DEBUG", raising=False)
    with pytest.raises(SystemExit) as stopped:
        main(["contacts", "list"])
    assert stopped.value.code == 1
    err = capsys.readouterr().err
    assert "Grapevine stopped on an unexpected error (RuntimeError: the disk is full)." in err
    assert "Traceback" not in err


def test_user_create_takes_the_name_drafts_are_signed_with(db: None) -> None:
    result = grapevine(
        "user",
        "create",
        "alex@example.org",
        "--password",
        PASSWORD,
        "--name",
        "  Alex   Martin ",
        "--json",
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["name"] == "Alex Martin"
    user = User.objects.get()
    assert user.display_name == "Alex Martin" and user.sign_name == "Alex Martin"
    too_long = grapevine(
        "user", "create", "b@example.org", "--password", PASSWORD, "--name", "x" * 151
    )
    assert too_long.exit_code == 1 and "longer than 150" in too_long.stderr
    assert User.objects.count() == 1
