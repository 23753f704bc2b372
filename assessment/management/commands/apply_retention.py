from django.conf import settings
from django.core.management.base import BaseCommand

from assessment.services.retention import rounds_retention_apply


class Command(BaseCommand):
    help = "Remove links, drafts and invitees' names of rounds closed RETENTION_DAYS ago."

    def handle(self, *args: object, **options: object) -> None:
        rounds = rounds_retention_apply()
        for round_ in rounds:
            self.stdout.write(f"Round {round_.pk} “{round_.name}”: personal data removed.")
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(rounds)} round(s) past the {settings.RETENTION_DAYS}-day retention period."
            )
        )
