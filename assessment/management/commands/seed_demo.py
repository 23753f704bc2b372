from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.urls import reverse

from assessment.models import Organisation, ReportBuildStatus, RoundStatus
from assessment.services.demo import (
    DEMO_SLUG,
    demo_links,
    demo_logins,
    demo_organisation_create,
)
from assessment.services.reports import report_build_start


class Command(BaseCommand):
    help = "Build the demo organisation (about 300 people, an open round, simulated answers)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset", action="store_true", help="Delete the demo organisation and rebuild it."
        )

    def handle(self, *args: object, reset: bool = False, **options: object) -> None:
        existing = Organisation.objects.filter(slug=DEMO_SLUG).first()
        if existing and not reset:
            self.stdout.write("The demo organisation already exists (--reset rebuilds it).")
            # The open round's links: the closed round's would only say it has closed.
            open_round = (
                existing.rounds.filter(status=RoundStatus.LAUNCHED).order_by("-opens_at").first()
            )
            self.print_access(demo_logins(), demo_links(open_round))
            return
        if existing:
            with transaction.atomic():
                get_user_model().objects.filter(membership__organisation=existing).delete()
                existing.delete()
        result = demo_organisation_create()
        people = result.organisation.people.count()
        invited = result.round.invitations.count()
        answered = result.round.responses.count()
        self.stdout.write(
            self.style.SUCCESS(
                f"Built {result.organisation.name}: {people} people, "
                f"{result.organisation.departments.count()} departments; round "
                f"“{result.round.name}” with {answered} of {invited} responses."
            )
        )
        # Without a broker the build runs here and now; with one, the workers take it.
        build = report_build_start(round_=result.round)
        build.refresh_from_db()
        if build.status == ReportBuildStatus.DONE:
            kind = "provisional" if build.provisional else "final"
            self.stdout.write(f"Built its {kind} culture report (round #{result.round.pk}).")
        else:
            self.stdout.write(
                f"Queued its culture report (round #{result.round.pk}): "
                f"`manage.py build_report {result.round.pk}` shows the progress."
            )
        self.print_access(result.logins, result.links)

    def print_access(
        self, logins: list[tuple[str, str, str]], links: list[tuple[str, str]]
    ) -> None:
        login = settings.SITE_URL.rstrip("/") + reverse("login")
        self.stdout.write(f"\nSign in at {login} as:")
        for role, username, password in logins:
            self.stdout.write(f"  {role:<20} {username:<12} password: {password}")
        self.stdout.write("\nAnswer as an employee who has not answered yet:")
        for name, link in links:
            self.stdout.write(f"  {name:<20} {link}")
