"""Forms of the contact book. They only check and shape input; the services write."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email

from grapevine.contacts.models import (
    LIST_HELP,
    Channel,
    Closeness,
    ContactList,
    MetContext,
    Person,
    Referral,
    Seniority,
)
from grapevine.contacts.normalise import canonical_linkedin_url
from grapevine.contacts.services import PersonData, tag_names_parse

LIST_HELP_BY_CODE: dict[str, str] = {str(code.value): text for code, text in LIST_HELP.items()}
LIST_CHOICES_WITH_HELP = [
    (value, f"{label}: {LIST_HELP_BY_CODE[value]}") for value, label in ContactList.choices
]


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError next to the field it names, or above the form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            target = name if name in form.fields else None
            for item in errors:
                form.add_error(target, item)
    else:
        form.add_error(None, error)


def split_lines(text: str, *, commas: bool = True) -> list[str]:
    pattern = r"[\n;,]+" if commas else r"[\n;]+"
    return [part.strip() for part in re.split(pattern, text or "") if part.strip()]


class ReferralPermissionsForm(forms.Form):
    """The four questions of R10 about a name you were given; shared by the person
    form ("referred by") and the referral form. Their templates place each field."""

    may_contact = forms.BooleanField(label="I may contact them", required=False, initial=True)
    may_use_name = forms.BooleanField(label="I may use the referrer's name", required=False)
    will_introduce = forms.BooleanField(
        label="The referrer will write or call ahead", required=False
    )
    preferred_channel = forms.ChoiceField(
        label="Call or e-mail?", choices=Channel.choices, required=False, help_text="R10."
    )


class PersonForm(ReferralPermissionsForm):
    full_name = forms.CharField(
        label="Full name",
        max_length=200,
        help_text="As you would write it on an envelope; credentials such as “CPA” are kept apart.",
        error_messages={"required": "Give the person a name."},
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off"}),
    )
    contact_list = forms.ChoiceField(
        label="List",
        choices=LIST_CHOICES_WITH_HELP,
        initial=ContactList.B,
        widget=forms.RadioSelect,
        help_text="Every person is on exactly one list (R2).",
        error_messages={"required": "Choose list A, B or C (R2)."},
    )
    organisation_name = forms.CharField(
        label="Organisation",
        max_length=200,
        required=False,
        help_text="Where they work now. A new name creates the organisation; “Acme Corp.” and “ACME” are the same.",
        widget=forms.TextInput(attrs={"list": "organisation-names", "autocomplete": "off"}),
    )
    job_title = forms.CharField(
        label="Title", max_length=200, required=False, help_text="Their job title."
    )
    emails = forms.CharField(
        label="E-mail addresses",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One per line; the first is the one you write to.",
    )
    phones = forms.CharField(
        label="Phone numbers",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One per line. Numbers without a country code are read as your country's.",
    )
    linkedin_url = forms.CharField(
        label="LinkedIn profile",
        max_length=300,
        required=False,
        help_text="For example linkedin.com/in/their-name.",
    )
    tags = forms.CharField(
        label="Tags",
        max_length=500,
        required=False,
        help_text="Comma-separated, for example: alumni, fintech, choir.",
    )
    met_context = forms.ChoiceField(
        label="How you met",
        choices=MetContext.choices,
        required=False,
        help_text="Everyday places count (R20).",
    )
    met_where = forms.CharField(
        label="Where you met",
        max_length=200,
        required=False,
        help_text="The event, club, café or place (R20).",
    )
    closeness = forms.ChoiceField(
        label="Closeness",
        choices=Closeness.choices,
        initial=Closeness.REGULAR,
        help_text="Sets how often Grapevine reminds you to keep in touch (R14).",
    )
    is_decision_maker = forms.BooleanField(
        label="Decision maker",
        required=False,
        help_text="They can hire or decide on hiring (R18: the aim at each target).",
    )
    seniority = forms.ChoiceField(
        label="Seniority",
        choices=Seniority.choices,
        required=False,
        help_text="Do not start with the most senior person (R3).",
    )
    notes = forms.CharField(
        label="Notes",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Markdown: **bold**, lists with “-”, links.",
    )
    # Who introduced you (R7, R10): pick an existing person with the search box.
    referred_by = forms.CharField(required=False, label="Referred by")
    referral_reason = forms.CharField(
        label="Why they think you should meet",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Say it first when you write (R7).",
    )

    REFERRAL_FIELDS = (
        "referral_reason",
        "may_contact",
        "may_use_name",
        "will_introduce",
        "preferred_channel",
    )

    def __init__(self, *args: Any, with_referral: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not with_referral:
            for name in ("referred_by", *self.REFERRAL_FIELDS):
                del self.fields[name]

    def clean_emails(self) -> str:
        # Checked here as well as in the service so every mistake shows at once.
        text: str = self.cleaned_data["emails"]
        for address in split_lines(text):
            try:
                validate_email(address)
            except ValidationError:
                raise ValidationError(f"“{address}” is not an e-mail address.") from None
        return text

    def clean_linkedin_url(self) -> str:
        text: str = self.cleaned_data["linkedin_url"].strip()
        if text and not canonical_linkedin_url(text):
            raise ValidationError("That is not a LinkedIn profile address (linkedin.com/in/…).")
        return text

    @classmethod
    def initial_for(cls, person: Person) -> dict[str, Any]:
        return {
            "full_name": person.full_name,
            "contact_list": person.contact_list,
            "organisation_name": person.organisation.name if person.organisation else "",
            "job_title": person.job_title,
            "emails": "\n".join(e.address for e in person.emails.all()),
            "phones": "\n".join(p.number for p in person.phones.all()),
            "linkedin_url": person.linkedin_url,
            "tags": ", ".join(t.name for t in person.tags.all()),
            "met_context": person.met_context,
            "met_where": person.met_where,
            "closeness": person.closeness,
            "is_decision_maker": person.is_decision_maker,
            "seniority": person.seniority,
            "notes": person.notes,
        }

    def person_data(self) -> PersonData:
        data = self.cleaned_data
        return PersonData(
            full_name=data["full_name"],
            contact_list=data["contact_list"],
            organisation_name=data["organisation_name"],
            job_title=data["job_title"],
            emails=split_lines(data["emails"]),
            phones=split_lines(data["phones"], commas=False),
            linkedin_url=data["linkedin_url"],
            tags=tag_names_parse(data["tags"]),
            met_context=data["met_context"],
            met_where=data["met_where"],
            closeness=data["closeness"],
            is_decision_maker=data["is_decision_maker"],
            seniority=data["seniority"],
            notes=data["notes"],
        )

    def referral_options(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "reason": data.get("referral_reason", ""),
            "may_contact": data.get("may_contact", False),
            "may_use_name": data.get("may_use_name", False),
            "will_introduce": data.get("will_introduce", False),
            "preferred_channel": data.get("preferred_channel", ""),
        }


class QuickAddForm(forms.Form):
    """One line on the list page: name, list and organisation."""

    full_name = forms.CharField(
        label="Name",
        max_length=200,
        error_messages={"required": "Type a name to add someone."},
        widget=forms.TextInput(
            attrs={"placeholder": "Full name", "autocomplete": "off", "aria-label": "Name"}
        ),
    )
    contact_list = forms.ChoiceField(
        label="List",
        choices=ContactList.choices,
        initial=ContactList.B,
        widget=forms.Select(attrs={"aria-label": "List"}),
    )
    organisation_name = forms.CharField(
        label="Organisation",
        max_length=200,
        required=False,
        widget=forms.TextInput(
            attrs={
                "placeholder": "Organisation (optional)",
                "list": "organisation-names",
                "autocomplete": "off",
                "aria-label": "Organisation",
            }
        ),
    )


class ListChoiceForm(forms.Form):
    contact_list = forms.ChoiceField(
        label="List",
        choices=ContactList.choices,
        widget=forms.Select(attrs={"aria-label": "List (R2)"}),
    )


class ClosenessForm(forms.Form):
    closeness = forms.ChoiceField(
        label="Closeness",
        choices=Closeness.choices,
        widget=forms.Select(attrs={"aria-label": "Closeness (R14)"}),
    )


class OrganisationForm(forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=200,
        error_messages={"required": "Give the organisation a name."},
        widget=forms.TextInput(attrs={"autofocus": True}),
    )
    aliases = forms.CharField(
        label="Other names",
        required=False,
        max_length=1000,
        help_text="Comma-separated: “IBM, International Business Machines”. Used to match people and postings.",
    )
    website = forms.URLField(
        label="Website",
        required=False,
        max_length=300,
        assume_scheme="https",
        # Only http(s): the website is shown as a link, and a javascript: link runs.
        validators=[URLValidator(schemes=["http", "https"])],
        help_text="For example https://example.com.",
        error_messages={"invalid": "That is not a web address: write it like https://example.com."},
    )
    email = forms.EmailField(
        label="E-mail address",
        required=False,
        max_length=254,
        help_text="The organisation's own address (info@, jobs@), if you write to it.",
    )
    phone = forms.CharField(
        label="Phone number",
        required=False,
        max_length=40,
        help_text="Without a country code it is read as your country's.",
    )
    notes = forms.CharField(
        label="Notes",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Markdown. What they do, their jargon, news (R5).",
    )

    def alias_names(self) -> list[str]:
        return split_lines(self.cleaned_data["aliases"], commas=True)


class ReferralForm(ReferralPermissionsForm):
    """R7/R10: "the referrer introduced me to …", with what they allowed."""

    referred = forms.CharField(required=False, label="Referred you to")
    new_name = forms.CharField(
        label="…or someone new",
        required=False,
        max_length=200,
        help_text="Their full name: Grapevine adds them to your contacts.",
    )
    new_list = forms.ChoiceField(
        label="List of the new person",
        choices=ContactList.choices,
        initial=ContactList.B,
        required=False,
        help_text="R2: usually B (professional) or C (someone at a target).",
    )
    new_organisation = forms.CharField(
        label="Their organisation",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"list": "organisation-names", "autocomplete": "off"}),
    )
    referred_on = forms.DateField(
        label="When",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Leave empty for today.",
        error_messages={"invalid": "Write the date as YYYY-MM-DD."},
    )
    reason = forms.CharField(
        label="Why they think you should meet",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Say it first when you write (R7).",
    )
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.editing = editing
        if editing:
            for name in ("referred", "new_name", "new_list", "new_organisation"):
                del self.fields[name]

    @classmethod
    def initial_for(cls, referral: Referral) -> dict[str, Any]:
        return {
            "referred_on": referral.referred_on,
            "reason": referral.reason,
            "may_contact": referral.may_contact,
            "may_use_name": referral.may_use_name,
            "will_introduce": referral.will_introduce,
            "preferred_channel": referral.preferred_channel,
            "notes": referral.notes,
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.editing:
            if data.get("referred") and data.get("new_name"):
                self.add_error("new_name", "Pick someone you know or type a new name, not both.")
            elif not data.get("referred") and not data.get("new_name"):
                self.add_error(
                    "referred", "Pick the person they referred you to, or type a new name below."
                )
        return data

    def options(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "reason": data["reason"],
            "may_contact": data["may_contact"],
            "may_use_name": data["may_use_name"],
            "will_introduce": data["will_introduce"],
            "preferred_channel": data["preferred_channel"],
        }
