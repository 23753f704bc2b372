"""The anonymity thresholds: the one minimum, their defaults, the one validation of a pair
and the one comparison of a count with a threshold. The fields that hold a pair are in
threshold_fields.py."""

from django.db.models import F, Q

MIN_THRESHOLD = 3
DEFAULT_THRESHOLD = 5
DEFAULT_COMMENT_THRESHOLD = 10

THRESHOLD_TOO_LOW = f"The anonymity threshold cannot be below {MIN_THRESHOLD}."
COMMENT_THRESHOLD_TOO_LOW = "The comment threshold cannot be below the anonymity threshold."
THRESHOLD_LOWERED = (
    "Thresholds cannot be lowered after launch: people answered on the promise of this one."
)


def threshold_errors(threshold: int | None, comment_threshold: int | None) -> dict[str, str]:
    """What is wrong with a pair of thresholds, by field name (empty when nothing is)."""
    errors: dict[str, str] = {}
    if threshold is not None and threshold < MIN_THRESHOLD:
        errors["threshold"] = THRESHOLD_TOO_LOW
    if threshold is not None and comment_threshold is not None and comment_threshold < threshold:
        errors["comment_threshold"] = COMMENT_THRESHOLD_TOO_LOW
    return errors


def lowered(before: tuple[int, int], after: tuple[int, int]) -> bool:
    """Whether a new (threshold, comment threshold) pair lowers either of the old one."""
    return after[0] < before[0] or after[1] < before[1]


def reaches(count: int, threshold: int) -> bool:
    """Whether a group of `count` people is large enough to be shown on its own."""
    return count >= threshold


def short_of(count: int, threshold: int) -> int:
    """How many more people a group needs before it can be shown (0: none)."""
    return max(threshold - count, 0)


def reaches_in_database(count: str, threshold: str) -> Q:
    """`reaches` as a condition the database evaluates, for a count and a threshold that
    are columns or annotations (a list of rounds with their totals)."""
    return Q(**{f"{count}__gte": F(threshold)})
