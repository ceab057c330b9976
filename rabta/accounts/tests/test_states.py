"""A PEC number's verification state moves only along the ``pec`` machine, and every move is
audited: the engineer's save, the register's verdict and the staff decision."""

import pytest

from rabta.accounts.models import EngineerProfile, PecRegisterEntry, VerificationState
from rabta.accounts.register import name_digest
from rabta.accounts.roles import Role
from rabta.accounts.services import engineer_profile_save, pec_register_import
from rabta.accounts.states import PEC_VERIFICATION
from rabta.accounts.tests.factories import EngineerProfileFactory, UserFactory
from rabta.core.models import AuditLog

pytestmark = pytest.mark.django_db

DATA = {
    "pec_number": "CIVIL/31337",
    "discipline": "CIVIL",
    "degree": "BE",
    "university": "UET Lahore",
    "graduation_year": 2019,
    "province": "Punjab",
    "district": "pb-lahore",
    "employment_status": "seeking",
}


def test_staff_decisions_follow_the_table():
    assert PEC_VERIFICATION.allowed(VerificationState.PENDING, "staff") == ["verified", "rejected"]
    assert PEC_VERIFICATION.allowed(VerificationState.REJECTED, "staff") == ["verified"]
    assert PEC_VERIFICATION.allowed(VerificationState.VERIFIED, "owner") == ["submitted"]


def test_saving_after_a_rejection_submits_the_number_again_and_is_audited():
    profile = EngineerProfileFactory(
        pec_number="CIVIL/31337", verification_state=VerificationState.REJECTED
    )
    engineer_profile_save(user=profile.user, data=DATA)
    profile.refresh_from_db()
    assert profile.verification_state == VerificationState.PENDING
    audit = AuditLog.objects.get(action="pec.submitted")
    assert (audit.details["before"], audit.details["after"]) == ("rejected", "pending")


def test_a_save_the_register_confirms_is_verified_by_the_system_step():
    user = UserFactory(roles=[Role.ENGINEER], display_name="Ayesha Khan")
    PecRegisterEntry.objects.create(
        pec_number="CIVIL/31337", discipline="CIVIL", name_digest=name_digest("Ayesha Khan")
    )
    engineer_profile_save(user=user, data=DATA)
    profile = EngineerProfile.objects.get(user=user)
    assert profile.verification_state == VerificationState.VERIFIED
    assert AuditLog.objects.get(action="pec.confirmed").details["part"] == "system"


def test_a_save_that_keeps_the_state_writes_no_state_audit():
    profile = EngineerProfileFactory(pec_number="CIVIL/31337")
    engineer_profile_save(user=profile.user, data={**DATA, "university": "NED"})
    assert not AuditLog.objects.filter(action__startswith="pec.").exists()


def test_the_register_lapses_a_verified_number_in_one_audited_batch():
    lapsed = EngineerProfileFactory(
        pec_number="CIVIL/31337", verification_state=VerificationState.VERIFIED
    )
    pec_register_import(
        actor=None,
        content=b"pec_number,name,discipline,status\nCIVIL/31337,Someone,CIVIL,expired\n",
    )
    lapsed.refresh_from_db()
    assert lapsed.verification_state == VerificationState.REJECTED
    audit = AuditLog.objects.get(action="pec.lapsed")
    assert audit.target_id == str(lapsed.pk)
