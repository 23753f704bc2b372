from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from assessment.models import Round
from assessment.services.rounds import round_launch


class Command(BaseCommand):
    help = "Launch a draft round: invite its audience and queue the invitation e-mails."

    def add_arguments(self, parser) -> None:
        parser.add_argument("round", type=int, help="The round's id.")

    def handle(self, *args, round: int, **options) -> None:
        found = Round.objects.filter(pk=round).first()
        if found is None:
            raise CommandError(f"No round {round}.")
        try:
            launched = round_launch(round=found)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Launched round {launched.pk} “{launched.name}”: "
                f"{launched.invitations.count()} invitations queued for e-mailing."
            )
        )
