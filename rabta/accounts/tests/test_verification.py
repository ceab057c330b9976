import json

import pytest
from django.urls import reverse

from rabta.accounts.models import EngineerProfile, VerificationState
from rabta.accounts.roles import Role
from rabta.accounts.tests.factories import (
    EngineerProfileFactory,
    UserFactory,
    login_with_second_factor,
    user_with_role,
)
from rabta.core.models import AuditLog, Event

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.staff = login_with_second_factor(client, user_with_role(Role.PROGRAMME_STAFF))
    return client


def test_staff_see_the_queue_and_verify_a_number(staff_client):
    profile = EngineerProfileFactory()
    queue = staff_client.get(reverse("accounts:verification_queue"))
    assert profile.pec_number in queue.content.decode()

    response = staff_client.post(
        reverse("accounts:verification_decide", args=[profile.pk]),
        {"decision": "verified", "pec_number": profile.pec_number},
    )

    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.verification_state == VerificationState.VERIFIED
    assert AuditLog.objects.filter(action="pec.verified", actor=staff_client.staff).count() == 1
    assert Event.objects.filter(kind="engineer.pec_verified").count() == 1


def test_rejecting_needs_a_reason_the_engineer_then_reads(staff_client):
    profile = EngineerProfileFactory()
    url = reverse("accounts:verification_decide", args=[profile.pk])
    staff_client.post(
        url, {"decision": "rejected", "reason": "  ", "pec_number": profile.pec_number}
    )
    profile.refresh_from_db()
    assert profile.verification_state == VerificationState.PENDING

    staff_client.post(
        url,
        {
            "decision": "rejected",
            "reason": "Name differs from the register.",
            "pec_number": profile.pec_number,
        },
    )
    profile.refresh_from_db()
    assert profile.verification_state == VerificationState.REJECTED
    assert profile.rejection_reason == "Name differs from the register."


def test_the_htmx_decision_returns_just_the_new_state(staff_client):
    profile = EngineerProfileFactory()
    response = staff_client.post(
        reverse("accounts:verification_decide", args=[profile.pk]),
        {"decision": "verified", "pec_number": profile.pec_number},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert response.content.decode().strip().startswith('<span class="state state-verified">')


def test_deciding_twice_is_refused(staff_client):
    profile = EngineerProfileFactory(verification_state=VerificationState.VERIFIED)
    response = staff_client.post(
        reverse("api:pec_verification_decide", args=[profile.pk]),
        json.dumps({"decision": "verified", "pec_number": profile.pec_number}),
        content_type="application/json",
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "invalid_transition"


def test_queue_reads_are_audited(staff_client):
    EngineerProfileFactory()
    staff_client.get(reverse("accounts:verification_queue"))
    assert AuditLog.objects.filter(action="personal_data.listed").count() == 1


@pytest.mark.parametrize(
    "role", [Role.ENGINEER, Role.CONTRIBUTOR, Role.INSTITUTION_REP, Role.COUNCIL_ANALYST]
)
def test_other_roles_cannot_decide(client, role):
    profile = EngineerProfileFactory()
    login_with_second_factor(client, user_with_role(role))
    page = client.post(
        reverse("accounts:verification_decide", args=[profile.pk]),
        {"decision": "verified", "pec_number": profile.pec_number},
    )
    api = client.post(
        reverse("api:pec_verification_decide", args=[profile.pk]),
        json.dumps({"decision": "verified", "pec_number": profile.pec_number}),
        content_type="application/json",
    )
    assert page.status_code == 403
    assert api.status_code == 404
    profile.refresh_from_db()
    assert profile.verification_state == VerificationState.PENDING
    assert not AuditLog.objects.filter(action__startswith="pec.").exists()


def test_staff_without_their_second_factor_are_sent_to_it(client):
    staff = user_with_role(Role.PROGRAMME_STAFF)
    client.force_login(staff)
    profile = EngineerProfileFactory()
    page = client.get(reverse("accounts:verification_queue"))
    api = client.get(reverse("api:verification_queue_list"))
    assert page.status_code == 302
    assert page["Location"].startswith(reverse("accounts:two_factor_verify"))
    assert api.status_code == 403
    assert api.json()["error"]["code"] == "two_factor_required"
    assert EngineerProfile.objects.get(pk=profile.pk).verification_state == "pending"


def test_engineer_can_not_verify_themselves(client):
    engineer = UserFactory(roles=[Role.ENGINEER])
    profile = EngineerProfileFactory(user=engineer)
    client.force_login(engineer)
    client.post(
        reverse("accounts:verification_decide", args=[profile.pk]),
        {"decision": "verified", "pec_number": profile.pec_number},
    )
    assert EngineerProfile.objects.get(pk=profile.pk).verification_state == "pending"


def test_queue_page_query_count_does_not_grow_with_rows(
    staff_client, django_assert_max_num_queries
):
    for _n in range(3):
        EngineerProfileFactory()
    with django_assert_max_num_queries(12) as few:
        staff_client.get(reverse("accounts:verification_queue"))
    for _n in range(30):
        EngineerProfileFactory()
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = staff_client.get(reverse("accounts:verification_queue"))
    assert response.content.decode().count("<tr id=") == 25


def test_a_decision_never_applies_to_a_number_changed_since_it_was_shown(staff_client):
    profile = EngineerProfileFactory(pec_number="CIVIL/424242")
    EngineerProfile.objects.filter(pk=profile.pk).update(pec_number="CIVIL/999")
    response = staff_client.post(
        reverse("api:pec_verification_decide", args=[profile.pk]),
        json.dumps({"decision": "verified", "pec_number": "CIVIL/424242"}),
        content_type="application/json",
    )
    assert response.status_code == 409
    assert EngineerProfile.objects.get(pk=profile.pk).verification_state == "pending"


def test_staff_cannot_verify_their_own_number(client):
    staff = login_with_second_factor(client, user_with_role(Role.PROGRAMME_STAFF))
    profile = EngineerProfileFactory(user=staff)
    response = client.post(
        reverse("api:pec_verification_decide", args=[profile.pk]),
        json.dumps({"decision": "verified", "pec_number": profile.pec_number}),
        content_type="application/json",
    )
    assert response.status_code == 403
    assert EngineerProfile.objects.get(pk=profile.pk).verification_state == "pending"


def test_api_queue_reads_are_audited(staff_client):
    EngineerProfileFactory()
    staff_client.get(reverse("api:verification_queue_list"))
    assert AuditLog.objects.filter(action="personal_data.listed").count() == 1


def test_the_engineer_is_told_of_each_decision_in_their_inbox_and_by_email(
    staff_client, django_capture_on_commit_callbacks
):
    from django.core import mail

    from rabta.core.models import Notification

    profile = EngineerProfileFactory()
    url = reverse("accounts:verification_decide", args=[profile.pk])
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(
            url,
            {"decision": "rejected", "reason": "Name differs", "pec_number": profile.pec_number},
        )
    notice = Notification.objects.get(user=profile.user)
    assert notice.kind == "accounts.rejected"
    assert notice.title == f"Your PEC number {profile.pec_number} could not be verified."
    assert "Name differs" in notice.body
    assert [m.to for m in mail.outbox] == [[profile.user.email]]
    staff_client.post(url, {"decision": "verified", "pec_number": profile.pec_number})
    staff_client.post(url, {"decision": "verified", "pec_number": profile.pec_number})  # refused
    assert list(Notification.objects.filter(user=profile.user).values_list("kind", flat=True)) == [
        "accounts.verified",
        "accounts.rejected",
    ]  # a later decision is told too, once
