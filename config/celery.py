"""Celery application: the worker (`celery -A config worker`) runs tasks, beat
(`celery -A config beat`) sends the periodic ones on time.  The broker is Redis when
``REDIS_URL`` is set and the embedded file broker otherwise (see the settings)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

app = Celery("rabta")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
