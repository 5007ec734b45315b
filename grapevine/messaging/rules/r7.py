"""R7: warm, not cold — a referred contact hears the referrer's name first.

"Dr. Okafor suggested I contact you" counts: the name may carry an honorific, an initial or
only the first or the family name. A name only in a P.S., only after the first paragraph,
or missing, fails; in the first paragraph but not the first sentence, it is a hint."""

from __future__ import annotations

from grapevine.messaging import phrases
from grapevine.messaging.rules.base import Context, Finding, names_person
from grapevine.messaging.text import Message

KINDS = frozenset({"request", "follow-up"})


def check(message: Message, context: Context) -> list[Finding]:
    referrer = context.referrer.strip()
    if not referrer:
        return []
    body = message.sentences("body")
    if context.kind == "follow-up":
        if names_person(message.reading_text, referrer):
            return []
        return [
            Finding(
                "R7",
                f"Remind them that {referrer} suggested you write: a referrer's name is what "
                "gets a busy person to answer (R7).",
            )
        ]
    pleasantries = phrases.load("message_phrases")
    first = 0
    while first < len(body) - 1 and pleasantries.asks([body[first]], families=["pleasantry"]):
        first += 1
    if body and names_person(body[first].text, referrer):
        return []
    paragraph = body[first].paragraph if body else 0
    if any(names_person(s.text, referrer) for s in body if s.paragraph == paragraph):
        return [
            Finding(
                "R7",
                f"Move {referrer}'s name into your first sentence — “{referrer} suggested I "
                "contact you…” — so they read why you write before anything else (R7).",
                "hint",
            )
        ]
    if any(names_person(s.text, referrer) for s in body):
        where = "comes only after your first paragraph"
    elif names_person(message.postscript, referrer):
        where = "is only in the P.S."
    else:
        return [
            Finding(
                "R7",
                f"The message does not name {referrer}, who referred you. Start with their name "
                "and the reason they gave — a warm request gets a yes far more often (R7).",
            )
        ]
    return [
        Finding(
            "R7",
            f"{referrer}'s name {where}: open with it — “{referrer} suggested I contact "
            "you…” — and the reason they gave. Read first, it turns a cold message warm (R7).",
        )
    ]
