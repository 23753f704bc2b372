"""Setting up an organisation: staff accounts and departments."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from assessment.models import Department, Membership, Organisation, Role

DEPARTMENT_EXISTS = "A department with this name already exists at that place in the tree."


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
    link = settings.SITE_URL.rstrip("/") + reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    context = {"organisation": organisation, "membership": membership, "link": link}
    message = EmailMessage(
        subject=f"{organisation.name}: your Centricity account",
        body=render_to_string("registration/welcome_email.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email],
    )
    transaction.on_commit(message.send)
    return membership


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
