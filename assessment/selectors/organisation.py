"""Reads about organisations as a whole."""

from assessment.models import Organisation


def organisation_exists() -> bool:
    """Whether this installation has an organisation yet (a fresh one has none)."""
    return Organisation.objects.exists()
