"""Meeting pages: thin views over selectors, forms and services. Each answers a full
request and, where it makes sense, an htmx request with a partial."""

from __future__ import annotations

import datetime as dt
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from grapevine.accounts.models import User
from grapevine.coach.agenda import r3_request_warning
from grapevine.contacts.models import ContactList, Person
from grapevine.contacts.selectors import person_find_by_name, person_get, person_list
from grapevine.journal.selectors import entry_list
from grapevine.meetings import calendar, forms, prep, selectors, services
from grapevine.meetings.models import Meeting, Status
from grapevine.meetings.questions import question_bank
from grapevine.messaging.models import DraftKind
from grapevine.messaging.selectors import meeting_drafts

PEOPLE_IN_DATALIST = 300


def _owner(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _wants_fragment(request: HttpRequest) -> bool:
    """An htmx request that wants a fragment (a history restore wants the whole page)."""
    htmx = getattr(request, "htmx", None)
    return htmx is not None and bool(htmx) and not htmx.history_restore_request


def _people_names(owner: User) -> list[str]:
    """Names for the person fields' datalist: list A first (R3)."""
    people = person_list(owner).order_by("contact_list", "full_name")
    return list(people.values_list("full_name", flat=True)[:PEOPLE_IN_DATALIST])


def _person_from_name(owner: User, name: str) -> Person:
    found = person_find_by_name(owner, name)
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        raise ValidationError(
            f"{len(found)} people are called “{name}”: open the right one from People and ask from there."
        )
    raise ValidationError(
        f"Nobody called “{name}” in your contact book: add them under People first."
    )


def _form_errors_from(
    form: forms.forms.Form, exc: ValidationError, field: str | None = None
) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            target = name if name in form.fields else field
            for error in errors:
                form.add_error(target, error)
    else:
        for error in exc.messages:
            form.add_error(field, error)


# ---------------------------------------------------------------------------
# List and request
# ---------------------------------------------------------------------------


@login_required
@require_GET
def meeting_list(request: HttpRequest) -> HttpResponse:
    owner = _owner(request)
    status = request.GET.get("status", "")
    if status not in Status.values:
        status = ""
    context = {
        "meetings": selectors.meeting_list(owner, status=status or None)[:200],
        "status": status,
        "statuses": Status.choices,
        "promises": selectors.promise_list(owner)[:50],
        "awaiting_thanks": selectors.meetings_awaiting_thank_you(owner)[:20],
    }
    return render(request, "meetings/meeting_list.html", context)


@login_required
def meeting_request(request: HttpRequest) -> HttpResponse:
    owner = _owner(request)
    initial: dict[str, str] = {}
    r3_warning = ""
    if request.GET.get("person"):
        try:
            chosen = person_get(owner, request.GET["person"])
        except Http404:  # a stale link: just leave the field empty
            initial = {}
        else:
            initial["person"] = chosen.full_name
            r3_warning = r3_request_warning(owner, chosen)
    form = forms.MeetingRequestForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = _person_from_name(owner, data["person"])
            meeting = services.meeting_request(
                owner,
                person,
                minutes=data["minutes"],
                channel=data["channel"],
                place=data["place"],
                purpose=data["purpose"],
            )
        except ValidationError as exc:
            _form_errors_from(form, exc, "person")
        else:
            messages.success(request, f"Recorded your request to {person}. Now write the message.")
            warning = r3_request_warning(owner, person)
            if warning:
                messages.warning(request, warning)
            return redirect("meetings:meeting_detail", public_id=meeting.public_id)
    return render(
        request,
        "meetings/meeting_request.html",
        {"form": form, "people_names": _people_names(owner), "r3_warning": r3_warning},
    )


# ---------------------------------------------------------------------------
# One meeting
# ---------------------------------------------------------------------------


def _detail_context(meeting: Meeting) -> dict[str, object]:
    owner = meeting.owner
    journal = entry_list(owner, person=meeting.person).filter(
        occurred_at__gte=meeting.requested_at - dt.timedelta(minutes=1)
    )
    return {
        "meeting": meeting,
        "events": selectors.meeting_events(meeting),
        "journal": journal[:50],
        "produced": selectors.meeting_referrals(meeting),
        "gap": selectors.meeting_referral_gap(meeting),
        "promises": selectors.meeting_promises(meeting),
        "drafts": meeting_drafts(meeting),
        "thank_you": selectors.meeting_thank_you_entry(meeting),
        "schedule_form": forms.MeetingScheduleForm(
            initial={
                "scheduled_for": timezone.localtime(meeting.scheduled_for)
                if meeting.scheduled_for
                else None,
                "channel": meeting.channel,
                "place": meeting.place,
            }
        ),
        "draft_kinds": _draft_kinds_for(meeting),
        "Status": Status,
    }


def _draft_kinds_for(meeting: Meeting) -> list[tuple[str, str]]:
    labels = dict(DraftKind.choices)
    if meeting.status == Status.REQUESTED:
        first = DraftKind.REQUEST_WARM if meeting.referral_id else DraftKind.REQUEST_COLD
        kinds = [first, DraftKind.NOT_HIRING, DraftKind.FOLLOW_UP]
    elif meeting.status == Status.SCHEDULED:
        kinds = [DraftKind.CONFIRMATION]
    elif meeting.status == Status.HELD:
        kinds = [DraftKind.THANK_YOU, DraftKind.KEEP_IN_TOUCH]
        if meeting.referral_id:
            kinds.insert(1, DraftKind.REPORT_BACK)
    elif meeting.status == Status.NO_ANSWER:
        kinds = [DraftKind.FOLLOW_UP]
    else:
        kinds = [DraftKind.KEEP_IN_TOUCH]
    return [(str(k), str(labels[k])) for k in kinds]


@login_required
@require_GET
def meeting_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    meeting = selectors.meeting_get(_owner(request), public_id)
    return render(request, "meetings/meeting_detail.html", _detail_context(meeting))


@login_required
@require_POST
def meeting_schedule(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    meeting = selectors.meeting_get(_owner(request), public_id)
    form = forms.MeetingScheduleForm(request.POST)
    if form.is_valid():
        try:
            services.meeting_schedule(
                meeting,
                form.cleaned_data["scheduled_for"],
                channel=form.cleaned_data["channel"],
                place=form.cleaned_data["place"],
            )
        except ValidationError as exc:
            _form_errors_from(form, exc)
        else:
            messages.success(
                request, "Scheduled. Download the calendar file so you get a reminder."
            )
            return redirect("meetings:meeting_detail", public_id=meeting.public_id)
    context = _detail_context(meeting)
    context["schedule_form"] = form
    return render(request, "meetings/meeting_detail.html", context, status=400)


STATUS_ACTIONS = {
    "held": (
        services.meeting_hold,
        "Marked held. Take your notes now, then the debrief (R9, R10).",
    ),
    "declined": (services.meeting_decline, "Marked declined."),
    "no_answer": (
        services.meeting_no_answer,
        "Marked unanswered. After 3 business days write to a second person there; after 7, one follow-up (R15).",
    ),
    "cancelled": (services.meeting_cancel, "Cancelled."),
}


@login_required
@require_POST
def meeting_set_status(request: HttpRequest, public_id: uuid.UUID, action: str) -> HttpResponse:
    meeting = selectors.meeting_get(_owner(request), public_id)
    if action not in STATUS_ACTIONS:
        messages.error(request, "Unknown action.")
        return redirect("meetings:meeting_detail", public_id=meeting.public_id)
    service, done = STATUS_ACTIONS[action]
    try:
        service(meeting)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("meetings:meeting_detail", public_id=meeting.public_id)
    messages.success(request, done)
    if action == "held":
        return redirect("meetings:meeting_notes", public_id=meeting.public_id)
    return redirect("meetings:meeting_detail", public_id=meeting.public_id)


@login_required
@require_GET
def meeting_ics(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    meeting = selectors.meeting_get(_owner(request), public_id)
    if meeting.scheduled_for is None:
        messages.error(request, "Schedule the meeting first: the calendar file needs its date.")
        return redirect("meetings:meeting_detail", public_id=meeting.public_id)
    response = HttpResponse(
        calendar.meeting_ics(
            meeting,
            request.build_absolute_uri(reverse("meetings:meeting_prep", args=[meeting.public_id])),
        ),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="meeting-{str(meeting.public_id)[:8]}.ics"'
    )
    return response


# ---------------------------------------------------------------------------
# Preparation (R5, R6)
# ---------------------------------------------------------------------------


@login_required
def meeting_prep(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    owner = _owner(request)
    meeting = selectors.meeting_get(owner, public_id)
    form = forms.PrepForm(
        request.POST or None,
        initial={
            "purpose": meeting.purpose,
            "research_person": meeting.research_person,
            "research_organisation": meeting.research_organisation,
            "jargon": meeting.jargon,
        },
    )
    if request.method == "POST" and form.is_valid():
        services.meeting_prep_update(meeting, **form.cleaned_data)
        messages.success(request, "Preparation saved.")
        return redirect("meetings:meeting_prep", public_id=meeting.public_id)
    chosen = [q.key for q in meeting.questions.all()]
    return render(
        request,
        "meetings/meeting_prep.html",
        {
            "meeting": meeting,
            "form": form,
            "bank": question_bank(owner, starred_first=True),
            "chosen": chosen,
            "chosen_count": len(chosen),
        },
    )


@login_required
@require_POST
def meeting_questions(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    meeting = selectors.meeting_get(_owner(request), public_id)
    try:
        chosen = services.meeting_questions_set(meeting, request.POST.getlist("question"))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        hint = "" if 8 <= len(chosen) <= 12 else " About ten is right for a short meeting (R5)."
        messages.success(request, f"{len(chosen)} questions chosen.{hint}")
    return redirect(reverse("meetings:meeting_prep", args=[meeting.public_id]) + "#questions")


@login_required
@require_GET
def meeting_prep_sheet(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    owner = _owner(request)
    meeting = selectors.meeting_get(owner, public_id)
    sheet = prep.prep_sheet(meeting)
    if request.GET.get("format") == "md":
        response = HttpResponse(
            prep.prep_sheet_markdown(sheet), content_type="text/markdown; charset=utf-8"
        )
        response["Content-Disposition"] = (
            f'attachment; filename="prep-{str(meeting.public_id)[:8]}.md"'
        )
        return response
    return render(request, "meetings/prep_sheet.html", {"meeting": meeting, "sheet": sheet})


# ---------------------------------------------------------------------------
# Notes (R9) and debrief (R10, R11, R13)
# ---------------------------------------------------------------------------


@login_required
def meeting_notes(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    owner = _owner(request)
    meeting = selectors.meeting_get(owner, public_id)
    form = forms.NotesForm(request.POST or None, initial={"notes": meeting.notes})
    if request.method == "POST" and form.is_valid():
        services.meeting_notes_save(meeting, form.cleaned_data["notes"])
        if _wants_fragment(request):
            return render(
                request,
                "meetings/partials/mentions.html",
                {
                    "meeting": meeting,
                    "mentions": selectors.meeting_mentions(meeting),
                    "saved": True,
                },
            )
        messages.success(request, "Notes saved.")
        return redirect("meetings:meeting_notes", public_id=meeting.public_id)
    return render(
        request,
        "meetings/meeting_notes.html",
        {"meeting": meeting, "form": form, "mentions": selectors.meeting_mentions(meeting)},
    )


@login_required
def meeting_debrief(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    owner = _owner(request)
    meeting = selectors.meeting_get(owner, public_id)
    mentions = selectors.meeting_mentions(meeting)
    already = {r.referred.full_name.lower() for r in selectors.meeting_referrals(meeting)}
    initial_rows = [
        {"name": m.name, "may_contact": True, "new_list": ContactList.C}
        for m in mentions
        if m.kind == "person" and m.name.lower() not in already
    ][:3]
    form = forms.DebriefForm(
        request.POST or None,
        initial={
            "how_it_went": meeting.how_it_went,
            "learned": meeting.learned,
            "will_act_on": meeting.will_act_on,
            "help_offered": meeting.help_offered,
        },
    )
    referral_forms = forms.referral_formset(len(initial_rows))(
        request.POST or None, prefix="ref", initial=initial_rows or None
    )
    promise_forms = forms.PromiseFormSet(request.POST or None, prefix="promise")
    if (
        request.method == "POST"
        and form.is_valid()
        and referral_forms.is_valid()
        and promise_forms.is_valid()
    ):
        items: list[services.ReferralInput] = []
        promises: list[services.PromiseInput] = []
        problems = False
        for row in referral_forms:
            data = row.cleaned_data
            name = (data.get("name") or "").strip()
            if not name:
                continue
            found = person_find_by_name(owner, name)
            if len(found) > 1:
                row.add_error(
                    "name",
                    f"{len(found)} people are called “{name}”; rename one under People first.",
                )
                problems = True
                continue
            items.append(
                services.ReferralInput(
                    person=found[0] if found else None,
                    new_name=name,
                    new_list=data.get("new_list") or ContactList.C,
                    new_organisation=data.get("organisation") or "",
                    reason=data.get("reason") or "",
                    may_contact=bool(data.get("may_contact")),
                    may_use_name=bool(data.get("may_use_name")),
                    will_introduce=bool(data.get("will_introduce")),
                    preferred_channel=data.get("preferred_channel") or "",
                )
            )
        for promise_row in promise_forms:
            data = promise_row.cleaned_data
            if data.get("text"):
                promises.append(services.PromiseInput(text=data["text"], due_on=data["due_on"]))
        if not problems:
            try:
                services.meeting_debrief(
                    meeting, **form.cleaned_data, referrals=items, promises=promises
                )
            except ValidationError as exc:
                _form_errors_from(form, exc)
            else:
                gap = selectors.meeting_referral_gap(meeting)
                if gap:
                    messages.warning(
                        request,
                        f"Debrief saved — {gap} short of the two referrals to aim for (R10). "
                        "Next time ask “Who else should I talk to?”",
                    )
                else:
                    messages.success(
                        request, "Debrief saved. Now thank them within 24 hours (R11)."
                    )
                return redirect("meetings:meeting_detail", public_id=meeting.public_id)
    return render(
        request,
        "meetings/meeting_debrief.html",
        {
            "meeting": meeting,
            "form": form,
            "referral_forms": referral_forms,
            "promise_forms": promise_forms,
            "mentions": mentions,
            "people_names": _people_names(owner),
            "produced": selectors.meeting_referrals(meeting),
        },
    )


@login_required
@require_POST
def promise_done(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    promise = selectors.promise_get(_owner(request), public_id)
    services.promise_mark_done(promise)
    if _wants_fragment(request):
        return HttpResponse(
            render_to_string("meetings/partials/promise_done.html", {"promise": promise})
        )
    messages.success(request, f"Done: {promise.text}")
    return redirect(request.POST.get("next") or "meetings:meeting_list")


# ---------------------------------------------------------------------------
# Question bank and drill
# ---------------------------------------------------------------------------


@login_required
def question_bank_view(request: HttpRequest) -> HttpResponse:
    owner = _owner(request)
    form = forms.OwnQuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.own_question_create(owner, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors_from(form, exc)
        else:
            messages.success(request, "Question added to your bank.")
            return redirect("meetings:question_bank")
    bank = question_bank(owner)
    return render(
        request,
        "meetings/question_bank.html",
        {"bank": bank, "form": form, "total": sum(len(qs) for _, _, qs in bank)},
    )


@login_required
@require_POST
def question_star(request: HttpRequest) -> HttpResponse:
    owner = _owner(request)
    key = request.POST.get("key", "")
    try:
        starred = services.question_star_toggle(owner, key)
    except ValidationError as exc:
        return HttpResponse(" ".join(exc.messages), status=400)
    if _wants_fragment(request):
        return render(
            request, "meetings/partials/star_button.html", {"key": key, "starred": starred}
        )
    return redirect(request.POST.get("next") or "meetings:question_bank")


@login_required
def drill(request: HttpRequest) -> HttpResponse:
    owner = _owner(request)
    current = selectors.drill_current(owner)
    form = forms.DrillForm(request.POST or None, initial={"text": current.text if current else ""})
    practice_form = forms.PracticeForm()
    if request.method == "POST" and form.is_valid():
        version = services.drill_save(owner, form.cleaned_data["text"])
        seconds = services.spoken_seconds(version.word_count)
        over = (
            " — over two minutes: cut it down (R6)."
            if services.drill_too_long(version.word_count)
            else "."
        )
        messages.success(
            request, f"Saved: {version.word_count} words, about {seconds} seconds spoken{over}"
        )
        return redirect("meetings:drill")
    return render(request, "meetings/drill.html", _drill_context(owner, form, practice_form))


def _drill_context(
    owner: User, form: forms.DrillForm, practice_form: forms.PracticeForm
) -> dict[str, object]:
    current = selectors.drill_current(owner)
    words = current.word_count if current else 0
    practices = selectors.drill_practices(owner)
    practised_a = practices.filter(person__contact_list=ContactList.A).exists()
    return {
        "form": form,
        "practice_form": practice_form,
        "current": current,
        "words": words,
        "seconds": services.spoken_seconds(words),
        "too_long": services.drill_too_long(words),
        "limit_seconds": services.DRILL_SECONDS,
        "wpm": services.WORDS_PER_MINUTE,
        "versions": selectors.drill_versions(owner)[:20],
        "practices": practices[:50],
        "practised_a": practised_a,
        "people_names": _people_names(owner),
    }


@login_required
@require_POST
def drill_practice(request: HttpRequest) -> HttpResponse:
    owner = _owner(request)
    practice_form = forms.PracticeForm(request.POST)
    if practice_form.is_valid():
        data = practice_form.cleaned_data
        try:
            person = _person_from_name(owner, data["person"])
            services.drill_practice_log(
                owner, person=person, practised_on=data["practised_on"], feedback=data["feedback"]
            )
        except ValidationError as exc:
            _form_errors_from(practice_form, exc, "person")
        else:
            note = (
                ""
                if person.contact_list == ContactList.A
                else " Practise on list A first when you can (R3)."
            )
            messages.success(request, f"Logged: practised with {person}.{note}")
            return redirect("meetings:drill")
    current = selectors.drill_current(owner)
    form = forms.DrillForm(initial={"text": current.text if current else ""})
    return render(
        request, "meetings/drill.html", _drill_context(owner, form, practice_form), status=400
    )
