"""A fresh installation's home page says what to run, instead of a sign-in dead end."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from assessment.views.home import FIRST_RUN_COMMAND

pytestmark = pytest.mark.django_db


def test_with_no_organisation_the_home_page_shows_the_command_to_run(client):
    page = client.get(reverse("home")).content.decode()

    assert "Set up your organisation" in page
    assert escape(FIRST_RUN_COMMAND) in page
    # No way to a sign-in page nobody can use yet.
    assert f'href="{reverse("login")}"' not in page


def test_once_there_is_an_organisation_the_home_page_offers_to_sign_in(client, organisation):
    page = client.get(reverse("home")).content.decode()

    assert "Set up your organisation" not in page
    assert "create_organisation" not in page
    assert f'href="{reverse("login")}"' in page
