"""Writing an imported roster: the file checked again against the roster as it is now,
all or nothing when writing fails or someone else writes the same people, and a number of
queries that does not grow with the file."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessment.models import Department, Level, LevelKind, Person
from assessment.services.roster_import import (
    LevelKindsMissing,
    RosterChanged,
    roster_import,
    roster_import_preview,
)
from assessment.services.roster_import import writing as roster_import_module
from assessment.services.roster_import.messages import (
    LEVEL_KINDS_MISSING,
    ROSTER_CHANGED,
)
from tests.conftest import level
from tests.support.factories import DepartmentFactory, OrganisationFactory
from tests.support.roster_files import csv_file
from tests.support.rosters import people, roster

pytestmark = pytest.mark.django_db


def test_the_import_checks_the_file_again_against_the_roster_as_it_is_now(organisation):
    data = csv_file(
        ("Ann Archer", "ann@example.com", "Sales", "Manager"),
        ("Bob Baker", "bob@example.com", "Sales", "Front line"),
    )
    preview = roster_import_preview(organisation=organisation, file=data, filename="r.csv")
    assert preview.errors == []
    Level.objects.filter(organisation=organisation, name="Manager").update(name="Middle")

    with pytest.raises(LevelKindsMissing) as refused:
        roster_import(organisation=organisation, preview=preview)

    assert refused.value.missing == ["Manager"]
    assert str(refused.value) == LEVEL_KINDS_MISSING.format(count=1, names="“Manager”")
    assert Person.objects.count() == 0
    assert Department.objects.count() == 0


def test_someone_added_since_the_preview_is_updated_rather_than_added_twice(organisation):
    data = csv_file(("Ann Archer", "ann@example.com", "Sales", "Manager"))
    preview = roster_import_preview(organisation=organisation, file=data, filename="r.csv")
    assert [person.email for person in preview.to_add] == ["ann@example.com"]
    roster(organisation, {"Support": [("Ann A.", "ann@example.com", LevelKind.MANAGER, True)]})

    result = roster_import(organisation=organisation, preview=preview)

    assert (result.added, result.changed, result.departments_created) == (0, 1, 1)
    assert people(organisation) == {("Ann Archer", "ann@example.com", "Sales", "Manager", True)}


def test_a_failure_while_writing_leaves_nothing_behind(organisation, monkeypatch):
    roster(organisation, {"Sales": [("Di Dale", "di@example.com", LevelKind.MANAGER, True)]})
    before = people(organisation)
    data = csv_file(
        ("Di Dale", "di@example.com", "Sales/North", "Executive"),
        ("Ann Archer", "ann@example.com", "Operations/Logistics", "Manager"),
    )

    def fail(person_ids):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(roster_import_module, "_deactivate_people", fail)
    with pytest.raises(RuntimeError):
        roster_import(organisation=organisation, file=data, filename="r.csv")

    assert people(organisation) == before
    assert list(Department.objects.values_list("path", flat=True)) == ["Sales"]


def test_someone_adding_the_same_person_while_the_import_writes_leaves_nothing_behind(
    organisation, monkeypatch
):
    data = csv_file(("Ann Archer", "ann@example.com", "Sales/North", "Manager"))
    create_departments = roster_import_module._create_departments

    def meanwhile(*args):
        # Another process adds Ann after the import has read the roster.
        Person.objects.create(
            organisation=organisation,
            name="Ann",
            email="ANN@example.com",
            department=DepartmentFactory(organisation=organisation, name="Elsewhere"),
            level=level(organisation, LevelKind.MANAGER),
        )
        create_departments(*args)

    monkeypatch.setattr(roster_import_module, "_create_departments", meanwhile)
    with pytest.raises(RosterChanged) as refused:
        roster_import(organisation=organisation, file=data, filename="r.csv")

    assert str(refused.value) == ROSTER_CHANGED
    assert Person.objects.count() == 0
    assert Department.objects.count() == 0


def test_the_number_of_queries_does_not_grow_with_the_number_of_lines(organisation):
    other = OrganisationFactory(slug="other")
    for position, name in enumerate(["Executive", "Manager", "Front line"]):
        Level.objects.create(organisation=other, name=name, kind="manager", position=position)

    def queries(org, count: int) -> tuple[int, int]:
        """Queries to import `count` people, then to move all but one and drop that one."""
        first = csv_file(
            *(
                (f"Person {n}", f"p{n}@example.com", f"Sales/Team {n % 3}", "Manager")
                for n in range(count)
            )
        )
        second = csv_file(
            *(
                (f"P. {n}", f"p{n}@example.com", f"Ops/Team {n % 3}", "Executive")
                for n in range(1, count)
            )
        )
        with CaptureQueriesContext(connection) as importing:
            roster_import(organisation=org, file=first, filename="r.csv")
        with CaptureQueriesContext(connection) as reimporting:
            result = roster_import(organisation=org, file=second, filename="r.csv")
        assert (result.changed, result.deactivated) == (count - 1, 1)
        return len(importing), len(reimporting)

    assert queries(organisation, 3) == queries(other, 300)
