"""R15, Dalton's 3B7: after seven business days without an answer, one follow-up — polite,
short, restating the ask as a question — and then let go."""

from __future__ import annotations

from grapevine.messaging import phrases
from grapevine.messaging.rules.base import Context, Finding, quote
from grapevine.messaging.text import Message, word_count

KINDS = frozenset({"follow-up"})

FOLLOW_UP_MAX_WORDS = 75


def check(message: Message, context: Context) -> list[Finding]:
    findings: list[Finding] = []
    text = message.reading_text
    book = phrases.load("message_phrases")
    sentences = message.sentences("body") + message.sentences("postscript")
    for match in book.asks(sentences, families=["reproach"])[:1]:
        findings.append(
            Finding(
                "R15",
                f"{quote(match.sentence.text)} reads as a reproach. Nobody owes an answer: "
                "stay warm — “I know how full a week can be” — and ask again (R15).",
            )
        )
    for match in book.asks(sentences, families=["chaser"])[:1]:
        findings.append(
            Finding(
                "R15",
                f"{quote(match.sentence.text)}: 3B7 allows one follow-up, then you let go and "
                "write to someone else at the organisation (R15).",
            )
        )
    n = word_count(text)
    if n > FOLLOW_UP_MAX_WORDS:
        findings.append(
            Finding(
                "R15",
                f"The follow-up is {n} words long; keep it under {FOLLOW_UP_MAX_WORDS}: a line "
                "to remind them, and the ask again (R15).",
            )
        )
    if "?" not in text:
        findings.append(
            Finding(
                "R15",
                "Restate your ask as a question they can answer in a line — “Would you have "
                "15 minutes in the next few weeks?” (R15).",
            )
        )
    return findings
