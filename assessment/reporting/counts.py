"""What one department's members answered: the rows ReportPart.counts and
ReportPart.published keep (`PartCounts`, which owns their JSON form), the same added up
for a group (`Counts`), and the department and level facts the assembly is given.

The stored JSON holds lists of rows, since JSON object keys could only be strings:
invited, responded and text_responded are (level, n); answers (question, level, value,
n); respondents, who answered a several-choice question at all, (question, level, n);
texts (question, level, is_comment, text, n). Each row is a NamedTuple of those fields,
so it is written back exactly as it was read."""

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from .stats import QuestionInfo
from .views import JSON

TEXT_RESPONDED = "text_responded"
WORKSHOP = "workshop"
ROWS = ("invited", "responded", "answers", "respondents", "texts")
WORKSHOP_ROWS = ("responded", "answers", "respondents", "texts")


class LevelRow(NamedTuple):
    level: int
    n: int


class AnswerRow(NamedTuple):
    question: int
    level: int
    value: int
    n: int


class RespondentRow(NamedTuple):
    question: int
    level: int
    n: int


class TextRow(NamedTuple):
    question: int
    level: int
    is_comment: bool
    text: str
    n: int


def _rows[Row: tuple[object, ...]](row: type[Row], data: Iterable[Iterable[Any]]) -> list[Row]:
    """Rows read from JSON (the one place its values are taken on trust)."""
    return [row(*values) for values in data]


def _json(rows: Iterable[tuple[object, ...]]) -> list[list[object]]:
    return [list(row) for row in rows]


@dataclass
class Rows:
    """The rows of one kind of people: the verified, or a part's workshop participants
    (who are never invited)."""

    invited: list[LevelRow] = field(default_factory=list)
    responded: list[LevelRow] = field(default_factory=list)
    answers: list[AnswerRow] = field(default_factory=list)
    respondents: list[RespondentRow] = field(default_factory=list)
    texts: list[TextRow] = field(default_factory=list)

    @classmethod
    def from_json(cls, data: JSON) -> "Rows":
        return cls(
            invited=_rows(LevelRow, data.get("invited", [])),
            responded=_rows(LevelRow, data.get("responded", [])),
            answers=_rows(AnswerRow, data.get("answers", [])),
            respondents=_rows(RespondentRow, data.get("respondents", [])),
            texts=_rows(TextRow, data.get("texts", [])),
        )

    def to_json(self, kinds: Iterable[str] = ROWS) -> JSON:
        rows: dict[str, Sequence[tuple[object, ...]]] = {
            "invited": self.invited,
            "responded": self.responded,
            "answers": self.answers,
            "respondents": self.respondents,
            "texts": self.texts,
        }
        return {kind: _json(rows[kind]) for kind in kinds}


@dataclass
class PartCounts:
    """One department's counts: what the part task counted in the database, or what a
    version counts (assessment/anonymity/steps.py). `workshop` holds the participants
    of the workshops the round counts, which never make a group large enough to be
    shown (None: the round counts none). A version also keeps, per level, the verified
    responses its texts were taken from (`text_responded`; None for counts straight
    from the database, which took them from everyone they counted)."""

    verified: Rows = field(default_factory=Rows)
    workshop: Rows | None = None
    text_responded: list[LevelRow] | None = None

    @classmethod
    def from_json(cls, data: JSON) -> "PartCounts":
        workshop = data.get(WORKSHOP)
        text_responded = data.get(TEXT_RESPONDED)
        return cls(
            verified=Rows.from_json(data),
            workshop=None if workshop is None else Rows.from_json(workshop),
            text_responded=None if text_responded is None else _rows(LevelRow, text_responded),
        )

    def to_json(self) -> JSON:
        data = self.verified.to_json()
        if self.text_responded is not None:
            data[TEXT_RESPONDED] = _json(self.text_responded)
        if self.workshop is not None:
            data[WORKSHOP] = self.workshop.to_json(WORKSHOP_ROWS)
        return data


def per_level(rows: Iterable[LevelRow]) -> Counter[int]:
    total: Counter[int] = Counter()
    for level, n in rows:
        total[level] += n
    return total


def part_json(
    *,
    invited: Iterable[tuple[int, int]],
    responded: Iterable[tuple[int, int]],
    answers: Iterable[tuple[int, int, int, int]],
    respondents: Iterable[tuple[int, int, int]],
    texts: Iterable[tuple[int, int, bool, str, int]],
    workshop: Mapping[str, Iterable[tuple[object, ...]]] | None = None,
) -> JSON:
    """The JSON of counts straight from the database (see `PartCounts`): the round's own
    responses, and under `workshop` the same rows (but invited) for the participants of
    the workshops the round counts."""
    counted = PartCounts(
        verified=Rows(
            invited=_rows(LevelRow, invited),
            responded=_rows(LevelRow, responded),
            answers=_rows(AnswerRow, answers),
            respondents=_rows(RespondentRow, respondents),
            texts=_rows(TextRow, texts),
        ),
        workshop=Rows.from_json(dict(workshop)) if workshop else None,
    )
    return counted.to_json()


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
    def from_part(cls, data: JSON) -> "Counts":
        """A department's own counts, from a part's JSON."""
        part = PartCounts.from_json(data)
        counts = cls()
        counts._add_rows(part.verified)
        if part.workshop is not None:
            counts._add_rows(part.workshop)
        counts.verified.update(per_level(part.verified.responded))
        for answer in part.verified.answers:
            counts.verified_items[(answer.question, answer.level)] += answer.n
        for respondent in part.verified.respondents:
            counts.verified_ticked[(respondent.question, respondent.level)] += respondent.n
        texts_from = part.text_responded
        counts.text_verified.update(
            per_level(part.verified.responded if texts_from is None else texts_from)
        )
        return counts

    def verified_item(self, question: QuestionInfo, level: int) -> int:
        """Verified people who answered a question at a level."""
        key = (question.id, level)
        return self.verified_ticked[key] if question.is_multi else self.verified_items[key]

    def _add_rows(self, rows: Rows) -> None:
        for level, n in rows.invited:
            self.invited[level] += n
        for level, n in rows.responded:
            self.responded[level] += n
        for question, level, value, n in rows.answers:
            self.answers[(question, level, value)] += n
        for question, level, n in rows.respondents:
            self.respondents[(question, level)] += n
        for text in rows.texts:
            self.texts[(text.question, bool(text.is_comment), text.text)] += text.n

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


def too_few_invited(
    totals: Mapping[int | None, "Counts"],
    departments: Sequence[DepartmentInfo],
    levels: Sequence[LevelInfo],
    threshold: int,
) -> list[JSON]:
    """The departments, and the levels of them and of the organisation, with fewer people
    invited than the threshold (`totals` rolled up; None: the organisation). The roster
    says so anyway, so the report may give it as the reason they are hidden; any other
    hidden group is hidden "to protect a smaller group", whichever it is."""
    few: list[JSON] = []
    for path, node in [(None, None), *((d.path, d.id) for d in departments)]:
        invited = totals[node].invited
        if path is not None and invited.total() < threshold:
            few.append({"department": path, "level": None})
        few += [
            {"department": path, "level": level.name}
            for level in levels
            if invited[level.id] < threshold
        ]
    return few
