"""`grapevine remind`: one digest e-mail a day per opted-in user, however many workers run.

The multi-worker test starts two real `grapevine remind --loop` processes against a
real SMTP server (aiosmtpd) and one database: a SQLite file in a temporary data folder
or, when DATABASE_URL is set, this test run's PostgreSQL database. Each digest is
claimed with a conditional UPDATE, so each user gets exactly one e-mail; SIGTERM stops
both workers cleanly.
"""

from __future__ import annotations

import datetime as dt
import email
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.core import mail
from django.db import connection
from django.utils import timezone

from grapevine.accounts.models import User
from grapevine.coach.digest import digest_send_due
from grapevine.coach.models import CoachSettings
from grapevine.coach.services import digest_claim, settings_update, todo_create
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parent.parent


class Inbox:
    """An aiosmtpd handler that keeps every message it receives."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            self.messages.append(email.message_from_bytes(envelope.content))
        return "250 Message accepted for delivery"

    def recipients(self) -> list[str]:
        with self.lock:
            return sorted(str(m["To"]) for m in self.messages)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


# -- in-process ----------------------------------------------------------------------


def test_claim_is_taken_once_a_day(owner: User) -> None:
    settings_update(owner, digest_enabled=True)
    today = dt.date(2026, 3, 2)
    assert digest_claim(owner, today) is True
    assert digest_claim(owner, today) is False  # a second worker gets nothing
    assert digest_claim(owner, today + dt.timedelta(days=1)) is True  # the next day is new


def test_digest_lists_due_actions_in_one_email_and_skips_users_without_digest(
    owner: User, other: User
) -> None:
    settings_update(owner, digest_enabled=True, digest_hour=0)
    settings_update(other, digest_enabled=False)
    today = timezone.localdate()
    todo_create(owner, title="Call Ana about the pricing report", due_on=today)
    todo_create(owner, title="Send John the article", due_on=today)
    todo_create(other, title="Not opted in", due_on=today)

    assert digest_send_due() == 1
    [message] = mail.outbox
    assert message.to == ["owner@example.org"]
    assert "Call Ana about the pricing report" in message.body
    assert "Send John the article" in message.body
    assert "2 things to do today" in message.subject
    assert digest_send_due() == 0  # not twice the same day
    assert len(mail.outbox) == 1


def test_no_email_when_nothing_is_due_or_before_the_digest_hour(owner: User) -> None:
    settings_update(owner, digest_enabled=True, digest_hour=8)
    todo_create(owner, title="Call Ana", due_on=dt.date(2026, 3, 2))
    early = dt.datetime(2026, 3, 2, 6, tzinfo=dt.UTC)
    assert digest_send_due(now=early) == 0
    assert CoachSettings.objects.get(user=owner).last_digest_on is None  # not claimed yet
    assert digest_send_due(now=early.replace(hour=9)) == 1

    nothing = UserFactory(email="idle@example.org")
    settings_update(nothing, digest_enabled=True, digest_hour=0)
    assert digest_send_due(now=early.replace(hour=10)) == 0


def test_a_failed_send_is_tried_again(owner: User, settings: Any) -> None:
    settings_update(owner, digest_enabled=True, digest_hour=0)
    todo_create(owner, title="Call Ana", due_on=timezone.localdate())
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nobody listens
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    assert digest_send_due() == 0
    assert CoachSettings.objects.get(user=owner).last_digest_on is None
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert digest_send_due() == 1


# -- two real worker processes -------------------------------------------------------

SETUP = """
import datetime as dt
from django.utils import timezone
from grapevine.accounts.models import User
from grapevine.coach.services import settings_update, todo_create
for n in range(3):
    user = User.objects.create_user(f"seeker{n}@example.org", "pw-not-used-here")
    settings_update(user, digest_enabled=n < 2, digest_hour=0)
    todo_create(user, title=f"Write to contact {n}", due_on=timezone.localdate())
"""


def _database_env(tmp_path: Path) -> dict[str, str]:
    env = {**os.environ, "GRAPEVINE_DATA_DIR": str(tmp_path), "PYTHONPATH": str(ROOT)}
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        env["DATABASE_URL"] = (
            f"postgres://{db['USER']}:{db.get('PASSWORD') or ''}@{db.get('HOST') or '127.0.0.1'}:"
            f"{db.get('PORT') or 5432}/{db['NAME']}"
        )
    else:
        env.pop("DATABASE_URL", None)  # a SQLite file in the temporary data folder
    return env


def _grapevine(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - this Python, our own command
        [sys.executable, "-m", "grapevine.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_exactly_one_digest_per_user(
    tmp_path: Path, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    env = _database_env(tmp_path)
    env.update(
        GRAPEVINE_SMTP_HOST="127.0.0.1",
        GRAPEVINE_SMTP_PORT=str(port),
        GRAPEVINE_SMTP_TLS="no",
        GRAPEVINE_SMTP_SSL="no",
        GRAPEVINE_FROM_EMAIL="coach@grapevine.test",
    )
    if connection.vendor != "postgresql":
        migrated = _grapevine(env, "migrate")
        assert migrated.returncode == 0, migrated.stderr
    made = subprocess.run(  # noqa: S603 - this Python, a fixed script
        [sys.executable, "-c", "from grapevine.cli import setup_django; setup_django()\n" + SETUP],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert made.returncode == 0, made.stderr

    workers = [
        subprocess.Popen(
            [sys.executable, "-m", "grapevine.cli", "remind", "--loop", "--interval", "0.2"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    try:
        deadline = time.monotonic() + 60
        while len(inbox.recipients()) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        # Let both workers go round their loops several more times: nobody gets a second one.
        time.sleep(2)
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        outputs = [worker.communicate(timeout=60) for worker in workers]

    assert inbox.recipients() == ["seeker0@example.org", "seeker1@example.org"]
    for worker, (out, err) in zip(workers, outputs, strict=True):
        assert worker.returncode == 0, err
        assert "Stopped;" in out
    sent = sorted(int(out.rsplit("Stopped; ", 1)[1].split()[0]) for out, _ in outputs)
    assert sum(sent) == 2
    [first, _] = inbox.messages
    assert first["From"] == "coach@grapevine.test"
    body = first.get_payload(0).get_payload(decode=True).decode()  # type: ignore[union-attr]
    assert "Write to contact" in body

    # A one-shot run the same day sends nothing more.
    again = _grapevine(env, "remind")
    assert again.returncode == 0, again.stderr
    assert "0 digest e-mails sent." in again.stdout
    assert len(inbox.recipients()) == 2


def test_deploy_check_warns_when_digests_are_on_without_smtp(owner: User, settings: Any) -> None:
    from grapevine.coach.checks import digest_needs_smtp

    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    assert digest_needs_smtp(None) == []
    settings_update(owner, digest_enabled=True)
    [warning] = digest_needs_smtp(None)
    assert "GRAPEVINE_SMTP_HOST" in (warning.hint or "")
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    assert digest_needs_smtp(None) == []
