"""The state machine of a PEC registration number's verification, declared for the core
state-machine helper (``rabta.core.states``), which is the only code that changes
``EngineerProfile.verification_state``.

Parts: ``owner`` (the engineer saving their own profile), ``staff`` (a reviewer with
``accounts.verify_pec_number``) and ``system`` (the imported PEC register deciding, on a save
or on an import).  The audit actions read ``pec.<action>``: staff decisions have always been
audited as ``pec.verified`` / ``pec.rejected``.
"""

from __future__ import annotations

from rabta.accounts.models import VerificationState as S
from rabta.core.states import Machine, transition, transition_many
from rabta.core.states import step as _t

__all__ = ["PEC_VERIFICATION", "transition", "transition_many"]

PEC_VERIFICATION = Machine(
    "pec",
    "verification_state",
    {
        # a new or changed number, or a rejected one saved again, waits for a review
        "submitted": _t({S.UNVERIFIED, S.VERIFIED, S.REJECTED}, S.PENDING, {"owner"}),
        # the register lists the number as current, in the discipline, under the holder's name
        "confirmed": _t({S.UNVERIFIED, S.PENDING, S.REJECTED}, S.VERIFIED, {"system"}),
        # the register lists the number as not current (verified numbers included)
        "lapsed": _t({S.UNVERIFIED, S.PENDING, S.VERIFIED}, S.REJECTED, {"system"}),
        "verified": _t(
            {S.UNVERIFIED, S.PENDING, S.REJECTED},
            S.VERIFIED,
            {"staff"},
            event="engineer.pec_verified",
        ),
        "rejected": _t({S.UNVERIFIED, S.PENDING, S.VERIFIED}, S.REJECTED, {"staff"}),
    },
)
