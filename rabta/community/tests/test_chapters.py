"""Chapters: joining by location and by hand, leads, events across time zones with RSVPs and
places, and a chapter's private data (its forum, members-only events, unlisted members, the
meeting link, who is coming) kept from everyone outside it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from rabta.accounts.models import ContributorProfile
from rabta.community import selectors, services
from rabta.community.models import Chapter, ChapterEvent, ChapterMembership, Rsvp, RsvpStatus
from rabta.community.tests import factories as f
from rabta.core.errors import DomainError, ErrorCode
from rabta.core.models import Notification

pytestmark = pytest.mark.django_db


def test_people_join_their_country_and_city_chapters_by_location():
    london = f.chapter("GB", "London")
    britain = f.chapter("GB", "")
    manchester = f.chapter("GB", "Manchester")
    person = f.contributor("GB", "London")
    mine = set(selectors.memberships_for_user(user=person).values_list("chapter_id", flat=True))
    assert mine == {london.pk, britain.pk}
    assert manchester.pk not in mine
    london.refresh_from_db()
    assert london.members_count == 1


def test_a_new_chapter_takes_in_the_people_already_living_there(django_capture_on_commit_callbacks):
    early = f.contributor("AE", "Dubai")
    elsewhere = f.contributor("AE", "Abu Dhabi")
    with django_capture_on_commit_callbacks(execute=True):
        dubai = f.chapter("AE", "Dubai")
    members = set(dubai.memberships.values_list("user_id", flat=True))
    assert members == {early.pk}
    assert elsewhere.pk not in members
    assert Chapter.objects.get(pk=dubai.pk).members_count == 1


def test_engineers_at_home_join_their_citys_chapter_by_district():
    karachi = f.chapter("PK", "Karachi")
    person = f.engineer()
    person.engineer_profile.district = "sd-karachi-east"
    person.engineer_profile.save()
    assert selectors.membership_of(user=person, chapter=karachi) is not None


def test_someone_who_left_is_not_put_back_by_location():
    london = f.chapter()
    person = f.contributor()
    services.chapter_leave(user=person, chapter=london)
    profile = ContributorProfile.objects.get(user=person)
    profile.employer = "Arup"
    profile.save()  # saving the profile runs the location join again
    assert selectors.membership_of(user=person, chapter=london) is None
    services.chapter_join(user=person, chapter=london)
    assert selectors.membership_of(user=person, chapter=london).source == "manual"
    with pytest.raises(DomainError) as twice:
        services.chapter_join(user=person, chapter=london)
    assert twice.value.code == ErrorCode.CONFLICT
    assert Chapter.objects.get(pk=london.pk).members_count == 1


def test_only_chapter_managers_open_chapters_and_appoint_leads():
    with pytest.raises(DomainError):
        services.chapter_open(actor=f.contributor(), country="DE", city="Munich")
    assert not Chapter.objects.filter(city="Munich").exists()
    place = f.chapter("DE", "Munich")
    with pytest.raises(DomainError):
        services.chapter_open(actor=f.staff(), country="DE", city="munich")
    with pytest.raises(DomainError):
        services.chapter_open(actor=f.staff(), country="XX", city="Nowhere")
    member = f.contributor("DE", "Munich")
    handle = services.member_ensure(user=member).handle
    with pytest.raises(DomainError):
        services.chapter_lead_set(actor=member, chapter=place, handle=handle, lead=True)
    outsider = f.contributor("US", "Houston")
    with pytest.raises(DomainError):
        services.chapter_lead_set(
            actor=f.staff(),
            chapter=place,
            handle=services.member_ensure(user=outsider).handle,
            lead=True,
        )
    services.chapter_lead_set(actor=f.staff(), chapter=place, handle=handle, lead=True)
    assert selectors.is_lead(user=member, chapter=place)


def test_an_event_is_stored_in_utc_and_shown_in_every_zone():
    place = f.chapter()
    lead = f.staff()
    local = dt.datetime.combine(timezone.localdate() + dt.timedelta(days=30), dt.time(18, 0))
    event = f.event(lead, place, starts_local=local, time_zone="America/Toronto")
    expected = local.replace(tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    if event.starts_at != expected:  # Toronto on daylight time
        expected = local.replace(tzinfo=dt.timezone(dt.timedelta(hours=-4)))
    assert event.starts_at == expected
    calendar = Calendar.from_ical(
        __import__("rabta.community.presenters", fromlist=["event_ics"]).event_ics(event)
    )
    entry = next(iter(calendar.walk("VEVENT")))
    assert entry["dtstart"].dt == expected
    assert str(entry["dtstart"].dt.tzinfo) == "America/Toronto"


def test_bad_event_times_are_refused():
    place = f.chapter()
    lead = f.staff()
    past = (timezone.now() - dt.timedelta(days=1)).replace(tzinfo=None)
    with pytest.raises(DomainError):
        f.event(lead, place, starts_local=past)
    with pytest.raises(DomainError):
        f.event(lead, place, time_zone="Mars/Olympus")
    year = timezone.localdate().year + 1
    spring = max(d for d in (dt.date(year, 3, n) for n in range(25, 32)) if d.weekday() == 6)
    skipped = dt.datetime.combine(spring, dt.time(1, 30))  # London's clocks jump 01:00 to 02:00
    with pytest.raises(DomainError):
        f.event(lead, place, starts_local=skipped)
    with pytest.raises(DomainError):
        f.event(lead, place, location="http://insecure.example")
    with pytest.raises(DomainError):
        f.event(f.contributor(), place)
    assert not ChapterEvent.objects.exists()


def test_places_then_a_waiting_list_then_the_next_person_is_told(
    django_capture_on_commit_callbacks,
):
    place = f.chapter()
    event = f.event(f.staff(), place, capacity=2)
    first, second, third = (f.contributor() for _n in range(3))
    assert services.rsvp_set(user=first, event=event, going=True) == RsvpStatus.GOING
    assert services.rsvp_set(user=first, event=event, going=True) == RsvpStatus.GOING
    assert services.rsvp_set(user=second, event=event, going=True) == RsvpStatus.GOING
    assert services.rsvp_set(user=third, event=event, going=True) == RsvpStatus.WAITLIST
    assert ChapterEvent.objects.get(pk=event.pk).going_count == 2
    with django_capture_on_commit_callbacks(execute=True):
        services.rsvp_set(user=first, event=event, going=False)
    assert Rsvp.objects.get(event=event, user=third).status == RsvpStatus.GOING
    assert ChapterEvent.objects.get(pk=event.pk).going_count == 2
    assert Notification.objects.filter(user=third, title__contains="place opened").count() == 1


def test_no_answers_to_a_cancelled_or_started_event():
    place = f.chapter()
    lead = f.staff()
    event = f.event(lead, place)
    services.event_cancel(user=lead, event=event, reason="Venue closed")
    event.refresh_from_db()
    with pytest.raises(DomainError):
        services.rsvp_set(user=f.contributor(), event=event, going=True)
    started = f.event(lead, place)
    ChapterEvent.objects.filter(pk=started.pk).update(starts_at=timezone.now())
    started.refresh_from_db()
    with pytest.raises(DomainError):
        services.rsvp_set(user=f.contributor(), event=started, going=True)
    assert not Rsvp.objects.exists()


def test_a_chapters_private_data_is_not_visible_outside(client):
    place = f.chapter()
    member = f.trusted(f.contributor())
    hidden_member = f.contributor()  # joined by location, not listed
    services.chapter_listing_set(user=member, chapter=place, listed=True)
    lead = f.staff()
    private = f.event(lead, place, title="Members-only supper", location="https://meet.example/x")
    public = f.event(
        lead,
        place,
        title="Open lecture",
        visibility="everyone",
        location="https://meet.example/public-secret",
    )
    thread = f.thread(member, category=place.category, title="Chapter plans for the year")
    services.rsvp_set(user=member, event=public, going=True)
    outsider = f.contributor("US", "Houston")
    client.force_login(outsider)
    page = client.get(reverse("community:chapter", args=[place.slug])).content.decode()
    assert member.display_name in page  # chose to be listed
    assert hidden_member.display_name not in page
    assert "Members-only supper" not in page
    assert "Chapter plans for the year" not in page
    assert client.get(reverse("community:event", args=[private.pk])).status_code == 404
    assert client.get(reverse("community:event_ics", args=[private.pk])).status_code == 404
    assert client.get(reverse("community:thread", args=[thread.pk])).status_code == 404
    assert client.get(reverse("community:category", args=[place.category.slug])).status_code == 404
    open_page = client.get(reverse("community:event", args=[public.pk])).content.decode()
    assert "public-secret" not in open_page  # the link is for the people going
    assert member.display_name not in open_page  # and who is going is for the leads
    assert services.rsvp_set(user=outsider, event=public, going=True) == RsvpStatus.GOING
    assert (
        "public-secret" in client.get(reverse("community:event", args=[public.pk])).content.decode()
    )
    # inside, members see the members-only event and the forum
    client.force_login(hidden_member)
    inside = client.get(reverse("community:chapter", args=[place.slug])).content.decode()
    assert "Members-only supper" in inside
    assert "Chapter plans for the year" in inside
    with pytest.raises(DomainError):
        services.thread_create(
            user=f.trusted(outsider), category=place.category, title="Gatecrash", body="hi"
        )


def test_leaving_takes_away_the_chapters_forum(client):
    place = f.chapter()
    member = f.trusted(f.contributor())
    thread = f.thread(member, category=place.category)
    client.force_login(member)
    assert client.get(reverse("community:thread", args=[thread.pk])).status_code == 200
    client.post(reverse("community:chapter", args=[place.slug]), {"action": "leave"})
    assert ChapterMembership.objects.get(chapter=place, user=member).left_at is not None
    assert client.get(reverse("community:thread", args=[thread.pk])).status_code == 404


def test_event_pages_plan_answer_and_download(client):
    place = f.chapter()
    lead = f.contributor()
    handle = services.member_ensure(user=lead).handle
    services.chapter_lead_set(actor=f.staff(), chapter=place, handle=handle, lead=True)
    client.force_login(lead)
    day = (timezone.localdate() + dt.timedelta(days=12)).isoformat()
    response = client.post(
        reverse("community:chapter", args=[place.slug]),
        {
            "action": "event",
            "title": "Site visit",
            "description": "Bring **boots**",
            "mode": "in_person",
            "location": "Canary Wharf",
            "day": day,
            "at": "10:00",
            "time_zone": "Europe/London",
            "duration_minutes": "90",
            "capacity": "12",
            "visibility": "members",
        },
    )
    event = ChapterEvent.objects.get(title="Site visit")
    assert response.status_code == 302
    member = f.contributor()
    client.force_login(member)
    client.post(reverse("community:event", args=[event.pk]), {"action": "going"})
    page = client.get(reverse("community:event", args=[event.pk])).content.decode()
    assert "Canary Wharf" in page
    assert "<strong>boots</strong>" in page
    ics = client.get(reverse("community:event_ics", args=[event.pk]))
    assert ics["Content-Type"] == "text/calendar"
    assert b"Site visit" in ics.content
    # a bad time is a clear error and nothing is made
    client.force_login(lead)
    response = client.post(
        reverse("community:chapter", args=[place.slug]),
        {
            "action": "event",
            "title": "Bad",
            "mode": "online",
            "location": "x",
            "day": "2020-01-01",
            "at": "25:00",
            "time_zone": "Nowhere",
            "duration_minutes": "5",
            "capacity": "0",
            "visibility": "members",
        },
    )
    assert response.status_code == 200
    assert ChapterEvent.objects.count() == 1
