"""Creating accounts. Sign-up is open for the first account only unless the operator
opens it (GRAPEVINE_SIGNUP=open)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from grapevine.accounts.models import User


def signup_is_open() -> bool:
    return settings.SIGNUP_OPEN or not User.objects.exists()


def user_create(
    email: str, password: str | None, *, is_staff: bool = False, display_name: str = ""
) -> User:
    """Create an account. The very first account of an instance is its administrator.

    ``display_name`` is the name drafts are signed with (messaging)."""
    display_name = " ".join(display_name.split())
    if len(display_name) > 150:  # User.display_name holds 150
        raise ValidationError({"display_name": "The name is longer than 150 characters."})
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": f"“{email}” is not an e-mail address."}) from None
    with transaction.atomic():
        if User.objects.filter(email__iexact=email).exists():
            raise ValidationError({"email": "An account with this e-mail address already exists."})
        first = not User.objects.exists()
        user = User(
            email=email, is_staff=is_staff or first, is_superuser=first, display_name=display_name
        )
        if password is not None:
            validate_password(password, user)
        user.set_password(password)
        user.save()
    return user
