"""factory_boy factories: the smallest valid rows, overridable per test."""

import datetime

import factory
from django.utils import timezone

from assessment import models


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Organisation
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"org-{n}")


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Department

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Department {n}")


class LevelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Level
        django_get_or_create = ["organisation", "name"]

    organisation = factory.SubFactory(OrganisationFactory)
    name = "Front line"
    kind = models.LevelKind.FRONT_LINE


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Person

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"person{n}@example.com")
    department = factory.SubFactory(
        DepartmentFactory, organisation=factory.SelfAttribute("..organisation")
    )
    level = factory.SubFactory(LevelFactory, organisation=factory.SelfAttribute("..organisation"))


def open_window() -> tuple[datetime.datetime, datetime.datetime]:
    now = timezone.now()
    return now - datetime.timedelta(days=1), now + datetime.timedelta(days=14)


def round_for_people(
    organisation: models.Organisation,
    instruments,
    invited: dict[str, int],
    **options,
) -> models.Round:
    """A draft round, open from yesterday, with `invited` front-line people on the
    roster in a new department of each name. `options` go to
    round_create (name, threshold, departments…)."""
    from assessment.services.rounds import round_create

    front = models.Level.objects.get(organisation=organisation, kind=models.LevelKind.FRONT_LINE)
    for name, count in invited.items():
        department = DepartmentFactory(organisation=organisation, name=name)
        PersonFactory.create_batch(
            count, organisation=organisation, department=department, level=front
        )
    opens_at, closes_at = open_window()
    options.setdefault("name", "Autumn round")
    options.setdefault("purpose", "Tell us how we talk about customers.")
    return round_create(
        organisation=organisation,
        instruments=instruments,
        opens_at=opens_at,
        closes_at=closes_at,
        **options,
    )


def launched_round(organisation: models.Organisation, instruments, department: str) -> models.Round:
    """A launched round of three people invited in a new department of that name."""
    from assessment.services.rounds import round_launch

    round_ = round_for_people(organisation, instruments, {department: 3}, name=department)
    return round_launch(round_=round_, send=False)
