"""Whatever arrives in an answer form — unknown fields, huge values, broken UTF-8, values
outside the scale — gives a clear error or a valid result: never a server error, and
never anything kept that the form did not accept."""

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessment.forms.answering import MAX_TEXT_LENGTH
from assessment.models import DraftPage, QuestionKind, Response

pytestmark = pytest.mark.django_db

# A huge value is a short text repeated past the limit: drawn character by character, a
# dozen 4,000-character values would exceed Hypothesis's budget for one example.
huge_text = st.builds(
    lambda piece, extra: (piece * (MAX_TEXT_LENGTH + extra))[: MAX_TEXT_LENGTH + extra],
    st.text(min_size=1, max_size=5),
    st.integers(min_value=0, max_value=50),
)
junk_text = st.one_of(
    st.text(max_size=50),
    huge_text,
    st.sampled_from(["-1", "0", "8", "99999999999999999999", "1.5", "1e9", " 3 ", "\x00", "<b>"]),
)


def valid_values(question) -> set:
    return {c.value for c in question.choices.all()}


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_any_post_to_a_page_is_a_clear_answer_and_keeps_only_valid_values(
    invitation_link, pages, data
):
    _, link = invitation_link()
    client = Client()
    client.get(link)
    number = data.draw(st.integers(min_value=1, max_value=len(pages)), label="page")
    section = pages[number - 1]
    codes = [q.code for q in section.questions.all()]
    fields = codes + [f"{c}-comment" for c in codes] + ["action", "unknown", "csrfmiddlewaretoken"]
    post = data.draw(
        st.dictionaries(
            st.one_of(st.sampled_from(fields), st.text(max_size=20)),
            st.one_of(junk_text, st.lists(junk_text, max_size=4)),
            max_size=12,
        ),
        label="post",
    )

    response = client.post(reverse("respondent:page", kwargs={"number": number}), post)

    assert response.status_code in (200, 302)
    draft = DraftPage.objects.filter(section=section).first()
    kept = draft.data if draft else {}
    for question in section.questions.all():
        value = kept.get(question.code)
        if value is None:
            continue
        if question.kind == QuestionKind.TEXT:
            assert isinstance(value, str) and len(value) <= MAX_TEXT_LENGTH
        elif question.kind == QuestionKind.MULTI_CHOICE:
            assert set(value) <= valid_values(question)
        else:
            assert value in valid_values(question)
    assert set(kept) <= set(codes) | {f"{c}-comment" for c in codes}
    assert Response.objects.count() == 0
    DraftPage.objects.all().delete()


def test_a_body_that_is_not_utf8_is_refused_cleanly(client, invitation_link, pages):
    _, link = invitation_link()
    client.get(link)
    response = client.post(
        reverse("respondent:page", kwargs={"number": 1}),
        data=b"checklist-01=\xff\xfe&action=next",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code in (200, 400)
    assert not DraftPage.objects.filter(data__has_key="checklist-01").exists()
