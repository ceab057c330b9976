"""Every object endpoint and page, against every role that does not own the object and an
anonymous visitor: they get 404 (or a login redirect), see none of its data, and change nothing."""

import json

import pytest
from django.urls import reverse

from rabta.accounts.models import Institution
from rabta.accounts.roles import Role
from rabta.accounts.tests.factories import (
    ContributorProfileFactory,
    EngineerProfileFactory,
    UserFactory,
    institution_with_admin,
    login_with_second_factor,
    user_with_role,
)
from rabta.core.models import AuditLog

pytestmark = pytest.mark.django_db

OUTSIDERS = [
    "anonymous",
    Role.ENGINEER,
    Role.CONTRIBUTOR,
    Role.INSTITUTION_REP,
    Role.COUNCIL_ANALYST,
]
ALL_OTHERS = [*OUTSIDERS, Role.PROGRAMME_STAFF, Role.ADMINISTRATOR]


@pytest.fixture
def owned():
    engineer = EngineerProfileFactory(pec_number="CIVIL/31337", university="Secret University")
    contributor = ContributorProfileFactory(city="Secret City")
    rep = UserFactory(roles=[Role.INSTITUTION_REP])
    institution = institution_with_admin(rep)
    Institution.objects.filter(pk=institution.pk).update(name="Secret Institute")
    return {"engineer": engineer, "contributor": contributor, "institution": institution}


def _as(client, who):
    if who == "anonymous":
        return None
    user = user_with_role(who)
    login_with_second_factor(client, user)
    return user


def _assert_hidden(response, *secrets):
    assert response.status_code in (302, 401, 403, 404), response.status_code
    body = response.content.decode()
    for secret in secrets:
        assert secret not in body


@pytest.mark.parametrize("who", OUTSIDERS)
def test_engineer_profile_is_hidden_from_outsiders(client, owned, who):
    _as(client, who)
    profile = owned["engineer"]
    _assert_hidden(
        client.get(reverse("api:engineer_profile_get", args=[profile.pk])),
        "CIVIL/31337",
        "Secret University",
    )


@pytest.mark.parametrize("who", OUTSIDERS)
def test_contributor_profile_is_hidden_from_outsiders(client, owned, who):
    _as(client, who)
    profile = owned["contributor"]
    _assert_hidden(
        client.get(reverse("api:contributor_profile_get", args=[profile.pk])), "Secret City"
    )


@pytest.mark.parametrize("who", OUTSIDERS)
def test_institution_is_hidden_from_non_members(client, owned, who):
    _as(client, who)
    institution = owned["institution"]
    _assert_hidden(
        client.get(reverse("api:institution_get", args=[institution.pk])), "Secret Institute"
    )
    _assert_hidden(
        client.get(reverse("accounts:institution_detail", args=[institution.pk])),
        "Secret Institute",
    )


@pytest.mark.parametrize("who", ALL_OTHERS)
def test_only_the_institution_admin_can_change_it(client, owned, who):
    _as(client, who)
    institution = owned["institution"]
    payload = {"name": "Hijacked", "kind": "firm", "city": "X", "province": "Punjab"}
    api = client.put(
        reverse("api:institution_update", args=[institution.pk]),
        json.dumps(payload),
        content_type="application/json",
    )
    page = client.post(
        reverse("accounts:institution_detail", args=[institution.pk]), {**payload, "action": "edit"}
    )
    add = client.post(
        reverse("accounts:institution_detail", args=[institution.pk]),
        {"action": "add_member", "email": "someone@example.pk"},
    )
    assert api.status_code in (401, 404)
    assert page.status_code in (302, 404)
    assert add.status_code in (302, 404)
    institution.refresh_from_db()
    assert institution.name == "Secret Institute"
    assert institution.institutionmembership_set.count() == 1


@pytest.mark.parametrize("who", [Role.PROGRAMME_STAFF, Role.ADMINISTRATOR])
def test_staff_reads_of_personal_data_are_allowed_and_audited(client, owned, who):
    staff = _as(client, who)
    profile = owned["engineer"]
    response = client.get(reverse("api:engineer_profile_get", args=[profile.pk]))
    assert response.status_code == 200
    assert response.json()["pec_number"] == "CIVIL/31337"
    audit = AuditLog.objects.get(action="personal_data.viewed")
    assert (audit.actor_id, audit.target_id) == (staff.pk, str(profile.pk))


def test_owner_reads_their_own_profile_without_an_audit_row(client, owned):
    profile = owned["engineer"]
    client.force_login(profile.user)
    assert client.get(reverse("api:engineer_profile_get", args=[profile.pk])).status_code == 200
    assert not AuditLog.objects.filter(action="personal_data.viewed").exists()


def test_a_missing_object_and_someone_elses_object_look_the_same(client, owned):
    _as(client, Role.ENGINEER)
    theirs = client.get(reverse("api:engineer_profile_get", args=[owned["engineer"].pk]))
    missing = client.get(reverse("api:engineer_profile_get", args=[999999]))
    assert theirs.status_code == missing.status_code == 404
    assert theirs.json() == missing.json()


@pytest.mark.parametrize("who", ALL_OTHERS)
def test_nobody_can_revoke_someone_elses_token(client, who):
    owner = UserFactory()
    from rabta.accounts.services import api_token_create

    token, _key = api_token_create(user=owner, name="ci")
    _as(client, who)
    response = client.post(reverse("accounts:api_tokens"), {"revoke": token.pk})
    assert response.status_code in (302, 404)
    token.refresh_from_db()
    assert token.revoked_at is None


@pytest.mark.parametrize("who", OUTSIDERS)
def test_staff_screens_are_closed_to_everyone_else(client, who):
    _as(client, who)
    EngineerProfileFactory(pec_number="CIVIL/4242")
    for url in (reverse("accounts:verification_queue"), reverse("accounts:register_import")):
        _assert_hidden(client.get(url), "CIVIL/4242")
    api = client.get(reverse("api:verification_queue_list"))
    _assert_hidden(api, "CIVIL/4242")


@pytest.mark.parametrize(
    "url_name",
    [
        "accounts:home",
        "accounts:engineer_profile",
        "accounts:contributor_profile",
        "accounts:privacy",
        "accounts:api_tokens",
        "accounts:settings",
    ],
)
def test_personal_pages_send_anonymous_visitors_to_log_in(client, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize(
    "url_name",
    [
        "api:me_get",
        "api:me_engineer_profile_get",
        "api:me_contributor_profile_get",
        "api:me_data_export",
        "api:institution_list",
    ],
)
def test_personal_api_refuses_anonymous_callers(client, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"
