"""Writes for message templates and drafts; filling a template; sending (R7, R11, R12)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from grapevine.accounts.models import User
from grapevine.contacts.models import Person, Referral
from grapevine.contacts.services import referral_mark_reported_back
from grapevine.journal.models import Kind
from grapevine.journal.services import entry_create
from grapevine.meetings.models import Meeting
from grapevine.messaging import checks, drafting
from grapevine.messaging.models import Draft, DraftKind, MessageTemplate, SentVia
from grapevine.messaging.templates_builtin import BUILTIN, PLACEHOLDERS

#: The kind names the CLI and URLs use; "request" becomes warm or cold by itself (R7).
CLI_KINDS = {
    "request": None,
    "not-hiring": DraftKind.NOT_HIRING,
    "confirmation": DraftKind.CONFIRMATION,
    "thank-you": DraftKind.THANK_YOU,
    "report-back": DraftKind.REPORT_BACK,
    "keep-in-touch": DraftKind.KEEP_IN_TOUCH,
    "follow-up": DraftKind.FOLLOW_UP,
}

#: Which set of checks (messaging.checks) a draft kind gets.
CHECKS_FOR_KIND = {
    DraftKind.REQUEST_COLD: "request",
    DraftKind.REQUEST_WARM: "request",
    DraftKind.FOLLOW_UP: "follow-up",
    DraftKind.NOT_HIRING: "not-hiring",
    DraftKind.CONFIRMATION: "confirmation",
    DraftKind.THANK_YOU: "thank-you",
    DraftKind.REPORT_BACK: "report-back",
    DraftKind.KEEP_IN_TOUCH: "keep-in-touch",
}

#: Journal kind written when a draft of this kind is marked sent.
JOURNAL_KIND = {DraftKind.THANK_YOU: Kind.THANK_YOU, DraftKind.REPORT_BACK: Kind.REPORT_BACK}


_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
_BRACED = re.compile(r"\{[^{}\n]*\}?|\}")


def fill(text: str, context: dict[str, str]) -> str:
    """Fill ``{placeholders}`` by plain substitution; anything else is left as written.

    Never ``str.format``: a saved template like ``{first_name:>2000000000}`` must not
    expand to gigabytes; such templates are refused when saved (``template_save``)."""
    return _PLACEHOLDER.sub(lambda m: context.get(m.group(1), m.group(0)), text)


def draft_context(
    owner: User, kind: str, person: Person, meeting: Meeting | None, referral: Referral | None
) -> dict[str, str]:
    return drafting.draft_context(owner, kind, person, meeting, referral)


# ---------------------------------------------------------------------------
# Templates
# ---------------------------------------------------------------------------


def template_for(owner: User, kind: str) -> tuple[str, str, bool]:
    """(subject, body, is_own) of the template used for ``kind``."""
    own = MessageTemplate.objects.filter(owner=owner, kind=kind).first()
    if own is not None:
        return own.subject, own.body, True
    subject, body = BUILTIN[kind]
    return subject, body, False


def template_placeholders_check(text: str) -> None:
    """Refuse anything in braces that is not exactly a documented placeholder."""
    for match in _BRACED.finditer(text):
        found = match.group(0)
        name = _PLACEHOLDER.fullmatch(found)
        if name and name.group(1) in PLACEHOLDERS:
            continue
        if name:
            reason = "is not a placeholder Grapevine knows"
        elif found in ("{", "}") or not found.endswith("}"):
            reason = "has no matching brace"
        else:
            reason = "is not allowed: write placeholders exactly as {first_name}, with no format or index"
        raise ValidationError(
            {
                "body": f"“{found[:60]}” {reason}. Use one of "
                f"{', '.join('{' + p + '}' for p in PLACEHOLDERS)}."
            }
        )


def template_save(owner: User, kind: str, *, subject: str, body: str) -> MessageTemplate:
    if kind not in DraftKind.values:
        raise ValidationError({"kind": "Unknown message kind."})
    if not body.strip():
        raise ValidationError({"body": "The template needs a text."})
    template_placeholders_check(subject)
    template_placeholders_check(body)
    template, _ = MessageTemplate.objects.update_or_create(
        owner=owner, kind=kind, defaults={"subject": subject.strip()[:300], "body": body}
    )
    return template


def template_reset(owner: User, kind: str) -> None:
    """Back to the built-in text."""
    MessageTemplate.objects.filter(owner=owner, kind=kind).delete()


# ---------------------------------------------------------------------------
# Drafts
# ---------------------------------------------------------------------------


def _latest_referral_to(owner: User, person: Person) -> Referral | None:
    return (
        Referral.objects.filter(owner=owner, referred=person)
        .select_related("referrer")
        .order_by("-referred_on", "-id")
        .first()
    )


def draft_kind_resolve(cli_kind: str, referral: Referral | None) -> str:
    """The stored kind for a CLI/URL kind name; "request" is warm when referred (R7)."""
    if cli_kind in DraftKind.values:
        return cli_kind
    if cli_kind not in CLI_KINDS:
        raise ValidationError(f"Unknown kind “{cli_kind}”: choose one of {', '.join(CLI_KINDS)}.")
    resolved = CLI_KINDS[cli_kind]
    if resolved is None:
        return DraftKind.REQUEST_WARM if referral else DraftKind.REQUEST_COLD
    return resolved


def draft_create(
    owner: User,
    kind: str,
    *,
    person: Person | None = None,
    meeting: Meeting | None = None,
    article: str = "",
) -> Draft:
    """A draft filled from the template of ``kind`` (a DraftKind or a CLI name).

    ``article``: a link worth sharing, offered in the text (R11: optionally a relevant article).

    A report-back goes to the *referrer* of the meeting's person (R12); every other kind
    goes to the person (or the meeting's person)."""
    if meeting is not None and meeting.owner_id != owner.pk:
        raise ValidationError("That meeting is not yours.")
    if person is not None and person.owner_id != owner.pk:
        raise ValidationError("That person is not in your contact book.")
    if person is None and meeting is None:
        raise ValidationError("Say whom the message is for: a person or a meeting.")
    subject_person = meeting.person if meeting is not None else person
    assert subject_person is not None
    referral = meeting.referral if meeting is not None and meeting.referral_id else None
    if referral is None:
        referral = _latest_referral_to(owner, subject_person)
    stored_kind = draft_kind_resolve(kind, referral)
    recipient = subject_person
    if stored_kind == DraftKind.REPORT_BACK:
        if referral is None:
            raise ValidationError(
                f"Nobody referred you to {subject_person}, so there is no one to report back to (R12)."
            )
        if meeting is None:
            from grapevine.meetings.selectors import meeting_for_person

            meeting = meeting_for_person(owner, subject_person)
        recipient = referral.referrer
    if stored_kind == DraftKind.THANK_YOU and meeting is None:
        from grapevine.meetings.selectors import meeting_for_person

        meeting = meeting_for_person(owner, subject_person)
    subject, body, _ = template_for(owner, stored_kind)
    context = draft_context(owner, stored_kind, recipient, meeting, referral)
    if article.strip():
        context["article"] = (
            f"\nYou might like this article on what we discussed: {article.strip()}\n"
        )
    if stored_kind == DraftKind.REPORT_BACK and meeting is None:
        context["met_name"] = subject_person.full_name
        context["met_first"] = drafting.first_name(subject_person)
        context["report_meeting"] = (
            f"[How it went with {context['met_first']}, and what you will do next]"
        )
    return Draft.objects.create(
        owner=owner,
        kind=stored_kind,
        person=recipient,
        meeting=meeting,
        referral=referral
        if stored_kind in (DraftKind.REQUEST_WARM, DraftKind.FOLLOW_UP, DraftKind.REPORT_BACK)
        else None,
        subject=fill(subject, context)[:300],
        body=fill(body, context),
    )


def draft_update(draft: Draft, *, subject: str, body: str) -> Draft:
    if draft.sent_at is not None:
        raise ValidationError("This message was already sent; it can no longer be edited.")
    if not body.strip():
        raise ValidationError({"body": "The message is empty."})
    draft.subject = subject.strip()[:300]
    draft.body = body
    draft.save(update_fields=["subject", "body", "updated_at"])
    return draft


def draft_check(draft: Draft) -> checks.Report:
    """The rule checks for this draft, with what Grapevine knows about it."""
    referrer = ""
    if draft.kind in (DraftKind.REQUEST_WARM, DraftKind.FOLLOW_UP) and draft.referral_id:
        assert draft.referral is not None
        referrer = draft.referral.referrer.full_name
    notes = ""
    met = ""
    if draft.meeting is not None:
        notes = "\n".join(filter(None, [draft.meeting.notes, draft.meeting.learned]))
        met = draft.meeting.person.full_name
    return checks.check_message(
        draft.body,
        CHECKS_FOR_KIND[DraftKind(draft.kind)],
        referrer=referrer,
        notes=notes,
        met=met,
        subject=draft.subject,
    )


def draft_mark_sent(
    draft: Draft, *, via: str = SentVia.COPY, when: dt.datetime | None = None
) -> Draft:
    """Record that the message went out: the journal gets its text (R17). A report-back also
    marks the referral reported back (R12)."""
    if draft.sent_at is not None:
        raise ValidationError("This message is already marked sent.")
    if via not in SentVia.values or not via:
        raise ValidationError("Say how it was sent: copy, mailto, eml or smtp.")
    now = when or timezone.now()
    people = [draft.person]
    if draft.meeting is not None and draft.meeting.person_id != draft.person_id:
        people.append(draft.meeting.person)
    with transaction.atomic():
        entry = entry_create(
            draft.owner,
            kind=JOURNAL_KIND.get(DraftKind(draft.kind), Kind.MESSAGE_SENT),
            people=people,
            occurred_at=now,
            subject=f"{draft.get_kind_display()}: {draft.subject}"[:300],
            notes=draft.body,
            source="messaging",
        )
        draft.sent_at = now
        draft.sent_via = via
        draft.entry = entry
        draft.save(update_fields=["sent_at", "sent_via", "entry", "updated_at"])
        if draft.kind == DraftKind.REPORT_BACK and draft.referral is not None:
            referral_mark_reported_back(draft.referral, now)
    return draft


def draft_delete(draft: Draft) -> None:
    if draft.sent_at is not None:
        raise ValidationError("A sent message stays in the record; it cannot be deleted.")
    draft.delete()


def smtp_configured() -> bool:
    return bool(getattr(settings, "EMAIL_HOST", ""))


def draft_email(draft: Draft, *, from_email: str | None = None) -> EmailMessage:
    to = draft.person.primary_email
    return EmailMessage(
        subject=draft.subject,
        body=draft.body,
        from_email=from_email or draft.owner.email or settings.DEFAULT_FROM_EMAIL,
        to=[to] if to else [],
    )


def draft_eml(draft: Draft) -> bytes:
    """The draft as an .eml file any mail program opens."""
    return draft_email(draft).message().as_bytes()


def draft_mailto(draft: Draft) -> str:
    to = draft.person.primary_email
    return f"mailto:{quote(to)}?subject={quote(draft.subject)}&body={quote(draft.body)}"


def draft_send(draft: Draft, *, when: dt.datetime | None = None) -> Draft:
    """Send through the configured SMTP server, then mark sent."""
    if not smtp_configured():
        raise ValidationError(
            "Sending needs SMTP settings (GRAPEVINE_SMTP_HOST); copy the text instead."
        )
    if not draft.person.primary_email:
        raise ValidationError(f"{draft.person} has no e-mail address in your contact book.")
    if draft.sent_at is not None:
        raise ValidationError("This message is already marked sent.")
    message = draft_email(draft, from_email=settings.DEFAULT_FROM_EMAIL)
    message.reply_to = [draft.owner.email]
    message.send(fail_silently=False)
    return draft_mark_sent(draft, via=SentVia.SMTP, when=when)


def draft_summary(draft: Draft) -> dict[str, Any]:
    report = draft_check(draft)
    return {
        "id": str(draft.public_id),
        "kind": draft.kind,
        "to": draft.person.full_name,
        "email": draft.person.primary_email,
        "subject": draft.subject,
        "body": draft.body,
        "sent_at": draft.sent_at.isoformat() if draft.sent_at else None,
        "check": report.as_dict(),
    }
