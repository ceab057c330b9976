"""The staff page of email delivery records: programme staff and administrators only, by
state, paginated, and never a message body."""

import pytest
from django.urls import reverse

from rabta.accounts.roles import Role
from rabta.accounts.tests.factories import UserFactory, login_with_second_factor, user_with_role
from rabta.core.models import AuditLog, Email

pytestmark = pytest.mark.django_db

SECRET_BODY = "the private text of a mentorship agreement"


def _email(state, n=0, **kwargs):
    return Email.objects.create(
        user=UserFactory(),
        kind="braingain.sign",
        key=f"k{n}",
        subject=f"Please sign {n}",
        text=SECRET_BODY,
        html=f"<p>{SECRET_BODY}</p>",
        state=state,
        **kwargs,
    )


@pytest.mark.parametrize("role", list(Role))
def test_only_programme_staff_and_administrators_see_the_page(client, role):
    _email("sent")
    login_with_second_factor(client, user_with_role(role))
    response = client.get(reverse("core:emails"))
    allowed = role in (Role.PROGRAMME_STAFF, Role.ADMINISTRATOR)
    assert response.status_code == (200 if allowed else 403)
    assert ("Please sign 0" in response.content.decode()) is allowed


def test_signed_out_people_are_sent_to_log_in(client):
    response = client.get(reverse("core:emails"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_staff_filter_by_state_and_see_errors_but_never_bodies(
    client, django_assert_max_num_queries
):
    _email("sent", 1)
    _email("failed", 2, attempts=2, last_error="SMTPDataError: 451 Try again later")
    _email("gave_up", 3, attempts=6, last_error="SMTPRecipientsRefused: no such mailbox")
    staff = login_with_second_factor(client, user_with_role(Role.PROGRAMME_STAFF))
    every = client.get(reverse("core:emails")).content.decode()
    assert all(f"Please sign {n}" in every for n in (1, 2, 3))
    assert SECRET_BODY not in every
    assert "An agreement waits for your signature" in every  # the kind, by its label
    with django_assert_max_num_queries(12):
        failed = client.get(reverse("core:emails"), {"state": "failed"}).content.decode()
    assert "Please sign 2" in failed
    assert "SMTPDataError: 451 Try again later" in failed
    assert "Please sign 1" not in failed
    assert "Please sign 3" not in failed
    odd = client.get(reverse("core:emails"), {"state": "<script>"}).content.decode()
    assert "<script>" not in odd
    assert "Please sign 1" in odd  # an unknown state shows all
    assert AuditLog.objects.filter(actor=staff, action="personal_data.listed").count() == 3


def test_the_page_is_paginated_with_a_constant_number_of_queries(
    client, django_assert_max_num_queries
):
    for n in range(60):
        _email("sent", n)
    login_with_second_factor(client, user_with_role(Role.ADMINISTRATOR))
    with django_assert_max_num_queries(12):
        first = client.get(reverse("core:emails")).content.decode()
    assert first.count('<tr id="email-') == 50
    second = client.get(reverse("core:emails"), {"page": 2}).content.decode()
    assert second.count('<tr id="email-') == 10
