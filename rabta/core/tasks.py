"""The task facade.  Every background job goes through ``task_enqueue``:

* it is enqueued only after the surrounding transaction commits, so a worker never sees a
  primary key whose row was rolled back;
* tasks take primary keys and are idempotent, so a retry or a duplicate delivery is harmless;
* without a broker (the embedded default) Celery runs the task inline, after commit.
"""

from __future__ import annotations

from typing import Any

from celery import Task, shared_task
from django.db import transaction


def task_enqueue(task: Task, *args: Any, **kwargs: Any) -> None:
    transaction.on_commit(lambda: task.apply_async(args=args, kwargs=kwargs))


@shared_task(
    ignore_result=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    retry_kwargs={"max_retries": 6},
)
def notification_email_task(notification_id: int, body: str) -> bool:
    from rabta.core.notifications import notification_email

    return notification_email(notification_id=notification_id, body=body)
