from __future__ import annotations

from datetime import date, datetime

from ninja import Schema
from pydantic import Field

from rabta.accounts.schemas import StrictIn


class CohortOut(Schema):
    id: int
    name: str
    slug: str
    starts_on: date
    ends_on: date
    time_zone: str
    seats: int
    seats_taken: int
    applications_open_at: datetime
    applications_close_at: datetime
    policy: str


class ApplicationIn(StrictIn):
    motivation: str = Field(max_length=1500)
    hours_per_week: int
    employment: str = Field(max_length=16)
    consent: bool


class ApplicationOut(Schema):
    id: int
    cohort_id: int
    state: str
    submitted_at: datetime | None
    offer_expires_at: datetime | None
    placement_reason: str
    waitlist_position: int | None = None
