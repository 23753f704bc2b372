"""The snapshot's JSON around what the assembly puts together (docs/report-json.md): the
round, when and how provisional the version is, its thresholds, levels and questions, and
the previous round it is compared with. Pure: facts in, JSON out."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from .assembly import question_json
from .counts import LevelInfo
from .stats import QuestionInfo
from .views import JSON


@dataclass(frozen=True)
class RoundFacts:
    """What the envelope says about the round being reported on."""

    id: int
    name: str
    organisation: str
    opens_at: datetime.datetime
    closes_at: datetime.datetime
    threshold: int
    comment_threshold: int


@dataclass(frozen=True)
class PreviousRound:
    """The earlier round whose report this one is compared with."""

    id: int
    name: str
    provisional: bool
    built_at: datetime.datetime


def report_envelope(
    *,
    schema: int,
    round_: RoundFacts,
    provisional: bool,
    built_at: datetime.datetime,
    responses: int,
    held_back: int,
    levels: Sequence[LevelInfo],
    questions: Sequence[QuestionInfo],
    previous: PreviousRound | None,
    assembled: JSON,
) -> JSON:
    """The whole snapshot: the envelope, then the assembly's organisation, departments
    and heatmap."""
    return {
        "schema": schema,
        "round": {
            "id": round_.id,
            "name": round_.name,
            "organisation": round_.organisation,
            "opens_at": round_.opens_at.isoformat(),
            "closes_at": round_.closes_at.isoformat(),
        },
        "provisional": provisional,
        "built_at": built_at.isoformat(),
        "responses": responses,
        "held_back": held_back,
        "threshold": round_.threshold,
        "comment_threshold": round_.comment_threshold,
        "levels": [{"name": lv.name, "kind": lv.kind} for lv in levels],
        "questions": [question_json(q) for q in questions],
        "previous_round": (
            None
            if previous is None
            else {
                "id": previous.id,
                "name": previous.name,
                "provisional": previous.provisional,
                "built_at": previous.built_at.isoformat(),
            }
        ),
        **assembled,
    }
