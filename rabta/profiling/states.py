"""The state machines of career profiling, declared for the core state-machine helper
(``rabta.core.states``), which is the only code that changes a state column.

Parts: ``owner`` (the person whose assessment it is: nobody else changes it).
"""

from __future__ import annotations

from rabta.core.states import Machine, transition
from rabta.core.states import step as _t
from rabta.profiling.models import AssessmentState, SuggestionState

PENDING, CONFIRMED, REJECTED = (
    SuggestionState.PENDING,
    SuggestionState.CONFIRMED,
    SuggestionState.REJECTED,
)

__all__ = ["MACHINES", "Machine", "transition"]

ASSESSMENT = Machine(
    "assessment",
    "state",
    {
        # the result is computed in the same step: see services.assessment_complete
        "complete": _t({AssessmentState.IN_PROGRESS}, AssessmentState.COMPLETED, {"owner"}),
    },
)

SUGGESTION = Machine(
    "skill_suggestion",
    "state",
    {
        # a suggestion answered "not mine" can be confirmed after all (the page offers it), and
        # a confirmed one can still be rejected: the person corrects every inferred skill
        "confirm": _t({PENDING, REJECTED}, CONFIRMED, {"owner"}),
        "reject": _t({PENDING, CONFIRMED}, REJECTED, {"owner"}),
    },
)

MACHINES = (ASSESSMENT, SUGGESTION)
