"""An uploaded file waiting between its preview and the user's confirmation."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db import models

from grapevine.contacts.models import ContactList
from grapevine.core.models import OwnedModel


class PendingImport(OwnedModel):
    """The file lives in DATA_DIR/imports under a random name chosen by the server;
    the browser only ever sends this row's public_id, never a path."""

    original_name = models.CharField(max_length=200)
    stored_name = models.CharField(max_length=64, unique=True, editable=False)
    size = models.PositiveIntegerField(default=0)
    contact_list = models.CharField(
        max_length=1, choices=ContactList.choices, default=ContactList.B
    )
    skip_bad_rows = models.BooleanField(default=False)
    # The plan's counts ({"format", "created", "updated", "unchanged", "skipped"}), or
    # why the file cannot be imported as it is ({"failed", "problems", "more"}); the
    # plan itself is the file ``plan_path``.
    summary = models.JSONField(default=dict, blank=True)

    # Not part of a backup: the file itself is not in it.
    backup_exclude = True

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def path(self) -> Path:
        return Path(settings.DATA_DIR) / "imports" / self.stored_name

    @property
    def plan_path(self) -> Path:
        return Path(settings.DATA_DIR) / "imports" / f"{self.stored_name}.plan"
