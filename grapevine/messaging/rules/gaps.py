"""A draft's "[what you will do next]" or "{first_name}" still waits to be written."""

from __future__ import annotations

import re

from grapevine.messaging.rules.base import Context, Finding
from grapevine.messaging.text import Message

KINDS = frozenset(
    {
        "request",
        "follow-up",
        "not-hiring",
        "confirmation",
        "thank-you",
        "report-back",
        "keep-in-touch",
    }
)

#: The rule each kind of message serves, cited when it still has gaps to fill.
MAIN_RULE = {
    "request": "R1",
    "follow-up": "R15",
    "thank-you": "R11",
    "report-back": "R12",
    "not-hiring": "R8",
    "confirmation": "R4",
    "keep-in-touch": "R14",
}
_GAP = re.compile(r"\[[^\]\n]{2,60}\]|\{[a-z_]+\}")


def check(message: Message, context: Context) -> list[Finding]:
    text = message.raw
    gaps = list(dict.fromkeys(m.group(0) for m in _GAP.finditer(text)))
    if not gaps:
        return []
    shown = ", ".join(f"“{g}”" for g in gaps[:3])
    return [
        Finding(
            MAIN_RULE[context.kind],
            f"Fill in {shown} before sending: a specific message gets answered.",
        )
    ]
