"""What someone has answered so far, in words, for the review page."""

from dataclasses import dataclass, field
from typing import Any

from assessment.forms.answering import comment_field_name
from assessment.models import DraftPage, Question, QuestionKind, Section

NOT_ANSWERED = "Not answered"


@dataclass
class ReviewItem:
    question: Question
    answer: str
    comment: str = ""
    missing: bool = False


@dataclass
class ReviewPage:
    number: int
    section: Section
    complete: bool
    items: list[ReviewItem] = field(default_factory=list)


def _answer_text(question: Question, value: Any) -> str:
    if value in (None, "", []):
        return NOT_ANSWERED
    if question.kind == QuestionKind.TEXT:
        return str(value)
    labels = {c.value: c.label for c in question.choices.all()}
    values = value if isinstance(value, list) else [value]
    return "; ".join(labels.get(v, "?") for v in values)


def review_rows(pages: list[Section], drafts: dict[int, DraftPage]) -> list[ReviewPage]:
    rows = []
    for number, section in enumerate(pages, start=1):
        draft = drafts.get(section.pk)
        data = draft.data if draft else {}
        page = ReviewPage(number=number, section=section, complete=bool(draft and draft.complete))
        for question in section.questions.all():
            value = data.get(question.code)
            page.items.append(
                ReviewItem(
                    question=question,
                    answer=_answer_text(question, value),
                    comment=data.get(comment_field_name(question), ""),
                    missing=question.required and value in (None, "", []),
                )
            )
        rows.append(page)
    return rows
