"""Forms for commitments a leader records from the report, and for following one up. They
check the shape of the input; the services (assessment/services/commitments.py) check the
rules."""

import datetime
from typing import Any, cast

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.db.models import Q, QuerySet
from django.utils.text import Truncator

from assessment.forms.fields import FreeTextField
from assessment.models import CommitmentStatus, Department, Question, QuestionKind, Round

DEPARTMENT_NEEDED = "Choose your department or one below it."


class QuestionByCode(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Question) -> str:
        return f"{obj.code}: {Truncator(obj.text).chars(80)}"


class CommitmentRecordForm(forms.Form):
    what = FreeTextField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        label="What will be done",
        help_text="One action people will notice, in plain words.",
    )
    who = FreeTextField(
        max_length=200, label="Who", help_text="A name or a role: who makes sure it happens."
    )
    due_on = forms.DateField(
        label="By when",
        help_text="Today or later.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    question = QuestionByCode(
        queryset=Question.objects.none(),
        to_field_name="code",
        required=False,
        label="About the item",
        empty_label="No item: the department as a whole",
    )
    department = forms.ModelChoiceField(
        queryset=Department.objects.none(),
        required=False,
        label="For the department",
        empty_label="The whole organisation",
        help_text="The department whose leads follow it up, with the ones below it.",
    )

    def __init__(
        self,
        *args: Any,
        round_: Round,
        within: Department | None,
        today: datetime.date,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.within = within
        cast(QuestionByCode, self.fields["question"]).queryset = (
            Question.objects.filter(instrument__in=round_.instruments.all())
            .exclude(kind=QuestionKind.TEXT)
            .order_by("instrument__pk", "section__position", "position")
        )
        department = cast("forms.ModelChoiceField[Department]", self.fields["department"])
        department.queryset = _departments(round_, within)
        if within is not None:
            # A lead's commitment is their department's (or one below): they follow it up.
            department.required = True
            department.empty_label = None
        self.fields["due_on"].widget.attrs["min"] = today.isoformat()
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "what",
            Row(Column("who"), Column("due_on")),
            Row(Column("question"), Column("department")),
            Submit("save", "Record the commitment"),
        )


def _departments(round_: Round, within: Department | None) -> QuerySet[Department]:
    departments = Department.objects.filter(organisation=round_.organisation_id)
    if within is not None:
        departments = departments.filter(
            Q(path=within.path) | Q(path__startswith=f"{within.path}/")
        )
    return departments.order_by("path")


class CommitmentFollowUpForm(forms.Form):
    status = forms.ChoiceField(choices=CommitmentStatus.choices, label="Status")
    settled_on = forms.DateField(
        required=False,
        label="Settled on",
        help_text="When it was kept, kept late or dropped. Empty: today.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
