"""Forms for facilitators running rounds: they check the shape of the input; the services
check the rules."""

from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Field, Fieldset, Layout, Row, Submit
from django import forms
from django.db.models import QuerySet

from assessment.anonymity import MIN_THRESHOLD
from assessment.forms.fields import FreeTextField
from assessment.forms.thresholds import thresholds_check
from assessment.models import Department, Instrument, Level, Organisation
from assessment.selectors.instruments import instruments_offered

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"]


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def date_time_field(label: str, help_text: str = "") -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label, help_text=help_text, widget=DateTimeInput(), input_formats=DATETIME_FORMATS
    )


def instruments_for(organisation: Organisation) -> QuerySet[Instrument]:
    return instruments_offered(organisation)


class InstrumentChoiceField(forms.ModelMultipleChoiceField):
    """Names a built-in questionnaire and the organisation's own copy apart."""

    def label_from_instance(self, obj: Instrument) -> str:  # type: ignore[override]
        if obj.is_builtin:
            return f"{obj.name} (built-in)"
        return f"{obj.name} (your own, version {obj.version})"


class RoundForm(forms.Form):
    name = FreeTextField(max_length=200, help_text="For example “Customer-centricity, spring”.")
    purpose = FreeTextField(
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Shown on the invitation and the welcome page: what the round is for and "
        "what will happen with the results.",
    )
    instruments = InstrumentChoiceField(
        queryset=Instrument.objects.none(),
        label="Questionnaires",
        widget=forms.CheckboxSelectMultiple,
        help_text="Asked in this order. Each takes a few minutes.",
    )
    departments = forms.ModelMultipleChoiceField(
        queryset=Department.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave empty to invite every department. A department includes the ones "
        "below it.",
    )
    levels = forms.ModelMultipleChoiceField(
        queryset=Level.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave all unticked to invite every level.",
    )
    opens_at = date_time_field("Opens", "In your organisation's time zone.")
    closes_at = date_time_field("Closes", "The round closes itself at this time.")
    threshold = forms.IntegerField(
        min_value=MIN_THRESHOLD,
        initial=5,
        label="Anonymity threshold",
        help_text="No group with fewer responses is ever shown. At least 3; after launch it "
        "can only be raised.",
    )
    comment_threshold = forms.IntegerField(
        min_value=MIN_THRESHOLD,
        initial=10,
        label="Comment threshold",
        help_text="Comments and customer words are shown only for groups at least this large.",
    )
    reminder_days_before = forms.IntegerField(
        min_value=1,
        max_value=60,
        required=False,
        label="Remind, days before closing",
        help_text="Those who have not finished get one reminder this many days before the "
        "round closes. Leave empty for no scheduled reminder.",
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["instruments"].queryset = instruments_for(organisation)
        self.fields["departments"].queryset = Department.objects.filter(organisation=organisation)
        self.fields["levels"].queryset = Level.objects.filter(organisation=organisation)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Fieldset("The round", "name", "purpose", "instruments"),
            Fieldset(
                "When",
                Row(Column("opens_at"), Column("closes_at")),
                Field("reminder_days_before", wrapper_class="col-md-6 px-0"),
            ),
            Fieldset(
                "Who is invited",
                Field("departments", wrapper_class="scroll-list"),
                "levels",
            ),
            Fieldset("Anonymity", Row(Column("threshold"), Column("comment_threshold"))),
            Submit("save", "Save"),
        )

    def clean(self) -> dict:
        data = super().clean()
        thresholds_check(self, data)
        opens_at, closes_at = data.get("opens_at"), data.get("closes_at")
        if opens_at and closes_at and closes_at <= opens_at:
            self.add_error("closes_at", "The round must close after it opens.")
        return data


class LaunchedRoundForm(forms.Form):
    """What may still change once people have been invited."""

    name = FreeTextField(max_length=200)
    threshold = forms.IntegerField(
        min_value=MIN_THRESHOLD,
        label="Anonymity threshold",
        help_text="Can be raised, never lowered: people answered on the promise of this one.",
    )
    comment_threshold = forms.IntegerField(
        min_value=MIN_THRESHOLD, label="Comment threshold", help_text="Can be raised only."
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", "Save"))


class NewClosingForm(forms.Form):
    closes_at = date_time_field("New closing time", "In your organisation's time zone.")
