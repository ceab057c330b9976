from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from rabta.accounts.models import VerificationState
from rabta.accounts.tests.factories import EngineerProfileFactory, UserFactory
from rabta.core.errors import DomainError
from rabta.core.models import AuditLog, Event
from rabta.programme import services
from rabta.programme.models import Application, ApplicationState, Cohort
from rabta.programme.selectors import waitlist_position
from rabta.programme.tests.factories import ANSWERS, CohortFactory, verified_engineer

pytestmark = pytest.mark.django_db


def submit(user, cohort, key="", **answers):
    return services.application_submit(
        user=user, cohort_id=cohort.pk, data={**ANSWERS, **answers}, idempotency_key=key
    )


def test_first_come_offers_seats_until_they_run_out_then_waitlists():
    cohort = CohortFactory(seats=2)
    users = [verified_engineer() for _ in range(4)]
    states = [submit(u, cohort)[0].state for u in users]
    assert states == ["offered", "offered", "waitlisted", "waitlisted"]
    assert Cohort.objects.get().seats_taken == 2
    last = Application.objects.get(user=users[3])
    assert waitlist_position(application=last) == 2
    assert Event.objects.filter(kind="programme.offered").count() == 2


def test_a_double_submit_or_replayed_key_yields_one_application_and_the_same_answer():
    cohort = CohortFactory()
    user = verified_engineer()
    first, created = submit(user, cohort, key="k-1")
    again, created_again = submit(user, cohort, key="k-1")
    retry, created_retry = submit(user, cohort, key="k-2")  # a new key from a reloaded page
    assert (created, created_again, created_retry) == (True, False, False)
    assert first.pk == again.pk == retry.pk
    assert Application.objects.count() == 1
    assert Cohort.objects.get().seats_taken == 1


def test_someone_elses_key_is_refused():
    cohort = CohortFactory()
    submit(verified_engineer(), cohort, key="shared")
    with pytest.raises(DomainError) as caught:
        submit(verified_engineer(), cohort, key="shared")
    assert caught.value.code == "conflict"
    assert Application.objects.count() == 1


@pytest.mark.parametrize(
    ("setup", "reason"),
    [
        (
            lambda c: c.__setattr__("applications_open_at", timezone.now() + timedelta(days=1)),
            "Applications open on",
        ),
        (
            lambda c: c.__setattr__("applications_close_at", timezone.now() - timedelta(minutes=1)),
            "have closed",
        ),
    ],
)
def test_window_closed_or_not_yet_open(setup, reason):
    cohort = CohortFactory()
    setup(cohort)
    cohort.save()
    with pytest.raises(DomainError) as caught:
        submit(verified_engineer(), cohort)
    assert reason in caught.value.message
    assert not Application.objects.exclude(state="draft").exists()


def test_eligibility_reasons_for_pec_states():
    cohort = CohortFactory(accept_pending_pec=False)
    no_profile = UserFactory()
    pending = EngineerProfileFactory(verification_state=VerificationState.PENDING).user
    rejected = EngineerProfileFactory(
        verification_state=VerificationState.REJECTED, rejection_reason="Card unreadable."
    ).user
    assert (
        "Complete your engineer profile"
        in services.eligibility_reasons(user=no_profile, cohort=cohort)[0]
    )
    assert "still under review" in services.eligibility_reasons(user=pending, cohort=cohort)[0]
    assert "Card unreadable." in services.eligibility_reasons(user=rejected, cohort=cohort)[0]
    cohort.accept_pending_pec = True
    assert services.eligibility_reasons(user=pending, cohort=cohort) == []


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("motivation", ""),
        ("hours_per_week", None),
        ("hours_per_week", 500),
        ("employment", ""),
        ("employment", "astronaut"),
        ("consent", False),
        ("motivation", "x" * 2000),
    ],
)
def test_incomplete_or_bad_answers_are_refused_and_take_no_seat(field, value):
    cohort = CohortFactory()
    with pytest.raises(DomainError) as caught:
        submit(verified_engineer(), cohort, **{field: value})
    assert field in caught.value.fields
    assert Cohort.objects.get().seats_taken == 0
    assert not Application.objects.exclude(state="draft").exists()


def test_unknown_fields_are_refused():
    cohort = CohortFactory()
    with pytest.raises(DomainError):
        submit(verified_engineer(), cohort, state="confirmed")
    assert not Application.objects.exists()


def test_drafts_keep_answers_and_never_touch_a_submitted_application():
    cohort = CohortFactory()
    user = verified_engineer()
    services.application_draft_save(user=user, cohort=cohort, data={"motivation": "half"})
    assert Application.objects.get().motivation == "half"
    submit(user, cohort)
    services.application_draft_save(user=user, cohort=cohort, data={"motivation": "changed"})
    assert Application.objects.get().motivation == ANSWERS["motivation"]


def test_declining_frees_the_seat_for_the_next_on_the_waitlist(django_capture_on_commit_callbacks):
    cohort = CohortFactory(seats=1, claim_window_hours=24)
    first, second = verified_engineer(), verified_engineer()
    offered, _ = submit(first, cohort)
    waiting, _ = submit(second, cohort)
    with django_capture_on_commit_callbacks(execute=True):
        services.offer_respond(user=first, application_id=offered.pk, accept=False)
    waiting.refresh_from_db()
    assert waiting.state == ApplicationState.OFFERED
    assert waiting.offer_expires_at - timezone.now() < timedelta(hours=24, minutes=1)
    assert Cohort.objects.get().seats_taken == 1
    assert [m.to for m in mail.outbox] == [[second.email]]
    assert AuditLog.objects.filter(action="programme.declined", actor=first).exists()


def test_confirming_keeps_the_seat_and_is_idempotent():
    cohort = CohortFactory(seats=1)
    user = verified_engineer()
    application, _ = submit(user, cohort)
    services.offer_respond(user=user, application_id=application.pk, accept=True)
    services.offer_respond(user=user, application_id=application.pk, accept=True)
    application.refresh_from_db()
    assert application.state == ApplicationState.CONFIRMED
    assert Cohort.objects.get().seats_taken == 1


def test_expired_offers_go_to_the_waitlist():
    cohort = CohortFactory(seats=1, offer_days=1)
    late, patient = verified_engineer(), verified_engineer()
    offered, _ = submit(late, cohort)
    submit(patient, cohort)
    later = timezone.now() + timedelta(days=2)
    assert services.offers_expire(now=later) == 1
    assert services.offers_expire(now=later) == 0  # idempotent
    offered.refresh_from_db()
    assert offered.state == ApplicationState.EXPIRED
    assert Application.objects.get(user=patient).state == ApplicationState.OFFERED
    with pytest.raises(DomainError):
        services.offer_respond(user=late, application_id=offered.pk, accept=True)


def test_confirming_after_the_deadline_is_refused_and_frees_the_seat():
    cohort = CohortFactory(seats=1, offer_days=1)
    user = verified_engineer()
    application, _ = submit(user, cohort)
    with pytest.raises(DomainError, match="expired"):
        services.offer_respond(
            user=user,
            application_id=application.pk,
            accept=True,
            now=timezone.now() + timedelta(days=3),
        )
    assert Cohort.objects.get().seats_taken == 0


def test_withdrawing_a_confirmed_seat_promotes_the_waitlist():
    cohort = CohortFactory(seats=1)
    a, b = verified_engineer(), verified_engineer()
    seat, _ = submit(a, cohort)
    submit(b, cohort)
    services.offer_respond(user=a, application_id=seat.pk, accept=True)
    services.application_withdraw(user=a, application_id=seat.pk)
    assert Application.objects.get(user=b).state == ApplicationState.OFFERED
    assert Cohort.objects.get().seats_taken == 1


def test_nobody_can_respond_to_someone_elses_offer():
    cohort = CohortFactory(seats=1)
    owner = verified_engineer()
    application, _ = submit(owner, cohort)
    for action in (
        lambda u: services.offer_respond(user=u, application_id=application.pk, accept=False),
        lambda u: services.application_withdraw(user=u, application_id=application.pk),
    ):
        with pytest.raises(DomainError):
            action(verified_engineer())
    application.refresh_from_db()
    assert application.state == ApplicationState.OFFERED


def test_deleting_an_account_frees_its_seat_for_the_waitlist():
    from rabta.accounts.services import user_delete
    from rabta.accounts.tests.factories import PASSWORD

    cohort = CohortFactory(seats=1)
    holder, waiting = verified_engineer(), verified_engineer()
    submit(holder, cohort)
    submit(waiting, cohort)
    user_delete(user=holder, password=PASSWORD)
    assert Application.objects.get(user=waiting).state == ApplicationState.OFFERED
    assert Cohort.objects.get().seats_taken == 1


def test_a_free_seat_goes_to_the_waitlist_not_to_the_next_newcomer():
    cohort = CohortFactory(seats=1)
    first, waiting, newcomer = verified_engineer(), verified_engineer(), verified_engineer()
    submit(first, cohort)
    submit(waiting, cohort)
    # A seat is free while someone waits (as after an interrupted expiry run).
    Application.objects.filter(user=first).update(state=ApplicationState.EXPIRED)
    Cohort.objects.update(seats_taken=0)
    application, _ = submit(newcomer, cohort)
    assert application.state == ApplicationState.WAITLISTED
    assert Application.objects.get(user=waiting).state == ApplicationState.OFFERED
    assert Cohort.objects.get().seats_taken == 1


def test_editing_a_cohort_never_writes_back_a_stale_seat_count():
    from rabta.accounts.roles import Role
    from rabta.accounts.tests.factories import user_with_role

    CohortFactory(seats=10)
    stale = Cohort.objects.get()
    Cohort.objects.update(seats_taken=4)  # claims made while staff had the form open
    services.cohort_save(
        actor=user_with_role(Role.PROGRAMME_STAFF), data={"name": "Renamed"}, cohort=stale
    )
    fresh = Cohort.objects.get()
    assert (fresh.name, fresh.seats_taken) == ("Renamed", 4)


def test_a_cohort_saved_without_inclusion_targets_takes_the_default_shares():
    from rabta.accounts.roles import Role
    from rabta.accounts.tests.factories import user_with_role

    now = timezone.now()
    cohort = services.cohort_save(
        actor=user_with_role(Role.PROGRAMME_STAFF),
        data={
            "name": "Targets by default",
            "slug": "targets-default",
            "starts_on": (now + timedelta(days=40)).date(),
            "ends_on": (now + timedelta(days=44)).date(),
            "seats": 10,
            "policy": "fair",
            "applications_open_at": now,
            "applications_close_at": now + timedelta(days=10),
        },
    )
    cohort.refresh_from_db()
    assert (str(cohort.target_women_share), str(cohort.target_early_career_share)) == (
        "0.300",
        "0.400",
    )
