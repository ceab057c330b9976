"""Cohorts: what staff set on a run of the programme (the seat counter is the services' own)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from rabta.accounts.models import User
from rabta.core.errors import DomainError, ErrorCode, NotFound
from rabta.core.services import audit_record, validate
from rabta.programme.models import COHORT_EDITABLE, Cohort

COHORT_FIELDS = COHORT_EDITABLE


def cohort_save(*, actor: User, data: Mapping[str, Any], cohort: Cohort | None = None) -> Cohort:
    if not actor.has_perm("programme.change_cohort"):
        raise NotFound()
    unknown = set(data) - set(COHORT_FIELDS)
    if unknown:
        raise DomainError(
            ErrorCode.VALIDATION_ERROR,
            _("Unknown fields."),
            fields={name: [_("This field cannot be set.")] for name in unknown},
        )
    cohort = cohort or Cohort()
    for name, value in data.items():
        setattr(cohort, name, value)
    validate(cohort)
    if cohort.pk:
        # Never write the seat counter from a stale copy: claims happen while staff edit.
        cohort.save(update_fields=[*COHORT_EDITABLE, "updated_at"])
    else:
        cohort.save()
    audit_record(actor=actor, action="programme.cohort_saved", target=cohort)
    return cohort
