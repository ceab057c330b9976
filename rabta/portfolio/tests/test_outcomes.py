import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from rabta.core.models import Event, Notification
from rabta.portfolio import services
from rabta.portfolio.models import OutcomeEntry, OutcomeReminder
from rabta.portfolio.tests.conftest import CAD, profiled_engineer
from rabta.profiling.models import EngagementOutcome, PathwayPrior
from rabta.programme.models import Application, ApplicationState
from rabta.programme.tests.factories import CohortFactory

pytestmark = pytest.mark.django_db


def log(client, **fields):
    data = {
        "kind": "proposals",
        "happened_on": timezone.localdate().isoformat(),
        "platform": "Upwork",
        "pathway": CAD,
        "count": "1",
        "amount_usd": "",
        **fields,
    }
    return client.post(reverse("portfolio:outcomes"), data)


def test_the_log_counts_proposals_interviews_contracts_and_earnings(client, engineer):
    log(client, kind="proposals", count="7")
    log(client, kind="interview")
    log(client, kind="contract", amount_usd="150")
    log(client, kind="earning", amount_usd="150", happened_on="2026-10-03")
    log(client, kind="earning", amount_usd="99.50", happened_on="2026-10-20")
    page = client.get(reverse("portfolio:outcomes")).context
    assert (page["proposals_sent"], page["interviews"], page["contracts"], page["earned"]) == (
        7,
        1,
        1,
        Decimal("249.50"),
    )
    assert page["by_month"] == [("2026-10", Decimal("249.50"))]
    assert Event.objects.filter(kind__startswith="outcome.").count() == 5


def test_the_first_contract_becomes_the_first_engagement_and_moves_the_calibration(
    client, engineer
):
    won_before = PathwayPrior.objects.filter(slug=CAD).values_list("won", flat=True).first() or 0
    response = log(client, kind="contract", amount_usd="150", platform="Fiverr")
    assert response.status_code == 302
    first = EngagementOutcome.objects.get(user=engineer)
    assert (first.pathway, first.platform, first.amount_usd) == (CAD, "Fiverr", Decimal("150.00"))
    assert PathwayPrior.objects.get(slug=CAD).won == won_before + 1
    # a later contract is logged but does not rewrite the first engagement
    log(client, kind="contract", amount_usd="900", pathway="bim-modelling")
    first.refresh_from_db()
    assert first.pathway == CAD
    assert OutcomeEntry.objects.filter(kind="contract").count() == 2


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"happened_on": "2999-01-01"}, "cannot be in the future"),
        ({"kind": "contract", "amount_usd": ""}, "Give the amount in US dollars."),
        ({"kind": "contract", "amount_usd": "10", "pathway": ""}, "Choose the pathway"),
        ({"kind": "earning", "amount_usd": "-1"}, "greater than or equal to 0"),
        ({"kind": "earning", "amount_usd": "99999999"}, "no more than"),
        ({"kind": "bribe"}, "Select a valid choice"),
        ({"count": "0"}, "greater than or equal to 1"),
        ({"happened_on": "yesterday"}, "Enter a valid date"),
        ({"platform": "<script>"}, "Select a valid choice"),
    ],
)
def test_bad_outcome_lines_are_refused_and_nothing_is_logged(client, engineer, fields, error):
    response = log(client, **fields)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not OutcomeEntry.objects.exists()
    assert not EngagementOutcome.objects.exists()


def test_nobody_removes_another_persons_line(client, engineer):
    other = profiled_engineer()
    theirs = services.outcome_log(user=other, kind="interview", happened_on=timezone.localdate())
    response = client.post(
        reverse("portfolio:outcomes"), {"action": "delete", "entry": str(theirs.pk)}
    )
    assert response.status_code == 404
    assert OutcomeEntry.objects.filter(pk=theirs.pk).exists()
    assert (
        client.post(reverse("portfolio:outcomes"), {"action": "delete", "entry": "abc"}).status_code
        == 404
    )


def confirmed(user, ends_on):
    cohort = CohortFactory(starts_on=ends_on - dt.timedelta(days=4), ends_on=ends_on)
    Application.objects.create(user=user, cohort=cohort, state=ApplicationState.CONFIRMED)


def test_reminders_go_out_at_30_60_and_90_days_once_each():
    user = profiled_engineer()
    ended = dt.date(2026, 1, 1)
    confirmed(user, ended)
    assert services.outcome_reminders_send(today=ended + dt.timedelta(days=29)) == 0
    assert services.outcome_reminders_send(today=ended + dt.timedelta(days=30)) == 1
    assert services.outcome_reminders_send(today=ended + dt.timedelta(days=31)) == 0  # once
    assert services.outcome_reminders_send(today=ended + dt.timedelta(days=60)) == 1
    assert services.outcome_reminders_send(today=ended + dt.timedelta(days=95)) == 1
    assert services.outcome_reminders_send(today=ended + dt.timedelta(days=96)) == 0
    assert sorted(OutcomeReminder.objects.values_list("day", flat=True)) == [30, 60, 90]
    notes = Notification.objects.filter(user=user, kind="outcome.reminder")
    assert notes.count() == 3
    assert notes.first().url == reverse("portfolio:outcomes")


def test_a_missed_job_sends_only_the_latest_mark_and_nothing_long_after():
    late, stale = profiled_engineer(), profiled_engineer()
    confirmed(late, dt.date(2026, 1, 1))
    confirmed(stale, dt.date(2025, 1, 1))
    assert services.outcome_reminders_send(today=dt.date(2026, 1, 1) + dt.timedelta(days=70)) == 1
    assert list(OutcomeReminder.objects.values_list("owner_id", "day")) == [(late.pk, 60)]
    assert not Notification.objects.filter(user=stale).exists()
