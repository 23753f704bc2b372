"""Live workshops (a room answering together on their phones) and the commitments a room
makes. Workshop answers live in their own tables, apart from a round's responses: a
facilitator decides (`count_in_round`) whether the report of the round counts them."""

import uuid

from django.conf import settings
from django.db import models

from assessment.anonymity.threshold_fields import Thresholds
from assessment.anonymity.thresholds import reaches

from .instruments import Instrument, Question
from .organisation import Department, Level, Organisation
from .rounds import Round

# Six characters read aloud to a room: no 0/O, 1/I/L, which people confuse.
JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 6


class WorkshopStatus(models.TextChoices):
    LIVE = "live", "Live"
    CLOSED = "closed", "Closed"


class Workshop(Thresholds):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="workshops"
    )
    name = models.CharField(max_length=200)
    instrument = models.ForeignKey(Instrument, on_delete=models.RESTRICT, related_name="+")
    round = models.ForeignKey(
        Round, null=True, blank=True, on_delete=models.SET_NULL, related_name="workshops"
    )
    department = models.ForeignKey(
        Department,
        null=True,
        blank=True,
        on_delete=models.RESTRICT,
        related_name="+",
        help_text="Empty: the whole organisation.",
    )
    join_code = models.CharField(max_length=JOIN_CODE_LENGTH)
    # A join code proves nothing about who joins: the facilitator, who sees the room,
    # says how many are in it, and no more than that can join. The screen shows it.
    head_count = models.PositiveIntegerField(
        help_text="How many people are in the room. No more than this can join."
    )
    status = models.CharField(
        max_length=10, choices=WorkshopStatus.choices, default=WorkshopStatus.LIVE
    )
    # The room's pace: the question everyone is on (1-based position), or all at once.
    current = models.PositiveSmallIntegerField(default=1)
    all_open = models.BooleanField(default=False)
    count_in_round = models.BooleanField(
        default=False,
        help_text="Count these answers in the round's report. Otherwise they are kept apart.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta(Thresholds.Meta):
        ordering = ["-created_at"]
        constraints = [
            *Thresholds.Meta.constraints,
            # A code only needs to be unique while people can still join with it.
            models.UniqueConstraint(
                fields=["join_code"],
                condition=models.Q(status="live"),
                name="workshop_unique_live_join_code",
            ),
            models.CheckConstraint(
                condition=models.Q(current__gte=1), name="workshop_current_from_1"
            ),
            models.CheckConstraint(
                condition=models.Q(head_count__gte=1), name="workshop_head_count_from_1"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_live(self) -> bool:
        return self.status == WorkshopStatus.LIVE

    @property
    def spoken_code(self) -> str:
        """The code in two groups of three, easier to read aloud and to type."""
        return f"{self.join_code[:3]} {self.join_code[3:]}"

    @property
    def answers_can_show(self) -> bool:
        """Whether the room is large enough for a question's answers ever to be shown."""
        return reaches(self.head_count, self.threshold)

    @property
    def comments_can_show(self) -> bool:
        """Whether the room is large enough for the comment wall ever to be shown."""
        return reaches(self.head_count, self.comment_threshold)

    @property
    def stage(self) -> str:
        """What the room is doing now. A participant's phone compares it with the stage
        its page was drawn for and moves on when they differ."""
        if not self.is_live:
            return "closed"
        return "all" if self.all_open else f"q{self.current}"


class WorkshopQuestion(models.Model):
    """One question asked in a workshop, in the order the room goes through them."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="questions")
    question = models.ForeignKey(Question, on_delete=models.RESTRICT, related_name="+")
    position = models.PositiveSmallIntegerField()
    # What the screen (and, after the session, the summary) shows: published again only
    # once a threshold of new answers (or comments) has come in, so that watching it
    # change never singles out the one person who has just answered. The wall keeps the
    # comments' text as published ({"id", "text"}, sorted by text): a comment edited
    # afterwards does not reach it.
    shown_count = models.PositiveIntegerField(default=0)
    shown_values = models.JSONField(default=dict, blank=True)
    shown_text_count = models.PositiveIntegerField(default=0)
    shown_wall = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["workshop", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "position"], name="workshop_question_unique_position"
            ),
            models.UniqueConstraint(
                fields=["workshop", "question"], name="workshop_question_unique_question"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.question_id}"


class WorkshopParticipant(models.Model):
    """Someone in the room: a random id held in their browser's session, the level they
    said, and (when the workshop spans several) their department. Nothing else: no name,
    no time, no address or device."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="participants")
    level = models.ForeignKey(Level, on_delete=models.RESTRICT, related_name="+")
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.RESTRICT, related_name="+"
    )

    def __str__(self) -> str:
        return "Workshop participant"


class WorkshopAnswer(models.Model):
    """One participant's answer to one question, written with a single INSERT … ON
    CONFLICT on (participant, question): a retry, a double click or a changed mind never
    makes a second row. Workshop, level and department are repeated so that the counts
    are one GROUP BY. The id is random so that ids reveal no order of answering."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="answers")
    participant = models.ForeignKey(
        WorkshopParticipant, on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(Question, on_delete=models.RESTRICT, related_name="+")
    level = models.ForeignKey(Level, on_delete=models.RESTRICT, related_name="+")
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.RESTRICT, related_name="+"
    )
    value = models.SmallIntegerField(
        null=True, blank=True, help_text="The chosen value, for one choice or a scale."
    )
    # Several choices as one integer (bit n set: value n chosen), so that the answer stays
    # one row and the counts one GROUP BY; values of "several choices" questions are small.
    choices = models.BigIntegerField(null=True, blank=True)
    text = models.TextField(blank=True, help_text="A free-text answer or the comment.")
    text_hidden = models.BooleanField(
        default=False, help_text="Hidden from the wall by the facilitator."
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "question"], name="workshop_answer_unique"
            ),
        ]
        indexes = [models.Index(fields=["workshop", "question"])]

    def __str__(self) -> str:
        return f"Workshop answer to {self.question_id}"


class CommitmentStatus(models.TextChoices):
    OPEN = "open", "Open"
    KEPT = "kept", "Kept"
    LATE = "late", "Kept late"
    DROPPED = "dropped", "Dropped"


class Commitment(models.Model):
    """What a room (in a workshop) or a leader (from a round's report) committed to: what,
    who (a name or a role), by when. The round it came from puts it beside its item in the
    next round's report."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="commitments"
    )
    workshop = models.ForeignKey(
        Workshop, null=True, blank=True, on_delete=models.SET_NULL, related_name="commitments"
    )
    what = models.TextField()
    who = models.CharField(max_length=200, help_text="A name or a role.")
    due_on = models.DateField()
    question = models.ForeignKey(
        Question, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        max_length=10, choices=CommitmentStatus.choices, default=CommitmentStatus.OPEN
    )
    made_on = models.DateField()
    settled_on = models.DateField(
        null=True, blank=True, help_text="When it was marked kept, kept late or dropped."
    )
    round = models.ForeignKey(
        Round,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="commitments",
        help_text="The round whose report (or workshop) it came from.",
    )
    # The leader who recorded it from the report: a member of staff acting as such, never
    # a respondent, so it says nothing about anyone's answers.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["organisation", "made_on"])]

    def __str__(self) -> str:
        return self.what[:60]

    @property
    def is_open(self) -> bool:
        return self.status == CommitmentStatus.OPEN
