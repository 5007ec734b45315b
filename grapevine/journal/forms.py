"""Forms of the journal (R17). They check and shape input; the services write."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from grapevine.contacts.models import ContactList
from grapevine.journal.models import Entry, Kind

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class EntryForm(forms.Form):
    kind = forms.ChoiceField(
        label="What happened",
        choices=Kind.choices,
        initial=Kind.NOTE,
        error_messages={"required": "Choose what happened: a message, a call, a meeting…"},
    )
    occurred_at = forms.DateTimeField(
        label="When",
        input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M", "%Y-%m-%d"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
        help_text="Date and time, in your time zone.",
        error_messages={
            "required": "Say when it happened.",
            "invalid": "Write the date and time like 2025-03-14 09:30.",
        },
    )
    # Public ids of the people, picked by search (contacts' person picker).
    people = forms.Field(required=False, widget=forms.MultipleHiddenInput, label="People")
    organisation_name = forms.CharField(
        label="Organisation",
        required=False,
        max_length=200,
        help_text="Leave empty to use the organisation of the one person named.",
        widget=forms.TextInput(attrs={"list": "organisation-names", "autocomplete": "off"}),
    )
    subject = forms.CharField(
        label="Subject",
        required=False,
        max_length=300,
        help_text="One line you will recognise later.",
    )
    notes = forms.CharField(
        label="Notes",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Markdown. Write down every person and company mentioned (R9) and what you promised.",
    )

    @classmethod
    def initial_for(cls, entry: Entry) -> dict[str, Any]:
        return {
            "kind": entry.kind,
            "occurred_at": entry.occurred_at,
            "organisation_name": entry.organisation.name if entry.organisation else "",
            "subject": entry.subject,
            "notes": entry.notes,
        }

    def people_ids(self) -> list[str]:
        value = self.cleaned_data.get("people") or []
        return [str(v) for v in (value if isinstance(value, list) else [value]) if v]


class EntryFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label="Kind", required=False, choices=[("", "Every kind"), *Kind.choices]
    )
    list = forms.ChoiceField(
        label="List", required=False, choices=[("", "Every list"), *ContactList.choices]
    )
    date_from = forms.DateField(
        label="From",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Write the start date as YYYY-MM-DD."},
    )
    date_to = forms.DateField(
        label="To",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Write the end date as YYYY-MM-DD."},
    )
    person = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start: dt.date | None = data.get("date_from")
        end: dt.date | None = data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end date is before the start date.")
        return data
