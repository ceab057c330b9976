from __future__ import annotations

from datetime import date, datetime

from ninja import Schema
from pydantic import ConfigDict, Field


class StrictIn(Schema):
    # Unknown fields are refused, not ignored: a client that sends verification_state or a
    # role learns at once that it cannot set them.
    model_config = ConfigDict(extra="forbid")


class MeOut(Schema):
    id: int
    email: str
    display_name: str
    preferred_language: str
    email_verified: bool
    roles: list[str]


class EngineerProfileIn(StrictIn):
    pec_number: str = Field(max_length=40)
    discipline: str = Field(max_length=16)
    degree: str = Field(max_length=8)
    university: str = Field(max_length=160)
    graduation_year: int
    province: str = Field(max_length=40)
    district: str = Field(max_length=48)
    country_of_residence: str = Field(default="PK", max_length=2)
    gender: str = Field(default="", max_length=16)
    gender_self_description: str = Field(default="", max_length=60)
    years_experience: int = 0
    employment_status: str = Field(max_length=24)
    languages: list[str] = Field(default_factory=list, max_length=20)
    bio: str = Field(default="", max_length=1000)
    links: list[str] = Field(default_factory=list, max_length=10)


class EngineerProfileOut(Schema):
    id: int
    pec_number: str
    verification_state: str
    rejection_reason: str
    verified_at: datetime | None
    discipline: str
    degree: str
    university: str
    graduation_year: int
    province: str
    district: str
    country_of_residence: str
    gender: str
    gender_self_description: str
    years_experience: int
    employment_status: str
    languages: list[str]
    bio: str
    links: list[str]

    @staticmethod
    def resolve_country_of_residence(obj: object) -> str:
        return str(obj.country_of_residence)  # type: ignore[attr-defined]


class ContributorProfileIn(StrictIn):
    country: str = Field(max_length=2)
    city: str = Field(max_length=80)
    time_zone: str = Field(max_length=64)
    employer: str = Field(default="", max_length=160)
    sectors: list[str] = Field(max_length=30)
    contribution_types: list[str] = Field(max_length=10)
    capacity: int = 2
    hours_per_month: int = 4
    availability: str = Field(default="available", max_length=16)
    paused_until: date | None = None


class ContributorProfileOut(Schema):
    id: int
    country: str
    city: str
    time_zone: str
    employer: str
    sectors: list[str]
    contribution_types: list[str]
    capacity: int
    hours_per_month: int
    availability: str
    paused_until: date | None

    @staticmethod
    def resolve_country(obj: object) -> str:
        return str(obj.country)  # type: ignore[attr-defined]


class InstitutionIn(StrictIn):
    name: str = Field(max_length=200)
    kind: str = Field(max_length=16)
    city: str = Field(max_length=80)
    province: str = Field(max_length=40)
    website: str = Field(default="", max_length=200)


class InstitutionOut(Schema):
    id: int
    name: str
    kind: str
    city: str
    province: str
    website: str


class VerificationDecisionIn(StrictIn):
    decision: str = Field(max_length=16)
    pec_number: str = Field(max_length=40, description="The number the reviewer checked.")
    reason: str = Field(default="", max_length=500)


class VerificationQueueItemOut(Schema):
    id: int
    pec_number: str
    discipline: str
    verification_state: str
    display_name: str
    updated_at: datetime

    @staticmethod
    def resolve_display_name(obj: object) -> str:
        return obj.user.display_name  # type: ignore[attr-defined]


class DistrictOut(Schema):
    code: str
    name: str
    name_ur: str
    province: str
