"""System checks of the coach: reminders switched on without a way to send them."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Warning, register
from django.db import DatabaseError


@register(deploy=True)
def digest_needs_smtp(app_configs: Any, **kwargs: Any) -> list[Warning]:
    if "console" not in settings.EMAIL_BACKEND and "locmem" not in settings.EMAIL_BACKEND:
        return []
    from grapevine.coach.models import CoachSettings

    try:
        users = CoachSettings.objects.filter(digest_enabled=True).count()
    except DatabaseError:  # not migrated yet: nothing to say
        return []
    if not users:
        return []
    return [
        Warning(
            f"{users} user(s) asked for the daily digest e-mail, but no SMTP server is set.",
            hint="Set GRAPEVINE_SMTP_HOST (and _PORT, _USER, _PASSWORD) for `grapevine remind`.",
            id="grapevine.W101",
        )
    ]
