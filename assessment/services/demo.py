"""The demo organisation: a two-level department tree, about 300 people at three levels, an
open round with all five instruments, and simulated answers that differ plausibly by
department and level (executives see the conversation from the stands, the front line from
the arena)."""

import datetime
import random
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from assessment.models import (
    Answer,
    Commitment,
    CommitmentStatus,
    Department,
    Instrument,
    Invitation,
    InvitationStatus,
    Level,
    LevelKind,
    Membership,
    Organisation,
    Person,
    Question,
    QuestionKind,
    Response,
    Role,
    Round,
    TextAnswer,
)
from assessment.selectors.answering import round_pages
from assessment.selectors.workshops import workshop_questions
from assessment.services.answering import draft_page_save, response_rows, response_submit
from assessment.services.commitments import commitment_create, commitment_status_set
from assessment.services.invitations import invitation_url
from assessment.services.rounds import round_close, round_create, round_launch
from assessment.services.workshops import (
    participant_join,
    workshop_answer_save,
    workshop_close,
    workshop_create,
    workshop_departments,
    workshop_pace,
)

DEMO_SLUG = "demo"
DEMO_PASSWORD = "centricity-demo"

# (parent, child, people, culture): culture is how customer-centric the department's
# everyday conversations are, from 0 to 1.
DEPARTMENTS = [
    ("Executive Office", None, 10, 0.65),
    ("Sales", "Field Sales", 34, 0.55),
    ("Sales", "Inside Sales", 26, 0.5),
    ("Customer Service", "Contact Centre", 52, 0.7),
    ("Customer Service", "Returns", 18, 0.6),
    ("Operations", "Logistics", 40, 0.4),
    ("Operations", "Warehouse", 36, 0.35),
    ("Marketing", "Digital", 22, 0.6),
    ("Product", "Design", 14, 0.72),
    ("Product", "Engineering", 30, 0.5),
    ("Finance", None, 18, 0.3),
]
LEVELS = [
    ("Executive", LevelKind.EXECUTIVE),
    ("Manager", LevelKind.MANAGER),
    ("Front line", LevelKind.FRONT_LINE),
]
# Executives hear the conversation from the stands and rate it higher than the front line,
# who live it in the arena.
LEVEL_BIAS = {LevelKind.EXECUTIVE: 0.22, LevelKind.MANAGER: 0.08, LevelKind.FRONT_LINE: -0.08}

FIRST_NAMES = (
    "Aisha Ben Carla Dev Elena Farid Grace Hugo Ines Jonas Kemi Liam Maya Noor Owen Priya "
    "Quinn Rosa Sam Tariq Uma Vik Wen Xavier Yara Zoe Amir Bea Cal Dana Eli Fay Gus Hana "
    "Ivo Jade Kai Lena Milo Nia"
).split()
LAST_NAMES = (
    "Adams Baker Chen Diaz Evans Fischer Garcia Hughes Iqbal Jones Khan Lopez Murphy Novak "
    "Okafor Patel Quint Rossi Singh Taylor Usman Varga Walsh Young Zhang"
).split()

WORDS_BY_DEPARTMENT = {
    "Sales": ["accounts", "targets", "deals", "prospects", "clients", "pipeline"],
    "Customer Service": ["customers", "callers", "members", "cases", "tickets", "people"],
    "Operations": ["orders", "consignments", "customers", "drops", "accounts"],
    "Marketing": ["personas", "audiences", "segments", "customers", "leads"],
    "Product": ["users", "customers", "people", "personas"],
    "Finance": ["accounts", "debtors", "revenue", "wallets", "customers"],
    "Executive Office": ["customers", "clients", "members", "markets"],
}
COMMENTS = [
    "We talk about customers a lot in leadership meetings, much less on the floor.",
    "The weekly huddle is where the real conversation happens.",
    "People say what they think, but decisions are made elsewhere.",
    "Commitments get made in meetings and quietly dropped a month later.",
    "Nobody really owns this; it depends on who shouts loudest.",
    "Our team lead asks every week what customers told us. It helps.",
    "We rarely hear from the people who actually talk to customers.",
    "It feels like a box-ticking exercise at times.",
    "Customers are invited to our product reviews, which changes the tone.",
    "Suppliers are treated as vendors, not partners.",
    "Metrics win every argument, even when complaints say otherwise.",
    "There is real energy here when we get time to fix root causes.",
]
STORIES = [
    "A customer waited three weeks for a refund; we changed the approval step the week after.",
    "A delivery went to the wrong address twice. The driver fixed it on his own initiative.",
    "A long-time customer told us our new invoice was impossible to read. We redesigned it.",
    "Someone in the contact centre stayed on the line until the order was sorted. The "
    "customer wrote to the CEO.",
    "Our NPS was up, but complaints about the app doubled. It took months to look into it.",
    "A customer suggested a simpler returns form. We built it in a fortnight.",
]


@dataclass
class DemoResult:
    organisation: Organisation
    round: Round
    logins: list[tuple[str, str, str]]
    links: list[tuple[str, str]]


def _clamp(value: float, low: float = 0.0, high: float = 1.0) -> float:
    return max(low, min(high, value))


def _simulated_answer(question: Question, mood: float, level_kind: str, rng: random.Random) -> Any:
    """One plausible answer for someone whose feeling about the question is `mood` (0–1)."""
    choices = list(question.choices.all())
    if question.kind in (QuestionKind.RATING_5, QuestionKind.BIPOLAR_7):
        points = len(choices)
        position = _clamp(mood + rng.gauss(0, 0.18))
        value = 1 + round(position * (points - 1))
        return points + 1 - value if question.reverse_scored else value
    if question.kind == QuestionKind.MULTI_CHOICE:
        picked = [c.value for c in choices[:-1] if rng.random() < _clamp(mood + rng.gauss(0, 0.2))]
        return picked or [choices[0].value]
    if question.kind == QuestionKind.CHOICE:
        unsure = 0.05 + (0.2 if level_kind == LevelKind.FRONT_LINE else 0.0)
        if rng.random() < unsure and any(c.score is None for c in choices):
            return next(c.value for c in choices if c.score is None)
        scored = [c for c in choices if c.score is not None]
        target = 100 * _clamp(mood + rng.gauss(0, 0.2))
        return min(scored, key=lambda c: abs(c.score - target)).value
    return None


def simulated_page(section, mood: float, level_kind: str, words: list[str], rng) -> dict:
    """What someone of this level and mood (0–1) answers on one page, as the page would
    post it: highs and lows by item, executives kinder to conversations than the front
    line, a polarised item, a few comments and customer stories. Also used by bench/."""
    data: dict[str, Any] = {}
    for question in section.questions.all():
        if question.kind == QuestionKind.TEXT:
            if question.code.endswith("-words") and rng.random() < 0.7:
                data[question.code] = ", ".join(rng.sample(words, k=min(2, len(words))))
            elif question.code == "trust-03" and rng.random() < 0.25:
                data[question.code] = rng.choice(STORIES)
            continue
        item_mood = mood + ITEM_BIAS.get(question.code, 0.0)
        if section.instrument.key == "conversation":
            item_mood += LEVEL_BIAS[level_kind]
        if question.code in POLARISED and rng.random() < 0.27:
            # A sizeable unhappy minority under a fine-looking score: smoke.
            item_mood = 0.0
        elif question.code in POLARISED:
            item_mood = 0.95
        data[question.code] = _simulated_answer(question, _clamp(item_mood), level_kind, rng)
        if question.allows_comment and rng.random() < 0.12:
            data[f"{question.code}-comment"] = rng.choice(COMMENTS)
    return data


# Some items are better or worse everywhere, so that the report has highs and lows.
ITEM_BIAS = {
    "checklist-03": 0.25,  # the strategy does mention customers...
    "checklist-08": -0.2,  # ...but few know how satisfied they are
    "checklist-07": -0.15,
    "conversation-05": 0.1,
    "obsessed-02": -0.15,
    "obsessed-06": -0.2,
    "obstacles-03": -0.25,  # "not my problem" holds us back most
    "obstacles-05": -0.15,
    "obstacles-06": 0.15,
    "trust-01": -0.1,
}
POLARISED = {"conversation-07"}

STAFF = [
    ("admin", Role.ADMIN, None),
    ("facilitator", Role.FACILITATOR, None),
    ("executive", Role.EXECUTIVE, None),
    ("lead", Role.DEPARTMENT_LEAD, "Customer Service"),
]


def _staff(organisation: Organisation, tops: dict[str, Department]) -> list[tuple[str, str, str]]:
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


def demo_organisation_create(*, seed: int = 7, people_scale: float = 1.0) -> DemoResult:
    """Build the demo organisation from nothing. Deterministic for a given seed."""
    rng = random.Random(seed)
    with transaction.atomic():
        organisation = Organisation.objects.create(
            name="Northwind Outfitters", slug=DEMO_SLUG, time_zone="Europe/London"
        )
        levels = {
            kind: Level.objects.create(organisation=organisation, name=name, kind=kind, position=i)
            for i, (name, kind) in enumerate(LEVELS)
        }
        tops: dict[str, Department] = {}
        people: list[Person] = []
        cultures: dict[int, float] = {}
        n = 0
        # The first person of every top-level department is its executive, so that the
        # stands-versus-arena gap shows within departments too.
        has_executive: set[str] = set()
        for parent_name, child_name, size, culture in DEPARTMENTS:
            if parent_name not in tops:
                tops[parent_name] = Department.objects.create(
                    organisation=organisation, name=parent_name
                )
            department = tops[parent_name]
            if child_name:
                department = Department.objects.create(
                    organisation=organisation, name=child_name, parent=tops[parent_name]
                )
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
                n += 1
                first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
                people.append(
                    Person(
                        organisation=organisation,
                        name=f"{first} {last}",
                        email=f"{first}.{last}.{n}@demo.example".lower(),
                        department=department,
                        level=levels[kind],
                    )
                )
        Person.objects.bulk_create(people)
        logins = _staff(organisation, tops)

        now = timezone.now()
        instruments = list(Instrument.objects.filter(organisation=None).order_by("pk"))
        spring = round_create(
            organisation=organisation,
            name="Customer-centricity baseline (spring)",
            purpose=PURPOSE,
            instruments=instruments,
            opens_at=now - datetime.timedelta(days=200),
            closes_at=now - datetime.timedelta(days=186),
        )
        round_launch(round=spring, send=False)
        _simulate_in_bulk(spring, cultures, rng, answering=0.74, better_by=-0.07)
        # Closing builds the spring report, the one the autumn round is compared with.
        round_close(round=spring)
    Round.objects.filter(pk=spring.pk).update(closed_at=spring.closes_at)

    with transaction.atomic():
        autumn = round_create(
            organisation=organisation,
            name="Customer-centricity check-in (autumn)",
            purpose=PURPOSE,
            instruments=instruments,
            opens_at=now - datetime.timedelta(days=10),
            closes_at=now + datetime.timedelta(days=18),
            reminder_days_before=3,
        )
        round_launch(round=autumn, send=False)
    _simulate_through_the_pages(autumn, cultures, rng)
    _workshops_and_commitments(organisation, tops, spring, autumn, rng)
    return DemoResult(
        organisation=organisation, round=autumn, logins=logins, links=demo_links(autumn)
    )


PURPOSE = (
    "Where does customer-centricity live at Northwind? We are asking everyone — executives, "
    "managers and the front line — how we talk about customers, and what stands in our way. "
    "The results will be shared with every team, and each department will hold a workshop "
    "to decide what to change."
)


def _respondent(invitation: Invitation, departments: dict, cultures: dict, rng) -> tuple:
    top = departments[invitation.department_id].path.split("/")[0]
    mood = cultures[invitation.department_id] + rng.gauss(0, 0.08)
    return mood, WORDS_BY_DEPARTMENT.get(top, ["customers"])


def _simulate_through_the_pages(round: Round, cultures: dict, rng) -> None:
    """The open round, answered the way people do: page by page, some not finished."""
    pages = round_pages(round)
    invitations = list(
        Invitation.objects.filter(round=round).select_related("round__organisation", "level")
    )
    rng.shuffle(invitations)
    departments = {d.pk: d for d in Department.objects.filter(organisation=round.organisation)}
    answered = int(len(invitations) * 0.78)
    started = int(len(invitations) * 0.05)
    for index, invitation in enumerate(invitations[: answered + started]):
        mood, words = _respondent(invitation, departments, cultures, rng)
        finishing = index < answered
        for section in pages if finishing else pages[: rng.randint(1, 3)]:
            data = simulated_page(section, mood, invitation.level.kind, words, rng)
            draft_page_save(invitation=invitation, section=section, data=data, complete=True)
        if finishing:
            response_submit(invitation=invitation, pages=pages)


@transaction.atomic
def _simulate_in_bulk(
    round: Round, cultures: dict, rng, *, answering: float, better_by: float
) -> None:
    """A past round, written in bulk: the same rows as submitting, without the pages."""
    pages = round_pages(round)
    invitations = list(Invitation.objects.filter(round=round).select_related("level"))
    rng.shuffle(invitations)
    departments = {d.pk: d for d in Department.objects.filter(organisation=round.organisation)}
    responses, answers, texts = [], [], []
    finished = invitations[: int(len(invitations) * answering)]
    for invitation in finished:
        mood, words = _respondent(invitation, departments, cultures, rng)
        mood += better_by
        data = {
            section.pk: simulated_page(section, mood, invitation.level.kind, words, rng)
            for section in pages
        }
        response, its_answers, its_texts = response_rows(
            invitation=invitation, pages=pages, data_by_section=data
        )
        responses.append(response)
        answers += its_answers
        texts += its_texts
        invitation.status = InvitationStatus.SUBMITTED
    Response.objects.bulk_create(responses)
    Answer.objects.bulk_create(answers, batch_size=5000)
    TextAnswer.objects.bulk_create(texts, batch_size=5000)
    Invitation.objects.bulk_update(finished, ["status"], batch_size=1000)


def _workshops_and_commitments(
    organisation: Organisation, tops: dict[str, Department], spring: Round, autumn: Round, rng
) -> None:
    """A workshop after each round, with the commitments its room made and how they went."""
    conversation = Instrument.objects.get(organisation=None, key="conversation", version=1)
    front = Level.objects.get(organisation=organisation, kind=LevelKind.FRONT_LINE)
    manager = Level.objects.get(organisation=organisation, kind=LevelKind.MANAGER)
    today = organisation.today()
    plans = [
        (
            "Operations away day",
            spring,
            tops["Operations"],
            192,
            [
                (
                    "Bring a driver to every weekly planning meeting",
                    "Head of Logistics",
                    -42,
                    CommitmentStatus.KEPT,
                ),
                (
                    "Publish late-delivery causes to the whole warehouse each month",
                    "Warehouse managers",
                    -72,
                    CommitmentStatus.LATE,
                ),
                (
                    "Replace the returns KPI with one customers would recognise",
                    "COO",
                    -102,
                    CommitmentStatus.DROPPED,
                ),
            ],
        ),
        (
            "Customer Service huddle",
            autumn,
            tops["Customer Service"],
            4,
            [
                (
                    "Read five customer complaints aloud at every Monday huddle",
                    "Contact Centre team leads",
                    30,
                    CommitmentStatus.OPEN,
                ),
                (
                    "Ask customers into the next process review",
                    "Head of Customer Service",
                    -2,
                    CommitmentStatus.OPEN,
                ),
                (
                    "Stop calling customers 'tickets' in our dashboards",
                    "Service analysts",
                    -1,
                    CommitmentStatus.KEPT,
                ),
            ],
        ),
    ]
    questions = list(
        Question.objects.filter(
            instrument=conversation,
            code__in=["conversation-03", "conversation-06", "conversation-07"],
        )
    )
    for name, round, department, days_ago, commitments in plans:
        workshop = workshop_create(
            organisation=organisation,
            name=name,
            instrument=conversation,
            head_count=12,
            questions=questions,
            round=round,
            department=department,
        )
        workshop = workshop_pace(workshop=workshop, all_open=True)
        asked = workshop_questions(workshop)
        rooms = workshop_departments(workshop)
        for index in range(12):
            participant = participant_join(
                workshop=workshop,
                level=manager if index < 3 else front,
                department=rooms[index % len(rooms)],
            )
            participant.workshop = workshop
            for wq in asked:
                workshop_answer_save(
                    participant=participant,
                    workshop_question=wq,
                    value=max(1, min(5, round_half(3 + rng.gauss(0.3, 1.0)))),
                    comment=rng.choice(COMMENTS) if rng.random() < 0.5 else "",
                )
        workshop_close(workshop=workshop)
        made_on = today - datetime.timedelta(days=days_ago)
        # Due dates are counted from today: negative ones have passed.
        for what, who, due_from_today, status in commitments:
            commitment = commitment_create(
                organisation=organisation,
                what=what,
                who=who,
                due_on=today + datetime.timedelta(days=due_from_today),
                workshop=workshop,
                department=department,
            )
            Commitment.objects.filter(pk=commitment.pk).update(made_on=made_on)
            if status != CommitmentStatus.OPEN:
                commitment_status_set(commitment=commitment, status=status)


def round_half(value: float) -> int:
    return int(value + 0.5)


def demo_links(round: Round, count: int = 3) -> list[tuple[str, str]]:
    """Links of a few people who have not started, to try answering as them."""
    waiting = Invitation.objects.filter(round=round, status="invited").select_related("person")
    return [(i.person.name, invitation_url(i)) for i in waiting.order_by("pk")[:count]]


def demo_logins() -> list[tuple[str, str, str]]:
    return [(Role(role).label, username, DEMO_PASSWORD) for username, role, _ in STAFF]
