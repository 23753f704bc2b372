"""Stored cross-site-scripting payloads, planted wherever people or facilitators can type:
comments, roster names, department names, instrument text, workshop titles, commitments."""

from dataclasses import dataclass

from assessment.models import (
    Choice,
    Department,
    Instrument,
    Level,
    Organisation,
    Person,
    Question,
    Round,
    Section,
)

PAYLOADS = [
    "<script>window.__xss=1</script>",
    '"><img src=x onerror="window.__xss=2">',
    "<svg onload=window.__xss=3>",
    "'-alert(4)-'",
    "javascript:window.__xss=5",
    "{{ 7|add:7 }}",
    '=HYPERLINK("http://example.invalid","click")',
]


def payload(n: int) -> str:
    return PAYLOADS[n % len(PAYLOADS)]


@dataclass
class Planted:
    department: Department
    person: Person
    instrument: Instrument


def plant_in_organisation(organisation: Organisation) -> Planted:
    department = Department.objects.create(organisation=organisation, name=f"Ops {payload(1)}")
    level = Level.objects.get(organisation=organisation, kind="front_line")
    person = Person.objects.create(
        organisation=organisation,
        name=f"Eve {payload(0)}",
        email="eve@example.com",
        department=department,
        level=level,
    )
    instrument = Instrument.objects.create(
        organisation=organisation, key="ours", name=f"Our own {payload(2)}", minutes=1
    )
    section = Section.objects.create(
        instrument=instrument, position=1, title=f"Section {payload(1)}", intro=payload(0)
    )
    question = Question.objects.create(
        section=section,
        instrument=instrument,
        position=1,
        code="ours-01",
        kind="choice",
        text=f"Question {payload(0)}",
        help_text=f"Help {payload(1)}",
        comment_prompt=f"Comment {payload(2)}",
    )
    Choice.objects.create(
        question=question, position=1, value=1, label=f"Yes {payload(1)}", score=100
    )
    Choice.objects.create(
        question=question, position=2, value=2, label=f"No {payload(2)}", score=0, unfavourable=True
    )
    return Planted(department=department, person=person, instrument=instrument)


def plant_in_round(round: Round) -> None:
    round.name = f"Round {payload(2)}"
    round.purpose = f"Purpose {payload(0)}"
    round.save(update_fields=["name", "purpose"])
