"""Accounts: the first page of a fresh instance, closed sign-up, rate-limited login."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from grapevine.accounts.models import User
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_fresh_instance_opens_on_create_your_account() -> None:
    response = Client().get("/", follow=True)
    assert response.status_code == 200
    assert b"Create your account" in response.content


def test_first_account_is_created_and_signed_in() -> None:
    client = Client()
    response = client.post(
        reverse("accounts:signup"),
        {
            "email": "Seeker@Example.org",
            "password1": "a long enough pass phrase",
            "password2": "a long enough pass phrase",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert b"Where to start" in response.content
    user = User.objects.get()
    assert user.email == "seeker@example.org"
    assert user.is_superuser  # the first account administers the instance


def test_weak_password_is_refused_with_the_reason() -> None:
    response = Client().post(
        reverse("accounts:signup"),
        {"email": "seeker@example.org", "password1": "password", "password2": "password"},
    )
    assert response.status_code == 200
    assert b"This password is too common" in response.content
    assert not User.objects.exists()


def test_mismatched_passwords_are_refused() -> None:
    response = Client().post(
        reverse("accounts:signup"),
        {
            "email": "seeker@example.org",
            "password1": "a long enough pass phrase",
            "password2": "another long phrase",
        },
    )
    assert b"The two passwords differ" in response.content
    assert not User.objects.exists()


def test_signup_is_closed_after_the_first_account(owner: User) -> None:
    response = Client().get(reverse("accounts:signup"))
    assert response.status_code == 403
    assert b"Sign-up is closed" in response.content
    response = Client().post(
        reverse("accounts:signup"),
        {
            "email": "late@example.org",
            "password1": "a long enough pass phrase",
            "password2": "a long enough pass phrase",
        },
    )
    assert response.status_code == 403
    assert not User.objects.filter(email="late@example.org").exists()


def test_operator_can_open_signup(owner: User, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SIGNUP_OPEN = True
    response = Client().get(reverse("accounts:signup"))
    assert response.status_code == 200
    assert b"Create your account" in response.content


def test_login_then_dashboard(owner: User) -> None:
    client = Client()
    response = client.post(
        reverse("accounts:login"), {"username": owner.email, "password": PASSWORD}, follow=True
    )
    assert response.status_code == 200
    assert b"Today" in response.content
    assert response.wsgi_request.user == owner


def test_login_is_rate_limited(owner: User) -> None:
    client = Client()
    for _ in range(5):
        client.post(reverse("accounts:login"), {"username": owner.email, "password": "wrong"})
    # Even the right password is refused while the lock-out lasts.
    response = client.post(
        reverse("accounts:login"), {"username": owner.email, "password": PASSWORD}
    )
    assert response.status_code == 429
    assert b"Too many failed logins" in response.content
    assert "_auth_user_id" not in client.session


def test_pages_need_login(owner: User) -> None:
    response = Client().get(reverse("core:dashboard"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
