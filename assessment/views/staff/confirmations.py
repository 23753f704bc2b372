"""What the confirmation steps say will happen, in numbers, before a round is launched or
closed and before a workshop is closed; and why a reminder would reach nobody. The
sentences are constants so that the tests read the same words the pages show."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.defaultfilters import pluralize
from django.urls import reverse

from assessment.models import Round, Workshop
from assessment.selectors.rounds import LaunchPreview, WaitingCounts

LAUNCH_INVITES = "{invited} {people} will be invited, each with a personal link."
LAUNCH_EMAILS = "{emailed} invitation e-mail{s} will be sent now."
LAUNCH_NO_ADDRESS = (
    "{count} of them {have} no e-mail address on the roster and will not be e-mailed."
)
LAUNCH_FREEZES = (
    "Each person's department and level are frozen for this round; the questionnaires can no "
    "longer be changed and the anonymity thresholds can only be raised."
)
CLOSE_NO_EMAIL = "No e-mail is sent."
CLOSE_WAITING = (
    "{waiting} {people} who {have} not submitted will no longer be able to answer: their "
    "links will say the round is closed."
)
CLOSE_DRAFTS = "{started} of them started and will not be able to finish: drafts are not counted."
CLOSE_EVERYONE = "Everyone invited has submitted."
CLOSE_REPORT = (
    "The final culture report is built from the submitted answers. You can reopen the round "
    "later with a new closing date."
)
NOBODY_WAITING = "No reminder was sent: everyone invited has already submitted."
NOBODY_EMAILED = (
    "No reminder was sent: none of the {waiting} {people} who have not submitted was e-mailed "
    "an invitation (the round was launched without sending e-mails), so there is no one to "
    "remind by e-mail. Share their links another way."
)


def _people(count: int) -> str:
    return "person" if count == 1 else "people"


def launch_consequences(preview: LaunchPreview) -> list[str]:
    lines = [
        LAUNCH_INVITES.format(invited=preview.invited, people=_people(preview.invited)),
        LAUNCH_EMAILS.format(emailed=preview.emailed, s=pluralize(preview.emailed)),
    ]
    missing = preview.invited - preview.emailed
    if missing:
        lines.append(LAUNCH_NO_ADDRESS.format(count=missing, have=pluralize(missing, "has,have")))
    return [*lines, LAUNCH_FREEZES]


def close_consequences(waiting: WaitingCounts) -> list[str]:
    lines = [CLOSE_NO_EMAIL]
    if waiting.waiting:
        lines.append(
            CLOSE_WAITING.format(
                waiting=waiting.waiting,
                people=_people(waiting.waiting),
                have=pluralize(waiting.waiting, "has,have"),
            )
        )
        if waiting.started:
            lines.append(CLOSE_DRAFTS.format(started=waiting.started))
    else:
        lines.append(CLOSE_EVERYONE)
    return [*lines, CLOSE_REPORT]


def nobody_to_remind(waiting: WaitingCounts) -> str:
    if not waiting.waiting:
        return NOBODY_WAITING
    return NOBODY_EMAILED.format(waiting=waiting.waiting, people=_people(waiting.waiting))


WORKSHOP_CLOSE_ROOM = (
    "The {joined} {people} who joined can no longer answer: their phones will say the "
    "workshop is closed, and the join code stops working."
)
WORKSHOP_CLOSE_SUMMARY = (
    "The screen shows the summary; the room's answers stay as they are, shown only where at "
    "least {threshold} answered."
)


def workshop_close_consequences(joined: int, threshold: int) -> list[str]:
    return [
        CLOSE_NO_EMAIL,
        WORKSHOP_CLOSE_ROOM.format(joined=joined, people=_people(joined)),
        WORKSHOP_CLOSE_SUMMARY.format(threshold=threshold),
    ]


def confirm_page(
    request: HttpRequest,
    *,
    heading: str,
    crumbs: list[tuple[str, str | None]],
    consequences: list[str],
    button: str,
    cancel_url: str,
    danger: bool = False,
) -> HttpResponse:
    """The confirmation step: posts the same form again, confirmed."""
    return render(
        request,
        "assessment/staff/confirm.html",
        {
            "heading": heading,
            "crumbs": [*crumbs, (heading, None)],
            "consequences": consequences,
            "action_url": request.path,
            "button": button,
            "button_class": "btn-danger" if danger else "btn-primary",
            "cancel_url": cancel_url,
        },
    )


def round_confirm_page(
    request: HttpRequest, round_: Round, heading: str, consequences: list[str], button: str
) -> HttpResponse:
    detail = reverse("rounds:detail", kwargs={"pk": round_.pk})
    return confirm_page(
        request,
        heading=heading,
        crumbs=[("Rounds", reverse("rounds:list")), (round_.name, detail)],
        consequences=consequences,
        button=button,
        cancel_url=detail,
        danger=round_.status != "draft",
    )


def workshop_close_page(
    request: HttpRequest, workshop: Workshop, joined: int, back: str
) -> HttpResponse:
    detail = reverse("workshops:detail", kwargs={"pk": workshop.pk})
    return confirm_page(
        request,
        heading=f"Close “{workshop.name}”?",
        crumbs=[("Workshops", reverse("workshops:list")), (workshop.name, detail)],
        consequences=workshop_close_consequences(joined, workshop.threshold),
        button="Close the workshop",
        cancel_url=reverse(back, kwargs={"pk": workshop.pk}),
        danger=True,
    )
