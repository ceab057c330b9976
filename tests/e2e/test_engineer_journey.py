"""A new engineer on a phone-sized screen: signs up, verifies their email, completes the
engineer profile (the district list follows the province), switches to Urdu and logs out."""

import re

import pytest
from django.core import mail

from rabta.accounts.models import EngineerProfile, User

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_sign_up_verify_complete_profile_switch_to_urdu_log_out(live_server, page):
    page.goto(live_server.url + "/accounts/signup/")
    page.fill("#id_display_name", "Rukhsana Mengal")
    page.fill("#id_email", "rukhsana@example.pk")
    page.fill("#id_password", "a-long-enough-passphrase")
    page.check("input[name=role][value=engineer]")
    page.check("#id_consent")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/accounts/verify-email/")
    assert "Check your email" in page.content()

    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+(/accounts/verify-email/\S+/)", mail.outbox[0].body).group(1)
    page.goto(live_server.url + link)
    page.wait_for_url("**/me/")
    assert "Your email address is verified." in page.content()

    page.click("text=Complete my engineer profile")
    page.fill("#id_pec_number", "civil 5512")
    page.select_option("#id_discipline", "CIVIL")
    page.select_option("#id_degree", "BE")
    page.fill("#id_university", "BUET Khuzdar")
    page.fill("#id_graduation_year", "2023")
    page.select_option("#id_province", "Balochistan")
    # htmx replaces the district list with Balochistan's districts only.
    page.wait_for_function("document.querySelectorAll('#id_district option').length < 60")
    page.select_option("#id_district", "bl-khuzdar")
    page.select_option("#id_gender", "woman")
    page.select_option("#id_employment_status", "seeking")
    page.check("input[name=languages][value=bal]")

    # The connection drops before saving: a reload must not lose what was typed.
    page.reload()
    assert page.input_value("#id_university") == "BUET Khuzdar"
    assert page.is_checked("input[name=languages][value=bal]")

    page.click("main form button[type=submit]")
    page.wait_for_url("**/me/")
    assert "CIVIL/5512" in page.content()
    assert "Pending review" in page.content()
    profile = EngineerProfile.objects.get(user__email="rukhsana@example.pk")
    assert (profile.district, profile.verification_state) == ("bl-khuzdar", "pending")

    # The saved form leaves no draft behind.
    drafts = page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('rabta:draft:'))")
    assert [d for d in drafts if "engineer-profile" in d] == []

    page.click("button[value=ur]")
    page.wait_for_selector("html[dir=rtl]")
    assert page.get_attribute("html", "lang") == "ur"

    page.click("header form[action='/accounts/logout/'] button")
    page.wait_for_selector("a[href='/accounts/login/']")
    assert User.objects.get(email="rukhsana@example.pk").email_verified
