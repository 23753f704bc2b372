"""A workshop participant through the pages, as a phone does: joining with the code and
answering the room's questions."""

from django.urls import reverse

from assessment.models import LevelKind
from tests.conftest import level


def join(client, workshop, kind: str = LevelKind.FRONT_LINE):
    """Type the code as people do (lower case, a space), then say a level and department."""
    typed = f"{workshop.join_code[:3].lower()} {workshop.join_code[3:]}"
    found = client.get(reverse("join"), {"code": typed})
    assert found["Location"] == reverse("join-workshop", kwargs={"code": workshop.join_code})
    joined = client.post(
        found["Location"],
        {
            "level": level(workshop.organisation, kind).pk,
            "department": workshop.organisation.departments.order_by("path").first().pk,
        },
    )
    assert joined["Location"] == reverse("room:now")


def send(client, position: int, answer, comment: str = ""):
    """Answer the room's question at `position` through its page, as a phone does."""
    return client.post(
        reverse("room:question", kwargs={"position": position}),
        {"answer": answer, "comment": comment},
        follow=True,
    )
