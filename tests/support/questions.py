"""The questions and levels of the generated organisations of tests/anonymity/: one
required item, optional ones, a several-choice item and two free-text questions, as the
report's assembly reads them."""

from assessment.reporting.assembly import LevelInfo
from assessment.reporting.stats import LANGUAGE_QUESTION, ChoiceInfo, QuestionInfo

YES_NO = (
    ChoiceInfo(value=1, label="Yes", score=100, unfavourable=False),
    ChoiceInfo(value=2, label="No", score=0, unfavourable=True),
)
RATING = tuple(
    ChoiceInfo(value=v, label=str(v), score=(v - 1) * 25, unfavourable=v <= 2) for v in range(1, 6)
)
OPTIONS = tuple(
    ChoiceInfo(value=v, label=f"Option {v}", score=None, unfavourable=False) for v in range(3)
)


def question(number: int, code: str, kind: str, instrument: str, choices=()) -> QuestionInfo:
    """A question as the report's assembly reads it, worded by its code."""
    return QuestionInfo(
        id=number,
        code=code,
        kind=kind,
        instrument=instrument,
        text=code,
        reverse_scored=False,
        choices=choices,
    )


# Everyone answers the first; the others are optional, so their n differs from the group's.
REQUIRED = question(1, "checklist-01", "yes_no", "checklist", YES_NO)
OPTIONAL = question(2, "trust-01", "rating_5", "trust", RATING)
SEVERAL = question(3, "obstacles-09", "multi_choice", "obstacles", OPTIONS)
STORY = question(4, "conversation-01", "text", "conversation")
WORDS = question(5, LANGUAGE_QUESTION, "text", "conversation")

# The gap compares the executive and the front-line levels, so both come first.
LEVELS = [
    LevelInfo(id=1, name="Executive", kind="executive"),
    LevelInfo(id=2, name="Front line", kind="front_line"),
    LevelInfo(id=3, name="Manager", kind="manager"),
]
