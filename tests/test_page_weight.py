"""Budget: a typical page with every asset it loads transfers under 100 KB compressed."""

import gzip
import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from rabta.accounts.tests.factories import EngineerProfileFactory

BUDGET = 100 * 1024

pytestmark = pytest.mark.django_db


def page_weight(client, url):
    html = client.get(url).content
    total = len(gzip.compress(html, 9))
    assets = re.findall(rb'(?:src|href)="/static/([^"]+)"', html)
    for asset in assets:
        path = finders.find(asset.decode())
        assert path, asset
        with open(path, "rb") as handle:
            total += len(gzip.compress(handle.read(), 9))
    return total, len(assets)


@pytest.mark.parametrize("url_name", ["accounts:engineer_profile", "accounts:home"])
def test_profile_pages_fit_the_budget(client, url_name):
    profile = EngineerProfileFactory()
    client.force_login(profile.user)
    total, assets = page_weight(client, reverse(url_name))
    assert assets == 4  # stylesheet, htmx, autosave script, the offer of the device's zone
    assert total < BUDGET, total


def test_public_home_fits_the_budget(client):
    total, _assets = page_weight(client, "/")
    assert total < BUDGET
