"""Message templates and drafts, checked against the rules (R1, R4, R7, R8, R11, R12, R14, R15)."""

from __future__ import annotations

from django.db import models

from grapevine.contacts.models import Person, Referral
from grapevine.core.models import OwnedModel
from grapevine.journal.models import Entry
from grapevine.meetings.models import Meeting


class DraftKind(models.TextChoices):
    REQUEST_COLD = "request_cold", "Cold request"
    REQUEST_WARM = "request_warm", "Warm request (referred)"
    NOT_HIRING = "not_hiring", "Answer to “we're not hiring”"
    CONFIRMATION = "confirmation", "Confirmation"
    THANK_YOU = "thank_you", "Thank-you"
    REPORT_BACK = "report_back", "Report-back to the referrer"
    KEEP_IN_TOUCH = "keep_in_touch", "Keep-in-touch update"
    FOLLOW_UP = "follow_up", "Follow-up after no answer"


#: Kinds that ask for a meeting: the R1/R4/length/question checks apply to them.
REQUEST_KINDS = frozenset({DraftKind.REQUEST_COLD, DraftKind.REQUEST_WARM, DraftKind.FOLLOW_UP})


class SentVia(models.TextChoices):
    NOT_SENT = "", "Not sent"
    COPY = "copy", "Copied and sent from my own mail"
    MAILTO = "mailto", "mailto: link"
    EML = "eml", ".eml file"
    SMTP = "smtp", "Sent from Grapevine"


class MessageTemplate(OwnedModel):
    """The user's own version of a built-in template (one per kind). Without one, the
    built-in text in ``messaging/templates_builtin.py`` is used."""

    kind = models.CharField(max_length=20, choices=DraftKind.choices)
    subject = models.CharField(max_length=300)
    body = models.TextField(
        help_text="Placeholders: {first_name}, {full_name}, {organisation}, {referrer}, "
        "{referrer_reason}, {minutes}, {my_name}, {points}, {act_on}, {article}, {meeting_date}."
    )

    class Meta:
        ordering = ["kind"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "kind"], name="template_unique_per_kind")
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class Draft(OwnedModel):
    """A message to one person. Sent when ``sent_at`` is set; marking it sent writes the
    journal entry (``entry``) with its text."""

    kind = models.CharField(max_length=20, choices=DraftKind.choices, db_index=True)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="drafts")
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="drafts"
    )
    referral = models.ForeignKey(
        Referral,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="drafts",
        help_text="The referral this message is about: named in a warm request (R7), "
        "reported back on in a report-back (R12).",
    )
    subject = models.CharField(max_length=300, blank=True)
    body = models.TextField()
    sent_at = models.DateTimeField(null=True, blank=True, db_index=True)
    sent_via = models.CharField(max_length=10, choices=SentVia.choices, blank=True, default="")
    entry = models.ForeignKey(
        Entry, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["owner", "kind", "sent_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.person}"

    @property
    def is_sent(self) -> bool:
        return self.sent_at is not None
