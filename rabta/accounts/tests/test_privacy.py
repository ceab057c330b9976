import io
import json
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone

from rabta.accounts.models import EngineerProfile, User
from rabta.accounts.tests.factories import PASSWORD, EngineerProfileFactory
from rabta.core.models import AuditLog, Event, Job

pytestmark = pytest.mark.django_db


def test_a_person_downloads_everything_held_about_them(client, django_capture_on_commit_callbacks):
    profile = EngineerProfileFactory(bio="Hydrology")
    profile.user.notice_preferences.create(kind="community.reply", delivery="weekly")
    client.force_login(profile.user)
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(reverse("accounts:data_export"))
    assert started["Location"] == reverse("accounts:privacy")
    job = Job.objects.get(started_by=profile.user)
    assert job.state == "succeeded"
    page = client.get(reverse("accounts:privacy")).content.decode()
    assert job.result_url in page
    response = client.get(job.result_url)
    today = timezone.localdate(timezone=profile.user.zone)
    assert response["Content-Disposition"] == (
        f'attachment; filename="rabta-my-data-{today:%Y-%m-%d}.zip"'
    )
    assert response["Cache-Control"] == "private, no-store"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    data = json.loads(archive.read("accounts.json"))
    core = json.loads(archive.read("core.json"))
    assert data["account"]["email"] == profile.user.email
    assert data["engineer_profile"]["pec_number"] == profile.pec_number
    assert data["engineer_profile"]["bio"] == "Hydrology"
    assert core["notice_preferences"] == {"community.reply": "weekly"}
    assert (data["account"]["digest_hour"], data["account"]["time_zone"]) == (8, "")
    assert "password" not in json.dumps(data)
    assert AuditLog.objects.filter(action="personal_data.exported").count() == 1


def test_nobody_else_downloads_a_persons_data_not_even_staff(
    client, django_capture_on_commit_callbacks
):
    from rabta.accounts.roles import Role
    from rabta.accounts.tests.factories import login_with_second_factor, user_with_role

    profile = EngineerProfileFactory()
    client.force_login(profile.user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:data_export"))
    job = Job.objects.get(started_by=profile.user)
    client.force_login(EngineerProfileFactory().user)
    assert client.get(job.result_url).status_code == 404
    login_with_second_factor(client, user_with_role(Role.ADMINISTRATOR))
    assert client.get(job.result_url).status_code == 404
    client.logout()
    assert client.get(job.result_url).status_code == 302  # to sign in


def test_the_download_is_forgotten_after_a_day(client, django_capture_on_commit_callbacks):
    from datetime import timedelta

    from django.utils import timezone

    from rabta.core.jobs import jobs_recover

    profile = EngineerProfileFactory()
    client.force_login(profile.user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:data_export"))
    job = Job.objects.get(started_by=profile.user)
    url = job.result_url
    Job.objects.filter(pk=job.pk).update(finished_at=timezone.now() - timedelta(days=2))
    jobs_recover()
    job.refresh_from_db()
    assert not job.result_file
    assert client.get(url).status_code == 410  # gone, with an offer to make a new one


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
