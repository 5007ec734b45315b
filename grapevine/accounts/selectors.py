"""Reads of accounts."""

from __future__ import annotations

from grapevine.accounts.models import User


def user_list() -> list[User]:
    """Every account, for the operator's `grapevine user list` (deliberately not owner-scoped)."""
    return list(User.objects.order_by("email"))


class UserNotFound(Exception):
    """Raised with a sentence the CLI can print as it is."""


def user_for_cli(email: str | None) -> User:
    """The account a CLI command acts as: ``--user EMAIL``, or the only account there is."""
    if email:
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise UserNotFound(f"No account with the e-mail address {email}.")
        return user
    users = list(User.objects.order_by("id")[:2])
    if not users:
        raise UserNotFound(
            "There is no account yet: create one with `grapevine user create EMAIL`."
        )
    if len(users) > 1:
        raise UserNotFound("This instance has several accounts: say which with --user EMAIL.")
    return users[0]
