"""The one notification service: declared kinds, once per recipient and object, the
recipient's language, email after commit and exactly once."""

from unittest import mock

import pytest
from django.core import mail

from rabta.accounts.tests.factories import UserFactory
from rabta.core import emails, notifications
from rabta.core.models import Delivery, Email, Notification
from rabta.core.notifications import NoticeKind, kinds_register, notify
from rabta.core.tasks import email_send_task

pytestmark = pytest.mark.django_db

QUIET = NoticeKind(key="test.quiet", label="Quiet", title="Hello %(name)s", delivery=Delivery.INAPP)
LOUD = NoticeKind(
    key="test.loud",
    label="Loud",
    title="Offer for %(name)s",
    body="Please answer",
)
kinds_register(QUIET, LOUD)


def test_a_notice_is_written_once_per_recipient_kind_and_object():
    person, other = UserFactory(), UserFactory()
    first = notify(person, "test.quiet", other, {"name": "Amna"}, url="/x/")
    again = notify(person, "test.quiet", other, {"name": "Amna"}, url="/x/")
    assert first is not None
    assert again is None
    assert Notification.objects.filter(user=person).count() == 1
    notice = Notification.objects.get()
    assert (notice.kind, notice.title, notice.url) == ("test.quiet", "Hello Amna", "/x/")


def test_a_key_tells_apart_notices_meant_to_repeat_and_other_people_get_their_own():
    person, other = UserFactory(), UserFactory()
    notify(person, "test.quiet", other, {"name": "A"}, key="session-1")
    notify(person, "test.quiet", other, {"name": "A"}, key="session-2")
    notify(other, "test.quiet", other, {"name": "A"}, key="session-1")
    assert Notification.objects.filter(user=person).count() == 2
    assert Notification.objects.filter(user=other).count() == 1


def test_an_undeclared_kind_is_refused_and_writes_nothing():
    person = UserFactory()
    with pytest.raises(ValueError, match="undeclared"):
        notify(person, "test.nobody_declared_this", None, {})
    assert not Notification.objects.exists()


def test_a_kind_cannot_be_declared_twice_differently_or_without_text():
    with pytest.raises(ValueError, match="twice"):
        kinds_register(NoticeKind(key="test.quiet", label="Other", title="Other"))
    with pytest.raises(ValueError, match="neither"):
        kinds_register(NoticeKind(key="test.empty", label="Empty"))
    with pytest.raises(ValueError, match="unknown delivery"):
        kinds_register(NoticeKind(key="test.odd", label="Odd", title="Odd", delivery="hourly"))
    with pytest.raises(ValueError, match="always emailed"):
        kinds_register(
            NoticeKind(key="test.late", label="L", title="L", delivery="daily", always=True)
        )
    kinds_register(QUIET)  # the same declaration again is harmless
    declared = {kind.key for kind in notifications.kinds()}
    assert {"test.empty", "test.odd", "test.late"}.isdisjoint(declared)


def test_values_are_cut_and_text_is_not_interpreted():
    person = UserFactory()
    notify(person, "test.quiet", None, {"name": "<b>x</b>" * 100}, key="long")
    title = Notification.objects.get().title
    assert title.startswith("Hello <b>x</b>")
    assert len(title) == len("Hello ") + 120


def test_an_emailed_kind_sends_after_commit_and_only_once(django_capture_on_commit_callbacks):
    person = UserFactory()
    with django_capture_on_commit_callbacks(execute=False) as pending:
        notice = notify(person, "test.loud", person, {"name": "Bilal"}, url="/offer/")
    assert notice is not None
    assert mail.outbox == []  # nothing leaves before the change commits
    for callback in pending:
        callback()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [person.email]
    assert mail.outbox[0].subject == "Offer for Bilal"
    assert "Please answer" in mail.outbox[0].body
    assert "/offer/" in mail.outbox[0].body
    # a second delivery of the same task sends nothing more
    assert email_send_task(notice.email_id) == "skipped"
    assert len(mail.outbox) == 1
    assert Notification.objects.get().body == "Please answer"
    assert Email.objects.get().state == Email.State.SENT


def test_an_in_app_kind_is_never_emailed(django_capture_on_commit_callbacks):
    person = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        notify(person, "test.quiet", person, {"name": "C"})
    assert mail.outbox == []
    notice = Notification.objects.get()
    assert (notice.delivery, notice.email) == (Delivery.INAPP, None)
    assert not Email.objects.exists()


def test_a_failed_send_is_recorded_and_the_retry_sends_it(django_capture_on_commit_callbacks):
    person = UserFactory()
    with django_capture_on_commit_callbacks(execute=False):
        notice = notify(person, "test.loud", person, {"name": "D"})
    assert notice is not None
    with mock.patch.object(emails, "email_send", side_effect=OSError("down")):
        assert emails.email_deliver(email_id=notice.email_id) == "retry"
    failed = Email.objects.get()
    assert (failed.state, failed.attempts, failed.last_error) == ("failed", 1, "OSError: down")
    assert mail.outbox == []
    assert emails.email_deliver(email_id=notice.email_id) == "sent"
    assert len(mail.outbox) == 1
    sent = Email.objects.get()
    assert (sent.state, sent.attempts, sent.last_error) == ("sent", 2, "")


def test_the_text_is_in_the_recipients_language():
    kinds_register(
        NoticeKind(key="test.inbox", label="Inbox", title="Inbox")  # msgid in the catalogue
    )
    person = UserFactory(preferred_language="ur")
    notify(person, "test.inbox", None, {})
    english = UserFactory(preferred_language="en")
    notify(english, "test.inbox", None, {})
    titles = dict(Notification.objects.values_list("user_id", "title"))
    assert titles[english.pk] == "Inbox"
    assert titles[person.pk] != "Inbox"
