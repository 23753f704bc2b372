"""What an organisation calls its customers, put into a copied instrument's wording."""

import pytest
from django.urls import reverse

from assessment.models import Instrument, Question
from assessment.services.instrument_words import CustomerWords, words_substitute
from tests.support.instruments import builtin

MEMBERS = CustomerWords(one="member", many="members")


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("Who are your customers?", "Who are your members?"),
        ("Customers first; the customer decides.", "Members first; the member decides."),
        ("CUSTOMER FOCUS", "MEMBER FOCUS"),
        ("our customer's view", "our member's view"),
        ("A customer-centric business", "A customer-centric business"),
        ("customer-obsessed or customer-reactive", "customer-obsessed or customer-reactive"),
        ("a customer story", "a member story"),
    ],
)
def test_customer_words_become_ours_with_their_capitals_and_compounds_kept(before, after):
    assert words_substitute(before, MEMBERS) == after


def test_a_customer_becomes_an_before_a_vowel():
    residents = CustomerWords(one="inhabitant", many="inhabitants")

    assert words_substitute("A customer and a customer", residents) == (
        "An inhabitant and an inhabitant"
    )


@pytest.mark.django_db
def test_the_preview_lists_every_change_and_copies_nothing_until_asked(
    organisation, instruments, staff
):
    url = reverse("instruments:builtin", kwargs={"key": "checklist"})
    words = {"customer_word": "member", "customers_word": "members"}

    preview = staff["facilitator"].post(url, {**words, "action": "preview"})

    assert preview.status_code == 200
    assert "10 texts will change" in preview.text
    assert "Do you know which of your members are most valuable to you?" in preview.text
    assert not Instrument.objects.filter(organisation=organisation).exists()

    copied = staff["facilitator"].post(url, {**words, "action": "copy"})

    assert copied["Location"] == reverse("instruments:edit", kwargs={"key": "checklist"})
    texts = Question.objects.filter(instrument__organisation=organisation).values_list(
        "text", flat=True
    )
    assert not [t for t in texts if "customer" in t.lower().replace("customer-", "")]
    assert builtin("checklist").questions.get(code="checklist-02").text == (
        "Do you know which of your customers are most valuable to you?"
    )
