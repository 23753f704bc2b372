"""Rosters already in the database, and what a test reads back from it after an import."""

from assessment.models import Department, Person
from tests.conftest import level
from tests.support.factories import DepartmentFactory, PersonFactory

# The organisation fixture's levels, as a problem with a level names them.
LEVELS = "Executive, Manager, Front line"


def people(organisation) -> set[tuple[str, str, str, str, bool]]:
    return set(
        Person.objects.filter(organisation=organisation).values_list(
            "name", "email", "department__path", "level__name", "is_active"
        )
    )


def departments(organisation) -> list[tuple[str, str | None, str]]:
    return list(
        Department.objects.filter(organisation=organisation)
        .order_by("path")
        .values_list("path", "parent__path", "name")
    )


def roster(organisation, departments_and_people: dict[str, list[tuple]]) -> dict[str, Person]:
    """People already on the roster: {department: [(name, email, level kind, active)]}."""
    made = {}
    for path, rows in departments_and_people.items():
        department = DepartmentFactory(organisation=organisation, name=path)
        for name, email, kind, active in rows:
            made[email] = PersonFactory(
                organisation=organisation,
                name=name,
                email=email,
                department=department,
                level=level(organisation, kind),
                is_active=active,
            )
    return made
