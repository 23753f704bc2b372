"""Every Instruments page of one questionnaire, for the walks that open every page."""

from django.urls import reverse

# The Instruments routes that answer with a file to download.
INSTRUMENT_EXPORTS = {"instruments:export"}


def instrument_urls(*, key: str, codes: list[str]) -> dict[str, list[str]]:
    """The Instruments pages of the organisation's questionnaire `key` (each of its
    questions `codes`), and a built-in one's."""
    ours = {"key": key}
    return {
        "instruments:list": [reverse("instruments:list")],
        "instruments:builtin": [reverse("instruments:builtin", kwargs={"key": "checklist"})],
        "instruments:builtin-preview": [
            reverse("instruments:builtin-preview", kwargs={"key": "checklist"})
        ],
        **{
            name: [reverse(name, kwargs=ours)]
            for name in (
                "instruments:edit",
                "instruments:preview",
                "instruments:export",
                "instruments:details",
                "instruments:question-add",
            )
        },
        "instruments:page": [reverse("instruments:page", kwargs={**ours, "position": 1})],
        "instruments:question": [
            reverse("instruments:question", kwargs={**ours, "code": code}) for code in codes
        ],
    }
