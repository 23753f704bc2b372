"""Migration 0014 on workshops that were running before it: every answer kept, a head count
no lower than those who joined, walls that keep their text, and a closed workshop showing
a final step only where the step rule allows one."""

from importlib import import_module

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from assessment.models import Question, WorkshopAnswer, WorkshopQuestion
from assessment.models import Workshop as WorkshopNow
from assessment.selectors.workshops import question_results, workshop_questions
from tests.conftest import level

pytestmark = pytest.mark.django_db(transaction=True)

MIGRATION = "0014_workshop_head_count"


def workshop_before(
    old, organisation, name: str, code: str, status: str, *, joined: int, shown: int, wall: list
) -> int:
    """`joined` people answered 1, each with comment c<n>; the screen had published a
    step counting `shown` of them, and a wall of the comments numbered in `wall`."""
    Workshop = old.get_model("assessment", "Workshop")
    Participant = old.get_model("assessment", "WorkshopParticipant")
    Asked = old.get_model("assessment", "WorkshopQuestion")
    Answer = old.get_model("assessment", "WorkshopAnswer")
    front = level(organisation, "front_line")
    honesty = Question.objects.get(code="conversation-02", instrument__organisation=None)
    room = Workshop.objects.create(
        organisation_id=organisation.pk,
        name=name,
        instrument_id=honesty.instrument_id,
        join_code=code,
        status=status,
        threshold=3,
        comment_threshold=3,
    )
    asked = Asked.objects.create(workshop=room, question_id=honesty.pk, position=1)
    answers = []
    for n in range(joined):
        person = Participant.objects.create(workshop=room, level_id=front.pk)
        answers.append(
            Answer.objects.create(
                workshop=room,
                participant=person,
                question_id=honesty.pk,
                level_id=front.pk,
                value=1,
                text=f"c{n}",
            )
        )
    asked.shown_count = shown
    asked.shown_values = {"1": shown} if shown else {}
    asked.shown_text_count = len(wall)
    asked.shown_wall = [str(answers[n].pk) for n in wall]
    asked.save()
    return room.pk


def test_workshops_from_before_keep_every_answer_and_show_only_what_the_rule_allows(
    organisation, instruments
):
    before = import_module(f"assessment.migrations.{MIGRATION}").Migration.dependencies
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    live = workshop_before(
        old, organisation, "Live", "LIVE22", "live", joined=4, shown=3, wall=[2, 0, 1]
    )
    stepped = workshop_before(
        old, organisation, "Closed after a step", "CLOS22", "closed", joined=5, shown=3, wall=[]
    )
    unstepped = workshop_before(
        old, organisation, "Closed before steps", "OLDE22", "closed", joined=4, shown=0, wall=[]
    )
    empty = workshop_before(
        old, organisation, "Nobody came", "NONE22", "closed", joined=0, shown=0, wall=[]
    )

    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert WorkshopAnswer.objects.count() == 13
    heads = dict(WorkshopNow.objects.values_list("pk", "head_count"))
    assert heads == {live: 4, stepped: 5, unstepped: 4, empty: 1}

    def result(pk: int):
        room = WorkshopNow.objects.get(pk=pk)
        return question_results(room, workshop_questions(room))[0]

    # The wall keeps its comments with their text, sorted by it.
    assert [item.text for item in result(live).wall] == ["c0", "c1", "c2"]
    assert WorkshopQuestion.objects.get(workshop=live).shown_wall[0]["text"] == "c0"
    # Two answers since the step are too few to show: the step stays.
    assert (result(stepped).shown, result(stepped).held_back) == (3, 2)
    # Closed with no step published, four answers make one: every answer shows.
    assert {c.value: c.count for c in result(unstepped).choices}[1] == 4
    assert [item.text for item in result(unstepped).wall] == ["c0", "c1", "c2", "c3"]
