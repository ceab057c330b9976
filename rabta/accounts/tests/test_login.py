import pytest
from django.urls import reverse

from rabta.accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _login(client, email, password, ip="10.0.0.1"):
    return client.post(
        reverse("accounts:login"), {"username": email, "password": password}, REMOTE_ADDR=ip
    )


def test_login_with_email_in_any_case(client):
    UserFactory(email="zara@example.pk")
    response = _login(client, "ZARA@example.pk", PASSWORD)
    assert response.status_code == 302
    assert client.get(reverse("accounts:home")).status_code == 200


def test_wrong_password_is_refused(client):
    UserFactory(email="zara@example.pk")
    response = _login(client, "zara@example.pk", "wrong")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_an_account_is_locked_after_repeated_failures_from_any_address(client, settings):
    UserFactory(email="target@example.pk")
    for n in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "target@example.pk", f"guess-{n}", ip=f"198.51.100.{n}")

    response = _login(client, "target@example.pk", PASSWORD, ip="203.0.113.9")

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_many_people_behind_one_nat_address_are_not_locked_out(client, settings):
    """A campus shares one address: fifty people mistyping once each lock nobody out."""
    users = [UserFactory(email=f"student{n}@example.pk") for n in range(50)]
    for user in users:
        _login(client, user.email, "typo", ip="192.0.2.1")
    for user in users[:5]:
        response = _login(client, user.email, PASSWORD, ip="192.0.2.1")
        assert response.status_code == 302
        client.logout()


def test_successful_login_resets_the_failure_count(client, settings):
    UserFactory(email="zara@example.pk")
    for _round in range(3):
        for n in range(settings.AXES_FAILURE_LIMIT - 1):
            _login(client, "zara@example.pk", f"typo-{n}")
        assert _login(client, "zara@example.pk", PASSWORD).status_code == 302
        client.logout()


def test_login_redirect_refuses_other_sites(client):
    UserFactory(email="zara@example.pk")
    response = client.post(
        reverse("accounts:login") + "?next=https://evil.example/",
        {"username": "zara@example.pk", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


def test_argon2_is_the_production_hasher_with_tuned_cost():
    from config.settings import base
    from rabta.accounts.hashers import TunedArgon2PasswordHasher

    assert base.PASSWORD_HASHERS[0] == "rabta.accounts.hashers.TunedArgon2PasswordHasher"
    encoded = TunedArgon2PasswordHasher().encode("secret-passphrase", "c2FsdHNhbHRzYWx0")
    assert encoded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert TunedArgon2PasswordHasher().verify("secret-passphrase", encoded)
    assert not TunedArgon2PasswordHasher().verify("other", encoded)


def test_the_lockout_key_is_the_stored_address_however_it_is_typed(rf):
    from rabta.accounts.views import lockout_key

    UserFactory(email="sisi@example.pk")
    request = rf.post("/accounts/login/")
    assert lockout_key(request, {"username": "  SISI@example.PK "}) == "sisi@example.pk"
    assert lockout_key(request, {"username": "nobody@example.pk"}) == "nobody@example.pk"
