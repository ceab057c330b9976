import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from rabta.accounts.roles import Role
from rabta.accounts.tests.factories import PASSWORD, UserFactory, user_with_role

pytestmark = pytest.mark.django_db


def _code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


@pytest.mark.parametrize("role", [Role.PROGRAMME_STAFF, Role.COUNCIL_ANALYST, Role.ADMINISTRATOR])
def test_privileged_roles_must_enrol_a_second_factor(client, role):
    user = UserFactory(roles=[role])
    client.force_login(user)
    response = client.get(reverse("accounts:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two_factor_setup"))


def test_engineers_are_not_asked_for_a_second_factor(client):
    client.force_login(UserFactory(roles=[Role.ENGINEER]))
    assert client.get(reverse("accounts:home")).status_code == 200


def test_enrolment_confirms_the_device_and_issues_backup_codes(client):
    user = UserFactory(roles=[Role.PROGRAMME_STAFF])
    client.force_login(user)
    page = client.get(reverse("accounts:two_factor_setup"))
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=user)

    done = client.post(reverse("accounts:two_factor_setup"), {"token": _code(device)})
    assert done.status_code == 200
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    assert StaticToken.objects.filter(device__user=user).count() == 10
    assert client.get(reverse("accounts:home")).status_code == 200


def test_a_wrong_enrolment_code_confirms_nothing(client):
    user = UserFactory(roles=[Role.PROGRAMME_STAFF])
    client.force_login(user)
    client.get(reverse("accounts:two_factor_setup"))
    device = TOTPDevice.objects.get(user=user)
    wrong = f"{(int(_code(device)) + 1) % 1_000_000:06d}"
    response = client.post(reverse("accounts:two_factor_setup"), {"token": wrong})
    assert "not right" in response.content.decode()
    assert not TOTPDevice.objects.get(pk=device.pk).confirmed
    assert client.get(reverse("accounts:home")).status_code == 302


def test_a_backup_code_works_once(client):
    user = user_with_role(Role.COUNCIL_ANALYST)
    from django_otp.plugins.otp_static.models import StaticDevice

    static = StaticDevice.objects.create(user=user, name="backup")
    static.token_set.create(token="abcd1234")
    client.force_login(user)
    ok = client.post(reverse("accounts:two_factor_verify"), {"token": "abcd1234"})
    assert ok.status_code == 302
    client.logout()
    client.force_login(user)
    again = client.post(reverse("accounts:two_factor_verify"), {"token": "abcd1234"})
    assert again.status_code == 200
    assert "already used" in again.content.decode()


def test_admin_login_asks_for_the_code(client):
    admin = user_with_role(Role.ADMINISTRATOR)
    device = TOTPDevice.objects.get(user=admin)
    without = client.post(
        reverse("admin:login"), {"username": admin.email, "password": PASSWORD, "otp_token": ""}
    )
    assert "_auth_user_id" not in client.session
    assert without.status_code == 200
    with_code = client.post(
        reverse("admin:login"),
        {
            "username": admin.email,
            "password": PASSWORD,
            "otp_device": device.persistent_id,
            "otp_token": _code(device),
        },
    )
    assert with_code.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_verify_redirect_stays_on_this_site(client):
    user = user_with_role(Role.PROGRAMME_STAFF)
    device = TOTPDevice.objects.get(user=user)
    client.force_login(user)
    response = client.post(
        reverse("accounts:two_factor_verify"),
        {"token": _code(device), "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("accounts:home")


def test_a_privileged_account_cannot_be_deleted_or_exported_on_its_password_alone(client):
    staff = user_with_role(Role.PROGRAMME_STAFF)
    client.force_login(staff)
    delete = client.post(reverse("accounts:privacy"), {"password": PASSWORD})
    export = client.post(reverse("accounts:data_export"))
    assert delete.status_code == export.status_code == 302
    assert delete["Location"].startswith(reverse("accounts:two_factor_verify"))
    staff.refresh_from_db()
    assert staff.is_active


def test_an_unverified_person_can_still_delete_their_account(client):
    user = UserFactory(email_verified_at=None)
    client.force_login(user)
    response = client.post(reverse("accounts:privacy"), {"password": PASSWORD})
    assert response.status_code == 302
    assert not type(user).objects.filter(pk=user.pk).exists()
