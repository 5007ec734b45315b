"""`{% load coach %}{% agenda_today %}`: the coach's "Today" on any page (the dashboard)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import template
from django.urls import NoReverseMatch, reverse

from grapevine.accounts.models import User
from grapevine.coach.agenda import Action

register = template.Library()

#: Draft kinds that are written about a meeting (the recipient follows from it).
MEETING_KINDS = {"thank_you", "follow_up", "report_back"}


@register.inclusion_tag("coach/partials/today.html", takes_context=True)
def agenda_today(context: Any, full: bool = False) -> dict[str, Any]:
    """Overdue, today and this week, most important first; every item acts in one click."""
    from grapevine.coach.views import agenda_context

    request = context.get("request")
    user = getattr(request, "user", None)
    if not isinstance(user, User) or not user.is_authenticated:
        return {"agenda": None}
    found = agenda_context(user, full=full)
    found["request"] = request
    found["csrf_token"] = context.get("csrf_token")
    return found


@register.simple_tag
def draft_url(action: Action) -> str:
    """Where "Draft the message" goes (messaging's draft page), or "" when there is none."""
    if not action.draft_kind:
        return ""
    params = {"kind": action.draft_kind}
    if action.meeting_id and action.draft_kind in MEETING_KINDS:
        params["meeting"] = str(action.meeting_id)
    elif action.person_id:
        params["person"] = str(action.person_id)
    else:
        return ""
    try:
        return f"{reverse('messaging:draft_new')}?{urlencode(params)}"
    except NoReverseMatch:
        return ""


@register.simple_tag
def person_url(action: Action) -> str:
    if not action.person_id:
        return ""
    try:
        return reverse("contacts:person_detail", args=[action.person_id])
    except NoReverseMatch:
        return ""


@register.simple_tag
def meeting_url(action: Action) -> str:
    if not action.meeting_id:
        return ""
    try:
        return reverse("meetings:meeting_detail", args=[action.meeting_id])
    except NoReverseMatch:
        return ""
