"""Workshop participants joined through the service, for service-level tests."""

from assessment.models import LevelKind
from assessment.services.workshops import participant_join
from tests.conftest import level


def join(workshop, kind: str = LevelKind.MANAGER):
    """A participant of `kind` in the organisation's first department, joined through the
    service."""
    department = workshop.organisation.departments.order_by("path").first()
    participant = participant_join(
        workshop=workshop, level=level(workshop.organisation, kind), department=department
    )
    participant.workshop = workshop
    return participant
