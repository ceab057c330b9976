import json

import pytest
from django.urls import reverse

from rabta.accounts.models import EngineerProfile, User
from rabta.accounts.tests.factories import PASSWORD, EngineerProfileFactory
from rabta.core.models import AuditLog, Event

pytestmark = pytest.mark.django_db


def test_a_person_downloads_everything_held_about_them(client):
    profile = EngineerProfileFactory(bio="Hydrology")
    profile.user.notice_preferences.create(kind="community.reply", delivery="weekly")
    client.force_login(profile.user)
    response = client.post(reverse("accounts:data_export"))
    assert response["Content-Disposition"] == 'attachment; filename="rabta-my-data.json"'
    data = json.loads(response.content)
    assert data["account"]["email"] == profile.user.email
    assert data["engineer_profile"]["pec_number"] == profile.pec_number
    assert data["engineer_profile"]["bio"] == "Hydrology"
    assert data["account"]["notification_choices"] == {"community.reply": "weekly"}
    assert (data["account"]["digest_hour"], data["account"]["time_zone"]) == (8, "")
    assert "password" not in json.dumps(data)
    assert AuditLog.objects.filter(action="personal_data.exported").count() == 1


def test_export_is_not_available_by_get(client):
    profile = EngineerProfileFactory()
    client.force_login(profile.user)
    assert client.get(reverse("accounts:data_export")).status_code == 405


def test_deleting_the_account_removes_profiles_and_unlinks_events(client):
    profile = EngineerProfileFactory()
    user = profile.user
    Event.objects.create(
        kind="user.registered",
        actor_id=user.pk,
        subject_type="accounts.user",
        subject_id=user.pk,
        province="Sindh",
    )
    client.force_login(user)

    response = client.post(reverse("accounts:privacy"), {"password": PASSWORD})

    assert response.status_code == 302
    assert not User.objects.filter(pk=user.pk).exists()
    assert not EngineerProfile.objects.exists()
    event = Event.objects.get()
    assert (event.actor_id, event.subject_id, event.province) == (None, None, "Sindh")
    assert AuditLog.objects.filter(action="account.deleted").count() == 1
    assert "_auth_user_id" not in client.session


def test_a_wrong_password_deletes_nothing(client):
    profile = EngineerProfileFactory()
    client.force_login(profile.user)
    response = client.post(reverse("accounts:privacy"), {"password": "wrong"})
    assert response.status_code == 200
    assert "not correct" in response.content.decode()
    assert User.objects.filter(pk=profile.user.pk).exists()
    assert EngineerProfile.objects.count() == 1


def test_no_national_identity_number_is_collected():
    names = {f.name.lower() for model in (User, EngineerProfile) for f in model._meta.get_fields()}
    assert not {n for n in names if "cnic" in n or n == "nic" or "national_id" in n}
