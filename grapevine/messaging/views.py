"""Message pages: drafts, their live rule checks, sending and templates."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from grapevine.accounts.models import User
from grapevine.contacts.selectors import person_find_by_name, person_get
from grapevine.meetings.selectors import meeting_get
from grapevine.messaging import checks, forms, selectors, services
from grapevine.messaging.models import Draft, DraftKind, SentVia
from grapevine.messaging.templates_builtin import PLACEHOLDERS


def _owner(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@login_required
@require_GET
def draft_list(request: HttpRequest) -> HttpResponse:
    owner = _owner(request)
    return render(
        request,
        "messaging/draft_list.html",
        {
            "drafts": selectors.draft_list(owner, sent=False)[:100],
            "sent": selectors.draft_list(owner, sent=True)[:50],
        },
    )


@login_required
def draft_new(request: HttpRequest) -> HttpResponse:
    """GET shows what will be drafted; POST writes the draft from the template."""
    owner = _owner(request)
    params = request.POST if request.method == "POST" else request.GET
    kind = params.get("kind", "")
    meeting = meeting_get(owner, params["meeting"]) if params.get("meeting") else None
    person = person_get(owner, params["person"]) if params.get("person") else None
    error = ""
    if request.method == "POST":
        if person is None and meeting is None and params.get("name"):
            found = person_find_by_name(owner, params["name"])
            if len(found) == 1:
                person = found[0]
            else:
                error = (
                    f"Nobody called “{params['name']}” in your contact book."
                    if not found
                    else f"{len(found)} people are called “{params['name']}”: write from their page."
                )
        if not error:
            try:
                draft = services.draft_create(
                    owner, kind, person=person, meeting=meeting, article=params.get("article", "")
                )
            except ValidationError as exc:
                error = " ".join(exc.messages)
            else:
                return redirect("messaging:draft_detail", public_id=draft.public_id)
    return render(
        request,
        "messaging/draft_new.html",
        {
            "kind": kind,
            "kinds": DraftKind.choices,
            "meeting": meeting,
            "person": person,
            "error": error,
        },
        status=400 if error else 200,
    )


def _draft_context(draft: Draft, form: forms.DraftForm | None = None) -> dict[str, object]:
    return {
        "draft": draft,
        "form": form or forms.DraftForm(initial={"subject": draft.subject, "body": draft.body}),
        "report": services.draft_check(draft),
        "words": checks.body_word_count(draft.body),
        "mailto": services.draft_mailto(draft),
        "smtp": services.smtp_configured(),
        "sent_form": forms.MarkSentForm(),
    }


@login_required
def draft_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    draft = selectors.draft_get(_owner(request), public_id)
    form = forms.DraftForm(
        request.POST or None, initial={"subject": draft.subject, "body": draft.body}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.draft_update(draft, **form.cleaned_data)
        except ValidationError as exc:
            for error in exc.messages:
                form.add_error(None, error)
        else:
            report = services.draft_check(draft)
            if report.ok:
                messages.success(request, "Saved. The checks pass.")
            else:
                messages.warning(
                    request, f"Saved, but {len(report.errors)} rule(s) are broken: see the checks."
                )
            return redirect("messaging:draft_detail", public_id=draft.public_id)
    return render(request, "messaging/draft_detail.html", _draft_context(draft, form))


@login_required
@require_POST
def draft_check_view(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The checks on the text being typed (htmx), without saving it."""
    draft = selectors.draft_get(_owner(request), public_id)
    draft.subject = request.POST.get("subject", draft.subject)
    draft.body = request.POST.get("body", draft.body)
    return render(
        request,
        "messaging/partials/checks.html",
        {
            "report": services.draft_check(draft),
            "words": checks.body_word_count(draft.body),
            "draft": draft,
        },
    )


@login_required
@require_GET
def draft_eml(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    draft = selectors.draft_get(_owner(request), public_id)
    response = HttpResponse(services.draft_eml(draft), content_type="message/rfc822")
    response["Content-Disposition"] = (
        f'attachment; filename="{draft.kind}-{str(draft.public_id)[:8]}.eml"'
    )
    return response


def _after_sent(draft: Draft) -> HttpResponse:
    if draft.meeting is not None:
        return redirect("meetings:meeting_detail", public_id=draft.meeting.public_id)
    return redirect("messaging:draft_detail", public_id=draft.public_id)


@login_required
@require_POST
def draft_mark_sent(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    draft = selectors.draft_get(_owner(request), public_id)
    form = forms.MarkSentForm(request.POST)
    via = form.cleaned_data["via"] if form.is_valid() else SentVia.COPY
    try:
        services.draft_mark_sent(draft, via=via)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("messaging:draft_detail", public_id=draft.public_id)
    messages.success(request, f"Marked sent to {draft.person}; the text is in the journal (R17).")
    return _after_sent(draft)


@login_required
@require_POST
def draft_send(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    draft = selectors.draft_get(_owner(request), public_id)
    try:
        services.draft_send(draft)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("messaging:draft_detail", public_id=draft.public_id)
    except OSError as exc:  # the SMTP server refused or could not be reached
        messages.error(
            request, f"The mail server did not take the message ({exc}); nothing was marked sent."
        )
        return redirect("messaging:draft_detail", public_id=draft.public_id)
    messages.success(request, f"Sent to {draft.person.primary_email}; the text is in the journal.")
    return _after_sent(draft)


@login_required
def draft_delete(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    draft = selectors.draft_get(_owner(request), public_id)
    if request.method == "POST":
        try:
            services.draft_delete(draft)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("messaging:draft_detail", public_id=draft.public_id)
        messages.success(request, "Draft deleted.")
        return redirect("messaging:draft_list")
    return render(
        request,
        "messaging/draft_confirm_delete.html",
        {"draft": draft},
    )


@login_required
@require_GET
def template_list(request: HttpRequest) -> HttpResponse:
    owner = _owner(request)
    rows = []
    for value, label in DraftKind.choices:
        subject, _body, own = services.template_for(owner, value)
        rows.append({"kind": value, "label": label, "subject": subject, "own": own})
    return render(request, "messaging/template_list.html", {"rows": rows})


@login_required
def template_edit(request: HttpRequest, kind: str) -> HttpResponse:
    owner = _owner(request)
    if kind not in DraftKind.values:
        raise Http404("No such message kind.")
    subject, body, own = services.template_for(owner, kind)
    form = forms.TemplateForm(request.POST or None, initial={"subject": subject, "body": body})
    if request.method == "POST":
        if "reset" in request.POST:
            services.template_reset(owner, kind)
            messages.success(request, "Back to the built-in text.")
            return redirect("messaging:template_edit", kind=kind)
        if form.is_valid():
            try:
                services.template_save(owner, kind, **form.cleaned_data)
            except ValidationError as exc:
                for error in exc.messages:
                    form.add_error("body", error)
            else:
                messages.success(request, "Template saved: new drafts use it.")
                return redirect("messaging:template_list")
    return render(
        request,
        "messaging/template_edit.html",
        {
            "form": form,
            "kind": kind,
            "label": DraftKind(kind).label,
            "own": own,
            "placeholders": PLACEHOLDERS.items(),
        },
    )
