from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from grapevine.accounts.models import User
from grapevine.contacts.selectors import person_counts_by_list
from grapevine.journal.selectors import entry_recent


def home(request: HttpRequest) -> HttpResponse:
    """A fresh instance opens on "create your account"; otherwise the dashboard or log in."""
    if request.user.is_authenticated:
        return redirect("core:dashboard")
    if not User.objects.exists():
        return redirect("accounts:signup")
    return redirect("accounts:login")


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    counts = person_counts_by_list(user)
    context = {
        "counts": counts,
        "total": sum(counts.values()),
        "recent": entry_recent(user, 8),
    }
    return render(request, "core/dashboard.html", context)


def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")
