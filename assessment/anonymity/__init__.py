"""Everything that decides what may be shown about people lives here, and only here.

- thresholds.py: the minimum, the defaults, validating a pair, comparing a count with one;
  threshold_fields.py: the fields every model holding a pair shares.
- gate.py: which groups of one table may be shown (small groups, and subtraction).
- shape.py: an organisation's groups (departments in a tree × levels) and their sums.
- steps.py: how far a published figure may move between two versions (the report's cells
  and the workshop screen's questions follow the same rule).

Pages, exports and selectors never compare a count with a threshold themselves: they ask
this package.
"""

from .gate import Partition, is_shown, recoverable_groups, suppressed_groups
from .shape import (
    ORGANISATION,
    OrganisationShape,
    cell_key,
    department_key,
    direct_key,
    level_key,
)
from .thresholds import (
    DEFAULT_COMMENT_THRESHOLD,
    DEFAULT_THRESHOLD,
    MIN_THRESHOLD,
    reaches,
    short_of,
    threshold_errors,
)

__all__ = [
    "DEFAULT_COMMENT_THRESHOLD",
    "DEFAULT_THRESHOLD",
    "MIN_THRESHOLD",
    "ORGANISATION",
    "OrganisationShape",
    "Partition",
    "cell_key",
    "department_key",
    "direct_key",
    "is_shown",
    "level_key",
    "reaches",
    "recoverable_groups",
    "short_of",
    "suppressed_groups",
    "threshold_errors",
]
