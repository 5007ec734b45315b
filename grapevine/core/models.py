"""What every owned row has in common: an owner and an opaque public id."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class OwnedModel(models.Model):
    """A row that belongs to exactly one user.

    Reads go through each app's ``selectors`` module, which always filter on
    ``owner``; URLs and the API use ``public_id``, never the sequential ``id``.
    """

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
