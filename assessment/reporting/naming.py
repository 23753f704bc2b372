"""What the report's tables call instruments and questions: an instrument's title, and a
question's wording where it stands among other instruments' questions."""

import re
from collections.abc import Mapping

from .stats import OBSESSED_INSTRUMENT, OBSTACLES_INSTRUMENT
from .views import QuestionView

INSTRUMENT_TITLES = {
    "checklist": "Customer-centricity checklist",
    "conversation": "Conversation questionnaire",
    "obsessed": "Obsessed or reactive?",
    "obstacles": "Obstacles",
    "trust": "Trust customer feedback",
}


def instrument_title(key: str, names: Mapping[str, str] | None = None) -> str:
    """The name an instrument was given, else the built-in one's, else its key."""
    if names and key in names:
        return names[key]
    return INSTRUMENT_TITLES.get(key, key.replace("-", " ").replace("_", " ").capitalize())


# Questions whose wording is a short name, which says what it is only beside its
# instrument's: "Focus", "Mindset".
NAMED_BY_INSTRUMENT = {
    OBSESSED_INSTRUMENT: "Obsessed or reactive",
    OBSTACLES_INSTRUMENT: "Obstacle",
}


def item_label(question: QuestionView) -> str:
    """A question's wording where it is listed among other instruments' (the gap, smoke)."""
    prefix = NAMED_BY_INSTRUMENT.get(question["instrument"])
    return f"{prefix}: {question['text']}" if prefix else question["text"]


def short_code(code: str) -> str:
    """ "checklist-03" → "3": a heatmap column header; the full code goes beside it."""
    match = re.search(r"-(\d+)$", code)
    return str(int(match.group(1))) if match else code
