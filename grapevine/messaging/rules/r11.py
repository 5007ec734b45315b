"""R11: thank within 24 hours, specifically — the points discussed, what you will act on.

With the meeting's notes, the thank-you raises at least one of their points in its own
words; without notes, it names something specific: a person, an organisation, an idea, an
action. "Thank you for your time, it was very helpful" is the "flat" message of seed 000."""

from __future__ import annotations

import re

from grapevine.messaging.rules import specific
from grapevine.messaging.rules.base import Context, Finding
from grapevine.messaging.text import Message, tokenise

KINDS = frozenset({"thank-you"})


def note_points(notes: str) -> list[str]:
    """The points of some notes: one per line or bullet, mentions cleaned of @ and #."""
    points = []
    for line in notes.splitlines():
        line = re.sub(r"^\s*(?:[-*•]|\d+[.)])\s*", "", line).strip()
        line = line.replace("@", "").replace("#", "").replace("_", " ")
        if re.search(r"\w{3,}", line):
            points.append(line)
    return points


def raises_a_point(message: Message, notes: str) -> bool:
    said = specific.content_stems(tokenise(message.reading_text), minimum=3)
    for point in note_points(notes):
        point_stems = specific.content_stems(tokenise(point), minimum=3)
        shared = point_stems & said
        if len(shared) >= 2 or (shared and len(point_stems) <= 2):
            return True
    return False


def check(message: Message, context: Context) -> list[Finding]:
    if note_points(context.notes):
        if raises_a_point(message, context.notes):
            return []
        return [
            Finding(
                "R11",
                "The thank-you raises none of the points in your notes. Name one you discussed "
                "and say what you will do about it — that is what they remember (R11).",
            )
        ]
    if specific.is_specific(message):
        return []
    return [
        Finding(
            "R11",
            "The thank-you names nothing from the meeting. Mention one thing they said — an "
            "idea, a person, a company — and what you will do about it, so it does not read "
            "like a form letter (R11, seed 000).",
        )
    ]
