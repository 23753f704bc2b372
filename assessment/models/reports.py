from functools import cached_property
from typing import Any

from django.db import models

from .organisation import Department
from .rounds import Round

# The version of ReportSnapshot.data's layout (docs/report-json.md). Raise it whenever a
# reader of an older snapshot would misread the new one.
REPORT_SCHEMA = 1


class ReportBuildStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


ACTIVE_BUILD_STATUSES = (ReportBuildStatus.QUEUED, ReportBuildStatus.RUNNING)


class ReportBuild(models.Model):
    """One run of the culture report's aggregation: a job row that workers lock and
    update, and that the page reads to draw its progress bar."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="report_builds")
    status = models.CharField(
        max_length=10, choices=ReportBuildStatus.choices, default=ReportBuildStatus.QUEUED
    )
    provisional = models.BooleanField(
        help_text="Built while the round could still take answers: the numbers may change."
    )
    parts_total = models.PositiveIntegerField(default=0)
    with_workshops = models.BooleanField(
        default=False,
        help_text="Counts the answers of the round's workshops whose facilitator chose so.",
    )
    parts_done = models.PositiveIntegerField(default=0)
    response_count = models.PositiveIntegerField(
        null=True, blank=True, help_text="How many responses the finished report counts."
    )
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    # Moves whenever a department finishes: the reconciler only gives up on builds that
    # stopped moving, not on long ones.
    progressed_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round"],
                condition=models.Q(status__in=ACTIVE_BUILD_STATUSES),
                name="report_build_one_active_per_round",
            ),
            models.CheckConstraint(
                condition=models.Q(parts_done__lte=models.F("parts_total")),
                name="report_build_parts_done_at_most_total",
            ),
        ]

    def __str__(self) -> str:
        return f"Report build #{self.pk} of {self.round}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_BUILD_STATUSES

    @property
    def progress(self) -> int:
        """Percent of departments counted, for the progress bar."""
        if self.status == ReportBuildStatus.DONE:
            return 100
        if not self.parts_total:
            return 0
        return 100 * self.parts_done // self.parts_total


class ReportPartStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    DONE = "done", "Done"


class ReportPart(models.Model):
    """What one department's direct members answered, counted by one worker: the raw,
    unsuppressed counts that the merge rolls up. Never shown; emptied once merged, except
    for what the round's published version counted (`published`)."""

    build = models.ForeignKey(ReportBuild, on_delete=models.CASCADE, related_name="parts")
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(
        max_length=10, choices=ReportPartStatus.choices, default=ReportPartStatus.PENDING
    )
    counts = models.JSONField(default=dict)
    published = models.JSONField(
        default=dict,
        blank=True,
        help_text="What the round's published version counts for the department "
        "(assessment/anonymity/steps.py): the next version moves on from it. Kept only "
        "while that version is the published one.",
    )
    computed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            # A redelivered task finds its part and does nothing twice.
            models.UniqueConstraint(fields=["build", "department"], name="report_part_unique"),
        ]

    def __str__(self) -> str:
        return f"Part of build #{self.build_id} for department #{self.department_id}"


class ReportSnapshot(models.Model):
    """The published culture report of a round: only what the anonymity gate lets be
    shown. One per round; a rebuild replaces it in one transaction, so a reader sees the
    old report or the new one, never half of either."""

    round = models.OneToOneField(Round, on_delete=models.CASCADE, related_name="report")
    build = models.OneToOneField(ReportBuild, on_delete=models.CASCADE, related_name="snapshot")
    schema = models.PositiveSmallIntegerField(default=REPORT_SCHEMA)
    provisional = models.BooleanField()
    built_at = models.DateTimeField()
    response_count = models.PositiveIntegerField()
    organisation_part = models.JSONField(
        help_text="The report's organisation part (assessment/reporting/parts.py): the "
        "document of docs/report-json.md less its departments, comments and words, which "
        "are stored beside it, under the same build (PublishedDepartment, "
        "PublishedComment, PublishedWord)."
    )
    decisions = models.JSONField(
        default=dict,
        blank=True,
        help_text="Which groups the anonymity gate hid in this version, for each kind of "
        "figure (assessment/anonymity/decide.py): the round's next version is decided "
        "together with what this one published.",
    )

    def __str__(self) -> str:
        return f"Report of {self.round}"

    @cached_property
    def data(self) -> dict[str, Any]:
        """The whole document (docs/report-json.md), joined from its parts: every
        department and every comment. For the command, the downloads and tests; a page
        reads only its parts (assessment/selectors/report_parts.py)."""
        from assessment.selectors.report_parts import report_document

        return report_document(self)


class PublishedDepartment(models.Model):
    """One department's part of a published version (assessment/reporting/parts.py): its
    numbers, rolled up with those below it, as the gate let them through. A page reads the
    parts it shows; the version's organisation part is its ReportSnapshot's."""

    build = models.ForeignKey(ReportBuild, on_delete=models.CASCADE, related_name="+")
    path = models.CharField(max_length=1000, help_text="The department's path in the round's tree.")
    data = models.JSONField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["build", "path"], name="published_department_unique")
        ]

    def __str__(self) -> str:
        return f"{self.path} in version #{self.build_id}"


class PublishedComment(models.Model):
    """One comment or story a published version lists, stored once under the deepest
    group that lists it (`path`; empty: the organisation alone): a group's comments are
    the rows under it and under the departments below it. `position` is its place in the
    version's alphabetical order, which says nothing about who wrote it or when."""

    build = models.ForeignKey(ReportBuild, on_delete=models.CASCADE, related_name="+")
    path = models.CharField(max_length=1000, blank=True)
    question = models.CharField(max_length=100)
    position = models.PositiveIntegerField()
    text = models.TextField()

    class Meta:
        indexes = [
            models.Index(fields=["build", "position"], name="published_comment_order"),
            models.Index(
                fields=["build", "question", "position"], name="published_comment_question"
            ),
            models.Index(fields=["build", "path", "position"], name="published_comment_path"),
        ]

    def __str__(self) -> str:
        return f"Comment {self.position} of version #{self.build_id}"


class PublishedWord(models.Model):
    """One word of a shown group's language audit in a published version (`path` empty:
    the organisation), with how many answers use it; `position`: most used first."""

    build = models.ForeignKey(ReportBuild, on_delete=models.CASCADE, related_name="+")
    path = models.CharField(max_length=1000, blank=True)
    position = models.PositiveIntegerField()
    word = models.TextField()
    count = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["build", "path", "position"], name="published_word_order")]

    def __str__(self) -> str:
        return f"{self.word} in version #{self.build_id}"
