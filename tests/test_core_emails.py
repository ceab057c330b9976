"""Email for every notice, delivered to a real SMTP server started by the test: headers, both
parts, the reader's language and zone, the one-click unsubscribe, retries after a refusal,
exactly once, and nothing when the change rolls back."""

import base64
import re
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest
from django.db import transaction
from django.utils import timezone

from rabta.accounts.tests.factories import UserFactory
from rabta.core import emails
from rabta.core.models import Delivery, Email, NoticePreference, Notification
from rabta.core.notifications import job_done_notify, notify
from rabta.core.tasks import email_send_task, emails_sweep_task
from rabta.programme import services as programme
from rabta.programme.tasks import application_notify
from rabta.programme.tests.factories import ANSWERS, CohortFactory, verified_engineer

pytestmark = pytest.mark.django_db

URDU = re.compile("[\u0600-\u06ff]")


def _request_notice(user, **kwargs):
    return notify(
        user, "braingain.request", user, {"title": "Bridge design"}, url="/r/1/", **kwargs
    )


def _parts(message):
    return message.get_body(("plain",)).get_content(), message.get_body(("html",)).get_content()


def test_a_notice_arrives_multipart_with_the_one_click_unsubscribe_headers(
    smtp_server, django_capture_on_commit_callbacks
):
    user = UserFactory(email="amna@example.pk")
    with django_capture_on_commit_callbacks(execute=True):
        _request_notice(user)
    assert len(smtp_server.messages) == 1
    message = smtp_server.messages[0]
    assert message["To"] == "amna@example.pk"
    assert message["From"] == "Rabta <no-reply@rabta.pec.org.pk>"
    assert message["Subject"] == "New request: Bridge design"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert re.fullmatch(
        r"<http://127\.0\.0\.1:8000/unsubscribe/[^/\s]+/>", message["List-Unsubscribe"].strip()
    )
    text, html = _parts(message)
    assert "http://127.0.0.1:8000/r/1/" in text
    assert "Stop these emails: http://127.0.0.1:8000/unsubscribe/" in text
    assert 'href="http://127.0.0.1:8000/r/1/"' in html  # the button
    assert "Stop these emails</a>" in html
    assert not re.search(r"<(img|script|style|link)\b", html)  # light: inline styles only
    assert len(html) < 4000
    email = Email.objects.get()
    assert (email.state, email.attempts, email.kind) == ("sent", 1, "braingain.request")
    assert Notification.objects.get().email == email


def test_an_urdu_reader_gets_urdu_with_every_time_in_their_own_zone(
    smtp_server, django_capture_on_commit_callbacks
):
    cohort = CohortFactory(seats=1)
    user = verified_engineer()
    user.preferred_language, user.time_zone = "ur", "Europe/London"
    user.save()
    application, _ = programme.application_submit(user=user, cohort_id=cohort.pk, data=ANSWERS)
    application.offer_expires_at = datetime(2026, 4, 10, 12, 0, tzinfo=UTC)
    application.save(update_fields=["offer_expires_at"])
    with django_capture_on_commit_callbacks(execute=True):
        application_notify(application.pk, "offered")
    message = smtp_server.messages[-1]
    text, html = _parts(message)
    assert URDU.search(message["Subject"])
    assert cohort.name in message["Subject"]
    assert URDU.search(text)
    assert "13:00 (Europe/London)" in text  # 12:00 UTC is 13:00 in London in April
    assert "Pakistan time" not in text
    assert '<html lang="ur" dir="rtl">' in html
    assert "Stop these emails" not in text  # the footer is in Urdu too


def test_an_english_reader_abroad_sees_the_deadline_on_their_own_clock(
    smtp_server, django_capture_on_commit_callbacks
):
    cohort = CohortFactory(seats=1)
    user = verified_engineer()
    application, _ = programme.application_submit(user=user, cohort_id=cohort.pk, data=ANSWERS)
    application.offer_expires_at = datetime(2026, 4, 10, 12, 0, tzinfo=UTC)
    application.save(update_fields=["offer_expires_at"])
    with django_capture_on_commit_callbacks(execute=True):
        application_notify(application.pk, "offered")
    text, _html = _parts(smtp_server.messages[-1])
    assert "Confirm it by 10 Apr 2026, 17:00 (Asia/Karachi)" in text


def test_the_unsubscribe_link_works_from_the_email_without_signing_in(
    client, smtp_server, django_capture_on_commit_callbacks
):
    user = UserFactory()
    NoticePreference.objects.create(user=user, kind="community.reply", delivery=Delivery.WEEKLY)
    with django_capture_on_commit_callbacks(execute=True):
        notify(user, "braingain.accepted", user, {"title": "Bridge design"}, url="/m/1/")
    header = smtp_server.messages[0]["List-Unsubscribe"].strip()
    path = urlsplit(header.strip("<>")).path
    text, _html = _parts(smtp_server.messages[0])
    assert f"http://127.0.0.1:8000{path}" in text  # the same link in the footer

    page = client.get(path)
    assert page.status_code == 200
    assert "A contributor accepted" in page.content.decode()
    assert NoticePreference.objects.filter(user=user, kind="braingain.accepted").count() == 0

    done = client.post(path, {"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200
    assert set(NoticePreference.objects.filter(user=user).values_list("kind", "delivery")) == {
        ("braingain.accepted", "inapp"),
        ("community.reply", "weekly"),  # untouched
    }
    with django_capture_on_commit_callbacks(execute=True):
        notify(user, "braingain.accepted", user, {"title": "Next"}, url="/m/2/", key="2")
    assert len(smtp_server.messages) == 1  # nothing more by email
    assert Notification.objects.filter(user=user).count() == 2  # still in the inbox


def test_a_refused_send_is_retried_with_back_off_and_arrives_exactly_once(
    failing_smtp_server, django_capture_on_commit_callbacks
):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        _request_notice(user)
    assert failing_smtp_server.refused == 2
    assert len(failing_smtp_server.messages) == 1
    email = Email.objects.get()
    assert (email.state, email.attempts, email.last_error) == ("sent", 3, "")
    assert email_send_task(email.pk) == "skipped"  # a late duplicate of the task
    assert len(failing_smtp_server.messages) == 1
    assert [emails.retry_countdown(n) for n in range(1, 6)] == [60, 120, 240, 480, 960]


def test_after_the_last_attempt_the_email_gives_up_and_nothing_arrives(
    failing_smtp_server, django_capture_on_commit_callbacks
):
    failing_smtp_server.failures = 100
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        _request_notice(user)
    email = Email.objects.get()
    assert (email.state, email.attempts) == ("gave_up", emails.MAX_ATTEMPTS)
    assert "451" in email.last_error
    assert failing_smtp_server.refused == emails.MAX_ATTEMPTS
    assert failing_smtp_server.messages == []
    assert email_send_task(email.pk) == "skipped"  # given up stays given up
    assert failing_smtp_server.refused == emails.MAX_ATTEMPTS


def test_nothing_is_sent_when_the_transaction_rolls_back(
    smtp_server, django_capture_on_commit_callbacks
):
    user = UserFactory()

    def change_that_fails():
        with transaction.atomic():
            _request_notice(user)
            raise RuntimeError("the change failed")

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
    ):
        change_that_fails()
    assert callbacks == []
    assert not Email.objects.exists()
    assert not Notification.objects.exists()
    assert smtp_server.messages == []


def test_one_email_per_recipient_kind_and_object(smtp_server, django_capture_on_commit_callbacks):
    user, other = UserFactory(), UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        assert _request_notice(user) is not None
        assert _request_notice(user) is None  # a retried task
        _request_notice(user, key="second")  # a notice meant to repeat
        notify(other, "braingain.request", user, {"title": "Bridge design"})
    assert sorted(m["To"] for m in smtp_server.messages) == sorted(
        [user.email, user.email, other.email]
    )
    assert Email.objects.count() == 3


def test_the_sweeper_sends_what_a_lost_message_or_a_stopped_worker_left(
    smtp_server, django_capture_on_commit_callbacks
):
    lost_for, stuck_for, fresh_for = UserFactory(), UserFactory(), UserFactory()
    with django_capture_on_commit_callbacks(execute=False):  # the enqueues are lost
        lost = _request_notice(lost_for).email
        stuck = _request_notice(stuck_for).email
        _request_notice(fresh_for)
    long_ago = timezone.now() - timedelta(hours=2)
    Email.objects.filter(pk=lost.pk).update(created_at=long_ago)
    Email.objects.filter(pk=stuck.pk).update(state="sending", claimed_at=long_ago, attempts=1)
    with django_capture_on_commit_callbacks(execute=True):
        emails_sweep_task()
    assert sorted(m["To"] for m in smtp_server.messages) == sorted(
        [lost_for.email, stuck_for.email]
    )
    assert dict(Email.objects.values_list("user_id", "state")) == {
        lost_for.pk: "sent",
        stuck_for.pk: "sent",
        fresh_for.pk: "pending",  # young: its own send may still come
    }


def test_a_stuck_send_after_the_last_attempt_is_given_up_not_sent(smtp_server):
    user = UserFactory()
    email = _request_notice(user).email
    Email.objects.filter(pk=email.pk).update(
        state="sending", claimed_at=timezone.now() - timedelta(hours=1), attempts=6
    )
    emails.emails_sweep()
    email.refresh_from_db()
    assert (email.state, email.last_error) == ("gave_up", "The worker stopped while sending.")
    assert smtp_server.messages == []


def test_defaults_a_forum_reply_waits_for_the_digest_and_an_offer_goes_at_once(
    smtp_server, django_capture_on_commit_callbacks
):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        reply = notify(user, "community.reply", user, {"name": "Bilal", "title": "Piles"})
        offer = notify(user, "braingain.awarded", user, {"title": "Bridge"})
    assert (reply.delivery, reply.email_id) == ("daily", None)
    assert offer.delivery == "now"
    assert [m["Subject"] for m in smtp_server.messages] == [
        "Your proposal was chosen: Bridge. Sign the contract."
    ]


def test_a_waiting_request_and_its_reminder_are_emailed_whatever_the_digest_choice(
    smtp_server, django_capture_on_commit_callbacks
):
    user = UserFactory()
    # a choice the page never offers for these kinds (say, saved before they were "always")
    NoticePreference.objects.create(user=user, kind="braingain.request", delivery="daily")
    NoticePreference.objects.create(user=user, kind="braingain.reminder", delivery="weekly")
    with django_capture_on_commit_callbacks(execute=True):
        _request_notice(user)
        notify(user, "braingain.reminder", user, {"title": "Bridge design"})
    assert len(smtp_server.messages) == 2
    assert set(Notification.objects.values_list("delivery", flat=True)) == {"now"}


def test_a_person_may_still_turn_an_always_kind_to_the_inbox_only(
    smtp_server, django_capture_on_commit_callbacks
):
    user = UserFactory()
    NoticePreference.objects.create(user=user, kind="braingain.request", delivery="inapp")
    with django_capture_on_commit_callbacks(execute=True):
        _request_notice(user)
    assert smtp_server.messages == []
    assert not Email.objects.exists()
    assert Notification.objects.get().delivery == "inapp"


def test_an_inactive_person_gets_the_notice_but_no_email(smtp_server):
    user = UserFactory(is_active=False)
    notice = _request_notice(user)
    assert (notice.delivery, notice.email_id) == ("inapp", None)
    assert not Email.objects.exists()


def test_the_person_who_started_a_job_hears_when_it_finishes(
    smtp_server, django_capture_on_commit_callbacks
):
    from rabta.core.models import Job

    user = UserFactory()
    job = Job.objects.create(
        name="rabta.programme.tasks.certificates_issue_task",
        started_by=user,
        state=Job.State.SUCCEEDED,
        message="40 certificates issued",
        result_url="/staff/cohorts/c-1/",
    )
    with django_capture_on_commit_callbacks(execute=True):
        job_done_notify(user, job, f"/jobs/{job.pk}/")
        assert job_done_notify(user, job, f"/jobs/{job.pk}/") is None  # once per run
    assert [m["Subject"] for m in smtp_server.messages] == [
        "A job you started has finished: 40 certificates issued"
    ]
    assert Notification.objects.get().url == f"/jobs/{job.pk}/"


def test_a_month_on_the_outbox_keeps_the_record_not_the_words(
    smtp_server, django_capture_on_commit_callbacks
):
    old_for, new_for = UserFactory(), UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        old = _request_notice(old_for).email
        new = _request_notice(new_for).email
    Email.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=31))
    emails.emails_sweep()
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.state, old.subject, old.text, old.html) == ("sent", old.subject, "", "")
    assert new.text
    assert new.html


INVITE = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nMETHOD:REQUEST\r\n"
    "BEGIN:VEVENT\r\nUID:bg-session-1@127.0.0.1\r\n"
    "SUMMARY:Sizing \u2013 \u0628\u06cc\u0679\u0631\u06cc\r\n"
    "DTSTAMP:20261203T120000Z\r\nDTSTART:20261210T120000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)


def test_a_notice_carries_its_calendar_invite_as_a_text_calendar_part(
    smtp_server, django_capture_on_commit_callbacks
):
    user = UserFactory(email="amna@example.pk")
    attachment = {"name": "invite.ics", "type": "text/calendar; method=REQUEST", "content": INVITE}
    with django_capture_on_commit_callbacks(execute=True):
        _request_notice(user, attachments=[attachment])
    (message,) = smtp_server.messages
    text, html = _parts(message)  # the words are as they always were
    assert "Bridge design" in text
    assert "Bridge design" in html
    (part,) = list(message.iter_attachments())
    assert part.get_content_type() == "text/calendar"
    assert part.get_param("method") == "REQUEST"
    assert part.get_content_charset() == "utf-8"
    assert part.get_filename() == "invite.ics"
    assert part.get_content().replace("\r\n", "\n") == INVITE.replace("\r\n", "\n")
    assert Email.objects.get().attachments == [attachment]


def test_a_file_that_is_not_text_travels_as_base64(smtp_server, django_capture_on_commit_callbacks):
    user = UserFactory()
    data = bytes(range(256))
    attachment = {
        "name": "plan.pdf",
        "type": "application/pdf",
        "content": base64.b64encode(data).decode(),
    }
    with django_capture_on_commit_callbacks(execute=True):
        _request_notice(user, attachments=[attachment])
    (part,) = list(smtp_server.messages[0].iter_attachments())
    assert (part.get_content_type(), part.get_filename()) == ("application/pdf", "plan.pdf")
    assert part.get_content() == data


def test_a_notice_without_files_has_no_attachment_part(
    smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _request_notice(UserFactory())
    assert list(smtp_server.messages[0].iter_attachments()) == []
    assert Email.objects.get().attachments == []


def test_a_notice_read_in_the_inbox_only_queues_no_email_and_no_file():
    user = UserFactory()
    NoticePreference.objects.create(user=user, kind="braingain.request", delivery=Delivery.INAPP)
    attachment = {"name": "invite.ics", "type": "text/calendar; method=REQUEST", "content": INVITE}
    notice = _request_notice(user, attachments=[attachment])
    assert notice is not None
    assert notice.email is None
    assert Email.objects.count() == 0


def test_a_month_on_the_outbox_forgets_the_files_with_the_words(
    smtp_server, django_capture_on_commit_callbacks
):
    attachment = {"name": "invite.ics", "type": "text/calendar; method=REQUEST", "content": INVITE}
    with django_capture_on_commit_callbacks(execute=True):
        old = _request_notice(UserFactory(), attachments=[attachment]).email
        new = _request_notice(UserFactory(), attachments=[attachment]).email
    Email.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=31))
    emails.emails_sweep()
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.text, old.html, old.attachments) == ("", "", [])
    assert new.attachments == [attachment]
