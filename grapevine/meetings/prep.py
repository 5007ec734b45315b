"""The prep sheet of a meeting (R5, R6, R7, R10): one structure for the page and the download."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone

from grapevine.meetings import selectors
from grapevine.meetings.models import Meeting

#: R10: what to ask before leaving.
CLOSING_ASKS = (
    "Who else should I talk to? (aim for two or three names)",
    "May I write their names down?",
    "May I contact them, and may I use your name?",
    "Would you introduce me, or should I write myself?",
    "Is it better to call or to e-mail them?",
    "How can I help you in return? (R13)",
)


@dataclass
class PrepSheet:
    title: str
    when: str
    where: str
    minutes: int
    purpose: str
    referrer: str = ""
    referrer_reason: str = ""
    research_person: str = ""
    research_organisation: str = ""
    jargon: str = ""
    questions: list[str] = field(default_factory=list)
    drill: str = ""
    drill_words: int = 0
    closing_asks: tuple[str, ...] = CLOSING_ASKS


def prep_sheet(meeting: Meeting) -> PrepSheet:
    from grapevine.meetings.services import word_count

    org = f", {meeting.organisation.name}" if meeting.organisation else ""
    title_line = f" — {meeting.person.job_title}" if meeting.person.job_title else ""
    drill = selectors.drill_current(meeting.owner)
    referral = meeting.referral
    return PrepSheet(
        title=f"{meeting.person.full_name}{title_line}{org}",
        when=(
            f"{timezone.localtime(meeting.scheduled_for):%A %d %B %Y, %H:%M}"
            if meeting.scheduled_for
            else "not scheduled yet"
        ),
        where=f"{meeting.get_channel_display()}{': ' + meeting.place if meeting.place else ''}",
        minutes=meeting.minutes,
        purpose=meeting.get_purpose_display(),
        referrer=referral.referrer.full_name if referral else "",
        referrer_reason=referral.reason if referral else "",
        research_person=meeting.research_person,
        research_organisation=meeting.research_organisation,
        jargon=meeting.jargon,
        questions=[q.text for q in meeting.questions.all()],
        drill=drill.text if drill else "",
        drill_words=word_count(drill.text) if drill else 0,
    )


def prep_sheet_markdown(sheet: PrepSheet) -> str:
    out = [f"# Prep sheet: {sheet.title}", ""]
    out.append(f"- When: {sheet.when}")
    out.append(f"- Where: {sheet.where}")
    out.append(f"- Length: {sheet.minutes} minutes — end on time (R4)")
    out.append(f"- Purpose: {sheet.purpose} — never ask for a job (R1)")
    if sheet.referrer:
        reason = f": {sheet.referrer_reason}" if sheet.referrer_reason else ""
        out.append(f"- Referred by {sheet.referrer}{reason} — say it first (R7)")
    for heading, text in (
        ("About the person", sheet.research_person),
        ("About the organisation", sheet.research_organisation),
        ("Jargon and keywords", sheet.jargon),
    ):
        out += ["", f"## {heading}", "", text.strip() or "_(not researched yet — R5)_"]
    out += ["", "## My questions (R5)", ""]
    out += [f"{i}. {q}" for i, q in enumerate(sheet.questions, 1)] or ["_(none chosen yet)_"]
    out += ["", "## My two-minute drill (R6)", "", sheet.drill.strip() or "_(not written yet)_"]
    out += ["", "## Before I leave (R10)", ""]
    out += [f"- [ ] {ask}" for ask in sheet.closing_asks]
    return "\n".join(out) + "\n"
