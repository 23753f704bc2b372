"""Reads of the roster."""

from django.db.models import Q, QuerySet

from assessment.models import Organisation, Person


def roster(organisation: Organisation, query: str = "", active: bool | None = True) -> QuerySet:
    people = Person.objects.filter(organisation=organisation).select_related("department", "level")
    if active is not None:
        people = people.filter(is_active=active)
    if query:
        people = people.filter(
            Q(name__icontains=query)
            | Q(email__icontains=query)
            | Q(department__path__icontains=query)
        )
    return people.order_by("name", "pk")
