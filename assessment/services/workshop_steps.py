"""The results of a workshop question move in steps: the distribution is published again
only once at least the workshop's threshold of answers has come in since the last step,
and the comment wall once at least its comment threshold of comments has (the shared
rule, assessment/anonymity/steps.py). Between steps, and after the session, every page
shows the last published results, so a change never isolates the person who has just
answered (or changed their answer).

Only people the head count allows can answer (services/workshops.py refuses the join
beyond it), so the answers counted never outnumber the people the facilitator counted in
the room. A room smaller than a threshold never publishes what that threshold guards."""

from collections import defaultdict

from django.db import transaction
from django.db.models import Count, Q
from django.db.models.functions import Lower

from assessment.anonymity.steps import room_step_due, step_reached
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


def _wall(workshop: Workshop, workshop_question: WorkshopQuestion) -> list[dict[str, str]]:
    """The comments as they read now, sorted by their text: the order says nothing of who
    wrote them or when."""
    rows = (
        WorkshopAnswer.objects.filter(workshop=workshop, question_id=workshop_question.question_id)
        .exclude(text="")
        .order_by(Lower("text"), "text", "pk")
        .values_list("pk", "text")
    )
    return [{"id": str(pk), "text": text} for pk, text in rows]


def workshop_results_step(*, workshop: Workshop, workshop_question: WorkshopQuestion) -> bool:
    """Publish the question's results again if a step is due; whether one was."""
    answered, texts = _counts(workshop, workshop_question)
    # A first look without the lock, with the workshop as the caller read it: most answers
    # bring no step, and they must not queue for the question's row.
    if not step_reached(
        workshop_question.shown_count, answered, workshop.threshold
    ) and not step_reached(workshop_question.shown_text_count, texts, workshop.comment_threshold):
        return False
    with transaction.atomic():
        # The lock makes the room's simultaneous answers publish a step once, not each.
        locked = WorkshopQuestion.objects.select_for_update().get(pk=workshop_question.pk)
        # The head count as it is now: the facilitator may have changed it since the
        # caller read the workshop.
        room = Workshop.objects.only("head_count", "threshold", "comment_threshold").get(
            pk=workshop.pk
        )
        answered, texts = _counts(workshop, locked)
        fields = []
        if room_step_due(
            published=locked.shown_count,
            now=answered,
            step=room.threshold,
            head_count=room.head_count,
        ):
            locked.shown_values = _values(workshop, locked)
            locked.shown_count = answered
            fields += ["shown_values", "shown_count"]
        if room_step_due(
            published=locked.shown_text_count,
            now=texts,
            step=room.comment_threshold,
            head_count=room.head_count,
        ):
            locked.shown_wall = _wall(workshop, locked)
            locked.shown_text_count = texts
            fields += ["shown_wall", "shown_text_count"]
        if fields:
            locked.save(update_fields=fields)
        return bool(fields)
