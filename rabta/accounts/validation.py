"""Field rules shared by the profile models, forms and API schemas."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

from rabta.accounts.reference import (
    ContributionType,
    Discipline,
    Language,
    Sector,
    districts_by_code,
    pec_number_normalise,
    time_zones,
)

MAX_LINKS = 5
MAX_LANGUAGES = 10


def clean_pec_number(raw: Any) -> str:
    normalised = pec_number_normalise(raw) if isinstance(raw, str) else None
    if normalised is None:
        raise ValidationError(
            _(
                "Enter your PEC registration number as it appears on your PEC card, "
                "for example CIVIL/12345."
            ),
            code="pec_number_invalid",
        )
    return normalised


def clean_choice_list(values: Any, allowed: set[str], label: str, limit: int) -> list[str]:
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise ValidationError(_("%(label)s must be a list.") % {"label": label}, code="invalid")
    unknown = [value for value in values if value not in allowed]
    if unknown:
        raise ValidationError(
            _("Unknown %(label)s: %(values)s") % {"label": label, "values": ", ".join(unknown[:5])},
            code="invalid_choice",
        )
    deduplicated = list(dict.fromkeys(values))
    if len(deduplicated) > limit:
        raise ValidationError(
            _("Choose at most %(limit)d %(label)s.") % {"limit": limit, "label": label},
            code="too_many",
        )
    return deduplicated


def clean_languages(values: Any) -> list[str]:
    return clean_choice_list(values, set(Language.values), _("languages"), MAX_LANGUAGES)


def clean_sectors(values: Any) -> list[str]:
    cleaned = clean_choice_list(values, set(Sector.values), _("sectors"), len(Sector.values))
    if not cleaned:
        raise ValidationError(_("Choose at least one sector."), code="required")
    return cleaned


def clean_contribution_types(values: Any) -> list[str]:
    allowed = set(ContributionType.values)
    cleaned = clean_choice_list(values, allowed, _("contribution types"), len(allowed))
    if not cleaned:
        raise ValidationError(_("Choose at least one way to contribute."), code="required")
    return cleaned


def _clean_link(link: str, validate: URLValidator) -> None:
    if len(link) > 300:
        raise ValidationError(_("A link is too long (300 characters at most)."), code="long")
    try:
        validate(link)
    except ValidationError as exc:
        raise ValidationError(
            _("“%(link)s” is not a web address starting with https://.") % {"link": link[:80]},
            code="invalid_url",
        ) from exc
    if urlparse(link).username is not None:
        raise ValidationError(_("Links must not contain a user name."), code="invalid_url")


def clean_links(values: Any) -> list[str]:
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise ValidationError(_("Links must be a list of web addresses."), code="invalid")
    links = list(dict.fromkeys(v.strip() for v in values if v.strip()))
    if len(links) > MAX_LINKS:
        raise ValidationError(
            _("Add at most %(limit)d links.") % {"limit": MAX_LINKS}, code="too_many"
        )
    validate = URLValidator(schemes=["https", "http"])
    for link in links:
        _clean_link(link, validate)
    return links


def clean_district(province: str, district: str) -> str:
    found = districts_by_code().get(district)
    if found is None:
        raise ValidationError(_("Choose a district from the list."), code="invalid_choice")
    if province and found.province != province:
        raise ValidationError(
            _("%(district)s is not in %(province)s.")
            % {"district": found.name, "province": province},
            code="district_province_mismatch",
        )
    return district


def clean_time_zone(value: str) -> str:
    if value not in time_zones():
        raise ValidationError(
            _("Choose a time zone such as Europe/London or America/Toronto."), code="invalid_choice"
        )
    return value


def discipline_matches_pec_number(discipline: str, pec_number: str) -> bool:
    return pec_number.split("/", 1)[0] == discipline and discipline in Discipline.values
