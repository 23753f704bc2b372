import datetime
import zoneinfo
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from assessment.anonymity.threshold_fields import Thresholds


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"“{value}” is not a time zone name such as Europe/London.")


class Organisation(Thresholds):
    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True, help_text="Short name used on the command line.")
    time_zone = models.CharField(
        max_length=64,
        default="Europe/London",
        validators=[validate_time_zone],
        help_text="Dates and times are shown in this time zone.",
    )
    customer_word = models.CharField(
        max_length=40,
        blank=True,
        help_text="What we call one customer, e.g. “patient” or “member”. Offered as a "
        "substitution when a questionnaire is copied.",
    )
    customers_word = models.CharField(
        max_length=40,
        blank=True,
        help_text="…and more than one: “patients”, “members”.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(Thresholds.Meta):
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def today(self) -> datetime.date:
        return timezone.localdate(timezone=self.zone)


class Department(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="departments"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.RESTRICT, related_name="children"
    )
    name = models.CharField(max_length=120)
    # The full path ("Operations/Logistics") is kept on the row so that a subtree is one
    # indexed prefix query instead of a recursive walk.
    path = models.CharField(max_length=1000, editable=False)

    class Meta:
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "path"], name="department_unique_path"),
        ]

    def __str__(self) -> str:
        return self.path

    def save(self, *args: Any, **kwargs: Any) -> None:
        old_path = self.path
        self.path = f"{self.parent.path}/{self.name}" if self.parent is not None else self.name
        super().save(*args, **kwargs)
        if old_path and old_path != self.path:
            # A renamed or moved department carries its subtree's stored paths with it.
            for child in self.children.all():
                child.save(update_fields=["path"])

    @property
    def depth(self) -> int:
        return self.path.count("/")

    def clean(self) -> None:
        if "/" in self.name:
            raise ValidationError({"name": "A department name cannot contain “/”."})
        if self.parent is not None and self.parent.organisation_id != self.organisation_id:
            raise ValidationError({"parent": "The parent must belong to the same organisation."})


class LevelKind(models.TextChoices):
    EXECUTIVE = "executive", "Executive (“Tops”)"
    MANAGER = "manager", "Manager (“Middles”)"
    FRONT_LINE = "front_line", "Front line (“Bottoms”)"
    EXTERNAL = "external", "External group"


class Level(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="levels")
    name = models.CharField(max_length=60, help_text="As people in the organisation say it.")
    kind = models.CharField(
        max_length=20,
        choices=LevelKind.choices,
        help_text="What the level is, whatever its name: the report compares executives "
        "with the front line.",
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="level_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    ADMIN = "admin", "Organisation admin"
    FACILITATOR = "facilitator", "Facilitator"
    EXECUTIVE = "executive", "Executive"
    DEPARTMENT_LEAD = "department_lead", "Department lead"


class Membership(models.Model):
    """A staff account's place in one organisation. Respondents never have one."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    department = models.ForeignKey(
        Department,
        null=True,
        blank=True,
        on_delete=models.RESTRICT,
        help_text="Department leads see this department and the ones below it.",
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="department_lead") | models.Q(department__isnull=False),
                name="membership_lead_has_department",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} of {self.organisation}"
