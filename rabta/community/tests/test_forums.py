"""Forums: posting, the form's one-time key, trust levels and rate limits, mentions,
subscriptions and notifications (each sent once), answers, edits and search."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from rabta.community import services
from rabta.community.models import Member, Post, PostNotice, Thread, TrustLevel
from rabta.community.tests import factories as f
from rabta.core.errors import DomainError, ErrorCode
from rabta.core.models import Notification

pytestmark = pytest.mark.django_db


def _new_member(days_old: int = 0):
    user = f.contributor()
    user.date_joined = timezone.now() - dt.timedelta(days=days_old)
    user.save(update_fields=["date_joined"])
    return user


def test_a_discussion_and_its_replies_are_numbered_and_counted():
    author = f.trusted(f.contributor())
    other = f.trusted(f.engineer())
    thread = f.thread(author)
    first = services.reply_create(user=other, thread=thread, body="Keep it near 1.2.")
    second = services.reply_create(user=author, thread=thread, body="Thanks, that helps.")
    thread.refresh_from_db()
    assert [p.number for p in thread.posts.all()] == [1, 2, 3]
    assert (first.number, second.number) == (2, 3)
    assert thread.replies_count == 2
    assert (
        thread.category.threads_count == 1
        or Thread.objects.filter(category=thread.category).count() == 1
    )
    assert Member.objects.get(user=author).posts_count == 2


def test_the_same_form_sent_twice_makes_one_post():
    author = f.trusted(f.contributor())
    thread = f.thread(author, nonce="thread-key")
    again = f.thread(author, nonce="thread-key")
    assert again.pk == thread.pk
    reply = services.reply_create(user=author, thread=thread, body="Once.", nonce="reply-key")
    retry = services.reply_create(user=author, thread=thread, body="Once.", nonce="reply-key")
    assert retry.pk == reply.pk
    assert Post.objects.filter(thread=thread).count() == 2
    assert Thread.objects.count() == 1


def test_a_new_member_may_post_one_link_and_mention_two_people():
    newcomer = _new_member()
    thread = f.thread(f.contributor())
    with pytest.raises(DomainError) as refused:
        services.reply_create(
            user=newcomer, thread=thread, body="See https://a.example and https://b.example"
        )
    assert refused.value.code == ErrorCode.VALIDATION_ERROR
    assert "at most 1 web address" in refused.value.message
    handles = []
    for _n in range(3):
        person = f.contributor()
        handles.append("@" + services.member_ensure(user=person).handle)
    with pytest.raises(DomainError):
        services.reply_create(user=newcomer, thread=thread, body="Hi " + " ".join(handles))
    assert Post.objects.filter(author=newcomer).count() == 0
    services.reply_create(user=newcomer, thread=thread, body="One link: https://a.example")
    assert Post.objects.filter(author=newcomer).count() == 1


def test_a_new_member_is_limited_to_five_posts_an_hour_and_two_discussions_a_day():
    newcomer = _new_member()
    thread = f.thread(f.contributor())
    for n in range(5):
        services.reply_create(user=newcomer, thread=thread, body=f"Reply number {n}")
    with pytest.raises(DomainError) as refused:
        services.reply_create(user=newcomer, thread=thread, body="One too many")
    assert refused.value.code == ErrorCode.RATE_LIMITED
    assert Post.objects.filter(author=newcomer).count() == 5
    # an hour later the posting limit has passed; the discussions limit is per day
    Post.objects.filter(author=newcomer).update(created_at=timezone.now() - dt.timedelta(hours=2))
    category = f.sector_forum("ai")
    for n in range(2):
        services.thread_create(
            user=newcomer, category=category, title=f"Question number {n}", body="Body text"
        )
    with pytest.raises(DomainError) as refused:
        services.thread_create(user=newcomer, category=category, title="Third question", body="x y")
    assert refused.value.code == ErrorCode.RATE_LIMITED
    assert Thread.objects.filter(author=newcomer).count() == 2


def test_trust_rises_with_time_and_posts_and_falls_after_a_hidden_post():
    person = _new_member(days_old=3)
    member = services.member_ensure(user=person)
    assert services.trust_level_refresh(member=member) == TrustLevel.NEW
    Member.objects.filter(pk=member.pk).update(posts_count=3)
    member.refresh_from_db()
    assert services.trust_level_refresh(member=member) == TrustLevel.BASIC
    thread = f.thread(f.contributor())
    post = services.reply_create(user=person, thread=thread, body="A reply")
    services.post_hide(moderator=f.moderator(), post=post, reason="Off topic")
    member.refresh_from_db()
    assert services.trust_level_refresh(member=member) == TrustLevel.NEW


def test_mentions_and_watchers_are_each_told_once(django_capture_on_commit_callbacks):
    author = f.trusted(f.contributor())
    watcher = f.trusted(f.engineer())
    mentioned = f.contributor()
    handle = services.member_ensure(user=mentioned).handle
    thread = f.thread(author)
    services.subscription_set(user=watcher, thread=thread, on=True)
    with django_capture_on_commit_callbacks(execute=True):
        reply = services.reply_create(
            user=watcher, thread=thread, body=f"@{handle} and @{handle} again, what do you think?"
        )
    # the author watches their discussion; the mentioned person is told; the writer is not
    assert Notification.objects.filter(user=author).count() == 1
    assert Notification.objects.filter(user=mentioned).count() == 1
    assert Notification.objects.filter(user=watcher).count() == 0
    # the task runs again (a retry): nobody is told twice
    assert services.post_notify(post_id=reply.pk) == 0
    assert PostNotice.objects.filter(post=reply).count() == 2
    assert Notification.objects.filter(user__in=[author, mentioned]).count() == 2


def test_an_unread_message_about_a_discussion_is_not_followed_by_another(
    django_capture_on_commit_callbacks,
):
    author = f.trusted(f.contributor())
    other = f.trusted(f.engineer())
    thread = f.thread(author)
    with django_capture_on_commit_callbacks(execute=True):
        services.reply_create(user=other, thread=thread, body="First reply")
    with django_capture_on_commit_callbacks(execute=True):
        services.reply_create(user=other, thread=thread, body="Second reply")
    assert Notification.objects.filter(user=author).count() == 1
    Notification.objects.filter(user=author).update(read_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        services.reply_create(user=other, thread=thread, body="Third reply")
    assert Notification.objects.filter(user=author).count() == 2


def test_nobody_is_told_about_a_post_they_cannot_read_or_a_hidden_one(
    django_capture_on_commit_callbacks,
):
    place = f.chapter()
    member = f.trusted(f.contributor())  # lives in London: joined
    outsider = f.contributor(country="US", city="Houston")
    outsider_handle = services.member_ensure(user=outsider).handle
    thread = f.thread(member, category=place.category)
    with django_capture_on_commit_callbacks(execute=True):
        reply = services.reply_create(
            user=member, thread=thread, body=f"Hello @{outsider_handle}, are you coming?"
        )
    assert Notification.objects.filter(user=outsider).count() == 0
    watcher = f.trusted(f.engineer())
    open_thread = f.thread(member)
    services.subscription_set(user=watcher, thread=open_thread, on=True)
    hidden = services.reply_create(user=member, thread=open_thread, body="to be hidden")
    Notification.objects.all().delete()
    PostNotice.objects.all().delete()
    services.post_hide(moderator=f.moderator(), post=hidden, reason="Spam link")
    assert services.post_notify(post_id=hidden.pk) == 0
    assert not Notification.objects.filter(user=watcher).exists()
    assert reply.pk


def test_watching_a_forum_tells_of_new_discussions_only(django_capture_on_commit_callbacks):
    watcher = f.trusted(f.engineer())
    category = f.sector_forum("water")
    services.category_watch_set(user=watcher, category=category, on=True)
    author = f.trusted(f.contributor())
    with django_capture_on_commit_callbacks(execute=True):
        thread = f.thread(author, category=category)
        services.reply_create(user=f.trusted(f.contributor()), thread=thread, body="a reply")
    notes = list(Notification.objects.filter(user=watcher))
    assert len(notes) == 1
    assert "New discussion" in notes[0].title


def test_only_the_asker_or_a_moderator_chooses_the_answer():
    asker = f.trusted(f.engineer())
    helper = f.trusted(f.contributor())
    thread = f.thread(asker)
    answer = services.reply_create(user=helper, thread=thread, body="Use 1.2.")
    with pytest.raises(DomainError):
        services.solution_set(user=helper, post=answer, solved=True)
    assert Thread.objects.get(pk=thread.pk).solution_id is None
    with pytest.raises(DomainError):
        services.solution_set(user=asker, post=thread.posts.get(number=1), solved=True)
    services.solution_set(user=asker, post=answer, solved=True)
    assert Thread.objects.get(pk=thread.pk).solution_id == answer.pk


def test_only_the_author_edits_and_not_once_locked():
    author = f.trusted(f.contributor())
    thread = f.thread(author)
    post = thread.posts.get(number=1)
    with pytest.raises(DomainError):
        services.post_edit(user=f.trusted(f.engineer()), post=post, body="hijacked")
    services.post_edit(user=author, post=post, body="Better words")
    post.refresh_from_db()
    assert post.body == "Better words"
    assert post.edited_at is not None
    services.thread_lock_set(moderator=f.moderator(), thread=thread, locked=True, reason="Done")
    post.thread.refresh_from_db()
    with pytest.raises(DomainError):
        services.post_edit(user=author, post=post, body="Changed after lock")
    assert Post.objects.get(pk=post.pk).body == "Better words"


def test_a_locked_discussion_takes_no_replies_but_a_moderator_may_add_one():
    author = f.trusted(f.contributor())
    thread = f.thread(author)
    moderator = f.moderator()
    services.thread_lock_set(moderator=moderator, thread=thread, locked=True, reason="Resolved")
    thread.refresh_from_db()
    with pytest.raises(DomainError) as refused:
        services.reply_create(user=author, thread=thread, body="one more")
    assert "Resolved" in refused.value.message
    services.reply_create(user=moderator, thread=thread, body="Closing note from moderation")
    assert thread.posts.count() == 2


def test_empty_and_oversized_posts_are_refused():
    author = f.trusted(f.contributor())
    thread = f.thread(author)
    for body in ("", " ", "x" * 20001):
        with pytest.raises(DomainError):
            services.reply_create(user=author, thread=thread, body=body)
    with pytest.raises(DomainError):
        services.thread_create(user=author, category=f.sector_forum(), title="Hi", body="body")
    assert thread.posts.count() == 1


def test_search_finds_visible_posts_the_reader_may_see():
    author = f.trusted(f.contributor())
    thread = f.thread(author, title="Grid-tied inverter sizing", body="DC to AC ratio question")
    services.reply_create(user=author, thread=thread, body="Talk about transformers")
    hidden = services.reply_create(user=author, thread=thread, body="secret inverter spam")
    services.post_hide(moderator=f.moderator(), post=hidden, reason="Spam link")
    place = f.chapter(country="AE", city="Dubai")
    insider = f.trusted(f.contributor(country="AE", city="Dubai"))
    f.thread(insider, category=place.category, title="Dubai inverter meetup", body="inverter")
    from rabta.community import selectors

    reader = f.engineer()
    found = list(selectors.search(user=reader, query="inverter"))
    assert [p.thread.title for p in found] == ["Grid-tied inverter sizing"]
    assert hidden.pk not in [p.pk for p in found]
    assert len(list(selectors.search(user=insider, query="inverter"))) == 2
    assert list(selectors.search(user=reader, query="   ")) == []


def test_a_handle_is_unique_and_well_formed():
    first = f.contributor()
    second = f.contributor()
    services.handle_change(user=first, handle="imran-q")
    for bad in ("imran-q", "IMRAN-Q", "a", "bad handle", "../etc", "<b>x</b>", "x" * 31):
        with pytest.raises(DomainError):
            services.handle_change(user=second, handle=bad)
    assert Member.objects.get(user=second).handle != "imran-q"
