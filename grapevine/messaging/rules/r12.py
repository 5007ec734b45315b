"""R12: follow every lead, and report back to the person who gave it — by name."""

from __future__ import annotations

from grapevine.messaging.rules import specific
from grapevine.messaging.rules.base import Context, Finding, names_person
from grapevine.messaging.text import Message

KINDS = frozenset({"report-back"})


def check(message: Message, context: Context) -> list[Finding]:
    met = context.met.strip()
    if met:
        if names_person(message.reading_text, met):
            return []
        return [
            Finding(
                "R12",
                f"Say that you met {met}, and how it went: the person who gave you the name "
                "wants to know what came of it (R12).",
            )
        ]
    if specific.names(message):
        return []
    return [
        Finding(
            "R12",
            "Say whom you met, and how it went: the person who gave you the name wants to "
            "know what came of it (R12).",
        )
    ]
