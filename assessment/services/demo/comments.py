"""The demo's comments: put together from an observation, an example and sometimes a wish,
so that hundreds of simulated people do not all write the same dozen sentences."""

import random

OBSERVATIONS = [
    "We talk about customers a lot in leadership meetings, much less on the floor.",
    "The weekly huddle is where the real conversation happens.",
    "People say what they think, but decisions are made elsewhere.",
    "Commitments get made in meetings and quietly dropped a month later.",
    "Nobody really owns this; it depends on who shouts loudest.",
    "Our team lead asks every week what customers told us.",
    "We rarely hear from the people who actually talk to customers.",
    "It feels like a box-ticking exercise at times.",
    "Customers are invited to our product reviews, which changes the tone.",
    "Suppliers are treated as vendors, not partners.",
    "Metrics win every argument, even when complaints say otherwise.",
    "There is real energy here when we get time to fix root causes.",
    "Managers listen, but the answer is usually that there is no budget.",
    "Our best conversations happen after a customer has complained.",
    "New starters ask the most useful questions about customers.",
    "The dashboard is discussed more than the customers behind it.",
    "Front-line feedback reaches the top only when it is bad news.",
    "Cross-team meetings are rare, so each team sees a slice of the customer.",
]
EXAMPLES = [
    "Last month a returns problem took three meetings before anyone called the customer.",
    "When we changed the delivery slots, nobody asked the drivers first.",
    "The quarterly review spent ten minutes on customers and an hour on costs.",
    "A colleague in the contact centre keeps a list of what customers ask for; nobody reads it.",
    "We fixed the invoice layout only after a customer wrote to the CEO.",
    "In our stand-up we read one customer comment aloud each morning.",
    "The app rating dropped for weeks before it came up in a meeting.",
    "Our supplier spotted the packaging issue before we did.",
    "The last survey results were presented, but nothing changed afterwards.",
    "A store manager started inviting two customers to the monthly review.",
    "The complaints report goes out on Fridays and is rarely opened.",
    "Sales and service still use different words for the same customers.",
    "The away day produced a good list, and nobody owns it now.",
    "We celebrate the NPS score but never the fixes behind it.",
]
WISHES = [
    "I would like us to hear customers directly, not through a report.",
    "It would help if someone followed up what we agree.",
    "More time for root causes, please.",
    "Invite the front line to the meetings where this is decided.",
    "Share what happened after the last round.",
    "Keep the huddles; they work.",
    "Bring a customer into the room once a quarter.",
    "Stop measuring what is easy and start asking what matters.",
]


def demo_comment(rng: random.Random) -> str:
    """One comment: an observation, often an example, now and then a wish."""
    parts = [rng.choice(OBSERVATIONS)]
    if rng.random() < 0.6:
        parts.append(rng.choice(EXAMPLES))
    if rng.random() < 0.3:
        parts.append(rng.choice(WISHES))
    return " ".join(parts)
