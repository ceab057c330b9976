"""On a phone: a contributor joins a chapter and posts in its forum; a moderator hides the
reply; the author sees why, and other members see only that it was hidden."""

import pytest

from rabta.accounts.roles import Role
from rabta.accounts.tests.factories import ContributorProfileFactory, user_with_role
from rabta.community import services
from rabta.community.models import Post
from tests.e2e.test_assessment_journey import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_join_a_chapter_post_and_a_moderator_hides_the_reply(live_server, page, browser):
    staff = user_with_role(Role.PROGRAMME_STAFF)
    london = services.chapter_open(actor=staff, country="GB", city="London")
    resident = ContributorProfileFactory(country="GB", city="London").user  # joined by location
    opening = services.thread_create(
        user=resident,
        category=london.category,
        title="Who is going to the Pakistan Day dinner?",
        body="Reply here if you are coming.",
    )
    contributor = ContributorProfileFactory(
        country="US", city="Houston", time_zone="America/Chicago"
    ).user

    login(page, live_server, contributor)
    page.goto(live_server.url + "/community/chapters/")
    page.click("text=London, United Kingdom")
    assert page.locator("text=Who is going to the Pakistan Day dinner?").count() == 0
    page.click("button:has-text('Join the chapter')")
    page.wait_for_selector("text=Welcome to the chapter.")
    page.click("text=Who is going to the Pakistan Day dinner?")
    page.fill("#id_body", "Count me in: flying in from **Houston**.")
    page.click("button:has-text('Post reply')")
    page.wait_for_selector("text=Your reply is posted.")
    assert page.locator("article#post-2 strong", has_text="Houston").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    reply = Post.objects.get(thread=opening, number=2)
    assert reply.author == contributor

    moderator = user_with_role(Role.MODERATOR)
    moderator_context = browser.new_context(viewport={"width": 390, "height": 844})
    moderator_page = moderator_context.new_page()
    login(moderator_page, live_server, moderator)
    moderator_page.goto(live_server.url + f"/community/threads/{opening.pk}/")
    article = moderator_page.locator("article#post-2")
    article.locator("summary:has-text('Hide')").click()
    article.locator("input[name=reason]").fill("Travel plans belong in a private message")
    article.locator("button:has-text('Hide')").click()
    moderator_page.wait_for_selector("text=The post is hidden.")
    moderator_context.close()

    reply.refresh_from_db()
    assert reply.hidden_at is not None
    page.reload()
    assert page.locator("article#post-2", has_text="Travel plans belong").count() == 1
    reader_context = browser.new_context(viewport={"width": 390, "height": 844})
    reader_page = reader_context.new_page()
    login(reader_page, live_server, resident)
    reader_page.goto(live_server.url + f"/community/threads/{opening.pk}/")
    hidden = reader_page.locator("article#post-2")
    assert "hidden by a moderator" in hidden.inner_text()
    assert "Houston" not in hidden.inner_text()
    reader_context.close()
