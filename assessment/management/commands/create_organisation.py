from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import reverse

from assessment.anonymity.thresholds import (
    DEFAULT_COMMENT_THRESHOLD,
    DEFAULT_THRESHOLD,
    MIN_THRESHOLD,
)
from assessment.models import Organisation
from assessment.services.organisation import FIRST_LEVELS, organisation_create

DEFAULT_TIME_ZONE = Organisation._meta.get_field("time_zone").get_default()
# A field's error is said with the option that sets it.
OPTIONS = {
    "name": "the name",
    "slug": "--slug",
    "time_zone": "--time-zone",
    "threshold": "--threshold",
    "comment_threshold": "--comment-threshold",
}
CREATED = "Created {name} (slug {slug}) with the levels {levels}."
ADMIN = (
    "Organisation admin: {email}. The link to choose a password (also e-mailed to them) "
    "works once, within {days} days:"
)
NEXT = "Then sign in at {login} and import the roster: Roster → Import a roster."


class Command(BaseCommand):
    help = (
        "Create an organisation, its three levels (Executive, Manager, Front line: renamable, "
        "on the organisation's page) and its first organisation admin, who is e-mailed a link "
        "to choose a password (the link is printed too). Nothing is created when a value is "
        "wrong."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="The organisation's name, as its people say it.")
        parser.add_argument(
            "--admin-email", required=True, help="The first organisation admin's e-mail address."
        )
        parser.add_argument("--admin-name", default="", help="The admin's name (default: none).")
        parser.add_argument(
            "--slug",
            default="",
            help="Short name for the command line (default: made from the name, "
            "“Harbour & Vine” → harbour-vine).",
        )
        parser.add_argument(
            "--time-zone",
            default=DEFAULT_TIME_ZONE,
            help="Dates and times are shown in this time zone (default: %(default)s).",
        )
        parser.add_argument(
            "--threshold",
            type=int,
            default=DEFAULT_THRESHOLD,
            help="No group with fewer people is shown in a report; at least "
            f"{MIN_THRESHOLD} (default: %(default)s).",
        )
        parser.add_argument(
            "--comment-threshold",
            type=int,
            default=DEFAULT_COMMENT_THRESHOLD,
            help="Comments are shown only for groups at least this large; not below "
            "--threshold (default: %(default)s).",
        )

    def handle(self, *args: object, **options: Any) -> None:
        try:
            created = organisation_create(
                name=options["name"],
                admin_email=options["admin_email"],
                admin_name=options["admin_name"],
                slug=options["slug"],
                time_zone=options["time_zone"],
                threshold=options["threshold"],
                comment_threshold=options["comment_threshold"],
            )
        except ValidationError as error:
            raise CommandError(f"{_said(error)} Nothing was created.") from None
        organisation = created.organisation
        self.stdout.write(
            self.style.SUCCESS(
                CREATED.format(
                    name=organisation.name,
                    slug=organisation.slug,
                    levels=", ".join(name for name, _ in FIRST_LEVELS),
                )
            )
        )
        self.stdout.write(ADMIN.format(email=created.admin.user.email, days=_link_days()))
        self.stdout.write(created.set_password_link)
        self.stdout.write(NEXT.format(login=_login_address()))


def _said(error: ValidationError) -> str:
    if not hasattr(error, "error_dict"):
        return " ".join(error.messages)
    return " ".join(
        f"{OPTIONS.get(field, field)}: {' '.join(ValidationError(errors).messages)}"
        for field, errors in error.error_dict.items()
    )


def _link_days() -> int:
    return round(settings.PASSWORD_RESET_TIMEOUT / 86400)


def _login_address() -> str:
    site: str = settings.SITE_URL
    return site.rstrip("/") + reverse("login")
