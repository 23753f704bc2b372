from collections.abc import Sequence
from typing import Any

from django import forms

from assessment.models import Level, LevelKind

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


# A file naming more new levels than this is almost surely the wrong column.
MAX_NEW_LEVELS = 50
CHOOSE_KIND = "Choose what kind of level “{name}” is."


class RosterConfirmForm(forms.Form):
    """The import's go-ahead: the kept upload, the confirmation of a mass deactivation, and
    the kind of each level the file names that does not exist yet (`level_<n>` holds its
    name, `kind_<n>` its kind)."""

    upload = forms.CharField(widget=forms.HiddenInput)
    confirm_deactivation = forms.BooleanField(
        required=False, label="Yes, deactivate these people (their past answers stay)."
    )

    def __init__(self, *args: Any, level_names: Sequence[str] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.is_bound:
            level_names = self._posted_level_names()
        self.level_names = list(level_names)
        name_length = Level._meta.get_field("name").max_length
        for number, name in enumerate(level_names):
            self.fields[f"level_{number}"] = forms.CharField(
                widget=forms.HiddenInput, initial=name, max_length=name_length
            )
            self.fields[f"kind_{number}"] = forms.ChoiceField(
                label=name,
                choices=[("", "Choose…"), *LevelKind.choices],
                error_messages={"required": CHOOSE_KIND.format(name=name)},
            )

    def _posted_level_names(self) -> list[str]:
        names = []
        for number in range(MAX_NEW_LEVELS):
            name = self.data.get(f"level_{number}")
            if name is None:
                break
            names.append(str(name))
        return names

    @property
    def level_fields(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        """Each new level's hidden name and its kind, for the template."""
        return [
            (self[name], self[f"kind_{name.removeprefix('level_')}"])
            for name in self.fields
            if name.startswith("level_")
        ]

    def level_kinds(self) -> dict[str, str]:
        """The kind chosen for each new level, by its name (once the form is valid)."""
        data = self.cleaned_data
        return {
            data[name]: data[f"kind_{name.removeprefix('level_')}"]
            for name in self.fields
            if name.startswith("level_")
        }
