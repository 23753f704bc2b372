"""Setting up an organisation: the organisation itself with its first admin, staff accounts,
levels and departments."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.text import slugify

from assessment.anonymity.thresholds import threshold_errors
from assessment.models import Department, Level, LevelKind, Membership, Organisation, Role

DEPARTMENT_EXISTS = "A department with this name already exists at that place in the tree."
SLUG_TAKEN = "An organisation with the slug “{slug}” already exists; choose another with --slug."
NO_SLUG = "No slug can be made from “{name}”; give one with --slug."
ACCOUNT_EXISTS = "An account with the e-mail address {email} already exists."
INVALID_EMAIL = "“{email}” is not a valid e-mail address."
# The levels every organisation starts with, renamable on the organisation's page; the
# report compares the executive kind with the front-line kind, whatever they are called.
FIRST_LEVELS = (
    ("Executive", LevelKind.EXECUTIVE),
    ("Manager", LevelKind.MANAGER),
    ("Front line", LevelKind.FRONT_LINE),
)


@dataclass(frozen=True)
class OrganisationCreated:
    organisation: Organisation
    admin: Membership
    set_password_link: str  # also e-mailed to the admin once the transaction commits


@transaction.atomic
def organisation_create(
    *,
    name: str,
    admin_email: str,
    slug: str = "",
    time_zone: str = "Europe/London",
    threshold: int | None = None,
    comment_threshold: int | None = None,
    admin_name: str = "",
) -> OrganisationCreated:
    """An organisation with its three levels and its first organisation admin, who is
    e-mailed a link to choose a password. Raises ValidationError, with nothing created,
    when a value is wrong or already taken."""
    slug = slug or slugify(name)
    if not slug:
        raise ValidationError(NO_SLUG.format(name=name))
    if Organisation.objects.filter(slug=slug).exists():
        raise ValidationError(SLUG_TAKEN.format(slug=slug))
    email = _new_account_email(admin_email)
    organisation = Organisation(name=name, slug=slug, time_zone=time_zone)
    if threshold is not None:
        organisation.threshold = threshold
    if comment_threshold is not None:
        organisation.comment_threshold = comment_threshold
    problems = threshold_errors(organisation.threshold, organisation.comment_threshold)
    if problems:
        raise ValidationError(problems)
    organisation.full_clean()
    organisation.save()
    Level.objects.bulk_create(
        Level(organisation=organisation, name=level_name, kind=kind, position=position)
        for position, (level_name, kind) in enumerate(FIRST_LEVELS)
    )
    admin, link = _staff_account_create(
        organisation=organisation, name=admin_name, email=email, role=Role.ADMIN, department=None
    )
    return OrganisationCreated(organisation=organisation, admin=admin, set_password_link=link)


def _new_account_email(email: str) -> str:
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(INVALID_EMAIL.format(email=email)) from None
    if get_user_model().objects.filter(username=email).exists():
        raise ValidationError(ACCOUNT_EXISTS.format(email=email))
    return email


def set_password_link(user: User) -> str:
    """A link to choose a password, checked by Django's reset-confirm page: it works once
    (the token is made from the password it replaces) and expires after
    PASSWORD_RESET_TIMEOUT."""
    site: str = settings.SITE_URL
    return site.rstrip("/") + reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )


@transaction.atomic
def staff_account_create(
    *,
    organisation: Organisation,
    name: str,
    email: str,
    role: str,
    department: Department | None,
) -> Membership:
    """Create a staff account without a password and e-mail a link to choose one."""
    membership, _ = _staff_account_create(
        organisation=organisation, name=name, email=email, role=role, department=department
    )
    return membership


def _staff_account_create(
    *,
    organisation: Organisation,
    name: str,
    email: str,
    role: str,
    department: Department | None,
) -> tuple[Membership, str]:
    """The account and the set-password link e-mailed to it (once the transaction commits)."""
    User = get_user_model()
    first, _, last = name.partition(" ")
    user = User.objects.create_user(
        username=email, email=email, first_name=first[:150], last_name=last[:150]
    )
    user.set_unusable_password()
    user.save(update_fields=["password"])
    membership = Membership.objects.create(
        user=user,
        organisation=organisation,
        role=role,
        department=department if role == Role.DEPARTMENT_LEAD else None,
    )
    # Django's reset form ignores accounts without a usable password, so the welcome link
    # is made here with the same token generator the reset-confirm page checks.
    link = set_password_link(user)
    context = {"organisation": organisation, "membership": membership, "link": link}
    message = EmailMessage(
        subject=f"{organisation.name}: your Centricity account",
        body=render_to_string("registration/welcome_email.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email],
    )
    transaction.on_commit(message.send)
    return membership, link


@transaction.atomic
def department_save(*, department: Department) -> Department:
    """Create, rename or move a department; the paths below it follow."""
    clash = Department.objects.filter(
        organisation=department.organisation_id,
        parent=department.parent_id,
        name__iexact=department.name,
    ).exclude(pk=department.pk)
    if clash.exists():
        raise ValidationError(DEPARTMENT_EXISTS)
    department.full_clean(exclude=["path"])
    department.save()
    return department
