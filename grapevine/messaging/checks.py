"""Checks on a message against the method's rules. Each finding cites its rule.

Pure functions over text, so the web page, the CLI (`grapevine check-message`) and the
tests run the very same checks. Each rule is a module of ``messaging/rules/`` read through
its registry; the phrases the rules look for are in ``messaging/data/*.toml``. A finding of
level "error" makes the message not ok; a "hint" is advice and never fails a message.
"""

from __future__ import annotations

from grapevine.messaging import text as message_text
from grapevine.messaging.rules import REGISTRY
from grapevine.messaging.rules.base import Context, Finding, Report
from grapevine.messaging.rules.gaps import MAIN_RULE
from grapevine.messaging.rules.r4 import asked_minutes
from grapevine.messaging.rules.r11 import note_points

#: The kinds of message the checks know.
CHECK_KINDS = (
    "request",
    "follow-up",
    "thank-you",
    "report-back",
    "not-hiring",
    "confirmation",
    "keep-in-touch",
)

__all__ = [
    "CHECK_KINDS",
    "MAIN_RULE",
    "Finding",
    "Report",
    "asked_minutes",
    "body_word_count",
    "check_message",
    "check_no_job_ask",
    "note_points",
    "word_count",
]


def word_count(text: str) -> int:
    return message_text.word_count(text)


def body_word_count(text: str) -> int:
    """The words a reader reads: the body and any P.S., not the subject, greeting or signature."""
    return message_text.word_count(message_text.parse(text).reading_text)


def check_no_job_ask(text: str, kind: str = "") -> list[Finding]:
    """R1 alone, on any text."""
    from grapevine.messaging.rules import r1

    return r1.check(message_text.parse(text), Context(kind=kind))


def check_message(
    text: str,
    kind: str,
    *,
    referrer: str = "",
    notes: str = "",
    met: str = "",
    subject: str = "",
) -> Report:
    """Run every check that applies to a message of ``kind`` (see CHECK_KINDS).

    ``referrer``: who referred you (R7); ``notes``: the meeting notes a thank-you should
    draw on (R11); ``met``: the person a report-back is about (R12); ``subject``: the
    subject line when it is not the text's own first "Subject:" line."""
    if kind not in CHECK_KINDS:
        raise ValueError(f"Unknown kind “{kind}”: choose one of {', '.join(CHECK_KINDS)}.")
    message = message_text.parse(f"Subject: {subject}\n\n{text}" if subject.strip() else text)
    context = Context(kind=kind, referrer=referrer, notes=notes, met=met)
    findings: list[Finding] = []
    for rule in REGISTRY:
        if kind in rule.KINDS:
            findings += rule.check(message, context)
    return Report(findings)
