"""Rounds that ask an organisation's own instruments, answered, for the instrument tests."""

from assessment.models import Instrument, Invitation, Question
from assessment.selectors.answering import round_pages
from assessment.services.answering import response_submit
from assessment.services.rounds import round_launch
from tests.support.answers import save_all_pages
from tests.support.factories import round_for_people


def builtin(key: str) -> Instrument:
    return Instrument.objects.get(organisation=None, key=key)


def labels_of(instrument: Instrument, code: str) -> list[str]:
    question = Question.objects.get(instrument=instrument, code=code)
    return list(question.choices.order_by("position").values_list("label", flat=True))


def answered_round(organisation, instruments, name: str, before_launch=None):
    """A launched round of five people in a new department, all of whom answered (the
    first choice everywhere). `before_launch(round_)` may change the draft first."""
    round_ = round_for_people(
        organisation, instruments, {name: 5}, name=name, threshold=3, comment_threshold=3
    )
    if before_launch is not None:
        before_launch(round_)
    round_launch(round_=round_, send=False)
    pages = round_pages(round_)
    for invitation in Invitation.objects.filter(round=round_):
        save_all_pages(invitation, pages)
        response_submit(invitation=invitation, pages=pages)
    return round_
