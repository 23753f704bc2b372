"""Stored cross-site-scripting payloads, planted wherever people or facilitators can type:
comments, roster names, department names, instrument text, workshop titles, commitments.
`plant_site` fills a whole organisation with them (each also starting like a spreadsheet
formula), and `staff_urls` opens every staff page and download on its objects."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.urls import reverse

from assessment.models import (
    Choice,
    Department,
    Instrument,
    Level,
    Membership,
    Organisation,
    Person,
    Question,
    Role,
    Round,
    Section,
    Workshop,
)
from assessment.selectors.workshops import workshop_questions
from assessment.services.commitments import commitment_create
from assessment.services.rounds import round_create, round_launch
from assessment.services.workshops import (
    participant_join,
    workshop_answer_save,
    workshop_close,
    workshop_create,
)
from tests.support.factories import PersonFactory, open_window
from tests.support.instrument_urls import INSTRUMENT_EXPORTS, instrument_urls
from tests.support.report_data import Respondent, write_responses
from tests.support.report_pages import build_report
from tests.support.report_urls import report_urls

PAYLOADS = [
    "<script>window.__xss=1</script>",
    '"><img src=x onerror="window.__xss=2">',
    "<svg onload=window.__xss=3>",
    "'-alert(4)-'",
    "javascript:window.__xss=5",
    "{{ 7|add:7 }}",
    '=HYPERLINK("http://example.invalid","click")',
]

# The password of the planted site's admin.
PASSWORD = "a-long-passphrase-9"


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


def plant_in_round(round_: Round) -> None:
    round_.name = f"Round {payload(2)}"
    round_.purpose = f"Purpose {payload(0)}"
    round_.save(update_fields=["name", "purpose"])


# --- A whole organisation of payloads, for the tests that open every page and file --------

# What a spreadsheet would run as a formula (a tab or carriage return can hide one).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# Every field someone types, holding markup and, where a spreadsheet shows it, starting
# like a formula: one string per field proves both at once.
PLANTS: dict[str, str] = {
    "organisation": "@Acme <svg onload=window.__xss=3>",
    "round": "+Round <script>window.__xss=1</script>",
    "purpose": "Purpose {{ 7|add:7 }} '-alert(4)-' <script>window.__xss=1</script>",
    "department": '-Ops "><img src=x onerror="window.__xss=2">',
    "team": "=Desk <svg onload=window.__xss=3>",
    "front line": '=Front "><img src=x onerror="window.__xss=2">',
    "manager": "@Middle <script>window.__xss=1</script>",
    "person": "Eve <script>window.__xss=1</script>",
    "colleague": 'Bob "><img src=x onerror="window.__xss=2">',
    "staff": "Ada <img src=x onerror=window.__xss=2>",
    "instrument": "@Our own <svg onload=window.__xss=3>",
    "section": "Section <script>window.__xss=1</script>",
    "intro": 'Intro "><img src=x onerror="window.__xss=2">',
    "question": "=Question <script>window.__xss=1</script>",
    "help": "Help <svg onload=window.__xss=3>",
    "prompt": 'Say more "><img src=x onerror="window.__xss=2">',
    "yes": "+Yes <script>window.__xss=1</script>",
    "no": "-No <svg onload=window.__xss=3>",
    "multi question": "@Which <img src=x onerror=window.__xss=2>",
    "multi choice": "=Shops <script>window.__xss=1</script>",
    "scale question": "+How much <svg onload=window.__xss=3>",
    "low": 'Low "><img src=x onerror="window.__xss=2">',
    "high": "High javascript:window.__xss=5",
    "text question": "-Tell us <script>window.__xss=1</script>",
    "workshop": "=Huddle <svg onload=window.__xss=3>",
    "live workshop": "-Live <script>window.__xss=1</script>",
    "what": "-Do <img src=x onerror=window.__xss=2>",
    "who": "@Who <script>window.__xss=1</script>",
}
# Comments, free-text answers and workshop comments: every start and every payload.
TEXTS = [
    f"{FORMULA_STARTS[n % len(FORMULA_STARTS)]}Text {n} {payload(n)}"
    for n in range(len(FORMULA_STARTS) * 2)
]
OURS = ["ours-01", "ours-02", "ours-03", "ours-04"]  # choice, several choices, scale, text
# Routes that answer with a file to download rather than a page.
DOWNLOADS = {
    "reports:pdf",
    "reports:xlsx",
    "reports:json",
    "workshops:summary-pdf",
} | INSTRUMENT_EXPORTS


@dataclass
class Site:
    organisation: Organisation
    round: Round
    instrument: Instrument
    department: Department
    team: Department
    levels: list[Level]  # the front line's and the managers', renamed
    eve: Person
    bob: Person
    workshop: Workshop  # closed, with its summary
    live: Workshop  # paced on its first question
    admin: str  # the organisation admin's username


def plant_site(organisation: Organisation, *, password: str) -> Site:
    """An organisation whose every typed field holds a payload: a launched, open round
    with enough answers that comments and words are shown, its report, a closed workshop
    with its commitments and a live one the room has started answering."""
    organisation.name = PLANTS["organisation"]
    organisation.save(update_fields=["name"])
    front, manager, department, team = _plant_tree(organisation)
    eve = Person.objects.create(
        organisation=organisation,
        name=PLANTS["person"],
        email="eve@example.com",
        department=department,
        level=front,
    )
    bob = Person.objects.create(
        organisation=organisation,
        name=PLANTS["colleague"],
        email="bob@example.com",
        department=team,
        level=manager,
    )
    PersonFactory.create_batch(4, organisation=organisation, department=department, level=front)
    instrument = plant_instrument(organisation)
    round_ = _plant_round(organisation, instrument, ((department, front), (team, manager)))
    workshop, live = _plant_workshops(round_, instrument, department, front)
    build_report(round_)

    admin = get_user_model().objects.create_user(
        username="ada", password=password, first_name=PLANTS["staff"]
    )
    Membership.objects.create(user=admin, organisation=organisation, role=Role.ADMIN)
    return Site(
        organisation=organisation,
        round=round_,
        instrument=instrument,
        department=department,
        team=team,
        levels=[front, manager],
        eve=eve,
        bob=bob,
        workshop=workshop,
        live=live,
        admin=admin.username,
    )


def _plant_tree(organisation: Organisation) -> tuple[Level, Level, Department, Department]:
    """The front line and managers, a department and its team, named by payloads."""
    front = Level.objects.get(organisation=organisation, kind="front_line")
    manager = Level.objects.get(organisation=organisation, kind="manager")
    for level, name in ((front, PLANTS["front line"]), (manager, PLANTS["manager"])):
        level.name = name
        level.save(update_fields=["name"])
    department = Department.objects.create(organisation=organisation, name=PLANTS["department"])
    team = Department.objects.create(
        organisation=organisation, name=PLANTS["team"], parent=department
    )
    return front, manager, department, team


def _plant_round(
    organisation: Organisation, instrument: Instrument, groups: tuple[tuple, tuple]
) -> Round:
    """The launched round, with eleven answers of the department's front line and ten of
    the team's managers: payloads in every text and comment."""
    (department, front), (team, manager) = groups
    opens_at, closes_at = open_window()
    round_ = round_create(
        organisation=organisation,
        name=PLANTS["round"],
        purpose=PLANTS["purpose"],
        instruments=[instrument, Instrument.objects.get(organisation=None, key="conversation")],
        opens_at=opens_at,
        closes_at=closes_at,
    )
    round_launch(round_=round_, send=False)
    crowd = [
        Respondent(
            department=group,
            level=level,
            answers={"ours-01": 1 + n % 2, "ours-02": [1, 2], "ours-03": 1 + n % 5},
            texts={"ours-04": TEXTS[n], "conversation-04-words": f"guests, {payload(n)}"},
            comments={"ours-01": TEXTS[-1 - n], "conversation-03": TEXTS[n]},
        )
        for group, level, size in ((department, front, 11), (team, manager, 10))
        for n in range(size)
    ]
    write_responses(round_, crowd)
    return round_


def _plant_workshops(
    round_: Round, instrument: Instrument, department: Department, front: Level
) -> tuple[Workshop, Workshop]:
    """Two workshops of the round where four join, answer and comment, each with a
    commitment: the first closed, the second live."""
    organisation = round_.organisation
    workshop, live = (
        workshop_create(
            organisation=organisation,
            name=PLANTS[name],
            instrument=instrument,
            head_count=20,
            round_=round_,
            department=department,
            threshold=3,
            comment_threshold=3,
        )
        for name in ("workshop", "live workshop")
    )
    for room in (workshop, live):
        asked = workshop_questions(room)[0]
        for n in range(4):
            participant = participant_join(workshop=room, level=front, department=department)
            participant.workshop = room
            workshop_answer_save(
                participant=participant, workshop_question=asked, value=1, comment=TEXTS[n]
            )
        commitment_create(
            organisation=organisation,
            what=PLANTS["what"],
            who=PLANTS["who"],
            due_on=round_.closes_at.date(),
            workshop=room,
            question=asked.question,
            department=department,
        )
    workshop_close(workshop=workshop)
    return workshop, live


def plant_instrument(organisation: Organisation) -> Instrument:
    """The organisation's own questionnaire: one page with a question of each kind."""
    instrument = Instrument.objects.create(
        organisation=organisation, key="ours", name=PLANTS["instrument"], minutes=1
    )
    section = Section.objects.create(
        instrument=instrument, position=1, title=PLANTS["section"], intro=PLANTS["intro"]
    )

    def question(position: int, kind: str, text: str, **fields) -> Question:
        return Question.objects.create(
            section=section,
            instrument=instrument,
            position=position,
            code=OURS[position - 1],
            kind=kind,
            text=text,
            **fields,
        )

    choice = question(
        1,
        "choice",
        PLANTS["question"],
        help_text=PLANTS["help"],
        comment_prompt=PLANTS["prompt"],
    )
    Choice.objects.create(question=choice, position=1, value=1, label=PLANTS["yes"], score=100)
    Choice.objects.create(
        question=choice, position=2, value=2, label=PLANTS["no"], score=0, unfavourable=True
    )
    several = question(2, "multi_choice", PLANTS["multi question"])
    Choice.objects.create(question=several, position=1, value=1, label=PLANTS["multi choice"])
    Choice.objects.create(question=several, position=2, value=2, label=payload(4))
    scale = question(
        3, "rating_5", PLANTS["scale question"], low_label=PLANTS["low"], high_label=PLANTS["high"]
    )
    for value in range(1, 6):
        Choice.objects.create(
            question=scale, position=value, value=value, label=payload(value), score=25 * value - 25
        )
    question(4, "text", PLANTS["text question"], required=False)
    return instrument


def staff_urls(site: Site) -> dict[str, list[str]]:
    """Every staff page and download (test_access's PAGES), on each object with payloads."""

    def each(name: str, objects) -> list[str]:
        return [reverse(name, kwargs={"pk": thing.pk}) for thing in objects]

    round_ = [site.round]
    rooms = [site.workshop, site.live]
    departments = [site.department, site.team]
    return {
        "dashboard": [reverse("dashboard")],
        "rounds:list": [reverse("rounds:list")],
        "rounds:create": [reverse("rounds:create")],
        "rounds:detail": each("rounds:detail", round_),
        "rounds:edit": each("rounds:edit", round_),
        "rounds:participation": each("rounds:participation", round_),
        "rounds:participation-table": each("rounds:participation-table", round_),
        "roster:list": [reverse("roster:list")],
        "roster:upload": [reverse("roster:upload")],
        "roster:erase": each("roster:erase", [site.eve, site.bob]),
        "organisation:settings": [reverse("organisation:settings")],
        "organisation:level-add": [reverse("organisation:level-add")],
        "organisation:level-edit": each("organisation:level-edit", site.levels),
        "organisation:department-add": [reverse("organisation:department-add")],
        "organisation:department-edit": each("organisation:department-edit", departments),
        "organisation:staff-add": [reverse("organisation:staff-add")],
        "workshops:list": [reverse("workshops:list")],
        "workshops:create": [reverse("workshops:create")],
        "workshops:detail": each("workshops:detail", rooms),
        "workshops:present": each("workshops:present", rooms),
        "workshops:live": each("workshops:live", rooms),
        "workshops:summary": each("workshops:summary", rooms),
        "workshops:summary-pdf": each("workshops:summary-pdf", rooms),
        "commitments:list": [reverse("commitments:list")],
        "reports:list": [reverse("reports:list")],
        **report_urls(
            pk=site.round.pk,
            departments=[d.pk for d in departments],
            codes=[*OURS, "conversation-03"],
        ),
        **instrument_urls(key="ours", codes=OURS),
    }


def squashed(text: str) -> str:
    """Text compared without its line breaks and spacing (which wrap differently)."""
    return "".join(text.split())
