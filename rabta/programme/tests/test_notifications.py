from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from rabta.core.models import Notification
from rabta.programme import services
from rabta.programme.models import LiveSession
from rabta.programme.tasks import (
    application_notify,
    offer_deadline_reminders_send,
    session_reminders_send,
)
from rabta.programme.tests.factories import ANSWERS, CohortFactory, verified_engineer

pytestmark = pytest.mark.django_db


def test_an_offer_arrives_by_email_and_in_the_inbox_once(
    client, django_capture_on_commit_callbacks
):
    cohort = CohortFactory(seats=1)
    user = verified_engineer()
    with django_capture_on_commit_callbacks(execute=True):
        application, _ = services.application_submit(user=user, cohort_id=cohort.pk, data=ANSWERS)
    application_notify(application.pk, "offered")  # a retried task
    assert len(mail.outbox) == 1
    assert Notification.objects.filter(user=user).count() == 1
    client.force_login(user)
    page = client.get(reverse("core:inbox")).content.decode()
    assert cohort.name in page
    assert "Inbox (1)" in page
    client.post(reverse("core:inbox"))
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_nobody_sees_another_persons_inbox(client):
    cohort = CohortFactory(seats=1)
    owner = verified_engineer()
    application, _ = services.application_submit(user=owner, cohort_id=cohort.pk, data=ANSWERS)
    application_notify(application.pk, "offered")
    client.force_login(verified_engineer())
    page = client.get(reverse("core:inbox")).content.decode()
    assert cohort.name not in page
    client.post(reverse("core:inbox"))
    assert Notification.objects.get().read_at is None


def test_session_and_deadline_reminders_are_sent_once(django_capture_on_commit_callbacks):
    cohort = CohortFactory(seats=2, offer_days=1)
    seated = verified_engineer()
    application, _ = services.application_submit(user=seated, cohort_id=cohort.pk, data=ANSWERS)
    services.offer_respond(user=seated, application_id=application.pk, accept=True)
    waiting_user = verified_engineer()
    services.application_submit(user=waiting_user, cohort_id=cohort.pk, data=ANSWERS)
    soon = timezone.now() + timedelta(hours=3)
    LiveSession.objects.create(
        cohort=cohort,
        track="platforms",
        title="Platforms",
        starts_at=soon,
        ends_at=soon + timedelta(hours=2),
    )
    LiveSession.objects.create(
        cohort=cohort,
        track="portfolio",
        title="Portfolio",
        starts_at=soon + timedelta(hours=5),
        ends_at=soon + timedelta(hours=7),
    )
    mail.outbox.clear()
    # the emails leave after the jobs' work commits
    with django_capture_on_commit_callbacks(execute=True):
        assert session_reminders_send() == 2
        assert session_reminders_send() == 0  # the hourly rerun tells nobody again
        assert offer_deadline_reminders_send() == 1
        assert offer_deadline_reminders_send() == 0
    # One reminder per session for the participant, one deadline reminder for the offer.
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [seated.email, seated.email, waiting_user.email]
    )
