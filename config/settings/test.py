"""Settings for the test suite: the same stack, with fast password hashing and captured email."""

import os
from urllib.parse import urlsplit, urlunsplit

os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")

from config.settings.base import *  # noqa: E402,F403
from config.settings.base import ENV  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only: tests of
# argon2 itself build their own hasher.
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Tests always run tasks inline so they can assert on their effects; the broker round-trip
# itself is covered by tests/test_broker.py against the Redis in REDIS_URL.
CELERY_TASK_ALWAYS_EAGER = True
if not ENV.redis_url:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
elif os.environ.get("PYTEST_XDIST_WORKER", "").startswith("gw"):
    # Each test clears the cache, and clearing a Redis cache empties its whole database: every
    # parallel test process gets a database of its own (the URL's number, plus its index).
    _worker = int(os.environ["PYTEST_XDIST_WORKER"][2:] or 0)
    _url = urlsplit(ENV.redis_url)
    _number = _url.path.strip("/")
    _database = ((int(_number) if _number.isdigit() else 0) + _worker) % 16
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": urlunsplit(_url._replace(path=f"/{_database}")),
            "KEY_PREFIX": "rabta",
        }
    }
# Tests serve static files from the app folders (as runserver does); there is no collectstatic.
STATIC_ROOT = None  # type: ignore[assignment]
WHITENOISE_USE_FINDERS = True
INSIGHTS_FILL_LAG_SECONDS = 0  # tests read what they just wrote
