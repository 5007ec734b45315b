"""Users sign in with their e-mail address; there is no separate username."""

from __future__ import annotations

import os
import re
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models


def default_country() -> str:
    return (os.environ.get("GRAPEVINE_DEFAULT_COUNTRY") or "US").upper()[:2]


def default_time_zone() -> str:
    return os.environ.get("GRAPEVINE_TIME_ZONE") or "UTC"


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **extra)


class User(AbstractUser):
    username = None  # type: ignore[assignment]
    email = models.EmailField("e-mail address", unique=True)
    display_name = models.CharField(max_length=150, blank=True)
    # Where the user lives: phone numbers without a country code are read as
    # this country's, and business days skip its public holidays.
    country = models.CharField(max_length=2, default=default_country)
    time_zone = models.CharField(max_length=64, default=default_time_zone)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    def __str__(self) -> str:
        return self.email

    @property
    def label(self) -> str:
        return self.display_name or self.email

    @property
    def sign_name(self) -> str:
        """The name a draft is signed with: the display name, else the first and last name,
        else the e-mail's local part as a name ("alex.martin@…" → "Alex Martin")."""
        if self.display_name.strip():
            return self.display_name.strip()
        full = f"{self.first_name} {self.last_name}".strip()
        if full:
            return full
        local = self.email.split("@", 1)[0]
        words = [w for w in re.split(r"[._+-]+", local) if w.isalpha()]
        return " ".join(w.capitalize() for w in words) or self.email
