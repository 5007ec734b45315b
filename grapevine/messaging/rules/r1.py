"""R1: ask for information and advice, never for a job — in every kind of message.

The phrases and their contexts live in ``messaging/data/r1_patterns.toml``. "I'm not asking
for a job" is the reassurance seed 002 and R8 recommend: a negated ask is no finding."""

from __future__ import annotations

from grapevine.messaging import phrases
from grapevine.messaging.rules.base import Context, Finding, quote
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


def book() -> phrases.PhraseBook:
    return phrases.load("r1_patterns")


def job_asks(message: Message, kind: str = "") -> list[phrases.Match]:
    return book().asks(message.sentences("everything"), kind=kind)


def check(message: Message, context: Context) -> list[Finding]:
    findings: list[Finding] = []
    seen: set[str] = set()
    families = book().families
    for match in job_asks(message, context.kind):
        family = match.pattern.family
        if family in seen:
            continue
        seen.add(family)
        info = families[family]
        findings.append(
            Finding(
                "R1",
                f"{quote(match.sentence.text)} {info.says}. Instead, {info.advice}.",
            )
        )
    return findings
