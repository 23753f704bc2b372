"""The fields every model that holds a pair of thresholds shares: an organisation's
defaults, a round, a workshop. The database itself keeps each pair valid."""

from django.db import models

from .thresholds import DEFAULT_COMMENT_THRESHOLD, DEFAULT_THRESHOLD, MIN_THRESHOLD


class Thresholds(models.Model):
    """A pair of thresholds, kept valid by the database itself."""

    threshold = models.PositiveSmallIntegerField(
        default=DEFAULT_THRESHOLD,
        help_text=f"No group with fewer people is shown. At least {MIN_THRESHOLD}.",
    )
    comment_threshold = models.PositiveSmallIntegerField(
        default=DEFAULT_COMMENT_THRESHOLD,
        help_text="Comments and customer words are shown only for groups at least this large.",
    )

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=models.Q(threshold__gte=MIN_THRESHOLD),
                name="%(class)s_threshold_at_least_3",
            ),
            models.CheckConstraint(
                condition=models.Q(comment_threshold__gte=models.F("threshold")),
                name="%(class)s_comment_threshold_not_below_threshold",
            ),
        ]
