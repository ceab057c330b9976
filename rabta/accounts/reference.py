"""Reference lists the profiles are built from: PEC disciplines, provinces and districts,
sectors, contribution types and languages.  Districts are compiled into
``data/pakistan_districts.csv`` (see ``data/pakistan_districts.md`` for how)."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from zoneinfo import available_timezones

from django.db import models
from django.utils.translation import gettext_lazy as _

DATA_DIR = Path(__file__).resolve().parent / "data"


class Discipline(models.TextChoices):
    """Engineering disciplines in which the Pakistan Engineering Council registers engineers.
    The value is the prefix of the PEC registration number (``CIVIL/12345``)."""

    AEROSPACE = "AERO", _("Aerospace / Avionics")
    AGRICULTURAL = "AGRI", _("Agricultural")
    BIOMEDICAL = "BME", _("Biomedical")
    CERAMIC = "CERAMIC", _("Ceramic")
    CHEMICAL = "CHEM", _("Chemical")
    CIVIL = "CIVIL", _("Civil")
    COMPUTER = "COMP", _("Computer")
    ELECTRICAL = "ELECT", _("Electrical")
    ELECTRONICS = "ELECTRO", _("Electronics")
    ENVIRONMENTAL = "ENV", _("Environmental")
    GEOLOGICAL = "GEO", _("Geological")
    INDUSTRIAL = "IND", _("Industrial and Manufacturing")
    MARINE = "MARINE", _("Marine / Naval Architecture")
    MECHANICAL = "MECH", _("Mechanical")
    MECHATRONICS = "MECHATRO", _("Mechatronics")
    METALLURGY = "METAL", _("Metallurgy and Materials")
    MINING = "MINING", _("Mining")
    NUCLEAR = "NUCLEAR", _("Nuclear")
    PETROLEUM = "PETRO", _("Petroleum and Gas")
    POLYMER = "POLY", _("Polymer")
    SOFTWARE = "SOFT", _("Software")
    TELECOM = "TELE", _("Telecommunication")
    TEXTILE = "TEXTILE", _("Textile")
    TRANSPORTATION = "TRANS", _("Transportation")
    URBAN = "URBAN", _("Urban and Infrastructure")


# CIVIL/12345, elect-1234, "mech 98765" are all accepted and normalised to PREFIX/NUMBER.
PEC_NUMBER_PATTERN = re.compile(r"^\s*([A-Za-z]{3,8})\s*[/\-\s]\s*0*([0-9]{1,6})\s*$", re.ASCII)
PEC_NUMBER_MAX_LENGTH = 15


def pec_number_normalise(raw: str) -> str | None:
    """Return the canonical ``PREFIX/NUMBER`` form, or None when ``raw`` is not a PEC number."""
    if not isinstance(raw, str) or len(raw) > 40:
        return None
    match = PEC_NUMBER_PATTERN.match(raw)
    if match is None:
        return None
    prefix, number = match.group(1).upper(), match.group(2)
    if prefix not in Discipline.values or int(number) == 0:
        return None
    return f"{prefix}/{number}"


class Province(models.TextChoices):
    PUNJAB = "Punjab", _("Punjab")
    SINDH = "Sindh", _("Sindh")
    KHYBER_PAKHTUNKHWA = "Khyber Pakhtunkhwa", _("Khyber Pakhtunkhwa")
    BALOCHISTAN = "Balochistan", _("Balochistan")
    ISLAMABAD = "Islamabad Capital Territory", _("Islamabad Capital Territory")
    GILGIT_BALTISTAN = "Gilgit-Baltistan", _("Gilgit-Baltistan")
    AJK = "Azad Jammu and Kashmir", _("Azad Jammu and Kashmir")


@dataclass(frozen=True)
class District:
    code: str
    name: str
    province: str
    name_ur: str


@cache
def districts() -> tuple[District, ...]:
    with (DATA_DIR / "pakistan_districts.csv").open(encoding="utf-8", newline="") as handle:
        return tuple(
            District(row["code"], row["name"], row["province"], row["name_ur"])
            for row in csv.DictReader(handle)
        )


@cache
def districts_by_code() -> dict[str, District]:
    return {district.code: district for district in districts()}


def districts_in(province: str) -> list[District]:
    return [district for district in districts() if district.province == province]


class Degree(models.TextChoices):
    BE = "BE", _("BE / BSc Engineering")
    BSET = "BSET", _("BS Engineering Technology")
    ME = "ME", _("ME / MSc Engineering / MS")
    PHD = "PHD", _("PhD")


class EmploymentStatus(models.TextChoices):
    EMPLOYED_FULL_TIME = "employed_full_time", _("Employed full time")
    EMPLOYED_PART_TIME = "employed_part_time", _("Employed part time")
    SELF_EMPLOYED = "self_employed", _("Self-employed / freelancing")
    SEEKING = "seeking", _("Looking for work")
    STUDENT = "student", _("Studying")
    NOT_SEEKING = "not_seeking", _("Not looking for work")


class Gender(models.TextChoices):
    WOMAN = "woman", _("Woman")
    MAN = "man", _("Man")
    SELF_DESCRIBED = "self_described", _("I describe myself another way")
    UNDISCLOSED = "undisclosed", _("I prefer not to say")


class Language(models.TextChoices):
    ENGLISH = "en", _("English")
    URDU = "ur", _("Urdu")
    PUNJABI = "pa", _("Punjabi")
    SINDHI = "sd", _("Sindhi")
    PASHTO = "ps", _("Pashto")
    BALOCHI = "bal", _("Balochi")
    SARAIKI = "skr", _("Saraiki")
    HINDKO = "hno", _("Hindko")
    BRAHUI = "brh", _("Brahui")
    SHINA = "scl", _("Shina")
    BALTI = "bft", _("Balti")
    KASHMIRI = "ks", _("Kashmiri")
    ARABIC = "ar", _("Arabic")
    CHINESE = "zh", _("Chinese")
    GERMAN = "de", _("German")
    FRENCH = "fr", _("French")
    TURKISH = "tr", _("Turkish")
    JAPANESE = "ja", _("Japanese")


class Sector(models.TextChoices):
    AI = "ai", _("Artificial intelligence and data")
    RENEWABLE_ENERGY = "renewable_energy", _("Renewable energy")
    POWER = "power", _("Power systems and grids")
    CYBERSECURITY = "cybersecurity", _("Cybersecurity")
    SMART_INFRASTRUCTURE = "smart_infrastructure", _("Smart infrastructure and cities")
    WATER = "water", _("Water management")
    CONSTRUCTION = "construction", _("Construction and structures")
    TRANSPORT = "transport", _("Transport and logistics")
    MANUFACTURING = "manufacturing", _("Manufacturing and automation")
    OIL_GAS = "oil_gas", _("Oil, gas and mining")
    TELECOM = "telecom", _("Telecommunications")
    SEMICONDUCTORS = "semiconductors", _("Electronics and semiconductors")
    SOFTWARE = "software", _("Software and cloud")
    AGRICULTURE = "agriculture", _("Agriculture and food")
    HEALTH = "health", _("Health technology")
    CLIMATE = "climate", _("Climate and environment")
    AEROSPACE = "aerospace", _("Aerospace and defence")
    ACADEMIA = "academia", _("Research and academia")


class ContributionType(models.TextChoices):
    MENTORING = "mentoring", _("Mentoring")
    FYP_SUPERVISION = "fyp_supervision", _("Final-year project supervision")
    RESEARCH_GUIDANCE = "research_guidance", _("Research guidance")
    STARTUP_ADVISING = "startup_advising", _("Startup advising")
    CONSULTANCY = "consultancy", _("Consultancy")
    CURRICULUM_REVIEW = "curriculum_review", _("Curriculum review")
    ADVISORY_PANEL = "advisory_panel", _("Advisory panels")


class Availability(models.TextChoices):
    AVAILABLE = "available", _("Available")
    PAUSED = "paused", _("Paused")


class InstitutionKind(models.TextChoices):
    UNIVERSITY = "university", _("University")
    STARTUP = "startup", _("Startup")
    GOVERNMENT = "government", _("Government body")
    FIRM = "firm", _("Firm")
    NGO = "ngo", _("NGO")


@cache
def time_zones() -> frozenset[str]:
    return frozenset(available_timezones())
