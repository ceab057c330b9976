import pytest
from django.urls import reverse

from rabta.accounts.roles import Role
from rabta.accounts.tests.factories import (
    EngineerProfileFactory,
    login_with_second_factor,
    user_with_role,
)
from rabta.core.models import AuditLog

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    admin = user_with_role(Role.ADMINISTRATOR)
    admin.is_superuser = True
    admin.save()
    login_with_second_factor(client, admin)
    client.admin = admin
    return client


def test_admin_reads_of_profiles_are_audited(admin_client):
    profile = EngineerProfileFactory()
    listing = admin_client.get(reverse("admin:accounts_engineerprofile_changelist"))
    detail = admin_client.get(reverse("admin:accounts_engineerprofile_change", args=[profile.pk]))
    assert listing.status_code == detail.status_code == 200
    actions = list(
        AuditLog.objects.filter(actor=admin_client.admin).values_list("action", "target_id")
    )
    assert ("personal_data.listed", "") in actions
    assert ("personal_data.viewed", str(profile.pk)) in actions


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:accounts_user_changelist",
        "admin:accounts_institution_changelist",
        "admin:accounts_contributorprofile_changelist",
        "admin:core_auditlog_changelist",
    ],
)
def test_admin_screens_render(admin_client, url_name):
    assert admin_client.get(reverse(url_name)).status_code == 200


@pytest.mark.parametrize("role", [Role.ENGINEER, Role.PROGRAMME_STAFF, Role.COUNCIL_ANALYST])
def test_non_admins_are_kept_out_of_the_admin(client, role):
    login_with_second_factor(client, user_with_role(role))
    EngineerProfileFactory(pec_number="CIVIL/8080")
    response = client.get(reverse("admin:accounts_engineerprofile_changelist"))
    assert response.status_code == 302
    assert "CIVIL/8080" not in response.content.decode()


def test_an_administrator_cannot_make_themselves_superuser(client):
    admin = user_with_role(Role.ADMINISTRATOR)  # administrator role, not a superuser
    login_with_second_factor(client, admin)
    url = reverse("admin:accounts_user_change", args=[admin.pk])
    page = client.get(url)
    assert page.status_code == 200
    client.post(
        url,
        {
            "email": admin.email,
            "display_name": admin.display_name,
            "preferred_language": "en",
            "is_superuser": "on",
            "is_staff": "on",
            "is_active": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
        },
    )
    admin.refresh_from_db()
    assert not admin.is_superuser


def test_an_administrator_cannot_change_a_superuser(client):
    from rabta.accounts.tests.factories import UserFactory

    root = UserFactory(is_superuser=True, is_staff=True)
    login_with_second_factor(client, user_with_role(Role.ADMINISTRATOR))
    response = client.post(
        reverse("admin:accounts_user_change", args=[root.pk]), {"email": "taken@example.pk"}
    )
    root.refresh_from_db()
    assert root.email != "taken@example.pk"
    assert response.status_code in (302, 403)
