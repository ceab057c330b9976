import json

import pytest
from django.urls import reverse

from rabta.accounts.models import ApiToken, ContributorProfile, Institution
from rabta.accounts.roles import Role
from rabta.accounts.services import api_token_create, api_token_revoke
from rabta.accounts.tests.factories import (
    EngineerProfileFactory,
    UserFactory,
    login_with_second_factor,
    user_with_role,
)
from rabta.core.models import AuditLog

pytestmark = pytest.mark.django_db

CONTRIBUTOR = {
    "country": "DE",
    "city": "Munich",
    "time_zone": "Europe/Berlin",
    "sectors": ["renewable_energy", "power"],
    "contribution_types": ["mentoring", "startup_advising"],
    "capacity": 3,
    "hours_per_month": 6,
}


def bearer(key):
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_a_token_reads_and_writes_its_owners_profile(client):
    profile = EngineerProfileFactory()
    _token, key = api_token_create(user=profile.user, name="my script")
    response = client.get(reverse("api:me_engineer_profile_get"), **bearer(key))
    assert response.status_code == 200
    assert response.json()["pec_number"] == profile.pec_number
    me = client.get(reverse("api:me_get"), **bearer(key)).json()
    assert me["roles"] == ["engineer"]
    assert ApiToken.objects.get().last_used_at is not None


@pytest.mark.parametrize("key", ["", "rbt_wrong", "x" * 500, "' OR 1=1 --"])
def test_bad_tokens_are_refused_with_the_uniform_error(client, key):
    response = client.get(reverse("api:me_get"), **bearer(key))
    assert response.status_code == 401
    assert response.json() == {
        "error": {
            "code": "unauthenticated",
            "message": "Log in, or send a valid API token.",
            "fields": {},
        }
    }


def test_a_revoked_token_stops_working(client):
    user = UserFactory()
    token, key = api_token_create(user=user, name="old")
    api_token_revoke(token=token)
    assert client.get(reverse("api:me_get"), **bearer(key)).status_code == 401


def test_only_a_hash_of_the_token_is_stored():
    token, key = api_token_create(user=UserFactory(), name="ci")
    assert key not in (token.key_hash, token.prefix)
    assert token.key_hash == ApiToken.hash_key(key)


def test_a_staff_token_cannot_read_other_peoples_data(client):
    """A token is one factor; staff reads of personal data need the second."""
    staff = user_with_role(Role.PROGRAMME_STAFF)
    _token, key = api_token_create(user=staff, name="staff script")
    profile = EngineerProfileFactory()
    response = client.get(reverse("api:engineer_profile_get", args=[profile.pk]), **bearer(key))
    assert response.status_code == 404
    assert not AuditLog.objects.filter(action="personal_data.viewed").exists()


def test_session_writes_need_the_csrf_token():
    from django.test import Client

    user = UserFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.put(
        reverse("api:me_contributor_profile_put"),
        json.dumps(CONTRIBUTOR),
        content_type="application/json",
    )
    assert response.status_code in (401, 403)
    assert not ContributorProfile.objects.exists()


def test_contributor_profile_round_trip(client):
    user = UserFactory()
    client.force_login(user)
    response = client.put(
        reverse("api:me_contributor_profile_put"),
        json.dumps(CONTRIBUTOR),
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["time_zone"] == "Europe/Berlin"
    assert user.groups.filter(name="contributor").exists()
    again = client.get(reverse("api:me_contributor_profile_get")).json()
    assert again["sectors"] == ["renewable_energy", "power"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("time_zone", "Mars/Olympus"),
        ("time_zone", "../../../etc/localtime"),
        ("sectors", []),
        ("sectors", ["basket-weaving"]),
        ("contribution_types", ["<script>"]),
        ("capacity", 500),
        ("country", "XX"),
        ("city", "x" * 81),
    ],
)
def test_contributor_profile_refuses_bad_values(client, field, value):
    client.force_login(UserFactory())
    response = client.put(
        reverse("api:me_contributor_profile_put"),
        json.dumps({**CONTRIBUTOR, field: value}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"
    assert field in response.json()["error"]["fields"]
    assert not ContributorProfile.objects.exists()


def test_malformed_json_gets_the_uniform_error(client):
    client.force_login(UserFactory())
    response = client.put(
        reverse("api:me_contributor_profile_put"), "{not json", content_type="application/json"
    )
    assert response.status_code in (400, 422)
    assert "error" in response.json()
    assert not ContributorProfile.objects.exists()


def test_institution_create_and_duplicate(client):
    client.force_login(UserFactory())
    payload = {
        "name": "GIKI",
        "kind": "university",
        "city": "Topi",
        "province": "Khyber Pakhtunkhwa",
        "website": "https://giki.edu.pk",
    }
    first = client.post(
        reverse("api:institution_create"), json.dumps(payload), content_type="application/json"
    )
    dup = client.post(
        reverse("api:institution_create"),
        json.dumps({**payload, "name": "giki"}),
        content_type="application/json",
    )
    assert first.status_code == 201
    assert dup.status_code == 422
    assert Institution.objects.count() == 1
    listed = client.get(reverse("api:institution_list")).json()
    assert [i["name"] for i in listed] == ["GIKI"]


def test_institution_website_must_be_a_web_address(client):
    client.force_login(UserFactory())
    payload = {
        "name": "X",
        "kind": "firm",
        "city": "Lahore",
        "province": "Punjab",
        "website": "javascript:alert(1)",
    }
    response = client.post(
        reverse("api:institution_create"), json.dumps(payload), content_type="application/json"
    )
    assert response.status_code == 422
    assert not Institution.objects.exists()


def test_reference_districts_are_public_and_filtered(client):
    response = client.get(reverse("api:district_list"), {"province": "Gilgit-Baltistan"})
    assert response.status_code == 200
    assert len(response.json()) == 14
    bad = client.get(reverse("api:district_list"), {"province": "<script>"})
    assert bad.status_code == 422


def test_staff_queue_lists_pending_numbers(client):
    login_with_second_factor(client, user_with_role(Role.PROGRAMME_STAFF))
    EngineerProfileFactory(pec_number="CIVIL/1")
    EngineerProfileFactory(pec_number="CIVIL/2", verification_state="verified")
    response = client.get(reverse("api:verification_queue_list"))
    assert [row["pec_number"] for row in response.json()] == ["CIVIL/1"]
