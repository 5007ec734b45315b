"""Import (upload → preview → confirm), export downloads, duplicates and merge.

Thin views: selectors read (owner-scoped), services write; each answers a full page.
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from grapevine.accounts.models import User
from grapevine.contacts.merge import person_merge, probable_duplicates
from grapevine.contacts.selectors import person_choices, person_get
from grapevine.transfer.backup import backup_data
from grapevine.transfer.exports import csv_zip, vcard_text
from grapevine.transfer.forms import ExportForm, UploadForm
from grapevine.transfer.selectors import pending_import_get, pending_import_preview
from grapevine.transfer.services import (
    BadFile,
    PlanStale,
    pending_import_confirm,
    pending_import_create,
    pending_import_delete,
)


def _owner(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@login_required
@require_http_methods(["GET", "POST"])
def home(request: HttpRequest) -> HttpResponse:
    owner = _owner(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            pending = pending_import_create(
                owner,
                name=upload.name,
                chunks=upload.chunks(),
                size=upload.size,
                contact_list=form.cleaned_data["contact_list"],
                skip_bad_rows=form.cleaned_data["skip_bad_rows"],
            )
        except BadFile as exc:
            form.add_error("file", str(exc))
        else:
            return redirect("transfer:preview", public_id=pending.public_id)
    return render(
        request,
        "transfer/home.html",
        {"form": form, "export_form": ExportForm(request.GET or None)},
        status=400 if form.errors else 200,
    )


PLAN_PAGE = 100
_SHOWN = {"new": "New", "update": "Updated", "same": "Unchanged", "skip": "Skipped"}


@login_required
def preview(request: HttpRequest, public_id: str) -> HttpResponse:
    """The stored plan, a page of rows at a time; nothing is read from the file again
    and nothing is written."""
    pending = pending_import_get(_owner(request), public_id)
    context: dict[str, object] = {"pending": pending, "summary": pending.summary}
    if pending.summary.get("failed"):
        return render(request, "transfer/preview.html", context)
    action = request.GET.get("show", "")
    action = action if action in _SHOWN else ""
    try:
        number = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        number = 1
    try:
        header, rows, total = pending_import_preview(
            pending, start=(number - 1) * PLAN_PAGE, stop=number * PLAN_PAGE, action=action
        )
    except BadFile as exc:
        messages.error(request, str(exc))
        return redirect("transfer:home")
    pages = max(1, -(-total // PLAN_PAGE))
    context.update(
        {
            "header": header,
            "rows": rows,
            "show": action,
            "filters": [("", "All rows"), *_SHOWN.items()],
            "page_number": number,
            "pages": pages,
            "previous_page": number - 1 if number > 1 else None,
            "next_page": number + 1 if number < pages else None,
            "skipped": header["skipped"][:500],
            "notices": header["notices"][:500],
            "duplicates": header["duplicates"][:500],
        }
    )
    return render(request, "transfer/preview.html", context)


@login_required
@require_POST
def confirm(request: HttpRequest, public_id: str) -> HttpResponse:
    pending = pending_import_get(_owner(request), public_id)
    name = pending.original_name
    if pending.summary.get("failed"):
        messages.error(request, f"Nothing was imported from {name}: {pending.summary['failed']}")
        return redirect("transfer:preview", public_id=pending.public_id)
    try:
        result = pending_import_confirm(pending)
    except PlanStale as exc:
        messages.warning(request, f"Nothing was imported yet: {exc}")
        return redirect("transfer:preview", public_id=pending.public_id)
    except BadFile as exc:
        messages.error(request, f"Nothing was imported from {name}: {exc}")
        return redirect("transfer:home")
    messages.success(
        request,
        f"Imported {name}: {result.created} new, {result.updated} updated, "
        f"{result.unchanged} unchanged, {len(result.skipped)} skipped.",
    )
    return render(request, "transfer/done.html", {"result": result, "name": name})


@login_required
@require_POST
def cancel(request: HttpRequest, public_id: str) -> HttpResponse:
    pending = pending_import_get(_owner(request), public_id)
    pending_import_delete(pending)
    messages.info(request, f"{pending.original_name} was not imported; the upload is deleted.")
    return redirect("transfer:home")


def _download(content: bytes | str, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def export_csv(request: HttpRequest) -> HttpResponse:
    stamp = timezone.localdate().isoformat()
    return _download(csv_zip(_owner(request)), f"grapevine-{stamp}-csv.zip", "application/zip")


@login_required
def export_vcard(request: HttpRequest) -> HttpResponse:
    form = ExportForm(request.GET)
    letter = form.cleaned_data["contact_list"] if form.is_valid() else ""
    suffix = f"-list-{letter}" if letter else ""
    return _download(
        vcard_text(_owner(request), letter or None),
        f"grapevine{suffix}.vcf",
        "text/vcard; charset=utf-8",
    )


@login_required
def export_backup(request: HttpRequest) -> HttpResponse:
    data = backup_data(_owner(request))
    stamp = timezone.localdate().isoformat()
    return _download(
        json.dumps(data, ensure_ascii=False, indent=1),
        f"grapevine-backup-{stamp}.json",
        "application/json",
    )


# ---------------------------------------------------------------------------
# Duplicates and merge
# ---------------------------------------------------------------------------


@login_required
def duplicates(request: HttpRequest) -> HttpResponse:
    return render(
        request, "transfer/duplicates.html", {"pairs": probable_duplicates(_owner(request))}
    )


@login_required
def merge_pick(request: HttpRequest, public_id: str) -> HttpResponse:
    owner = _owner(request)
    person = person_get(owner, public_id)
    query = request.GET.get("q", "").strip()
    choices = [
        c for c in person_choices(owner, query, limit=30) if c.public_id != str(person.public_id)
    ]
    return render(
        request, "transfer/merge_pick.html", {"person": person, "query": query, "choices": choices}
    )


@login_required
@require_http_methods(["GET", "POST"])
def merge_confirm(request: HttpRequest, keep_id: str, drop_id: str) -> HttpResponse:
    owner = _owner(request)
    keep, drop = person_get(owner, keep_id), person_get(owner, drop_id)
    if request.method == "POST":
        try:
            merged = person_merge(keep, drop)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"{drop.full_name} is merged into {merged.full_name}.")
            return redirect("contacts:person_detail", public_id=merged.public_id)
    return render(request, "transfer/merge_confirm.html", {"keep": keep, "drop": drop})
