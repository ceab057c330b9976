import pytest

# The real SMTP server of the email tests (rabta.core.testing), for every test module.
pytest_plugins = ["rabta.core.testing"]


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Axes counters and per-process caches must not leak between tests."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
