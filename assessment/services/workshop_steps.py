"""The live results of a workshop question move in steps: the distribution is published
again only once at least the workshop's threshold of new answers has come in, and the
comment wall once at least its comment threshold of new comments has. Between steps the
screen shows the last published results, so a change on the screen never isolates the
person who has just answered (or changed their answer)."""

from collections import defaultdict

from django.db import transaction
from django.db.models import Count, Q

from assessment.models import Workshop, WorkshopAnswer, WorkshopQuestion


def _counts(workshop: Workshop, workshop_question: WorkshopQuestion) -> tuple[int, int]:
    totals = WorkshopAnswer.objects.filter(
        workshop=workshop, question_id=workshop_question.question_id
    ).aggregate(answered=Count("pk"), texts=Count("pk", filter=~Q(text="")))
    return totals["answered"], totals["texts"]


def _values(workshop: Workshop, workshop_question: WorkshopQuestion) -> dict[str, int]:
    values: dict[int, int] = defaultdict(int)
    rows = (
        WorkshopAnswer.objects.filter(workshop=workshop, question_id=workshop_question.question_id)
        .values_list("value", "choices")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for value, choices, n in rows:
        if value is not None:
            values[value] += n
        elif choices is not None:
            for bit in range(choices.bit_length()):
                if choices >> bit & 1:
                    values[bit] += n
    return {str(value): n for value, n in values.items()}


def workshop_results_step(*, workshop: Workshop, workshop_question: WorkshopQuestion) -> bool:
    """Publish the question's live results again if a step is due; whether it was."""
    answered, texts = _counts(workshop, workshop_question)
    if (
        answered < workshop_question.shown_count + workshop.threshold
        and texts < workshop_question.shown_text_count + workshop.comment_threshold
    ):
        return False
    with transaction.atomic():
        # The lock makes the room's simultaneous answers publish a step once, not each.
        locked = WorkshopQuestion.objects.select_for_update().get(pk=workshop_question.pk)
        answered, texts = _counts(workshop, locked)
        fields = []
        if answered >= locked.shown_count + workshop.threshold:
            locked.shown_values = _values(workshop, locked)
            locked.shown_count = answered
            fields += ["shown_values", "shown_count"]
        if texts >= locked.shown_text_count + workshop.comment_threshold:
            locked.shown_wall = [
                str(pk)
                for pk in WorkshopAnswer.objects.filter(
                    workshop=workshop, question_id=locked.question_id
                )
                .exclude(text="")
                .values_list("pk", flat=True)
            ]
            locked.shown_text_count = texts
            fields += ["shown_wall", "shown_text_count"]
        if fields:
            locked.save(update_fields=fields)
        return bool(fields)
