"""R4: ask for a short meeting — 15 to 20 minutes by default, never more than 30.

For a request: the body (not the subject or signature) stays short, it says the meeting is
short, and it asks — a question they can say yes to, or a next step the writer commits to
("I will call you on Thursday"). A follow-up, a not-hiring answer and a confirmation never
ask for more than 30 minutes; a confirmation says when."""

from __future__ import annotations

import re

from grapevine.messaging import phrases
from grapevine.messaging.rules.base import Context, Finding
from grapevine.messaging.text import Message, word_count

KINDS = frozenset({"request", "follow-up", "not-hiring", "confirmation"})

REQUEST_MAX_WORDS = 100
MAX_MINUTES = 30

_HOURS = re.compile(
    r"\b(an?|one|two|1|2|1\.5|couple of|an? hour or|one and a half)\s+hours?\b|\bhour-long\b",
    re.IGNORECASE,
)
_HALF_HOUR = re.compile(r"\bhalf an hour\b|\bhalf-hour\b", re.IGNORECASE)
_MINUTES = re.compile(
    r"(\d{1,3})(?:\s*(?:-|\u2013|to)\s*(\d{1,3}))?\s*(?:-\s*)?(?:minutes?|mins?)\b", re.IGNORECASE
)
_HOUR_VALUES = {"two": 120, "2": 120, "1.5": 90, "couple of": 120, "one and a half": 90}
_WEEKDAY = r"(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?"
_MONTH = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
_WHEN = re.compile(
    rf"\b{_WEEKDAY}\b|\b(?:today|tomorrow|tonight|this (?:morning|afternoon|evening))\b|"
    rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}\b|\b{_MONTH}\s+\d{{1,2}}\b|"
    r"\b\d{1,2}[/.-]\d{1,2}(?:[/.-]\d{2,4})?\b|\b\d{1,2}[:.h]\d{2}\b|"
    r"\b\d{1,2}\s*(?:am|pm|a\.m\.|p\.m\.|o'clock)|\b(?:noon|midday)\b|\b\d{4}-\d{2}-\d{2}\b",
    re.IGNORECASE,
)


def asked_minutes(text: str) -> list[int]:
    """Every length the text asks for, in minutes ("20 minutes", "15-20 min", "an hour")."""
    found = [int(m.group(2) or m.group(1)) for m in _MINUTES.finditer(text)]
    halves = len(_HALF_HOUR.findall(text))
    for match in _HOURS.finditer(_HALF_HOUR.sub(" ", text)):
        amount = (match.group(1) or "").lower()
        found.append(_HOUR_VALUES.get(amount, 60))
    found.extend([30] * halves)
    return found


def _book() -> phrases.PhraseBook:
    return phrases.load("message_phrases")


def check_minutes(text: str) -> list[Finding]:
    too_long = [m for m in asked_minutes(text) if m > MAX_MINUTES]
    if not too_long:
        return []
    return [
        Finding(
            "R4",
            f"The message asks for {max(too_long)} minutes: ask for 15 or 20, never more than "
            f"{MAX_MINUTES}. Keep it short and end on time — they may choose to go on (R4).",
        )
    ]


def check(message: Message, context: Context) -> list[Finding]:
    text = message.reading_text
    findings = check_minutes(text)
    if context.kind == "request":
        findings += _request_checks(message, text, bool(findings))
    elif context.kind == "confirmation" and not _WHEN.search(f"{message.subject}\n{text}"):
        findings.append(
            Finding(
                "R4",
                "Say when you meet — the day and the time — and for how long, so the meeting "
                "starts and ends as agreed (R4).",
            )
        )
    return findings


def _request_checks(message: Message, text: str, too_long: bool) -> list[Finding]:
    findings: list[Finding] = []
    n = word_count(text)
    if n > REQUEST_MAX_WORDS:
        findings.append(
            Finding(
                "R4",
                f"The message is {n} words long, not counting the greeting and signature; keep "
                f"it to {REQUEST_MAX_WORDS} at most — a short message, like the short meeting it "
                "asks for, gets answered (R4).",
            )
        )
    sentences = message.sentences("body") + message.sentences("postscript")
    book = _book()
    if not too_long and not asked_minutes(text) and not book.asks(sentences, families=["short"]):
        findings.append(
            Finding(
                "R4",
                "Say how short the meeting is: ask for 15 or 20 minutes (R4). A small, clear "
                "request is easy to say yes to.",
            )
        )
    if "?" not in text and not book.asks(sentences, families=["next-step"]):
        findings.append(
            Finding(
                "R4",
                "The message never asks. End with a question they can say yes to — “Would you "
                "have 20 minutes in the next two weeks?” — or say when you will call (R4).",
            )
        )
    return findings
