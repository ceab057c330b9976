import json

import pytest
from django.urls import reverse

from rabta.accounts.models import EngineerProfile, PecRegisterEntry, VerificationState
from rabta.accounts.register import name_digest
from rabta.accounts.roles import Role
from rabta.accounts.tests.factories import EngineerProfileFactory, UserFactory
from rabta.core.models import Event

pytestmark = pytest.mark.django_db

FORM = {
    "pec_number": "elect 4321",
    "discipline": "ELECT",
    "degree": "BE",
    "university": "UET Peshawar",
    "graduation_year": "2022",
    "province": "Khyber Pakhtunkhwa",
    "district": "kp-swat",
    "country_of_residence": "PK",
    "gender": "woman",
    "years_experience": "2",
    "employment_status": "seeking",
    "languages": ["en", "ur", "ps"],
    "bio": "Power systems graduate.",
    "links": "https://github.com/example\nhttps://www.linkedin.com/in/example",
}
API = {
    "pec_number": "ELECT/4321",
    "discipline": "ELECT",
    "degree": "BE",
    "university": "UET Peshawar",
    "graduation_year": 2022,
    "province": "Khyber Pakhtunkhwa",
    "district": "kp-swat",
    "employment_status": "seeking",
    "languages": ["en"],
}


@pytest.fixture
def engineer(client):
    user = UserFactory(roles=[Role.ENGINEER])
    client.force_login(user)
    return user


def put(client, data):
    return client.put(
        reverse("api:me_engineer_profile_put"), json.dumps(data), content_type="application/json"
    )


def test_completing_the_profile_normalises_the_number_and_queues_it_for_review(client, engineer):
    response = client.post(reverse("accounts:engineer_profile"), FORM)

    assert response.status_code == 302
    profile = EngineerProfile.objects.get(user=engineer)
    assert profile.pec_number == "ELECT/4321"
    assert profile.verification_state == VerificationState.PENDING
    assert profile.languages == ["en", "ur", "ps"]
    assert profile.links == ["https://github.com/example", "https://www.linkedin.com/in/example"]
    event = Event.objects.get(kind="engineer.profile_completed")
    assert (event.province, event.district, event.gender, event.discipline) == (
        "Khyber Pakhtunkhwa",
        "kp-swat",
        "woman",
        "ELECT",
    )


def test_a_number_the_register_confirms_under_the_holders_name_is_verified_at_once(
    client, engineer
):
    PecRegisterEntry.objects.create(
        pec_number="ELECT/4321",
        discipline="ELECT",
        name_digest=name_digest(f"Engr. {engineer.display_name}"),
    )
    client.post(reverse("accounts:engineer_profile"), FORM)
    profile = EngineerProfile.objects.get()
    assert profile.verification_state == VerificationState.VERIFIED
    assert profile.register_match == "confirmed"
    assert Event.objects.filter(kind="engineer.pec_verified").count() == 1


def test_someone_elses_register_number_is_not_verified_for_a_claimant(client, engineer):
    """Typing a real engineer's number is not enough: the register's name must match."""
    PecRegisterEntry.objects.create(
        pec_number="ELECT/4321",
        discipline="ELECT",
        name_digest=name_digest("Somebody Else Entirely"),
    )
    client.post(reverse("accounts:engineer_profile"), FORM)
    profile = EngineerProfile.objects.get()
    assert profile.verification_state == VerificationState.PENDING
    assert profile.register_match == "name_differs"
    assert not Event.objects.filter(kind="engineer.pec_verified").exists()


def test_a_number_the_register_lists_as_not_current_is_rejected_with_a_reason(client, engineer):
    PecRegisterEntry.objects.create(
        pec_number="ELECT/4321", discipline="ELECT", in_good_standing=False
    )
    client.post(reverse("accounts:engineer_profile"), FORM)
    profile = EngineerProfile.objects.get()
    assert profile.verification_state == VerificationState.REJECTED
    assert "register" in profile.rejection_reason
    page = client.get(reverse("accounts:home")).content.decode()
    assert "Renew it with PEC" in page


def test_changing_a_verified_number_sends_it_back_to_review(client, engineer):
    EngineerProfileFactory(
        user=engineer, pec_number="CIVIL/1", verification_state=VerificationState.VERIFIED
    )
    response = put(client, {**API, "pec_number": "ELECT/2"})
    assert response.status_code == 200
    assert response.json()["verification_state"] == "pending"


def test_editing_other_fields_keeps_verification(client, engineer):
    EngineerProfileFactory(
        user=engineer,
        pec_number="ELECT/4321",
        discipline="ELECT",
        verification_state=VerificationState.VERIFIED,
    )
    response = put(client, {**API, "university": "NUST"})
    assert response.json()["verification_state"] == "verified"


def test_duplicate_pec_number_is_refused_and_changes_nothing(client, engineer):
    other = EngineerProfileFactory(pec_number="ELECT/4321", discipline="ELECT")
    response = put(client, API)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "pec_number_taken"
    assert not EngineerProfile.objects.filter(user=engineer).exists()
    assert EngineerProfile.objects.get(pk=other.pk).user_id == other.user_id


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("pec_number", "12345", "for example CIVIL/12345"),
        ("pec_number", "<img src=x onerror=alert(1)>", "for example CIVIL/12345"),
        ("discipline", "CIVIL", "must match the prefix"),
        ("district", "pb-lahore", "is not in Khyber Pakhtunkhwa"),
        ("district", "../../etc/passwd", "Choose a district"),
        ("languages", ["en", "klingon"], "Unknown languages"),
        ("links", ["javascript:alert(1)"], "is not a web address"),
        ("links", ["https://user:pw@example.com"], "must not contain a user name"),
        ("links", [f"https://example.com/{n}" for n in range(6)], "at most 5"),
        ("graduation_year", 1800, "greater than or equal to 1950"),
        ("years_experience", 99, "less than or equal to 60"),
        ("province", "Atlantis", "not a valid choice"),
    ],
)
def test_invalid_fields_get_a_clear_error_and_nothing_is_saved(
    client, engineer, field, value, message
):
    response = put(client, {**API, field: value})
    assert response.status_code == 422
    body = response.json()["error"]
    assert body["code"] == "validation_error"
    assert message in json.dumps(body["fields"][field])
    assert not EngineerProfile.objects.exists()


@pytest.mark.parametrize(
    "extra",
    [
        {"verification_state": "verified"},
        {"verified_at": "2026-01-01T00:00:00Z"},
        {"user": 1},
        {"user_id": 1},
        {"rejection_reason": ""},
        {"roles": ["administrator"]},
        {"id": 999},
    ],
)
def test_mass_assignment_through_the_api_is_refused(client, engineer, extra):
    response = put(client, {**API, **extra})
    assert response.status_code == 422
    assert not EngineerProfile.objects.exists()
    assert engineer.groups.filter(name="administrator").count() == 0


def test_mass_assignment_through_the_form_is_ignored(client, engineer):
    client.post(
        reverse("accounts:engineer_profile"),
        {**FORM, "verification_state": "verified", "user": "1"},
    )
    profile = EngineerProfile.objects.get()
    assert profile.user_id == engineer.pk
    assert profile.verification_state == VerificationState.PENDING


def test_form_errors_keep_every_answer(client, engineer):
    response = client.post(reverse("accounts:engineer_profile"), {**FORM, "pec_number": "nope"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "for example CIVIL/12345" in body
    assert "UET Peshawar" in body
    assert "Power systems graduate." in body
    assert not EngineerProfile.objects.exists()


def test_hostile_bio_is_escaped_when_shown(client, engineer):
    client.post(
        reverse("accounts:engineer_profile"), {**FORM, "bio": '<script>alert("x")</script>'}
    )
    body = client.get(reverse("accounts:engineer_profile")).content.decode()
    assert '<script>alert("x")</script>' not in body
    assert "&lt;script&gt;" in body


def test_district_list_follows_the_province_over_htmx(client, engineer):
    response = client.get(
        reverse("accounts:engineer_profile"), {"province": "Balochistan"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert body.startswith("<select")
    assert "bl-quetta" in body
    assert "pb-lahore" not in body


def test_without_javascript_every_district_is_offered_grouped_by_province(client, engineer):
    body = client.get(reverse("accounts:engineer_profile")).content.decode()
    assert '<optgroup label="Balochistan">' in body
    assert "gb-hunza" in body
    assert "sd-karachi-keamari" in body
