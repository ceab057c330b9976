import re

import pytest
from django.core import mail
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


def _invite(client, institution, email):
    return client.post(
        reverse("accounts:institution_detail", args=[institution.pk]),
        {"action": "add_member", "email": email},
        follow=True,
    )


def _link(outbox_message):
    return re.search(r"/institutions/invitations/\S+/", outbox_message.body).group(0)


@pytest.mark.django_db(transaction=True)
def test_an_invited_colleague_joins_only_by_accepting(client):
    admin = UserFactory(roles=[Role.INSTITUTION_REP])
    institution = institution_with_admin(admin)
    colleague = UserFactory(email="colleague@example.pk")
    client.force_login(admin)
    _invite(client, institution, "COLLEAGUE@example.pk")
    assert institution.institutionmembership_set.count() == 1  # not yet a member
    assert [m.to for m in mail.outbox] == [["colleague@example.pk"]]

    client.force_login(colleague)
    page = client.get(_link(mail.outbox[0]))
    assert institution.name in page.content.decode()
    client.post(_link(mail.outbox[0]))
    assert institution.institutionmembership_set.filter(user=colleague).exists()
    assert colleague.groups.filter(name="institution_rep").exists()


@pytest.mark.django_db(transaction=True)
def test_invitations_reveal_nothing_about_who_has_an_account(client):
    admin = UserFactory(roles=[Role.INSTITUTION_REP])
    institution = institution_with_admin(admin)
    UserFactory(email="known@example.pk")
    UserFactory(email="fresh@example.pk", email_verified_at=None)
    client.force_login(admin)
    answers = set()
    for email in ("known@example.pk", "fresh@example.pk", "nobody@example.pk"):
        response = _invite(client, institution, email)
        body = response.content.decode().replace(email, "EMAIL")
        answers.add((response.status_code, body.count("Invitation sent to EMAIL")))
    assert answers == {(200, 1)}
    assert institution.institutionmembership_set.count() == 1


@pytest.mark.django_db(transaction=True)
def test_someone_else_cannot_accept_an_invitation(client):
    admin = UserFactory(roles=[Role.INSTITUTION_REP])
    institution = institution_with_admin(admin)
    client.force_login(admin)
    _invite(client, institution, "colleague@example.pk")
    intruder = UserFactory(email="intruder@example.pk")
    client.force_login(intruder)
    response = client.post(_link(mail.outbox[0]))
    assert response.status_code == 403
    assert not institution.institutionmembership_set.filter(user=intruder).exists()


@pytest.mark.parametrize("token", ["nonsense", "eyJpIjoxfQ:1abc:forged"])
def test_forged_invitation_links_are_refused(client, token):
    client.force_login(UserFactory())
    response = client.post(reverse("accounts:invitation", args=[token]))
    assert response.status_code == 404


def test_invalid_invitation_addresses_get_a_clear_error(client):
    admin = UserFactory(roles=[Role.INSTITUTION_REP])
    institution = institution_with_admin(admin)
    client.force_login(admin)
    response = _invite(client, institution, "not an email")
    assert "valid email" in response.content.decode()
