from __future__ import annotations

from django import forms

from grapevine.contacts.models import LIST_HELP, ContactList


class UploadForm(forms.Form):
    file = forms.FileField(
        label="File to import",
        help_text=(
            "LinkedIn Connections.csv, Invitations.csv, messages.csv or the whole export .zip; "
            "a Google or Outlook contacts CSV; a vCard (.vcf); or a job postings CSV. "
            "You see what will change before anything is saved."
        ),
        error_messages={
            "required": "Choose a file to import.",
            "empty": "The file you chose is empty.",
        },
    )
    contact_list = forms.ChoiceField(
        label="Put new people on list",
        choices=ContactList.choices,
        initial=ContactList.B,
        widget=forms.RadioSelect,
        help_text=" ".join(f"{k}: {v}" for k, v in LIST_HELP.items()) + " (R2)",
    )
    skip_bad_rows = forms.BooleanField(
        label="Skip bad rows",
        required=False,
        help_text="Import the good rows and list each bad one with its line number. "
        "Unticked, one bad row stops the whole file and nothing changes.",
    )


class ExportForm(forms.Form):
    contact_list = forms.ChoiceField(
        label="Which people",
        required=False,
        choices=[("", "Everyone"), *ContactList.choices],
        help_text="For the vCard file: everyone, or one list (R2).",
    )
