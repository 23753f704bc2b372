"""Personal links. The token exists in the e-mail only; we keep its SHA-256."""

import secrets

from django.conf import settings
from django.urls import reverse

from assessment.models import Invitation
from assessment.models.rounds import hash_token

TOKEN_BYTES = 24  # 192 bits from the OS's CSPRNG: not guessable, not enumerable.


def invitation_link_issue(*, invitation: Invitation) -> str:
    """Give an invitation a new token and return its full link. Any earlier link of the
    same invitation stops working."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    invitation.token_hash = hash_token(token)
    invitation.save(update_fields=["token_hash"])
    return invitation_url(token)


def invitation_url(token: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("invitation-link", kwargs={"token": token})
