"""The apps whose rows change only through their services are shown in the admin, audited, and
cannot be added, changed or deleted there."""

import pytest
from django.contrib import admin
from django.urls import reverse

from rabta.accounts.roles import Role
from rabta.accounts.tests.factories import login_with_second_factor, user_with_role
from rabta.core.admin_audit import ViewOnlyAuditedAdmin
from rabta.core.models import AuditLog

pytestmark = pytest.mark.django_db

VIEW_ONLY = sorted(
    model._meta.label_lower
    for model, model_admin in admin.site._registry.items()
    if isinstance(model_admin, ViewOnlyAuditedAdmin)
)


@pytest.fixture
def admin_client(client):
    person = user_with_role(Role.ADMINISTRATOR)
    person.is_superuser = True
    person.save()
    login_with_second_factor(client, person)
    client.admin = person
    return client


def _url(label: str, page: str, *args: object) -> str:
    app, model = label.split(".")
    return reverse(f"admin:{app}_{model}_{page}", args=args)


def test_every_app_without_its_own_admin_screens_is_shown_view_only():
    apps = {label.split(".")[0] for label in VIEW_ONLY}
    assert apps == {"braingain", "community", "insights", "portfolio", "profiling"}


@pytest.mark.parametrize("label", VIEW_ONLY)
def test_an_administrator_sees_the_list_and_the_look_is_audited(admin_client, label):
    response = admin_client.get(_url(label, "changelist"))
    assert response.status_code == 200
    assert AuditLog.objects.filter(
        actor=admin_client.admin, action="personal_data.listed", details__list=label
    ).exists()


@pytest.mark.parametrize("label", VIEW_ONLY)
def test_nothing_can_be_added_there(admin_client, label):
    model = next(m for m in admin.site._registry if m._meta.label_lower == label)
    before = model._default_manager.count()
    assert admin_client.get(_url(label, "add")).status_code == 403
    assert admin_client.post(_url(label, "add"), {}).status_code == 403
    assert model._default_manager.count() == before


@pytest.mark.parametrize("role", [Role.ENGINEER, Role.PROGRAMME_STAFF, Role.COUNCIL_ANALYST])
def test_other_roles_are_kept_out(client, role):
    login_with_second_factor(client, user_with_role(role))
    response = client.get(_url("braingain.ask", "changelist"))
    assert response.status_code == 302
    assert not AuditLog.objects.filter(action="personal_data.listed").exists()


def test_a_row_is_shown_but_a_posted_change_is_refused_and_changes_nothing(admin_client):
    from rabta.insights.models import FillState

    row = FillState.objects.create(last_event_id=7, version=3)
    page = admin_client.get(_url("insights.fillstate", "change", row.pk))
    assert page.status_code == 200
    assert AuditLog.objects.filter(
        action="personal_data.viewed", target_id=str(row.pk), actor=admin_client.admin
    ).exists()
    refused = admin_client.post(
        _url("insights.fillstate", "change", row.pk), {"last_event_id": 0, "version": 0}
    )
    assert refused.status_code == 403
    row.refresh_from_db()
    assert (row.last_event_id, row.version) == (7, 3)
    assert admin_client.post(_url("insights.fillstate", "delete", row.pk)).status_code == 403
    assert FillState.objects.filter(pk=row.pk).exists()
