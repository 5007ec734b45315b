"""The daily digest e-mail: one message a day per opted-in user with the actions due.

Run by ``grapevine remind [--loop]``. Several workers may run at once: each digest is
claimed with a conditional UPDATE (``services.digest_claim``) before anything is sent,
so nobody gets two.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import close_old_connections
from django.template.loader import render_to_string
from django.utils import timezone

from grapevine.accounts.models import User
from grapevine.coach.agenda import Agenda, agenda_for
from grapevine.coach.calendar import user_zone
from grapevine.coach.selectors import digest_candidates
from grapevine.coach.services import digest_claim, digest_release

log = logging.getLogger(__name__)


def digest_message(user: User, agenda: Agenda) -> EmailMultiAlternatives:
    due = agenda.due_now
    n = len(due)
    subject = f"Grapevine: {n} thing{'s' if n != 1 else ''} to do today ({agenda.today:%A} {agenda.today.day} {agenda.today:%B})"
    context = {
        "user": user,
        "agenda": agenda,
        "actions": due,
        "site_url": settings.SITE_URL,
    }
    text = render_to_string("coach/digest.txt", context)
    html = render_to_string("coach/digest.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [user.email])
    message.attach_alternative(html, "text/html")
    return message


def digest_send_due(now: dt.datetime | None = None, stop: threading.Event | None = None) -> int:
    """Send the digests due now; returns how many e-mails this worker sent."""
    now = now or timezone.now()
    sent = 0
    # A list, not an iterator: the claims below write to the rows being read.
    for coach_settings in list(digest_candidates()):
        if stop is not None and stop.is_set():
            break
        user = coach_settings.user
        local_now = now.astimezone(user_zone(user))
        today = local_now.date()
        if local_now.hour < coach_settings.digest_hour:
            continue
        if coach_settings.last_digest_on is not None and coach_settings.last_digest_on >= today:
            continue
        previous = coach_settings.last_digest_on
        if not digest_claim(user, today):
            continue  # another worker has it
        agenda = agenda_for(user, now)
        if not agenda.due_now:
            continue  # nothing due: no e-mail today
        try:
            digest_message(user, agenda).send()
        except Exception:
            log.exception("The digest to %s could not be sent; it will be tried again.", user.email)
            digest_release(user, today, previous)
            continue
        sent += 1
    return sent


def digest_loop(stop: threading.Event, interval: float) -> int:
    """Send due digests until ``stop`` is set (SIGTERM or Ctrl-C)."""
    total = 0
    while not stop.is_set():
        try:
            total += digest_send_due(stop=stop)
        except Exception:  # a database hiccup must not kill the worker
            log.exception("The digest run failed; trying again in %s seconds.", interval)
        close_old_connections()
        stop.wait(interval)
    return total
