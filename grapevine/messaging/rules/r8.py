"""R8: "we're not hiring" is answered with "I'm not asking for a job, I'd like to learn"."""

from __future__ import annotations

from grapevine.messaging import phrases
from grapevine.messaging.rules.base import Context, Finding
from grapevine.messaging.text import Message

KINDS = frozenset({"not-hiring"})


def check(message: Message, context: Context) -> list[Finding]:
    sentences = message.sentences("body") + message.sentences("postscript")
    if phrases.load("message_phrases").asks(sentences, families=["learn"]):
        return []
    return [
        Finding(
            "R8",
            "Say that you are not asking for a job and would like to learn from them — their "
            "view of the field, their advice (R8, seed 002).",
        )
    ]
