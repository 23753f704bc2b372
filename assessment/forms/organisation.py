from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth import get_user_model

from assessment.anonymity import MIN_THRESHOLD
from assessment.forms.fields import FreeTextField
from assessment.forms.thresholds import thresholds_check
from assessment.models import Department, Level, LevelKind, Organisation, Role

# What each kind of level means, shown wherever someone chooses one.
LEVEL_KINDS_EXPLAINED = (
    (
        LevelKind.EXECUTIVE.label,
        "leads the organisation and sets its direction (the stands). The report's gap "
        "compares them with the front line.",
    ),
    (LevelKind.MANAGER.label, "leads teams, between the executives and the front line."),
    (
        LevelKind.FRONT_LINE.label,
        "serves customers or works closest to them (the arena).",
    ),
    (
        LevelKind.EXTERNAL.label,
        "customers, suppliers or partners, invited as a group of their own.",
    ),
)


def _helper(label: str = "Save") -> FormHelper:
    helper = FormHelper()
    helper.add_input(Submit("save", label))
    return helper


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = [
            "name",
            "time_zone",
            "threshold",
            "comment_threshold",
            "customer_word",
            "customers_word",
        ]
        field_classes = {
            "name": FreeTextField,
            "customer_word": FreeTextField,
            "customers_word": FreeTextField,
        }
        labels = {
            "threshold": "Default anonymity threshold",
            "comment_threshold": "Default comment threshold",
            "customer_word": "What we call a customer",
            "customers_word": "What we call customers",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["threshold"].min_value = MIN_THRESHOLD
        self.fields["threshold"].widget.attrs["min"] = MIN_THRESHOLD
        self.helper = _helper()

    def clean(self) -> dict:
        data = super().clean()
        thresholds_check(self, data)
        return data


class LevelForm(forms.ModelForm):
    class Meta:
        model = Level
        fields = ["name", "kind", "position"]
        field_classes = {"name": FreeTextField}
        help_texts = {
            "position": "Levels are listed in this order, lowest number first.",
            "kind": " ".join(f"{label}: {meaning}" for label, meaning in LEVEL_KINDS_EXPLAINED),
        }

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.fields["kind"].choices = LevelKind.choices
        self.helper = _helper("Save level")

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        clash = Level.objects.filter(organisation=self.organisation, name__iexact=name)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError("Another level already has this name.")
        return name


class StaffAccountForm(forms.Form):
    name = forms.CharField(max_length=150)
    email = forms.EmailField(help_text="They get an e-mail with a link to choose a password.")
    role = forms.ChoiceField(choices=Role.choices)
    department = forms.ModelChoiceField(
        queryset=Department.objects.none(),
        required=False,
        help_text="Department leads only: they see this department and the ones below it.",
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(organisation=organisation)
        self.helper = _helper("Add and send the e-mail")

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].lower()
        if get_user_model().objects.filter(username=email).exists():
            raise forms.ValidationError("An account with this e-mail already exists.")
        return email

    def clean(self) -> dict:
        data = super().clean()
        if data.get("role") == Role.DEPARTMENT_LEAD and not data.get("department"):
            self.add_error("department", "Choose the department this lead is responsible for.")
        return data


class DepartmentForm(forms.ModelForm):
    class Meta:
        model = Department
        fields = ["name", "parent"]
        field_classes = {"name": FreeTextField}
        help_texts = {"parent": "Leave empty for a top-level department."}

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parents = Department.objects.filter(organisation=organisation)
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk).exclude(
                path__startswith=f"{self.instance.path}/"
            )
        self.fields["parent"].queryset = parents
        self.instance.organisation = organisation
        self.helper = _helper("Save department")
