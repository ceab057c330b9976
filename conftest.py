import pytest


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Axes counters and per-process caches must not leak between tests."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
