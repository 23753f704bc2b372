from django.db import models


class QuestionKind(models.TextChoices):
    CHOICE = "choice", "One choice"
    MULTI_CHOICE = "multi_choice", "Several choices"
    RATING_5 = "rating_5", "Rating from 1 to 5"
    BIPOLAR_7 = "bipolar_7", "Scale from 1 to 7 between two statements"
    TEXT = "text", "Free text"


class Instrument(models.Model):
    """One version of a questionnaire. A version used by a launched round is never edited:
    changing it means copying it into a new version."""

    organisation = models.ForeignKey(
        "assessment.Organisation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="instruments",
        help_text="Empty for the built-in instruments every organisation can use.",
    )
    key = models.SlugField(help_text="Stable name shared by all versions, e.g. “checklist”.")
    version = models.PositiveSmallIntegerField(default=1)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    source = models.TextField(blank=True, help_text="Where the wording comes from.")
    minutes = models.PositiveSmallIntegerField(
        default=5, help_text="About how long it takes to answer, in minutes."
    )
    based_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="copies"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "key", "version"], name="instrument_unique_version"
            ),
            models.UniqueConstraint(
                fields=["key", "version"],
                condition=models.Q(organisation__isnull=True),
                name="builtin_instrument_unique_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"

    @property
    def is_builtin(self) -> bool:
        return self.organisation_id is None


class Section(models.Model):
    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    intro = models.TextField(blank=True)

    class Meta:
        ordering = ["instrument", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["instrument", "position"], name="section_unique_position"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    # Denormalised from the section so that a code is unique within one instrument version.
    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField()
    code = models.SlugField(max_length=40, help_text="Stable code, e.g. “checklist-01”.")
    kind = models.CharField(max_length=20, choices=QuestionKind.choices)
    text = models.TextField()
    help_text = models.TextField(blank=True)
    required = models.BooleanField(default=True)
    low_label = models.CharField(
        max_length=500, blank=True, help_text="What the lowest point of a scale means."
    )
    high_label = models.CharField(
        max_length=500, blank=True, help_text="What the highest point of a scale means."
    )
    comment_prompt = models.CharField(
        max_length=300,
        blank=True,
        help_text="When set, people may add an optional comment under their answer.",
    )
    reverse_scored = models.BooleanField(
        default=False, help_text="A higher answer is worse (for example: an obstacle)."
    )

    class Meta:
        ordering = ["section__position", "position"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "code"], name="question_unique_code"),
            models.UniqueConstraint(
                fields=["section", "position"], name="question_unique_position"
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_scale(self) -> bool:
        return self.kind in (QuestionKind.RATING_5, QuestionKind.BIPOLAR_7)

    @property
    def has_choices(self) -> bool:
        return self.kind != QuestionKind.TEXT

    @property
    def allows_comment(self) -> bool:
        return bool(self.comment_prompt)


class Choice(models.Model):
    """One possible answer. `value` is what an answer stores; `score` (0–100, or empty when
    the answer is counted but not scored, like “Don't know”) is what the report averages."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    position = models.PositiveSmallIntegerField()
    value = models.SmallIntegerField()
    label = models.CharField(max_length=300)
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    unfavourable = models.BooleanField(
        default=False, help_text="Counts towards the share of unhappy answers."
    )

    class Meta:
        ordering = ["question", "position"]
        constraints = [
            models.UniqueConstraint(fields=["question", "value"], name="choice_unique_value"),
            models.CheckConstraint(
                condition=models.Q(score__lte=100), name="choice_score_at_most_100"
            ),
        ]

    def __str__(self) -> str:
        return self.label
