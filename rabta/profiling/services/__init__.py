"""Writes for career profiling, one module per domain noun: the assessment and its steps
(``assessments``), the skills in it (``skills``), results and recommendations (``results``),
first engagements and calibration (``outcomes``) and postings intake (``postings``).  Reads are
in ``rabta.profiling.selectors``."""

from rabta.profiling.services.assessments import (
    SKILL_GAPS_COUNTED,
    answers_save,
    assessment_complete,
    assessment_editable,
    assessment_events,
    assessment_start,
    interests_save,
    steps_missing,
    tools_save,
)
from rabta.profiling.services.outcomes import outcome_record, priors_recalibrate
from rabta.profiling.services.postings import postings_classify, postings_import, postings_receive
from rabta.profiling.services.results import (
    DETAILED,
    pathway_choose,
    person_from,
    result_compute,
    results_recompute,
    scorer_current,
)
from rabta.profiling.services.skills import (
    SUGGESTIONS_PER_TEXT,
    experience_analyse,
    experience_save,
    skill_add,
    skill_remove,
    skill_suggestions_compute,
    skills_done,
    suggestion_decide,
)

__all__ = [
    "DETAILED",
    "SKILL_GAPS_COUNTED",
    "SUGGESTIONS_PER_TEXT",
    "answers_save",
    "assessment_complete",
    "assessment_editable",
    "assessment_events",
    "assessment_start",
    "experience_analyse",
    "experience_save",
    "interests_save",
    "outcome_record",
    "pathway_choose",
    "person_from",
    "postings_classify",
    "postings_import",
    "postings_receive",
    "priors_recalibrate",
    "result_compute",
    "results_recompute",
    "scorer_current",
    "skill_add",
    "skill_remove",
    "skill_suggestions_compute",
    "skills_done",
    "steps_missing",
    "suggestion_decide",
    "tools_save",
]
