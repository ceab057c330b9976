"""An engineer on a phone-sized screen builds a case study with a photo of her drawing, publishes
her portfolio and opens the public page a client would see; then logs her first contract."""

import io
from urllib.parse import urlsplit

import pytest
from PIL import Image

from rabta.portfolio.models import Attachment, OutcomeEntry
from rabta.portfolio.tests.conftest import jpeg_with_location, profiled_engineer
from rabta.profiling.models import EngagementOutcome
from tests.e2e.test_assessment_journey import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_phone_portfolio_item_with_an_image_to_the_public_page(live_server, page, tmp_path):
    user = profiled_engineer()
    login(page, live_server, user)
    page.goto(live_server.url + "/portfolio/")
    page.click("text=Add a case study")
    page.wait_for_url("**/portfolio/items/new/")
    page.fill("#id_title", "Scan-to-CAD of a textile mill")
    page.fill("#id_client", "Mill owner, Faisalabad")
    page.select_option("#id_visibility", "public")
    page.fill("#id_problem", "Paper drawings of a **1970s** mill had to become CAD.")
    page.fill("#id_role", "Sole drafter.")
    page.fill("#id_tools", "AutoCAD")
    page.fill("#id_delivered", "120 DWG sheets on the client's layer standard.")
    page.fill("#id_outcome", "Delivered in 9 days; reused for a 2,000 m2 extension.")
    page.click("button[value=save]")
    page.wait_for_url("**/portfolio/items/*/")

    photo = tmp_path / "site photo.jpg"
    photo.write_bytes(jpeg_with_location())
    page.set_input_files("#id_file", str(photo))
    page.fill("#id_label", "Ground floor plan")
    page.click("button[value=upload]")
    page.locator("#files img").first.scroll_into_view_if_needed()  # thumbnails load lazily
    loaded = (
        "() => [...document.querySelectorAll('#files img')]"
        ".every(i => i.complete && i.naturalWidth > 0)"
    )
    page.wait_for_function(loaded)
    stored = Attachment.objects.get(item__portfolio__owner=user)
    assert stored.label == "Ground floor plan"

    page.goto(live_server.url + "/portfolio/")
    page.fill("#id_headline", "CAD drafting and scan-to-CAD for mills and factories")
    page.check("#id_published")
    page.click("#main form button[type=submit]")
    page.locator("text=Your public page:").wait_for()
    public_url = page.locator("text=Your public page:").locator("a").get_attribute("href")

    visitor = page.context.browser.new_context(viewport={"width": 390, "height": 844})
    client_page = visitor.new_page()
    client_page.goto(live_server.url + urlsplit(public_url).path)  # SITE_URL is not the test server
    client_page.locator("h2", has_text="Scan-to-CAD of a textile mill").wait_for()
    assert client_page.locator("strong", has_text="1970s").count() == 1  # Markdown rendered
    client_page.locator("article img").first.scroll_into_view_if_needed()
    client_page.wait_for_function(loaded.replace("#files", "article"))
    width = client_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    full = client_page.request.get(
        live_server.url + client_page.locator("article a").first.get_attribute("href")
    )
    assert full.status == 200
    assert b"CanonSecretMake" not in full.body()
    assert Image.open(io.BytesIO(full.body())).getexif() == {}
    visitor.close()

    page.goto(live_server.url + "/portfolio/outcomes/")
    page.select_option("#id_kind", "contract")
    page.select_option("#id_platform", "Upwork")
    page.fill("#id_amount_usd", "150")
    page.click("#main form button[type=submit]")
    page.locator("text=Congratulations").wait_for()
    assert OutcomeEntry.objects.filter(owner=user, kind="contract").count() == 1
    assert EngagementOutcome.objects.get(user=user).pathway == "cad-drafting-3d-modelling"
