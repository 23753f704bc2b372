"""What the demo organisation is made of: its departments and levels, names, the words,
comments and stories its people write, and the staff accounts."""

from assessment.models import CommitmentStatus, LevelKind, Role

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
LEVEL_BIAS: dict[str, float] = {
    LevelKind.EXECUTIVE: 0.22,
    LevelKind.MANAGER: 0.08,
    LevelKind.FRONT_LINE: -0.08,
}

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
STORIES = [
    "A customer waited three weeks for a refund; we changed the approval step the week after.",
    "A delivery went to the wrong address twice. The driver fixed it on his own initiative.",
    "A long-time customer told us our new invoice was impossible to read. We redesigned it.",
    "Someone in the contact centre stayed on the line until the order was sorted. The "
    "customer wrote to the CEO.",
    "Our NPS was up, but complaints about the app doubled. It took months to look into it.",
    "A customer suggested a simpler returns form. We built it in a fortnight.",
]


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


PURPOSE = (
    "Where does customer-centricity live at Northwind? We are asking everyone — executives, "
    "managers and the front line — how we talk about customers, and what stands in our way. "
    "The results will be shared with every team, and each department will hold a workshop "
    "to decide what to change."
)


# A workshop after each round: (name, round, top-level department, held so many days ago,
# commitments). A commitment is (what, who, due so many days from today,
# status): negative days have passed.
WORKSHOPS = [
    (
        "Operations away day",
        "spring",
        "Operations",
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
        "autumn",
        "Customer Service",
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
WORKSHOP_QUESTIONS = ["conversation-03", "conversation-06", "conversation-07"]
WORKSHOP_HEAD_COUNT = 12
