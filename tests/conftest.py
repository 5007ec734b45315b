"""Shared personas: the owner, another user on the same instance, and a coach.

Like healthchecks' alice/bob/charlie: every app's tests prove that ``other``
gets a 404 for ``owner``'s rows.
"""

from __future__ import annotations

import pytest
from django.test import Client

from grapevine.accounts.models import User
from tests.factories import UserFactory

PASSWORD = "correct horse battery staple"


@pytest.fixture
def owner(db: None) -> User:
    return UserFactory(email="owner@example.org")


@pytest.fixture
def other(db: None) -> User:
    return UserFactory(email="other@example.org")


@pytest.fixture
def coach(db: None) -> User:
    return UserFactory(email="coach@example.org")


def _client_for(user: User) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def owner_client(owner: User) -> Client:
    return _client_for(owner)


@pytest.fixture
def other_client(other: User) -> Client:
    return _client_for(other)


@pytest.fixture(autouse=True)
def _isolated_settings(settings, tmp_path):  # type: ignore[no-untyped-def]
    # Tests never touch the developer's data folder or send real mail.
    settings.DATA_DIR = tmp_path
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.AXES_ENABLED = True
    settings.SIGNUP_OPEN = False
