import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

from rabta.accounts.tests.factories import UserFactory

LOCALE = Path(__file__).resolve().parent.parent / "rabta" / "locale" / "ur" / "LC_MESSAGES"

pytestmark = pytest.mark.django_db


def test_switching_to_urdu_turns_the_page_right_to_left(client):
    response = client.post(reverse("set_language"), {"language": "ur", "next": "/"})
    assert response.status_code == 302
    page = client.get("/").content.decode()
    assert '<html lang="ur" dir="rtl">' in page
    assert "لاگ ان" in page  # "Log in"
    assert 'value="en"' in page  # the way back to English


def test_english_is_the_default_and_left_to_right(client):
    page = client.get("/").content.decode()
    assert '<html lang="en" dir="ltr">' in page


@pytest.mark.parametrize(
    "url_name", ["accounts:login", "accounts:signup", "accounts:password_reset"]
)
def test_public_pages_are_translated(client, url_name):
    client.cookies["rabta_language"] = "ur"
    page = client.get(reverse(url_name)).content.decode()
    assert 'dir="rtl"' in page
    assert "Log in</" not in page
    assert "Sign up</" not in page


def test_profile_page_is_translated_for_a_signed_in_engineer(client):
    client.force_login(UserFactory(preferred_language="ur"))
    client.cookies["rabta_language"] = "ur"
    page = client.get(reverse("accounts:engineer_profile")).content.decode()
    assert "PEC" in page
    assert "Engineer profile</h1>" not in page


def test_every_message_is_translated_and_the_compiled_catalogue_is_current(tmp_path):
    po = LOCALE / "django.po"
    compiled = tmp_path / "django.mo"
    stats = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", str(compiled), str(po)],
        capture_output=True,
        text=True,
        check=True,
    ).stderr
    assert "untranslated" not in stats, stats
    assert "fuzzy" not in stats, stats
    assert compiled.read_bytes() == (LOCALE / "django.mo").read_bytes(), "run `make messages`"
