"""Forms for workshops and commitments. They check the shape of the input; the services
check the rules."""

from typing import Any

from crispy_forms.bootstrap import FieldWithButtons, StrictButton
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Field, Fieldset, Layout, Row, Submit
from django import forms
from django.urls import reverse
from django.utils.text import Truncator

from assessment.anonymity import MIN_THRESHOLD
from assessment.forms.answering import MAX_TEXT_LENGTH, question_field, question_layout
from assessment.forms.fields import FreeTextField
from assessment.forms.rounds import instruments_for
from assessment.forms.thresholds import thresholds_check
from assessment.models import (
    CommitmentStatus,
    Department,
    Level,
    Organisation,
    Question,
    QuestionKind,
    Round,
    Workshop,
    WorkshopAnswer,
    WorkshopQuestion,
)
from assessment.models.workshops import JOIN_CODE_LENGTH
from assessment.services.commitments import DUE_IN_THE_PAST
from assessment.services.workshops import HEAD_COUNT_TOO_LOW

ANSWER_FIELD = "answer"


class QuestionChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Question) -> str:
        return f"{obj.instrument.name} · {obj.code}: {Truncator(obj.text).chars(90)}"


def head_count_field(**kwargs: Any) -> forms.IntegerField:
    return forms.IntegerField(
        min_value=1,
        label="People in the room",
        error_messages={"required": HEAD_COUNT_TOO_LOW, "min_value": HEAD_COUNT_TOO_LOW},
        widget=forms.NumberInput(attrs={"min": 1, "inputmode": "numeric"}),
        **kwargs,
    )


class WorkshopForm(forms.Form):
    name = FreeTextField(
        max_length=200, help_text="For example “Operations leadership offsite, March”."
    )
    instrument = forms.ModelChoiceField(
        queryset=None,
        label="Questionnaire",
        empty_label=None,
        help_text="The room answers this questionnaire together.",
    )
    questions = QuestionChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Only these questions",
        help_text="Leave all unticked to ask every question of the questionnaire. The list "
        "shows the questions of the questionnaire chosen above.",
    )
    round = forms.ModelChoiceField(
        queryset=None,
        required=False,
        empty_label="No round",
        help_text="Tie the workshop to a round to discuss its results, and optionally to "
        "count the room's answers in its report.",
    )
    count_in_round = forms.BooleanField(
        required=False,
        label="Count the room's answers in the round's report",
        help_text="Otherwise they are kept apart. You can change this after the workshop.",
    )
    department = forms.ModelChoiceField(
        queryset=None,
        required=False,
        empty_label="The whole organisation",
        help_text="Participants choose among this department and those below it.",
    )
    head_count = head_count_field(
        help_text="Count the people in the room. Nobody can prove who they are with a code, "
        "so no more than this many can join: someone joining twice takes another person's "
        "place, and that person is told to tell you. The screen shows the room how many "
        "have joined of this number. With fewer people than the anonymity threshold, the "
        "screen shows no answers at all."
    )
    threshold = forms.IntegerField(
        min_value=MIN_THRESHOLD,
        label="Anonymity threshold",
        help_text="A question's answers appear on the screen only once this many have "
        "answered. At least 3.",
    )
    comment_threshold = forms.IntegerField(
        min_value=MIN_THRESHOLD,
        label="Comment threshold",
        help_text="Comments appear on the wall only once this many have written one.",
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        instruments = instruments_for(organisation)
        self.fields["instrument"].queryset = instruments
        # Only the chosen questionnaire's questions: the one posted (or asked for with
        # "Show its questions"), else the first one the select shows.
        chosen = str(self.data.get("instrument") or self.initial.get("instrument") or "")
        instrument = instruments.filter(pk=chosen).first() if chosen.isdigit() else None
        instrument = instrument or instruments.first()
        self.fields["questions"].queryset = (
            Question.objects.filter(instrument=instrument)
            .select_related("instrument")
            .order_by("section__position", "position")
        )
        self.fields["instrument"].widget.attrs.update(
            {
                # With JavaScript the list follows the choice at once; without, the button.
                "data-hx-post": reverse("workshops:create"),
                "data-hx-trigger": "change",
                "data-hx-vals": '{"pick": "1"}',
                "data-hx-select": "#div_id_questions",
                "data-hx-target": "#div_id_questions",
                "data-hx-swap": "outerHTML",
            }
        )
        self.fields["round"].queryset = Round.objects.filter(organisation=organisation)
        self.fields["department"].queryset = Department.objects.filter(organisation=organisation)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Fieldset(
                "The workshop",
                "name",
                "instrument",
                StrictButton(
                    "Show its questions",
                    name="pick",
                    value="1",
                    type="submit",
                    css_class="btn-sm btn-outline-secondary mb-3 pick-instrument",
                ),
                Field("questions", wrapper_class="scroll-list"),
            ),
            Fieldset("Who is in the room", "head_count", "department", "round", "count_in_round"),
            Fieldset("Anonymity", Row(Column("threshold"), Column("comment_threshold"))),
            Submit("save", "Open the workshop"),
        )

    def clean(self) -> dict:
        data = super().clean()
        thresholds_check(self, data)
        return data


class HeadCountForm(forms.Form):
    """The head count again, on the control room, when people arrive or leave."""

    head_count = head_count_field(
        help_text="Never fewer than have joined. The presenter screen shows it to the room."
    )

    def __init__(self, *args: Any, workshop: Workshop, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"head_count": workshop.head_count})
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_action = reverse("workshops:head-count", kwargs={"pk": workshop.pk})
        self.helper.form_class = "head-count-form"
        self.helper.layout = Layout(
            FieldWithButtons(
                "head_count",
                StrictButton("Change", type="submit", css_class="btn-outline-primary"),
            )
        )


class JoinCodeForm(forms.Form):
    code = forms.CharField(
        label="Workshop code",
        max_length=JOIN_CODE_LENGTH + 4,
        help_text="Six letters and digits, shown on the screen in the room.",
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "class": "join-code-input",
            }
        ),
    )


class JoinForm(forms.Form):
    """Who a participant is, as far as the results need: their level, and their
    department when the workshop spans several."""

    level = forms.ModelChoiceField(
        queryset=None,
        widget=forms.RadioSelect,
        empty_label=None,
        label="Your level",
        error_messages={"required": "Please choose your level."},
    )
    department = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="Your department",
        empty_label="Choose…",
    )

    def __init__(
        self, *args: Any, workshop: Workshop, departments: list[Department], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["level"].queryset = Level.objects.filter(organisation=workshop.organisation_id)
        if len(departments) > 1:
            self.fields["department"].queryset = Department.objects.filter(
                pk__in=[d.pk for d in departments]
            ).order_by("path")
            self.fields["department"].required = True
            self.fields["department"].error_messages["required"] = "Please choose your department."
        else:
            del self.fields["department"]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class QuestionForm(forms.Form):
    """One question, as the room sees it on a phone: its answer and, when the question
    asks for one, an optional comment."""

    def __init__(self, *args: Any, question: Question, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.question = question
        self.fields[ANSWER_FIELD] = question_field(question)
        layout = [question_layout(question, ANSWER_FIELD)]
        if question.allows_comment:
            self.fields["comment"] = forms.CharField(
                label=question.comment_prompt,
                required=False,
                max_length=MAX_TEXT_LENGTH,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            layout.append(Field("comment", wrapper_class="comment-field"))
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(*layout)

    @staticmethod
    def initial_from(answer: WorkshopAnswer | None, question: Question) -> dict[str, Any]:
        """The form's initial values from a stored WorkshopAnswer (or None)."""
        if answer is None:
            return {}
        if question.kind == QuestionKind.TEXT:
            return {ANSWER_FIELD: answer.text}
        if question.kind == QuestionKind.MULTI_CHOICE:
            mask = answer.choices or 0
            chosen = [v for v in range(mask.bit_length()) if mask >> v & 1]
            return {ANSWER_FIELD: chosen, "comment": answer.text}
        return {ANSWER_FIELD: answer.value, "comment": answer.text}


class CommitmentForm(forms.Form):
    what = FreeTextField(
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        label="What",
        help_text="What will be done, in the room's words.",
    )
    who = FreeTextField(max_length=200, label="Who", help_text="A name or a role.")
    due_on = forms.DateField(
        label="By when", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    question = forms.ModelChoiceField(
        queryset=None, required=False, label="About question", empty_label="No question"
    )
    department = forms.ModelChoiceField(queryset=None, required=False, empty_label="No department")

    def __init__(self, *args: Any, workshop: Workshop, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["question"].queryset = Question.objects.filter(
            pk__in=WorkshopQuestion.objects.filter(workshop=workshop).values("question")
        ).order_by("section__position", "position")
        self.fields["question"].label_from_instance = lambda q: f"{q.code}: {q.text[:80]}"
        self.fields["department"].queryset = Department.objects.filter(
            organisation=workshop.organisation_id
        )
        self.initial.setdefault("department", workshop.department_id)
        self.today = workshop.organisation.today()
        self.fields["due_on"].widget.attrs["min"] = self.today.isoformat()
        self.helper = FormHelper()
        self.helper.form_action = reverse("workshops:commitment-add", kwargs={"pk": workshop.pk})
        self.helper.layout = Layout(
            "what",
            Row(Column("who"), Column("due_on")),
            Row(Column("question"), Column("department")),
            Submit("save", "Record the commitment"),
        )

    def clean_due_on(self) -> Any:
        # As a commitment from the report: a promise is due today or later.
        due_on = self.cleaned_data["due_on"]
        if due_on < self.today:
            raise forms.ValidationError(DUE_IN_THE_PAST)
        return due_on


class CommitmentStatusForm(forms.Form):
    status = forms.ChoiceField(choices=CommitmentStatus.choices)
