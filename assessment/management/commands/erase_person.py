from django.core.management.base import BaseCommand, CommandError, CommandParser

from assessment.models import Person
from assessment.services.retention import person_erase


class Command(BaseCommand):
    help = "Erase a person from the roster and every invitation; reports stay unchanged."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")
        parser.add_argument("--org", required=True, help="The organisation's slug.")

    def handle(self, *args: object, email: str, org: str, **options: object) -> None:
        person = Person.objects.filter(organisation__slug=org, email__iexact=email).first()
        if person is None:
            raise CommandError(f"Nobody with the e-mail {email} in “{org}”.")
        invitations = person.invitations.count()
        person_erase(person=person)
        self.stdout.write(
            self.style.SUCCESS(
                f"Erased {email}: removed from the roster and from {invitations} invitation(s)."
            )
        )
