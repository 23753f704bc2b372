import uuid

from django.db import models

from .instruments import Question, Section
from .organisation import Department, Level
from .rounds import Invitation, Round


class DraftPage(models.Model):
    """What someone has answered on one page so far. Deleted when they submit."""

    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="drafts")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="+")
    data = models.JSONField(default=dict)
    complete = models.BooleanField(
        default=False, help_text="Every required question on the page is answered."
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["invitation", "section"], name="draft_unique_page"),
        ]

    def __str__(self) -> str:
        return f"Draft of page {self.section_id}"


class Response(models.Model):
    """One submitted questionnaire. It keeps the department and level it was given for and
    nothing else about its author, not even a day: a random id, so that ids reveal no
    order of submitting. A round's trend is from one round to the next."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="responses")
    department = models.ForeignKey(Department, on_delete=models.RESTRICT, related_name="+")
    level = models.ForeignKey(Level, on_delete=models.RESTRICT, related_name="+")

    class Meta:
        indexes = [
            # The report counts each department's responses by level from this index alone.
            models.Index(fields=["round", "department", "level"], name="response_report_count"),
        ]

    def __str__(self) -> str:
        return f"Response to {self.round}"


class Answer(models.Model):
    """One structured answer as a small integer (the choice's value). Round, department and
    level are repeated here so that the report counts with one GROUP BY on integer keys.
    The id is random, as the response's is: a serial id would put answers in the order
    they were written, next to invitations marked submitted in that order."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="+")
    question = models.ForeignKey(Question, on_delete=models.RESTRICT, related_name="answers")
    department = models.ForeignKey(Department, on_delete=models.RESTRICT, related_name="+")
    level = models.ForeignKey(Level, on_delete=models.RESTRICT, related_name="+")
    value = models.SmallIntegerField()
    # A several-choice answer is a row per ticked choice; exactly one row of each response
    # to each question (its lowest value) counts the person as having answered, so that
    # the report's one GROUP BY also counts respondents. Counting them with
    # COUNT(DISTINCT response) instead read the table: 60% of a department's time at
    # 100,000 people (bench/README.md).
    counts_respondent = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question", "value"], name="answer_unique_value"
            ),
        ]
        indexes = [
            # The report counts one department at a time with GROUP BY question, level,
            # value, counts_respondent: this index answers it without the table.
            models.Index(
                fields=["round", "department", "question", "level", "value", "counts_respondent"],
                name="answer_report_count",
            ),
        ]

    def __str__(self) -> str:
        return f"Answer to {self.question_id}"


class TextAnswer(models.Model):
    """A free-text answer or an optional comment. Shown only to groups at or above the
    round's comment threshold, never in an order that reveals who or when. The id is
    random, as the response's is, so that ids reveal no order of writing."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="texts")
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="+")
    question = models.ForeignKey(Question, on_delete=models.RESTRICT, related_name="texts")
    department = models.ForeignKey(Department, on_delete=models.RESTRICT, related_name="+")
    level = models.ForeignKey(Level, on_delete=models.RESTRICT, related_name="+")
    is_comment = models.BooleanField(default=False)
    text = models.TextField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question", "is_comment"], name="text_answer_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["round", "department"], name="text_answer_report_count"),
        ]

    def __str__(self) -> str:
        return f"Text answer to {self.question_id}"
