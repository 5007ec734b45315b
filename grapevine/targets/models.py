"""Job postings, imported or added by hand; matched to the network later (R16, R18)."""

from __future__ import annotations

from django.db import models

from grapevine.contacts.models import Organisation
from grapevine.core.models import OwnedModel


class JobPosting(OwnedModel):
    # Where the posting came from ("linkedin-postings", "manual", …) and its id there,
    # so that importing the same file again updates instead of duplicating.
    source = models.CharField(max_length=40, default="manual")
    external_id = models.CharField(max_length=100, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="postings",
        help_text="Matched by organisation key, so “ACME CORPORATION” meets “Acme Corp”.",
    )
    company_name = models.CharField(
        max_length=200, blank=True, help_text="The employer's name as the posting writes it."
    )
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    location = models.CharField(max_length=200, blank=True)
    url = models.URLField(max_length=500, blank=True)
    posted_at = models.DateTimeField(null=True, blank=True)
    remote = models.BooleanField(default=False, help_text="Remote work allowed.")
    work_type = models.CharField(
        max_length=40, blank=True, help_text="Full-time, part-time, contract…"
    )

    class Meta:
        ordering = ["-posted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "source", "external_id"],
                condition=~models.Q(external_id=""),
                name="posting_external_id_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} — {self.company_name}" if self.company_name else self.title
