"""Every community page renders for the people it is for."""

from __future__ import annotations

import pytest
from django.urls import reverse

from rabta.accounts.tests.factories import login_with_second_factor
from rabta.community import services
from rabta.community.tests import factories as f

pytestmark = pytest.mark.django_db


def test_pages_render_for_members_and_staff(client):
    place = f.chapter()
    person = f.contributor()
    services.chapter_join(user=person, chapter=place) if not place.memberships.filter(
        user=person
    ).exists() else None
    services.member_ensure(user=person)
    t = f.thread(person)
    services.reply_create(user=person, thread=t, body="Reply with @nobody")
    client.force_login(person)
    for url in [
        reverse("community:home"),
        reverse("community:chapters"),
        reverse("community:chapter", args=[place.slug]),
        reverse("community:forums"),
        reverse("community:category", args=["renewable-energy"]),
        reverse("community:thread", args=[t.pk]),
        reverse("community:search") + "?q=inverter",
        reverse("community:hall_of_fame"),
        reverse("community:nominate"),
        reverse("community:calls"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
    admin = f.staff()
    login_with_second_factor(client, admin)
    for url in [
        reverse("community:nominations_review"),
        reverse("community:calls"),
        reverse("community:chapters"),
    ]:
        assert client.get(url).status_code == 200, url
