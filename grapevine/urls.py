"""Grapevine's URLs. Each app mounts its own ``urls.py`` under a prefix."""

from django.urls import include, path

urlpatterns = [
    path("accounts/", include("grapevine.accounts.urls")),
    path("contacts/", include("grapevine.contacts.urls")),
    path("journal/", include("grapevine.journal.urls")),
    path("", include("grapevine.core.urls")),
]
