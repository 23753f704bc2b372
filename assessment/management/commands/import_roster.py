from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from assessment.models import LevelKind, Organisation
from assessment.services.roster_import import (
    LevelKindsMissing,
    MassDeactivationUnconfirmed,
    RosterChanged,
    RosterInvalid,
    RosterPreview,
    roster_import,
    roster_import_preview,
)

SUMMARY = (
    "{added} to add, {changed} to change ({reactivated} of them reactivated), "
    "{deactivated} to deactivate, {departments} department(s) to create, {unchanged} unchanged."
)
IMPORTED = (
    "Imported: {added} added, {changed} changed ({reactivated} reactivated), "
    "{deactivated} deactivated, {departments} department(s) created."
)
DRY_RUN = "Dry run: nothing was written."
NOTHING_IMPORTED = "{count} problem(s) in {filename}: nothing was imported."
CONFIRM_WITH_OPTION = "Run again with --confirm-deactivation to go ahead."
NEW_LEVEL_WITH_OPTION = "Or run again with --new-level NAME=KIND for each."
UNKNOWN_ORGANISATION = "There is no organisation with the slug “{slug}”."
UNREADABLE_FILE = "Cannot read {path}: {reason}"
NEW_LEVEL = "New level “{name}”, {kind}, on {count} line(s)."
NEW_LEVEL_KIND_MISSING = (
    "New level “{name}” on {count} line(s): give its kind with --new-level, or import the file "
    "on the site."
)
BAD_NEW_LEVEL = "--new-level takes NAME=KIND, the kind one of {kinds}; “{value}” is not."
KINDS = ", ".join(LevelKind.values)


class Command(BaseCommand):
    help = (
        "Import the staff roster from a CSV (UTF-8) or XLSX file with the columns name, email, "
        "department (a path such as Operations/Logistics) and level. People are matched by "
        "e-mail; active people missing from the file are deactivated; missing departments are "
        "created. Levels the file names that the organisation has not got yet can be created "
        "in the import's preview on the site (Roster → Import a roster), where an organisation "
        "admin chooses each one's kind, or here with --new-level. Nothing is imported when any "
        "line has a problem."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The roster: a .csv or .xlsx file.")
        parser.add_argument("--org", required=True, help="The organisation's slug.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would happen; write nothing."
        )
        parser.add_argument(
            "--confirm-deactivation",
            action="store_true",
            help="Go ahead even when more than 40%% of the active people would be deactivated.",
        )
        parser.add_argument(
            "--new-level",
            action="append",
            default=[],
            metavar="NAME=KIND",
            help="Create the level NAME, which the file names and the organisation has not "
            f"got, as KIND: one of {KINDS} (what each means: the organisation's page). "
            "Repeat for each new level.",
        )

    def handle(
        self,
        *args,
        file: str,
        org: str,
        dry_run: bool = False,
        confirm_deactivation: bool = False,
        new_level: list[str] | None = None,
        **options,
    ) -> None:
        level_kinds = _level_kinds(new_level or [])
        organisation = Organisation.objects.filter(slug=org).first()
        if organisation is None:
            raise CommandError(UNKNOWN_ORGANISATION.format(slug=org))
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(UNREADABLE_FILE.format(path=path, reason=error.strerror)) from None

        preview = roster_import_preview(organisation=organisation, file=data, filename=path.name)
        if not preview.is_valid:
            self._fail(preview)
        self.stdout.write(f"{path.name} for {organisation.name}:")
        self._summary(preview, verbose=options["verbosity"] > 1)
        self._new_levels(preview, level_kinds)
        if preview.needs_confirmation:
            self.stdout.write(self.style.WARNING(preview.mass_deactivation_message))
        if dry_run:
            self.stdout.write(DRY_RUN)
            return

        try:
            result = roster_import(
                organisation=organisation,
                preview=preview,
                confirm_mass_deactivation=confirm_deactivation,
                level_kinds=level_kinds,
            )
        except MassDeactivationUnconfirmed as error:
            raise CommandError(f"{error} {CONFIRM_WITH_OPTION}") from None
        except LevelKindsMissing as error:
            raise CommandError(f"{error} {NEW_LEVEL_WITH_OPTION}") from None
        except RosterInvalid as error:  # the roster changed since the preview
            self._fail(error.preview)
        except RosterChanged as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(
                IMPORTED.format(
                    added=result.added,
                    changed=result.changed,
                    reactivated=result.reactivated,
                    deactivated=result.deactivated,
                    departments=result.departments_created,
                )
            )
        )

    def _summary(self, preview: RosterPreview, verbose: bool) -> None:
        self.stdout.write(
            SUMMARY.format(
                added=preview.added,
                changed=preview.changed,
                reactivated=preview.reactivated,
                deactivated=preview.deactivated,
                departments=preview.departments_created,
                unchanged=preview.unchanged,
            )
        )
        if preview.ignored_columns:
            self.stdout.write(f"Columns ignored: {', '.join(preview.ignored_columns)}.")
        if not verbose:
            return
        for department in preview.departments_to_create:
            self.stdout.write(f"  new department  {department.path}")
        for person in preview.to_add:
            self.stdout.write(
                f"  add         line {person.line}: {person.name} <{person.email}>, "
                f"{person.department}, {person.level}"
            )
        for person in preview.to_change:
            changes = "; ".join(
                f"{change.field}: {change.old} → {change.new}" for change in person.changes
            )
            self.stdout.write(f"  change      line {person.line}: {person.email}: {changes}")
        for person in preview.to_deactivate:
            self.stdout.write(f"  deactivate  {person.name} <{person.email}>, {person.department}")

    def _new_levels(self, preview: RosterPreview, level_kinds: dict[str, str]) -> None:
        for level in preview.levels_to_create:
            kind = level_kinds.get(level.name)
            if kind is None:
                self.stdout.write(NEW_LEVEL_KIND_MISSING.format(name=level.name, count=level.count))
            else:
                label = LevelKind(kind).label
                self.stdout.write(NEW_LEVEL.format(name=level.name, kind=label, count=level.count))

    def _fail(self, preview: RosterPreview) -> None:
        for problem in preview.errors:
            self.stderr.write(str(problem))
        raise CommandError(
            NOTHING_IMPORTED.format(count=len(preview.errors), filename=preview.filename)
        )


def _level_kinds(values: list[str]) -> dict[str, str]:
    """--new-level NAME=KIND options as {name: kind}."""
    kinds: dict[str, str] = {}
    for value in values:
        name, _, kind = value.rpartition("=")
        if not name.strip() or kind.strip() not in LevelKind.values:
            raise CommandError(BAD_NEW_LEVEL.format(kinds=KINDS, value=value))
        kinds[name.strip()] = kind.strip()
    return kinds
