"""With REDIS_URL set, tasks really travel through Redis to a Celery worker and back."""

import os

import pytest

pytestmark = pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL")


def test_a_task_round_trips_through_redis():
    from celery import Celery
    from celery.contrib.testing.worker import start_worker

    app = Celery(
        "rabta-broker-check", broker=os.environ["REDIS_URL"], backend=os.environ["REDIS_URL"]
    )
    app.conf.update(task_always_eager=False, worker_hijack_root_logger=False)

    @app.task
    def add(a, b):
        return a + b

    with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING"):
        assert add.delay(20, 22).get(timeout=20) == 42


def test_the_cache_is_redis():
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    cache = caches["default"]
    assert isinstance(cache, RedisCache)
    cache.set("rabta-check", "ok", 5)
    assert cache.get("rabta-check") == "ok"
