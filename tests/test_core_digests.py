"""Digests: the notices a person reads in a digest, grouped by kind, sent once a day at their
local hour (and the weekly ones on Mondays), exactly once per person and period."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from rabta.accounts.tests.factories import UserFactory
from rabta.core.digests import digests_send
from rabta.core.models import Email, NoticePreference, Notification
from rabta.core.notifications import notify

pytestmark = pytest.mark.django_db

# Tuesday 14 April 2026, 04:00 UTC: 09:00 in Karachi, 05:00 in London
TUESDAY_0900_KARACHI = datetime(2026, 4, 14, 4, 0, tzinfo=UTC)
MONDAY_0900_KARACHI = datetime(2026, 4, 13, 4, 0, tzinfo=UTC)


def _forum_news(user, n=1):
    for i in range(n):
        notify(user, "community.reply", user, {"name": "Bilal", "title": f"Piles {i}"}, key=str(i))
    notify(user, "community.mention", user, {"name": "Sana", "title": "Soil tests"}, url="/t/9/")


def _parts(message):
    return message.get_body(("plain",)).get_content(), message.get_body(("html",)).get_content()


def test_a_digest_groups_the_days_notices_by_kind_at_the_persons_hour_once(
    smtp_server, django_capture_on_commit_callbacks
):
    user = UserFactory(digest_hour=9)
    _forum_news(user, n=2)
    assert smtp_server.messages == []  # forum activity waits for the digest
    with django_capture_on_commit_callbacks(execute=True):
        assert digests_send(now=TUESDAY_0900_KARACHI) == 1
        assert digests_send(now=TUESDAY_0900_KARACHI) == 0  # the same hour again
    assert len(smtp_server.messages) == 1
    message = smtp_server.messages[0]
    assert message["Subject"] == "Your Rabta digest: 3 new notices"
    assert message["To"] == user.email
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text, html = _parts(message)
    replies, mentions = (
        text.index("A reply in a discussion you watch"),
        text.index("Someone mentioned you"),
    )
    assert text.index("Bilal replied to “Piles 0”") > replies
    assert text.index("Bilal replied to “Piles 1”") < mentions < text.index("Sana mentioned you")
    assert "http://127.0.0.1:8000/t/9/" in text
    assert "(Asia/Karachi)" in text  # each notice's time, in the reader's zone
    assert html.count("<h2") == 2
    email = Email.objects.get()
    assert (email.kind, email.key) == ("digest", "digest:daily:2026-04-14")
    assert set(Notification.objects.values_list("email_id", flat=True)) == {email.pk}


def test_no_digest_outside_the_persons_hour_or_with_nothing_waiting(smtp_server):
    waiting, idle = UserFactory(digest_hour=10), UserFactory(digest_hour=9)
    _forum_news(waiting)
    assert digests_send(now=TUESDAY_0900_KARACHI) == 0
    assert not Email.objects.exists()
    assert Notification.objects.filter(user=idle).count() == 0


def test_the_hour_is_the_persons_own_local_hour(smtp_server):
    london = UserFactory(digest_hour=5, time_zone="Europe/London")
    karachi = UserFactory(digest_hour=10)
    _forum_news(london)
    _forum_news(karachi)
    assert digests_send(now=TUESDAY_0900_KARACHI) == 1  # 05:00 in London; 09:00 is too early here
    assert list(Email.objects.values_list("user_id", flat=True)) == [london.pk]


def test_weekly_notices_wait_for_monday(smtp_server, django_capture_on_commit_callbacks):
    user = UserFactory(digest_hour=9)
    NoticePreference.objects.create(user=user, kind="community.reply", delivery="weekly")
    notify(user, "community.reply", user, {"name": "Bilal", "title": "Piles"})
    assert digests_send(now=TUESDAY_0900_KARACHI) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert digests_send(now=MONDAY_0900_KARACHI) == 1
    assert smtp_server.messages[0]["Subject"] == "Your Rabta digest: 1 new notice"


def test_a_notice_read_in_the_inbox_or_already_sent_is_not_sent_again(smtp_server):
    user = UserFactory(digest_hour=9)
    _forum_news(user)
    Notification.objects.filter(kind="community.mention").update(read_at=timezone.now())
    digests_send(now=TUESDAY_0900_KARACHI)
    notify(user, "community.reply", user, {"name": "Bilal", "title": "Later"}, key="later")
    digests_send(now=datetime(2026, 4, 15, 4, 0, tzinfo=UTC))  # the next day
    carried = dict(Email.objects.values_list("key", "notices__title"))
    assert carried == {
        "digest:daily:2026-04-14": "Bilal replied to “Piles 0”",
        "digest:daily:2026-04-15": "Bilal replied to “Later”",
    }
    assert Notification.objects.get(kind="community.mention").email_id is None


def test_the_digest_unsubscribe_sends_those_kinds_to_the_inbox_only(
    client, smtp_server, django_capture_on_commit_callbacks
):
    user = UserFactory(digest_hour=9)
    _forum_news(user)
    with django_capture_on_commit_callbacks(execute=True):
        digests_send(now=TUESDAY_0900_KARACHI)
    link = smtp_server.messages[0]["List-Unsubscribe"].strip().strip("<>")
    notify(user, "community.reply", user, {"name": "Bilal", "title": "Waiting"}, key="w")
    response = client.post(link.removeprefix("http://127.0.0.1:8000"))
    assert response.status_code == 200
    chosen = dict(NoticePreference.objects.filter(user=user).values_list("kind", "delivery"))
    daily_by_default = {"community.reply", "community.mention", "braingain.proposal"}
    assert daily_by_default <= set(chosen)
    assert set(chosen.values()) == {"inapp"}
    assert "braingain.request" not in chosen  # kinds sent at once stay as they were
    # what was waiting for the next digest stays in the inbox only
    assert Notification.objects.get(title="Bilal replied to “Waiting”").delivery == "inapp"
    assert digests_send(now=datetime(2026, 4, 15, 4, 0, tzinfo=UTC)) == 0


def test_a_missed_hour_is_caught_up_later_that_day_once(smtp_server):
    """Beat was down at 09:00: the 11:00 run sends the day's digest, and the noon run adds
    nothing even though a new notice arrived meanwhile (it waits for tomorrow's)."""
    user = UserFactory(digest_hour=9)
    _forum_news(user)
    eleven = TUESDAY_0900_KARACHI + timedelta(hours=2)
    assert digests_send(now=eleven) == 1
    notify(user, "community.reply", user, {"name": "Bilal", "title": "Later"}, key="later")
    assert digests_send(now=eleven + timedelta(hours=1)) == 0
    assert Email.objects.filter(user=user, kind="digest").count() == 1
    assert Notification.objects.filter(user=user, email__isnull=True).count() == 1
