from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from assessment.models import Round
from assessment.services.rounds import round_close


class Command(BaseCommand):
    help = "Close a launched round now: no more answers are accepted."

    def add_arguments(self, parser) -> None:
        parser.add_argument("round", type=int, help="The round's id.")

    def handle(self, *args, round: int, **options) -> None:
        found = Round.objects.filter(pk=round).first()
        if found is None:
            raise CommandError(f"No round {round}.")
        try:
            closed = round_close(round=found)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        submitted = closed.invitations.filter(status="submitted").count()
        self.stdout.write(
            self.style.SUCCESS(
                f"Closed round {closed.pk} “{closed.name}”: {submitted} of "
                f"{closed.invitations.count()} invited submitted."
            )
        )
