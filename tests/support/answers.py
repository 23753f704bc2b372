"""Building form posts for questionnaire pages in tests."""

from assessment.models import QuestionKind, Section


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
