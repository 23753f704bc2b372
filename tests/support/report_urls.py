"""Every page and file of one round's report, for the walks that open every page."""

from django.urls import reverse

# The formats of a download, and the pages that prepare one.
EXPORTS, DOWNLOAD_PAGES = ("pdf", "xlsx", "json"), ("reports:download", "reports:download-progress")


def report_urls(*, pk: int, departments: list[int], codes: list[str]) -> dict[str, list[str]]:
    """The report of round `pk`: its overview, the `departments` (ids), the questions
    `codes`, the comments and words of the whole and of each department, and the files."""

    def listing(name: str) -> list[str]:
        url = reverse(name, kwargs={"pk": pk})
        return [url] + [f"{url}?department={d}" for d in departments]

    def one(name: str) -> list[str]:
        return [reverse(name, kwargs={"pk": pk})]

    return {
        "reports:overview": one("reports:overview"),
        "reports:department": [
            reverse("reports:department", kwargs={"pk": pk, "department": d}) for d in departments
        ],
        "reports:question": [
            reverse("reports:question", kwargs={"pk": pk, "code": code}) for code in codes
        ],
        "reports:comments": listing("reports:comments"),
        "reports:words": listing("reports:words"),
        "reports:progress": one("reports:progress"),
        "reports:commitment-new": one("reports:commitment-new"),
        **{f"reports:{f}": one(f"reports:{f}") for f in EXPORTS},
        **{n: [reverse(n, args=[pk, f]) for f in EXPORTS] for n in DOWNLOAD_PAGES},
    }
