"""Pages of the coach: the agenda, acting on an action in one click, to-dos, settings
and the private calendar feed.

Thin views: the agenda is derived by ``coach.agenda``; every write is a service. The
same view answers a full request and an htmx request (which gets the agenda fragment).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from grapevine.accounts.models import User
from grapevine.coach import selectors, services
from grapevine.coach.agenda import Agenda, agenda_for
from grapevine.coach.calendar import local_date, user_zone
from grapevine.coach.feed import calendar_feed
from grapevine.coach.forms import SNOOZE_CHOICES, ActionForm, CoachSettingsForm, TodoForm


def _owner(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _is_partial(request: HttpRequest) -> bool:
    htmx: Any = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request


def agenda_context(
    owner: User, agenda: Agenda | None = None, *, full: bool = False
) -> dict[str, Any]:
    agenda = agenda or agenda_for(owner)
    return {
        "agenda": agenda,
        "sections": [
            ("Overdue", "overdue", agenda.overdue),
            ("Today", "today", agenda.due_today),
            ("This week", "week", agenda.this_week),
        ],
        "snooze_choices": SNOOZE_CHOICES,
        "full": full,
        "todo_form": TodoForm(initial={"due_on": agenda.today}),
    }


def _agenda_response(request: HttpRequest, owner: User, *, status: int = 200) -> HttpResponse:
    full = request.POST.get("full") == "1" or request.GET.get("full") == "1"
    return render(
        request, "coach/partials/today.html", agenda_context(owner, full=full), status=status
    )


@login_required
@require_GET
def agenda(request: HttpRequest) -> HttpResponse:
    owner = _owner(request)
    context = agenda_context(owner, full=True)
    if _is_partial(request):
        return render(request, "coach/partials/today.html", context)
    return render(request, "coach/agenda.html", context)


@login_required
@require_POST
def action(request: HttpRequest) -> HttpResponse:
    """Done, snooze or dismiss one action of today's agenda (one click, htmx)."""
    owner = _owner(request)
    form = ActionForm(request.POST)
    if not form.is_valid():
        raise Http404("No such action.")
    key = form.cleaned_data["key"]
    op = form.cleaned_data["op"]
    found = services.action_find(owner, key)
    if found is None:
        # Gone already (done in another tab), or someone else's: nothing to act on.
        raise Http404("This action is no longer on your agenda.")
    today = local_date(timezone.now(), user_zone(owner))
    if op == "done":
        services.action_mark_done(owner, found)
        note = f"Done: {found.reason}" if found.done_kind else "Done and off your agenda."
    elif op == "snooze":
        until = form.snooze_until(today)
        services.action_snooze(owner, key, until)
        note = f"Snoozed until {until:%A %-d %B}."
    else:
        services.action_dismiss(owner, key)
        note = "Dismissed. Bring it back from the coach settings if you change your mind."
    if _is_partial(request):
        response = _agenda_response(request, owner)
        response["HX-Trigger"] = "coachChanged"
        return response
    messages.success(request, note)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("coach:agenda")
    return redirect(back)


@login_required
@require_POST
def todo_create(request: HttpRequest) -> HttpResponse:
    owner = _owner(request)
    form = TodoForm(request.POST)
    if form.is_valid():
        try:
            services.todo_create(
                owner, title=form.cleaned_data["title"], due_on=form.cleaned_data["due_on"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
    if not form.is_valid() or form.errors:
        context = agenda_context(owner, full=True)
        context["todo_form"] = form
        template = "coach/partials/today.html" if _is_partial(request) else "coach/agenda.html"
        return render(request, template, context, status=400)
    if _is_partial(request):
        return render(request, "coach/partials/today.html", agenda_context(owner, full=True))
    messages.success(request, "Added to your agenda.")
    return redirect("coach:agenda")


@login_required
@require_http_methods(["GET", "POST"])
def coach_settings(request: HttpRequest) -> HttpResponse:
    owner = _owner(request)
    current = selectors.settings_for(owner)
    form = CoachSettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.settings_update(owner, **{f: form.cleaned_data[f] for f in form.Meta.fields})
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Coach settings saved; your agenda follows them from now on.")
            return redirect("coach:settings")
    feed_url = ""
    if current.calendar_token:
        feed_url = settings.SITE_URL + reverse("coach:calendar_feed", args=[current.calendar_token])
    return render(
        request,
        "coach/settings.html",
        {
            "form": form,
            "feed_url": feed_url,
            "dismissed": selectors.dismissal_list(owner)[:50],
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def calendar_token(request: HttpRequest) -> HttpResponse:
    owner = _owner(request)
    op = request.POST.get("op")
    if op == "regenerate":
        had = selectors.settings_for(owner).calendar_token
        services.calendar_token_regenerate(owner)
        messages.success(
            request,
            "New calendar address made; the old one no longer works."
            if had
            else "Calendar address made: copy it into your calendar app.",
        )
    elif op == "revoke":
        if request.POST.get("confirm") != "yes":
            messages.error(
                request, "Tick the box to confirm: calendars using the address will stop updating."
            )
        else:
            services.calendar_token_revoke(owner)
            messages.success(request, "Calendar address revoked: it now answers “not found”.")
    else:
        raise Http404("Unknown calendar action.")
    return redirect("coach:settings")


@login_required
@require_POST
def undismiss(request: HttpRequest) -> HttpResponse:
    services.action_undismiss(_owner(request), request.POST.get("key", ""))
    messages.success(request, "It will be back on your agenda while it still applies.")
    return redirect("coach:settings")


@require_GET
def calendar_feed_view(request: HttpRequest, token: str) -> HttpResponse:
    """The private feed: no login, the secret token is the key (404 once revoked)."""
    found = selectors.settings_for_calendar_token(token)
    response = HttpResponse(calendar_feed(found.user), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="grapevine.ics"'
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    return response
