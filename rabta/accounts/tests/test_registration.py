import re

import pytest
from django.core import mail
from django.urls import reverse

from rabta.accounts.models import User
from rabta.accounts.tests.factories import UserFactory
from rabta.core.models import Event

# Real commits: the verification email is sent after commit, as in production.
pytestmark = pytest.mark.django_db(transaction=True)

GOOD = {
    "display_name": "Hina Baloch",
    "email": "Hina@Example.pk",
    "password": "a-long-enough-passphrase",
    "role": "engineer",
    "consent": "on",
}


def _link_from_outbox() -> str:
    assert len(mail.outbox) == 1
    match = re.search(r"https?://\S+/accounts/verify-email/(\S+)/", mail.outbox[0].body)
    assert match
    return reverse("accounts:verify_email", kwargs={"token": match.group(1)})


def test_signup_creates_an_unverified_engineer_and_sends_one_link(client):
    response = client.post(reverse("accounts:signup"), GOOD)

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:verify_email_sent")
    user = User.objects.get()
    assert user.email == "hina@example.pk"
    assert user.role_names() == {"engineer"}
    assert not user.email_verified
    assert user.password.startswith("md5$")  # hashed by the configured hasher, never plain
    assert mail.outbox[0].to == ["hina@example.pk"]
    assert Event.objects.filter(kind="user.registered").count() == 1


def test_unverified_user_is_held_at_the_verify_page_until_the_link_is_opened(client):
    client.post(reverse("accounts:signup"), GOOD)
    held = client.get(reverse("accounts:engineer_profile"))
    assert held.status_code == 302
    assert held["Location"] == reverse("accounts:verify_email_sent")

    response = client.get(_link_from_outbox())

    assert response.status_code == 302
    assert User.objects.get().email_verified
    assert client.get(reverse("accounts:engineer_profile")).status_code == 200


def test_opening_the_link_twice_is_harmless(client):
    client.post(reverse("accounts:signup"), GOOD)
    link = _link_from_outbox()
    client.get(link)
    first = User.objects.get().email_verified_at
    client.get(link)
    assert User.objects.get().email_verified_at == first
    assert Event.objects.filter(kind="user.email_verified").count() == 1


@pytest.mark.parametrize("token", ["garbage", "a" * 600, "..%2F..%2Fetc", "eyJ1IjoxfQ:bad:sig"])
def test_tampered_links_are_refused_and_verify_nothing(client, token):
    client.post(reverse("accounts:signup"), GOOD)
    response = client.get(reverse("accounts:verify_email", kwargs={"token": token}))
    assert response.status_code == 400
    assert not User.objects.get().email_verified


def test_link_for_an_old_address_does_not_verify_a_changed_one(client):
    client.post(reverse("accounts:signup"), GOOD)
    link = _link_from_outbox()
    User.objects.update(email="other@example.pk")
    assert client.get(link).status_code == 400
    assert not User.objects.get().email_verified


def test_duplicate_email_in_any_case_is_refused_and_creates_nothing(client):
    UserFactory(email="hina@example.pk")
    response = client.post(reverse("accounts:signup"), {**GOOD, "email": "HINA@EXAMPLE.PK"})
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert User.objects.count() == 1
    assert mail.outbox == []


@pytest.mark.parametrize("role", ["programme_staff", "council_analyst", "administrator", "root"])
def test_nobody_can_sign_up_into_a_council_role(client, role):
    response = client.post(reverse("accounts:signup"), {**GOOD, "role": role})
    assert response.status_code == 200
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("password", "short"),
        ("password", "password123"),
        ("email", "not-an-email"),
        ("email", "a@" + "b" * 300 + ".pk"),
        ("display_name", ""),
        ("display_name", "x" * 500),
        ("consent", ""),
    ],
)
def test_bad_signup_fields_get_clear_errors_and_keep_the_other_answers(client, field, value):
    data = {**GOOD, field: value}
    if value == "":
        data.pop(field)
    response = client.post(reverse("accounts:signup"), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'class="error"' in body
    assert "Hina Baloch" in body or field == "display_name"
    assert not User.objects.exists()


def test_hostile_name_is_stored_as_text_and_escaped_on_every_page(client):
    client.post(reverse("accounts:signup"), {**GOOD, "display_name": "<script>alert(1)</script>"})
    client.get(_link_from_outbox())
    body = client.get(reverse("accounts:home")).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_resend_sends_a_fresh_link_only_while_unverified(client):
    client.post(reverse("accounts:signup"), GOOD)
    client.post(reverse("accounts:verify_email_sent"))
    assert len(mail.outbox) == 2
    from django.core.cache import cache

    cache.clear()  # a minute later
    client.get(re.search(r"/accounts/verify-email/\S+/", mail.outbox[1].body).group(0))
    client.post(reverse("accounts:verify_email_sent"))
    assert len(mail.outbox) == 2


def test_resend_is_limited_to_once_a_minute(client):
    client.post(reverse("accounts:signup"), GOOD)
    client.post(reverse("accounts:verify_email_sent"))
    response = client.post(reverse("accounts:verify_email_sent"), follow=True)
    assert "less than a minute ago" in response.content.decode()
    assert len(mail.outbox) == 2


def test_password_reset_sends_a_link_without_revealing_who_has_an_account(client):
    UserFactory(email="known@example.pk")
    known = client.post(reverse("accounts:password_reset"), {"email": "known@example.pk"})
    unknown = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.pk"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert [m.to for m in mail.outbox] == [["known@example.pk"]]
    link = re.search(r"/accounts/reset/\S+/", mail.outbox[0].body).group(0)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "brand-new-passphrase", "new_password2": "brand-new-passphrase"},
    )
    assert done.status_code == 302
    assert User.objects.get(email="known@example.pk").check_password("brand-new-passphrase")
