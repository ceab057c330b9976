import pytest
from django.core.management import call_command

from rabta.accounts.models import ContributorProfile, EngineerProfile, Institution, User

pytestmark = pytest.mark.django_db


def test_seed_demo_covers_every_role_once_and_deterministically(capsys):
    call_command("seed_demo", engineers=300, contributors=40, i_know_this_is_not_production=True)
    out = capsys.readouterr().out
    for role in (
        "engineer@",
        "contributor@",
        "institution@",
        "staff@",
        "analyst@",
        "admin@",
        "moderator@",
    ):
        assert role in out
    engineers = EngineerProfile.objects.count()
    assert engineers == 301
    provinces = set(EngineerProfile.objects.values_list("province", flat=True))
    assert len(provinces) == 7
    women = EngineerProfile.objects.filter(gender="woman").count()
    assert 0.12 < women / engineers < 0.30
    countries = set(ContributorProfile.objects.values_list("country", flat=True))
    assert len(countries) >= 30
    assert Institution.objects.count() == 14
    first = list(
        EngineerProfile.objects.order_by("pec_number").values_list("pec_number", "district")[:20]
    )

    # Brain Gain: a request waits for the named contributor, a mentorship and an engagement run
    from rabta.braingain.models import Ask, Engagement, MatchRequest, Mentorship, Proposal

    named = User.objects.get(email="contributor@demo.rabta.test")
    assert MatchRequest.objects.filter(contributor=named, status="pending").count() == 1
    assert Mentorship.objects.get(mentor=named).status == "active"
    assert Engagement.objects.get(consultant=named).status == "active"
    assert Proposal.objects.filter(status="submitted").count() >= 1
    assert Ask.objects.filter(kind="fyp_supervision", status="open").count() >= 10

    # Community: chapters with their people, a led chapter with an event, a moderation queue,
    # Hall of Fame members whose records come from mentorships they completed, panels
    from rabta.community import selectors as community
    from rabta.community.models import Call, Chapter, ChapterEvent, Honour, Post

    toronto = Chapter.objects.get(country="CA", city="Toronto")
    assert community.is_lead(user=named, chapter=toronto)
    assert ChapterEvent.objects.filter(chapter=toronto).count() == 1
    assert Chapter.objects.filter(members_count__gt=0).count() >= 10
    assert Post.objects.filter(flags_open=2).count() == 1
    published = Honour.objects.filter(status="published")
    assert published.count() >= 2
    assert all(community.contribution_record(user_id=h.user_id)["hours"] > 0 for h in published)
    assert set(Call.objects.values_list("status", flat=True)) == {"open", "selected"}

    call_command("seed_demo", engineers=300, contributors=40, i_know_this_is_not_production=True)
    assert "already loaded" in capsys.readouterr().out
    assert User.objects.filter(email__endswith="demo.rabta.test").count() == 300 + 40 + 7 + 11
    assert first == list(
        EngineerProfile.objects.order_by("pec_number").values_list("pec_number", "district")[:20]
    )


def test_the_demo_has_deadlines_minutes_away_for_the_scheduler_to_show(
    django_capture_on_commit_callbacks,
):
    from datetime import timedelta

    from django.utils import timezone

    from rabta.braingain.models import MatchRequest
    from rabta.braingain.services import requests_expire
    from rabta.programme.models import Application
    from rabta.programme.services import offers_expire

    call_command("seed_demo", engineers=300, contributors=40, i_know_this_is_not_production=True)
    pilot = Application.objects.filter(cohort__slug="evening-pilot")
    assert sorted(pilot.values_list("state", flat=True)) == ["offered", "waitlisted"]
    lapsing = MatchRequest.objects.get(ask__title__startswith="Advise on a small-town water")
    assert lapsing.respond_by - timezone.now() < timedelta(minutes=5)
    soon = timezone.now() + timedelta(minutes=6)
    with django_capture_on_commit_callbacks(execute=True):
        assert offers_expire(now=soon) == 1
        moved, reminded = requests_expire(now=soon)
    assert sorted(pilot.values_list("state", flat=True)) == ["expired", "offered"]
    assert moved >= 1
    assert reminded >= 1
    assert MatchRequest.objects.filter(ask=lapsing.ask, status="pending").exists()
