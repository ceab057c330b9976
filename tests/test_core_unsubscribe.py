"""The one-click unsubscribe page: a GET changes nothing, a POST turns off only the named kind,
and a bad or tampered token gets a clear 400 page."""

import pytest
from django.urls import reverse

from rabta.accounts.tests.factories import UserFactory
from rabta.core.models import NoticePreference
from rabta.core.preferences import unsubscribe_token

pytestmark = pytest.mark.django_db


def _url(user, kind):
    return reverse("core:unsubscribe", args=[unsubscribe_token(user.pk, kind)])


def test_a_get_shows_one_button_and_changes_nothing(client):
    user = UserFactory()
    page = client.get(_url(user, "braingain.proposal"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "A new proposal" in body
    assert body.count('<form method="post">') == 1
    assert not NoticePreference.objects.exists()


def test_a_post_turns_off_only_that_kind_for_only_that_person(client):
    user, other = UserFactory(), UserFactory()
    NoticePreference.objects.create(user=other, kind="braingain.proposal", delivery="now")
    response = client.post(_url(user, "braingain.proposal"))
    assert response.status_code == 200
    assert reverse("accounts:notifications") in response.content.decode()
    assert list(NoticePreference.objects.values_list("user_id", "kind", "delivery")) == [
        (other.pk, "braingain.proposal", "now"),
        (user.pk, "braingain.proposal", "inapp"),
    ]
    client.post(_url(user, "braingain.proposal"))  # a second click is harmless
    assert NoticePreference.objects.filter(user=user).count() == 1


def test_a_signed_in_person_with_an_unverified_address_can_still_unsubscribe(client):
    user = UserFactory(email_verified_at=None)
    client.force_login(user)
    response = client.post(_url(user, "community.reply"))
    assert response.status_code == 200
    assert NoticePreference.objects.get(user=user).delivery == "inapp"


def test_the_page_speaks_the_persons_language(client):
    user = UserFactory(preferred_language="ur")
    page = client.get(_url(user, "braingain.proposal")).content.decode()
    assert 'dir="rtl"' in page


@pytest.mark.parametrize(
    "token",
    [
        "nonsense",
        "eyJ1IjoxLCJrIjoiYnJhaW5nYWluLnByb3Bvc2FsIn0:forged",
    ],
)
def test_a_bad_token_gets_a_clear_400_page_and_changes_nothing(client, token):
    UserFactory()
    for method in (client.get, client.post):
        response = method(reverse("core:unsubscribe", args=[token]))
        assert response.status_code == 400
        assert "This link does not work" in response.content.decode()
    assert not NoticePreference.objects.exists()


def test_a_token_for_another_salt_kind_or_person_is_refused(client):
    from django.core import signing

    user = UserFactory()
    other_salt = signing.Signer(salt="elsewhere").sign_object(
        {"u": user.pk, "k": "community.reply"}
    )
    undeclared = unsubscribe_token(user.pk, "community.nothing")
    nobody = unsubscribe_token(user.pk + 1000, "community.reply")
    for token in (other_salt, undeclared, nobody):
        assert client.post(reverse("core:unsubscribe", args=[token])).status_code == 400
    assert not NoticePreference.objects.exists()


def test_a_tampered_token_naming_another_kind_is_refused(client):
    user = UserFactory()
    token = unsubscribe_token(user.pk, "community.reply")
    payload, signature = token.rsplit(":", 1)
    swapped = unsubscribe_token(user.pk, "braingain.request").rsplit(":", 1)[0]
    forged = f"{swapped}:{signature}"
    assert payload != swapped
    assert client.post(reverse("core:unsubscribe", args=[forged])).status_code == 400
    assert not NoticePreference.objects.exists()
