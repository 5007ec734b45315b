"""Forms of the messages pages."""

from __future__ import annotations

from django import forms

from grapevine.messaging.models import SentVia


class DraftForm(forms.Form):
    subject = forms.CharField(label="Subject", required=False, max_length=300)
    body = forms.CharField(
        label="Message",
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text="Checked as you type against the rules; each finding names its rule.",
        error_messages={
            "required": "The message is empty: write it or start again from the template."
        },
    )


class MarkSentForm(forms.Form):
    via = forms.ChoiceField(
        label="How did you send it?",
        choices=[c for c in SentVia.choices if c[0] and c[0] != SentVia.SMTP],
        initial=SentVia.COPY,
    )


class TemplateForm(forms.Form):
    subject = forms.CharField(label="Subject", max_length=300)
    body = forms.CharField(
        label="Text",
        widget=forms.Textarea(attrs={"rows": 14}),
        error_messages={"required": "The template needs a text."},
    )
