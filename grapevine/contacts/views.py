"""Pages of the contact book: people, organisations and who referred whom.

Thin views: a selector reads (scoped to the signed-in owner, 404 otherwise), a form
checks, a service writes. The same view answers a full request and an htmx request.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import reswap, retarget

from grapevine.accounts.models import User
from grapevine.contacts import selectors, services
from grapevine.contacts.forms import (
    LIST_HELP_BY_CODE,
    ClosenessForm,
    ListChoiceForm,
    OrganisationForm,
    PersonForm,
    QuickAddForm,
    ReferralForm,
    add_service_errors,
)
from grapevine.contacts.models import ContactList, Person
from grapevine.contacts.services import PersonData
from grapevine.journal.selectors import organisation_timeline, person_timeline
from grapevine.meetings.selectors import meeting_list

PAGE_SIZE = 50
PICKER_FIELDS = {"referred_by": False, "referred": False, "people": True}


def _owner(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _is_partial(request: HttpRequest) -> bool:
    """An htmx request that wants a fragment (a history restore wants the whole page)."""
    htmx = getattr(request, "htmx", None)
    return htmx is not None and bool(htmx) and not htmx.history_restore_request


def _page(request: HttpRequest, items: Any) -> Page:
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))


# ---------------------------------------------------------------------------
# People
# ---------------------------------------------------------------------------


def _person_list_context(request: HttpRequest, owner: User, params: Any = None) -> dict[str, Any]:
    """The list, its tab and its filters, from the query string (or the quick-add form's copy)."""
    params = request.GET if params is None else params
    contact_list = (params.get("list") or "").upper()
    if contact_list not in ContactList.values:
        contact_list = ""
    query = params.get("q", "").strip()
    tag = params.get("tag", "").strip()
    organisation = None
    if params.get("org"):
        organisation = selectors.organisation_get(owner, params["org"])
    people = selectors.person_list(
        owner,
        contact_list=contact_list or None,
        query=query,
        organisation=organisation,
        tag=tag or None,
    )
    return {
        "page": _page(request, people),
        "contact_list": contact_list,
        "list_help": LIST_HELP_BY_CODE.get(contact_list, ""),
        "list_choices": ContactList.choices,
        "query": query,
        "tag": tag,
        "organisation": organisation,
        "filtered": bool(query or tag or organisation),
    }


@login_required
@require_GET
def person_list(request: HttpRequest) -> HttpResponse:
    owner = _owner(request)
    context = _person_list_context(request, owner)
    if _is_partial(request):
        return render(request, "contacts/partials/person_table.html", context)
    counts = selectors.person_counts_by_list(owner)
    context.update(
        counts=counts,
        total=sum(counts.values()),
        tags=selectors.tag_list(owner),
        quick_form=QuickAddForm(initial={"contact_list": context["contact_list"] or ContactList.B}),
        organisation_names=selectors.organisation_names(owner),
    )
    return render(request, "contacts/person_list.html", context)


@login_required
@require_POST
def person_quick_add(request: HttpRequest) -> HttpResponse:
    owner = _owner(request)
    form = QuickAddForm(request.POST)
    person = None
    if form.is_valid():
        data = PersonData(
            full_name=form.cleaned_data["full_name"],
            contact_list=form.cleaned_data["contact_list"],
            organisation_name=form.cleaned_data["organisation_name"],
        )
        try:
            person = services.person_create(owner, data)
        except ValidationError as error:
            add_service_errors(form, error)
    if person is None:
        if _is_partial(request):
            response = render(request, "contacts/partials/quick_add.html", {"quick_form": form})
            return reswap(retarget(response, "#quick-add"), "outerHTML")
        messages.error(request, "The person was not added: " + " ".join(_error_texts(form)))
        return redirect("contacts:person_list")
    if _is_partial(request):
        # The table as it stands, with the new person on top even if the filters hide them.
        context = _person_list_context(request, owner, request.POST)
        context["added"] = selectors.person_get(owner, person.public_id)
        # A fresh quick-add line replaces the used one, ready for the next name.
        quick_form = QuickAddForm(initial={"contact_list": person.contact_list})
        quick_form.fields["full_name"].widget.attrs["autofocus"] = True
        context["quick_form"] = quick_form
        context["swap_quick_add"] = True
        return render(request, "contacts/partials/person_table.html", context)
    messages.success(request, f"{person.full_name} is on list {person.contact_list}.")
    return redirect(_person_url(person))


def _error_texts(form: Any) -> list[str]:
    return [str(e) for errors in form.errors.values() for e in errors]


def _person_url(person: Person) -> str:
    return reverse("contacts:person_detail", args=[person.public_id])


def _picked(owner: User, value: str | list[str]) -> list[selectors.PersonChoice]:
    ids = value if isinstance(value, list) else [value] if value else []
    return [
        selectors.PersonChoice(str(p.public_id), _choice_label(p))
        for p in selectors.person_list_by_public_ids(owner, ids)
    ]


def _choice_label(person: Person) -> str:
    return (
        f"{person.full_name} — {person.organisation.name}"
        if person.organisation
        else person.full_name
    )


def _save_person(
    request: HttpRequest, owner: User, form: PersonForm, person: Person | None
) -> Person | None:
    """Create or update the person, and the referral when one is given, all or nothing."""
    referrer = None
    referred_by = form.cleaned_data.get("referred_by")
    if referred_by:
        found = selectors.person_list_by_public_ids(owner, [referred_by])
        if not found:
            form.add_error(
                "referred_by", "Pick the referrer from your contacts with the search box."
            )
            return None
        referrer = found[0]
    try:
        with transaction.atomic():
            if person is None:
                person = services.person_create(owner, form.person_data())
            else:
                person = services.person_update(person, form.person_data())
            if referrer is not None:
                services.referral_create(
                    owner, referrer=referrer, referred=person, **form.referral_options()
                )
    except ValidationError as error:
        add_service_errors(form, error)
        return None
    return person


@login_required
@require_http_methods(["GET", "POST"])
def person_create(request: HttpRequest) -> HttpResponse:
    owner = _owner(request)
    initial: dict[str, Any] = {}
    if request.GET.get("list", "").upper() in ContactList.values:
        initial["contact_list"] = request.GET["list"].upper()
    if request.GET.get("organisation"):
        initial["organisation_name"] = selectors.organisation_get(
            owner, request.GET["organisation"]
        ).name
    picked = []
    if request.GET.get("referred_by"):
        picked = _picked(owner, request.GET["referred_by"])
        if picked:
            initial["referred_by"] = picked[0].public_id
    form = PersonForm(request.POST or None, initial=initial)
    if request.method == "POST":
        picked = _picked(owner, request.POST.get("referred_by", ""))
        if form.is_valid():
            person = _save_person(request, owner, form, None)
            if person is not None:
                messages.success(request, f"{person.full_name} is on list {person.contact_list}.")
                return redirect(_person_url(person))
    return render(
        request,
        "contacts/person_form.html",
        {
            "form": form,
            "person": None,
            "picked": picked,
            "organisation_names": selectors.organisation_names(owner),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    owner = _owner(request)
    person = selectors.person_get(owner, public_id)
    form = PersonForm(request.POST or None, initial=PersonForm.initial_for(person))
    picked = _picked(owner, request.POST.get("referred_by", "")) if request.method == "POST" else []
    if request.method == "POST" and form.is_valid():
        saved = _save_person(request, owner, form, person)
        if saved is not None:
            messages.success(request, f"Saved {saved.full_name}.")
            return redirect(_person_url(saved))
        person = selectors.person_get(owner, public_id)  # the failed save rolled back
    return render(
        request,
        "contacts/person_form.html",
        {
            "form": form,
            "person": person,
            "picked": picked,
            "organisation_names": selectors.organisation_names(owner),
        },
    )


@login_required
@require_GET
def person_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    owner = _owner(request)
    person = selectors.person_get(owner, public_id)
    context = {
        "person": person,
        "referred_by": selectors.person_referrer_edges(person),
        "referred_to": selectors.person_referred_edges(person),
        "chain": selectors.person_referral_chain(person),
        "timeline": person_timeline(person)[:100],
        "meetings": meeting_list(owner).filter(person=person).order_by("-requested_at")[:20],
        "list_help": LIST_HELP_BY_CODE.get(person.contact_list, ""),
        "list_form": ListChoiceForm(initial={"contact_list": person.contact_list}),
        "closeness_form": ClosenessForm(initial={"closeness": person.closeness}),
    }
    return render(request, "contacts/person_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def person_delete(request: HttpRequest, public_id: str) -> HttpResponse:
    owner = _owner(request)
    person = selectors.person_get(owner, public_id)
    if request.method == "POST":
        name = person.full_name
        services.person_delete(person)
        messages.success(request, f"Deleted {name}. Journal entries about them are kept.")
        return redirect("contacts:person_list")
    return render(
        request,
        "contacts/confirm_delete.html",
        {
            "object_label": person.full_name,
            "what": "person",
            "consequences": [
                "Their e-mail addresses, phone numbers and referral links go with them.",
                "Journal entries stay, without their name.",
            ],
            "cancel_url": _person_url(person),
        },
    )


def _inline_field(
    request: HttpRequest, person: Person, form: Any, field: str, saved: bool
) -> HttpResponse:
    context = {"person": person, "form": form, "field": field, "saved": saved}
    if _is_partial(request):
        return render(request, "contacts/partials/inline_field.html", context)
    if saved:
        messages.success(request, f"Saved {person.full_name}.")
    else:
        messages.error(request, " ".join(_error_texts(form)))
    return redirect(_person_url(person))


@login_required
@require_POST
def person_set_list(request: HttpRequest, public_id: str) -> HttpResponse:
    """Inline edit of the list (R2): a select that saves on change."""
    person = selectors.person_get(_owner(request), public_id)
    form = ListChoiceForm(request.POST)
    saved = form.is_valid()
    if saved:
        services.person_set_list(person, form.cleaned_data["contact_list"])
    return _inline_field(request, person, form, "contact_list", saved)


@login_required
@require_POST
def person_set_closeness(request: HttpRequest, public_id: str) -> HttpResponse:
    """Inline edit of closeness (R14)."""
    person = selectors.person_get(_owner(request), public_id)
    form = ClosenessForm(request.POST)
    saved = form.is_valid()
    if saved:
        services.person_set_closeness(person, form.cleaned_data["closeness"])
    return _inline_field(request, person, form, "closeness", saved)


@login_required
@require_GET
def person_picker(request: HttpRequest) -> HttpResponse:
    """Search results for a person field (referrer, referred, journal people), as inputs."""
    owner = _owner(request)
    field = request.GET.get("field", "")
    if field not in PICKER_FIELDS:
        field = "people"
    query = (request.GET.get("picker_q") or request.GET.get("q") or "").strip()
    choices = selectors.person_choices(owner, query, limit=15) if query else []
    return render(
        request,
        "contacts/partials/picker_results.html",
        {"choices": choices, "field": field, "multiple": PICKER_FIELDS[field], "query": query},
    )


# ---------------------------------------------------------------------------
# Organisations
# ---------------------------------------------------------------------------


@login_required
@require_GET
def organisation_list(request: HttpRequest) -> HttpResponse:
    owner = _owner(request)
    query = request.GET.get("q", "").strip()
    context = {
        "page": _page(
            request, selectors.organisation_list(owner, query=query).order_by("name", "id")
        ),
        "query": query,
    }
    if _is_partial(request):
        return render(request, "contacts/partials/organisation_table.html", context)
    return render(request, "contacts/organisation_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def organisation_create(request: HttpRequest) -> HttpResponse:
    owner = _owner(request)
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            org = services.organisation_create(
                owner,
                name=form.cleaned_data["name"],
                website=form.cleaned_data["website"],
                email=form.cleaned_data["email"],
                phone=form.cleaned_data["phone"],
                notes=form.cleaned_data["notes"],
                aliases=form.alias_names(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Added {org.name}.")
            return redirect("contacts:organisation_detail", org.public_id)
    return render(request, "contacts/organisation_form.html", {"form": form, "organisation": None})


@login_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    owner = _owner(request)
    org = selectors.organisation_get(owner, public_id)
    initial = {
        "name": org.name,
        "aliases": ", ".join(a.name for a in org.aliases.all()),
        "website": org.website,
        "email": org.email,
        "phone": org.phone,
        "notes": org.notes,
    }
    form = OrganisationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                services.organisation_update(
                    org,
                    name=form.cleaned_data["name"],
                    website=form.cleaned_data["website"],
                    email=form.cleaned_data["email"],
                    phone=form.cleaned_data["phone"],
                    notes=form.cleaned_data["notes"],
                    aliases=form.alias_names(),
                )
        except ValidationError as error:
            add_service_errors(form, error)
            org = selectors.organisation_get(owner, public_id)
        else:
            messages.success(request, f"Saved {org.name}.")
            return redirect("contacts:organisation_detail", org.public_id)
    return render(request, "contacts/organisation_form.html", {"form": form, "organisation": org})


@login_required
@require_GET
def organisation_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    org = selectors.organisation_get(_owner(request), public_id)
    context = {
        "organisation": org,
        "people": selectors.organisation_people(org),
        "alumni": selectors.organisation_alumni(org),
        "entries": organisation_timeline(org)[:50],
    }
    return render(request, "contacts/organisation_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def organisation_delete(request: HttpRequest, public_id: str) -> HttpResponse:
    org = selectors.organisation_get(_owner(request), public_id)
    if request.method == "POST":
        name = org.name
        services.organisation_delete(org)
        messages.success(request, f"Deleted {name}. The people who worked there are kept.")
        return redirect("contacts:organisation_list")
    return render(
        request,
        "contacts/confirm_delete.html",
        {
            "object_label": org.name,
            "what": "organisation",
            "consequences": [
                "The people who work there are kept; they simply no longer have an organisation.",
                "Journal entries are kept.",
            ],
            "cancel_url": reverse("contacts:organisation_detail", args=[org.public_id]),
        },
    )


# ---------------------------------------------------------------------------
# Referrals (R7, R10, R12)
# ---------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def referral_create(request: HttpRequest, public_id: str) -> HttpResponse:
    """From a person's page: "this person referred me to …"."""
    owner = _owner(request)
    referrer = selectors.person_get(owner, public_id)
    form = ReferralForm(request.POST or None)
    picked = _picked(owner, request.POST.get("referred", "")) if request.method == "POST" else []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        referred: Person | None = None
        if data["referred"]:
            found = selectors.person_list_by_public_ids(owner, [data["referred"]])
            if found:
                referred = found[0]
            else:
                form.add_error(
                    "referred", "Pick the person from your contacts with the search box."
                )
        if form.is_valid():
            try:
                with transaction.atomic():
                    if referred is None:
                        referred = services.person_create(
                            owner,
                            PersonData(
                                full_name=data["new_name"],
                                contact_list=data["new_list"] or ContactList.B,
                                organisation_name=data["new_organisation"],
                                met_context="referral",
                            ),
                        )
                    referral = services.referral_create(
                        owner,
                        referrer=referrer,
                        referred=referred,
                        referred_on=data["referred_on"],
                        **form.options(),
                    )
                    if data["notes"]:
                        services.referral_update(referral, notes=data["notes"])
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    f"{referrer.full_name} referred you to {referred.full_name}. "
                    "Follow the lead and report back (R12).",
                )
                return redirect(_person_url(referrer))
    return render(
        request,
        "contacts/referral_form.html",
        {
            "form": form,
            "referrer": referrer,
            "referral": None,
            "picked": picked,
            "organisation_names": selectors.organisation_names(owner),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def referral_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    owner = _owner(request)
    referral = selectors.referral_get(owner, public_id)
    form = ReferralForm(
        request.POST or None, initial=ReferralForm.initial_for(referral), editing=True
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_update(
                referral,
                referred_on=form.cleaned_data["referred_on"] or referral.referred_on,
                notes=form.cleaned_data["notes"],
                **form.options(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Saved the referral.")
            return redirect(_person_url(referral.referred))
    return render(
        request,
        "contacts/referral_form.html",
        {"form": form, "referrer": referral.referrer, "referral": referral, "picked": []},
    )


@login_required
@require_http_methods(["GET", "POST"])
def referral_delete(request: HttpRequest, public_id: str) -> HttpResponse:
    referral = selectors.referral_get(_owner(request), public_id)
    if request.method == "POST":
        services.referral_delete(referral)
        messages.success(
            request, f"Removed: {referral.referrer} referred you to {referral.referred}."
        )
        return redirect(_person_url(referral.referred))
    return render(
        request,
        "contacts/confirm_delete.html",
        {
            "object_label": f"{referral.referrer} referred you to {referral.referred}",
            "what": "referral",
            "consequences": ["Both people are kept; only the link between them goes."],
            "cancel_url": _person_url(referral.referred),
        },
    )


@login_required
@require_POST
def referral_report_back(request: HttpRequest, public_id: str) -> HttpResponse:
    """R12: one click records that you told the referrer how it went."""
    referral = selectors.referral_get(_owner(request), public_id)
    services.referral_mark_reported_back(referral)
    if _is_partial(request):
        side = request.POST.get("side", "referred_by")
        return render(
            request,
            "contacts/partials/referral_item.html",
            {
                "referral": referral,
                "side": side if side in ("referred_by", "referred_to") else "referred_by",
            },
        )
    messages.success(request, f"Noted: you reported back to {referral.referrer} (R12).")
    return redirect(_person_url(referral.referred))
