"""Building form posts for questionnaire pages in tests, and answering a whole round's
pages as drafts."""

from assessment.models import QuestionKind, Section
from assessment.services.answering import draft_page_save


def valid_post(section: Section, *, action: str = "next", text: str = "") -> dict:
    """A complete, valid answer to every question on the page: the first choice, the
    highest rating, and `text` (if given) in every free-text box."""
    data: dict = {"action": action}
    for question in section.questions.all():
        choices = [c.value for c in question.choices.all()]
        if question.kind == QuestionKind.TEXT:
            if text:
                data[question.code] = text
        elif question.kind == QuestionKind.MULTI_CHOICE:
            data[question.code] = [str(choices[0])]
        elif question.is_scale:
            data[question.code] = str(choices[-1])
        else:
            data[question.code] = str(choices[0])
    return data


def save_all_pages(invitation, pages) -> None:
    """Every page saved as a complete draft: the first choice of every question, no text."""
    for section in pages:
        data = {}
        for question in section.questions.all():
            if question.kind == "text":
                continue
            value = question.choices.all()[0].value
            data[question.code] = [value] if question.kind == "multi_choice" else value
        draft_page_save(invitation=invitation, section=section, data=data, complete=True)
