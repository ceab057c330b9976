"""The notification settings page: a choice per kind of notice grouped by app, the digest hour
and the time zone; bad input is refused whole and nobody can change another person's choices."""

import pytest
from django.urls import reverse

from rabta.accounts.tests.factories import ContributorProfileFactory, UserFactory
from rabta.core.kinds import kinds
from rabta.core.models import NoticePreference

pytestmark = pytest.mark.django_db

URL = reverse("accounts:notifications")


def _form(**changes):
    """The page's form as it is first shown (every kind at its default), with ``changes``."""
    data = {kind.key: kind.delivery for kind in kinds()}
    data.update({"digest_hour": "8", "time_zone": ""})
    data.update(changes)
    return data


def test_the_page_lists_every_kind_by_its_label_grouped_by_app(client):
    client.force_login(UserFactory())
    page = client.get(URL).content.decode()
    for label in (
        "A seat is offered to you",
        "A new request for you",
        "A reply in a discussion you watch",
        "Your PEC number is verified",
        "A job you started has finished",
    ):
        assert label in page
    for group in ("Freelance Initiative", "Brain Gain", "Community", "Your account"):
        assert f"<h2>{group}" in page
    assert page.count("<select") == len(kinds()) + 1  # one per kind, and the digest hour
    # an "always" kind offers at once or in the inbox only
    request_select = page[page.index('name="braingain.request"') :]
    request_select = request_select[: request_select.index("</select>")]
    assert 'value="daily"' not in request_select
    assert 'value="inapp"' in request_select


def test_the_page_is_linked_from_the_inbox_and_the_settings(client):
    client.force_login(UserFactory())
    for name in ("core:inbox", "accounts:settings", "accounts:home"):
        assert URL in client.get(reverse(name)).content.decode()


def test_saving_keeps_only_the_choices_that_differ_from_the_defaults(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        URL,
        _form(
            **{"community.reply": "weekly", "braingain.accepted": "inapp"},
            digest_hour="19",
            time_zone="Europe/London",
        ),
    )
    assert response.status_code == 302
    assert set(NoticePreference.objects.values_list("user_id", "kind", "delivery")) == {
        (user.pk, "community.reply", "weekly"),
        (user.pk, "braingain.accepted", "inapp"),
    }
    user.refresh_from_db()
    assert (user.digest_hour, user.time_zone, str(user.zone)) == (
        19,
        "Europe/London",
        "Europe/London",
    )
    page = client.get(URL).content.decode()
    assert 'value="weekly" selected' in page
    client.post(URL, _form())  # back to the defaults: no rows left
    assert not NoticePreference.objects.exists()


@pytest.mark.parametrize(
    "changes",
    [
        {"community.reply": "hourly"},  # not a delivery
        {"braingain.request": "daily"},  # an "always" kind has no digest
        {"digest_hour": "24"},
        {"digest_hour": "nine"},
        {"time_zone": "Mars/Olympus"},
        {"time_zone": "<script>alert(1)</script>"},
    ],
)
def test_bad_input_is_refused_and_changes_nothing(client, changes):
    user = UserFactory(digest_hour=8)
    client.force_login(user)
    data = _form(**{"community.mention": "inapp"}, **changes)
    response = client.post(URL, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="error"' in page
    assert "<script>alert(1)</script>" not in page
    assert not NoticePreference.objects.exists()
    user.refresh_from_db()
    assert (user.digest_hour, user.time_zone) == (8, "")


def test_an_unknown_kind_in_the_post_is_ignored(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(URL, _form(**{"evil.kind": "inapp", "community.reply": "weekly"}))
    assert response.status_code == 302
    assert list(NoticePreference.objects.values_list("kind", flat=True)) == ["community.reply"]


def test_labels_are_never_rendered_raw(client):
    from rabta.core.notifications import NoticeKind, kinds_register

    kinds_register(
        NoticeKind(key="test.xss", label="<img src=x onerror=alert(1)>", title="x"),
        group="<b>group</b>",
    )
    client.force_login(UserFactory())
    page = client.get(URL).content.decode()
    assert "<img src=x" not in page
    assert "&lt;img src=x" in page
    assert "<b>group</b>" not in page


def test_nobody_can_change_another_persons_choices(client):
    owner, intruder = UserFactory(digest_hour=7), UserFactory()
    NoticePreference.objects.create(user=owner, kind="community.reply", delivery="weekly")
    client.force_login(intruder)
    # the page has no person in its address or its form: it only ever acts on the signed-in one
    client.post(URL, _form(**{"community.reply": "inapp"}, user=str(owner.pk), user_id=owner.pk))
    assert NoticePreference.objects.get(user=owner).delivery == "weekly"
    owner.refresh_from_db()
    assert owner.digest_hour == 7
    assert NoticePreference.objects.get(user=intruder).delivery == "inapp"


def test_signed_out_people_are_sent_to_log_in(client):
    response = client.post(URL, _form())
    assert response.status_code == 302
    assert not NoticePreference.objects.exists()


def test_a_contributor_reads_times_in_their_own_zone_unless_they_choose_another():
    contributor = ContributorProfileFactory(time_zone="America/Toronto").user
    assert str(contributor.zone) == "America/Toronto"
    contributor.time_zone = "Asia/Dubai"
    assert str(contributor.zone) == "Asia/Dubai"
    assert str(UserFactory().zone) == "Asia/Karachi"
