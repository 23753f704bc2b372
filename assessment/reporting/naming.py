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


# Words a short label leaves out: how a question is asked, not what it asks about.
FILLER = frozenset(
    "a about all an and any anything are as at be by can deal do does for from have has how in"
    " is it its know much of often on or our people that the their there these this to us we"
    " well what when"
    " which who with you your".split()
)
SHORT_WORDS = 3


def short_label(text: str) -> str:
    """A heatmap column's head: the first few words that say what the question is about
    ("Do you know which of your customers are most valuable…" → "Know customers most");
    the full wording goes in its title."""
    clause = re.split(r"[?:;(]", text, maxsplit=1)[0]
    words = [w for w in re.findall(r"[\w'’-]+", clause) if w.casefold() not in FILLER]
    label = " ".join(words[:SHORT_WORDS]) or text[:20]
    return label[:1].upper() + label[1:]
