"""The five built-in instruments, worded from the published articles and checklists each
names in its `source` (shown with every question in docs/instruments.md).

This is data: the migration that loads it and the test fixture both call
`load_builtin_instruments`, which takes an app registry so that it works with the
historical models of a migration as well as with the live ones. docs/instruments.md
documents every code; a test keeps the two in step.
"""

from typing import Any

YES_PARTLY_NO = [
    # (value, label, score, unfavourable)
    (1, "Yes", 100, False),
    (2, "Partly", 50, False),
    (3, "No", 0, True),
    # Counted, not scored: a front line that does not know is itself a finding.
    (9, "Don't know", None, False),
]


def scale(points: int, low: str, high: str, reverse: bool = False) -> list[tuple]:
    """Choices 1..points, scored 0–100 along the scale. The two points at the unhappy end
    count as unfavourable (1–2 of 5, or 4–5 of 5 when a higher answer is worse)."""
    choices = []
    for value in range(1, points + 1):
        fraction = (value - 1) / (points - 1)
        score = round(100 * (1 - fraction if reverse else fraction))
        unhappy_end = value > points - 2 if reverse else value <= 2
        label = str(value)
        if value == 1:
            label = f"1 – {low}"
        elif value == points:
            label = f"{points} – {high}"
        choices.append((value, label, score, unhappy_end))
    return choices


def choices_of(labels: list[str]) -> list[tuple]:
    """Unscored options (for “several choices” questions)."""
    return [(i, label, None, False) for i, label in enumerate(labels, start=1)]


def question(code: str, kind: str, text: str, **extra: Any) -> dict:
    return {"code": code, "kind": kind, "text": text, **extra}


COMMENT = "Anything you want to add? (optional)"

CHECKLIST = {
    "key": "checklist",
    "name": "Customer-centricity checklist",
    "minutes": 3,
    "description": "Ten questions that describe the features of a customer-centric business.",
    "source": "Checklist for a customer-centric business (YSatisfy), quoted by Maz Iqbal in "
    "“Where does customer focus, customer obsession, customer-centricity reside in your "
    "organisation?”",
    "sections": [
        {
            "title": "Customer-centricity checklist",
            "intro": "Answer for the organisation as you see it from where you work. "
            "“Don't know” is a useful answer too.",
            "questions": [
                question(f"checklist-{n:02d}", "choice", text, choices=YES_PARTLY_NO)
                for n, text in enumerate(
                    [
                        "Do you have a clear idea of who your customers are and their needs?",
                        "Do you know which of your customers are most valuable to you?",
                        "Does your business strategy / mission mention anything about your "
                        "customers?",
                        "Do you hire / develop your staff with your customers in mind?",
                        "Do you have a process by which customers and employees can give "
                        "feedback and review / act on this within your business?",
                        "Do you have a customer complaints process which enables quick "
                        "resolution of customer problems?",
                        "Are all your employees empowered to deal with customer complaints?",
                        "Do you know how satisfied or loyal your customers actually are?",
                        "Do you provide specific services or incentives for your most valued "
                        "/ loyal customers?",
                        "Do you deliver what you promise in your advertising / marketing to "
                        "your customers?",
                    ],
                    start=1,
                )
            ],
        }
    ],
}

CONVERSATION = {
    "key": "conversation",
    "name": "Conversation questionnaire",
    "minutes": 8,
    "description": "Customer-centricity lives in the conversations people have, at every "
    "level, every day. Ten questions about those conversations.",
    "source": "Maz Iqbal, “Where does customer focus, customer obsession, "
    "customer-centricity reside in your organisation?”",
    "sections": [
        {
            "title": "Who takes part, and how often",
            "intro": "Think of the conversations in your organisation about customers: what "
            "they need, how we serve them, what we should change.",
            "questions": [
                question(
                    "conversation-01",
                    "multi_choice",
                    "Who takes part in these conversations? Is it only certain groups or "
                    "everyone? Are customers invited? What about suppliers? Channel partners?",
                    help_text="Tick everyone who usually takes part.",
                    choices=choices_of(
                        [
                            "Senior leaders",
                            "Managers",
                            "Front-line staff",
                            "Customers",
                            "Suppliers",
                            "Channel partners",
                        ]
                    ),
                    comment_prompt="Are people invited, or “forced” to take part? (optional)",
                ),
                question(
                    "conversation-02",
                    "choice",
                    "When and how frequently do these conversations occur? Once a month at "
                    "the senior leadership meeting? Once a week at the departmental meeting?",
                    choices=[
                        (1, "Every day", 100, False),
                        (2, "Every week", 75, False),
                        (3, "Every month", 50, False),
                        (4, "A few times a year", 25, True),
                        (5, "Rarely or never", 0, True),
                        (9, "Don't know", None, False),
                    ],
                    comment_prompt=COMMENT,
                ),
                question(
                    "conversation-03",
                    "rating_5",
                    "How much time, energy, passion, honesty and truth is put into these "
                    "conversations? Are people free to voice their honest point of view? Is "
                    "there a listening for the points of view of everyone, irrespective of "
                    "rank?",
                    help_text="1 means people hold back and rank decides who is heard; 5 means "
                    "everyone speaks honestly and is listened to.",
                    low_label="People hold back; rank decides",
                    high_label="Honest, and everyone is heard",
                    comment_prompt=COMMENT,
                ),
            ],
        },
        {
            "title": "Language and place",
            "intro": "Words matter: how we speak of customers shows how we treat them.",
            "questions": [
                question(
                    "conversation-04",
                    "rating_5",
                    "What language is used in these conversations? Are customers talked "
                    "about as ‘muppets’, ‘targets’, ‘personas’, ‘wallets’, ‘members’? How are "
                    "our own people and our suppliers talked about — ‘partner’ or ‘vendor’?",
                    help_text="1 means customers are spoken of as targets or wallets; 5 means "
                    "they are spoken of as people we serve.",
                    low_label="Targets and wallets",
                    high_label="People we serve",
                    comment_prompt=COMMENT,
                ),
                question(
                    "conversation-04-words",
                    "text",
                    "Which words do people here actually use for customers?",
                    help_text="A few words or phrases, separated by commas — for example: "
                    "members, accounts, targets.",
                    required=False,
                ),
                question(
                    "conversation-05",
                    "multi_choice",
                    "Where do these conversations take place? Which locations? Which mediums "
                    "and channels?",
                    help_text="Tick every place and channel where they happen.",
                    choices=choices_of(
                        [
                            "Leadership meetings",
                            "Team or department meetings",
                            "One-to-ones",
                            "Workshops and away days",
                            "Chat, e-mail and the intranet",
                            "Informally, in corridors and over coffee",
                            "With customers themselves",
                        ]
                    ),
                    comment_prompt="Are all channels and mediums used? (optional)",
                ),
            ],
        },
        {
            "title": "Commitments",
            "intro": "What matters is what people take on as a result, and whether they keep "
            "their word.",
            "questions": [
                question(
                    "conversation-06",
                    "rating_5",
                    "What commitments do people take on as a result of these conversations? "
                    "Does everyone around the table volunteer to take on commitments that move "
                    "the game forward, or is it always a select few? Are the decisions shared "
                    "with everyone who will be expected to enact them?",
                    help_text="1 means it is always the same few and decisions are not shared; "
                    "5 means everyone commits and everyone affected is told.",
                    low_label="A select few; not shared",
                    high_label="Everyone; shared with all",
                    comment_prompt=COMMENT,
                ),
                question(
                    "conversation-07",
                    "rating_5",
                    "What is the conversation around these commitments? Are they owned and "
                    "enacted — ‘my word is my bond’ — or optional? Is it OK not to live up to "
                    "your commitments, and to substitute reasons and excuses for action and "
                    "results?",
                    help_text="1 means commitments are optional and excuses are accepted; 5 "
                    "means commitments are owned and kept.",
                    low_label="Optional; excuses accepted",
                    high_label="Owned and kept",
                    comment_prompt=COMMENT,
                ),
            ],
        },
        {
            "title": "Keeping the conversation alive",
            "intro": "Conversations drift. Someone has to notice, and someone has to care.",
            "questions": [
                question(
                    "conversation-08",
                    "rating_5",
                    "What mechanisms keep these conversations in tune with purpose? How do you "
                    "know when they are off track? Who can call it when people are just going "
                    "through the motions?",
                    help_text="1 means nobody can call it; 5 means anyone can, and it is welcomed.",
                    low_label="Nobody can call it",
                    high_label="Anyone can, and it is welcomed",
                    comment_prompt=COMMENT,
                ),
                question(
                    "conversation-09",
                    "rating_5",
                    "What mechanisms keep these conversations in existence and widely "
                    "distributed? How do we involve everyone in the conversation, and inspire "
                    "everyone to participate, to play full out?",
                    help_text="1 means the conversation dies out or stays with a few; 5 means "
                    "it is kept alive and reaches everyone.",
                    low_label="Dies out, stays with a few",
                    high_label="Alive, and reaches everyone",
                    comment_prompt=COMMENT,
                ),
                question(
                    "conversation-10",
                    "choice",
                    "Who is the steward, the guardian, the ‘servant leader’ of these "
                    "conversations for customer focus? How passionate are they about it, and "
                    "how are they listened to within the organisation?",
                    choices=[
                        (1, "There is one, full of passion, and people listen to them", 100, False),
                        (2, "There is one, but they are not really listened to", 50, False),
                        (3, "There is nobody who plays that role", 0, True),
                        (9, "Don't know", None, False),
                    ],
                    comment_prompt=COMMENT,
                ),
            ],
        },
    ],
}

OBSESSED_DIMENSIONS = [
    (
        "Focus",
        "Inside-out, process & activity focused, starts with “how”",
        "Outside-in, customer outcome focused, starts with “why”",
    ),
    (
        "KPIs",
        "Success is measured within a team silo, not across the customer journey",
        "Success is measured using metrics that are important and have value to the customer",
    ),
    (
        "Decision making",
        "Surveys are used to determine next action, not knowledge of the customer journey",
        "Decisions are made to support key priorities within the whole customer journey",
    ),
    (
        "Accountability",
        "Lack of rigor in holding people accountable to customer experience (squeaky wheel "
        "issues are lobbed to a team and followed with “did you get it done?” versus “how did "
        "this improve our customers' lives?”)",
        "Teams are aligned around the customer journey and hold themselves accountable to "
        "improve the customer experience",
    ),
    (
        "Investment",
        "Annual planning and IT investment are accomplished silo by silo versus being oriented "
        "around the customer journey",
        "Annual planning and IT investment target specific customer experience improvement goals",
    ),
    (
        "Organisation",
        "“Power core” driven; a particular organisational function dominates decision making "
        "(finance or sales, for example)",
        "Customer driven; the impact of decisions starts with the question “What does this "
        "mean to our customer?”",
    ),
]

OBSESSED = {
    "key": "obsessed",
    "name": "Obsessed or reactive?",
    "minutes": 3,
    "description": "Where do we stand between a customer-obsessed and a customer-reactive "
    "culture, on six dimensions?",
    "source": "The customer obsessed versus customer reactive table (“So: is your company "
    "customer obsessed? Or customer reactive?”)",
    "sections": [
        {
            "title": "Obsessed or reactive?",
            "intro": "For each dimension, choose the point between the two statements that "
            "best describes how we work today: 1 is fully customer-reactive, 7 fully "
            "customer-obsessed.",
            "questions": [
                question(
                    f"obsessed-{n:02d}",
                    "bipolar_7",
                    name,
                    low_label=reactive,
                    high_label=obsessed,
                    choices=scale(7, "Customer reactive", "Customer obsessed"),
                )
                for n, (name, reactive, obsessed) in enumerate(OBSESSED_DIMENSIONS, start=1)
            ],
        }
    ],
}

OBSTACLE_TEXTS = [
    (
        "Lack of understanding that customer satisfaction is holistic",
        "It is about a consistent customer experience: every department works to satisfy the "
        "customer, not its own interest.",
    ),
    (
        "Lack of accountability",
        "We don't live the “it is our problem until it is no longer yours” ethos.",
    ),
    (
        "A culture of “not my problem”",
        "Silos insulate us from responsibilities outside our job description.",
    ),
    (
        "Customer knowledge ignored, or not acted upon",
        "We have customer data, yet ignore it or lack the ability to act on it.",
    ),
    (
        "Rewarding behaviour that is not customer-focused",
        "People are rewarded for their output, not their outcomes.",
    ),
    (
        "Mindset",
        "We grow because of market and financial pressure, not to learn from and serve our "
        "customers.",
    ),
    (
        "Lack of freedom to “do the right thing”",
        "People serving customers know what to do, but are unable to do it.",
    ),
]

OBSTACLES = {
    "key": "obstacles",
    "name": "Obstacles",
    "minutes": 2,
    "description": "How much does each obstacle to customer focus hold us back?",
    "source": "“6 Obstacles to customer focus paradise”, with Kevin McFarthing's seventh.",
    "sections": [
        {
            "title": "What holds us back?",
            "intro": "For each obstacle: how much does it hold us back today?",
            "questions": [
                question(
                    f"obstacles-{n:02d}",
                    "rating_5",
                    title,
                    help_text=detail,
                    low_label="Not at all",
                    high_label="A great deal",
                    reverse_scored=True,
                    choices=scale(5, "Not at all", "A great deal", reverse=True),
                )
                for n, (title, detail) in enumerate(OBSTACLE_TEXTS, start=1)
            ],
        }
    ],
}

TRUST = {
    "key": "trust",
    "name": "Trust customer feedback",
    "minutes": 3,
    "description": "When customer feedback conflicts with our metrics, do we trust the "
    "customer and dig deeper?",
    "source": "John Rossman, “Beautifully, Wonderfully Dissatisfied”: the principle “Trust "
    "Customer Feedback” and “Resist Proxies”.",
    "sections": [
        {
            "title": "Trust customer feedback",
            "intro": "“When customer feedback conflicts with our metrics, we trust the customer "
            "feedback and dig deeper.”",
            "questions": [
                question(
                    "trust-01",
                    "choice",
                    "When what customers tell us conflicts with our metrics, our processes and "
                    "our surveys, what do we do?",
                    choices=[
                        (1, "We trust the customer feedback and dig deeper", 100, False),
                        (2, "It depends on who raises it", 50, False),
                        (3, "We trust our metrics, processes and surveys", 0, True),
                        (9, "Don't know", None, False),
                    ],
                    comment_prompt=COMMENT,
                ),
                question(
                    "trust-02",
                    "multi_choice",
                    "Which listening mechanisms do we have?",
                    help_text="Tick every one that exists and is used.",
                    choices=choices_of(
                        [
                            "A voice of the customer programme",
                            "Social listening",
                            "Service levels (SLAs) for the worst customer experiences",
                            "Targeted surveys of specific customers and situations",
                            "None of these",
                        ]
                    ),
                ),
                question(
                    "trust-03",
                    "text",
                    "Tell us a real customer story: a time a customer was delighted or "
                    "“wonderfully dissatisfied”, and what we did about it.",
                    help_text="Anecdotes, not only averages. Leave out names, of customers and "
                    "of colleagues.",
                    required=False,
                ),
            ],
        }
    ],
}

BUILTIN_INSTRUMENTS = [CHECKLIST, CONVERSATION, OBSESSED, OBSTACLES, TRUST]


def default_choices(spec: dict) -> list[tuple]:
    if "choices" in spec:
        return spec["choices"]
    if spec["kind"] == "rating_5":
        return scale(5, spec["low_label"], spec["high_label"])
    return []


def load_builtin_instruments(apps: Any) -> None:
    """Create version 1 of every built-in instrument that does not exist yet."""
    Instrument = apps.get_model("assessment", "Instrument")
    Section = apps.get_model("assessment", "Section")
    Question = apps.get_model("assessment", "Question")
    Choice = apps.get_model("assessment", "Choice")
    for spec in BUILTIN_INSTRUMENTS:
        instrument, created = Instrument.objects.get_or_create(
            organisation=None,
            key=spec["key"],
            version=1,
            defaults={
                "name": spec["name"],
                "description": spec["description"],
                "source": spec["source"],
                "minutes": spec["minutes"],
            },
        )
        if not created:
            continue
        for s_pos, section_spec in enumerate(spec["sections"], start=1):
            section = Section.objects.create(
                instrument=instrument,
                position=s_pos,
                title=section_spec["title"],
                intro=section_spec.get("intro", ""),
            )
            for q_pos, q in enumerate(section_spec["questions"], start=1):
                created_q = Question.objects.create(
                    section=section,
                    instrument=instrument,
                    position=q_pos,
                    code=q["code"],
                    kind=q["kind"],
                    text=q["text"],
                    help_text=q.get("help_text", ""),
                    required=q.get("required", True),
                    low_label=q.get("low_label", ""),
                    high_label=q.get("high_label", ""),
                    comment_prompt=q.get("comment_prompt", ""),
                    reverse_scored=q.get("reverse_scored", False),
                )
                Choice.objects.bulk_create(
                    Choice(
                        question=created_q,
                        position=c_pos,
                        value=value,
                        label=label,
                        score=score,
                        unfavourable=unfavourable,
                    )
                    for c_pos, (value, label, score, unfavourable) in enumerate(
                        default_choices(q), start=1
                    )
                )
