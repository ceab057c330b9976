"""Celery application.  Workers run only when a broker is configured (``REDIS_URL``);
without one, tasks run inline (see ``CELERY_TASK_ALWAYS_EAGER`` in the settings)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

app = Celery("rabta")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
