"""Grapevine's URLs. Each app mounts its own ``urls.py`` under a prefix."""

from django.urls import include, path

urlpatterns = [
    path("accounts/", include("grapevine.accounts.urls")),
    path("contacts/", include("grapevine.contacts.urls")),
    path("journal/", include("grapevine.journal.urls")),
    path("meetings/", include("grapevine.meetings.urls")),
    path("messages/", include("grapevine.messaging.urls")),
    path("coach/", include("grapevine.coach.urls")),
    path("transfer/", include("grapevine.transfer.urls")),
    path("targets/", include("grapevine.targets.urls")),
    path("", include("grapevine.core.urls")),
]
