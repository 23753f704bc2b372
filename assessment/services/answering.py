"""Writes on the respondent's side: keeping drafts and submitting once."""

from typing import Any

from django.db import transaction

from assessment.free_text import cleaned_json
from assessment.models import (
    Answer,
    DraftPage,
    Invitation,
    InvitationStatus,
    QuestionKind,
    Response,
    Section,
    TextAnswer,
)

ROUND_NOT_OPEN = "This round is not open for answers."
PAGES_INCOMPLETE = "Some required questions are not answered yet."


class AnsweringError(Exception):
    pass


class AlreadySubmitted(AnsweringError):
    pass


class RoundNotOpen(AnsweringError):
    pass


class PagesIncomplete(AnsweringError):
    pass


def _lock(invitation: Invitation) -> Invitation:
    # Lock only the invitation row (`of=("self",)`): locking the joined round too would queue
    # every respondent of a round behind each other.
    return (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("round__organisation")
        .get(pk=invitation.pk)
    )


@transaction.atomic
def draft_page_save(
    *, invitation: Invitation, section: Section, data: dict[str, Any], complete: bool
) -> DraftPage:
    """Keep what someone answered on a page. Called on every move, so a closed tab loses
    nothing. Answers already kept for a field that came back invalid are left as they were."""
    locked = _lock(invitation)
    if locked.status == InvitationStatus.SUBMITTED:
        raise AlreadySubmitted
    if not locked.round.is_open:
        raise RoundNotOpen(ROUND_NOT_OPEN)
    # One INSERT … ON CONFLICT UPDATE: two tabs saving the same page never collide. The
    # page is shown back as kept, so its text is kept cleaned (assessment/free_text.py).
    (draft,) = DraftPage.objects.bulk_create(
        [DraftPage(invitation=locked, section=section, data=cleaned_json(data), complete=complete)],
        update_conflicts=True,
        unique_fields=["invitation", "section"],
        update_fields=["data", "complete"],
    )
    if locked.status == InvitationStatus.INVITED:
        locked.status = InvitationStatus.STARTED
        locked.save(update_fields=["status"])
    return draft


def response_rows(
    *,
    invitation: Invitation,
    pages: list[Section],
    data_by_section: dict[int, dict[str, Any]],
) -> tuple[Response, list[Answer], list[TextAnswer]]:
    """The rows (unsaved) of one response from its pages' answers: the response with the
    invitation's department and level and nothing else of it, not even a day; one Answer
    per chosen value (the lowest of several counting the respondent), one TextAnswer per
    free text or comment, its text cleaned (assessment/free_text.py) whatever the draft
    holds."""
    response = Response(
        round_id=invitation.round_id,
        department_id=invitation.department_id,
        level_id=invitation.level_id,
    )
    keys = {
        "response": response,
        "round_id": invitation.round_id,
        "department_id": invitation.department_id,
        "level_id": invitation.level_id,
    }
    answers: list[Answer] = []
    texts: list[TextAnswer] = []
    for section in pages:
        data = cleaned_json(data_by_section.get(section.pk, {}))
        for question in section.questions.all():
            value = data.get(question.code)
            comment = data.get(f"{question.code}-comment")
            if comment and comment.strip():
                texts.append(
                    TextAnswer(question=question, is_comment=True, text=comment.strip(), **keys)
                )
            if value in (None, "", []):
                continue
            if question.kind == QuestionKind.TEXT:
                if value.strip():
                    texts.append(TextAnswer(question=question, text=value.strip(), **keys))
            elif question.kind == QuestionKind.MULTI_CHOICE:
                answers.extend(
                    Answer(question=question, value=v, counts_respondent=i == 0, **keys)
                    for i, v in enumerate(sorted(set(value)))
                )
            else:
                answers.append(Answer(question=question, value=value, **keys))
    return response, answers, texts


@transaction.atomic
def response_submit(*, invitation: Invitation, pages: list[Section]) -> Response:
    """Turn the drafts into one anonymous response. The invitation is locked first, so two
    tabs, a double click or a replayed POST can only ever make one response."""
    locked = _lock(invitation)
    if locked.status == InvitationStatus.SUBMITTED:
        raise AlreadySubmitted
    if not locked.round.is_open:
        raise RoundNotOpen(ROUND_NOT_OPEN)
    drafts = {d.section_id: d for d in DraftPage.objects.filter(invitation=locked)}
    if any(s.pk not in drafts or not drafts[s.pk].complete for s in pages):
        raise PagesIncomplete(PAGES_INCOMPLETE)

    response, answers, texts = response_rows(
        invitation=locked,
        pages=pages,
        data_by_section={section_id: d.data for section_id, d in drafts.items()},
    )
    response.save(force_insert=True)
    Answer.objects.bulk_create(answers)
    TextAnswer.objects.bulk_create(texts)
    DraftPage.objects.filter(invitation=locked).delete()
    locked.status = InvitationStatus.SUBMITTED
    locked.save(update_fields=["status"])
    return response
