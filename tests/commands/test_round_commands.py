"""create_round, launch_round and close_round print what they did."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from assessment.models import Round, RoundStatus
from tests.support.factories import PersonFactory

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_a_round_is_created_launched_and_closed_from_the_command_line(organisation, instruments):
    PersonFactory.create_batch(4, organisation=organisation)

    created = run(
        "create_round",
        "--org",
        "acme",
        "--name",
        "CLI round",
        "--instruments",
        "checklist,trust",
        "--opens",
        "2026-03-01T09:00",
        "--days",
        "10",
    )
    round_ = Round.objects.get(name="CLI round")
    assert f"Created round {round_.pk} “CLI round” (draft)" in created
    assert "opens 2026-03-01 09:00, closes 2026-03-11 09:00" in created
    assert [i.key for i in round_.instruments.order_by("roundinstrument__position")] == [
        "checklist",
        "trust",
    ]

    launched = run("launch_round", str(round_.pk))
    assert "4 invitations queued" in launched

    closed = run("close_round", str(round_.pk))
    assert "0 of 4 invited submitted" in closed
    round_.refresh_from_db()
    assert round_.status == RoundStatus.CLOSED


def test_the_commands_refuse_clearly_and_change_nothing(organisation, instruments):
    with pytest.raises(CommandError, match="No organisation with the slug “nope”"):
        run("create_round", "--org", "nope", "--name", "X")
    with pytest.raises(CommandError, match="cannot be below 3"):
        run("create_round", "--org", "acme", "--name", "X", "--threshold", "2")
    with pytest.raises(CommandError, match="No round 999"):
        run("launch_round", "999")
    assert Round.objects.count() == 0
