"""Forms of the coach: they check and shape input; the services write."""

from __future__ import annotations

import datetime as dt

from django import forms

from grapevine.coach.models import CoachSettings
from grapevine.coach.services import SETTINGS_FIELDS


class CoachSettingsForm(forms.ModelForm):
    class Meta:
        model = CoachSettings
        fields = list(SETTINGS_FIELDS)
        widgets = {"landed_on": forms.DateInput(attrs={"type": "date"})}

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        second = data.get("second_person_business_days")
        follow = data.get("follow_up_business_days")
        if isinstance(second, int) and isinstance(follow, int) and second > follow:
            self.add_error(
                "second_person_business_days",
                "R15 (3B7): write to the second person before the follow-up — make this "
                f"number at most {follow}, the follow-up's.",
            )
        return data


class TodoForm(forms.Form):
    title = forms.CharField(
        label="To-do",
        max_length=300,
        help_text="What to do, in a few words: “Send Ana the article on pricing”.",
        error_messages={"required": "Say what to do, in a few words."},
    )
    due_on = forms.DateField(
        label="Due",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="The day it appears on your agenda.",
        error_messages={
            "required": "Give the day it is due.",
            "invalid": "Write the day as YYYY-MM-DD, like 2026-03-02.",
        },
    )


SNOOZE_CHOICES = [("1", "until tomorrow"), ("3", "for 3 days"), ("7", "for a week")]


class ActionForm(forms.Form):
    key = forms.CharField(max_length=200)
    op = forms.ChoiceField(choices=[("done", "done"), ("snooze", "snooze"), ("dismiss", "dismiss")])
    days = forms.TypedChoiceField(
        choices=SNOOZE_CHOICES, coerce=int, required=False, empty_value=None
    )

    def snooze_until(self, today: dt.date) -> dt.date:
        return today + dt.timedelta(days=self.cleaned_data.get("days") or 1)
