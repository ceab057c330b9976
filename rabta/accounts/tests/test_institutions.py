import pytest
from django.urls import reverse

from rabta.accounts.models import Institution, InstitutionMembership
from rabta.accounts.roles import Role
from rabta.accounts.tests.factories import UserFactory, institution_with_admin

pytestmark = pytest.mark.django_db


def test_registering_an_institution_makes_the_user_its_admin(client):
    user = UserFactory(roles=[Role.INSTITUTION_REP])
    client.force_login(user)
    response = client.post(
        reverse("accounts:institution_create"),
        {
            "name": "Thar Engineering College",
            "kind": "university",
            "city": "Mithi",
            "province": "Sindh",
        },
    )
    institution = Institution.objects.get()
    assert response["Location"] == reverse("accounts:institution_detail", args=[institution.pk])
    assert InstitutionMembership.objects.get().role == "admin"


def test_admin_adds_a_verified_member_once(client):
    admin = UserFactory(roles=[Role.INSTITUTION_REP])
    institution = institution_with_admin(admin)
    colleague = UserFactory(email="colleague@example.pk")
    client.force_login(admin)
    url = reverse("accounts:institution_detail", args=[institution.pk])
    client.post(url, {"action": "add_member", "email": "COLLEAGUE@example.pk"})
    dup = client.post(url, {"action": "add_member", "email": "colleague@example.pk"})
    assert "already a member" in dup.content.decode().lower()
    assert institution.institutionmembership_set.count() == 2
    assert colleague.groups.filter(name="institution_rep").exists()


def test_unknown_or_unverified_members_are_refused(client):
    admin = UserFactory(roles=[Role.INSTITUTION_REP])
    institution = institution_with_admin(admin)
    UserFactory(email="fresh@example.pk", email_verified_at=None)
    client.force_login(admin)
    url = reverse("accounts:institution_detail", args=[institution.pk])
    for email in ("nobody@example.pk", "fresh@example.pk"):
        response = client.post(url, {"action": "add_member", "email": email})
        assert "No verified account" in response.content.decode()
    assert institution.institutionmembership_set.count() == 1
