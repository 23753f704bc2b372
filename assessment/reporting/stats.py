"""How the culture report turns counts into numbers. docs/report-json.md states every
definition here in words; change the two together."""

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .views import JSON

# "Where there is smoke there is fire": an item whose score looks fine (at least
# LOOKS_FINE_SCORE of 100, which on a 1–5 scale is a mean of 3.4) while at least
# SMOKE_UNFAVOURABLE_SHARE of its answers are unfavourable (No, or 1–2 of 5) is flagged.
LOOKS_FINE_SCORE = 60.0
SMOKE_UNFAVOURABLE_SHARE = 0.2

# Where a group stands on an obsessed-or-reactive scale (1 = reactive, 7 = obsessed).
OBSESSED_FROM_MEAN = 5.0
REACTIVE_UP_TO_MEAN = 3.0
OBSESSED = "obsessed"
REACTIVE = "reactive"
IN_BETWEEN = "in between"

# Rounding of what the report shows: scores 0–100 to one decimal, means of a scale to two,
# shares (0–1) to four.
SCORE_DIGITS = 1
MEAN_DIGITS = 2
SHARE_DIGITS = 4

# Which instruments and question have a summary of their own, by their stable keys.
CHECKLIST_INSTRUMENT = "checklist"
OBSESSED_INSTRUMENT = "obsessed"
OBSTACLES_INSTRUMENT = "obstacles"
LANGUAGE_QUESTION = "conversation-04-words"

# A scored answer is favourable above the middle of its scale (Yes; 4–5 of 5; 5–7 of 7;
# 1–2 for obstacles, whose scores run the other way), unfavourable where its choice is
# marked so, neutral otherwise ("Partly", the middle point, "Don't know").
FAVOURABLE_ABOVE_SCORE = 50
FAVOURABLE, NEUTRAL, UNFAVOURABLE = "favourable", "neutral", "unfavourable"

SCALE_KINDS = frozenset({"rating_5", "bipolar_7"})
MULTI_CHOICE = "multi_choice"
TEXT = "text"


@dataclass(frozen=True)
class ChoiceInfo:
    value: int
    label: str
    score: int | None
    unfavourable: bool


@dataclass(frozen=True)
class QuestionInfo:
    id: int
    code: str
    kind: str
    instrument: str
    text: str
    reverse_scored: bool
    choices: tuple[ChoiceInfo, ...]

    @property
    def is_text(self) -> bool:
        return self.kind == TEXT

    @property
    def is_multi(self) -> bool:
        return self.kind == MULTI_CHOICE

    @property
    def is_scale(self) -> bool:
        return self.kind in SCALE_KINDS

    @property
    def is_scored(self) -> bool:
        return any(c.score is not None for c in self.choices)

    @property
    def values(self) -> tuple[int, ...]:
        return tuple(c.value for c in self.choices)


def share(part: int, whole: int) -> float | None:
    return round(part / whole, SHARE_DIGITS) if whole else None


def item_stats(question: QuestionInfo, counts: Mapping[int, int], respondents: int) -> JSON:
    """The numbers of one question in one group.

    `counts` holds how many answers chose each value (for several-choice questions, how
    many respondents ticked each option) and `respondents` how many answered at all.
    n counts every answer, "Don't know" included; the score averages only answers whose
    choice has a score; the mean (scales only) averages the chosen points.
    """
    distribution = {str(c.value): counts.get(c.value, 0) for c in question.choices}
    n = respondents if question.is_multi else sum(distribution.values())
    mean = None
    if question.is_scale and n:
        mean = round(
            sum(c.value * counts.get(c.value, 0) for c in question.choices) / n, MEAN_DIGITS
        )
    scored = [(c.score, counts.get(c.value, 0)) for c in question.choices if c.score is not None]
    scored_n = sum(count for _, count in scored)
    score = (
        round(sum(s * count for s, count in scored) / scored_n, SCORE_DIGITS) if scored_n else None
    )
    unfavourable = None
    if not question.is_multi and any(c.unfavourable for c in question.choices):
        unfavourable = share(
            sum(counts.get(c.value, 0) for c in question.choices if c.unfavourable), n
        )
    return {
        "n": n,
        "distribution": distribution,
        "shares": {value: share(count, n) for value, count in distribution.items()},
        "mean": mean,
        "score": score,
        "unfavourable": unfavourable,
        "smoke": is_smoke(score, unfavourable),
        "change": None,
        "split": favourable_split(question, counts, n),
    }


def choice_side(choice: ChoiceInfo) -> str:
    """Whether an answer is favourable, neutral or unfavourable."""
    if choice.unfavourable:
        return UNFAVOURABLE
    if choice.score is not None and choice.score > FAVOURABLE_ABOVE_SCORE:
        return FAVOURABLE
    return NEUTRAL


def favourable_split(
    question: QuestionInfo, counts: Mapping[int, int], n: int
) -> dict[str, int] | None:
    """Whole percentages of favourable, neutral and unfavourable answers that add up to
    100; None for a question that is not scored, or several-choice, or unanswered."""
    if question.is_multi or not question.is_scored or not n:
        return None
    sides = {FAVOURABLE: 0, NEUTRAL: 0, UNFAVOURABLE: 0}
    for choice in question.choices:
        sides[choice_side(choice)] += counts.get(choice.value, 0)
    return largest_remainder(sides, n)


def largest_remainder(counts: Mapping[str, int], whole: int) -> dict[str, int]:
    """Whole percentages of `whole` that add up to 100: each rounded down, then the
    points left over go to the largest remainders (ties in the order given)."""
    # In whole numbers: remainders that are equal must compare equal, which floats'
    # rounding does not promise.
    shares = {key: count * 100 // whole for key, count in counts.items()}
    remainders = {key: count * 100 % whole for key, count in counts.items()}
    left = 100 - sum(shares.values())
    for key in sorted(remainders, key=lambda key: -remainders[key])[:left]:
        shares[key] += 1
    return shares


def is_smoke(score: float | None, unfavourable: float | None) -> bool:
    if score is None or unfavourable is None:
        return False
    return score >= LOOKS_FINE_SCORE and unfavourable >= SMOKE_UNFAVOURABLE_SHARE


def mean_score(scores: Iterable[float]) -> float | None:
    """The checklist score: the mean of the shown item scores."""
    scores = list(scores)
    return round(math.fsum(scores) / len(scores), SCORE_DIGITS) if scores else None


def difference(now: object, before: object) -> float | None:
    """A change or a gap between two shown scores, or None when either is missing."""
    if not isinstance(now, int | float) or not isinstance(before, int | float):
        return None
    return round(now - before, SCORE_DIGITS)


def position(mean: float) -> str:
    if mean >= OBSESSED_FROM_MEAN:
        return OBSESSED
    if mean <= REACTIVE_UP_TO_MEAN:
        return REACTIVE
    return IN_BETWEEN


def words_of(text: str) -> set[str]:
    """The words of one answer to the language question: comma-separated, compared
    without case or extra spaces, each counted once per answer."""
    words = (re.sub(r"\s+", " ", part).strip().casefold() for part in text.split(","))
    return {word for word in words if word}


def word_counts(texts: Iterable[tuple[str, int]]) -> list[JSON]:
    """How many answers use each word, most used first, then alphabetically."""
    counts: Counter[str] = Counter()
    for text, times in texts:
        for word in words_of(text):
            counts[word] += times
    return [
        {"word": word, "count": count}
        for word, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]


def comment_order(text: str) -> tuple[str, str]:
    """Comments are listed alphabetically: an order that says nothing about who wrote
    them or when."""
    return (text.casefold(), text)
