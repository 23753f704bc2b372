"""Forms of the Instruments pages: they check the shape of the input; the services in
assessment/services/instrument_edits.py check the rules."""

from typing import Any

from django import forms

from assessment.forms.fields import FreeTextField
from assessment.models import Instrument, Question, QuestionKind
from assessment.services.instrument_edits import NEW_KINDS
from assessment.services.instrument_files import MAX_FILE_BYTES

WORD_HELP = "Leave both empty to copy the wording as it is."


class CustomerWordsForm(forms.Form):
    customer_word = FreeTextField(
        max_length=40,
        required=False,
        label="What we call a customer",
        help_text="For example “member” or “patient”.",
    )
    customers_word = FreeTextField(
        max_length=40,
        required=False,
        label="What we call customers",
        help_text=f"For example “members” or “patients”. {WORD_HELP}",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        one, many = data.get("customer_word", ""), data.get("customers_word", "")
        if bool(one) != bool(many):
            raise forms.ValidationError("Give both words, one and more than one, or neither.")
        return data


class DetailsForm(forms.Form):
    name = FreeTextField(max_length=200, help_text="Shown above every page of the questionnaire.")
    description = FreeTextField(
        required=False,
        label="Introduction",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What the questionnaire is about, shown when a round is set up.",
    )


class PageForm(forms.Form):
    title = FreeTextField(max_length=200, help_text="The page's heading.")
    intro = FreeTextField(
        required=False,
        label="Introduction",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown under the heading, before the first question.",
    )


class QuestionForm(forms.Form):
    """The wording of one question and one label field per answer (`label-1`, …)."""

    text = FreeTextField(widget=forms.Textarea(attrs={"rows": 3}), label="Question")
    help_text = FreeTextField(
        required=False,
        label="Explanation",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Optional, shown in small print under the question.",
    )
    low_label = FreeTextField(
        max_length=500, required=False, help_text="What the lowest point of the scale means."
    )
    high_label = FreeTextField(
        max_length=500, required=False, help_text="What the highest point of the scale means."
    )
    comment_prompt = FreeTextField(
        max_length=300,
        required=False,
        label="Comment prompt",
        help_text="When set, people may add a comment under their answer. Comments are "
        "shown only for groups at the comment threshold.",
    )

    def __init__(self, *args: Any, question: Question, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.question = question
        if not question.is_scale:
            del self.fields["low_label"], self.fields["high_label"]
        if question.kind == QuestionKind.TEXT:
            del self.fields["comment_prompt"]
        for number, choice in enumerate(question.choices.all(), start=1):
            self.fields[f"label-{number}"] = FreeTextField(
                max_length=300,
                label=f"Answer {number}",
                initial=choice.label,
                help_text=f"Scored {choice.score}."
                if choice.score is not None
                else "Counted, not scored.",
            )

    @property
    def label_names(self) -> list[str]:
        return [name for name in self.fields if name.startswith("label-")]

    def wording(self) -> dict[str, str]:
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if not name.startswith("label-")
        }

    def labels(self) -> list[str]:
        return [self.cleaned_data[name] for name in self.label_names]


class NewQuestionForm(forms.Form):
    page = forms.TypedChoiceField(coerce=int, choices=[], help_text="Added at the end of it.")
    kind = forms.ChoiceField(
        choices=list(NEW_KINDS.items()),
        label="Kind of answer",
        widget=forms.RadioSelect,
        help_text="Every kind is answered anonymously; a comment is always optional.",
    )
    text = FreeTextField(widget=forms.Textarea(attrs={"rows": 2}), label="Question")
    low_label = FreeTextField(
        max_length=500, required=False, help_text="For a scale: what its lowest point means."
    )
    high_label = FreeTextField(
        max_length=500, required=False, help_text="For a scale: what its highest point means."
    )
    options = FreeTextField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For several choices: one option a line.",
    )
    comment = forms.BooleanField(
        required=False, label="Let people add a comment under their answer"
    )

    def __init__(self, *args: Any, instrument: Instrument, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        pages = instrument.sections.order_by("position")
        self.fields["page"].choices = [  # type: ignore[attr-defined]
            (s.position, s.title) for s in pages
        ]

    def option_lines(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["options"].splitlines() if line.strip()]


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Instrument file (JSON)",
        help_text="A file exported from the Instruments page of Centricity (at most 1 MB).",
    )

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError("The file is larger than 1 MB.")
        content: bytes = upload.read()
        return content
