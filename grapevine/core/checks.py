"""System checks for self-hosting mistakes (run by `grapevine serve` and `manage.py check`)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Warning, register


@register(deploy=True)
def secret_key_given_when_public(app_configs: Any, **kwargs: Any) -> list[Warning]:
    public = [h for h in settings.ALLOWED_HOSTS if h not in ("127.0.0.1", "localhost", "[::1]")]
    if public and not settings.SECRET_KEY_FROM_ENV:
        return [
            Warning(
                "Grapevine is reachable beyond this machine but its secret key lives in the data folder.",
                hint="Set GRAPEVINE_SECRET_KEY in the environment of every app process.",
                id="grapevine.W001",
            )
        ]
    return []


@register()
def debug_off_when_public(app_configs: Any, **kwargs: Any) -> list[Warning]:
    public = [h for h in settings.ALLOWED_HOSTS if h not in ("127.0.0.1", "localhost", "[::1]")]
    if settings.DEBUG and public:
        return [
            Warning(
                "GRAPEVINE_DEBUG is on while Grapevine answers to other hosts.",
                hint="Unset GRAPEVINE_DEBUG on a hosted instance: debug pages show settings and data.",
                id="grapevine.W002",
            )
        ]
    return []
