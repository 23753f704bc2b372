"""Simulated answers: plausible by department and level, page by page through the open
round, or in bulk for a past one."""

import random
from typing import Any

from django.db import transaction

from assessment.models import (
    Answer,
    Choice,
    Department,
    Invitation,
    InvitationStatus,
    LevelKind,
    Question,
    QuestionKind,
    Response,
    Round,
    Section,
    TextAnswer,
)
from assessment.selectors.answering import round_pages
from assessment.services.answering import draft_page_save, response_rows, response_submit

from .comments import demo_comment
from .data import ITEM_BIAS, LEVEL_BIAS, POLARISED, STORIES, WORDS_BY_DEPARTMENT


def _clamp(value: float, low: float = 0.0, high: float = 1.0) -> float:
    return max(low, min(high, value))


def _is_none_of_these(choice: Choice) -> bool:
    return choice.label.lower().startswith(("none", "nobody", "no one"))


def _simulated_choices(choices: list[Choice], mood: float, rng: random.Random) -> list[int]:
    """Several choices: each option by itself, the happier the likelier; an option such as
    "None of these" only alone, by someone who ticked nothing else. Every option can come."""
    options = [c for c in choices if not _is_none_of_these(c)]
    picked = [c.value for c in options if rng.random() < _clamp(mood + rng.gauss(0, 0.2))]
    if picked:
        return picked
    alone = [c.value for c in choices if _is_none_of_these(c)]
    return alone[:1] if alone and rng.random() < 0.7 else [rng.choice(options).value]


def _simulated_answer(question: Question, mood: float, level_kind: str, rng: random.Random) -> Any:
    """One plausible answer for someone whose feeling about the question is `mood` (0–1)."""
    choices = list(question.choices.all())
    if question.kind in (QuestionKind.RATING_5, QuestionKind.BIPOLAR_7):
        points = len(choices)
        position = _clamp(mood + rng.gauss(0, 0.18))
        value = 1 + round(position * (points - 1))
        return points + 1 - value if question.reverse_scored else value
    if question.kind == QuestionKind.MULTI_CHOICE:
        return _simulated_choices(choices, mood, rng)
    if question.kind == QuestionKind.CHOICE:
        unsure = 0.05 + (0.2 if level_kind == LevelKind.FRONT_LINE else 0.0)
        if rng.random() < unsure and any(c.score is None for c in choices):
            return next(c.value for c in choices if c.score is None)
        scored = [(c.score, c.value) for c in choices if c.score is not None]
        target = 100 * _clamp(mood + rng.gauss(0, 0.2))
        return min(scored, key=lambda choice: abs(choice[0] - target))[1]
    return None


def simulated_page(
    section: Section, mood: float, level_kind: str, words: list[str], rng: random.Random
) -> dict[str, Any]:
    """What someone of this level and mood (0–1) answers on one page, as the page would
    post it: highs and lows by item, executives kinder to conversations than the front
    line, a polarised item, a few comments and customer stories. Also used by bench/."""
    data: dict[str, Any] = {}
    for question in section.questions.all():
        if question.kind == QuestionKind.TEXT:
            if question.code.endswith("-words") and rng.random() < 0.7:
                data[question.code] = ", ".join(rng.sample(words, k=min(2, len(words))))
            elif question.code == "trust-03" and rng.random() < 0.25:
                data[question.code] = rng.choice(STORIES)
            continue
        item_mood = mood + ITEM_BIAS.get(question.code, 0.0)
        if section.instrument.key == "conversation":
            item_mood += LEVEL_BIAS[level_kind]
        if question.code in POLARISED and rng.random() < 0.27:
            # A sizeable unhappy minority under a fine-looking score: smoke.
            item_mood = 0.0
        elif question.code in POLARISED:
            item_mood = 0.95
        data[question.code] = _simulated_answer(question, _clamp(item_mood), level_kind, rng)
        if question.allows_comment and rng.random() < 0.12:
            data[f"{question.code}-comment"] = demo_comment(rng)
    return data


def _respondent(
    invitation: Invitation,
    departments: dict[int, Department],
    cultures: dict[int, float],
    rng: random.Random,
) -> tuple[float, list[str]]:
    top = departments[invitation.department_id].path.split("/")[0]
    mood = cultures[invitation.department_id] + rng.gauss(0, 0.08)
    return mood, WORDS_BY_DEPARTMENT.get(top, ["customers"])


def simulate_through_the_pages(
    round_: Round, cultures: dict[int, float], rng: random.Random
) -> None:
    """The open round, answered the way people do: page by page, some not finished."""
    pages = round_pages(round_)
    invitations = list(
        Invitation.objects.filter(round=round_).select_related("round__organisation", "level")
    )
    rng.shuffle(invitations)
    departments = {d.pk: d for d in Department.objects.filter(organisation=round_.organisation)}
    answered = int(len(invitations) * 0.78)
    started = int(len(invitations) * 0.05)
    for index, invitation in enumerate(invitations[: answered + started]):
        mood, words = _respondent(invitation, departments, cultures, rng)
        finishing = index < answered
        for section in pages if finishing else pages[: rng.randint(1, 3)]:
            data = simulated_page(section, mood, invitation.level.kind, words, rng)
            draft_page_save(invitation=invitation, section=section, data=data, complete=True)
        if finishing:
            response_submit(invitation=invitation, pages=pages)


@transaction.atomic
def simulate_in_bulk(
    round_: Round,
    cultures: dict[int, float],
    rng: random.Random,
    *,
    answering: float,
    better_by: float,
) -> None:
    """A past round, written in bulk: the same rows as submitting, without the pages."""
    pages = round_pages(round_)
    invitations = list(Invitation.objects.filter(round=round_).select_related("level"))
    rng.shuffle(invitations)
    departments = {d.pk: d for d in Department.objects.filter(organisation=round_.organisation)}
    responses, answers, texts = [], [], []
    finished = invitations[: int(len(invitations) * answering)]
    for invitation in finished:
        mood, words = _respondent(invitation, departments, cultures, rng)
        mood += better_by
        data = {
            section.pk: simulated_page(section, mood, invitation.level.kind, words, rng)
            for section in pages
        }
        response, its_answers, its_texts = response_rows(
            invitation=invitation, pages=pages, data_by_section=data
        )
        responses.append(response)
        answers += its_answers
        texts += its_texts
        invitation.status = InvitationStatus.SUBMITTED
    Response.objects.bulk_create(responses)
    Answer.objects.bulk_create(answers, batch_size=5000)
    TextAnswer.objects.bulk_create(texts, batch_size=5000)
    Invitation.objects.bulk_update(finished, ["status"], batch_size=1000)
