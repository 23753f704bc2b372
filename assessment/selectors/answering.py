"""Reads for the respondent's pages."""

from django.db.models import Prefetch

from assessment.models import Choice, DraftPage, Invitation, Question, Round, Section
from assessment.models.rounds import hash_token


def invitation_for_token(token: str) -> Invitation | None:
    """The invitation a link's token opens, or None. Only the token's hash is stored."""
    if not token or len(token) > 100:
        return None
    return (
        Invitation.objects.select_related("round__organisation")
        .filter(token_hash=hash_token(token))
        .first()
    )


def invitation_by_id(invitation_id: int) -> Invitation | None:
    return Invitation.objects.select_related("round__organisation").filter(pk=invitation_id).first()


def round_pages(round_: Round) -> list[Section]:
    """Every page of the round in order: its instruments' sections, with questions and
    choices prefetched so that a page renders without a query per question."""
    questions = Question.objects.order_by("position").prefetch_related(
        Prefetch("choices", queryset=Choice.objects.order_by("position"))
    )
    sections = (
        Section.objects.filter(instrument__roundinstrument__round=round_)
        .select_related("instrument")
        .prefetch_related(Prefetch("questions", queryset=questions))
        .order_by("instrument__roundinstrument__position", "position")
    )
    return list(sections)


def drafts_by_section(invitation: Invitation) -> dict[int, DraftPage]:
    return {d.section_id: d for d in DraftPage.objects.filter(invitation=invitation)}


def first_unanswered_page(pages: list[Section], drafts: dict[int, DraftPage]) -> int | None:
    """1-based number of the first page not yet completed, or None when all are."""
    for number, section in enumerate(pages, start=1):
        draft = drafts.get(section.pk)
        if draft is None or not draft.complete:
            return number
    return None
