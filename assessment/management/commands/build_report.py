import time
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from assessment.models import ReportBuildStatus, ReportSnapshot, Round
from assessment.services.reports import report_build_start

NO_SUCH_ROUND = "There is no round #{id}."


class Command(BaseCommand):
    help = (
        "Build the culture report of a round through the Celery workers (in-process when "
        "no broker is configured), printing its progress until it is published."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("round_id", metavar="round", type=int, help="The round's id.")
        parser.add_argument(
            "--timeout", type=float, default=1800, help="Give up waiting after this many seconds."
        )
        parser.add_argument(
            "--interval", type=float, default=0.5, help="Seconds between looks at the build."
        )

    def handle(
        self, *args: Any, round_id: int, timeout: float, interval: float, **options: Any
    ) -> None:
        round_ = Round.objects.filter(pk=round_id).first()
        if round_ is None:
            raise CommandError(NO_SUCH_ROUND.format(id=round_id))
        try:
            build = report_build_start(round_=round_)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(f"Building the report of “{round_}” (build #{build.pk}).")
        deadline = time.monotonic() + timeout
        shown = None
        while True:
            build.refresh_from_db()
            progress = f"{build.parts_done}/{build.parts_total} departments counted"
            if progress != shown:
                self.stdout.write(f"  {progress} ({build.progress}%)")
                shown = progress
            if build.status == ReportBuildStatus.DONE:
                kind = "provisional" if build.provisional else "final"
                if ReportSnapshot.objects.filter(build=build).exists():
                    done = f"Published the {kind} report from {build.response_count} responses."
                else:
                    done = (
                        f"Counted {build.response_count} responses; no group has "
                        f"{round_.threshold} new people yet, so the report stays as it was."
                    )
                self.stdout.write(self.style.SUCCESS(done))
                return
            if build.status == ReportBuildStatus.FAILED:
                raise CommandError(f"The build failed. {build.error}")
            if time.monotonic() > deadline:
                raise CommandError(
                    f"Still building after {timeout:g} seconds; build #{build.pk} carries on "
                    "in the workers."
                )
            time.sleep(interval)
