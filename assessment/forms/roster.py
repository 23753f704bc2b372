from typing import Any

from django import forms

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
TOO_BIG = "The file is larger than 20 MB. Split it, or use the import_roster command."


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label="Roster file",
        help_text="CSV (UTF-8) or Excel (.xlsx) with the columns name, email, department "
        "(a path such as Operations/Logistics) and level. Nothing is written until you confirm.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(TOO_BIG)
        return upload


class RosterConfirmForm(forms.Form):
    upload = forms.CharField(widget=forms.HiddenInput)
    confirm_deactivation = forms.BooleanField(
        required=False, label="Yes, deactivate these people (their past answers stay)."
    )
