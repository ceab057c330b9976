"""Institutions and the invitations that add their representatives."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rabta.accounts.models import (
    Institution,
    InstitutionInvitation,
    InstitutionMembership,
    User,
)
from rabta.accounts.roles import Role
from rabta.accounts.services.fields import fields_assign
from rabta.accounts.services.users import role_grant
from rabta.accounts.tasks import institution_invitation_send
from rabta.accounts.tokens import invitation_token_read
from rabta.core.errors import DomainError, ErrorCode
from rabta.core.services import audit_record, event_record, save_validated
from rabta.core.tasks import task_enqueue

INSTITUTION_EDITABLE = ("name", "kind", "city", "province", "website")


def institution_create(*, user: User, data: Mapping[str, Any]) -> Institution:
    institution = Institution()
    fields_assign(institution, data, INSTITUTION_EDITABLE)
    with transaction.atomic():
        save_validated(institution)
        InstitutionMembership.objects.create(
            institution=institution, user=user, role=InstitutionMembership.MemberRole.ADMIN
        )
        if not user.has_role(Role.INSTITUTION_REP):
            role_grant(user=user, role=Role.INSTITUTION_REP, actor=user)
        event_record(
            kind="institution.registered",
            actor_id=user.pk,
            subject=institution,
            province=institution.province,
        )
    return institution


def institution_update(
    *, user: User, institution: Institution, data: Mapping[str, Any]
) -> Institution:
    """``institution`` must come from ``institution_get_for_admin``."""
    fields_assign(institution, data, INSTITUTION_EDITABLE)
    save_validated(institution)
    return institution


def institution_invite(*, actor: User, institution: Institution, email: str) -> None:
    """Invite someone to represent the institution.  The answer is the same whether or not the
    address has an account, so nobody can use this to find out who is registered; the invitee
    joins only by opening the link while signed in with that address.  ``institution`` must
    come from ``institution_get_for_admin``."""
    address = User.objects.normalize_email((email or "").strip()).lower()
    try:
        User._meta.get_field("email").run_validators(address)
    except ValidationError as exc:
        raise DomainError(
            ErrorCode.VALIDATION_ERROR,
            _("Enter a valid email address."),
            fields={"email": exc.messages},
        ) from exc
    if InstitutionMembership.objects.filter(
        institution=institution, user__email__iexact=address
    ).exists():
        return
    with transaction.atomic():
        invitation = InstitutionInvitation.objects.filter(
            institution=institution, email__iexact=address, accepted_at__isnull=True
        ).first()
        if invitation is None:
            invitation = InstitutionInvitation.objects.create(
                institution=institution, email=address, invited_by=actor
            )
        audit_record(
            actor=actor, action="institution.invited", target=institution, invitation=invitation.pk
        )
        task_enqueue(institution_invitation_send, invitation.pk)


def institution_invitation_read(*, token: str) -> InstitutionInvitation:
    invitation_id = invitation_token_read(token)
    invitation = (
        InstitutionInvitation.objects.select_related("institution").filter(pk=invitation_id).first()
        if invitation_id is not None
        else None
    )
    if invitation is None:
        raise DomainError(ErrorCode.NOT_FOUND, _("This invitation link is invalid or has expired."))
    return invitation


def institution_invitation_accept(*, user: User, token: str) -> Institution:
    invitation = institution_invitation_read(token=token)
    if invitation.email.lower() != user.email.lower():
        raise DomainError(
            ErrorCode.FORBIDDEN,
            _("This invitation is for another email address. Sign in with that address."),
        )
    with transaction.atomic():
        _membership, created = InstitutionMembership.objects.get_or_create(
            institution=invitation.institution, user=user
        )
        if invitation.accepted_at is None:
            invitation.accepted_at = timezone.now()
            invitation.save(update_fields=["accepted_at"])
        if not user.has_role(Role.INSTITUTION_REP):
            role_grant(user=user, role=Role.INSTITUTION_REP, actor=user)
        if created:
            audit_record(actor=user, action="institution.joined", target=invitation.institution)
    return invitation.institution
