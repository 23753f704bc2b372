import datetime

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils import timezone

from assessment.models import Department, Instrument, Level, Organisation
from assessment.services.rounds import round_create


class Command(BaseCommand):
    help = "Create a draft round (launch it with launch_round)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--org", required=True, help="The organisation's slug.")
        parser.add_argument("--name", required=True)
        parser.add_argument("--purpose", default="", help="Shown on invitations.")
        parser.add_argument(
            "--instruments",
            default="checklist,conversation,obsessed,obstacles,trust",
            help="Comma-separated instrument keys, in order (default: all five built-in).",
        )
        parser.add_argument("--days", type=int, default=14, help="Open for this many days.")
        parser.add_argument(
            "--opens", help="Opening time, YYYY-MM-DDTHH:MM in the organisation's time zone."
        )
        parser.add_argument("--threshold", type=int)
        parser.add_argument("--comment-threshold", type=int)
        parser.add_argument("--departments", default="", help="Comma-separated paths.")
        parser.add_argument("--levels", default="", help="Comma-separated level names.")
        parser.add_argument("--remind-days-before", type=int)

    def handle(self, *args, **options) -> None:
        organisation = Organisation.objects.filter(slug=options["org"]).first()
        if organisation is None:
            raise CommandError(f"No organisation with the slug “{options['org']}”.")
        keys = [k.strip() for k in options["instruments"].split(",") if k.strip()]
        instruments = []
        for key in keys:
            instrument = (
                Instrument.objects.filter(Q(organisation=None) | Q(organisation=organisation))
                .filter(key=key)
                .order_by("-version")
                .first()
            )
            if instrument is None:
                raise CommandError(f"No instrument “{key}”.")
            instruments.append(instrument)
        if options["opens"]:
            naive = datetime.datetime.fromisoformat(options["opens"])
            opens_at = timezone.make_aware(naive, organisation.zone)
        else:
            opens_at = timezone.now()
        departments = self._lookup(Department, organisation, "path", options["departments"])
        levels = self._lookup(Level, organisation, "name", options["levels"])
        try:
            round_ = round_create(
                organisation=organisation,
                name=options["name"],
                purpose=options["purpose"] or options["name"],
                instruments=instruments,
                opens_at=opens_at,
                closes_at=opens_at + datetime.timedelta(days=options["days"]),
                threshold=options["threshold"],
                comment_threshold=options["comment_threshold"],
                departments=departments,
                levels=levels,
                reminder_days_before=options["remind_days_before"],
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Created round {round_.pk} “{round_.name}” (draft): "
                f"{', '.join(i.name for i in instruments)}; opens "
                f"{timezone.localtime(round_.opens_at, organisation.zone):%Y-%m-%d %H:%M}, closes "
                f"{timezone.localtime(round_.closes_at, organisation.zone):%Y-%m-%d %H:%M}; "
                f"threshold {round_.threshold}. Launch it with: "
                f"python manage.py launch_round {round_.pk}"
            )
        )

    def _lookup(self, model, organisation, field: str, names: str) -> list:
        found = []
        for name in (n.strip() for n in names.split(",") if n.strip()):
            row = model.objects.filter(organisation=organisation, **{f"{field}__iexact": name})
            if not row.exists():
                raise CommandError(f"No {model._meta.verbose_name} “{name}”.")
            found.append(row.get())
        return found
