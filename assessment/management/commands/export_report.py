import os
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from assessment.models import Round
from assessment.reporting.exports import EXPORTERS, report_export
from assessment.selectors.reports import report_snapshot

NO_SUCH_ROUND = "There is no round #{id}."
NO_REPORT = "Round #{id} has no report yet: build it with `manage.py build_report {id}`."


class Command(BaseCommand):
    help = (
        "Write the published culture report of a round to a file: JSON (docs/report-json.md), "
        "a spreadsheet (XLSX) or the printable report (PDF)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("round_id", metavar="round", type=int, help="The round's id.")
        parser.add_argument(
            "--format", dest="export_format", choices=sorted(EXPORTERS), default="json"
        )
        parser.add_argument("--output", type=Path, required=True, help="The file to write.")

    def handle(
        self, *args: Any, round_id: int, export_format: str, output: Path, **options: Any
    ) -> None:
        round_ = Round.objects.select_related("organisation").filter(pk=round_id).first()
        if round_ is None:
            raise CommandError(NO_SUCH_ROUND.format(id=round_id))
        snapshot = report_snapshot(round_)
        if snapshot is None:
            raise CommandError(NO_REPORT.format(id=round_id))
        # Written beside the target and renamed over it: a reader of the file never sees
        # half a report. Like any temporary file it is readable by its owner only.
        directory = output.resolve().parent
        with tempfile.NamedTemporaryFile(dir=directory, delete=False, suffix=".part") as temp:
            try:
                exporter = EXPORTERS[export_format]
                export = report_export(round_, snapshot, texts=exporter.texts)
                exporter.write(export, temp)
            except BaseException:
                os.unlink(temp.name)
                raise
        os.replace(temp.name, output)
        kind = "provisional" if snapshot.provisional else "final"
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote the {kind} report of “{round_}” to {output} ({export_format})."
            )
        )
