"""What launch_round and close_round share: a round found by id, one step of its life taken
by a service, and the reasons a round cannot take it turned into a command error."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from assessment.models import Round


class RoundStepCommand(BaseCommand):
    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("round_id", metavar="round", type=int, help="The round's id.")

    def handle(self, *args: object, round_id: int, **options: object) -> None:
        found = Round.objects.filter(pk=round_id).first()
        if found is None:
            raise CommandError(f"No round {round_id}.")
        try:
            done = self.step(found)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(self.style.SUCCESS(self.done(done)))

    def step(self, round_: Round) -> Round:
        """Take the step (a service call); raises ValidationError when the round cannot."""
        raise NotImplementedError

    def done(self, round_: Round) -> str:
        """What the command prints once the step is taken."""
        raise NotImplementedError
