"""Moderation: every action by every role (only moderators succeed; a chapter's leads only in
their chapter's forum), flags, bans, and the audit trail."""

from __future__ import annotations

import pytest
from django.urls import reverse

from rabta.accounts.roles import Role
from rabta.accounts.tests.factories import (
    institution_with_admin,
    login_with_second_factor,
    user_with_role,
)
from rabta.community import services
from rabta.community.models import Ban, Flag, ModerationAction, Post, Thread
from rabta.community.tests import factories as f
from rabta.core.errors import DomainError, ErrorCode
from rabta.core.models import AuditLog, Notification

pytestmark = pytest.mark.django_db

NOT_MODERATORS = [
    Role.ENGINEER,
    Role.CONTRIBUTOR,
    Role.INSTITUTION_REP,
    Role.PROGRAMME_STAFF,
    Role.COUNCIL_ANALYST,
]


def _person(role):
    if role == Role.INSTITUTION_REP:
        rep = user_with_role(role)
        institution_with_admin(rep)
        return rep
    return user_with_role(role)


def _actions(thread, post, target, person):
    other = f.sector_forum("careers")
    return {
        "hide": lambda: services.post_hide(moderator=person, post=post, reason="Off topic"),
        "lock": lambda: services.thread_lock_set(
            moderator=person, thread=thread, locked=True, reason="Resolved"
        ),
        "move": lambda: services.thread_move(
            moderator=person, thread=thread, category=other, reason="Wrong forum"
        ),
        "ban": lambda: services.user_ban(moderator=person, user=target, reason="Spam", days=7),
        "trust": lambda: services.trust_level_set(
            moderator=person, user=target, level=2, reason="Known expert"
        ),
    }


def _world():
    author = f.trusted(f.contributor())
    thread = f.thread(author)
    post = services.reply_create(user=author, thread=thread, body="A reply to moderate")
    return author, thread, post


@pytest.mark.parametrize("role", NOT_MODERATORS)
@pytest.mark.parametrize("action", ["hide", "lock", "move", "ban", "trust"])
def test_nobody_but_a_moderator_can_moderate(role, action):
    author, thread, post = _world()
    person = _person(role)
    with pytest.raises(DomainError) as refused:
        _actions(thread, post, author, person)[action]()
    assert refused.value.code == ErrorCode.FORBIDDEN
    post.refresh_from_db()
    thread.refresh_from_db()
    assert post.hidden_at is None
    assert thread.locked_at is None
    assert thread.category.slug == "renewable-energy"
    assert not Ban.objects.exists()
    assert not ModerationAction.objects.exists()
    assert not AuditLog.objects.filter(action__startswith="community.").exists()


@pytest.mark.parametrize("role", [Role.MODERATOR, Role.ADMINISTRATOR])
@pytest.mark.parametrize("action", ["hide", "lock", "move", "ban", "trust"])
def test_moderators_and_administrators_can(role, action):
    author, thread, post = _world()
    person = user_with_role(role)
    _actions(thread, post, author, person)[action]()
    entry = ModerationAction.objects.get()
    assert entry.moderator == person
    assert AuditLog.objects.filter(action=f"community.{entry.action}", actor=person).count() == 1


def test_a_chapter_lead_moderates_only_their_chapters_forum():
    place = f.chapter()
    lead = f.trusted(f.contributor())  # lives in London: joined by location
    handle = services.member_ensure(user=lead).handle
    services.chapter_lead_set(actor=f.staff(), chapter=place, handle=handle, lead=True)
    member = f.trusted(f.contributor())
    inside = f.thread(member, category=place.category)
    reply = services.reply_create(user=member, thread=inside, body="rude words")
    services.post_hide(moderator=lead, post=reply, reason="Be kind")
    services.thread_lock_set(moderator=lead, thread=inside, locked=True, reason="Cooling off")
    assert Post.objects.get(pk=reply.pk).hidden_at is not None
    # elsewhere, and for moves and bans, a lead is an ordinary member
    outside = f.thread(member)
    with pytest.raises(DomainError):
        services.thread_lock_set(moderator=lead, thread=outside, locked=True, reason="No")
    with pytest.raises(DomainError):
        services.thread_move(
            moderator=lead, thread=inside, category=f.sector_forum(), reason="Out of sight"
        )
    with pytest.raises(DomainError):
        services.user_ban(moderator=lead, user=member, reason="Spam", days=1)
    assert Thread.objects.get(pk=outside.pk).locked_at is None
    assert Thread.objects.get(pk=inside.pk).category == place.category


def test_hiding_tells_the_author_why_and_hides_the_opening_posts_thread(
    django_capture_on_commit_callbacks,
):
    author, thread, post = _world()
    moderator = f.moderator()
    with django_capture_on_commit_callbacks(execute=True):
        services.post_hide(moderator=moderator, post=post, reason="Advertising")
    note = Notification.objects.get(user=author)
    assert "Advertising" in note.title
    thread.refresh_from_db()
    assert thread.replies_count == 0
    assert thread.hidden_at is None
    services.post_hide(moderator=moderator, post=thread.posts.get(number=1), reason="Spam")
    assert Thread.objects.get(pk=thread.pk).hidden_at is not None
    with pytest.raises(DomainError):
        services.post_hide(moderator=moderator, post=post, reason="Again")
    assert ModerationAction.objects.filter(action="hide").count() == 2


def test_a_reason_is_required():
    _author, thread, post = _world()
    for reason in ("", "  ", "x"):
        with pytest.raises(DomainError):
            services.post_hide(moderator=f.moderator(), post=post, reason=reason)
    assert Post.objects.get(pk=post.pk).hidden_at is None


def test_three_members_flagging_hide_a_post_until_a_moderator_decides():
    author, thread, post = _world()
    flaggers = [f.engineer() for _n in range(3)]
    services.flag_create(user=flaggers[0], post=post, reason="spam")
    with pytest.raises(DomainError) as twice:
        services.flag_create(user=flaggers[0], post=post, reason="spam")
    assert twice.value.code == ErrorCode.CONFLICT
    with pytest.raises(DomainError):
        services.flag_create(user=author, post=post, reason="spam")
    with pytest.raises(DomainError):
        services.flag_create(user=flaggers[1], post=post, reason="not-a-reason")
    services.flag_create(user=flaggers[1], post=post, reason="abuse")
    assert Post.objects.get(pk=post.pk).hidden_at is None
    services.flag_create(user=flaggers[2], post=post, reason="spam", note="selling followers")
    post.refresh_from_db()
    assert post.hidden_at is not None
    assert post.flags_open == 3
    # the moderator disagrees: the post is back, the flags are resolved
    services.flags_dismiss(moderator=f.moderator(), post=post, reason="Not spam")
    post.refresh_from_db()
    assert post.hidden_at is None
    assert post.flags_open == 0
    assert Flag.objects.filter(outcome="dismissed").count() == 3


def test_a_banned_member_cannot_post_flag_or_rsvp_until_lifted():
    author, thread, post = _world()
    offender = f.trusted(f.engineer())
    moderator = f.moderator()
    ban = services.user_ban(moderator=moderator, user=offender, reason="Repeated spam", days=None)
    with pytest.raises(DomainError) as refused:
        services.reply_create(user=offender, thread=thread, body="still here")
    assert "Repeated spam" in refused.value.message
    with pytest.raises(DomainError):
        services.flag_create(user=offender, post=post, reason="spam")
    with pytest.raises(DomainError):
        services.user_ban(moderator=moderator, user=offender, reason="Again", days=3)
    assert thread.posts.filter(author=offender).count() == 0
    with pytest.raises(DomainError):
        services.user_ban(moderator=moderator, user=f.moderator(), reason="Rival", days=3)
    services.ban_lift(moderator=moderator, ban=ban, reason="Apologised")
    services.reply_create(user=offender, thread=thread, body="Sorry, everyone.")
    assert thread.posts.filter(author=offender).count() == 1
    assert [a.action for a in ModerationAction.objects.order_by("at", "pk")] == ["ban", "unban"]


def test_moving_keeps_the_counts_right():
    author, thread, post = _world()
    source = thread.category
    target = f.sector_forum("careers")
    services.thread_move(moderator=f.moderator(), thread=thread, category=target, reason="Fits")
    source.refresh_from_db()
    target.refresh_from_db()
    assert (source.threads_count, target.threads_count) == (0, 1)
    with pytest.raises(DomainError):
        services.thread_move(
            moderator=f.moderator(),
            thread=Thread.objects.get(pk=thread.pk),
            category=target,
            reason="Again",
        )


@pytest.mark.parametrize("role", NOT_MODERATORS)
def test_moderation_pages_and_posted_actions_refuse_everyone_else(client, role):
    author, thread, post = _world()
    person = _person(role)
    login_with_second_factor(client, person)
    handle = services.member_ensure(user=author).handle
    assert client.get(reverse("community:moderation")).status_code == 404
    assert client.get(reverse("community:member_moderate", args=[handle])).status_code == 404
    response = client.post(
        reverse("community:post", args=[post.pk]), {"action": "hide", "reason": "Spam here"}
    )
    assert response.status_code == 302
    client.post(
        reverse("community:thread", args=[thread.pk]), {"action": "lock", "reason": "Closed now"}
    )
    client.post(
        reverse("community:member_moderate", args=[handle]),
        {"action": "ban", "reason": "Spam", "days": "3"},
    )
    assert Post.objects.get(pk=post.pk).hidden_at is None
    assert Thread.objects.get(pk=thread.pk).locked_at is None
    assert not Ban.objects.exists()
    assert not ModerationAction.objects.exists()


def test_a_moderator_works_through_the_pages(client):
    author, thread, post = _world()
    services.flag_create(user=f.engineer(), post=post, reason="spam")
    moderator = f.moderator()
    client.force_login(moderator)
    queue = client.get(reverse("community:moderation")).content.decode()
    assert "A reply to moderate" in queue
    client.post(
        reverse("community:post", args=[post.pk]),
        {"action": "hide", "reason": "Selling followers", "next": "moderation"},
    )
    assert Post.objects.get(pk=post.pk).hidden_reason == "Selling followers"
    handle = services.member_ensure(user=author).handle
    client.post(
        reverse("community:member_moderate", args=[handle]),
        {"action": "ban", "reason": "Spam again", "days": ""},
    )
    assert Ban.objects.get(user=author).until is None
    log = client.get(reverse("community:moderation")).content.decode()
    assert "Selling followers" in log
    assert "Spam again" in log
    # others see the placeholder and the reason, not the words
    reader = f.engineer()
    client.force_login(reader)
    page = client.get(reverse("community:thread", args=[thread.pk])).content.decode()
    assert "A reply to moderate" not in page
    assert "This post was hidden by a moderator." in page
