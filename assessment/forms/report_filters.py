"""The filters of the report's comments and words pages: GET parameters, so a filtered
page is a link that works without JavaScript. The choices are only what the reader may
see; anything else is a tampered link (the view answers 404)."""

from typing import Any

from django import forms

WORDS_MAX = 100


class WordsFilterForm(forms.Form):
    department = forms.TypedChoiceField(
        required=False,
        coerce=int,
        empty_value=None,
        label="Group",
        help_text="A department's list holds those of the departments below it.",
    )
    words = forms.CharField(
        required=False,
        max_length=WORDS_MAX,
        label="Containing",
        help_text="Case does not matter.",
    )

    # The fields a reader cannot have typed: an unknown value is a tampered link.
    CHOSEN: tuple[str, ...] = ("department",)

    def __init__(
        self, data: Any, *, root: str, departments: list[tuple[int, str]], **kwargs: Any
    ) -> None:
        super().__init__(data, **kwargs)
        self.fields["department"].choices = [("", root), *departments]  # type: ignore[attr-defined]
        for field in self.fields.values():
            chooses = isinstance(field, forms.ChoiceField)
            field.widget.attrs["class"] = (
                "form-select form-select-sm" if chooses else "form-control form-control-sm"
            )

    def is_tampered(self) -> bool:
        return self.is_bound and not self.is_valid() and any(f in self.errors for f in self.CHOSEN)

    def value(self, name: str) -> Any:
        """A cleaned filter, or nothing where the form is not valid (too many words)."""
        if not self.is_bound or not self.is_valid():
            return None
        return self.cleaned_data.get(name)


class CommentsFilterForm(WordsFilterForm):
    question = forms.ChoiceField(required=False, label="Question")

    CHOSEN = ("department", "question")

    field_order = ["question", "department", "words"]

    def __init__(
        self,
        data: Any,
        *,
        root: str,
        departments: list[tuple[int, str]],
        questions: list[tuple[str, str]],
    ) -> None:
        super().__init__(data, root=root, departments=departments)
        self.fields["question"].choices = [("", "Every question"), *questions]  # type: ignore[attr-defined]
