from __future__ import annotations

import factory
from django.contrib.auth.models import Group
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from rabta.accounts.models import (
    ContributorProfile,
    EngineerProfile,
    Institution,
    InstitutionMembership,
    User,
    VerificationState,
)
from rabta.accounts.roles import Role

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.pk")
    display_name = factory.Faker("name")
    email_verified_at = factory.LazyFunction(timezone.now)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        if create and extracted:
            for role in extracted:
                self.groups.add(Group.objects.get_or_create(name=str(role))[0])
        if create:
            self.save()


def user_with_role(role: Role, **kwargs) -> User:  # type: ignore[no-untyped-def]
    user = UserFactory(roles=[role], **kwargs)
    if role in (Role.PROGRAMME_STAFF, Role.COUNCIL_ANALYST, Role.ADMINISTRATOR):
        TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    if role == Role.ADMINISTRATOR:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    return user


class EngineerProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EngineerProfile

    user = factory.SubFactory(UserFactory, roles=[Role.ENGINEER])
    pec_number = factory.Sequence(lambda n: f"CIVIL/{20000 + n}")
    verification_state = VerificationState.PENDING
    discipline = "CIVIL"
    degree = "BE"
    university = "NED University of Engineering and Technology"
    graduation_year = 2020
    province = "Sindh"
    district = "sd-hyderabad"
    employment_status = "employed_full_time"
    languages = factory.LazyFunction(lambda: ["en", "ur"])


class ContributorProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContributorProfile

    user = factory.SubFactory(UserFactory, roles=[Role.CONTRIBUTOR])
    country = "GB"
    city = "London"
    time_zone = "Europe/London"
    sectors = factory.LazyFunction(lambda: ["water"])
    contribution_types = factory.LazyFunction(lambda: ["mentoring"])


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution

    name = factory.Sequence(lambda n: f"Institute of Technology {n}")
    kind = "university"
    city = "Quetta"
    province = "Balochistan"


def institution_with_admin(user: User) -> Institution:
    institution = InstitutionFactory()
    InstitutionMembership.objects.create(
        institution=institution, user=user, role=InstitutionMembership.MemberRole.ADMIN
    )
    return institution


def login_with_second_factor(client, user: User) -> User:  # type: ignore[no-untyped-def]
    """Log the test client in as ``user`` with their second factor already passed."""
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        session = client.session
        session["otp_device_id"] = device.persistent_id
        session.save()
    return user
