"""Pages of the journal: every interaction, filtered, created, edited and deleted (R17)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from grapevine.accounts.models import User
from grapevine.contacts import selectors as contact_selectors
from grapevine.contacts import services as contact_services
from grapevine.contacts.forms import add_service_errors
from grapevine.contacts.models import Person
from grapevine.journal import selectors, services
from grapevine.journal.forms import EntryFilterForm, EntryForm
from grapevine.journal.models import Entry

PAGE_SIZE = 50


def _owner(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _is_partial(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    return htmx is not None and bool(htmx) and not htmx.history_restore_request


@login_required
@require_GET
def entry_list(request: HttpRequest) -> HttpResponse:
    owner = _owner(request)
    form = EntryFilterForm(request.GET or None)
    filters: dict[str, Any] = {}
    person: Person | None = None
    if form.is_valid():
        data = form.cleaned_data
        if data["person"]:
            person = contact_selectors.person_get(owner, data["person"])
        filters = {
            "kind": data["kind"] or None,
            "person": person,
            "contact_list": data["list"] or None,
            "date_from": data["date_from"],
            "date_to": data["date_to"],
        }
    elif request.GET.get("person"):
        # An unreadable person id must not widen the list to everything.
        person = contact_selectors.person_get(owner, request.GET["person"])
    entries = selectors.entry_list(owner, **filters)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "entries": page.object_list,
        "person": person,
        "filtered": any(v for v in filters.values()),
    }
    if _is_partial(request):
        return render(request, "journal/partials/entry_results.html", context)
    return render(request, "journal/entry_list.html", context)


def _resolve_people(owner: User, form: EntryForm) -> list[Person] | None:
    ids = form.people_ids()
    people = contact_selectors.person_list_by_public_ids(owner, ids)
    if len(people) != len(set(ids)):
        form.add_error("people", "Pick people from your contacts with the search box.")
        return None
    return people


def _picked(people: list[Person]) -> list[contact_selectors.PersonChoice]:
    return [
        contact_selectors.PersonChoice(
            str(p.public_id),
            f"{p.full_name} — {p.organisation.name}" if p.organisation else p.full_name,
        )
        for p in people
    ]


def _form_page(
    request: HttpRequest, owner: User, form: EntryForm, entry: Entry | None, picked: list[Person]
) -> HttpResponse:
    return render(
        request,
        "journal/entry_form.html",
        {
            "form": form,
            "entry": entry,
            "picked": _picked(picked),
            "organisation_names": contact_selectors.organisation_names(owner),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def entry_create(request: HttpRequest) -> HttpResponse:
    """A new entry; ``?person=`` and ``?organisation=`` prefill it from those pages."""
    owner = _owner(request)
    initial: dict[str, Any] = {"occurred_at": timezone.localtime().replace(second=0, microsecond=0)}
    picked: list[Person] = []
    if request.GET.get("person"):
        picked = [contact_selectors.person_get(owner, request.GET["person"])]
    if request.GET.get("organisation"):
        initial["organisation_name"] = contact_selectors.organisation_get(
            owner, request.GET["organisation"]
        ).name
    if request.GET.get("kind"):
        initial["kind"] = request.GET["kind"]
    form = EntryForm(request.POST or None, initial=initial)
    if request.method == "POST":
        picked = contact_selectors.person_list_by_public_ids(owner, request.POST.getlist("people"))
        if form.is_valid():
            people = _resolve_people(owner, form)
            if people is not None:
                try:
                    with transaction.atomic():
                        organisation = contact_services.organisation_get_or_create(
                            owner, form.cleaned_data["organisation_name"]
                        )
                        entry = services.entry_create(
                            owner,
                            kind=form.cleaned_data["kind"],
                            people=people,
                            occurred_at=form.cleaned_data["occurred_at"],
                            organisation=organisation,
                            subject=form.cleaned_data["subject"],
                            notes=form.cleaned_data["notes"],
                        )
                except ValidationError as error:
                    add_service_errors(form, error)
                else:
                    messages.success(request, f"Recorded: {entry.get_kind_display().lower()}.")
                    if len(people) == 1:
                        return redirect("contacts:person_detail", people[0].public_id)
                    return redirect("journal:entry_detail", entry.public_id)
    return _form_page(request, owner, form, None, picked)


@login_required
@require_GET
def entry_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    entry = selectors.entry_get(_owner(request), public_id)
    return render(request, "journal/entry_detail.html", {"entry": entry})


@login_required
@require_http_methods(["GET", "POST"])
def entry_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    owner = _owner(request)
    entry = selectors.entry_get(owner, public_id)
    form = EntryForm(request.POST or None, initial=EntryForm.initial_for(entry))
    picked = list(entry.people.all())
    if request.method == "POST":
        picked = contact_selectors.person_list_by_public_ids(owner, request.POST.getlist("people"))
        if form.is_valid():
            people = _resolve_people(owner, form)
            if people is not None:
                try:
                    with transaction.atomic():
                        organisation = contact_services.organisation_get_or_create(
                            owner, form.cleaned_data["organisation_name"]
                        )
                        services.entry_update(
                            entry,
                            kind=form.cleaned_data["kind"],
                            occurred_at=form.cleaned_data["occurred_at"],
                            people=people,
                            organisation=organisation,
                            subject=form.cleaned_data["subject"],
                            notes=form.cleaned_data["notes"],
                        )
                except ValidationError as error:
                    add_service_errors(form, error)
                else:
                    messages.success(request, "Saved the journal entry.")
                    return redirect("journal:entry_detail", entry.public_id)
    return _form_page(request, owner, form, entry, picked)


@login_required
@require_http_methods(["GET", "POST"])
def entry_delete(request: HttpRequest, public_id: str) -> HttpResponse:
    entry = selectors.entry_get(_owner(request), public_id)
    if request.method == "POST":
        label = str(entry)
        services.entry_delete(entry)
        messages.success(request, f"Deleted the journal entry “{label}”.")
        return redirect("journal:entry_list")
    names = ", ".join(p.full_name for p in entry.people.all())
    return render(
        request,
        "contacts/confirm_delete.html",
        {
            "object_label": f"{entry}{' with ' + names if names else ''}",
            "what": "journal entry",
            "consequences": ["The people and organisation it names are kept."],
            "cancel_url": reverse("journal:entry_detail", args=[entry.public_id]),
        },
    )
