"""Forms of the meetings pages. They validate input; services do the writes."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from grapevine.contacts.models import Channel, ContactList
from grapevine.meetings.models import (
    DEFAULT_MINUTES,
    MAX_MINUTES,
    MeetingChannel,
    Purpose,
    QuestionGroup,
)


class PersonNameInput(forms.TextInput):
    def __init__(self) -> None:
        super().__init__(attrs={"list": "people-names", "autocomplete": "off"})


class MeetingRequestForm(forms.Form):
    person = forms.CharField(
        label="Person",
        max_length=200,
        widget=PersonNameInput(),
        help_text="Their full name as in your contact book. Start with list A (R3).",
        error_messages={"required": "Say whom you asked: a name from your contact book."},
    )
    minutes = forms.IntegerField(
        label="Length (minutes)",
        initial=DEFAULT_MINUTES,
        min_value=5,
        help_text=f"Ask for 15-20 minutes, never more than {MAX_MINUTES} (R4). End on time.",
        error_messages={"required": "Say how many minutes you ask for (R4: 15-20)."},
    )
    channel = forms.ChoiceField(label="Channel", choices=MeetingChannel.choices)
    place = forms.CharField(
        label="Place or link",
        required=False,
        max_length=300,
        help_text="An address, a café, a phone number or a video link.",
    )
    purpose = forms.ChoiceField(
        label="Purpose",
        choices=Purpose.choices,
        initial=Purpose.ADVICE,
        help_text="Information and advice — never a job (R1).",
    )


class MeetingScheduleForm(forms.Form):
    scheduled_for = forms.DateTimeField(
        label="Date and time",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        help_text="When you meet, in your time zone.",
        error_messages={
            "required": "Give the date and time you agreed.",
            "invalid": "Write the date and time as 2026-11-26 10:00.",
        },
    )
    channel = forms.ChoiceField(label="Channel", choices=MeetingChannel.choices)
    place = forms.CharField(label="Place or link", required=False, max_length=300)


class PrepForm(forms.Form):
    purpose = forms.ChoiceField(
        label="Purpose",
        choices=Purpose.choices,
        help_text="Information and advice — never a job (R1).",
    )
    research_person = forms.CharField(
        label="About the person",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Their path, posts, talks, what you have in common (R5). Markdown.",
    )
    research_organisation = forms.CharField(
        label="About the organisation",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="News, products, challenges, culture (R5). Markdown.",
    )
    jargon = forms.CharField(
        label="Jargon and keywords",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Words they use that you should understand and use (R5).",
    )


class NotesForm(forms.Form):
    notes = forms.CharField(
        label="Notes",
        required=False,
        widget=forms.Textarea(attrs={"rows": 12, "autocapitalize": "sentences"}),
        help_text="Write @Name for every person and #Organisation for every company mentioned; "
        "they are listed below to ask about at the end (R9).",
    )


class OwnQuestionForm(forms.Form):
    group = forms.ChoiceField(label="Group", choices=QuestionGroup.choices)
    text = forms.CharField(
        label="Your question",
        max_length=500,
        error_messages={"required": "Write the question you want to add."},
    )


class DrillForm(forms.Form):
    text = forms.CharField(
        label="Your two-minute drill",
        widget=forms.Textarea(attrs={"rows": 10, "data-drill": "1"}),
        help_text="Who you are, what you did, what you look for, and why you ask them (R6). "
        "About 260 words at most: two minutes at 130 words a minute.",
        error_messages={"required": "Write your drill first."},
    )


class PracticeForm(forms.Form):
    person = forms.CharField(
        label="Practised with",
        max_length=200,
        widget=PersonNameInput(),
        help_text="Someone from list A first (R3, R6).",
        error_messages={"required": "Say whom you practised with."},
    )
    practised_on = forms.DateField(
        label="On",
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    feedback = forms.CharField(label="Their feedback", required=False, max_length=1000)


class DebriefForm(forms.Form):
    how_it_went = forms.CharField(
        label="How it went", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    learned = forms.CharField(
        label="What I learned",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One point a line: the thank-you draft quotes them (R11).",
    )
    will_act_on = forms.CharField(
        label="What I will act on", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    help_offered = forms.CharField(
        label="Help I offered",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Always offer help; it is recorded in the journal as help given (R13).",
    )


class ReferralRowForm(forms.Form):
    """One referral the person gave: an existing contact or a new name (R10)."""

    name = forms.CharField(
        label="Name",
        required=False,
        max_length=200,
        widget=PersonNameInput(),
        help_text="A name in your contact book links that person; a new name is added.",
    )
    organisation = forms.CharField(
        label="Organisation (new people)", required=False, max_length=200
    )
    new_list = forms.ChoiceField(
        label="List (new people)", choices=ContactList.choices, initial=ContactList.C
    )
    reason = forms.CharField(
        label="Why they suggested this person",
        required=False,
        max_length=500,
        help_text="You will say it first when you write (R7).",
    )
    may_contact = forms.BooleanField(label="I may contact them", required=False, initial=True)
    may_use_name = forms.BooleanField(
        label="I may use their name",
        required=False,
        help_text="Only when they said yes (R10).",
    )
    will_introduce = forms.BooleanField(label="They will introduce me", required=False)
    preferred_channel = forms.ChoiceField(
        label="Call or e-mail?", choices=Channel.choices, required=False
    )


class PromiseRowForm(forms.Form):
    text = forms.CharField(
        label="Promise",
        required=False,
        max_length=300,
        help_text="Something you promised: send an article, the CV later.",
    )
    due_on = forms.DateField(
        label="By",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("text") and not data.get("due_on"):
            data["due_on"] = timezone.localdate() + dt.timedelta(days=3)
        return data


def referral_formset(rows_from_notes: int) -> type[forms.BaseFormSet]:
    """Rows for up to three referrals (R10), the names from the notes first."""
    return forms.formset_factory(ReferralRowForm, extra=max(1, 3 - rows_from_notes), max_num=10)


PromiseFormSet = forms.formset_factory(PromiseRowForm, extra=2, max_num=10)
