"""The report's downloads: a file per published version, format and reader scope, written
by a worker into the report files' storage (settings.STORAGES["report_files"])."""

import datetime

from django.db import models
from django.utils import timezone

from .organisation import Department
from .reports import ReportBuild
from .rounds import Round

# A download nobody has moved on for this long is taken as stopped (its worker killed,
# its message lost): the page offers to try again. A worker writing a file moves it on
# every half minute (assessment/services/report_downloads.py), whatever it is doing.
DOWNLOAD_STALE_AFTER = datetime.timedelta(minutes=5)


class DownloadFormat(models.TextChoices):
    XLSX = "xlsx", "Spreadsheet"
    PDF = "pdf", "PDF"
    JSON = "json", "JSON"


class DownloadStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Being prepared"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


ACTIVE_DOWNLOAD_STATUSES = (DownloadStatus.QUEUED, DownloadStatus.RUNNING)


class ReportDownload(models.Model):
    """One file of one published version (`build`) in one format, for one reader scope:
    the whole organisation (`department` empty) or a department lead's subtree. A job row
    that a worker locks and moves on; its `name` in storage is set only in the transaction
    that marks it ready, so a half-written file is never named here."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="downloads")
    build = models.ForeignKey(ReportBuild, on_delete=models.CASCADE, related_name="downloads")
    format = models.CharField(max_length=4, choices=DownloadFormat.choices)
    department = models.ForeignKey(
        Department,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text="The lead's department whose subtree the file holds; empty for the whole "
        "organisation.",
    )
    status = models.CharField(
        max_length=10, choices=DownloadStatus.choices, default=DownloadStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(default=0, help_text="Percent written.")
    name = models.CharField(max_length=255, blank=True, help_text="The file's name in storage.")
    size = models.PositiveBigIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(
        default=0, help_text="How many times a worker has started writing it."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    progressed_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            # Two clicks, or two readers of one scope, share one file.
            models.UniqueConstraint(
                fields=["build", "format", "department"],
                condition=models.Q(department__isnull=False),
                name="report_download_one_per_department_scope",
            ),
            models.UniqueConstraint(
                fields=["build", "format"],
                condition=models.Q(department__isnull=True),
                name="report_download_one_per_whole_scope",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="ready") | ~models.Q(name=""),
                name="report_download_ready_has_a_file",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_format_display()} of build #{self.build_id}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_DOWNLOAD_STATUSES

    @property
    def is_stale(self) -> bool:
        """Queued or running, and not moved on for DOWNLOAD_STALE_AFTER: its worker was
        killed or its message lost. Trying again starts it afresh."""
        return self.is_active and timezone.now() - self.progressed_at > DOWNLOAD_STALE_AFTER

    @property
    def is_ready(self) -> bool:
        return self.status == DownloadStatus.READY
