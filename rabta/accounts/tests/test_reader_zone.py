"""Every page shows times in its reader's zone: the middleware that makes it the active one,
the first-visit offer of the device's zone, and the one zone field (``User.time_zone``)."""

from __future__ import annotations

import importlib
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from rabta.accounts import services
from rabta.accounts.middleware import (
    ZONE_COOKIE,
    ZONE_OFFER_COOKIE,
    ReaderZoneMiddleware,
    reader_zone,
)
from rabta.accounts.models import User
from rabta.accounts.tests.factories import (
    ContributorProfileFactory,
    EngineerProfileFactory,
    UserFactory,
)
from rabta.core.errors import DomainError
from rabta.core.kinds import kinds

pytestmark = pytest.mark.django_db

OFFER = 'id="zone-offer"'
OFFER_TEXT = "Times are shown in Pakistan time (PKT)."
QUESTION = (
    "<span data-zone-question hidden>Your device says <strong data-zone-device></strong>"
    " — use it?</span>"
)
ZONE_SCRIPT = "/static/rabta/zone.js"


def _home(client) -> str:  # type: ignore[no-untyped-def]
    return client.get(reverse("accounts:home")).content.decode()


# --- the middleware ---------------------------------------------------------------------------


def test_the_zone_is_active_only_during_the_request():
    seen: list[str] = []

    def view(request):  # type: ignore[no-untyped-def]
        seen.append(timezone.get_current_timezone_name())
        raise RuntimeError("the view failed")

    request = RequestFactory().get("/")
    request.user = UserFactory(time_zone="America/Toronto")
    with pytest.raises(RuntimeError):
        ReaderZoneMiddleware(view)(request)
    assert (seen, timezone.get_current_timezone_name()) == (["America/Toronto"], "Asia/Karachi")


@pytest.mark.parametrize(
    ("cookie", "expected"),
    [
        (None, "Asia/Karachi"),
        ("Asia/Tokyo", "Asia/Tokyo"),
        ("America/Argentina/Buenos_Aires", "America/Argentina/Buenos_Aires"),
        ("Mars/Olympus", "Asia/Karachi"),
        ("../../etc/passwd", "Asia/Karachi"),
        ("", "Asia/Karachi"),
    ],
)
def test_a_visitor_reads_in_the_remembered_device_zone_if_it_is_real(cookie, expected):
    request = RequestFactory().get("/")
    if cookie is not None:
        request.COOKIES[ZONE_COOKIE] = cookie
    request.user = AnonymousUser()
    assert str(reader_zone(request)) == expected


def test_a_signed_in_person_reads_in_their_zone_not_the_cookie():
    request = RequestFactory().get("/")
    request.COOKIES[ZONE_COOKIE] = "Asia/Tokyo"
    request.user = UserFactory(time_zone="Australia/Sydney")
    assert str(reader_zone(request)) == "Australia/Sydney"


@pytest.mark.parametrize(
    ("own", "profile", "expected"),
    [
        ("America/Toronto", "Europe/London", "America/Toronto"),
        ("", "Europe/London", "Europe/London"),  # the fallback: the contributor profile's
        ("", None, "Asia/Karachi"),
    ],
)
def test_the_user_zone_falls_back_to_the_profile_then_pakistan(own, profile, expected):
    user = UserFactory(time_zone=own)
    if profile:
        ContributorProfileFactory(user=user, time_zone=profile)
    user = User.objects.get(pk=user.pk)
    request = RequestFactory().get("/")
    request.user = user
    assert str(reader_zone(request)) == expected


def test_a_visitor_page_names_the_remembered_zone_in_the_footer(client):
    client.cookies[ZONE_COOKIE] = "Asia/Tokyo"
    page = client.get(reverse("accounts:login")).content.decode()
    assert '<p id="zone-shown">Times in Asia/Tokyo (JST)</p>' in page
    assert ZONE_SCRIPT not in page  # remembered: nothing to ask the device
    assert "data-zone-remember" not in page


def test_a_first_time_visitor_is_shown_pakistan_time_and_asked_for_the_device_zone(client):
    client.cookies[ZONE_COOKIE] = "Mars/Olympus"
    page = client.get(reverse("accounts:login")).content.decode()
    assert '<p id="zone-shown">Times in Pakistan time (PKT)</p>' in page
    assert OFFER not in page  # the offer to save a zone is for signed-in people
    client.cookies.pop(ZONE_COOKIE)
    page = client.get(reverse("accounts:login")).content.decode()
    assert (ZONE_SCRIPT in page, " data-zone-remember>" in page) == (True, True)


# --- the first-visit offer ----------------------------------------------------------------------


def test_the_offer_shows_while_the_zone_is_blank_and_goes_once_chosen(client):
    user = EngineerProfileFactory().user
    client.force_login(user)
    page = _home(client)
    assert OFFER in page
    assert OFFER_TEXT in page
    assert QUESTION in page
    assert ZONE_SCRIPT in page
    assert f'<form method="post" action="{reverse("accounts:time_zone_offer")}"' in page
    assert (
        f'<a href="{reverse("accounts:notifications")}#id_time_zone" data-zone-choose>'
        "Choose your time zone</a>" in page  # without JavaScript: the settings page
    )
    response = client.post(
        reverse("accounts:time_zone_offer"),
        {"action": "use", "time_zone": "Europe/London", "next": "/me/?tab=1"},
    )
    assert (response.status_code, response["Location"]) == (302, "/me/?tab=1")
    user.refresh_from_db()
    assert user.time_zone == "Europe/London"
    page = _home(client)
    assert OFFER not in page
    assert ZONE_SCRIPT not in page
    assert "Saved. Times are now shown in your time zone." in page
    assert '<p id="zone-shown">Times in Europe/London (' in page


def test_the_offer_is_not_made_to_someone_who_chose_a_zone(client):
    user = EngineerProfileFactory(user__time_zone="Asia/Karachi").user
    client.force_login(user)
    page = _home(client)
    assert OFFER not in page
    assert '<p id="zone-shown">Times in Pakistan time (PKT) · <a href="' in page


def test_dismissing_the_offer_is_remembered_and_saves_nothing(client):
    user = EngineerProfileFactory().user
    client.force_login(user)
    response = client.post(
        reverse("accounts:time_zone_offer"), {"action": "dismiss", "next": "/community/"}
    )
    assert (response.status_code, response["Location"]) == (302, "/community/")
    assert response.cookies[ZONE_OFFER_COOKIE].value == "dismissed"
    user.refresh_from_db()
    assert user.time_zone == ""
    page = _home(client)
    assert OFFER not in page
    assert '<p id="zone-shown">Times in Pakistan time (PKT) · <a href="' in page


@pytest.mark.parametrize(
    "zone",
    ["Mars/Olympus", "", "<script>alert(1)</script>", "../../../etc/localtime", "x" * 65],
)
def test_an_invalid_zone_is_refused_and_nothing_saved(client, zone):
    user = EngineerProfileFactory().user
    client.force_login(user)
    response = client.post(
        reverse("accounts:time_zone_offer"), {"action": "use", "time_zone": zone, "next": "/me/"}
    )
    assert (response.status_code, response["Location"]) == (302, "/me/")
    assert {m.level_tag for m in get_messages(response.wsgi_request)} == {"error"}
    user.refresh_from_db()
    assert user.time_zone == ""
    assert OFFER in _home(client)


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/phish",
        "//evil.example/phish",
        "http:evil.example",
        "javascript:alert(1)",
        "\\\\evil.example",
    ],
)
def test_a_next_off_this_site_goes_to_the_settings_page(client, target):
    user = EngineerProfileFactory().user
    client.force_login(user)
    response = client.post(
        reverse("accounts:time_zone_offer"),
        {"action": "use", "time_zone": "Asia/Dubai", "next": target},
    )
    assert (response.status_code, response["Location"]) == (302, reverse("accounts:notifications"))


def test_the_offer_endpoint_takes_only_signed_in_posts(client):
    response = client.post(
        reverse("accounts:time_zone_offer"), {"action": "use", "time_zone": "Asia/Dubai"}
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    user = EngineerProfileFactory().user
    client.force_login(user)
    assert client.get(reverse("accounts:time_zone_offer")).status_code == 405
    user.refresh_from_db()
    assert user.time_zone == ""


def test_the_settings_page_sets_any_zone_and_the_pages_follow(client):
    user = EngineerProfileFactory().user
    client.force_login(user)
    page = client.get(reverse("accounts:notifications")).content.decode()
    assert '<option value="Pacific/Chatham">' in page  # any zone is offered
    data = {kind.key: kind.delivery for kind in kinds()}
    data.update({"digest_hour": "8", "time_zone": "Pacific/Chatham"})
    response = client.post(reverse("accounts:notifications"), data)
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.time_zone == "Pacific/Chatham"
    abbreviation = timezone.localtime(timezone.now(), ZoneInfo("Pacific/Chatham")).strftime("%Z")
    assert f'<p id="zone-shown">Times in Pacific/Chatham ({abbreviation})' in _home(client)


# --- one zone field ---------------------------------------------------------------------------


def test_a_contributor_saving_a_profile_zone_sets_their_own_zone_until_they_choose_another():
    user = UserFactory()
    data = {
        "country": "CA",
        "city": "Toronto",
        "time_zone": "America/Toronto",
        "sectors": ["water"],
        "contribution_types": ["mentoring"],
    }
    services.contributor_profile_save(user=user, data=data)
    user.refresh_from_db()
    assert user.time_zone == "America/Toronto"
    # moving to Vancouver: a person who never chose another zone follows the profile
    services.contributor_profile_save(user=user, data={**data, "time_zone": "America/Vancouver"})
    user.refresh_from_db()
    assert user.time_zone == "America/Vancouver"
    services.user_time_zone_set(user=user, time_zone="Asia/Dubai")
    services.contributor_profile_save(user=user, data={**data, "time_zone": "Europe/Paris"})
    user.refresh_from_db()
    assert (user.time_zone, user.contributor_profile.time_zone) == ("Asia/Dubai", "Europe/Paris")


def test_a_refused_profile_zone_changes_neither_zone():
    user = UserFactory()
    with pytest.raises(DomainError):
        services.contributor_profile_save(
            user=user,
            data={
                "country": "CA",
                "city": "Toronto",
                "time_zone": "Mars/Olympus",
                "sectors": ["water"],
                "contribution_types": ["mentoring"],
            },
        )
    user.refresh_from_db()
    assert user.time_zone == ""


def test_the_data_migration_copies_profile_zones_into_blank_user_zones():
    blank = ContributorProfileFactory(time_zone="America/Toronto").user
    chosen = ContributorProfileFactory(time_zone="Europe/London", user__time_zone="Asia/Dubai").user
    engineer = EngineerProfileFactory().user
    migration = importlib.import_module(
        "rabta.accounts.migrations.0004_user_time_zone_from_contributor_profile"
    )
    migration.copy_contributor_zones(apps, None)
    zones = dict(User.objects.values_list("pk", "time_zone"))
    assert (zones[blank.pk], zones[chosen.pk], zones[engineer.pk]) == (
        "America/Toronto",
        "Asia/Dubai",
        "",
    )
