"""R14: keep in touch — progress, an article, congratulations; never an empty "checking in"."""

from __future__ import annotations

from grapevine.messaging import phrases
from grapevine.messaging.rules import specific
from grapevine.messaging.rules.base import Context, Finding
from grapevine.messaging.text import Message

KINDS = frozenset({"keep-in-touch"})


def check(message: Message, context: Context) -> list[Finding]:
    sentences = message.sentences("body") + message.sentences("postscript")
    if phrases.load("message_phrases").asks(sentences, families=["news"]):
        return []
    if specific.is_specific(message):
        return []
    return [
        Finding(
            "R14",
            "Give them something: news of your search, an article they would like, "
            "congratulations on theirs. “Just checking in” gives them nothing to answer (R14).",
        )
    ]
