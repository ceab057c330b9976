import pytest
from django.urls import reverse

from rabta.accounts.roles import Role
from rabta.accounts.tests.factories import UserFactory, login_with_second_factor, user_with_role
from rabta.core.models import Notification

pytestmark = pytest.mark.django_db


def test_the_home_page_invites_strangers_and_sends_members_to_their_account(client):
    anonymous = client.get(reverse("home")).content.decode()
    assert reverse("accounts:signup") in anonymous
    assert reverse("accounts:home") not in anonymous

    client.force_login(UserFactory(roles=[Role.ENGINEER]))
    member = client.get(reverse("home")).content.decode()
    assert reverse("accounts:home") in member


def test_the_navigation_counts_unread_notices_and_follows_the_roles(client):
    user = UserFactory(roles=[Role.ENGINEER])
    Notification.objects.create(user=user, kind="test.one", title="One", key="one")
    Notification.objects.create(user=user, kind="test.two", title="Two", key="two")
    client.force_login(user)
    page = client.get(reverse("home")).content.decode()
    assert "Inbox (2)" in page
    assert reverse("portfolio:home") in page
    assert reverse("accounts:verification_queue") not in page


def test_staff_see_the_pages_their_permissions_open(client):
    login_with_second_factor(client, user_with_role(Role.PROGRAMME_STAFF))
    page = client.get(reverse("home")).content.decode()
    assert reverse("accounts:verification_queue") in page
    assert reverse("portfolio:home") not in page
