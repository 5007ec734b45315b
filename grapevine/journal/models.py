"""The journal: every interaction, dated, with the people in it (R17)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from grapevine.contacts.models import Organisation, Person
from grapevine.core.models import OwnedModel


class Kind(models.TextChoices):
    MESSAGE_SENT = "message_sent", "Message sent"
    MESSAGE_RECEIVED = "message_received", "Message received"
    CALL = "call", "Call"
    MEETING = "meeting", "Meeting"
    EVENT = "event", "Event"
    THANK_YOU = "thank_you", "Thank-you"
    ARTICLE_SHARED = "article_shared", "Article shared"
    HELP_GIVEN = "help_given", "Help given"
    HELP_RECEIVED = "help_received", "Help received"
    REPORT_BACK = "report_back", "Report-back"
    CONNECTED = "connected", "Connected"
    NOTE = "note", "Note"


class Entry(OwnedModel):
    kind = models.CharField(max_length=20, choices=Kind.choices, db_index=True)
    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)
    people = models.ManyToManyField(Person, blank=True, related_name="journal_entries")
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="journal_entries",
    )
    subject = models.CharField(max_length=300, blank=True)
    notes = models.TextField(blank=True, help_text="Markdown.")
    # Where an imported entry came from ("linkedin:messages", …) and its key there,
    # so that importing the same file again updates instead of duplicating.
    source = models.CharField(max_length=40, blank=True)
    external_key = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = "journal entry"
        verbose_name_plural = "journal entries"
        indexes = [
            models.Index(fields=["owner", "-occurred_at"]),
            # The coach reads one kind in a time window ("help received in the last 37
            # days"): by this index instead of every entry of the window.
            models.Index(fields=["owner", "kind", "-occurred_at"], name="entry_owner_kind_time"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "source", "external_key"],
                condition=~models.Q(external_key=""),
                name="entry_external_key_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.occurred_at:%Y-%m-%d}"
