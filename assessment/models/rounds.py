import hashlib

from django.db import models
from django.utils import timezone

from assessment.anonymity.threshold_fields import Thresholds

from .organisation import Department, Level, Organisation


class RoundStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    LAUNCHED = "launched", "Launched"
    CLOSED = "closed", "Closed"


class Round(Thresholds):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="rounds")
    name = models.CharField(max_length=200)
    purpose = models.TextField(
        help_text="Shown to everyone invited: what this round is for and what happens next."
    )
    instruments = models.ManyToManyField(
        "assessment.Instrument", through="RoundInstrument", related_name="rounds"
    )
    audience_all = models.BooleanField(
        default=True, help_text="Invite everyone active on the roster."
    )
    audience_departments = models.ManyToManyField(
        Department,
        blank=True,
        related_name="+",
        help_text="Otherwise invite these departments (and those below them)…",
    )
    audience_levels = models.ManyToManyField(
        Level, blank=True, related_name="+", help_text="…at these levels (all levels if none)."
    )
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    reminder_days_before = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Remind those who have not finished this many days before closing.",
    )
    status = models.CharField(max_length=10, choices=RoundStatus.choices, default=RoundStatus.DRAFT)
    launched_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    personal_data_removed_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the retention period ended: links, drafts and who was invited are gone.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(Thresholds.Meta):
        ordering = ["-opens_at"]
        constraints = [
            *Thresholds.Meta.constraints,
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="round_closes_after_it_opens",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_open(self) -> bool:
        now = timezone.now()
        return self.status == RoundStatus.LAUNCHED and self.opens_at <= now < self.closes_at

    @property
    def has_ended(self) -> bool:
        """Closed, or past its closing time before the schedule has marked it closed."""
        return self.status == RoundStatus.CLOSED or self.closes_at <= timezone.now()

    @property
    def has_not_opened(self) -> bool:
        return self.status == RoundStatus.LAUNCHED and timezone.now() < self.opens_at

    @property
    def minutes(self) -> int:
        return sum(i.minutes for i in self.instruments.all())


class RoundDepartment(models.Model):
    """A department as it stood when the round was launched. The round's participation and
    report read their tree from here, so a department moved, renamed or added later
    changes nothing the round counts or has shown."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="frozen_departments")
    department = models.ForeignKey(Department, on_delete=models.RESTRICT, related_name="+")
    parent = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.RESTRICT, related_name="+"
    )
    path = models.CharField(max_length=1000)

    class Meta:
        ordering = ["round", "path"]
        constraints = [
            models.UniqueConstraint(fields=["round", "department"], name="round_department_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.path} in {self.round}"

    @property
    def depth(self) -> int:
        return self.path.count("/")

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1]


class RoundInstrument(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="round_instruments")
    instrument = models.ForeignKey("assessment.Instrument", on_delete=models.RESTRICT)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["round", "instrument"], name="round_instrument_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.instrument} in {self.round}"


class InvitationStatus(models.TextChoices):
    INVITED = "invited", "Invited"
    STARTED = "started", "Started"
    SUBMITTED = "submitted", "Submitted"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Invitation(models.Model):
    """One person's place in one round. It records whether they have started or finished,
    never when, and never what they said: no response points back here."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey(
        "assessment.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="invitations",
    )
    # Frozen at launch: a later roster change never moves an answer.
    department = models.ForeignKey(Department, on_delete=models.RESTRICT, related_name="+")
    level = models.ForeignKey(Level, on_delete=models.RESTRICT, related_name="+")
    # The link's token is an HMAC of this random salt under a server-side key, so the same
    # link can be e-mailed again in a reminder; the database alone holds neither the token
    # nor anything it can be computed from. Lookups go through the token's SHA-256.
    token_salt = models.CharField(max_length=32, blank=True)
    token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=InvitationStatus.choices, default=InvitationStatus.INVITED
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(
        default=0, help_text="The number of the last reminder e-mailed to this person."
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "person"], name="invitation_unique_person"),
        ]
        indexes = [
            # Participation (GROUP BY department, level, status) and the report's invited
            # counts read this index alone: 100,000 invitations in 40 ms (bench/README.md).
            models.Index(
                fields=["round", "department", "level", "status"], name="invitation_progress"
            ),
        ]

    def __str__(self) -> str:
        return f"Invitation #{self.pk} to {self.round}"

    @property
    def is_submitted(self) -> bool:
        return self.status == InvitationStatus.SUBMITTED


class DispatchKind(models.TextChoices):
    INVITATIONS = "invitations", "Invitations"
    REMINDER = "reminder", "Reminder"


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Sending"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class Dispatch(models.Model):
    """One batch of e-mails for a round (the invitations, or reminder number n), and how
    far it got. The worker sends only to those this dispatch has not reached yet, so a
    retry or a second delivery of the task never e-mails anyone twice."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="dispatches")
    kind = models.CharField(max_length=12, choices=DispatchKind.choices)
    number = models.PositiveSmallIntegerField(
        default=0, help_text="For reminders: first, second… reminder of the round."
    )
    scheduled = models.BooleanField(
        default=False, help_text="Sent by the schedule rather than by a facilitator."
    )
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    sent = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name_plural = "dispatches"
        constraints = [
            models.UniqueConstraint(
                fields=["round", "kind", "number"], name="dispatch_unique_number"
            ),
            models.UniqueConstraint(
                fields=["round"],
                condition=models.Q(kind="reminder", scheduled=True),
                name="dispatch_one_scheduled_reminder",
            ),
        ]

    def __str__(self) -> str:
        if self.kind == DispatchKind.REMINDER:
            return f"Reminder {self.number} for {self.round}"
        return f"Invitations for {self.round}"
