from __future__ import annotations

from celery import shared_task

from rabta.community import services


@shared_task
def post_notify_task(post_id: int) -> int:
    """Tell the people a post concerns (each once, however often this runs)."""
    return services.post_notify(post_id=post_id)


@shared_task
def chapter_autojoin_task(chapter_id: int) -> int:
    """Everyone living in a newly opened chapter's place joins it."""
    return services.chapter_autojoin_all(chapter_id=chapter_id)


@shared_task
def call_announce_task(call_id: int) -> int:
    """Tell the contributors a new panel call is for (each once, however often this runs)."""
    return services.call_announce(call_id=call_id)
