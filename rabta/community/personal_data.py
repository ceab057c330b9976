"""The community's part of a person's data: their member identity, chapters and RSVPs, forum
threads and posts, watches, nominations and honours, flags and bans, panel applications, panel
documents and comments (see ``rabta.core.personal_data``).

Deleting an account leaves the chapters and gives up event places through the services (so the
counts stay right and the next person waiting gets the place); what the person wrote in the
forums and panel workspaces stays for the discussion, by "Deleted account"."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.core.files.storage import default_storage
from django.db.models import CharField, F, Q, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from rabta.accounts.models import User
from rabta.community.models import (
    Ban,
    Call,
    ChapterEvent,
    ChapterMembership,
    Flag,
    Honour,
    Member,
    ModerationAction,
    Nomination,
    NominationStatus,
    PanelApplication,
    PanelComment,
    PanelDocument,
    Post,
    PostNotice,
    Rsvp,
    RsvpStatus,
    Subscription,
    Thread,
)
from rabta.community.services.chapters import rsvp_set
from rabta.community.services.members import chapter_leave
from rabta.core.personal_data import anonymise, archive_path, delete, keep, record, section_register

WRITTEN = "What the person wrote stays for the discussion, shown as by a deleted account."


def _document_name(document: PanelDocument) -> str:
    return f"panel-documents/{document.pk}-{document.filename}"


def community_export(user: User) -> dict[str, Any]:
    member = Member.objects.filter(user=user).first()
    return {
        "member": record(member, only=("handle", "trust_level", "posts_count", "created_at"))
        if member
        else None,
        "chapters": [
            {"chapter": m.chapter.name, **record(m, exclude=("id", "chapter", "user"))}
            for m in ChapterMembership.objects.filter(user=user).select_related("chapter")
        ],
        "rsvps": [
            {"event": r.event.title, "starts_at": r.event.starts_at, **record(r, only=("status",))}
            for r in Rsvp.objects.filter(user=user).select_related("event")
        ],
        "events_created": [
            record(e, only=("title", "starts_at", "created_at"))
            for e in ChapterEvent.objects.filter(created_by=user)
        ],
        "threads_started": [
            {"category": t.category.name, **record(t, only=("title", "created_at", "hidden_at"))}
            for t in Thread.objects.filter(author=user).select_related("category")
        ],
        "posts": [
            {
                "thread": p.thread.title,
                **record(
                    p,
                    only=(
                        "number",
                        "body",
                        "created_at",
                        "edited_at",
                        "hidden_at",
                        "hidden_reason",
                    ),
                ),
            }
            for p in Post.objects.filter(author=user).select_related("thread").order_by("pk")
        ],
        "watching": [
            {
                "thread": s.thread.title if s.thread else None,
                "category": s.category.name if s.category else None,
                "created_at": s.created_at,
            }
            for s in Subscription.objects.filter(user=user).select_related("thread", "category")
        ],
        "post_notices": [
            record(n, only=("post", "reason", "sent_at"))
            for n in PostNotice.objects.filter(user=user)
        ],
        "nominations_received": [
            record(n, only=("citation", "status", "created_at", "decided_at", "decision_note"))
            for n in Nomination.objects.filter(nominee=user)
        ],
        "nominations_made": [
            {
                "nominee": n.nominee.display_name,
                **record(n, only=("citation", "status", "created_at")),
            }
            for n in Nomination.objects.filter(nominator=user).select_related("nominee")
        ],
        "honours": [
            record(h, only=("year", "citation", "status", "created_at", "published_at"))
            for h in Honour.objects.filter(user=user)
        ],
        "flags_raised": [
            record(f, only=("post", "reason", "note", "created_at", "resolved_at", "outcome"))
            for f in Flag.objects.filter(user=user)
        ],
        "bans": [
            record(b, only=("reason", "until", "created_at", "lifted_at"))
            for b in Ban.objects.filter(user=user)
        ],
        "moderation_about_you": [
            record(a, only=("at", "action", "reason"))
            for a in ModerationAction.objects.filter(target_user=user)
        ],
        "moderation_done": ModerationAction.objects.filter(moderator=user).count(),
        "panel_applications": [
            {"call": a.call.title, **record(a, only=("statement", "status", "created_at"))}
            for a in PanelApplication.objects.filter(applicant=user).select_related("call")
        ],
        "panel_documents_uploaded": [
            {
                "call": d.call.title,
                **record(d, only=("title", "filename", "size", "created_at")),
                "in_archive": archive_path("community", _document_name(d)),
            }
            for d in PanelDocument.objects.filter(uploaded_by=user).select_related("call")
        ],
        "panel_comments": [
            {"call": c.call.title, **record(c, only=("body", "created_at"))}
            for c in PanelComment.objects.filter(author=user).select_related("call")
        ],
        "calls_opened": [
            record(c, only=("title", "kind", "created_at"))
            for c in Call.objects.filter(created_by=user)
        ],
    }


def community_files(user: User) -> Iterator[tuple[str, bytes]]:
    for document in PanelDocument.objects.filter(uploaded_by=user).order_by("pk"):
        try:
            with default_storage.open(document.file, "rb") as handle:
                content = handle.read()
        except FileNotFoundError:
            continue
        yield _document_name(document), content


def _leave(user: User, placeholder: User) -> None:
    for membership in ChapterMembership.objects.filter(
        user=user, left_at__isnull=True
    ).select_related("chapter"):
        chapter_leave(user=user, chapter=membership.chapter)
    for rsvp in Rsvp.objects.filter(
        user=user,
        status__in=[RsvpStatus.GOING, RsvpStatus.WAITLIST],
        event__cancelled_at__isnull=True,
        event__starts_at__gt=timezone.now(),
    ).select_related("event"):
        rsvp_set(user=user, event=rsvp.event, going=False, leaving=True)
    for flag in Flag.objects.filter(user=user, resolved_at__isnull=True):
        Post.objects.filter(pk=flag.post_id, flags_open__gt=0).update(
            flags_open=F("flags_open") - 1
        )
    # a post's one-time key is unique per author: the placeholder takes each under a new key
    Post.objects.filter(author=user).update(
        author=placeholder, nonce=Concat(Value("erased-"), Cast("id", CharField()))
    )
    Nomination.objects.filter(Q(nominator=user) | Q(nominee=user)).filter(
        status=NominationStatus.SUBMITTED
    ).delete()


section_register(
    app="community",
    title="Your community identity, chapters, event RSVPs, forum threads and posts, what you "
    "watch, nominations and honours, flags and bans, panel applications, the panel documents "
    "you uploaded (in files/community/) and your panel comments.",
    export=community_export,
    files=community_files,
    before_erase=_leave,
    position=60,
    rules={
        "community.Member.user": delete(),
        "community.ChapterMembership.user": delete(
            "After leaving each chapter, as a member would."
        ),
        "community.Rsvp.user": delete("After giving up each place, which goes to the next person."),
        "community.ChapterEvent.created_by": anonymise("An event is the chapter's."),
        "community.Thread.author": anonymise(WRITTEN),
        "community.Post.author": anonymise(WRITTEN),
        "community.Subscription.user": delete(),
        "community.PostNotice.user": delete(),
        "community.Nomination.nominee": delete(),
        "community.Nomination.nominator": anonymise(
            "A decided nomination is the council's record of its decision; open ones are "
            "withdrawn (deleted) first."
        ),
        "community.Nomination.decided_by": anonymise("The decision stays; not who took it."),
        "community.Honour.user": delete("A Hall of Fame entry of a person who left is removed."),
        "community.Flag.user": delete("Open flags are taken off the post's count first."),
        "community.Flag.resolved_by": anonymise("The outcome stays; not who resolved it."),
        "community.ModerationAction.moderator": keep(
            "The moderators' log is an audit trail: each hide, lock, move and ban stays with "
            "its reason; the database clears the link to the person."
        ),
        "community.ModerationAction.target_user": keep(
            "The moderators' log is an audit trail: each action stays with its reason; the "
            "database clears the link to the person."
        ),
        "community.Ban.user": delete(),
        "community.Ban.created_by": anonymise("A ban stays; not who imposed it."),
        "community.Ban.lifted_by": anonymise("A ban stays; not who lifted it."),
        "community.Call.created_by": anonymise("A call is the council's."),
        "community.PanelApplication.applicant": delete(),
        "community.PanelDocument.uploaded_by": anonymise(
            "A document given to a panel is the panel's working material (it is in the "
            "person's download too)."
        ),
        "community.PanelComment.author": anonymise(WRITTEN),
    },
)
