"""What one department's members answered, as ReportPart.counts keeps it (`part_json`)
and as the assembly adds it up (`Counts`), and the department and level facts the
assembly is given."""

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from assessment.anonymity.steps import TEXT_RESPONDED, WORKSHOP, per_level

from .stats import QuestionInfo


@dataclass(frozen=True)
class DepartmentInfo:
    id: int
    parent_id: int | None
    path: str


@dataclass(frozen=True)
class LevelInfo:
    id: int
    name: str
    kind: str


def part_json(
    *,
    invited: Iterable[tuple[int, int]],
    responded: Iterable[tuple[int, int]],
    answers: Iterable[tuple[int, int, int, int]],
    respondents: Iterable[tuple[int, int, int]],
    texts: Iterable[tuple[int, int, bool, str, int]],
    workshop: Mapping[str, Iterable[tuple]] | None = None,
) -> dict:
    """How one department's counts are kept in ReportPart.counts: lists of rows, since
    JSON object keys could only be strings.

    invited, responded: (level, n); answers: (question, level, value, n); respondents
    (who answered a question at all, used for several-choice ones): (question, level,
    n); texts: (question, level, is_comment, text, n). These count the round's own
    responses; `workshop` holds the same rows (but invited) for the participants of the
    workshops the round counts, which never make a group large enough to be shown."""
    part = {
        "invited": [list(row) for row in invited],
        "responded": [list(row) for row in responded],
        "answers": [list(row) for row in answers],
        "respondents": [list(row) for row in respondents],
        "texts": [list(row) for row in texts],
    }
    if workshop:
        part[WORKSHOP] = {kind: [list(row) for row in rows] for kind, rows in workshop.items()}
    return part


@dataclass
class Counts:
    """What the members of a group answered, by level: the figures shown (the group's
    responses and the workshop answers riding along with them) and the verified sizes the
    gate decides on."""

    invited: Counter[int] = field(default_factory=Counter)
    responded: Counter[int] = field(default_factory=Counter)
    answers: Counter[tuple[int, int, int]] = field(default_factory=Counter)
    respondents: Counter[tuple[int, int]] = field(default_factory=Counter)
    # (question, is_comment, text): lists of comments carry no level.
    texts: Counter[tuple[int, bool, str]] = field(default_factory=Counter)
    # Verified people only: by level, who answered each question (by question and
    # level, with the people who ticked anything of a several-choice question), and by
    # level the people whose texts are counted.
    verified: Counter[int] = field(default_factory=Counter)
    verified_items: Counter[tuple[int, int]] = field(default_factory=Counter)
    verified_ticked: Counter[tuple[int, int]] = field(default_factory=Counter)
    text_verified: Counter[int] = field(default_factory=Counter)

    @classmethod
    def from_part(cls, data: Mapping[str, Any]) -> "Counts":
        counts = cls()
        counts._add_rows(data)
        counts._add_rows(data.get(WORKSHOP, {}))
        counts.verified.update(per_level(data, "responded"))
        for question, level, _value, n in data.get("answers", []):
            counts.verified_items[(question, level)] += n
        for question, level, n in data.get("respondents", []):
            counts.verified_ticked[(question, level)] += n
        # A version keeps the people its texts were taken from; counts straight from the
        # database took them from everyone they counted.
        texts_from = TEXT_RESPONDED if TEXT_RESPONDED in data else "responded"
        counts.text_verified.update(per_level(data, texts_from))
        return counts

    def verified_item(self, question: QuestionInfo, level: int) -> int:
        """Verified people who answered a question at a level."""
        key = (question.id, level)
        return self.verified_ticked[key] if question.is_multi else self.verified_items[key]

    def _add_rows(self, data: Mapping[str, list]) -> None:
        for level, n in data.get("invited", []):
            self.invited[level] += n
        for level, n in data.get("responded", []):
            self.responded[level] += n
        for question, level, value, n in data.get("answers", []):
            self.answers[(question, level, value)] += n
        for question, level, n in data.get("respondents", []):
            self.respondents[(question, level)] += n
        for question, _level, is_comment, text, n in data.get("texts", []):
            self.texts[(question, bool(is_comment), text)] += n

    def add(self, other: "Counts") -> None:
        self.invited.update(other.invited)
        self.responded.update(other.responded)
        self.answers.update(other.answers)
        self.respondents.update(other.respondents)
        self.texts.update(other.texts)
        self.verified.update(other.verified)
        self.verified_items.update(other.verified_items)
        self.verified_ticked.update(other.verified_ticked)
        self.text_verified.update(other.text_verified)

    def item(self, question: QuestionInfo, levels: Iterable[int]) -> tuple[dict[int, int], int]:
        """(answers per value, respondents) of one question at the given levels."""
        levels = list(levels)
        by_value = {
            value: sum(self.answers[(question.id, level, value)] for level in levels)
            for value in question.values
        }
        if question.is_multi:
            return by_value, sum(self.respondents[(question.id, level)] for level in levels)
        return by_value, sum(by_value.values())
