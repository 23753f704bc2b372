"""The demo organisation: a two-level department tree, about 300 people at three levels, an
open round with all five instruments, and simulated answers that differ plausibly by
department and level (executives see the conversation from the stands, the front line from
the arena).

The package: `create` (the whole organisation, in order), `people`, `rounds`, `answers`
(the simulated answers), `workshops` (and their commitments) and `data` (what the demo is
made of)."""

from .answers import simulated_page
from .create import DemoResult, demo_organisation_create
from .data import DEMO_PASSWORD, DEMO_SLUG, WORDS_BY_DEPARTMENT
from .people import demo_logins
from .rounds import demo_links

__all__ = [
    "DEMO_PASSWORD",
    "DEMO_SLUG",
    "WORDS_BY_DEPARTMENT",
    "DemoResult",
    "demo_links",
    "demo_logins",
    "demo_organisation_create",
    "simulated_page",
]
