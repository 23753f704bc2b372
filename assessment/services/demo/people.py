"""The demo organisation's levels, department tree, people and staff accounts."""

import random

from django.contrib.auth import get_user_model

from assessment.models import Department, Level, LevelKind, Membership, Organisation, Person, Role

from .data import DEMO_PASSWORD, DEPARTMENTS, FIRST_NAMES, LAST_NAMES, LEVELS, STAFF


def people_create(
    organisation: Organisation, rng: random.Random, people_scale: float
) -> tuple[dict[str, Department], dict[int, float]]:
    """The levels, departments and people; returns the top-level departments by name and
    each department's culture (0–1) by id."""
    levels = {
        kind: Level.objects.create(organisation=organisation, name=name, kind=kind, position=i)
        for i, (name, kind) in enumerate(LEVELS)
    }
    tops: dict[str, Department] = {}
    people: list[Person] = []
    cultures: dict[int, float] = {}
    # The first person of every top-level department is its executive, so that the
    # stands-versus-arena gap shows within departments too.
    has_executive: set[str] = set()
    for parent_name, child_name, size, culture in DEPARTMENTS:
        department = _department(organisation, tops, parent_name, child_name)
        cultures[department.pk] = culture
        size = max(3, round(size * people_scale))
        for i in range(size):
            if parent_name == "Executive Office" or parent_name not in has_executive:
                kind = LevelKind.EXECUTIVE
                has_executive.add(parent_name)
            elif i < max(2, size // 6):
                kind = LevelKind.MANAGER
            else:
                kind = LevelKind.FRONT_LINE
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            people.append(
                Person(
                    organisation=organisation,
                    name=f"{first} {last}",
                    email=f"{first}.{last}.{len(people) + 1}@demo.example".lower(),
                    department=department,
                    level=levels[kind],
                )
            )
    Person.objects.bulk_create(people)
    return tops, cultures


def _department(
    organisation: Organisation,
    tops: dict[str, Department],
    parent_name: str,
    child_name: str | None,
) -> Department:
    """The department people are added to: the child, or the top-level department when
    there is none. Creates the top-level department the first time it is named."""
    if parent_name not in tops:
        tops[parent_name] = Department.objects.create(organisation=organisation, name=parent_name)
    if child_name:
        return Department.objects.create(
            organisation=organisation, name=child_name, parent=tops[parent_name]
        )
    return tops[parent_name]


def staff_create(
    organisation: Organisation, tops: dict[str, Department]
) -> list[tuple[str, str, str]]:
    """One account per role, each an ordinary account whose membership says what it may
    see. None is a Django superuser or staff: the Django admin sees every organisation."""
    User = get_user_model()
    logins = []
    for username, role, department_name in STAFF:
        user = User.objects.create_user(
            username=username, email=f"{username}@demo.example", password=DEMO_PASSWORD
        )
        Membership.objects.create(
            user=user,
            organisation=organisation,
            role=role,
            department=tops[department_name] if department_name else None,
        )
        logins.append((Role(role).label, username, DEMO_PASSWORD))
    return logins


def demo_logins() -> list[tuple[str, str, str]]:
    return [(Role(role).label, username, DEMO_PASSWORD) for username, role, _ in STAFF]
