"""Workshops gain a head count, and the comment wall keeps the text it published.

A workshop opened before has no stated head count: it gets the number who joined (at
least 1), the one count known to be people in the room; a facilitator of a live one can
raise it. A wall published before kept only ids: it takes the comments' text as it reads
now, the closest to what was shown. A closed workshop's summary shows its last published
step; one closed before steps were kept publishes its final step here, by the rule that
closing follows now (a step only where enough answers came in since the last one)."""

from collections import defaultdict

from django.db import migrations, models
from django.db.models import Count, Q
from django.db.models.functions import Lower


def step_due(published: int, now: int, step: int, head_count: int) -> bool:
    # The rule of assessment/services/workshop_steps.py, frozen here as migrations are.
    return step <= head_count and now <= head_count and abs(now - published) >= step


def wall_of(WorkshopAnswer, workshop, question_id, ids=None) -> list[dict[str, str]]:
    rows = WorkshopAnswer.objects.filter(workshop=workshop, question_id=question_id).exclude(
        text=""
    )
    if ids is not None:
        rows = rows.filter(pk__in=ids)
    return [
        {"id": str(pk), "text": text}
        for pk, text in rows.order_by(Lower("text"), "text", "pk").values_list("pk", "text")
    ]


def values_of(WorkshopAnswer, workshop, question_id) -> dict[str, int]:
    values: dict[int, int] = defaultdict(int)
    rows = (
        WorkshopAnswer.objects.filter(workshop=workshop, question_id=question_id)
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


def forwards(apps, schema_editor):
    Workshop = apps.get_model("assessment", "Workshop")
    WorkshopQuestion = apps.get_model("assessment", "WorkshopQuestion")
    WorkshopAnswer = apps.get_model("assessment", "WorkshopAnswer")
    for workshop in Workshop.objects.annotate(joined=Count("participants")).iterator():
        workshop.head_count = max(workshop.joined, 1)
        workshop.save(update_fields=["head_count"])
        for wq in WorkshopQuestion.objects.filter(workshop=workshop):
            fields = []
            if wq.shown_wall and all(isinstance(item, str) for item in wq.shown_wall):
                wq.shown_wall = wall_of(WorkshopAnswer, workshop, wq.question_id, wq.shown_wall)
                fields.append("shown_wall")
            if workshop.status == "closed":
                sizes = WorkshopAnswer.objects.filter(
                    workshop=workshop, question_id=wq.question_id
                ).aggregate(answered=Count("pk"), texts=Count("pk", filter=~Q(text="")))
                head_count = workshop.head_count
                if step_due(wq.shown_count, sizes["answered"], workshop.threshold, head_count):
                    wq.shown_values = values_of(WorkshopAnswer, workshop, wq.question_id)
                    wq.shown_count = sizes["answered"]
                    fields += ["shown_values", "shown_count"]
                if step_due(
                    wq.shown_text_count, sizes["texts"], workshop.comment_threshold, head_count
                ):
                    wq.shown_wall = wall_of(WorkshopAnswer, workshop, wq.question_id)
                    wq.shown_text_count = sizes["texts"]
                    fields += ["shown_wall", "shown_text_count"]
            if fields:
                wq.save(update_fields=sorted(set(fields)))


def backwards(apps, schema_editor):
    """Walls go back to ids; the head count goes with its column."""
    WorkshopQuestion = apps.get_model("assessment", "WorkshopQuestion")
    for wq in WorkshopQuestion.objects.all():
        wq.shown_wall = [item["id"] if isinstance(item, dict) else item for item in wq.shown_wall]
        wq.save(update_fields=["shown_wall"])


class Migration(migrations.Migration):
    dependencies = [
        ("assessment", "0013_response_no_date_random_answer_ids"),
    ]

    operations = [
        migrations.AddField(
            model_name="workshop",
            name="head_count",
            field=models.PositiveIntegerField(
                default=1,
                help_text="How many people are in the room. No more than this can join.",
            ),
            preserve_default=False,
        ),
        migrations.RunPython(forwards, backwards),
        migrations.AddConstraint(
            model_name="workshop",
            constraint=models.CheckConstraint(
                condition=models.Q(head_count__gte=1), name="workshop_head_count_from_1"
            ),
        ),
    ]
